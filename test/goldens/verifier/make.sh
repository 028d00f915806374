#!/bin/sh
# Loads every program of cases.asm into the running kernel (sched_cls, GPL, as root) through the
# oracle and records its verdict and verifier log in cases.kernel.json. The programs are
# assembled with our assembler (input bytes only; the verdicts are the kernel's).
#   cd test/goldens/verifier && sh make.sh
#   CASES=ctx-cases.asm OUT=ctx-cases.kernel.json sh make.sh
#   LOGLEVEL=4 ... also keeps the log (with its "processed N insns" line) of accepted programs
set -e
: "${TCXLAB_ORACLE:?set TCXLAB_ORACLE to the kernel oracle (docs/kernel-oracle.md)}"
PKT=$(printf '00%.0s' $(seq 1 64))
npx tsx -e "
import { assemble } from '../../../vm/asm.ts';
import { readFileSync, writeFileSync } from 'node:fs';
const parts = readFileSync('${CASES:-cases.asm}', 'utf8').split(/^== /m).slice(1);
const out = parts.map((p) => { const [name, ...body] = p.split('\n'); return { name: name.trim(), prog: Buffer.from(assemble(body.join('\n'))).toString('hex') }; });
writeFileSync('/tmp/tcxlab-verifier-cases.json', JSON.stringify(out));
"
node -e "
const { execFileSync } = require('child_process');
const cases = JSON.parse(require('fs').readFileSync('/tmp/tcxlab-verifier-cases.json', 'utf8'));
const res = cases.map((c) => {
  const extra = process.env.LOGLEVEL ? ['--log-level', process.env.LOGLEVEL] : [];
  const o = JSON.parse(execFileSync(process.env.TCXLAB_ORACLE, ['raw', c.prog, '$PKT', ...extra], { encoding: 'utf8' }));
  return { name: c.name, prog: c.prog, loaded: o.loaded, load_error: o.load_error ?? null, verifier_log: o.verifier_log ?? '' };
});
const doc = { command: 'oracle raw PROGHEX PKT (sched_cls, GPL, root), kernel ' + require('os').release(), cases: res };
require('fs').writeFileSync('${OUT:-cases.kernel.json}', JSON.stringify(doc, null, 1) + '\n');
"
rm -f /tmp/tcxlab-verifier-cases.json
