#!/bin/sh
# The kernel's verdict, first error line and processed-instruction count for every program of
# another type (raw_tracepoint, cgroup_skb, xdp, tracepoint, ...) in the verifier selftests'
# objects: the corpus recording lists them with a null verdict and does not load them
# (test/goldens/verifier-selftests/*.json). Each is loaded alone as sched_cls (record-as-tc.sh,
# load-one.c), so the kernel judges it by the rules tcxlab applies to tc: the generic rules
# (bounds, pruning, loops, stack, calls) and, where the program reads a context field or calls a
# helper that sched_cls does not allow, the refusal tcxlab must give too. The programs that
# make-loops.sh and make-callbacks.sh already record are left out.
# Output: othertypes.kernel.json. Needs root and libbpf.
#   cd test/goldens/verifier && sh make-othertypes.sh
set -e
HERE=$(pwd)
ROOT=$(cd ../../.. && pwd)
BIN=$(mktemp)
gcc -O2 load-one.c -o "$BIN" -lbpf
DOCS=$(mktemp -d)
# one line per object: OBJECT PROG...
node -e "
const fs = require('fs');
const dir = '$ROOT/test/goldens/verifier-selftests/';
const done = new Set();
for (const f of ['loops.kernel.json', 'callbacks.kernel.json']) {
  const j = JSON.parse(fs.readFileSync(f, 'utf8'));
  for (const o of j.objects ?? [j]) for (const p of o.programs) done.add(o.object + ' ' + p.name);
}
for (const f of fs.readdirSync(dir).sort()) {
  const j = JSON.parse(fs.readFileSync(dir + f, 'utf8'));
  const names = j.programs.filter((p) => p.verdict === null && !done.has(j.object + ' ' + p.name)).map((p) => p.name);
  if (names.length) console.log(j.object + ' ' + names.join(' '));
}
" > "$DOCS/list"
k=0
while read -r obj progs; do
  k=$((k + 1))
  (cd "$ROOT" && sh "$HERE/record-as-tc.sh" "$BIN" "$obj" $progs) > "$DOCS/$(printf %03d $k).json"
done < "$DOCS/list"
rm "$DOCS/list"
node -e "
const fs = require('fs');
const docs = fs.readdirSync('$DOCS').sort().map((f) => JSON.parse(fs.readFileSync('$DOCS/' + f, 'utf8')));
const out = { command: docs[0].command, objects: docs.map(({ object, programs }) => ({ object, programs })) };
fs.writeFileSync('othertypes.kernel.json', JSON.stringify(out, null, 1) + '\n');
"
rm -rf "$BIN" "$DOCS"
