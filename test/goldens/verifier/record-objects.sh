#!/bin/sh
# Records the running kernel's verdict, first error line and processed-instruction count for
# programs of several objects into one JSON file, OUT: stdin has one line per object,
# `OBJECT [PROG...]` (OBJECT from the repository root; no PROG: every program of it), each program
# loaded alone as sched_cls (record-as-tc.sh, load-one.c); the objects keep the order of the lines.
# Used by make-loops.sh and make-othertypes.sh. Needs root and libbpf.
#   printf 'OBJ PROG...\n' | sh record-objects.sh OUT   (OUT from the current directory)
set -e
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../../.." && pwd)
OUT=$(pwd)/$1
BIN=$(mktemp)
gcc -O2 "$HERE/load-one.c" -o "$BIN" -lbpf
DOCS=$(mktemp -d)
k=0
while read -r obj progs; do
  k=$((k + 1))
  (cd "$ROOT" && sh "$HERE/record-as-tc.sh" "$BIN" "$obj" $progs) > "$DOCS/$(printf %03d $k).json"
done
node -e "
const fs = require('fs');
const docs = fs.readdirSync('$DOCS').sort().map((f) => JSON.parse(fs.readFileSync('$DOCS/' + f, 'utf8')));
const out = { command: docs[0].command, objects: docs.map(({ object, programs }) => ({ object, programs })) };
fs.writeFileSync('$OUT', JSON.stringify(out, null, 1) + '\n');
"
rm -rf "$BIN" "$DOCS"
