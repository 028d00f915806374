/**
 * @fileoverview JIT benchmarks for `npm run bench` (hooked into benchmark.js):
 *   - compile time of a 1,000-instruction program (fresh LinkedProgram each time, no cache);
 *   - ns per packet of the progs/ bench objects (bench_parse, bench_fw, bench_nat, bench_chain)
 *     and of a real program, the Linux selftest test_cls_redirect (test/bench/data, the cr_*
 *     cases), under the interpreter and the JIT, through the same BPF_PROG_TEST_RUN path as
 *     `tcxlab run --repeat`, next to the kernel's figures recorded in
 *     test/goldens/bench-kernel/kernel-timing.json (x86-64 JIT, same machine).
 *
 * The per-packet part alone, for some cases (kernel-timing.json names):
 *
 *   node --import tsx test/bench/jit-programs.js [case...]
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { asm } from '../../vm/asm.js';
import { decode } from '../../vm/program.js';
import { link } from '../../vm/link.js';
import { compile } from '../../vm/jit/index.js';
import { runJob } from '../../src/cli/commands/run.js';
import { parsePackets } from '../../src/cli/load.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** A 1,000-instruction program: ALU, stack stores/loads and forward branches. */
export function bigProgram() {
  const lines = [];
  for (let k = 0; k < 999; k++) {
    switch (k % 5) {
      case 0: lines.push('add %r0, 3'); break;
      case 1: lines.push('stxdw [%r10-16], %r0'); break;
      case 2: lines.push('ldxdw %r1, [%r10-16]'); break;
      case 3: lines.push('xor %r0, %r1'); break;
      default: lines.push('jgt %r0, 5, +0'); break;
    }
  }
  lines.push('exit');
  return decode(asm`${lines.join('\n')}`);
}

/** Median wall time (ms) of compiling `code` `n` times, each as a new LinkedProgram. */
export function compileTimeMs(code, n = 200) {
  const times = [];
  for (let k = 0; k < n; k++) {
    const prog = link(code, { name: 'big', helpers: [] });
    const t0 = process.hrtime.bigint();
    compile(prog);
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  times.sort((a, b) => a - b);
  return times[times.length >> 1];
}

/** The kernel figures and the commands that produced them. */
export function kernelCases() {
  const j = JSON.parse(readFileSync(`${root}/test/goldens/bench-kernel/kernel-timing.json`, 'utf8'));
  return j.results
    .map((r) => {
      const words = r.command.split(/\s+/);
      const sets = [];
      for (let i = 0; i < words.length; i++) if (words[i] === '--set') sets.push({ map: words[i + 1], key: words[i + 2], value: words[i + 3] });
      return { name: r.name, object: r.object, program: r.program, packets: r.packets, sets, kernelNs: r.duration_ns, retval: r.retval };
    });
}

/**
 * ns per packet of one case under `engine`: the kernel-style average over `repeat` runs on the
 * same skb. Each call loads a fresh Collection (a new LinkedProgram, so the JIT compiles again
 * and V8 warms the new code up): callers take the best of a few rounds.
 */
export function packetNs(c, engine, repeat = 100000) {
  const obj = readFileSync(`${root}/${c.object}`);
  const packets = parsePackets(readFileSync(`${root}/${c.packets}`, 'utf8'));
  const out = runJob(new Uint8Array(obj), c.object, c.program, packets, { sets: c.sets, engine, repeat });
  const run = out.runs?.[0];
  if (!run || run.err !== 0) throw new Error(`${c.name}/${engine}: ${JSON.stringify(out).slice(0, 300)}`);
  return { ns: run.duration_ns, retval: run.retval };
}

/** Print the JIT figures (called from benchmark.js after the suite); `names`: only those cases, no compile time. */
export function runJitBenchmarks(log = console.log, names = []) {
  if (names.length === 0) {
    const code = bigProgram();
    log(`jit compile, ${code.length} insns: ${compileTimeMs(code).toFixed(2)} ms (median of 200)`);
  }
  const best = (c, engine) => {
    let r = packetNs(c, engine);
    for (let k = 0; k < 2; k++) {
      const n = packetNs(c, engine);
      if (n.ns < r.ns) r = n;
    }
    return r;
  };
  for (const c of kernelCases()) {
    if (names.length && !names.includes(c.name)) continue;
    const i = best(c, 'interp');
    const j = best(c, 'jit');
    log(
      `${c.name} (${c.program}): interp ${i.ns} ns/packet, jit ${j.ns} ns/packet (${(i.ns / j.ns).toFixed(1)}x), ` +
        `kernel ${c.kernelNs} ns/packet (jit/kernel ${(j.ns / c.kernelNs).toFixed(1)}x); retval ${j.retval}, kernel ${c.retval}`,
    );
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) runJitBenchmarks(console.log, process.argv.slice(2));
