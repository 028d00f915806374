/**
 * @fileoverview Scalar value tracking: the kernel's bounds synchronisation (reg_bounds_sync),
 * ALU transfer functions (adjust_scalar_min_max_vals and its scalar*_min_max_* helpers),
 * branch refinement (regs_refine_cond_op) and branch decision (is_scalar_branch_taken).
 * Each rule is re-derived from what the kernel function guarantees, not copied.
 */
import { AluOp, JmpOp, opCode } from '../isa.js';
import { RT, Reg, S32_MAX, S32_MIN, S64_MAX, S64_MIN, U32_MAX, U64_MAX, markKnown, markUnbounded } from './reg.js';
import { syncHalves } from './sync-halves.js';
import { syncU32 } from './sync-u32.js';
import { recall, remember } from './sync-memo.js';
import {
  TUNKNOWN,
  U32,
  tAdd,
  tAnd,
  tCast,
  tArshift,
  tClearSubreg,
  tIntersect,
  tLshift,
  lo32,
  tMul,
  tOr,
  tRange,
  tRshift,
  tStep,
  tSub,
  tSubreg,
  tWithSubreg,
  tXor,
  tconst,
  type Tnum,
} from './tnum.js';

const maxB = (a: bigint, b: bigint): bigint => (a > b ? a : b);
const minB = (a: bigint, b: bigint): bigint => (a < b ? a : b);
const s64 = (x: bigint): bigint => BigInt.asIntN(64, x);
const u64 = (x: bigint): bigint => BigInt.asUintN(64, x);
const s32 = (x: number): number => x | 0;
const u32 = (x: number): number => x >>> 0;
/** 2^n for shift counts: `2 ** n` with a variable n is a slow call into Math.pow. */
const POW2 = Array.from({ length: 32 }, (_, n) => 2 ** n);

/** __update_reg32_bounds + __update_reg64_bounds: tighten the bounds with what var_off knows. */
function updateBounds(r: Reg): void {
  const t = r.v;
  const sub = tSubreg(t);
  const sv = lo32(sub.v);
  const sm = lo32(sub.m);
  r.s32min = Math.max(r.s32min, s32(sv | (sm & 0x80000000)));
  r.s32max = Math.min(r.s32max, s32(sv | (sm & 0x7fffffff)));
  r.u32min = Math.max(r.u32min, sv);
  r.u32max = Math.min(r.u32max, u32(sv | sm));
  r.smin = maxB(r.smin, s64(t.v | (t.m & (1n << 63n))));
  r.smax = minB(r.smax, s64(t.v | (t.m & S64_MAX)));
  r.umin = maxB(r.umin, t.v);
  r.umax = minB(r.umax, t.v | t.m);
  if (t.m === 0n) return;
  // the unsigned range and the tnum may share a single value: then it is that constant
  // (__update_reg64_bounds with tnum_step)
  const next = tStep(t, r.umin);
  const uminIn = (r.umin & ~t.m & U64_MAX) === t.v;
  const tmax = t.v | t.m;
  if (uminIn && next > r.umax) markKnown(r, r.umin);
  else if (!uminIn && next === tmax) markKnown(r, tmax);
  else if (!uminIn && next <= r.umax && tStep(t, next) > r.umax) markKnown(r, next);
}

/** __reg32_deduce_bounds: 32-bit bounds from the 64-bit ones and from each other. */
function deduce32(r: Reg): void {
  if (r.umin >> 32n === r.umax >> 32n) {
    r.u32min = Math.max(r.u32min, lo32(r.umin));
    r.u32max = Math.min(r.u32max, lo32(r.umax));
    if (s32(lo32(r.umin)) <= s32(lo32(r.umax))) {
      r.s32min = Math.max(r.s32min, s32(lo32(r.umin)));
      r.s32max = Math.min(r.s32max, s32(lo32(r.umax)));
    }
  }
  if (r.smin >> 32n === r.smax >> 32n) {
    r.u32min = Math.max(r.u32min, lo32(r.smin));
    r.u32max = Math.min(r.u32max, lo32(r.smax));
    if (s32(lo32(r.smin)) <= s32(lo32(r.smax))) {
      r.s32min = Math.max(r.s32min, s32(lo32(r.smin)));
      r.s32max = Math.min(r.s32max, s32(lo32(r.smax)));
    }
  }
  // a 64-bit range whose upper halves differ by one and whose low halves cross the s32 sign
  if (((r.umin >> 32n) + 1n) & U32) {
    if ((((r.umin >> 32n) + 1n) & U32) === ((r.umax >> 32n) & U32) && s32(lo32(r.umin)) < 0 && s32(lo32(r.umax)) >= 0) {
      r.s32min = Math.max(r.s32min, s32(lo32(r.umin)));
      r.s32max = Math.min(r.s32max, s32(lo32(r.umax)));
    }
  }
  if ((((r.smin >> 32n) + 1n) & U32) === ((r.smax >> 32n) & U32) && s32(lo32(r.smin)) < 0 && s32(lo32(r.smax)) >= 0) {
    r.s32min = Math.max(r.s32min, s32(lo32(r.smin)));
    r.s32max = Math.min(r.s32max, s32(lo32(r.smax)));
  }
  if (s32(r.u32min) <= s32(r.u32max)) {
    r.s32min = Math.max(r.s32min, s32(r.u32min));
    r.s32max = Math.min(r.s32max, s32(r.u32max));
  }
  if (u32(r.s32min) <= u32(r.s32max)) {
    r.u32min = Math.max(r.u32min, u32(r.s32min));
    r.u32max = Math.min(r.u32max, u32(r.s32max));
  } else if (r.u32max < u32(r.s32min)) {
    // the s32 range crosses the sign boundary and the u32 range meets only its non-negative
    // part (as deduce64 does for 64 bits)
    r.s32min = s32(r.u32min);
    r.u32max = Math.min(r.u32max, u32(r.s32max));
  } else if (u32(r.s32max) < r.u32min) {
    // ... or only its negative part
    r.s32max = s32(r.u32max);
    r.u32min = Math.max(r.u32min, u32(r.s32min));
  }
}

