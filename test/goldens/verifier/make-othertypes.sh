#!/bin/sh
# The kernel's verdict, first error line and processed-instruction count for every program of
# another type (raw_tracepoint, cgroup_skb, xdp, tracepoint, ...) in the verifier selftests'
# objects: the corpus recording lists them with a null verdict and does not load them
# (test/goldens/verifier-selftests/*.json). Each is loaded alone as sched_cls (record-objects.sh),
# so the kernel judges it by the rules tcxlab applies to tc: the generic rules (bounds, pruning,
# loops, stack, calls) and, where the program reads a context field or calls a helper that
# sched_cls does not allow, the refusal tcxlab must give too. The programs that
# make-loops.sh and make-callbacks.sh already record are left out.
# Output: othertypes.kernel.json. Needs root and libbpf.
#   cd test/goldens/verifier && sh make-othertypes.sh
set -e
ROOT=$(cd ../../.. && pwd)
LIST=$(mktemp)
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
" > "$LIST"
sh record-objects.sh othertypes.kernel.json < "$LIST"
rm -f "$LIST"
