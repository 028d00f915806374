/**
 * @fileoverview A seeded generator of random BPF programs that are valid by construction, for the
 * differential tests (interpreter vs JIT, and optionally vs the kernel).
 *
 * A program initialises r0–r8 with random values and r9 with a pointer into its stack frame, then
 * runs random items: ALU/ALU64 (every operation, K and X, MOVSX, BSWAP/LE/BE, signed and
 * unsigned division), stack loads and stores through r10 and r9 (direct and sign-extending),
 * atomics on the stack, forward JMP/JMP32 branches, bounded loops (counter r8), may_goto,
 * helper calls, bpf-to-bpf calls into generated subprograms and bpf_throw (half the programs then
 * get an exception callback that dumps the frame it runs in). It ends by handing its stack
 * frame to the DUMP helper (or, in kernel mode, by folding the frame into r0) and exits.
 *
 * Kernel mode (`kernel: true`) adds what the kernel's verifier needs: the frame is zeroed first,
 * shift amounts are in range, no test helpers, subprograms use r0–r5 only and r1–r5 are
 * re-initialised after calls.
 */
import { Op } from '../../vm/isa.js';
import { BPF_THROW_ID } from '../../vm/kfuncs.js';
import { mulberry32 } from '../fuzz/rng.js';

/** Deterministic PRNG (mulberry32). */
export const prng = mulberry32;

/** Helper ids the generated programs call. */
export const MIX_HELPER = 1;
export const DUMP_HELPER = 2;
/** bpf_loop-like: calls the callback at r2 r1 & 3 times with (i, r3), sums the results into r0. */
export const LOOP_HELPER = 3;
/** Tail-calls the program itself when r1 is odd (the VM allows 33 per run). */
export const TAIL_HELPER = 4;
/** The packet LD_ABS/LD_IND read in `observe` (an Ethernet/IPv4/UDP frame). */
export const PACKET = Uint8Array.from(Buffer.from('02000000000202000000000108004500002000010000401166ca0a0000010a00000204d2162e000cf20270696e67', 'hex'));

export interface Item {
  op: number;
  dst?: number;
  src?: number;
  off?: number;
  imm?: number;
  /** Second-slot imm of lddw. */
  imm2?: number;
  /** Jump/call target label (resolved to off or imm). */
  to?: string;
  /** This item defines a label. */
  label?: string;
}

export interface GenOptions {
  /** Kernel-verifier-friendly programs. */
  kernel?: boolean;
  /** Body items (default 10–40). */
  size?: number;
  /** Allow deliberately faulting instructions now and then. */
  faults?: boolean;
}

export interface GeneratedProgram {
  bytes: Uint8Array;
  /** Items in the body (for reporting). */
  items: number;
  /** First instruction of the exception callback, when the program has one (LinkedProgram.exceptionCb). */
  exceptionCb?: number;
}

const ALU_CODES = [0x00, 0x10, 0x20, 0x30, 0x40, 0x50, 0x60, 0x70, 0x80, 0x90, 0xa0, 0xb0, 0xc0];
const JMP_CODES = [0x10, 0x20, 0x30, 0x40, 0x50, 0x60, 0x70, 0xa0, 0xb0, 0xc0, 0xd0];
const INTERESTING = [0, 1, -1, 2, 7, 31, 32, 63, 64, 0x7fffffff, -0x80000000, 0xff, 0xffff, -2, 0x12345678, 0x80];