/** __reg64_deduce_bounds: signed and unsigned 64-bit bounds from each other. */
function deduce64(r: Reg): void {
  if (s64(r.umin) <= s64(r.umax)) {
    r.smin = maxB(r.smin, s64(r.umin));
    r.smax = minB(r.smax, s64(r.umax));
  }
  if (u64(r.smin) <= u64(r.smax)) {
    r.umin = maxB(r.umin, u64(r.smin));
    r.umax = minB(r.umax, u64(r.smax));
  } else if (r.umax < u64(r.smin)) {
    // the signed range crosses the sign boundary; the unsigned one sits in its non-negative half
    r.smin = s64(r.umin);
    r.umax = minB(r.umax, u64(r.smax));
  } else if (u64(r.smax) < r.umin) {
    r.smax = s64(r.umax);
    r.umin = maxB(r.umin, u64(r.smin));
  }
}

/** __reg_deduce_mixed_bounds: 64-bit bounds from the 32-bit ones. */
function deduceMixed(r: Reg): void {
  const hiMask = ~U32 & U64_MAX;
  const nUmin = (r.umin & hiMask) | BigInt(r.u32min);
  const nUmax = (r.umax & hiMask) | BigInt(r.u32max);
  r.umin = maxB(r.umin, nUmin);
  r.umax = minB(r.umax, nUmax);
  const nSmin = s64((u64(r.smin) & hiMask) | BigInt(r.u32min));
  const nSmax = s64((u64(r.smax) & hiMask) | BigInt(r.u32max));
  r.smin = maxB(r.smin, nSmin);
  r.smax = minB(r.smax, nSmax);
  if (r.s32min >= 0 && r.smin >= BigInt(S32_MIN) && r.smax <= BigInt(S32_MAX)) {
    r.smin = BigInt(r.s32min);
    r.smax = BigInt(r.s32max);
    r.umin = BigInt(r.s32min);
    r.umax = BigInt(r.s32max);
    r.v = tIntersect(r.v, tRange(r.smin, r.smax));
  }
}

/** __reg_bound_offset: var_off from the unsigned bounds. */
function boundOffset(r: Reg): void {
  const v64 = tIntersect(r.v, tRange(r.umin, r.umax));
  const v32 = tIntersect(tSubreg(r.v), tRange(BigInt(r.u32min), BigInt(r.u32max)));
  r.v = tOr(tClearSubreg(v64), v32);
}

/** reg_bounds_sync. */
export function sync(r: Reg): void {
  // A known constant inside its bounds: every bound becomes the constant, which is where the
  // full round below ends too (a constant outside them must go the long way to end insane).
  const t = r.v;
  if (t.m === 0n) {
    const c = t.v;
    const sc = s64(c);
    const lo = lo32(c);
    const slo = s32(lo);
    if (
      r.umin <= c && c <= r.umax && r.smin <= sc && sc <= r.smax &&
      r.u32min <= lo && lo <= r.u32max && r.s32min <= slo && slo <= r.s32max
    ) {
      r.umin = r.umax = c;
      r.smin = r.smax = sc;
      r.u32min = r.u32max = lo;
      r.s32min = r.s32max = slo;
      return;
    }
  }
  if (isUnbounded(r)) return; // the full round leaves an unknown scalar as it is
  const at = recall(r);
  if (at < 0) return;
  const { v, umin, umax, smin, smax, u32min, u32max, s32min, s32max } = r;
  // numbers instead of bigints: u32-sized bounds, else any bounds on 32-bit halves
  if (!syncU32(r) && !syncHalves(r)) syncFull(r);
  remember(at, v, umin, umax, smin, smax, u32min, u32max, s32min, s32max, r);
}

