/**
 * The JIT's bound on what a run writes in frame 0 (vm/jit/stack-reach.ts with the direct stores
 * the compiler emits, compile.ts FrameReach; frame 0 never writable through the region cache, so
 * other stores go through JitRun.st, which reports them), against the interpreter. Seeded random
 * programs first read stack slots (a run starts on a zeroed stack) and then write frame 0 through
 * r10, through frame aliases (r10 plus constants), through pointers the JIT cannot follow (reloaded
 * from the stack, moved by a register) and from a subprogram given a pointer into the caller's
 * frame, with every store size at offsets across the frame. Each program runs twice on one Memory
 * per engine (the second run must see zeros where the first wrote), unchunked and with chunks of
 * 1 and 3 instructions; r0 (a sum of what the reads saw) and executed instructions must agree.
 * Helpers write frame 0 too (compile.ts helperWriteLow reports what their arguments point at):
 * test helpers write a run of bytes upward from a stack pointer in r1 (unmarked) or r3 (marked
 * argRegsOnly, as bpf_skb_load_bytes), from the main program and from a subprogram.
 */
import { describe, expect, it } from 'vitest';
import { asm } from '../../vm/asm.js';
import { interpret } from '../../vm/interpreter.js';
import { compile } from '../../vm/jit/index.js';
import { link } from '../../vm/link.js';
import { Memory } from '../../vm/memory.js';
import { argRegsOnly, decode, type HelperCall, type HelperFn } from '../../vm/program.js';
import { prng } from './random-programs.js';

function generate(seed: number): string {
  const r = prng(seed);
  const pick = <V>(xs: readonly V[]): V => xs[Math.floor(r() * xs.length)];
  const slot = (): number => -8 * (1 + Math.floor(r() * 63));
  const main: string[] = [];
  // What the last run may have left: first the slots this run writes (and a few others) are read.
  const reads = new Set<number>();
  for (let k = 0, n = Math.floor(r() * 3); k < n; k++) reads.add(slot());
  let sub = false;
  let gsub = false;
  for (let k = 0, n = 1 + Math.floor(r() * 5); k < n; k++) {
    const o = slot() + pick([0, 0, 1, 4, 6]);
    reads.add(o & ~7);
    if ((o & 7) > 0 && o + 8 < 0) reads.add((o & ~7) + 8);
    const sz = pick(['b', 'h', 'w', 'dw']);
    const v = 1 + Math.floor(r() * 200);
    const how = r();
    if (how < 0.25) main.push(`st${sz} [%r10${o}], ${v}`);
    else if (how < 0.45) main.push('mov %r2, %r10', `add %r2, ${o + 8}`, `st${sz} [%r2-8], ${v}`);
    else if (how < 0.65) main.push('mov %r3, %r10', 'stxdw [%r10-512], %r3', 'ldxdw %r3, [%r10-512]', `st${sz} [%r3${o}], ${v}`);
    else if (how < 0.8) main.push(`mov %r5, ${o}`, 'mov %r4, %r10', 'add %r4, %r5', `mov %r6, ${v}`, `stx${sz} [%r4+0], %r6`);
    else if (how < 0.9) {
      main.push('mov %r1, %r10', `add %r1, ${o}`, `mov %r2, ${v}`, 'call local f');
      sub = true;
    } else {
      // A helper writes n bytes upward from the pointer (within the frame: o + n <= 0).
      const n = 1 + Math.floor(r() * Math.min(24, -o));
      for (let b = o & ~7; b < o + n; b += 8) reads.add(b);
      const [ptr, val, len, id] = r() < 0.5 ? ['%r1', '%r2', '%r3', 1] : ['%r3', '%r1', '%r4', 2];
      const via = r() < 0.3 ? 'g' : '';
      main.push(`mov ${ptr}, %r10`, `add ${ptr}, ${o}`, `mov ${val}, ${v}`, `mov ${len}, ${n}`, via ? `mov %r5, ${id}` : `call ${id}`);
      if (via) {
        // from a subprogram, which passes the pointer on (r5: the helper to call)
        main.push('call local g');
        gsub = true;
      }
    }
  }
  // (r0 of the reads' sum kept in r9 across the calls, which clobber r0)
  main.push('mov %r0, %r9', 'exit');
  if (sub) main.push('f:', 'stxb [%r1+0], %r2', 'stxdw [%r10-8], %r2', 'mov %r0, 0', 'exit');
  if (gsub) main.push('g:', 'jeq %r5, 1, +2', 'call 2', 'exit', 'call 1', 'exit');
  const head = ['mov %r0, 0'];
  for (const o of reads) head.push(`ldxdw %r1, [%r10${o}]`, 'add %r0, %r1');
  return [...head, 'mov %r9, %r0', ...main].join('\n');
}

type Variant = 'interp' | number | undefined;

/** Write `len` bytes of `val` upward from the pointer `ptr` (register numbers). */
function fillHelper(ptr: number, val: number, len: number): HelperFn {
  return (call: HelperCall) => {
    const { lo, hi } = call.regs;
    const dst = call.mem.slice(hi[ptr], lo[ptr], lo[len], true);
    if (dst === undefined) throw new Error('fill helper: bad pointer');
    dst.fill(lo[val] & 255);
    lo[0] = 0;
    hi[0] = 0;
  };
}
const HELPERS = [undefined, fillHelper(1, 2, 3), argRegsOnly(fillHelper(3, 1, 4))];

function observe(text: string, v: Variant): string {
  const prog = link(decode(asm`${text}`), { name: 'p', helpers: HELPERS });
  const mem = new Memory();
  const c = v === 'interp' ? undefined : v === undefined ? compile(prog) : compile(prog, { chunkInsns: v });
  const runs: string[] = [];
  for (let k = 0; k < 3; k++) {
    const res = c === undefined ? interpret(prog, mem, {}) : c.run(mem, {});
    runs.push(`${res.r0lo}/${res.r0hi}/${res.insns}/${res.fault?.code ?? ''}`);
  }
  return runs.join(' ');
}

describe('[vm/jit]: frame-0 zeroing bound', () => {
  let nonzero = 0;
  const PER = 50;
  for (let chunk = 0; chunk < 4; chunk++) {
    it(`seeded programs ${chunk * PER}..${chunk * PER + PER - 1} read a zeroed stack on every run, as in the interpreter`, () => {
      const bad: string[] = [];
      for (let k = chunk * PER; k < chunk * PER + PER && bad.length < 3; k++) {
        const text = generate(4400 + k);
        const ref = observe(text, 'interp');
        if (ref.split(' ').some((s) => !s.startsWith('0/0/'))) nonzero++;
        for (const v of [undefined, 1, 3] as const) {
          const got = observe(text, v);
          if (got !== ref) bad.push(`seed ${4400 + k} chunks ${v}: ${got}\n  vs ${ref}\n${text}`);
        }
      }
      expect(bad).toEqual([]);
    });
  }
  it('the interpreter itself reads only zeros (every run starts on a zeroed stack)', () => {
    expect(nonzero).toBe(0);
  });
});
