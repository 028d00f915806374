#!/bin/sh
# 400 seeded random programs of ctx (__sk_buff) loads and stores through r1 and a copy in r6,
# loaded into the running kernel as sched_cls; records verdicts and logs in
# ctx-random.kernel.json. Needs root and the kernel oracle
# (TCXLAB_ORACLE, docs/kernel-oracle.md).
#   cd test/goldens/verifier && sh make-ctx-random.sh
set -e
: "${TCXLAB_ORACLE:?set TCXLAB_ORACLE to the kernel oracle (docs/kernel-oracle.md)}"
PKT=$(printf '00%.0s' $(seq 1 64))
npx tsx -e "
import { assemble } from '../../../vm/asm.ts';
import { writeFileSync } from 'node:fs';
let seed = 2026;
const rnd = (n: number) => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 8) % n;
const sizes = ['b', 'h', 'w', 'dw'];
const bytes = [1, 2, 4, 8];
const out = [];
for (let n = 0; n < 400; n++) {
  const lines = ['mov %r2, 1', 'mov %r6, %r1'];
  const k = 1 + rnd(3);
  for (let j = 0; j < k; j++) {
    const base = rnd(2) ? '%r1' : '%r6';
    const s = rnd(4);
    const off = rnd(4) === 0 ? rnd(200) - 4 : bytes[s] * rnd(Math.ceil(196 / bytes[s]));
    const mem = '[' + base + (off < 0 ? off : '+' + off) + ']';
    const what = rnd(10);
    if (what < 5) lines.push((rnd(5) === 0 && s < 3 ? 'ldxs' : 'ldx') + sizes[s] + ' %r3, ' + mem);
    else if (what < 8) lines.push('stx' + sizes[s] + ' ' + mem + ', %r2');
    else if (what < 9) lines.push('st' + sizes[s] + ' ' + mem + ', 7');
    else lines.push('add ' + base + ', ' + (rnd(3) * 4));
  }
  lines.push('mov %r0, 0', 'exit');
  out.push({ name: 'r' + n, asm: lines.join('\n'), prog: Buffer.from(assemble(lines.join('\n'))).toString('hex') });
}
writeFileSync('/tmp/tcxlab-ctx-random.json', JSON.stringify(out));
"
node -e "
const { execFileSync } = require('child_process');
const cases = JSON.parse(require('fs').readFileSync('/tmp/tcxlab-ctx-random.json', 'utf8'));
const res = cases.map((c) => {
  const o = JSON.parse(execFileSync(process.env.TCXLAB_ORACLE, ['raw', c.prog, '$PKT'], { encoding: 'utf8' }));
  const log = (o.verifier_log || '').split('\n').filter((l) => l && !l.startsWith('processed'));
  return { name: c.name, asm: c.asm, prog: c.prog, loaded: o.loaded, load_error: o.load_error ?? null, last: log[log.length - 1] ?? '' };
});
const doc = { command: 'oracle raw PROGHEX PKT (sched_cls, GPL, root), kernel ' + require('os').release(), cases: res };
require('fs').writeFileSync('ctx-random.kernel.json', JSON.stringify(doc, null, 1) + '\n');
"
rm -f /tmp/tcxlab-ctx-random.json