/** An unknown scalar: every bound and the tnum at their widest. */
function isUnbounded(r: Reg): boolean {
  return (
    r.v.m === U64_MAX && r.umin === 0n && r.umax === U64_MAX && r.smin === S64_MIN && r.smax === S64_MAX &&
    r.u32min === 0 && r.u32max === U32_MAX && r.s32min === S32_MIN && r.s32max === S32_MAX
  );
}

/** reg_bounds_sync's full round in bigints (sync's fast paths give the same result). */
export function syncFull(r: Reg): void {
  updateBounds(r);
  deduce32(r);
  deduce64(r);
  deduceMixed(r);
  deduce32(r);
  deduce64(r);
  deduceMixed(r);
  boundOffset(r);
  updateBounds(r);
}

/** Whether the bounds describe at least one value (reg_bounds_sanity_check). */
export function sane(r: Reg): boolean {
  if (r.umin > r.umax || r.smin > r.smax || r.u32min > r.u32max || r.s32min > r.s32max) return false;
  const t = r.v;
  if (r.umin > (t.v | t.m) || r.umax < t.v) return false;
  return true;
}

/** 32-bit result written to a register: zero-extended (zext_32_to_64 / __reg_assign_32_into_64). */
export function zext32(r: Reg): void {
  r.v = tSubreg(r.v);
  if (r.u32min <= r.u32max) {
    r.umin = BigInt(r.u32min);
    r.umax = BigInt(r.u32max);
  }
  r.smin = r.umin;
  r.smax = r.umax;
  sync(r);
}

/** Truncate to `size` bytes (coerce_reg_to_size), as for narrow loads and 32-bit moves. */
export function coerce(r: Reg, size: number): void {
  if (size >= 8) return;
  // most narrow loads give an unknown scalar of the width (packet bytes, ctx fields): the same
  // bounds each time, so they are computed once per size
  if (isUnbounded(r)) {
    let t = UNKNOWN_OF_SIZE[size];
    if (t === undefined) {
      t = new Reg();
      t.t = RT.SCALAR;
      coerceBounds(t, size);
      UNKNOWN_OF_SIZE[size] = t;
    }
    r.v = t.v;
    r.umin = t.umin;
    r.umax = t.umax;
    r.smin = t.smin;
    r.smax = t.smax;
    r.u32min = t.u32min;
    r.u32max = t.u32max;
    r.s32min = t.s32min;
    r.s32max = t.s32max;
    return;
  }
  coerceBounds(r, size);
}

/** An unknown scalar coerced to 1, 2, 4 bytes (by coerceBounds, on first use). */
const UNKNOWN_OF_SIZE: (Reg | undefined)[] = [];

/** coerce without its shortcut for an unknown scalar (the test compares both). */
export function coerceBounds(r: Reg, size: number): void {
  const mask = (1n << BigInt(size * 8)) - 1n;
  r.v = { v: r.v.v & mask, m: r.v.m & mask };
  if ((r.umin & ~mask) === (r.umax & ~mask)) {
    r.umin &= mask;
    r.umax &= mask;
  } else {
    r.umin = 0n;
    r.umax = mask;
  }
  r.smin = r.umin;
  r.smax = r.umax;
  r.s32min = S32_MIN;
  r.s32max = S32_MAX;
  r.u32min = 0;
  r.u32max = U32_MAX;
  if (size === 4) {
    r.u32min = Number(r.umin);
    r.u32max = Number(r.umax);
  }
  sync(r);
}

/**
 * Sign-extend the low `size` bytes: coerce_reg_to_size_sx for 64-bit results (movsx64, LDSX),
 * coerce_subreg_to_size_sx then zero extension for 32-bit ones (movsx32). A range keeps its
 * bounds when all of it shares the bits above `size` and stays on one side of zero after the
 * extension; otherwise it becomes the whole narrow signed range.
 */
