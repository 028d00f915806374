#!/bin/sh
# Builds the pinning fixtures pin_*.bpf.o (test/net/pinning.test.ts, pinning.net).
#   sh test/goldens/net/build-pin.sh     (needs clang-19)
# No kernel goldens: tc here (iproute2 6.1 on libbpf 1.1) refuses SEC("maps") definitions, and
# sharing pins is the loader's (iproute2's) doing, not the kernel's.
set -eu
cd "$(dirname "$0")"
for f in pin_a pin_b pin_btf pin_clash; do
	clang-19 -O2 -g -target bpf -mcpu=v3 -Wall -fno-ident -fdebug-prefix-map="$(pwd)"=. \
		-I/usr/include/x86_64-linux-gnu -c $f.bpf.c -o $f.bpf.o
done
