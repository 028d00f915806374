/**
 * The JIT itself: the safe codegen layer, names from the object never reaching the source,
 * the compile cache, exact instruction counts at every budget, tail calls up to the limit,
 * callbacks at entries only known at run time, the step-hook and register fallbacks, and the
 * readable `lines` output.
 */
import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../../vm/errors.js';
import { interpret } from '../../vm/interpreter.js';
import { Code, js, joinCode, lit, Name, name } from '../../vm/jit/codegen.js';
import { compile } from '../../vm/jit/index.js';
import { link } from '../../vm/link.js';
import { Memory } from '../../vm/memory.js';
import { decode, type HelperFn, type LinkedProgram, type RunOptions } from '../../vm/program.js';
import { asm, insns } from './vm-harness.js';

const both = (prog: LinkedProgram, opts: RunOptions = {}) => {
  const a = interpret(prog, new Memory(), opts);
  const b = compile(prog).run(new Memory(), opts);
  const view = (r: typeof a) => ({ r0: r.r0, insns: r.insns, fault: r.fault && [r.fault.code, r.fault.insnIndex, r.fault.opcode] });
  return [view(a), view(b)] as const;
};

describe('[vm/jit]: codegen layer', () => {
  it('Name accepts identifiers only', () => {
    expect(name('l10').str).toBe('l10');
    expect(name('$x_1').str).toBe('$x_1');
    for (const bad of ['', '1a', 'a-b', 'a b', "a'", 'a`', 'a\nb', 'a;b', '${x}', '*/']) {
      expect(() => new Name(bad), bad).toThrow(/not an identifier/);
    }
  });
  it('lit accepts safe integers only', () => {
    expect(lit(5).str).toBe('5');
    expect(lit(-5).str).toBe('(-5)');
    for (const bad of [1.5, NaN, Infinity, 2 ** 60, '5' as unknown as number]) expect(() => lit(bad)).toThrow(/safe integer/);
  });
  it('js interpolates Code, Name and safe integers, nothing else', () => {
    expect(js`a = ${name('b')} + ${3} + ${js`c`};`.str).toBe('a = b + 3 + c;');
    expect(() => js`${'"; evil()' as unknown as Code}`).toThrow(/only Code, Name or a safe integer/);
    expect(() => js`${{ str: 'x' } as unknown as Code}`).toThrow();
    const fake = Object.assign(['x'], { raw: ['x'] }) as unknown as TemplateStringsArray;
    expect(() => js(fake)).toThrow(/used as a tag/);
    expect(joinCode([js`a`, name('b')], js`, `).str).toBe('a, b');
    expect(() => joinCode([js`a`, { str: 'x' } as unknown as Code])).toThrow(/only Code, Name or a safe integer/);
    expect(() => joinCode([js`a`, js`b`], { str: 'x' } as unknown as Code)).toThrow(/only Code, Name or a safe integer/);
  });
  it('nested templates and joins give their text in order, however deep', () => {
    let c = js`x`;
    let want = 'x';
    for (let k = 0; k < 20000; k++) {
      c = k % 2 ? js`(${c} + ${k})` : joinCode([c, js`y`, name('z')], js`;`);
      want = k % 2 ? `(${want} + ${k})` : `${want};y;z`;
    }
    const shared = js`s`;
    const twice = joinCode([shared, js`${shared}!`]);
    expect(c.str).toBe(want);
    expect(String(twice)).toBe('s\ns!');
  });
  it('Code cannot be made directly', () => {
    expect(() => new (Code as unknown as new (k: symbol, s: string) => Code)(Symbol('code'), 'x')).toThrow(/made only by js/);
  });
});

