#!/bin/sh
# Builds linked-regs.bpf.o (test/Makefile area verifier-linked, clang 19) and records the kernel's verdict, first error and
# processed count on each of its programs (../record-as-tc.sh, ../load-one.c) into
# linked-regs.kernel.json. Needs root and libbpf.
#   cd test/goldens/verifier/linked && sh make-linked.sh
set -e
HERE=$(pwd)
ROOT=$(cd ../../../.. && pwd)
make -s -C "$ROOT/test" verifier-linked
BIN=$(mktemp)
gcc -O2 ../load-one.c -o "$BIN" -lbpf
(cd "$ROOT" && sh "$HERE/../record-as-tc.sh" "$BIN" test/goldens/verifier/linked/linked-regs.bpf.o) > linked-regs.kernel.json
rm -f "$BIN"