/** Generate one program from `seed`. */
export function generateProgram(seed: number, opts: GenOptions = {}): GeneratedProgram {
  const rnd = prng(seed);
  const int = (n: number): number => Math.floor(rnd() * n);
  const pick = <T>(a: readonly T[]): T => a[int(a.length)];
  const chance = (p: number): boolean => rnd() < p;
  const kernel = opts.kernel === true;
  const imm32 = (): number => (chance(0.4) ? pick(INTERESTING) : (int(0x100000000) | 0)) | 0;
  const out: Item[] = [];
  let labels = 0;
  const newLabel = (): string => `L${labels++}`;
  const subs: { label: string; items: Item[] }[] = [];
  // no bpf_throw inside the exception callback (the verifier refuses it; unverified, it loops)
  let throwOk = !kernel;

  // ALU on data registers r0..r8 (r8 is the loop counter inside loops: excluded there).
  const alu = (dst: number, srcRegs: number[], into: Item[]): void => {
    const is64 = chance(0.6);
    const code = pick(ALU_CODES);
    const x = chance(0.5) && code !== 0x80;
    const cls = is64 ? 0x07 : 0x04;
    const it: Item = { op: code | cls | (x ? 0x08 : 0), dst, src: x ? pick(srcRegs) : 0, imm: x ? 0 : imm32() };
    if (code === 0x80 && kernel) it.imm = 0; // the kernel rejects NEG with reserved fields set
    if (code === 0x30 || code === 0x90) {
      it.off = chance(0.5) ? 1 : 0;
      if (kernel && !x && it.imm === 0) it.imm = 3; // the kernel rejects a constant zero divisor
    }
    if (code === 0xb0 && x) it.off = is64 ? pick([0, 0, 8, 16, 32]) : pick([0, 0, 8, 16]);
    if ((code === 0x60 || code === 0x70 || code === 0xc0) && !x && (kernel || chance(0.8))) it.imm = int(is64 ? 64 : 32);
    into.push(it);
    if (chance(0.08)) {
      // byte swaps
      const w = pick([16, 32, 64]);
      into.push({ op: pick([Op.LE, Op.BE, Op.BSWAP]), dst, imm: w });
    }
  };

  const SIZES = [0x00, 0x08, 0x10, 0x18];
  const BYTES: Record<number, number> = { 0x00: 4, 0x08: 2, 0x10: 1, 0x18: 8 };
  /** A stack address: base r10 with off in [-512, -size] or r9 (= r10 - 256) with off in [-256, 256 - size]. */
  const addr = (size: number): { base: number; off: number } => {
    // The kernel wants stack accesses aligned to their size.
    const align = (o: number): number => (kernel ? o - (((o % size) + size) % size) : o);
    if (chance(0.5)) return { base: 10, off: align(-size - int(512 - size + 1)) };
    return { base: 9, off: align(-256 + int(512 - size + 1)) };
  };
  const mem = (regs: number[], into: Item[]): void => {
    const sz = pick(SIZES);
    const n = BYTES[sz];
    const a = addr(n);
    const kind = int(4);
    if (kind === 0) into.push({ op: 0x61 | sz, dst: pick(regs), src: a.base, off: a.off });
    else if (kind === 1 && sz !== 0x18) into.push({ op: 0x81 | sz, dst: pick(regs), src: a.base, off: a.off });
    else if (kind === 2) into.push({ op: 0x62 | sz, dst: a.base, off: a.off, imm: imm32() });
    else into.push({ op: 0x63 | sz, dst: a.base, src: pick(regs), off: a.off });
  };
  const atomic = (regs: number[], into: Item[]): void => {
    const dw = chance(0.5);
    const n = dw ? 8 : 4;
    const a = addr(n);
    const imm = pick([0x00, 0x01, 0x40, 0x41, 0x50, 0x51, 0xa0, 0xa1, 0xe1, 0xf1]);
    into.push({ op: dw ? Op.ATOMIC64 : Op.ATOMIC32, dst: a.base, src: pick(regs), off: a.off, imm });
  };
  const cond = (regs: number[], into: Item[], to: string): void => {
    const j32 = chance(0.4);
    const x = chance(0.5);
    into.push({ op: pick(JMP_CODES) | (j32 ? 0x06 : 0x05) | (x ? 0x08 : 0), dst: pick(regs), src: x ? pick(regs) : 0, imm: x ? 0 : imm32(), to });
  };

  /** Straight-line-ish items with forward branches into `into`. */
  const body = (count: number, regs: number[], into: Item[], depth: number, inLoop: boolean): void => {
    // Kernel-mode subprograms see neither r9 nor an initialised stack: no memory items there.
    const memOk = !(kernel && depth > 0);
    const pending: { label: string; at: number }[] = [];
    for (let k = 0; k < count; k++) {
      for (const p of pending.filter((q) => q.at === k)) into.push({ op: -1, label: p.label });
      const r = rnd();
      if (r < 0.45) alu(pick(regs), regs, into);
      else if (r < 0.62 && memOk) mem(regs, into);
      else if (r < 0.68 && memOk) atomic(regs, into);
      else if (r < 0.8) {
        const l = newLabel();
        cond(regs, into, l);
        pending.push({ label: l, at: k + 1 + int(4) });
      } else if (r < 0.84 && !inLoop && depth === 0 && regs.includes(8)) {
        // bounded loop on r8
        const top = newLabel();
        into.push({ op: Op.MOV64_IMM, dst: 8, imm: 1 + int(6) });
        into.push({ op: -1, label: top });
        body(1 + int(5), regs.filter((x) => x !== 8), into, depth, true);
        into.push({ op: Op.SUB64_IMM, dst: 8, imm: 1 });
        into.push({ op: Op.JNE_IMM, dst: 8, imm: 0, to: top });
      } else if (r < 0.87) {
        const l = newLabel();
        into.push({ op: Op.JCOND, to: l });
        pending.push({ label: l, at: k + 1 + int(3) });
      } else if (r < 0.92 && !kernel) {
        const w = int(7);
        if (w === 0) {
          // callx through a register holding the helper id
          const reg = pick(regs.filter((q) => q !== 0));
          into.push({ op: Op.MOV64_IMM, dst: reg, imm: MIX_HELPER });
          into.push({ op: Op.CALLX, dst: reg });
        } else if (w === 1 && depth < 2) {
          // bpf_loop-style callback into a generated subprogram
          const l = newLabel();
          const sub: Item[] = [];
          body(1 + int(4), [0, 1, 2, 3, 4, 5, 6, 7], sub, depth + 1, true);
          sub.push({ op: Op.EXIT });
          subs.push({ label: l, items: sub });
          into.push({ op: Op.LDDW, dst: 2, src: 4, to: l });
          into.push({ op: Op.CALL, imm: LOOP_HELPER });
        } else if (w === 2 && chance(0.3)) {
          into.push({ op: Op.CALL, imm: TAIL_HELPER });
        } else if (w === 4 && throwOk) {
          // bpf_throw with a random cookie (docs/exceptions.md), also from subprograms and callbacks
          into.push(chance(0.5) ? { op: Op.LDDW, dst: 1, imm: imm32(), imm2: imm32() } : { op: Op.MOV64_IMM, dst: 1, imm: imm32() });
          into.push({ op: Op.CALL, src: 2, imm: BPF_THROW_ID });
        } else if (w === 3) {
          // legacy packet loads (LD_ABS / LD_IND; out of bounds ends the run with r0 = 0)
          const sz = pick([0x00, 0x08, 0x10]);
          if (chance(0.5)) into.push({ op: 0x20 | sz, imm: int(48) });
          else into.push({ op: 0x40 | sz, src: pick(regs), imm: int(48) });
        } else {
          into.push({ op: Op.CALL, imm: MIX_HELPER });
        }
      } else if (r < 0.96 && depth < 2) {
        const l = newLabel();
        const sub: Item[] = [];
        const subRegs = kernel ? [0, 1, 2, 3, 4, 5] : [0, 1, 2, 3, 4, 5, 6, 7];
        if (kernel) sub.push({ op: Op.MOV64_IMM, dst: 0, imm: imm32() });
        body(2 + int(6), subRegs, sub, depth + 1, true);
        sub.push({ op: Op.EXIT });
        subs.push({ label: l, items: sub });
        into.push({ op: Op.CALL, src: 1, to: l });
        if (kernel) for (let q = 1; q <= 5; q++) into.push({ op: Op.MOV64_IMM, dst: q, imm: imm32() });
      } else {
        into.push({ op: Op.LDDW, dst: pick(regs), imm: imm32(), imm2: imm32() });
      }
    }
    for (const p of pending) if (p.at >= count) into.push({ op: -1, label: p.label });
  };

  if (kernel) for (let o = 8; o <= 512; o += 8) out.push({ op: Op.STDW, dst: 10, off: -o, imm: 0 });
  for (let r = 0; r <= 8; r++) out.push(chance(0.3) ? { op: Op.LDDW, dst: r, imm: imm32(), imm2: imm32() } : { op: Op.MOV64_IMM, dst: r, imm: imm32() });
  out.push({ op: Op.MOV64_REG, dst: 9, src: 10 });
  out.push({ op: Op.ADD64_IMM, dst: 9, imm: -256 });
  const n = opts.size ?? 10 + int(31);
  body(n, [0, 1, 2, 3, 4, 5, 6, 7, 8], out, 0, false);
  if (opts.faults && chance(0.5)) {
    // One deliberate fault somewhere near the end.
    const f = int(4);
    if (f === 0) out.push({ op: 0xff });
    else if (f === 1) out.push({ op: Op.LDXDW, dst: 0, src: 10, off: 8 + 512 * 8 });
    else if (f === 2) out.push({ op: Op.DIV64_IMM, dst: 0, off: 5, imm: 3 });
    else out.push({ op: Op.STXDW, dst: 0, src: 1, off: 0 });
  }
  if (kernel) {
    for (let o = 8; o <= 512; o += 8) {
      out.push({ op: Op.LDXDW, dst: 1, src: 10, off: -o });
      out.push({ op: Op.MUL64_IMM, dst: 0, imm: 31 });
      out.push({ op: Op.XOR64_REG, dst: 0, src: 1 });
    }
  } else {
    out.push({ op: Op.MOV64_REG, dst: 1, src: 10 });
    out.push({ op: Op.ADD64_IMM, dst: 1, imm: -512 });
    out.push({ op: Op.CALL, imm: DUMP_HELPER });
  }
  out.push({ op: Op.EXIT });
  let exc: string | undefined;
  if (!kernel && chance(0.5)) {
    // an exception callback: a body on the cookie in r1, then the frame it runs in to DUMP
    exc = newLabel();
    throwOk = false;
    const cb: Item[] = [];
    body(1 + int(4), [0, 1, 2, 3, 4, 5, 6, 7], cb, 1, true);
    cb.push({ op: Op.MOV64_REG, dst: 1, src: 10 }, { op: Op.ADD64_IMM, dst: 1, imm: -512 }, { op: Op.CALL, imm: DUMP_HELPER }, { op: Op.EXIT });
    subs.push({ label: exc, items: cb });
  }
  for (const s of subs) {
    out.push({ op: -1, label: s.label });
    out.push(...s.items);
  }
  const { bytes, pos } = assemble(out);
  return { bytes, items: n, ...(exc !== undefined ? { exceptionCb: pos.get(exc) } : {}) };
}

