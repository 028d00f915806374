/**
 * @fileoverview Allocations per program run in the steady state (`npm run bench`): 1,000,000
 * runs of a progs/ bench case on the same skb (BPF_PROG_TEST_RUN with repeat, the path of
 * `tcxlab run --repeat`), per engine, reporting the heap growth and the number of garbage
 * collections V8 did during the runs. Zero GCs over a million runs means no per-run allocation
 * (a single 16-byte object per run would fill the young generation every ~1e5 runs).
 */
import { readFileSync } from 'node:fs';
import { countGcs } from './gc-count.js';
import { kernelCases } from './jit-programs.js';
import { runJob } from '../../src/cli/commands/run.js';
import { parsePackets } from '../../src/cli/load.js';

const root = new URL('../..', import.meta.url);

/** GC count and heap growth over `runs` runs of `c` under `engine` (async: GC entries arrive late). */
export async function allocationsOf(c, engine, runs = 1_000_000) {
  const obj = new Uint8Array(readFileSync(new URL(c.object, root)));
  const packets = parsePackets(readFileSync(new URL(c.packets, root), 'utf8'));
  // Warm the code paths (and the JIT's compile cache per LinkedProgram is per load: see below).
  runJob(obj, c.object, c.program, packets, { sets: c.sets, engine, repeat: 10_000 });
  const { gcs: kinds, stop: stopGcs } = await countGcs();
  const h0 = process.memoryUsage().heapUsed;
  // One job: load + one test run of `runs` repeats. The load allocates (once); the runs must not.
  const out = runJob(obj, c.object, c.program, packets, { sets: c.sets, engine, repeat: runs });
  const h1 = process.memoryUsage().heapUsed;
  await stopGcs();
  if (out.runs?.[0]?.err !== 0) throw new Error(`${c.name}/${engine}: ${JSON.stringify(out).slice(0, 200)}`);
  return { gcs: kinds.minor + kinds.major, major: kinds.major, heapDelta: h1 - h0 };
}

/** Print the allocation figures (called from benchmark.js). */
export async function runAllocationBenchmarks(log = console.log, names = ['baseline_trivial', 'parse_drop_udp', 'chain_mark']) {
  for (const c of kernelCases().filter((k) => names.includes(k.name))) {
    for (const engine of ['interp', 'jit']) {
      const a = await allocationsOf(c, engine);
      log(`allocations, 1,000,000 runs of ${c.name} [${engine}]: ${a.gcs} GCs (${a.major} major), heap ${(a.heapDelta / 1024).toFixed(0)} KiB`);
    }
  }
}
