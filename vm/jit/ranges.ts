/**
 * @fileoverview Value ranges of registers for the JIT: an interval domain over the registers'
 * 64-bit values, run by compile.ts (blockFacts) over a function's blocks to a fixpoint, with
 * branch conditions narrowing each edge and widening to thresholds at joins that keep growing.
 *
 * A range [lo, hi] bounds a register's value read as a signed 64-bit integer. Bounds are exact
 * integers within ±BOUND; a bound that might leave that interval becomes -Infinity / +Infinity
 * (unknown on that side), so no bound is ever rounded. The JIT computes exactly the
 * interpreter's 64-bit values in its (lo, hi) int32 pairs, so a range is a fact about both
 * halves: a value certainly inside one 2^32 window [K·2^32, (K+1)·2^32) has the high half K
 * (an add, sub, mul, neg or left shift with such a result needs no carry or borrow, only its low
 * half), one inside int32 has the sign of its low half as its high half, and two values in one
 * window (or both in int32) compare as their low halves. The kernel's verifier tracks the same
 * kind of facts (umin/umax/smin/smax, adjusted per instruction by adjust_scalar_min_max_vals and
 * per branch by reg_set_min_max); this is a smaller, independent version of the idea, checked
 * against the interpreter by test/vm/jit-ranges.test.ts.
 */
import { AluOp, Class, JmpOp, Mode, Op, Source, accessBytes, opClass, opCode, opMode, opSource } from '../isa.js';
import type { DecodedProgram } from '../program.js';

/** Bounds beyond ±BOUND are not kept: every sum or difference of kept bounds is still exact. */
const BOUND = 2 ** 52;
const W = 2 ** 32;
const I32 = 2 ** 31;

/**
 * The ranges of r0–r10 (lo[r] ≤ value of r ≤ hi[r]). Plain arrays: the fixpoint copies them per
 * block, and V8 copies a small array several times faster than it makes a Float64Array.
 */
export interface Ranges {
  lo: number[];
  hi: number[];
}

/** Nothing known. */
export const unknownRanges = (): Ranges => ({ lo: new Array<number>(11).fill(-Infinity), hi: new Array<number>(11).fill(Infinity) });
export const copyRanges = (r: Ranges): Ranges => ({ lo: r.lo.slice(), hi: r.hi.slice() });

/** dst := src. */
export function assignRanges(dst: Ranges, src: Ranges): void {
  for (let k = 0; k < 11; k++) {
    dst.lo[k] = src.lo[k];
    dst.hi[k] = src.hi[k];
  }
}

/** Value in [0, 2^32): the high half is 0. */
export const inU32 = (lo: number, hi: number): boolean => lo >= 0 && hi < W;
/** Value in [-2^31, 2^31): the high half is the low half's sign. */
export const inI32 = (lo: number, hi: number): boolean => lo >= -I32 && hi < I32;

/** The high half K of every value of [lo, hi] when they share one 2^32 window, else NaN. */
export function windowOf(lo: number, hi: number): number {
  if (lo === -Infinity || hi === Infinity) return NaN;
  const k = Math.floor(lo / W);
  return Math.floor(hi / W) === k ? k : NaN;
}

/** Scratch result of aluRange. */
const OUT = new Float64Array(2);

function set(out: Float64Array, lo: number, hi: number): void {
  out[0] = lo < -BOUND || Number.isNaN(lo) ? -Infinity : lo;
  out[1] = hi > BOUND || Number.isNaN(hi) ? Infinity : hi;
}

/** The smallest 2^m - 1 ≥ v (v ≥ 0): a bound of a | b and a ^ b for a, b in [0, v]. */
function ones(v: number): number {
  if (v === Infinity) return Infinity;
  let p = 1;
  while (p <= v) p *= 2;
  return p - 1;
}

/**
 * The range of the result of ALU/ALU64 instruction `op` (with `off`, `imm`) on a dst in [dl, dh]
 * and a source in [sl, sh] (for a K form, the caller passes [imm, imm]), into `out`.
 */