/** Lay out items, resolve labels, encode. */
export function assemble(items: Item[]): { bytes: Uint8Array; pos: ReadonlyMap<string, number> } {
  const pos = new Map<string, number>();
  let pc = 0;
  for (const it of items) {
    if (it.op === -1) pos.set(it.label as string, pc);
    else pc += it.op === Op.LDDW ? 2 : 1;
  }
  const buf = new Uint8Array(pc * 8);
  const dv = new DataView(buf.buffer);
  pc = 0;
  const put = (op: number, dst: number, src: number, off: number, imm: number): void => {
    buf[pc * 8] = op;
    buf[pc * 8 + 1] = (dst & 15) | ((src & 15) << 4);
    dv.setInt16(pc * 8 + 2, off, true);
    dv.setInt32(pc * 8 + 4, imm | 0, true);
    pc++;
  };
  for (const it of items) {
    if (it.op === -1) continue;
    let off = it.off ?? 0;
    let imm = it.imm ?? 0;
    if (it.to !== undefined) {
      const t = pos.get(it.to) as number;
      if (it.op === Op.CALL || it.op === Op.LDDW) imm = t - pc - 1;
      else off = t - pc - 1;
    }
    put(it.op, it.dst ?? 0, it.src ?? 0, off, imm);
    if (it.op === Op.LDDW) put(0, 0, 0, 0, it.imm2 ?? 0);
  }
  return { bytes: buf, pos };
}

