#!/bin/sh
# Records the 6.18 kernel's own text for every instruction of the *.asm programs here.
# The kernel prints each instruction with kernel/bpf/disasm.c in the verifier log at log level 2
# ("Live regs before insn:" section). The .asm files are assembled with our assembler only to
# make the input bytes; the expected text is the kernel's. Needs root and the kernel oracle
# in TCXLAB_ORACLE (docs/kernel-oracle.md).
#   cd test/goldens/text/kernel && sh make.sh
set -e
oracle=${TCXLAB_ORACLE:?set TCXLAB_ORACLE to the kernel oracle (docs/kernel-oracle.md)}
PKT=$(printf '00%.0s' $(seq 1 64))
for f in *.asm; do
  name=${f%.asm}
  hex=$(npx tsx -e "import {assemble} from '../../../../vm/asm.ts'; import {readFileSync} from 'node:fs'; process.stdout.write(Buffer.from(assemble(readFileSync('$f','utf8'))).toString('hex'))")
  "$oracle" raw "$hex" "$PKT" --log-level 2 > "$name.tmp"
  node -e "const o=JSON.parse(require('fs').readFileSync('$name.tmp','utf8')); process.stdout.write(JSON.stringify({command:'oracle raw PROGHEX PKT --log-level 2 (kernel '+require('os').release()+')', prog:'$hex', loaded:o.loaded, load_error:o.load_error, verifier_log:o.verifier_log}, null, 1)+'\n')" > "$name.kernel.json"
  rm -f "$name.tmp"
done