export function aluRange(op: number, off: number, imm: number, dl: number, dh: number, sl: number, sh: number, out: Float64Array): void {
  const isX = opSource(op) === Source.X;
  const code = opCode(op);
  if (opClass(op) === Class.ALU) {
    // 32-bit: the result is zero-extended. Operands whose value is their low half (in [0, 2^32))
    // give tighter results for a few operations.
    const U = W - 1;
    const du = inU32(dl, dh);
    const bl = isX ? sl : imm >>> 0;
    const bh = isX ? sh : imm >>> 0;
    const bu = inU32(bl, bh);
    switch (code) {
      case AluOp.MOV:
        if (off === 0 && bu) return set(out, bl, bh);
        return set(out, 0, U);
      case AluOp.ADD:
        if (du && bu && dh + bh < W) return set(out, dl + bl, dh + bh);
        return set(out, 0, U);
      case AluOp.SUB:
        if (du && bu && dl - bh >= 0) return set(out, dl - bh, dh - bl);
        return set(out, 0, U);
      case AluOp.AND:
        return set(out, 0, Math.min(du ? dh : U, bu ? bh : U));
      case AluOp.RSH: {
        if (isX) return set(out, 0, du ? dh : U);
        const p = 2 ** (imm & 31); // the engines shift a 32-bit value by imm & 31 (JavaScript's >>>)
        return set(out, du ? Math.floor(dl / p) : 0, Math.floor((du ? dh : U) / p));
      }
      case AluOp.END:
        if (imm === 16) return set(out, 0, 0xffff);
        if (imm === 32) return set(out, 0, U);
        if (op === Op.LE && imm === 64) return set(out, dl, dh); // no-op
        return set(out, -Infinity, Infinity);
      default:
        return set(out, 0, U);
    }
  }
  switch (code) {
    case AluOp.ADD:
      return set(out, dl + sl, dh + sh);
    case AluOp.SUB:
      return set(out, dl - sh, dh - sl);
    case AluOp.MUL: {
      if (!Number.isFinite(dl + dh + sl + sh)) return set(out, -Infinity, Infinity);
      // Integer products round monotonically: one beyond BOUND stays beyond it.
      const a = dl * sl;
      const b = dl * sh;
      const c = dh * sl;
      const d = dh * sh;
      return set(out, Math.min(a, b, c, d), Math.max(a, b, c, d));
    }
    case AluOp.DIV:
    case AluOp.MOD:
      // Unsigned: a quotient or remainder is at most the dividend (by 0: 0, or the dividend).
      if (off === 0 && dl >= 0) return set(out, 0, dh);
      return set(out, -Infinity, Infinity);
    case AluOp.OR:
    case AluOp.XOR:
      if (dl >= 0 && sl >= 0) return set(out, 0, ones(Math.max(dh, sh)));
      return set(out, -Infinity, Infinity);
    case AluOp.AND:
      if (dl >= 0 && sl >= 0) return set(out, 0, Math.min(dh, sh));
      if (dl >= 0) return set(out, 0, dh);
      if (sl >= 0) return set(out, 0, sh);
      return set(out, -Infinity, Infinity);
    case AluOp.LSH: {
      if (isX) return set(out, -Infinity, Infinity);
      const p = 2 ** (imm & 63);
      return set(out, dl * p, dh * p);
    }
    case AluOp.RSH: {
      if (isX) return dl >= 0 ? set(out, 0, dh) : set(out, -Infinity, Infinity);
      const k = imm & 63;
      if (k === 0) return set(out, dl, dh);
      const p = 2 ** k;
      const cap = 2 ** (64 - k) - 1; // rounds only when beyond BOUND (k < 12)
      return set(out, dl >= 0 ? Math.floor(dl / p) : 0, dl >= 0 ? Math.min(Math.floor(dh / p), cap) : cap);
    }
    case AluOp.ARSH: {
      if (isX) return dl >= 0 ? set(out, 0, dh) : set(out, -Infinity, Infinity);
      const k = imm & 63;
      const p = 2 ** k;
      // An arithmetic shift is floor(v / 2^k) of the signed value.
      return set(out, dl === -Infinity ? -(2 ** (63 - k)) : Math.floor(dl / p), dh === Infinity ? 2 ** (63 - k) - 1 : Math.floor(dh / p));
    }
    case AluOp.NEG:
      return set(out, -dh, -dl);
    case AluOp.MOV:
      if (!isX || off === 0) return set(out, sl, sh);
      if (off === 8) return set(out, -0x80, 0x7f);
      if (off === 16) return set(out, -0x8000, 0x7fff);
      if (off === 32) return set(out, -I32, I32 - 1);
      return set(out, -Infinity, Infinity);
    case AluOp.END: // BSWAP
      if (imm === 16) return set(out, 0, 0xffff);
      if (imm === 32) return set(out, 0, W - 1);
      return set(out, -Infinity, Infinity);
    default:
      return set(out, -Infinity, Infinity);
  }
}