describe('[vm/jit]: strings from the object never reach the source', () => {
  const hostile = ["it's", 'a"b', '`tick`', '*/ evil() /*', '${process.exit(1)}', 'line\nbreak', '\u2028sep', '</script>', 'x\\u0061'];
  it.each(hostile)('program name %j', (n) => {
    const helpers: HelperFn[] = [];
    // A helper whose function name is hostile too.
    helpers[1] = { [n]: (c: Parameters<HelperFn>[0]) => void (c.regs.lo[0] = 41) }[n];
    const prog = link(decode(asm`mov %r1, 1\ncall 1\nadd %r0, 1\nexit`), { name: n, helpers });
    const c = compile(prog, { lines: true });
    expect(c.source.includes(n)).toBe(false);
    expect(compile(prog).source.includes(n)).toBe(false);
    const r = c.run(new Memory());
    expect(r.fault).toBeUndefined();
    expect(r.r0).toBe(42n);
  });
  it('the source has no string literals besides the directive, and no BigInt', () => {
    const prog = link(decode(asm`mov %r0, 1\nlddw %r1, 0x123456789\nstxdw [%r10-8], %r1\nldxdw %r0, [%r10-8]\nexit`), { name: 'n', helpers: [] });
    const src = compile(prog, { lines: true }).source;
    expect(src.replace("'use strict';", '')).not.toMatch(/['"`]/);
    expect(src).not.toMatch(/BigInt|\d+n\b/);
  });
});

describe('[vm/jit]: compile', () => {
  it('caches per LinkedProgram object', () => {
    const prog = link(decode(asm`mov %r0, 1\nexit`), { name: 'n', helpers: [] });
    expect(compile(prog)).toBe(compile(prog));
    const other = link(decode(asm`mov %r0, 1\nexit`), { name: 'n', helpers: [] });
    expect(compile(other)).not.toBe(compile(prog));
  });
  it('lines: one commented line per instruction', () => {
    const prog = link(decode(asm`mov %r0, 1\nadd %r0, 2\nexit`), { name: 'n', helpers: [] });
    const src = compile(prog, { lines: true }).source;
    expect(src).toContain('// insn 0 MOV64_IMM');
    expect(src).toContain('// insn 1 ADD64_IMM');
    expect(src).toContain('// insn 2 EXIT');
  });
  // Compile speed is a benchmark figure (npm run bench), never a timed test.
  it('compiles and runs a 1,000-instruction program', () => {
    const body = Array.from({ length: 999 }, (_, k) => (k % 3 === 0 ? 'add %r0, 3' : k % 3 === 1 ? 'stxdw [%r10-16], %r0' : 'jgt %r0, 5, +0')).join('\n');
    const prog = link(decode(asm`${body}\nexit`), { name: 'big', helpers: [] });
    const r = compile(prog).run(new Memory());
    expect(r.fault).toBeUndefined();
    expect(r.r0).toBe(999n);
  });
});

describe('[vm/jit]: exact instruction counts', () => {
  const helpers: HelperFn[] = [];
  helpers[1] = (c) => void (c.regs.lo[0] = c.regs.lo[1] + 1);
  const prog = link(
    decode(asm`
      mov %r6, 0
      mov %r7, 5
    loop:
      add %r6, %r7
      stxdw [%r10-8], %r6
      mov %r1, %r6
      call 1
      call local sub
      sub %r7, 1
      jne %r7, 0, loop
      ldxdw %r0, [%r10-8]
      exit
    sub:
      mov %r0, 3
      lddw %r2, 0x100000000
      add %r0, %r2
      exit`),
    { name: 'counted', helpers },
  );
  it('with every budget from 1 to past the end: same r0, insns, fault code and index', () => {
    const [full] = both(prog);
    expect(full.fault).toBeUndefined();
    for (let budget = 1; budget <= full.insns + 2; budget++) {
      const [a, b] = both(prog, { budget });
      expect(b, `budget ${budget}`).toEqual(a);
      if (budget < full.insns) expect(a.fault?.[0]).toBe(ErrorCode.BudgetExceeded);
    }
  });
});

describe('[vm/jit]: calls', () => {
  it('tail calls: a chain stops after MAX_TAIL_CALLS and falls through, as the interpreter', () => {
    const helpers: HelperFn[] = [];
    const prog: LinkedProgram = link(decode(asm`add %r6, 1\nmov %r0, %r6\ncall 12\nmov %r0, %r6\nadd %r0, 1000\nexit`), { name: 't', helpers });
    helpers[12] = (c) => void (c.tailCall = prog);
    const [a, b] = both(prog);
    expect(b).toEqual(a);
    expect(a.r0).toBe(34n + 1000n);
  });
  it('callbacks at a pc no lddw names (compiled as a new entry on first use)', () => {
    const helpers: HelperFn[] = [];
    helpers[181] = (call) => {
      let acc = 0;
      for (let i = 0; i < 3; i++) acc += call.callback!(call.regs.lo[2], [[i, 0]])[0];
      call.regs.lo[0] = acc;
    };
    const code = insns([0xb7, 6, 0, 0, 1000], [0xb7, 2, 0, 0, 6], [0x85, 0, 0, 0, 181], [0x0f, 0, 6], [0x95], [0x95], [0xbf, 0, 1], [0x27, 0, 0, 0, 10], [0x95]);
    const prog = link(decode(code), { name: 'cb', helpers });
    const [a, b] = both(prog);
    expect(b).toEqual(a);
    expect(a.r0).toBe(1030n);
  });
  it('the step hook runs through the interpreter (same trace)', () => {
    const prog = link(decode(asm`mov %r0, 2\nja +0\nadd %r0, 1\nexit`), { name: 's', helpers: [] });
    const ta: number[] = [];
    const tb: number[] = [];
    interpret(prog, new Memory(), { step: (pc) => ta.push(pc) });
    compile(prog).run(new Memory(), { step: (pc) => tb.push(pc) });
    expect(tb).toEqual(ta);
    expect(ta).toEqual([0, 1, 2, 3]);
  });
  it('a register field above r10 leaves the program to the interpreter', () => {
    const prog = link(decode(insns([0xb7, 12, 0, 0, 5], [0xb7, 0, 0, 0, 1], [0x95])), { name: 'r12', helpers: [] });
    const c = compile(prog);
    expect(c.interpreted).toBe(true);
    const [a, b] = both(prog);
    expect(b).toEqual(a);
  });
});

describe('[vm/jit]: the pooled stack starts every run zeroed, as the interpreter\'s fresh one', () => {
  it.each([
    ['own frame through r10', 'jeq %r1, 0, +1\nstdw [%r10-8], 77\nldxdw %r0, [%r10-8]\nexit'],
    ['frame 0 through a pointer', 'mov %r2, %r10\njeq %r1, 0, +1\nstdw [%r2-8], 77\nldxdw %r0, [%r2-8]\nexit'],
    ['a callee frame through a pointer', 'call local f\nexit\nf:\nmov %r2, %r10\njeq %r1, 0, +1\nstdw [%r2-8], 77\nldxdw %r0, [%r2-8]\nexit'],
  ])('%s', (_n, text) => {
    const prog = link(decode(asm`${text}`), { name: 'z', helpers: [] });
    const c = compile(prog);
    const mem = new Memory();
    const write = c.run(mem, { args: [[1, 0]] });
    const read = c.run(mem, { args: [[0, 0]] });
    expect(write.fault).toBeUndefined();
    expect(read.r0).toBe(interpret(prog, new Memory(), { args: [[0, 0]] }).r0);
    expect(read.r0).toBe(0n);
  });
});

describe('[vm/jit]: programs Linux would reject still match the interpreter', () => {
  it('r10 written: stack accesses take the general path', () => {
    const prog = link(decode(asm`mov %r1, %r10\nadd %r10, -16\nstdw [%r10+8], 5\nldxdw %r0, [%r1-8]\nstdw [%r10-8], 1\nldxdw %r2, [%r1-24]\nadd %r0, %r2\nexit`), { name: 'w', helpers: [] });
    const [a, b] = both(prog);
    expect(b).toEqual(a);
    expect(a.r0).toBe(6n);
  });
  it('a tail call after r10 moved: the target sees the moved r10', () => {
    const helpers: HelperFn[] = [];
    const target = link(decode(asm`stdw [%r10-8], 9\nmov %r0, %r10\nldxdw %r0, [%r6-24]\nexit`), { name: 't', helpers });
    helpers[12] = (c) => void (c.tailCall = target);
    const prog = link(decode(asm`mov %r6, %r10\nadd %r10, -16\ncall 12\nexit`), { name: 'p', helpers });
    const [a, b] = both(prog);
    expect(b).toEqual(a);
    expect(a.r0).toBe(9n);
  });
  it('may_goto runs out after 8,388,608 iterations, as the interpreter', () => {
    const prog = link(decode(asm`mov %r0, 0\nl:\nmay_goto +2\nadd %r0, 1\nja l\nexit`), { name: 'g', helpers: [] });
    const [a, b] = both(prog, { budget: 30_000_000 });
    expect(b).toEqual(a);
    expect(a.r0).toBe(8_388_608n);
  }, 60_000);
});

describe('[vm/jit]: faults inside callbacks count every executed instruction', () => {
  it('a budget fault in a callback reports insns = budget in both engines', () => {
    const helpers: HelperFn[] = [];
    helpers[181] = (call) => {
      for (let i = 0; i < 100; i++) call.callback!(call.regs.lo[2], [[i, 0]]);
    };
    const code = insns([0xb7, 2, 0, 0, 4], [0x85, 0, 0, 0, 181], [0x95], [0x95], [0xb7, 0, 0, 0, 1], [0x07, 0, 0, 0, 1], [0x95]);
    const prog = link(decode(code), { name: 'cbb', helpers });
    const [a, b] = both(prog, { budget: 50 });
    expect(b).toEqual(a);
    expect(a.insns).toBe(50);
    expect(a.fault?.[0]).toBe(ErrorCode.BudgetExceeded);
  });
});

describe('[vm/jit]: runs on one Memory', () => {
  it('reuse one stack region, as the interpreter, and the same stack addresses', () => {
    const prog = link(decode(asm`mov %r0, %r10\nrsh %r0, 32\nexit`), { name: 'r', helpers: [] });
    const mi = new Memory();
    const mj = new Memory();
    const i = [0, 1, 2].map(() => interpret(prog, mi).r0);
    const j = [0, 1, 2].map(() => compile(prog).run(mj).r0);
    expect(j).toEqual(i);
    expect(new Set(j).size).toBe(1);
    expect(mj.alloc('scratch', new Uint8Array(1)).id).toBe(mi.alloc('scratch', new Uint8Array(1)).id);
  });
});
