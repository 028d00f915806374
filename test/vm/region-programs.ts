/**
 * @fileoverview Seeded random programs that move between memory regions, for the differential
 * tests of the JIT's region cache (vm/jit/compile.ts: two cached regions kept across helper calls
 * while Memory.epoch stands still, handed between chunks, helper-returned pointers cached, inline
 * atomics on non-stack regions).
 *
 * The environment of one Memory: a packet P (its bytes replaced by REBIND, as an skb-changing
 * helper does), map values A and B (B released and replaced by RELEASE, so old pointers to it
 * must fault), a read-only region R, and the program's stack. GET hands out tagged pointers to
 * them (the run's argument r1 is one to P; GET 4 echoes the stack pointer in r2, so stack accesses leave the JIT's direct r10 path
 * and go through the cache). Programs load, store and run atomics through r6, r7 and r9 (pointers
 * from GET) at offsets in and just past the regions (32 bytes, the packet 40-100), move those pointers, call subprograms
 * (bpf-to-bpf, passing a pointer in r1, which may call the helpers themselves) and tail-call
 * themselves; they end with DUMP, which records every region's bytes.
 */
import { Op } from '../../vm/isa.js';
import { BASE_LO, Memory, type Region } from '../../vm/memory.js';
import type { HelperCall, HelperFn } from '../../vm/program.js';
import { assemble, prng, type Item } from './random-programs.js';

export const GET = 1;
export const REBIND = 2;
export const RELEASE = 3;
export const DUMP = 4;
export const TAIL = 5;

/** The regions of one Memory and the helpers that hand them out and change them. */
export interface RegionEnv {
  mem: Memory;
  helpers: HelperFn[];
  trace: string[];
  /** The run's argument r1: a pointer to P (so no helper call precedes the first access). */
  args(): [number, number][];
  /** Between two runs: a new packet in P and a new B (as the next packet of a test run). */
  between(): void;
  /** The program tail-called by TAIL (set once linked). */
  self: { prog?: import('../../vm/program.js').LinkedProgram };
}

const fill = (n: number, seed: number): Uint8Array => Uint8Array.from({ length: n }, (_, k) => (k * 37 + seed) & 255);

export function regionEnv(): RegionEnv {
  const mem = new Memory();
  const trace: string[] = [];
  const self: RegionEnv['self'] = {};
  let p = mem.alloc('packet', fill(64, 1));
  const a = mem.alloc('map-value', fill(32, 2));
  let b: Region = mem.alloc('map-value', fill(32, 3));
  const r = mem.alloc('global', fill(32, 4), { writable: false });
  let rebinds = 0;
  const ptr = (c: HelperCall, rg: Region | undefined): void => {
    c.regs.lo[0] = rg === undefined ? 0 : BASE_LO;
    c.regs.hi[0] = rg === undefined ? 0 : rg.hi;
    c.regs.tag[0] = rg === undefined ? 0 : rg.hi;
  };
  const helpers: HelperFn[] = [];
  helpers[GET] = (c) => {
    const k = c.regs.lo[1] & 63;
    if (k >= 48) {
      // the stack pointer in r2, with its provenance
      c.regs.lo[0] = c.regs.lo[2];
      c.regs.hi[0] = c.regs.hi[2];
      c.regs.tag[0] = c.regs.tag[2];
      return;
    }
    // (R, read-only, one time in 16: a store through it faults.)
    ptr(c, (k & 15) === 3 ? r : [a, b, p][k % 3]);
  };
  const between = (): void => {
    mem.rebind(p, fill(48 + rebinds++, 11));
    mem.release(b);
    b = mem.alloc('map-value', fill(32, 12));
  };
  helpers[REBIND] = (c) => {
    // New bytes of another length, as after bpf_skb_change_tail: pointers into P see them.
    const n = 40 + (c.regs.lo[1] & 31) + rebinds;
    rebinds++;
    const old = p.bytes;
    const nb = fill(n, 5 + rebinds);
    nb.set(old.subarray(0, Math.min(n, old.length, 8)));
    mem.rebind(p, nb);
    trace.push(`rebind ${n}`);
    c.regs.lo[0] = 0;
    c.regs.hi[0] = 0;
  };
  helpers[RELEASE] = (c) => {
    // B dies (old pointers fault) and a new B takes its place.
    mem.release(b);
    b = mem.alloc('map-value', fill(32, 9));
    trace.push('release');
    c.regs.lo[0] = 0;
    c.regs.hi[0] = 0;
  };
  helpers[DUMP] = (c) => {
    trace.push(`dump ${[p, a, b, r].map((x) => Buffer.from(x.bytes).toString('hex')).join(' ')}`);
    c.regs.lo[0] = 0;
    c.regs.hi[0] = 0;
  };
  helpers[TAIL] = (c) => {
    trace.push(`tail ${c.tailCalls}`);
    if ((c.regs.lo[1] & 3) === 1 && self.prog !== undefined) c.tailCall = self.prog;
    c.regs.lo[0] = -1;
    c.regs.hi[0] = 0;
  };
  return { mem, helpers, trace, self, between, args: () => [[BASE_LO, p.hi]] };
}

const SIZE_BITS = [0x00, 0x08, 0x10, 0x18];
const BYTES: Record<number, number> = { 0x00: 4, 0x08: 2, 0x10: 1, 0x18: 8 };
const ATOMICS = [0x00, 0x01, 0x40, 0x41, 0x50, 0x51, 0xa0, 0xa1, 0xe1, 0xf1];
const PTRS = [6, 7, 9];
const DATA = [0, 1, 2, 3, 4, 5, 8];

