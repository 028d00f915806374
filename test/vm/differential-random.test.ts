/**
 * Differential test: 10,000 seeded random programs (test/vm/random-programs.ts) under the
 * interpreter and the JIT must agree on r0, executed instructions, fault code and index, and
 * every helper call (including the DUMP of the stack frame). Every fifth program also runs with
 * an instruction budget smaller than it needs, so budget faults are compared too, and every tenth
 * runs twice on one compiled program (the JIT reuses its stack between runs), and every tenth
 * (offset by five) twice under the interpreter on one Memory (so does its pooled run state).
 */
import { describe, expect, it } from 'vitest';
import { interpret } from '../../vm/interpreter.js';
import { compile } from '../../vm/jit/index.js';
import { Memory } from '../../vm/memory.js';
import type { RunOptions } from '../../vm/program.js';
import { generateProgram, linkWithTrace, observe, packetProvider, prng, type GeneratedProgram } from './random-programs.js';

/**
 * Run `engine` twice on one linked program and one Memory: the second run reuses the pooled
 * stack, zeroed only where the first run wrote it (the DUMP shows any byte left over).
 */
function secondRun(p: GeneratedProgram, engine: 'interp' | 'jit') {
  const trace: string[] = [];
  const prog = linkWithTrace(p, trace);
  const run = engine === 'jit' ? ((c) => (mem: Memory, o: RunOptions) => c.run(mem, o))(compile(prog)) : (mem: Memory, o: RunOptions) => interpret(prog, mem, o);
  const mem = new Memory();
  run(mem, { packet: packetProvider() });
  trace.length = 0;
  const r = run(mem, { packet: packetProvider() });
  return { r0lo: r.r0lo, r0hi: r.r0hi, insns: r.insns, fault: r.fault ? { code: r.fault.code, insnIndex: r.fault.insnIndex } : undefined, trace };
}

const COUNT = 10_000;
/** Programs per `it`: each chunk stays well under a second, so no test blocks its worker for long under load. */
const CHUNK = 250;

describe('[vm/differential]: random programs, interpreter vs JIT', () => {
  let faults = 0;
  let budgetRuns = 0;
  let helperCalls = 0;
  let done = 0;
  for (let first = 0; first < COUNT; first += CHUNK) {
    it(`programs ${first}..${first + CHUNK - 1}: 0 disagreements`, () => {
      // One budget stream per chunk, so a chunk's programs do not depend on the chunks before it.
      const rnd = prng(0x7c1ab + first);
      const bad: string[] = [];
      for (let k = first; k < first + CHUNK; k++) {
        const seed = 1000 + k;
        const p = generateProgram(seed, { faults: k % 7 === 0 });
        const a = observe(p, 'interp');
        const b = observe(p, 'jit');
        const same = (x: typeof a, y: typeof b): boolean => JSON.stringify(x) === JSON.stringify(y);
        if (!same(a, b)) bad.push(`seed ${seed}: interp ${JSON.stringify(a).slice(0, 300)} jit ${JSON.stringify(b).slice(0, 300)}`);
        if (k % 10 === 0) {
          const again = secondRun(p, 'jit');
          if (!same(a, again)) bad.push(`seed ${seed} (second JIT run): ${JSON.stringify(again).slice(0, 300)}`);
        }
        if (k % 10 === 5) {
          const again = secondRun(p, 'interp');
          if (!same(a, again)) bad.push(`seed ${seed} (second interpreter run): ${JSON.stringify(again).slice(0, 300)}`);
        }
        if (a.fault) faults++;
        helperCalls += a.trace.length;
        if (k % 5 === 0 && a.insns > 1) {
          const budget = 1 + Math.floor(rnd() * (a.insns - 1));
          const c = observe(p, 'interp', { budget });
          const d = observe(p, 'jit', { budget });
          budgetRuns++;
          if (!same(c, d)) bad.push(`seed ${seed} budget ${budget}: interp ${JSON.stringify(c).slice(0, 300)} jit ${JSON.stringify(d).slice(0, 300)}`);
        }
        if (bad.length > 5) break;
      }
      expect(bad).toEqual([]);
      done += CHUNK;
    });
  }

  it('the generator exercised faults, budgets and helpers', () => {
    expect(done).toBe(COUNT);
    expect(faults).toBeGreaterThan(COUNT / 50);
    expect(budgetRuns).toBeGreaterThan(COUNT / 6);
    expect(helperCalls).toBeGreaterThan(COUNT);
  });
});