/** The range of the result of ALU instruction i of `c` on the ranges `r` (before i), into `out`. */
export function aluRangeAt(c: DecodedProgram, i: number, r: Ranges, out: Float64Array): void {
  const op = c.op[i];
  const s = c.src[i];
  const d = c.dst[i];
  const imm = c.imm[i];
  const isX = opSource(op) === Source.X;
  aluRange(op, c.off[i], imm, r.lo[d], r.hi[d], isX ? r.lo[s] : imm, isX ? r.hi[s] : imm, out);
}

/**
 * Apply instruction i (of a program of `n` slots) to the ranges: every register it may write gets
 * the range of what it writes, or unknown. `frameLoad`: i is a load from the function's own frame
 * at a constant offset (a ctx load may give a pointer, a map value anything: only frame bytes are
 * known to be plain bytes).
 */
export function stepRanges(c: DecodedProgram, n: number, i: number, r: Ranges, frameLoad: boolean): void {
  const op = c.op[i];
  const d = c.dst[i];
  const { lo, hi } = r;
  switch (opClass(op)) {
    case Class.ALU:
    case Class.ALU64:
      aluRangeAt(c, i, r, OUT);
      lo[d] = OUT[0];
      hi[d] = OUT[1];
      return;
    case Class.LD:
      if (op === Op.LDDW && i + 1 < n) {
        set(OUT, c.imm[i + 1] * W + (c.imm[i] >>> 0), c.imm[i + 1] * W + (c.imm[i] >>> 0));
        lo[d] = OUT[0];
        hi[d] = OUT[1];
      } else forget(r); // LD_ABS/LD_IND write r0–r5
      return;
    case Class.LDX: {
      const bits = accessBytes(op) * 8;
      const mode = opMode(op);
      if (frameLoad && bits < 64 && mode === Mode.MEM) set(OUT, 0, 2 ** bits - 1);
      else if (frameLoad && bits < 64 && mode === Mode.MEMSX) set(OUT, -(2 ** (bits - 1)), 2 ** (bits - 1) - 1);
      else set(OUT, -Infinity, Infinity);
      lo[d] = OUT[0];
      hi[d] = OUT[1];
      return;
    }
    case Class.ST:
      return;
    case Class.STX:
      if (opMode(op) === Mode.ATOMIC) forget(r); // fetch forms write src or r0
      return;
    default:
      // Helpers may write any register through call.regs; a callee r0–r5.
      if (op === Op.CALL || op === Op.CALLX) forget(r);
  }
}

function forget(r: Ranges): void {
  r.lo.fill(-Infinity);
  r.hi.fill(Infinity);
}

/** Relations a branch edge establishes between dst and src. */
const EQ = 0;
const NE = 1;
const LT = 2;
const LE = 3;
const GT = 4;
const GE = 5;
const NOT = [NE, EQ, GE, GT, LE, LT];
/** The same relation seen from the other operand. */
const FLIP = [EQ, NE, GT, GE, LT, LE];

function relOf(code: number): number {
  switch (code) {
    case JmpOp.JEQ: return EQ;
    case JmpOp.JNE: return NE;
    case JmpOp.JLT: case JmpOp.JSLT: return LT;
    case JmpOp.JLE: case JmpOp.JSLE: return LE;
    case JmpOp.JGT: case JmpOp.JSGT: return GT;
    case JmpOp.JGE: case JmpOp.JSGE: return GE;
    default: return -1; // JSET, JA, CALL, EXIT, JCOND
  }
}

/** Whether `op` is a conditional jump whose edges refineRanges narrows. */
export const isCompare = (op: number): boolean => (opClass(op) === Class.JMP || opClass(op) === Class.JMP32) && relOf(opCode(op)) >= 0;

/** x REL y for x in [xl, xh] and y in [yl, yh] (exact integers): x's narrowed bounds into OUT. */
function narrow(rel: number, xl: number, xh: number, yl: number, yh: number): void {
  switch (rel) {
    case EQ:
      OUT[0] = Math.max(xl, yl);
      OUT[1] = Math.min(xh, yh);
      return;
    case NE:
      OUT[0] = yl === yh && xl === yl ? xl + 1 : xl;
      OUT[1] = yl === yh && xh === yl ? xh - 1 : xh;
      return;
    case LT:
      OUT[0] = xl;
      OUT[1] = Math.min(xh, yh - 1);
      return;
    case LE:
      OUT[0] = xl;
      OUT[1] = Math.min(xh, yh);
      return;
    case GT:
      OUT[0] = Math.max(xl, yl + 1);
      OUT[1] = xh;
      return;
    default: // GE
      OUT[0] = Math.max(xl, yl);
      OUT[1] = xh;
  }
}

