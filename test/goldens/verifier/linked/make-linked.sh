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
(cd "$ROOT" && sh "$HERE/../record-as-tc.sh" "$BIN" test/goldens/verifier/linked/linked-regs.bpf.o) | node -e "
const doc = JSON.parse(require('fs').readFileSync(0, 'utf8'));
const out = { command: 'test/goldens/verifier/load-one.c OBJ PROG (libbpf, sched_cls, log level 1, root), kernel ' + require('os').release(), ...doc };
require('fs').writeFileSync('linked-regs.kernel.json', JSON.stringify(out, null, 1) + '\n');
"
rm -f "$BIN"