/** One program from `seed` (valid encoding; it may fault, as both engines must alike). */
export function regionProgram(seed: number): Uint8Array {
  const rnd = prng(seed);
  const int = (n: number): number => Math.floor(rnd() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)];
  const chance = (q: number): boolean => rnd() < q;
  let labels = 0;
  const subs: { label: string; items: Item[] }[] = [];
  // mostly in [4, 24] of a 32-byte region (a pointer moved by ±4 stays inside), sometimes past
  // its end or into the packet's tail
  const offset = (n: number): number => (chance(0.98) ? 4 + int(21 - n) : chance(0.5) ? 32 - n + 1 + int(8) : int(80));
  const get = (dst: number, into: Item[]): void => {
    into.push({ op: Op.MOV64_IMM, dst: 1, imm: int(64) });
    into.push({ op: Op.MOV64_REG, dst: 2, src: 10 }, { op: Op.ADD64_IMM, dst: 2, imm: -32 - 8 * int(8) });
    into.push({ op: Op.CALL, imm: GET });
    into.push({ op: Op.MOV64_REG, dst, src: 0 });
  };
  const access = (base: number, regs: number[], into: Item[]): void => {
    const sz = pick(SIZE_BITS);
    const n = BYTES[sz];
    const off = offset(n);
    const k = int(5);
    if (k === 0 || k === 1) into.push({ op: 0x61 | sz, dst: pick(regs), src: base, off });
    else if (k === 2) into.push({ op: 0x62 | sz, dst: base, off, imm: int(0x10000) - 0x8000 });
    else if (k === 3) into.push({ op: 0x63 | sz, dst: base, src: pick(regs), off });
    else into.push({ op: chance(0.5) ? Op.ATOMIC64 : Op.ATOMIC32, dst: base, src: pick(regs.filter((x) => x !== 0)), off: offset(8) & ~3, imm: pick(ATOMICS) });
  };
  const body = (count: number, into: Item[], depth: number): void => {
    const pending: { label: string; at: number }[] = [];
    const ptrs = depth === 0 ? PTRS : [6];
    const regs = depth === 0 ? DATA : [0, 2, 3, 4, 5];
    for (let k = 0; k < count; k++) {
      for (const q of pending.filter((x) => x.at === k)) into.push({ op: -1, label: q.label });
      const r = rnd();
      if (r < 0.5) access(pick(ptrs), regs, into);
      else if (r < 0.6) {
        const dst = pick(regs);
        into.push(chance(0.5) ? { op: Op.MOV64_IMM, dst, imm: int(1000) - 500 } : { op: Op.ADD64_REG, dst, src: pick(regs) });
      } else if (r < 0.66) {
        // pointer arithmetic (small moves stay in the region; 2^32 moves the high half: a fault)
        const dst = pick(ptrs);
        if (chance(0.95)) {
          // a move there and back around an access
          const m = int(9) - 4;
          into.push({ op: Op.ADD64_IMM, dst, imm: m });
          access(dst, regs, into);
          into.push({ op: Op.ADD64_IMM, dst, imm: -m });
        } else into.push({ op: Op.LDDW, dst: 8, imm: 0, imm2: 1 }, { op: Op.ADD64_REG, dst, src: 8 });
      } else if (r < 0.74) {
        const l = `L${labels++}`;
        into.push({ op: pick([Op.JNE_IMM, Op.JGT_IMM, Op.JSLT_IMM]), dst: pick(regs), imm: int(64), to: l });
        pending.push({ label: l, at: k + 1 + int(4) });
      } else if (r < 0.84 && depth === 0) get(pick(ptrs), into);
      else if (r < 0.88) {
        into.push({ op: Op.MOV64_IMM, dst: 1, imm: int(64) }, { op: Op.CALL, imm: REBIND });
        if (depth === 0 && chance(0.5)) get(pick(ptrs), into);
      } else if (r < 0.9) into.push({ op: Op.CALL, imm: RELEASE });
      else if (r < 0.96 && depth === 0) {
        const l = `S${labels++}`;
        // (the pointer argument in r6, which the caller gets back unchanged)
        const sub: Item[] = [{ op: Op.MOV64_REG, dst: 6, src: 1 }];
        body(2 + int(6), sub, 1);
        sub.push({ op: Op.EXIT });
        subs.push({ label: l, items: sub });
        into.push({ op: Op.MOV64_REG, dst: 1, src: pick(ptrs) }, { op: Op.CALL, src: 1, to: l });
      } else if (depth === 0 && chance(0.3)) into.push({ op: Op.MOV64_IMM, dst: 1, imm: int(4) }, { op: Op.CALL, imm: TAIL });
      else access(pick(ptrs), regs, into);
    }
    for (const q of pending) if (q.at >= count) into.push({ op: -1, label: q.label });
  };
  const out: Item[] = [{ op: Op.MOV64_REG, dst: 7, src: 1 }];
  for (const r of DATA) out.push({ op: Op.MOV64_IMM, dst: r, imm: int(0x10000) });
  // (accesses before any helper call: what the cache holds when a run starts matters)
  for (let k = int(3); k > 0; k--) access(7, DATA, out);
  for (const r of PTRS) if (r !== 7 || chance(0.3)) get(r, out);
  body(15 + int(40), out, 0);
  out.push({ op: Op.CALL, imm: DUMP }, { op: Op.MOV64_REG, dst: 0, src: 3 }, { op: Op.EXIT });
  for (const s of subs) out.push({ op: -1, label: s.label }, ...s.items);
  return assemble(out).bytes;
}