export function coerceSx(r: Reg, size: number, to32: boolean): void {
  const bits = size * 8;
  const nmin = -(2 ** (bits - 1));
  const nmax = 2 ** (bits - 1) - 1;
  if (to32) {
    if (r.v.m === 0n) {
      markKnown(r, BigInt.asIntN(bits, r.v.v));
    } else {
      const top = (x: number): number => size === 4 ? 0 : Math.floor(u32(x) / 2 ** bits);
      const ext = (x: number): number => Number(BigInt.asIntN(bits, BigInt(x)));
      const a = ext(r.s32max);
      const b = ext(r.s32min);
      const lo = Math.min(a, b);
      const hi = Math.max(a, b);
      if (top(r.s32max) === top(r.s32min) && lo >= 0 === hi >= 0) {
        r.s32min = lo;
        r.s32max = hi;
        r.u32min = u32(lo);
        r.u32max = u32(hi);
        r.v = tCast(tRange(u64(BigInt(lo)), u64(BigInt(hi))), 4);
      } else {
        r.s32min = nmin;
        r.s32max = nmax;
        r.u32min = 0;
        r.u32max = U32_MAX;
        r.v = tCast(TUNKNOWN, 4);
      }
    }
    zext32(r);
    return;
  }
  if (r.v.m === 0n) {
    markKnown(r, BigInt.asIntN(bits, r.v.v));
    return;
  }
  const sh = BigInt(bits);
  const a = BigInt.asIntN(bits, r.smax);
  const b = BigInt.asIntN(bits, r.smin);
  const lo = minB(a, b);
  const hi = maxB(a, b);
  if (u64(r.smax) >> sh === u64(r.smin) >> sh && lo >= 0n === hi >= 0n) {
    r.smin = lo;
    r.smax = hi;
    r.s32min = Number(lo);
    r.s32max = Number(hi);
    r.umin = u64(lo);
    r.umax = u64(hi);
    r.u32min = lo32(r.umin);
    r.u32max = lo32(r.umax);
    r.v = tRange(r.umin, r.umax);
  } else {
    r.smin = BigInt(nmin);
    r.smax = BigInt(nmax);
    r.s32min = nmin;
    r.s32max = nmax;
    r.umin = 0n;
    r.umax = U64_MAX;
    r.u32min = 0;
    r.u32max = U32_MAX;
    r.v = TUNKNOWN;
  }
  sync(r);
}

// ---------- ALU ----------

function add64(d: Reg, s: Reg): void {
  // each sum made once (a bigint addition allocates)
  const smin = d.smin + s.smin;
  const smax = d.smax + s.smax;
  if (smin < S64_MIN || smin > S64_MAX || smax < S64_MIN || smax > S64_MAX) {
    d.smin = S64_MIN;
    d.smax = S64_MAX;
  } else {
    d.smin = smin;
    d.smax = smax;
  }
  const umin = d.umin + s.umin;
  const umax = d.umax + s.umax;
  if (umin > U64_MAX || umax > U64_MAX) {
    d.umin = 0n;
    d.umax = U64_MAX;
  } else {
    d.umin = umin;
    d.umax = umax;
  }
}
function add32(d: Reg, s: Reg): void {
  const a = d.s32min + s.s32min;
  const b = d.s32max + s.s32max;
  if (a < S32_MIN || a > S32_MAX || b < S32_MIN || b > S32_MAX) {
    d.s32min = S32_MIN;
    d.s32max = S32_MAX;
  } else {
    d.s32min = a;
    d.s32max = b;
  }
  if (d.u32min + s.u32min > U32_MAX || d.u32max + s.u32max > U32_MAX) {
    d.u32min = 0;
    d.u32max = U32_MAX;
  } else {
    d.u32min += s.u32min;
    d.u32max += s.u32max;
  }
}
function sub64(d: Reg, s: Reg): void {
  const a = d.smin - s.smax;
  const b = d.smax - s.smin;
  if (a < S64_MIN || a > S64_MAX || b < S64_MIN || b > S64_MAX) {
    d.smin = S64_MIN;
    d.smax = S64_MAX;
  } else {
    d.smin = a;
    d.smax = b;
  }
  if (d.umin < s.umax) {
    d.umin = 0n;
    d.umax = U64_MAX;
  } else {
    d.umin -= s.umax;
    d.umax -= s.umin;
  }
}
function sub32(d: Reg, s: Reg): void {
  const a = d.s32min - s.s32max;
  const b = d.s32max - s.s32min;
  if (a < S32_MIN || a > S32_MAX || b < S32_MIN || b > S32_MAX) {
    d.s32min = S32_MIN;
    d.s32max = S32_MAX;
  } else {
    d.s32min = a;
    d.s32max = b;
  }
  if (d.u32min < s.u32max) {
    d.u32min = 0;
    d.u32max = U32_MAX;
  } else {
    d.u32min -= s.u32max;
    d.u32max -= s.u32min;
  }
}
function mul64(d: Reg, s: Reg): void {
  const umin = d.umin * s.umin;
  const umax = d.umax * s.umax;
  if (umax > U64_MAX) {
    d.umin = 0n;
    d.umax = U64_MAX;
  } else {
    d.umin = umin;
    d.umax = umax;
  }
  const p = [d.smin * s.smin, d.smin * s.smax, d.smax * s.smin, d.smax * s.smax];
  const lo = p.reduce(minB);
  const hi = p.reduce(maxB);
  if (lo < S64_MIN || hi > S64_MAX) {
    d.smin = S64_MIN;
    d.smax = S64_MAX;
  } else {
    d.smin = lo;
    d.smax = hi;
  }
}
function mul32(d: Reg, s: Reg): void {
  const umax = d.u32max * s.u32max;
  if (umax > U32_MAX) {
    d.u32min = 0;
    d.u32max = U32_MAX;
  } else {
    d.u32min = d.u32min * s.u32min;
    d.u32max = umax;
  }
  const p = [d.s32min * s.s32min, d.s32min * s.s32max, d.s32max * s.s32min, d.s32max * s.s32max];
  const lo = Math.min(...p);
  const hi = Math.max(...p);
  if (lo < S32_MIN || hi > S32_MAX) {
    d.s32min = S32_MIN;
    d.s32max = S32_MAX;
  } else {
    d.s32min = lo;
    d.s32max = hi;
  }
}
/** Signed bounds after a bitwise op: from the unsigned ones when they don't cross the sign. */
function bitSigned64(d: Reg): void {
  if (s64(d.umin) <= s64(d.umax)) {
    d.smin = s64(d.umin);
    d.smax = s64(d.umax);
  } else {
    d.smin = S64_MIN;
    d.smax = S64_MAX;
  }
}
function bitSigned32(d: Reg): void {
  if (s32(d.u32min) <= s32(d.u32max)) {
    d.s32min = s32(d.u32min);
    d.s32max = s32(d.u32max);
  } else {
    d.s32min = S32_MIN;
    d.s32max = S32_MAX;
  }
}

