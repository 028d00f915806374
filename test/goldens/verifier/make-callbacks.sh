#!/bin/sh
# The kernel's verdict, first error line and processed-instruction count for the callback
# programs of the verifier selftests (verifier_iterating_callbacks.c) that the corpus recording
# skips because they are annotated for raw_tracepoint: none reads its context, so each is loaded
# as sched_cls, one at a time (record-as-tc.sh, load-one.c). Output: callbacks.kernel.json.
# Needs root and libbpf.
#   cd test/goldens/verifier && sh make-callbacks.sh
set -e
HERE=$(pwd)
ROOT=$(cd ../../.. && pwd)
BIN=$(mktemp)
gcc -O2 load-one.c -o "$BIN" -lbpf
OBJ=test/corpus/verifier-selftests/obj/verifier_iterating_callbacks.bpf.o
PROGS="unsafe_on_2nd_iter unsafe_on_zero_iter widening loop_detection unsafe_for_each_map_elem"
PROGS="$PROGS bpf_loop_iter_limit_ok bpf_loop_iter_limit_overflow bpf_loop_iter_limit_nested iter_limit_bug"
(cd "$ROOT" && sh "$HERE/record-as-tc.sh" "$BIN" "$OBJ" $PROGS) > callbacks.kernel.json
rm -f "$BIN"