/**
 * Narrow the ranges `r` (after conditional jump i) to the edge where the jump is `taken` or not.
 * False when that edge is certainly never followed. Only compares the ranges can express as one
 * of =, ≠, <, ≤, >, ≥ between exact integers narrow anything:
 *   - 64-bit signed compares and equality: the values themselves;
 *   - 64-bit unsigned compares: values both in [0, 2^63) (and `x <u y` with y ≥ 0 puts x there);
 *   - 32-bit compares: values whose low half, read as the compare reads it (unsigned, or signed
 *     for the JSxx forms), is the value itself.
 */
export function refineRanges(c: DecodedProgram, i: number, taken: boolean, r: Ranges): boolean {
  const op = c.op[i];
  const code = opCode(op);
  let rel = relOf(code);
  if (rel < 0) return true;
  if (!taken) rel = NOT[rel];
  const isX = opSource(op) === Source.X;
  const d = c.dst[i];
  const s = c.src[i];
  const imm = c.imm[i];
  const { lo, hi } = r;
  const signed = code === JmpOp.JSGT || code === JmpOp.JSGE || code === JmpOp.JSLT || code === JmpOp.JSLE;
  let k = imm;
  if (opClass(op) === Class.JMP32) {
    // The low halves as the compare reads them must be the values.
    const fits = signed ? inI32 : code === JmpOp.JEQ || code === JmpOp.JNE ? (inU32(lo[d], hi[d]) ? inU32 : inI32) : inU32;
    if (fits === inU32) k = imm >>> 0;
    if (!fits(lo[d], hi[d]) || (isX && !fits(lo[s], hi[s]))) return true;
  } else if (!signed && rel !== EQ && rel !== NE) {
    // Unsigned: as integers only when both are non-negative (a negative value is above every
    // non-negative one); x <u y or x ≤u y with y ≥ 0 makes x non-negative.
    const yl = isX ? lo[s] : k;
    if (yl >= 0 && (rel === LT || rel === LE) && lo[d] < 0) lo[d] = 0;
    if (isX && lo[d] >= 0 && (rel === GT || rel === GE) && lo[s] < 0) lo[s] = 0;
    if (lo[d] < 0 || yl < 0 || (isX && lo[s] < 0)) return lo[d] <= hi[d] && (!isX || lo[s] <= hi[s]);
  }
  const yl = isX ? lo[s] : k;
  const yh = isX ? hi[s] : k;
  narrow(rel, lo[d], hi[d], yl, yh);
  lo[d] = OUT[0];
  hi[d] = OUT[1];
  if (lo[d] > hi[d]) return false;
  if (isX) {
    narrow(FLIP[rel], lo[s], hi[s], lo[d], hi[d]);
    lo[s] = OUT[0];
    hi[s] = OUT[1];
    if (lo[s] > hi[s]) return false;
  }
  return true;
}

/**
 * The widening thresholds of some instructions: the constants their compares test against (and
 * their neighbours), and the int32/uint32 limits. A join that keeps growing a bound moves it to
 * the next threshold instead of one step at a time, so a loop counting up to N settles at N
 * after a few passes, and the fixpoint is reached after finitely many.
 */
export function thresholds(c: DecodedProgram, insns: Iterable<number>): number[] {
  const t = new Set<number>([-I32 - 1, -I32, -1, 0, I32 - 1, I32, W - 1, W]);
  for (const i of insns) {
    const op = c.op[i];
    if (!isCompare(op) || opSource(op) === Source.X) continue;
    for (const k of [c.imm[i], c.imm[i] >>> 0]) for (const v of [k - 1, k, k + 1]) t.add(v);
  }
  return [...t].sort((a, b) => a - b);
}

/**
 * a := a ∪ b; whether a changed. With `widen` (sorted thresholds), a bound that grows goes to the
 * next threshold past it (or to infinity).
 */
export function joinRanges(a: Ranges, b: Ranges, widen: number[] | null): boolean {
  let changed = false;
  for (let k = 0; k < a.lo.length; k++) {
    if (b.lo[k] < a.lo[k]) {
      let v = b.lo[k];
      if (widen !== null) {
        let j = widen.length - 1;
        while (j >= 0 && widen[j] > v) j--;
        v = j >= 0 ? widen[j] : -Infinity;
      }
      a.lo[k] = v;
      changed = true;
    }
    if (b.hi[k] > a.hi[k]) {
      let v = b.hi[k];
      if (widen !== null) {
        let j = 0;
        while (j < widen.length && widen[j] < v) j++;
        v = j < widen.length ? widen[j] : Infinity;
      }
      a.hi[k] = v;
      changed = true;
    }
  }
  return changed;
}