/**
 * dst = dst OP src for two scalars (adjust_scalar_min_max_vals); `alu32` for the BPF_ALU class.
 * Operations whose result range the kernel does not compute (div, mod, shifts by a
 * non-constant) give an unknown scalar, as there.
 */
export function scalarAlu(op: number, d: Reg, s: Reg, alu32: boolean): void {
  const bits = alu32 ? 32 : 64;
  const srcConst = alu32 ? (s.v.m & U32) === 0n : s.v.m === 0n;
  const code = opCode(op);
  // is_safe_to_compute_dst_reg_range
  let safe: boolean;
  switch (code) {
    case AluOp.ADD:
    case AluOp.SUB:
    case AluOp.AND:
    case AluOp.XOR:
    case AluOp.OR:
    case AluOp.MUL:
      safe = true;
      break;
    case AluOp.LSH:
    case AluOp.RSH:
    case AluOp.ARSH:
      safe = srcConst && (alu32 ? s.u32max : Number(minB(s.umax, 1000n))) < bits;
      break;
    default:
      safe = false;
  }
  if (!safe) {
    markUnbounded(d);
    if (alu32) zext32(d);
    return;
  }
  if (alu32) {
    // operate on the 32-bit views; var_off on the subregisters
    const dv = tSubreg(d.v);
    const sv = tSubreg(s.v);
    switch (code) {
      case AluOp.ADD:
        add32(d, s);
        d.v = tSubreg(tAdd(dv, sv));
        break;
      case AluOp.SUB:
        sub32(d, s);
        d.v = tSubreg(tSub(dv, sv));
        break;
      case AluOp.MUL:
        mul32(d, s);
        d.v = tSubreg(tMul(dv, sv));
        break;
      case AluOp.AND:
        d.v = tAnd(dv, sv);
        d.u32min = lo32(d.v.v);
        d.u32max = Math.min(d.u32max, s.u32max);
        bitSigned32(d);
        break;
      case AluOp.OR:
        d.v = tOr(dv, sv);
        d.u32min = Math.max(d.u32min, s.u32min);
        d.u32max = lo32(d.v.v | d.v.m);
        bitSigned32(d);
        break;
      case AluOp.XOR:
        d.v = tXor(dv, sv);
        d.u32min = lo32(d.v.v);
        d.u32max = lo32(d.v.v | d.v.m);
        bitSigned32(d);
        break;
      case AluOp.LSH: {
        const n = s.u32min;
        d.v = tSubreg(tLshift(dv, n));
        d.s32min = S32_MIN;
        d.s32max = S32_MAX;
        if (d.u32max * POW2[n] > U32_MAX) {
          d.u32min = 0;
          d.u32max = U32_MAX;
        } else {
          d.u32min = d.u32min * POW2[n];
          d.u32max = d.u32max * POW2[n];
        }
        break;
      }
      case AluOp.RSH: {
        const n = s.u32min;
        d.v = tRshift(dv, n);
        d.s32min = S32_MIN;
        d.s32max = S32_MAX;
        d.u32min = Math.floor(d.u32min / POW2[n]);
        d.u32max = Math.floor(d.u32max / POW2[n]);
        break;
      }
      case AluOp.ARSH: {
        const n = s.u32min;
        d.s32min = d.s32min >> n;
        d.s32max = d.s32max >> n;
        d.v = tArshift(dv, n, 32);
        d.u32min = 0;
        d.u32max = U32_MAX;
        break;
      }
    }
    // the 64-bit view is rebuilt from the 32-bit one
    d.umin = 0n;
    d.umax = U64_MAX;
    d.smin = S64_MIN;
    d.smax = S64_MAX;
    zext32(d);
    return;
  }
  switch (code) {
    case AluOp.ADD:
      add32(d, s);
      add64(d, s);
      d.v = tAdd(d.v, s.v);
      break;
    case AluOp.SUB:
      sub32(d, s);
      sub64(d, s);
      d.v = tSub(d.v, s.v);
      break;
    case AluOp.MUL:
      mul32(d, s);
      mul64(d, s);
      d.v = tMul(d.v, s.v);
      break;
    case AluOp.AND:
      d.v = tAnd(d.v, s.v);
      d.u32min = lo32(d.v.v);
      d.u32max = Math.min(d.u32max, s.u32max);
      bitSigned32(d);
      d.umin = d.v.v;
      d.umax = minB(d.umax, s.umax);
      bitSigned64(d);
      break;
    case AluOp.OR:
      d.v = tOr(d.v, s.v);
      d.u32min = Math.max(d.u32min, s.u32min);
      d.u32max = lo32(d.v.v | d.v.m);
      bitSigned32(d);
      d.umin = maxB(d.umin, s.umin);
      d.umax = d.v.v | d.v.m;
      bitSigned64(d);
      break;
    case AluOp.XOR:
      d.v = tXor(d.v, s.v);
      d.u32min = lo32(d.v.v);
      d.u32max = lo32(d.v.v | d.v.m);
      bitSigned32(d);
      d.umin = d.v.v;
      d.umax = d.v.v | d.v.m;
      bitSigned64(d);
      break;
    case AluOp.LSH: {
      const n = BigInt(s.umin);
      d.v = tLshift(d.v, Number(n));
      d.smin = S64_MIN;
      d.smax = S64_MAX;
      if (d.umax << n > U64_MAX) {
        d.umin = 0n;
        d.umax = U64_MAX;
      } else {
        d.umin <<= n;
        d.umax <<= n;
      }
      resetSub(d);
      break;
    }
    case AluOp.RSH: {
      const n = BigInt(s.umin);
      d.v = tRshift(d.v, Number(n));
      d.smin = S64_MIN;
      d.smax = S64_MAX;
      d.umin >>= n;
      d.umax >>= n;
      resetSub(d);
      break;
    }
    case AluOp.ARSH: {
      const n = BigInt(s.umin);
      d.smin >>= n;
      d.smax >>= n;
      d.v = tArshift(d.v, Number(n), 64);
      d.umin = 0n;
      d.umax = U64_MAX;
      resetSub(d);
      break;
    }
  }
  sync(d);
}

