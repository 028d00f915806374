/**
 * @fileoverview reg_bounds_sync for the common scalar whose 64-bit bounds all lie in [0, 2^32):
 * the same steps as scalar.ts `sync` (__update_reg_bounds, __reg_deduce_bounds twice,
 * __reg_bound_offset, __update_reg_bounds), computed in plain numbers instead of bigints.
 *
 * Why it is exact: when umin, umax, smin and smax are all in [0, 2^32), every 64-bit quantity the
 * steps compare or assign is one of these bounds, a 32-bit bound, or a tnum bound, and each of
 * those stays in [0, 2^32) (as a signed or an unsigned 64-bit value, which then agree), except
 * the tnum's own bounds when its upper half is unknown; those only ever lose against the
 * register's bounds, so they are not needed. The tnum is therefore carried as its low half plus
 * one flag for the upper half: known zero, or wholly unknown (other upper halves take the
 * bigint path). tnum_step can leave [0, 2^32) (the next value of the tnum above umin may need
 * an upper bit); that result is only compared with umax and is kept as an exact number.
 *
 * Registers outside that shape (negative or wide values, a known constant, an upper tnum half
 * partly known, bounds already inconsistent) return false and go through the bigint steps.
 */
import type { Reg } from './reg.js';
import { crossDeduce32, out32 } from './deduce32.js';

const U32N = 0xffffffffn;
/** A tnum mask at or above this has its whole upper half unknown. */
const HI_UNKNOWN = 0xffffffff00000000n;
const TWO32 = 2 ** 32;

// The working copy of one register: 64-bit bounds (u64 = s64 here), 32-bit bounds, tnum low half.
let umin = 0;
let umax = 0;
let smin = 0;
let smax = 0;
let u32min = 0;
let u32max = 0;
let s32min = 0;
let s32max = 0;
let tv = 0;
let tm = 0;
/** The tnum's upper 32 bits are unknown (otherwise they are known zero). */
let hiUnknown = false;
/** The register's values on entry, to write back only what changed. */
let umin0 = 0;
let umax0 = 0;
let smin0 = 0;
let smax0 = 0;
let tv0 = 0;
let tm0 = 0;
let hiUnknown0 = false;
/** Set when __update_reg64_bounds made the register a constant (every bound = tv). */
let known = false;
/** The steps reached a state this module does not model (see deduceMixed). */
let aborted = false;

const max = Math.max;
const min = Math.min;

/** Mask of bits 0..h (h in 0..31), unsigned. */
const lowMask = (h: number): number => (h === 31 ? 0xffffffff : (1 << (h + 1)) - 1);

/**
 * 2^n - 1 for n in 0..32, looked up: `2 ** n` with a variable n is a call into Math.pow costing
 * about a microsecond, which made range32 the costliest step of the sync.
 */
const LOW_BITS = Array.from({ length: 33 }, (_, n) => 2 ** n - 1);

/** fls-based tnum_range over [a, b] (both in [0, 2^32)): sets rv/rm. */
let rv = 0;
let rm = 0;
function range32(a: number, b: number): void {
  const chi = (a ^ b) >>> 0;
  const delta = LOW_BITS[32 - Math.clz32(chi)];
  rv = (a & ~delta) >>> 0;
  rm = delta;
}

/** tv/tm ∩ (rv, rm), upper half known zero afterwards (tnum_intersect with a 32-bit range). */
function intersectLow(): void {
  const mu = (tm & rm) >>> 0;
  tv = ((tv | rv) & ~mu) >>> 0;
  tm = mu;
  hiUnknown = false;
}

/** tnum_step on the working tnum, z in [0, 2^32); may return a value at or above 2^32. */
function step(z: number): number {
  const tmax = hiUnknown ? Infinity : (tv | tm) >>> 0;
  if (z >= tmax) return tmax;
  if (z < tv) return tv;
  const y = z + 1;
  if (y === TWO32) {
    // only with the upper half unknown (else z < tmax <= 2^32 - 1): y's low half is 0, so it is
    // a value when tv is 0; otherwise the highest set bit of tv is the first known difference
    return tv === 0 ? y : TWO32 + tv;
  }
  const diff = ((y ^ tv) & ~tm) >>> 0;
  if (diff === 0) return y;
  const h = 31 - Math.clz32(diff);
  const below = lowMask(h);
  if ((tv >>> h) & 1) return ((y & ~below) | (tv & below)) >>> 0;
  // count the unknown bits above h up by one; a carry out of the low half reaches bit 32,
  // which exists only when the upper half is unknown
  const above = (tm & ~below) >>> 0;
  const t = ((y & above) | ~above) >>> 0;
  if (t !== 0xffffffff) return (tv | ((t + 1) & above)) >>> 0;
  return hiUnknown ? TWO32 + tv : tv;
}

function markKnown(c: number): void {
  tv = c;
  tm = 0;
  hiUnknown = false;
  umin = umax = smin = smax = c;
  u32min = u32max = c;
  s32min = s32max = c | 0;
  known = true;
}

/** __update_reg32_bounds + __update_reg64_bounds (scalar.ts updateBounds). */
function updateBounds(): void {
  s32min = max(s32min, (tv | (tm & 0x80000000)) | 0);
  s32max = min(s32max, (tv | (tm & 0x7fffffff)) | 0);
  u32min = max(u32min, tv);
  u32max = min(u32max, (tv | tm) >>> 0);
  if (hiUnknown) {
    // the tnum's signed minimum is negative and its maxima are at least 2^32: only umin moves
    umin = max(umin, tv);
  } else {
    const hi = (tv | tm) >>> 0;
    smin = max(smin, tv);
    smax = min(smax, hi);
    umin = max(umin, tv);
    umax = min(umax, hi);
    if (tm === 0) return;
  }
  const next = step(umin);
  const uminIn = ((umin & ~tm) >>> 0) === tv;
  if (uminIn && next > umax) markKnown(umin);
  else if (!uminIn && !hiUnknown && next === ((tv | tm) >>> 0)) markKnown(next);
  else if (!uminIn && next <= umax && step(next) > umax) markKnown(next);
}

