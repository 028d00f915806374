/**
 * @fileoverview `npm run bench`: benchmark.js suites for the VM. Reports ns per executed
 * instruction for the ALU loop and the memory loop under each available engine, then the JIT,
 * netdev (with a 10 M-packet RSS soak), BTF-target and per-run allocation figures (jit-programs.js, netdev-chain.js,
 * btf-target.js, allocations.js), and the CLI's cold start (cold-start.js, on dist/ as built).
 *
 *   node --import tsx test/bench/benchmark.js
 */
import Benchmark from 'benchmark';
import { decode } from '../../vm/program.js';
import { link } from '../../vm/link.js';
import { Memory } from '../../vm/memory.js';
import { runProgram } from '../../vm/engine.js';
import { aluLoop, memLoop } from './vm-programs.js';
import { runJitBenchmarks } from './jit-programs.js';
import { runNetdevBenchmarks, runNetdevSoak } from './netdev-chain.js';
import { runBtfTargetBenchmark } from './btf-target.js';
import { runAllocationBenchmarks } from './allocations.js';
import { runLoadBenchmarks, runVerifierBenchmarks } from './verifier.js';
import { runColdStartBenchmark } from './cold-start.js';

const engines = ['interp', 'jit'];
const suite = new Benchmark.Suite('vm');
const mem = new Memory();

for (const p of [aluLoop, memLoop]) {
  const prog = link(decode(p.bytes), { name: p.name, helpers: [] });
  for (const engine of engines) {
    // Check once that the program runs to completion with the expected instruction count.
    const r = runProgram(prog, mem, {}, engine);
    if (r.fault || r.insns !== p.insns) {
      throw new Error(`${p.name}/${engine}: ${r.fault ? r.fault.message : `ran ${r.insns} insns, expected ${p.insns}`}`);
    }
    suite.add(`${p.name} [${engine}]`, () => {
      runProgram(prog, mem, {}, engine);
    });
    suite[suite.length - 1].insnsPerRun = p.insns;
  }
}

suite
  .on('cycle', (event) => {
    const b = event.target;
    const nsPerRun = 1e9 / b.hz;
    const nsPerInsn = nsPerRun / b.insnsPerRun;
    console.log(
      `${b.name}: ${nsPerInsn.toFixed(2)} ns/insn (${(nsPerRun / 1000).toFixed(1)} µs/run, ` +
        `${b.insnsPerRun} insns, ±${b.stats.rme.toFixed(1)}%, ${b.stats.sample.length} samples)`,
    );
  })
  .run({ async: false });

runJitBenchmarks();
await runNetdevBenchmarks();
await runNetdevSoak();
runBtfTargetBenchmark();
runVerifierBenchmarks();
runLoadBenchmarks();
await runAllocationBenchmarks();
runColdStartBenchmark();
