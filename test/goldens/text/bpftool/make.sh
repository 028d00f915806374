#!/bin/sh
# bpftool's text for a clang-compiled tc program after the 6.18 verifier rewrote it (xlated),
# next to the raw xlated instructions it printed. Needs root, clang-19 and bpftool.
#   cd test/goldens/text/bpftool && sh make.sh
set -e
clang-19 -O2 -g -target bpf -mcpu=v4 -I/usr/include/x86_64-linux-gnu -c xlated.c -o /tmp/tcxlab-xlated.o
PIN=/sys/fs/bpf/tcxlab_text_xlated_$$
bpftool prog load /tmp/tcxlab-xlated.o $PIN
bpftool prog dump xlated pinned $PIN > xlated.bpftool.txt
bpftool prog dump xlated pinned $PIN file xlated.bin
{ bpftool version | head -1; uname -r; } > xlated.versions.txt
rm -f $PIN /tmp/tcxlab-xlated.o
