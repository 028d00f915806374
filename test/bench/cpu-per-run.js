/**
 * @fileoverview CPU ns per program run on the BPF_PROG_TEST_RUN path, robust to a loaded
 * machine: the process CPU time of a job with 201,000 repeats minus that of a job with 1,000
 * (load, verify, JIT compile and skb setup cancel out), divided by 200,000; best of 5. Wall-clock
 * figures (jit-programs.js) swing by 2-5x when other jobs share the cores; CPU time much less.
 *
 *   node --import tsx test/bench/cpu-per-run.js [case...]     (cases: kernel-timing.json names)
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { kernelCases } from './jit-programs.js';
import { runJob } from '../../src/cli/commands/run.js';
import { parsePackets } from '../../src/cli/load.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

function cpuNs(f) {
  const c0 = process.cpuUsage();
  f();
  const c = process.cpuUsage(c0);
  return (c.user + c.system) * 1000;
}

/** CPU ns per run of case `c` under `engine`. */
export function cpuPerRun(c, engine, r1 = 1000, r2 = 201_000, rounds = 5) {
  const obj = new Uint8Array(readFileSync(`${root}/${c.object}`));
  const packets = parsePackets(readFileSync(`${root}/${c.packets}`, 'utf8'));
  let best = Infinity;
  for (let k = 0; k < rounds; k++) {
    const a = cpuNs(() => runJob(obj, c.object, c.program, packets, { sets: c.sets, engine, repeat: r1 }));
    const b = cpuNs(() => runJob(obj, c.object, c.program, packets, { sets: c.sets, engine, repeat: r2 }));
    best = Math.min(best, (b - a) / (r2 - r1));
  }
  return best;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const names = process.argv.slice(2);
  for (const c of kernelCases()) {
    if (names.length && !names.includes(c.name)) continue;
    const i = cpuPerRun(c, 'interp');
    const j = cpuPerRun(c, 'jit');
    console.log(`${c.name} (${c.program}): interp ${i.toFixed(0)} ns, jit ${j.toFixed(0)} ns CPU per run; kernel ${c.kernelNs} ns (jit/kernel ${(j / c.kernelNs).toFixed(1)}x)`);
  }
}
