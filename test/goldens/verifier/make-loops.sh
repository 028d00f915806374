#!/bin/sh
# The kernel's verdict, first error line and processed-instruction count for every program of the
# verifier selftests' loop and iterator tests (iters*.c, verifier_loops1.c), which are annotated
# for tracing types or xdp that the corpus recording skips. Each is loaded alone as sched_cls
# (record-as-tc.sh, load-one.c), so the kernel judges it by the rules tcxlab applies to tc.
# Output: loops.kernel.json. Needs root and libbpf.
#   cd test/goldens/verifier && sh make-loops.sh
set -e
HERE=$(pwd)
ROOT=$(cd ../../.. && pwd)
BIN=$(mktemp)
gcc -O2 load-one.c -o "$BIN" -lbpf
DOCS=$(mktemp -d)
for o in iters iters_looping iters_state_safety verifier_loops1; do
  (cd "$ROOT" && sh "$HERE/record-as-tc.sh" "$BIN" "test/corpus/verifier-selftests/obj/$o.bpf.o") > "$DOCS/$o.json"
done
node -e "
const fs = require('fs');
const docs = fs.readdirSync('$DOCS').sort().map((f) => JSON.parse(fs.readFileSync('$DOCS/' + f, 'utf8')));
const out = { command: docs[0].command, objects: docs.map(({ object, programs }) => ({ object, programs })) };
fs.writeFileSync('loops.kernel.json', JSON.stringify(out, null, 1) + '\n');
"
rm -rf "$BIN" "$DOCS"
