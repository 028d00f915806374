#!/bin/sh
# Prints, as JSON, the running kernel's verdict, errno, first error line and processed-instruction
# count for programs of one object, each loaded alone as sched_cls with log level 1 (load-one.c),
# with the recording command and kernel release.
# Programs default to every program of the object (its functions outside .text). Needs root, libbpf.
#   sh record-as-tc.sh LOAD_ONE_BINARY OBJ [PROG...] > out.json
set -e
BIN=$1
OBJ=$2
shift 2
PROGS="$*"
[ -n "$PROGS" ] || PROGS=$(llvm-objdump-19 -t "$OBJ" | awk '$3 == "F" && $4 != ".text" { print $NF }' | sort | tr "\n" " ")
OUT=$(mktemp -d)
for p in $PROGS; do "$BIN" "$OBJ" "$p" > "$OUT/$p.log" 2>/dev/null || true; done
node -e "
const fs = require('fs');
const programs = '$PROGS'.split(/\s+/).filter(Boolean).map((name) => {
  const lines = fs.readFileSync('$OUT/' + name + '.log', 'utf8').trimEnd().split('\n');
  const load = Number(lines.pop().replace('load: ', ''));
  const m = /processed (\d+) insns/.exec(lines.join('\n'));
  // the first error line follows the failing instruction, the last one the log prints
  let last = -1;
  lines.forEach((l, k) => { if (/^\d+: \(/.test(l)) last = k; });
  const message = load === 0 ? null : lines[last + 1] ?? null;
  return { name, verdict: load === 0 ? 'accept' : 'reject', errno: -load, message, processed: m ? Number(m[1]) : null };
});
const command = 'test/goldens/verifier/load-one.c OBJ PROG (libbpf, sched_cls, log level 1, root), kernel ' + require('os').release();
process.stdout.write(JSON.stringify({ command, object: '$OBJ', programs }, null, 1) + '\n');
"
rm -rf "$OUT"
