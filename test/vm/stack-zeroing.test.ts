/**
 * Every run starts on a zeroed stack, under both engines, whichever way the last run wrote
 * frame 0: both zero only what a run may have written (the JIT: vm/jit/stack-reach.ts plus the
 * slow paths' reports; the interpreter: interpreter.ts RunState.lw), so each way of writing is
 * tried here. A run with r1 = 0 writes 8 bytes at
 * r10-8 (or lower); the next run, with r1 = 1, returns what it finds there.
 */
import { describe, expect, it } from 'vitest';
import { interpret } from '../../vm/interpreter.js';
import { compile } from '../../vm/jit/index.js';
import { link } from '../../vm/link.js';
import { Memory, type CtxAccess, type CtxRewrite } from '../../vm/memory.js';
import { decode, readsArgsOnly, type HelperFn, type LinkedProgram } from '../../vm/program.js';
import { asm } from './vm-harness.js';

/** read: r0 = *(u64 *)(r10 - off); exit.  write: the given code, then r0 = 0; exit. */
function program(write: string, off = 8, helpers: HelperFn[] = [], ctx?: CtxRewrite): LinkedProgram {
  const src = `jeq %r1, 0, write
ldxdw %r0, [%r10-${off}]
exit
write:
${write}
mov %r0, 0
exit`;
  return link(decode(asm`${src}`), { name: 'zero', helpers, ctx });
}

/** Run 1 writes (r1 = 0), run 2 reads (r1 = 1): what run 2 saw, per engine. */
function secondRun(prog: LinkedProgram, arg1: readonly [number, number] = [0, 0]): bigint[] {
  return [
    (mem: Memory, r1: readonly [number, number]) => interpret(prog, mem, { args: [r1] }),
    (mem: Memory, r1: readonly [number, number]) => compile(prog).run(mem, { args: [r1] }),
  ].map((run) => {
    const mem = new Memory();
    const first = run(mem, arg1);
    expect(first.fault).toBeUndefined();
    const second = run(mem, [1, 0]);
    expect(second.fault).toBeUndefined();
    return second.r0;
  });
}

describe('[vm]: every run starts on a zeroed stack', () => {
  it('after a store through r10', () => {
    expect(secondRun(program('stdw [%r10-8], 7'))).toEqual([0n, 0n]);
  });
  it('after a store through a copy of r10 (any offset)', () => {
    expect(secondRun(program('mov %r2, %r10\nadd %r2, -200\nstdw [%r2+0], 7', 200))).toEqual([0n, 0n]);
  });
  it('after an atomic through a copy of r10', () => {
    expect(secondRun(program('mov %r2, %r10\nadd %r2, -64\nmov %r3, 9\nlock add [%r2+0], %r3', 64))).toEqual([0n, 0n]);
  });
  it('after a helper that writes through its pointer argument', () => {
    const helpers: HelperFn[] = [];
    helpers[1] = (c) => {
      const v = c.mem.slice(c.regs.hi[1], c.regs.lo[1], 8, true) as Uint8Array;
      v.fill(0x5a);
      c.regs.lo[0] = c.regs.hi[0] = 0;
    };
    expect(secondRun(program('mov %r1, %r10\nadd %r1, -480\ncall 1', 480, helpers))).toEqual([0n, 0n]);
  });
  it('after a helper marked as reading its arguments only, and a store through r10', () => {
    const helpers: HelperFn[] = [];
    helpers[1] = readsArgsOnly((c) => {
      c.regs.lo[0] = c.regs.hi[0] = 0;
    });
    expect(secondRun(program('stdw [%r10-8], 7\nmov %r1, %r10\nadd %r1, -8\ncall 1', 8, helpers))).toEqual([0n, 0n]);
  });
  it('after stores into frame 0 from a subprogram (the slow path, then the second entry of the access cache)', () => {
    // f's first store misses both entries of the interpreter's access cache (slow path); the
    // next one through the same region hits the second entry, which then holds frame 0.
    const sub = (f: string, off: number) =>
      link(
        decode(asm`jeq %r1, 0, write
ldxdw %r0, [%r10-${off}]
exit
write:
mov %r1, %r10
add %r1, -200
call local f
mov %r0, 0
exit
f:
${f}
mov %r0, 0
exit`),
        { name: 'zero', helpers: [] },
      );
    expect(secondRun(sub('stdw [%r1+0], 7', 200))).toEqual([0n, 0n]);
    expect(secondRun(sub('stdw [%r1+0], 7\nstdw [%r1-100], 8', 300))).toEqual([0n, 0n]);
  });
  it('after a callback that stores into frame 0 through a pointer it was given', () => {
    // The helper itself writes nothing (marked so); the callback it runs writes frame 0.
    const helpers: HelperFn[] = [];
    helpers[1] = readsArgsOnly((c) => {
      const L = c.regs.lo;
      const H = c.regs.hi;
      const T = c.regs.tag;
      (c.callback as NonNullable<typeof c.callback>)(8, [[0, 0, 0], [L[1], H[1], T[1]]]);
      L[0] = H[0] = 0;
    });
    const prog = link(
      decode(asm`jeq %r1, 0, write
ldxdw %r0, [%r10-64]
exit
write:
mov %r1, %r10
add %r1, -64
call 1
mov %r0, 0
exit
stdw [%r2+0], 7
mov %r0, 0
exit`),
      { name: 'zero', helpers },
    );
    expect(secondRun(prog)).toEqual([0n, 0n]);
  });
  it('after a tail call whose target stores into the frame (frame 0)', () => {
    const target = link(decode(asm`stdw [%r10-40], 7\nmov %r0, 0\nexit`), { name: 'target', helpers: [] });
    const helpers: HelperFn[] = [];
    helpers[12] = (c) => void (c.tailCall = target);
    expect(secondRun(program('call 12', 40, helpers))).toEqual([0n, 0n]);
  });
  it('after a store the ctx rewrite covers, made through a stack pointer (the JIT writes it through JitRun.st)', () => {
    // A ctx table that rewrites 8-byte stores at offset 0 (the field does not matter: the store
    // goes to the stack because the register is not the ctx).
    const table: CtxRewrite = {
      load: () => undefined,
      store: (off, size) => (off === 0 && size === 8 ? { set: () => {} } : undefined),
    };
    const ctx: CtxAccess = { rewrite: table, load: () => false, store: () => true };
    const src = 'jne %r1, 1, write\nldxdw %r0, [%r10-96]\nexit\nwrite:\nmov %r2, %r10\nadd %r2, -96\nstdw [%r2+0], 7\nmov %r0, 0\nexit';
    const prog = link(decode(asm`${src}`), { name: 'zero', helpers: [], ctx: table });
    const runs = [
      (mem: Memory, r1: readonly [number, number]) => interpret(prog, mem, { args: [r1] }),
      (mem: Memory, r1: readonly [number, number]) => compile(prog).run(mem, { args: [r1] }),
    ].map((run) => {
      const mem = new Memory();
      const c = mem.alloc('ctx', new Uint8Array(0), { ctx });
      // r1 = the ctx pointer: the program writes; then r1 = 1 (not the ctx) reads.
      expect(run(mem, [Memory.lo(0), c.hi]).fault).toBeUndefined();
      return run(mem, [1, 0]).r0;
    });
    expect(runs).toEqual([0n, 0n]);
  });
});
