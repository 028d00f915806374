#!/bin/sh
# The kernel's processed-instruction count (bpf_prog_info.verified_insns, the "processed N insns"
# of the verifier log) for every program of the committed objects that load as sched_cls:
# test/bench/data/test_cls_redirect.bpf.o and progs/*.bpf.o. Output:
# processed-objects.kernel.json. Needs root and libbpf (test/bench/verified-insns.c).
#   cd test/goldens/verifier && sh make-processed.sh
set -e
ROOT=$(cd ../../.. && pwd)
BIN=$(mktemp)
gcc -O2 "$ROOT/test/bench/verified-insns.c" -o "$BIN" -lbpf
OUT=$(mktemp)
HERE=$(pwd)
cd "$ROOT"
for f in test/bench/data/test_cls_redirect.bpf.o progs/*.bpf.o; do
  # objects the kernel refuses as a whole are left out (the loader tests cover them)
  "$BIN" "$f" 2>/dev/null | sed "s|^|$f |" >> "$OUT" || true
done
cd "$HERE"
node -e "
const lines = require('fs').readFileSync('$OUT', 'utf8').trim().split('\n');
const programs = lines.map((l) => { const [object, name, , n] = l.split(' '); return { object, name, verified_insns: Number(n) }; });
const doc = { command: 'test/bench/verified-insns.c OBJ (libbpf, every program as sched_cls, root), kernel ' + require('os').release(), programs };
require('fs').writeFileSync('processed-objects.kernel.json', JSON.stringify(doc, null, 1) + '\n');
"
rm -f "$BIN" "$OUT"
