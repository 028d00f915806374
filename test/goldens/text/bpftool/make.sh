#!/bin/sh
# bpftool's text for a clang-compiled tc program after the 6.18 verifier rewrote it (xlated),
# next to the raw xlated instructions it printed. Needs root, clang-19 and bpftool.
#   cd test/goldens/text/bpftool && sh make.sh
set -e
make -s -C ../../.. goldens/text/bpftool/xlated.o   # test/Makefile, the pinned build (not committed)
PIN=/sys/fs/bpf/tcxlab_text_xlated_$$
bpftool prog load xlated.o $PIN
bpftool prog dump xlated pinned $PIN > xlated.bpftool.txt
bpftool prog dump xlated pinned $PIN file xlated.bin
{ bpftool version | head -1; uname -r; } > xlated.versions.txt
rm -f $PIN xlated.o