function resetSub(d: Reg): void {
  d.s32min = S32_MIN;
  d.s32max = S32_MAX;
  d.u32min = 0;
  d.u32max = U32_MAX;
}

/** dst = -dst: computed as 0 - dst (the kernel does the same for BPF_NEG). */
export function scalarNeg(d: Reg, alu32: boolean): void {
  const z = new Reg();
  z.t = RT.SCALAR;
  markKnown(z, 0n);
  const copy = d.clone();
  Object.assign(d, z);
  scalarAlu(AluOp.SUB, d, copy, alu32);
}

/** Byte swaps: a constant stays constant, anything else becomes unknown (of the width). */
export function scalarEnd(d: Reg, imm: number, toBe: boolean, bswap: boolean): void {
  if (d.v.m === 0n) {
    const w = BigInt(imm);
    let val = d.v.v & ((1n << w) - 1n);
    if (toBe || bswap) {
      let out = 0n;
      for (let k = 0n; k < w; k += 8n) out = (out << 8n) | ((val >> k) & 0xffn);
      val = out;
    }
    markKnown(d, val);
    return;
  }
  markUnbounded(d);
  if (imm < 64) {
    d.v = tRange(0n, (1n << BigInt(imm)) - 1n);
    d.umax = (1n << BigInt(imm)) - 1n;
  }
  sync(d);
}

// ---------- branches ----------

/** Constant of a register (its low 32 bits for JMP32). */
const isC = (r: Reg, j32: boolean): boolean => (j32 ? (r.v.m & U32) === 0n : r.v.m === 0n);

/**
 * Whether `a OP b` is always true (1), always false (0) or either (-1) given the bounds
 * (is_scalar_branch_taken). JMP32 compares the 32-bit bounds and tnum halves as numbers.
 */