// ------------------------------------------------------------------------------------------
// Running a program under both engines

import { interpret } from '../../vm/interpreter.js';
import { compile } from '../../vm/jit/index.js';
import { link } from '../../vm/link.js';
import { Memory } from '../../vm/memory.js';
import { decode, readsArgsOnly, type HelperCall, type HelperFn, type LinkedProgram, type PacketProvider, type RunOptions } from '../../vm/program.js';

/** What one engine observably did. */
export interface Observed {
  r0lo: number;
  r0hi: number;
  insns: number;
  fault?: { code: string; insnIndex: number };
  /** Helper calls in order (MIX arguments, DUMP stack hex). */
  trace: string[];
}

/** The test helpers: MIX folds r1..r5 into r0; DUMP records 512 bytes at r1 and leaves r0. */
export function testHelpers(trace: string[], self: { prog?: LinkedProgram } = {}): HelperFn[] {
  const h: HelperFn[] = [];
  h[MIX_HELPER] = (c: HelperCall) => {
    const L = c.regs.lo;
    const H = c.regs.hi;
    trace.push(`mix ${L[1]} ${H[1]} ${L[2]} ${H[2]} ${L[3]} ${H[3]} ${L[4]} ${H[4]} ${L[5]} ${H[5]}`);
    L[0] = (Math.imul(L[1], 31) + (L[2] ^ H[3]) + L[4] - H[5]) | 0;
    H[0] = H[1] ^ L[2] ^ L[5];
  };
  h[LOOP_HELPER] = (c: HelperCall) => {
    const n = c.regs.lo[1] & 3;
    const fn = c.regs.lo[2];
    const ctx = c.regs.lo[3];
    trace.push(`loop ${n} ${fn}`);
    let acc = 0;
    for (let i = 0; i < n; i++) acc = (acc + (c.callback as NonNullable<HelperCall['callback']>)(fn, [[i, 0], [ctx, 0]])[0]) | 0;
    c.regs.lo[0] = acc;
    c.regs.hi[0] = 0;
  };
  h[TAIL_HELPER] = (c: HelperCall) => {
    trace.push(`tail ${c.tailCalls}`);
    if ((c.regs.lo[1] & 1) === 1 && self.prog !== undefined) c.tailCall = self.prog;
    c.regs.lo[0] = -1;
  };
  // DUMP only reads: marked so, the engines zero between runs only what the program itself
  // wrote (vm/jit/stack-reach.ts, interpreter.ts RunState.lw), which the repeated runs check.
  h[DUMP_HELPER] = readsArgsOnly((c: HelperCall) => {
    const b = c.mem.slice(c.regs.hi[1], c.regs.lo[1], 512);
    trace.push(b === undefined ? 'dump bad' : `dump ${Buffer.from(b).toString('hex')}`);
    // Every register as the program left it (the engines spill them all before a helper call).
    trace.push(`regs ${Array.from(c.regs.lo).join(' ')} / ${Array.from(c.regs.hi).join(' ')}`);
  });
  return h;
}

