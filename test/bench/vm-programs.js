/**
 * @fileoverview Benchmark programs for the VM (shared by the interpreter and, later, the JIT):
 * an ALU loop and a memory (stack load/store) loop, with their executed-instruction counts.
 */
import { asm } from '../../vm/asm.js';

/** Loop iterations per run. */
export const ITERATIONS = 10_000;

/**
 * ALU loop: 64-bit and 32-bit arithmetic, a shift, a multiply and a conditional back edge.
 * 2 setup + 8 per iteration + 1 exit instructions.
 */
export const aluLoop = {
  name: 'alu-loop',
  bytes: asm`
    mov %r0, 0
    mov %r1, ${ITERATIONS}
  loop:
    add %r0, %r1
    xor %r0, 0x5a5a
    mul %r0, 3
    rsh %r0, 1
    add32 %r2, %r1
    sub %r1, 1
    mov %r3, %r0
    jne %r1, 0, loop
    exit
  `,
  insns: 2 + 8 * ITERATIONS + 1,
};

/**
 * Memory loop: load, modify and store 8- and 4-byte stack slots each iteration.
 * 4 setup + 8 per iteration + 2 exit instructions.
 */
export const memLoop = {
  name: 'mem-loop',
  bytes: asm`
    mov %r1, ${ITERATIONS}
    stdw [%r10-8], 0
    stw [%r10-16], 0
    mov %r2, %r10
  loop:
    ldxdw %r3, [%r10-8]
    add %r3, %r1
    stxdw [%r10-8], %r3
    ldxw %r4, [%r2-16]
    add32 %r4, 1
    stxw [%r2-16], %r4
    sub %r1, 1
    jne %r1, 0, loop
    ldxdw %r0, [%r10-8]
    exit
  `,
  insns: 4 + 8 * ITERATIONS + 2,
};

/**
 * Run directly (`node --import tsx test/bench/vm-programs.js [rounds]`): both loops under both
 * engines, interleaved, CPU time (process.cpuUsage), best of the rounds, and interp/jit ratios
 * from the same run. (`npm run bench` measures the same programs with benchmark.js.)
 */
async function main() {
  const { decode } = await import('../../vm/program.js');
  const { link } = await import('../../vm/link.js');
  const { Memory } = await import('../../vm/memory.js');
  const { runProgram } = await import('../../vm/engine.js');
  const rounds = Number(process.argv[2] ?? 9);
  const cpuNs = () => {
    const u = process.cpuUsage();
    return (u.user + u.system) * 1000;
  };
  const best = new Map();
  const progs = [aluLoop, memLoop].map((p) => ({ p, prog: link(decode(p.bytes), { name: p.name, helpers: [] }) }));
  const mem = new Memory();
  for (let r = 0; r < rounds; r++) {
    for (const { p, prog } of progs) {
      for (const engine of ['interp', 'jit']) {
        const res = runProgram(prog, mem, {}, engine);
        if (res.fault || res.insns !== p.insns) throw new Error(`${p.name}/${engine}: wrong run`);
        // about 20 ms per measurement under either engine
        const n = engine === 'jit' ? 200 : 25;
        const t0 = cpuNs();
        for (let k = 0; k < n; k++) runProgram(prog, mem, {}, engine);
        const ns = (cpuNs() - t0) / n / p.insns;
        const key = `${p.name} ${engine}`;
        best.set(key, Math.min(best.get(key) ?? Infinity, ns));
      }
    }
  }
  for (const { p } of progs) {
    const i = best.get(`${p.name} interp`);
    const j = best.get(`${p.name} jit`);
    console.log(`${p.name}: interp ${i.toFixed(2)} ns/insn, jit ${j.toFixed(2)} ns/insn, interp/jit ${(i / j).toFixed(1)}× (best of ${rounds} rounds, CPU time)`);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
