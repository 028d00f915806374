/**
 * @fileoverview Verification cost: ms per `verify` of real programs (the target: the
 * 1,600-instruction selftest test_cls_redirect.c in <= 50 ms), with the processed-instruction and
 * state counts the kernel's log would report.
 */
import { readFileSync } from 'node:fs';
import { loadCollectionSpec } from '../../loader/index.js';
import { verify } from '../../vm/verifier/index.js';
import { verifierOptionsFor } from '../../src/verifier-env.js';

const OBJECTS = [
  ['test/bench/data/test_cls_redirect.bpf.o', 'cls_redirect'],
  ['progs/conntrack.bpf.o', 'conntrack'],
  ['progs/nat.bpf.o', 'nat_dnat'],
];

export function runVerifierBenchmarks() {
  for (const [file, name] of OBJECTS) {
    const spec = loadCollectionSpec(new Uint8Array(readFileSync(new URL(`../../${file}`, import.meta.url))), { programType: 'sched_cls' });
    const prog = spec.programs.find((p) => p.name === name);
    const opts = verifierOptionsFor(spec, prog);
    let r = verify(prog.instructions, opts); // warm-up
    const runs = 3;
    const t0 = process.hrtime.bigint();
    for (let k = 0; k < runs; k++) r = verify(prog.instructions, opts);
    const ms = Number(process.hrtime.bigint() - t0) / 1e6 / runs;
    console.log(
      `verify ${name} (${prog.instructions.length / 8} insns): ${ms.toFixed(1)} ms/verify, processed ${r.processed} insns, ${r.states} states`,
    );
  }
}