export function scalarBranch(code: number, a: Reg, b: Reg, j32: boolean): number {
  if (j32) {
    if (code !== JmpOp.JEQ && code !== JmpOp.JNE && code !== JmpOp.JSET) {
      return rangeBranch(code, a.u32min, a.u32max, b.u32min, b.u32max, a.s32min, a.s32max, b.s32min, b.s32max);
    }
    // the tests that read the tnums: their low halves as numbers
    const av = lo32(a.v.v);
    const am = lo32(a.v.m);
    const bv = lo32(b.v.v);
    const bm = lo32(b.v.m);
    switch (code) {
      case JmpOp.JEQ:
      case JmpOp.JNE: {
        let r = -1;
        if (am === 0 && bm === 0) r = av === bv ? 1 : 0;
        else if (a.u32min > b.u32max || a.u32max < b.u32min || a.s32min > b.s32max || a.s32max < b.s32min) r = 0;
        else if (((av ^ bv) & ~(am | bm)) !== 0) r = 0;
        if (r === -1) return -1;
        return code === JmpOp.JEQ ? r : 1 - r;
      }
      case JmpOp.JSET: {
        // a constant on either side against the other's tnum
        let xv = av, xm = am, yv = bv;
        if (bm !== 0) {
          if (am !== 0) return -1;
          xv = bv;
          xm = bm;
          yv = av;
        }
        if ((~xm & xv & yv) !== 0) return 1;
        if (((xv | xm) & yv) === 0) return 0;
        return -1;
      }
    }
  }
  const t1 = a.v;
  const t2 = b.v;
  switch (code) {
    case JmpOp.JEQ:
    case JmpOp.JNE: {
      let r = -1;
      if (t1.m === 0n && t2.m === 0n) r = t1.v === t2.v ? 1 : 0;
      else if (a.umin > b.umax || a.umax < b.umin || a.smin > b.smax || a.smax < b.smin) r = 0;
      else if ((t1.v ^ t2.v) & ~(t1.m | t2.m)) r = 0;
      if (r === -1) return -1;
      return code === JmpOp.JEQ ? r : 1 - r;
    }
    case JmpOp.JSET: {
      let x = t1;
      let y = t2;
      if (t2.m !== 0n) {
        if (t1.m !== 0n) return -1;
        x = t2;
        y = t1;
      }
      if (~x.m & x.v & y.v) return 1;
      if (!((x.v | x.m) & y.v)) return 0;
      return -1;
    }
  }
  return rangeBranch(code, a.umin, a.umax, b.umin, b.umax, a.smin, a.smax, b.smin, b.smax);
}

/**
 * The ordering tests of is_scalar_branch_taken on one width's bounds: numbers for JMP32,
 * bigints for JMP (the comparisons read the same either way).
 */
function rangeBranch<T extends number | bigint>(code: number, umin1: T, umax1: T, umin2: T, umax2: T, smin1: T, smax1: T, smin2: T, smax2: T): number {
  switch (code) {
    case JmpOp.JGT:
      return umin1 > umax2 ? 1 : umax1 <= umin2 ? 0 : -1;
    case JmpOp.JSGT:
      return smin1 > smax2 ? 1 : smax1 <= smin2 ? 0 : -1;
    case JmpOp.JLT:
      return umax1 < umin2 ? 1 : umin1 >= umax2 ? 0 : -1;
    case JmpOp.JSLT:
      return smax1 < smin2 ? 1 : smin1 >= smax2 ? 0 : -1;
    case JmpOp.JGE:
      return umin1 >= umax2 ? 1 : umax1 < umin2 ? 0 : -1;
    case JmpOp.JSGE:
      return smin1 >= smax2 ? 1 : smax1 < smin2 ? 0 : -1;
    case JmpOp.JLE:
      return umax1 <= umin2 ? 1 : umin1 > umax2 ? 0 : -1;
    case JmpOp.JSLE:
      return smax1 <= smin2 ? 1 : smin1 > smax2 ? 0 : -1;
  }
  return -1;
}

/** The opposite test (rev_opcode), for the fall-through branch. */
export function negateCond(code: number): number {
  switch (code) {
    case JmpOp.JEQ: return JmpOp.JNE;
    case JmpOp.JNE: return JmpOp.JEQ;
    case JmpOp.JGT: return JmpOp.JLE;
    case JmpOp.JLE: return JmpOp.JGT;
    case JmpOp.JGE: return JmpOp.JLT;
    case JmpOp.JLT: return JmpOp.JGE;
    case JmpOp.JSGT: return JmpOp.JSLE;
    case JmpOp.JSLE: return JmpOp.JSGT;
    case JmpOp.JSGE: return JmpOp.JSLT;
    case JmpOp.JSLT: return JmpOp.JSGE;
    default: return -1; // JSET: "not set" is handled by the caller
  }
}

/** `a OP b` with the operands swapped (flip_opcode). */
export function flipCond(code: number): number {
  switch (code) {
    case JmpOp.JGT: return JmpOp.JLT;
    case JmpOp.JLT: return JmpOp.JGT;
    case JmpOp.JGE: return JmpOp.JLE;
    case JmpOp.JLE: return JmpOp.JGE;
    case JmpOp.JSGT: return JmpOp.JSLT;
    case JmpOp.JSLT: return JmpOp.JSGT;
    case JmpOp.JSGE: return JmpOp.JSLE;
    case JmpOp.JSLE: return JmpOp.JSGE;
    default: return code;
  }
}

/** JSET false branch marker (the kernel's BPF_JSET | BPF_X "not set" pseudo-op). */
export const JNSET = 0x100;

