#!/bin/sh
# 400 seeded random programs that load data/data_end, compare data + N with data_end once or
# twice in random forms (JGT/JGE/JLT/JLE, either operand order, exiting on the taken branch or
# not at all), then access the packet once at a random offset and size; loaded into the running
# kernel as sched_cls. Writes
# pkt-random.kernel.json. Needs root and the kernel oracle
# (TCXLAB_ORACLE, docs/kernel-oracle.md).
#   cd test/goldens/verifier && sh make-pkt-random.sh
set -e
: "${TCXLAB_ORACLE:?set TCXLAB_ORACLE to the kernel oracle (docs/kernel-oracle.md)}"
PKT=$(printf '00%.0s' $(seq 1 64))
npx tsx -e "
import { assemble } from '../../../vm/asm.ts';
import { writeFileSync } from 'node:fs';
let seed = 4242;
const rnd = (n: number) => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 8) % n;
const sizes = ['b', 'h', 'w', 'dw'];
const out = [];
for (let n = 0; n < 400; n++) {
  const lines = ['mov %r0, 0', 'ldxw %r2, [%r1+76]', 'ldxw %r3, [%r1+80]'];
  const checks = 1 + rnd(2);
  let kmax = 0;
  for (let c = 0; c < checks; c++) {
    const k = rnd(6) === 0 ? 0 : rnd(30);
    kmax = Math.max(kmax, k);
    lines.push('mov %r4, %r2', 'add %r4, ' + k);
    const op = ['jgt', 'jge', 'jlt', 'jle'][rnd(4)];
    const swap = rnd(2) === 1;
    lines.push(op + ' ' + (swap ? '%r3, %r4' : '%r4, %r3') + ', ' + (rnd(5) === 0 ? '+0' : 'out'));
  }
  // one access at the end, so that the first error is the only one
  const s = rnd(4);
  const viaR4 = rnd(3) === 0;
  const off = rnd(8) === 0 ? -rnd(3) : rnd(kmax + 6);
  const mem = '[%r' + (viaR4 ? 4 : 2) + (off < 0 ? off : '+' + off) + ']';
  lines.push(rnd(4) === 0 ? 'stx' + sizes[s] + ' ' + mem + ', %r0' : 'ldx' + sizes[s] + ' %r5, ' + mem);
  lines.push('mov %r0, 0', 'exit', 'out:', 'mov %r0, 0', 'exit');
  out.push({ name: 'p' + n, asm: lines.join('\n'), prog: Buffer.from(assemble(lines.join('\n'))).toString('hex') });
}
writeFileSync('/tmp/tcxlab-pkt-random.json', JSON.stringify(out));
"
node -e "
const { execFileSync } = require('child_process');
const cases = JSON.parse(require('fs').readFileSync('/tmp/tcxlab-pkt-random.json', 'utf8'));
const res = cases.map((c) => {
  const o = JSON.parse(execFileSync(process.env.TCXLAB_ORACLE, ['raw', c.prog, '$PKT'], { encoding: 'utf8' }));
  const log = (o.verifier_log || '').split('\n').filter((l) => l && !l.startsWith('processed'));
  return { name: c.name, asm: c.asm, prog: c.prog, loaded: o.loaded, load_error: o.load_error ?? null, last: log[log.length - 1] ?? '' };
});
const doc = { command: 'oracle raw PROGHEX PKT (sched_cls, GPL, root), kernel ' + require('os').release(), cases: res };
require('fs').writeFileSync('pkt-random.kernel.json', JSON.stringify(doc, null, 1) + '\n');
"
rm -f /tmp/tcxlab-pkt-random.json
