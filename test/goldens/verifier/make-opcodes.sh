#!/bin/sh
# For each of the 256 opcode bytes, loads "OP 0,0,0,0 ; r0 = 0 ; exit" (all other fields zero)
# into the running kernel and records whether the verifier calls the opcode unknown
# ("unknown opcode XX") and its last log line. Output: opcodes.kernel.json. Needs root + the kernel oracle
# (TCXLAB_ORACLE, docs/kernel-oracle.md).
#   cd test/goldens/verifier && sh make-opcodes.sh
set -e
: "${TCXLAB_ORACLE:?set TCXLAB_ORACLE to the kernel oracle (docs/kernel-oracle.md)}"
PKT=$(printf '00%.0s' $(seq 1 64))
node -e "
const { execFileSync } = require('child_process');
const res = [];
for (let op = 0; op < 256; op++) {
  const prog = op.toString(16).padStart(2, '0') + '00000000000000' + 'b700000000000000' + '9500000000000000';
  const o = JSON.parse(execFileSync(process.env.TCXLAB_ORACLE, ['raw', prog, '$PKT'], { encoding: 'utf8' }));
  const log = (o.verifier_log || '').split('\n').filter((l) => l && !l.startsWith('processed'));
  res.push({ op, prog, loaded: o.loaded, load_error: o.load_error ?? null, last: log[log.length - 1] ?? '' });
}
const doc = { command: 'oracle raw PROGHEX PKT per opcode (sched_cls, GPL, root), kernel ' + require('os').release(), cases: res };
require('fs').writeFileSync('opcodes.kernel.json', JSON.stringify(doc, null, 1) + '\n');
"
