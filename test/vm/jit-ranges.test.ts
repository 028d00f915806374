/**
 * The JIT's value ranges (vm/jit/ranges.ts): 64-bit adds, subs, muls, shifts and compares it
 * narrows to the low halves must give the interpreter's results exactly. Seeded random loops with
 * counters and bounds near 0, ±2^31, 2^32 and 2^63 (counters that stay inside one 2^32 window,
 * which the analysis narrows, and counters that cross a window boundary, which it must not), with
 * 64- and 32-bit updates and every compare, run under both engines with a budget (a loop that
 * does not end faults on the same instruction in both).
 */
import { describe, expect, it } from 'vitest';
import { assemble } from '../../vm/asm.js';
import { interpret } from '../../vm/interpreter.js';
import { compile } from '../../vm/jit/index.js';
import { link } from '../../vm/link.js';
import { Memory } from '../../vm/memory.js';
import { decode, type LinkedProgram } from '../../vm/program.js';
// @ts-expect-error (a plain .js benchmark module, no types)
import { aluLoop, memLoop } from '../bench/vm-programs.js';
import { JUMPS, MAKERS, edgeProgram, hex, loopProgram } from './range-programs.js';

const both = (prog: LinkedProgram, budget: number) => {
  const a = interpret(prog, new Memory(), { budget });
  const b = compile(prog).run(new Memory(), { budget });
  const view = (r: typeof a) => ({ r0: r.r0, insns: r.insns, fault: r.fault && [r.fault.code, r.fault.insnIndex] });
  return [view(a), view(b)] as const;
};

const COUNT = 2_000;
const CHUNK = 125;

describe('[vm/jit]: value ranges (narrowed 64-bit arithmetic and compares)', () => {
  let narrowed = 0;
  let wide = 0;
  for (let first = 0; first < COUNT; first += CHUNK) {
    it(`random loops ${first}..${first + CHUNK - 1}: same r0, insns and fault under both engines`, () => {
      for (let k = first; k < first + CHUNK; k++) {
        const src = loopProgram(0x5eed + k);
        const prog = link(decode(assemble(src)), { name: 'ranges', helpers: [] });
        const [a, b] = both(prog, 400);
        expect(b, `seed ${0x5eed + k}:\n${src}`).toEqual(a);
        // Whether the counter's update compiled to its low half only (a narrowed add or sub).
        const source = compile(prog).source;
        if (/l1 = \(l1 [-+] (l5|-?\d+)\) \| 0;/.test(source)) narrowed++;
        else wide++;
      }
    });
  }
  it.each(MAKERS.map((mk, m) => [mk[0].split('\n')[0], m] as const))('compares at the range ends of %s: same r0 under both engines', (_, m) => {
    let seed = m << 16;
    for (const j of JUMPS) {
      for (const jump of [j, `${j}32`]) {
        for (let e = 0; e < MAKERS[m][1].length; e++) {
          for (let dx = -1; dx <= 1; dx++) {
            for (let delta = -1; delta <= 2; delta++) {
              const src = edgeProgram(m, jump, e, dx, delta, 0xed9e + seed++);
              const [a, b] = both(link(decode(assemble(src)), { name: 'edges', helpers: [] }), 100);
              expect(b, src).toEqual(a);
            }
          }
        }
      }
    }
  });
  it('narrows some counters and not others (the loops exercise both paths)', () => {
    expect(narrowed).toBeGreaterThan(COUNT / 10);
    expect(wide).toBeGreaterThan(COUNT / 10);
  });

  const run = (src: string, budget = 100_000) => {
    const prog = link(decode(assemble(src)), { name: 'ranges', helpers: [] });
    const [a, b] = both(prog, budget);
    expect(b, src).toEqual(a);
    return { r: a, source: compile(prog, { lines: true }).source };
  };
  it('the benchmark loops: the counter is narrowed (no borrow, a one-int compare)', () => {
    for (const p of [aluLoop, memLoop]) {
      const source = compile(link(decode(p.bytes), { name: p.name, helpers: [] })).source;
      expect(source).toContain('l1 = (l1 - 1) | 0;');
      expect(source).toContain('if (l1 !== 0) { continue; }');
    }
  });
  it.each([
    ['up across 2^31 (one window, not int32)', 0x7ffffff0n, 1n, 'jlt', 0x80000010n],
    ['up across 2^32 (two windows)', 0xfffffff0n, 1n, 'jlt', 0x100000010n],
    ['down across 0 (two windows)', 8n, -1n, 'jsgt', -8n],
    ['down across -2^31 (int32 to window -1)', -(1n << 31n) + 8n, -1n, 'jsgt', -(1n << 31n) - 8n],
    ['down to 0 with jne', 20n, -1n, 'jne', 0n],
    ['up to a negative bound, unsigned (never ends)', 5n, 1n, 'jlt', -1n],
    ['up by 3 past the bound with jne (never ends)', 0n, 3n, 'jne', 10n],
  ])('%s', (_, start, step, jump, bound) => {
    for (const upd of ['add %r1, %r5', `add %r1, ${step}`]) {
      run(`
        lddw %r1, ${hex(start)}
        lddw %r2, ${hex(bound)}
        mov %r5, ${step}
        mov %r0, 0
      loop:
        add %r0, %r1
        ${upd}
        ${jump} %r1, %r2, loop
        xor %r0, %r1
        exit`, 2000);
    }
  });
  it('a count-up loop settles at its bound (widening to the compare constant)', () => {
    const { r, source } = run(`
      mov %r1, 0
      mov %r0, 0
    loop:
      add %r0, %r1
      add %r1, 1
      jlt %r1, 1000, loop
      exit`);
    expect(r.r0).toBe(499500n);
    expect(source).toContain('l1 = (l1 + 1) | 0;');
  });
  it('int32-window results keep the sign in the high half', () => {
    for (const start of [-5, 5, 0x7ffffffe, -0x7ffffff0]) {
      const { r } = run(`
        mov %r1, ${start}
        mov %r0, 0
      loop:
        mov %r3, %r1
        add %r3, -3
        xor %r0, %r3
        lsh %r0, 1
        sub %r1, 1
        jsgt %r1, ${start - 6}, loop
        exit`);
      expect(r.fault).toBeUndefined();
    }
  });
});
