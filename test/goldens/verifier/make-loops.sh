#!/bin/sh
# The kernel's verdict, first error line and processed-instruction count for every program of the
# verifier selftests' loop and iterator tests (iters*.c, verifier_loops1.c), which are annotated
# for tracing types or xdp that the corpus recording skips. Each is loaded alone as sched_cls
# (record-objects.sh), so the kernel judges it by the rules tcxlab applies to tc.
# Output: loops.kernel.json. Needs root and libbpf.
#   cd test/goldens/verifier && sh make-loops.sh
set -e
for o in iters iters_looping iters_state_safety verifier_loops1; do
  echo "test/corpus/verifier-selftests/obj/$o.bpf.o"
done | sh record-objects.sh loops.kernel.json