/** __reg32_deduce_bounds with both 64-bit ranges inside [0, 2^32). */
function deduce32(): void {
  u32min = max(u32min, umin);
  u32max = min(u32max, umax);
  if ((umin | 0) <= (umax | 0)) {
    s32min = max(s32min, umin | 0);
    s32max = min(s32max, umax | 0);
  }
  u32min = max(u32min, smin);
  u32max = min(u32max, smax);
  if ((smin | 0) <= (smax | 0)) {
    s32min = max(s32min, smin | 0);
    s32max = min(s32max, smax | 0);
  }
  // (the two cross-sign cases need upper halves that differ by one: not here)
  crossDeduce32(u32min, u32max, s32min, s32max);
  ({ u32min, u32max, s32min, s32max } = out32);
}

/** __reg64_deduce_bounds: signed and unsigned agree on non-negative values. */
function deduce64(): void {
  if (umin <= umax) {
    smin = max(smin, umin);
    smax = min(smax, umax);
  }
  if (smin <= smax) {
    umin = max(umin, smin);
    umax = min(umax, smax);
  } else if (umax < smin) {
    smin = umin;
    umax = min(umax, smax);
  } else if (smax < umin) {
    smax = umax;
    umin = max(umin, smin);
  }
}

/** __reg_deduce_mixed_bounds: the upper halves of the 64-bit bounds are zero. */
function deduceMixed(): void {
  umin = max(umin, u32min);
  umax = min(umax, u32max);
  smin = max(smin, u32min);
  smax = min(smax, u32max);
  if (s32min >= 0 && smax <= 0x7fffffff) {
    // an inconsistent s32 range would put a negative value into the 64-bit bounds: bigint path
    if (s32max < 0) return abort();
    smin = umin = s32min;
    smax = umax = s32max;
    range32(smin >>> 0, smax >>> 0);
    intersectLow();
  }
}

/** Leave the fast path: the caller recomputes from the register, which is still untouched. */
function abort(): void {
  aborted = true;
}

/** __reg_bound_offset: only the 32-bit intersection survives (the upper half becomes zero). */
function boundOffset(): void {
  range32(u32min, u32max);
  intersectLow();
}

/**
 * reg_bounds_sync on `r` when its 64-bit bounds are inside [0, 2^32) and consistent, its tnum is
 * not a constant and its upper half is known zero or wholly unknown. Returns false (leaving r
 * untouched) otherwise.
 */
export function syncU32(r: Reg): boolean {
  const t = r.v;
  if (t.m === 0n || t.v > U32N) return false;
  if (r.umin < 0n || r.umax > U32N || r.smin < 0n || r.smax > U32N) return false;
  if (r.u32min > r.u32max || r.s32min > r.s32max) return false;
  const hiU = t.m >= HI_UNKNOWN;
  if (!hiU && t.m > U32N) return false;
  umin = umin0 = Number(r.umin);
  umax = umax0 = Number(r.umax);
  smin = smin0 = Number(r.smin);
  smax = smax0 = Number(r.smax);
  // (ordered 64-bit ranges: compared as the exact numbers they are here, not as bigints)
  if (umin > umax || smin > smax) return false;
  u32min = r.u32min;
  u32max = r.u32max;
  s32min = r.s32min;
  s32max = r.s32max;
  tv = tv0 = Number(t.v);
  tm = tm0 = hiU ? Number(t.m & U32N) : Number(t.m);
  hiUnknown = hiUnknown0 = hiU;
  known = false;
  aborted = false;
  updateBounds();
  if (!known) {
    deduce32();
    deduce64();
    deduceMixed();
    deduce32();
    deduce64();
    deduceMixed();
    if (aborted) return false;
    boundOffset();
    updateBounds();
  }
  writeBack(r);
  return true;
}

/** Bigints of small values made once: bounds are mostly small, and each BigInt() allocates. */
const SMALL = Array.from({ length: 4096 }, (_, i) => BigInt(i));
const big = (n: number): bigint => (n < 4096 ? SMALL[n] : BigInt(n));

function writeBack(r: Reg): void {
  if (umin !== umin0) r.umin = big(umin);
  if (umax !== umax0) r.umax = big(umax);
  if (smin !== smin0) r.smin = big(smin);
  if (smax !== smax0) r.smax = big(smax);
  r.u32min = u32min;
  r.u32max = u32max;
  r.s32min = s32min;
  r.s32max = s32max;
  if (tv === tv0 && tm === tm0 && hiUnknown === hiUnknown0) return;
  // both halves are in range here: the tnum is built without tnum()'s masking
  r.v = { v: big(tv), m: hiUnknown ? hiUnknownMask(tm) : big(tm) };
}

/**
 * tm's bigint with the upper 32 bits set, remembered: the same few masks (0xff, 0xffff, ...)
 * come back all the time, and each `|` on a 64-bit bigint allocates.
 */
const HI_MASKS = new Map<number, bigint>();
function hiUnknownMask(tm: number): bigint {
  let m = HI_MASKS.get(tm);
  if (m === undefined) {
    m = BigInt(tm) | HI_UNKNOWN;
    if (HI_MASKS.size < 4096) HI_MASKS.set(tm, m);
  }
  return m;
}
