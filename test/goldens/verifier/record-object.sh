#!/bin/sh
# Builds one test/Makefile area and records the running kernel's verdict, first error and
# processed-instruction count on every program of one of its objects, each loaded alone as
# sched_cls (record-as-tc.sh, load-one.c), into OUT. Used by make-linked.sh, make-tailcall.sh and make-spinlock.sh.
# Needs root, libbpf and clang 19.
#   sh record-object.sh AREA OBJ OUT   (OBJ from the repository root, OUT from the current directory)
set -e
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../../.." && pwd)
OUT=$(pwd)/$3
make -s -C "$ROOT/test" "$1"
BIN=$(mktemp)
gcc -O2 "$HERE/load-one.c" -o "$BIN" -lbpf
(cd "$ROOT" && sh "$HERE/record-as-tc.sh" "$BIN" "$2") > "$OUT"
rm -f "$BIN"
