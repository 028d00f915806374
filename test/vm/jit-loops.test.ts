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
import { decode, type HelperFn, type LinkedProgram, type RunOptions } from '../../vm/program.js';
import { assemble } from '../../vm/asm.js';
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
  const values = [0, 1, 2, 0x7fff, 0xffff, 0x10000, 0x55555555, 0x55555556, 0x7fffffff, 0x80000000, 0xaaaaaaaa, 0xaaaaaaab, 0xfffeffff, 0xffffffff, 0x12345678, 0xdeadbeef];
  const imms = [0, 1, 2, 3, 4, 255, 0x4000, 0x7fff, 0x8000, 0xffff, 0x10000, 0x1fffff, 0x200000, 0x7fffffff, -1, -3];
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

describe('[vm/jit]: frame aliases (a copy of r10 moved by constants)', () => {
  const run = (src: string, opts: RunOptions = {}) => {
    const helpers: HelperFn[] = [];
    // a helper that writes r6 through call.regs and returns r1
    helpers[1] = (c) => {
      c.regs.lo[0] = c.regs.lo[1];
      c.regs.hi[0] = c.regs.hi[1];
      c.regs.lo[6] = 5;
    };
    const prog = link(decode(assemble(src)), { name: 'alias', helpers });
    const [a, b] = both(prog, opts);
    expect(b).toEqual(a);
    return { r: a, source: compile(prog).source };
  };
  it('accesses through an alias are direct frame accesses', () => {
    const { r, source } = run(`
      mov %r2, %r10
      add %r2, -16
      stdw [%r2+8], 7
      stw [%r2], 3
      ldxdw %r0, [%r10-8]
      ldxw %r1, [%r2]
      add %r0, %r1
      exit`);
    expect(r.r0).toBe(10n);
    expect(source).not.toMatch(/X\.(ld|st)\(/);
  });
  it.each([
    ['past the frame top', 'mov %r2, %r10\nsub %r2, 8\nldxdw %r0, [%r2+8]\nexit'],
    ['below the frame', 'mov %r2, %r10\nadd %r2, -512\nstxb [%r2-1], %r1\nmov %r0, 0\nexit'],
    ['a far offset', 'mov %r2, %r10\nadd %r2, 0x7fffffff\nadd %r2, 0x7fffffff\nldxb %r0, [%r2-1]\nexit'],
  ])('%s: the same fault at the same instruction', (_, src) => {
    const { r } = run(src);
    expect(r.fault?.[0]).toBe(ErrorCode.BadAccess);
  });
  it('an alias is forgotten when written, differs on two paths, or after a call', () => {
    const { r } = run(`
      mov %r2, %r10
      mov %r3, %r10
      stdw [%r10-8], 1
      stdw [%r10-16], 2
      mov %r6, %r10
      jeq %r1, 0, a
      add %r2, -8
      ja b
    a:
      add %r2, -16
    b:
      ldxdw %r0, [%r2]
      add32 %r3, 0
      mov %r1, %r10
      call 1
      add %r6, -8
      ldxdw %r4, [%r6]
      exit`);
    // r2 = r10 - 16 (r1 = 0: a); r6 = 5 from the helper, so [r6 - 8] faults
    expect(r.fault?.[0]).toBe(ErrorCode.BadAccess);
    expect(r.fault?.[1]).toBe(14);
  });
  it('a pointer spilled through an alias keeps its provenance in both engines', () => {
    const { r } = run(`
      mov %r2, %r10
      add %r2, -24
      mov %r3, %r10
      stxdw [%r2], %r3
      ldxdw %r4, [%r10-24]
      stdw [%r4-8], 9
      ldxdw %r0, [%r2+16]
      stxw [%r2+3], %r0
      ldxdw %r5, [%r2]
      ldxdw %r0, [%r5-8]
      exit`);
    // the unaligned 4-byte store changes the spilled pointer's bytes: in both engines r5 is then
    // a scalar and the last load faults
    expect(r.fault?.[0]).toBe(ErrorCode.BadAccess);
    expect(r.fault?.[1]).toBe(9);
  });
  it('budget faults inside a loop of alias accesses', () => {
    const src = `
      mov %r1, 20
      mov %r2, %r10
      stdw [%r2-8], 0
    loop:
      ldxdw %r3, [%r2-8]
      add %r3, %r1
      stxdw [%r2-8], %r3
      sub %r1, 1
      jne %r1, 0, loop
      ldxdw %r0, [%r10-8]
      exit`;
    expect(run(src).r.r0).toBe(210n);
    for (let budget = 1; budget < 110; budget += 7) run(src, { budget });
  });
});

describe('[vm/jit]: register width (high halves known to be 0)', () => {
  const values = [0, 1, 0x7fffffff, 0x80000000, 0xfffffffe, 0xffffffff];
  const jumps = ['jeq', 'jne', 'jset', 'jgt', 'jge', 'jlt', 'jle', 'jsgt', 'jsge', 'jslt', 'jsle'];
  const run = (src: string) => {
    const prog = link(decode(assemble(src)), { name: 'width', helpers: [] });
    const [a, b] = both(prog);
    expect(b, src).toEqual(a);
    return { r: a, source: compile(prog).source };
  };
  // r1 and r2 from 4-byte frame loads (zero-extended), r3 a 64-bit value with a high half
  const load = (a: number, b: number) => `
    stw [%r10-4], ${a | 0}
    stw [%r10-8], ${b | 0}
    ldxw %r1, [%r10-4]
    ldxw %r2, [%r10-8]
    lddw %r3, 0x100000000
    mov %r0, 0`;
  it.each(jumps)('64-bit %s of two zero-extended values, and against constants', (j) => {
    for (const a of values) {
      for (const b of values) {
        const { r, source } = run(`${load(a, b)}\n${j} %r1, %r2, t\nmov %r0, 1\nt:\nexit`);
        expect(r.fault).toBeUndefined();
        // one int compared: no high half in the condition
        const cond = source.split('\n').find((l) => l.startsWith('if (') && !l.includes('left') && l.includes('continue D'));
        expect(cond).toBeDefined();
        expect(cond).not.toMatch(/h1|h2/);
      }
      for (const imm of [0, 1, 0x7fffffff, -1, -0x80000000]) run(`${load(a, 0)}\n${j} %r1, ${imm}, t\nmov %r0, 1\nt:\nexit`);
      // against a register whose high half is not 0, and after the width is lost
      run(`${load(a, 0)}\n${j} %r1, %r3, t\nmov %r0, 1\nt:\nexit`);
      run(`${load(a, 0)}\nadd %r1, %r1\n${j} %r1, 0x7fffffff, t\nmov %r0, 1\nt:\nexit`);
    }
  });
  it('64-bit or, xor, mul and shifts of zero-extended values match the interpreter', () => {
    for (const a of values) {
      for (const b of values) {
        for (const body of ['or %r1, %r2', 'xor %r1, %r2', 'mul %r1, %r2', 'rsh %r1, 5', 'rsh %r1, 31', 'arsh %r1, 3', 'and %r3, %r2\nmov %r1, %r3', 'or %r3, %r2\nmov %r1, %r3', 'xor %r3, %r1\nmov %r1, %r3']) {
          const { r } = run(`${load(a, b)}\n${body}\nmov %r0, %r1\njgt %r1, 0xfffffff, t\nmov %r0, 7\nt:\nexit`);
          expect(r.fault).toBeUndefined();
        }
      }
    }
  });
  it('widths meet over paths and are lost through calls', () => {
    for (const a of values) {
      run(`${load(a, a)}\njeq %r1, 0, x\nmov %r1, %r3\nx:\njgt %r1, 1, t\nmov %r0, 1\nt:\nexit`);
      run(`${load(a, a)}\nmov %r6, %r1\nmov %r1, %r10\nadd %r1, -8\ncall local f\njgt %r6, 1, t\nmov %r0, 1\nt:\nexit\nf:\nlddw %r6, 0x500000000\nmov %r0, 0\nexit`);
    }
  });
});