/** Link a generated program (or bare bytes) with helpers that log into `trace`. */
export function linkWithTrace(p: Uint8Array | GeneratedProgram, trace: string[]): LinkedProgram {
  const self: { prog?: LinkedProgram } = {};
  const g: { bytes: Uint8Array; exceptionCb?: number } = p instanceof Uint8Array ? { bytes: p } : p;
  self.prog = link(decode(g.bytes), { name: 'random', helpers: testHelpers(trace, self), ...(g.exceptionCb !== undefined ? { exceptionCb: g.exceptionCb } : {}) });
  return self.prog;
}

/** LD_ABS/LD_IND over PACKET (big-endian, undefined out of bounds). */
export function packetProvider(): PacketProvider {
  return {
    loadAbs(offset, size) {
      if (offset < 0 || offset + size > PACKET.length) return undefined;
      let v = 0;
      for (let k = 0; k < size; k++) v = v * 256 + PACKET[offset + k];
      return v;
    },
  };
}

/** Run under one engine on a fresh Memory. */
export function observe(p: Uint8Array | GeneratedProgram, engine: 'interp' | 'jit', opts: RunOptions = {}): Observed {
  const trace: string[] = [];
  const prog = linkWithTrace(p, trace);
  const mem = new Memory();
  const o = { packet: packetProvider(), ...opts };
  const r = engine === 'interp' ? interpret(prog, mem, o) : compile(prog).run(mem, o);
  return {
    r0lo: r.r0lo,
    r0hi: r.r0hi,
    insns: r.insns,
    fault: r.fault ? { code: r.fault.code, insnIndex: r.fault.insnIndex } : undefined,
    trace,
  };
}
