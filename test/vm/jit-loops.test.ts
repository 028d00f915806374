/**
 * The JIT's loop code: one-block loops compiled as their own inner loop (exact budget faults at
 * every budget), and the integer-only carry of a 64-bit multiply by a
 * small constant, checked against the interpreter on edge values.
 */
import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../../vm/errors.js';
import { interpret } from '../../vm/interpreter.js';
import { compile } from '../../vm/jit/index.js';
import { link } from '../../vm/link.js';
import { Memory } from '../../vm/memory.js';
import { decode, type LinkedProgram, type RunOptions } from '../../vm/program.js';
import { asm } from './vm-harness.js';

const both = (prog: LinkedProgram, opts: RunOptions = {}) => {
  const a = interpret(prog, new Memory(), opts);
  const b = compile(prog).run(new Memory(), opts);
  const view = (r: typeof a) => ({ r0: r.r0, insns: r.insns, fault: r.fault && [r.fault.code, r.fault.insnIndex, r.fault.opcode] });
  return [view(a), view(b)] as const;
};

describe('[vm/jit]: one-block loops', () => {
  const progs = {
    // a one-block loop, then a fallthrough
    jne: link(
      decode(asm`
        mov %r0, 0
        mov %r1, 7
      loop:
        add %r0, %r1
        mul %r0, 3
        sub %r1, 1
        jne %r1, 0, loop
        add %r0, 1
        exit`),
      { name: 'selfloop', helpers: [] },
    ),
    // a one-block loop left only by the budget
    ja: link(decode(asm`mov %r0, 0\nloop:\nadd %r0, 1\nja loop\nexit`), { name: 'forever', helpers: [] }),
    // a two-block loop (no inner loop) beside a one-block loop
    mixed: link(
      decode(asm`
        mov %r0, 0
        mov %r1, 9
      a:
        add %r0, %r1
        jeq %r0, 0x1234, out
        sub %r1, 1
        jne %r1, 0, a
      b:
        sub %r0, 2
        jsgt %r0, 10, b
      out:
        exit`),
      { name: 'mixed', helpers: [] },
    ),
  };
  it('are compiled as inner loops', () => {
    for (const p of Object.values(progs)) expect(compile(p).source).toMatch(/for \(;;\) \{/);
  });
  it.each(Object.keys(progs))('%s: with every budget from 1 to past the end, same r0, insns, fault code and index', (k) => {
    const prog = progs[k as keyof typeof progs];
    const [full] = both(prog, { budget: 200 });
    for (let budget = 1; budget <= Math.min(full.insns + 2, 200); budget++) {
      const [a, b] = both(prog, { budget });
      expect(b, `budget ${budget}`).toEqual(a);
      if (budget < full.insns) expect(a.fault?.[0]).toBe(ErrorCode.BudgetExceeded);
    }
    if (k === 'ja') expect(full.fault?.[0]).toBe(ErrorCode.BudgetExceeded);
    else expect(full.fault).toBeUndefined();
  });
});

describe('[vm/jit]: 64-bit multiply by a constant', () => {
  const values = [0, 1, 2, 0x7fff, 0xffff, 0x10000, 0x7fffffff, 0x80000000, 0xfffeffff, 0xffffffff, 0x12345678, 0xdeadbeef];
  const imms = [0, 1, 3, 255, 0x7fff, 0xffff, 0x10000, 0x1fffff, 0x200000, 0x7fffffff, -1, -3];
  it.each(imms)('mul by %i matches the interpreter on edge values', (imm) => {
    for (const lo of values) {
      for (const hi of [0, 1, 0xffffffff, 0x80000000]) {
        const v = (BigInt(hi) << 32n) | BigInt(lo);
        const p = link(decode(asm`lddw %r0, ${v}\nmul %r0, ${imm}\nexit`), { name: 'mul', helpers: [] });
        const [a, b] = both(p);
        expect(b, `${v} * ${imm}`).toEqual(a);
        expect(a.fault).toBeUndefined();
      }
    }
  });
});
