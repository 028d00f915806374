/**
 * @fileoverview Verification cost: ms per `verify` of real programs (the target: the
 * 1,600-instruction selftest test_cls_redirect.c in <= 50 ms), with the processed-instruction and
 * state counts the kernel's log would report.
 */
import { readFileSync } from 'node:fs';
import { loadCollectionSpec } from '../../loader/index.js';
import { verify } from '../../vm/verifier/index.js';
import { verifierOptionsFor } from '../../src/verifier-env.js';
import { Collection } from '../../src/collection.js';
import { compile } from '../../vm/jit/index.js';

const OBJECTS = [
  ['test/bench/data/test_cls_redirect.bpf.o', 'cls_redirect'],
  ['progs/conntrack.bpf.o', 'conntrack'],
  ['progs/nat.bpf.o', 'nat_dnat'],
];

const WARM_UP = 6;
const RUNS = 7;

export function runVerifierBenchmarks() {
  for (const [file, name] of OBJECTS) {
    const spec = loadCollectionSpec(new Uint8Array(readFileSync(new URL(`../../${file}`, import.meta.url))), { programType: 'sched_cls' });
    const prog = spec.programs.find((p) => p.name === name);
    const opts = verifierOptionsFor(spec, prog);
    // the first call in the process, then the steady state: V8 keeps optimizing the verifier
    // over the first few calls (with one warm-up call, the next three took twice the steady time)
    let t0 = process.hrtime.bigint();
    let r = verify(prog.instructions, opts);
    const firstMs = Number(process.hrtime.bigint() - t0) / 1e6;
    for (let k = 0; k < WARM_UP; k++) verify(prog.instructions, opts);
    const times = [];
    for (let k = 0; k < RUNS; k++) {
      t0 = process.hrtime.bigint();
      r = verify(prog.instructions, opts);
      times.push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
    times.sort((a, b) => a - b);
    const ms = times[RUNS >> 1];
    console.log(
      `verify ${name} (${prog.instructions.length / 8} insns): ${ms.toFixed(1)} ms/verify (median of ${RUNS} after ${WARM_UP + 1} warm-up calls; first call ${firstMs.toFixed(1)} ms), processed ${r.processed} insns, ${r.states} states`,
    );
  }
}

/**
 * Issue 11's "load + verify + first JIT compile" of a 1,600-instruction object in a warm
 * process: test_cls_redirect's bytes to a Collection (parse, maps, verification, link) and its
 * program compiled by the JIT, each round from the bytes (a new spec, so nothing is reused); and
 * the same without verification, to show what the verifier's share is. Median ms of `runs`
 * after `warm` rounds.
 */
export function loadVerifyCompileMs(verify = true, warm = 4, runs = 5) {
  const bytes = new Uint8Array(readFileSync(new URL('../../test/bench/data/test_cls_redirect.bpf.o', import.meta.url)));
  const round = () => {
    const t0 = process.hrtime.bigint();
    const coll = Collection.load(bytes, { programType: 'sched_cls', verify });
    compile(coll.program('cls_redirect').linked);
    return Number(process.hrtime.bigint() - t0) / 1e6;
  };
  for (let k = 0; k < warm; k++) round();
  const times = [];
  for (let k = 0; k < runs; k++) times.push(round());
  times.sort((a, b) => a - b);
  return times[runs >> 1];
}

export function runLoadBenchmarks() {
  console.log(`load + verify + first JIT compile, test_cls_redirect (warm process): ${loadVerifyCompileMs(true).toFixed(1)} ms (median of 5)`);
  console.log(`load + first JIT compile without verification (verify: false): ${loadVerifyCompileMs(false, 20, 21).toFixed(2)} ms (median of 21)`);
}
