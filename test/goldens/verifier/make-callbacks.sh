#!/bin/sh
# The kernel's verdict, first error line and processed-instruction count for the callback
# programs of the verifier selftests (verifier_iterating_callbacks.c) that the corpus recording
# skips because they are annotated for raw_tracepoint: none reads its context, so each is loaded
# as sched_cls, one at a time (load-one.c). Output: callbacks.kernel.json. Needs root and libbpf.
#   cd test/goldens/verifier && sh make-callbacks.sh
set -e
ROOT=$(cd ../../.. && pwd)
BIN=$(mktemp)
gcc -O2 load-one.c -o "$BIN" -lbpf
OBJ=test/corpus/verifier-selftests/obj/verifier_iterating_callbacks.bpf.o
PROGS="unsafe_on_2nd_iter unsafe_on_zero_iter widening loop_detection unsafe_for_each_map_elem"
PROGS="$PROGS bpf_loop_iter_limit_ok bpf_loop_iter_limit_overflow bpf_loop_iter_limit_nested iter_limit_bug"
OUT=$(mktemp -d)
for p in $PROGS; do (cd "$ROOT" && "$BIN" "$OBJ" "$p") > "$OUT/$p.log" 2>/dev/null; done
node -e "
const fs = require('fs');
const programs = '$PROGS'.split(/\s+/).filter(Boolean).map((name) => {
  const lines = fs.readFileSync('$OUT/' + name + '.log', 'utf8').trimEnd().split('\n');
  const load = Number(lines.pop().replace('load: ', ''));
  const processed = Number(/processed (\d+) insns/.exec(lines.join('\n'))[1]);
  // the first error line follows the failing instruction, the last one the log prints
  let last = -1;
  lines.forEach((l, k) => { if (/^\d+: \(/.test(l)) last = k; });
  const message = load === 0 ? null : lines[last + 1];
  return { name, verdict: load === 0 ? 'accept' : 'reject', errno: -load, message, processed };
});
const doc = { command: 'test/goldens/verifier/load-one.c OBJ PROG (libbpf, sched_cls, log level 1, root), kernel ' + require('os').release(), object: '$OBJ', programs };
fs.writeFileSync('callbacks.kernel.json', JSON.stringify(doc, null, 1) + '\n');
"
rm -rf "$BIN" "$OUT"