/**
 * Narrow both registers with `a OP b` being true (regs_refine_cond_op), then sync. Returns false
 * when the result is empty (the branch cannot be taken).
 */
export function refine(code: number, a: Reg, b: Reg, j32: boolean): boolean {
  if (j32) refine32(code, a, b);
  else refine64(code, a, b);
  sync(a);
  sync(b);
  return sane(a) && sane(b);
}

function refine64(code: number, a: Reg, b: Reg): void {
  switch (code) {
    case JmpOp.JEQ: {
      a.umin = b.umin = maxB(a.umin, b.umin);
      a.umax = b.umax = minB(a.umax, b.umax);
      a.smin = b.smin = maxB(a.smin, b.smin);
      a.smax = b.smax = minB(a.smax, b.smax);
      a.v = b.v = tIntersect(a.v, b.v);
      return;
    }
    case JmpOp.JNE: {
      // only a constant at the edge of the other's range narrows it
      let x = a;
      let y = b;
      if (!isC(y, false)) {
        x = b;
        y = a;
      }
      if (!isC(y, false)) return;
      const val = y.v.v;
      if (x.umin === val) x.umin++;
      if (x.umax === val) x.umax--;
      if (x.smin === s64(val)) x.smin++;
      if (x.smax === s64(val)) x.smax--;
      return;
    }
    case JmpOp.JSET: {
      if (!isC(b, false)) return;
      const val = b.v.v;
      if (val !== 0n && (val & (val - 1n)) === 0n) a.v = tOr(a.v, tconst(val));
      return;
    }
    case JNSET: {
      if (!isC(b, false)) return;
      a.v = tAnd(a.v, tconst(~b.v.v & U64_MAX));
      return;
    }
    case JmpOp.JLE:
      a.umax = minB(a.umax, b.umax);
      b.umin = maxB(b.umin, a.umin);
      return;
    case JmpOp.JLT:
      a.umax = minB(a.umax, b.umax - 1n);
      b.umin = maxB(b.umin, a.umin + 1n);
      return;
    case JmpOp.JSLE:
      a.smax = minB(a.smax, b.smax);
      b.smin = maxB(b.smin, a.smin);
      return;
    case JmpOp.JSLT:
      a.smax = minB(a.smax, b.smax - 1n);
      b.smin = maxB(b.smin, a.smin + 1n);
      return;
    case JmpOp.JGE:
    case JmpOp.JGT:
    case JmpOp.JSGE:
    case JmpOp.JSGT:
      refine64(flipCond(code), b, a);
      return;
  }
}

function refine32(code: number, a: Reg, b: Reg): void {
  switch (code) {
    case JmpOp.JEQ: {
      a.u32min = b.u32min = Math.max(a.u32min, b.u32min);
      a.u32max = b.u32max = Math.min(a.u32max, b.u32max);
      a.s32min = b.s32min = Math.max(a.s32min, b.s32min);
      a.s32max = b.s32max = Math.min(a.s32max, b.s32max);
      const t = tIntersect(tSubreg(a.v), tSubreg(b.v));
      a.v = tWithSubreg(a.v, t);
      b.v = tWithSubreg(b.v, t);
      return;
    }
    case JmpOp.JNE: {
      let x = a;
      let y = b;
      if (!isC(y, true)) {
        x = b;
        y = a;
      }
      if (!isC(y, true)) return;
      const val = lo32(y.v.v);
      if (x.u32min === val) x.u32min++;
      if (x.u32max === val) x.u32max--;
      if (x.s32min === s32(val)) x.s32min++;
      if (x.s32max === s32(val)) x.s32max--;
      return;
    }
    case JmpOp.JSET: {
      if (!isC(b, true)) return;
      const val = b.v.v & U32;
      if (val !== 0n && (val & (val - 1n)) === 0n) a.v = tOr(a.v, tconst(val));
      return;
    }
    case JNSET: {
      if (!isC(b, true)) return;
      a.v = tAnd(a.v, tconst(~(b.v.v & U32) & U64_MAX));
      return;
    }
    case JmpOp.JLE:
      a.u32max = Math.min(a.u32max, b.u32max);
      b.u32min = Math.max(b.u32min, a.u32min);
      return;
    case JmpOp.JLT:
      a.u32max = Math.min(a.u32max, b.u32max - 1);
      b.u32min = Math.max(b.u32min, a.u32min + 1);
      return;
    case JmpOp.JSLE:
      a.s32max = Math.min(a.s32max, b.s32max);
      b.s32min = Math.max(b.s32min, a.s32min);
      return;
    case JmpOp.JSLT:
      a.s32max = Math.min(a.s32max, b.s32max - 1);
      b.s32min = Math.max(b.s32min, a.s32min + 1);
      return;
    case JmpOp.JGE:
    case JmpOp.JGT:
    case JmpOp.JSGE:
    case JmpOp.JSGT:
      refine32(flipCond(code), b, a);
      return;
  }
}

export { TUNKNOWN };
