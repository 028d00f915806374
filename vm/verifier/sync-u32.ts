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
import { crossDeduce32, w32 } from './deduce32.js';

const U32N = 0xffffffffn;
/** A tnum mask at or above this has its whole upper half unknown. */
const HI_UNKNOWN = 0xffffffff00000000n;
const TWO32 = 2 ** 32;

/**
 * The working copy of one register: 64-bit bounds (u64 = s64 here), the tnum's low half, and
 * (in w32, shared with sync-halves.ts) the 32-bit bounds. Fields of one object rather than
 * module-level `let`s: Node 20's V8 boxes a number outside the small-integer range stored into
 * such a variable in a new heap number on every store, while an object's number field is
 * updated in place (the 32-bit bounds and masks are mostly such numbers).
 */
const w = {
  umin: NaN,
  umax: NaN,
  smin: NaN,
  smax: NaN,
  tv: NaN,
  tm: NaN,
  /** The tnum's upper 32 bits are unknown (otherwise they are known zero). */
  hiUnknown: false,
  /** The register's values on entry, to write back only what changed. */
  umin0: NaN,
  umax0: NaN,
  smin0: NaN,
  smax0: NaN,
  tv0: NaN,
  tm0: NaN,
  hiUnknown0: false,
  /** Set when __update_reg64_bounds made the register a constant (every bound = tv). */
  known: false,
  /** The steps reached a state this module does not model (see deduceMixed). */
  aborted: false,
  /** range32's result (value, mask). */
  rv: NaN,
  rm: NaN,
};

const max = Math.max;
const min = Math.min;

/** Mask of bits 0..h (h in 0..31), unsigned. */
const lowMask = (h: number): number => (h === 31 ? 0xffffffff : (1 << (h + 1)) - 1);

/**
 * 2^n - 1 for n in 0..32, looked up: `2 ** n` with a variable n is a call into Math.pow costing
 * about a microsecond, which made range32 the costliest step of the sync.
 */
const LOW_BITS = Array.from({ length: 33 }, (_, n) => 2 ** n - 1);

/** fls-based tnum_range over [a, b] (both in [0, 2^32)): sets w.rv/w.rm. */
function range32(a: number, b: number): void {
  const chi = (a ^ b) >>> 0;
  const delta = LOW_BITS[32 - Math.clz32(chi)];
  w.rv = (a & ~delta) >>> 0;
  w.rm = delta;
}

/** w.tv/w.tm ∩ (w.rv, w.rm), upper half known zero afterwards (tnum_intersect with a 32-bit range). */
function intersectLow(): void {
  const mu = (w.tm & w.rm) >>> 0;
  w.tv = ((w.tv | w.rv) & ~mu) >>> 0;
  w.tm = mu;
  w.hiUnknown = false;
}

/** tnum_step on the working tnum, z in [0, 2^32); may return a value at or above 2^32. */
function step(z: number): number {
  const tmax = w.hiUnknown ? Infinity : (w.tv | w.tm) >>> 0;
  if (z >= tmax) return tmax;
  if (z < w.tv) return w.tv;
  const y = z + 1;
  if (y === TWO32) {
    // only with the upper half unknown (else z < tmax <= 2^32 - 1): y's low half is 0, so it is
    // a value when tv is 0; otherwise the highest set bit of tv is the first known difference
    return w.tv === 0 ? y : TWO32 + w.tv;
  }
  const diff = ((y ^ w.tv) & ~w.tm) >>> 0;
  if (diff === 0) return y;
  const h = 31 - Math.clz32(diff);
  const below = lowMask(h);
  if ((w.tv >>> h) & 1) return ((y & ~below) | (w.tv & below)) >>> 0;
  // count the unknown bits above h up by one; a carry out of the low half reaches bit 32,
  // which exists only when the upper half is unknown
  const above = (w.tm & ~below) >>> 0;
  const t = ((y & above) | ~above) >>> 0;
  if (t !== 0xffffffff) return (w.tv | ((t + 1) & above)) >>> 0;
  return w.hiUnknown ? TWO32 + w.tv : w.tv;
}

function markKnown(c: number): void {
  w.tv = c;
  w.tm = 0;
  w.hiUnknown = false;
  w.umin = w.umax = w.smin = w.smax = c;
  w32.u32min = w32.u32max = c;
  w32.s32min = w32.s32max = c | 0;
  w.known = true;
}

/** __update_reg32_bounds + __update_reg64_bounds (scalar.ts updateBounds). */
function updateBounds(): void {
  w32.s32min = max(w32.s32min, (w.tv | (w.tm & 0x80000000)) | 0);
  w32.s32max = min(w32.s32max, (w.tv | (w.tm & 0x7fffffff)) | 0);
  w32.u32min = max(w32.u32min, w.tv);
  w32.u32max = min(w32.u32max, (w.tv | w.tm) >>> 0);
  if (w.hiUnknown) {
    // the tnum's signed minimum is negative and its maxima are at least 2^32: only umin moves
    w.umin = max(w.umin, w.tv);
  } else {
    const hi = (w.tv | w.tm) >>> 0;
    w.smin = max(w.smin, w.tv);
    w.smax = min(w.smax, hi);
    w.umin = max(w.umin, w.tv);
    w.umax = min(w.umax, hi);
    if (w.tm === 0) return;
  }
  const next = step(w.umin);
  const uminIn = ((w.umin & ~w.tm) >>> 0) === w.tv;
  if (uminIn && next > w.umax) markKnown(w.umin);
  else if (!uminIn && !w.hiUnknown && next === ((w.tv | w.tm) >>> 0)) markKnown(next);
  else if (!uminIn && next <= w.umax && step(next) > w.umax) markKnown(next);
}

/** __reg32_deduce_bounds with both 64-bit ranges inside [0, 2^32). */
function deduce32(): void {
  w32.u32min = max(w32.u32min, w.umin);
  w32.u32max = min(w32.u32max, w.umax);
  if ((w.umin | 0) <= (w.umax | 0)) {
    w32.s32min = max(w32.s32min, w.umin | 0);
    w32.s32max = min(w32.s32max, w.umax | 0);
  }
  w32.u32min = max(w32.u32min, w.smin);
  w32.u32max = min(w32.u32max, w.smax);
  if ((w.smin | 0) <= (w.smax | 0)) {
    w32.s32min = max(w32.s32min, w.smin | 0);
    w32.s32max = min(w32.s32max, w.smax | 0);
  }
  // (the two cross-sign cases need upper halves that differ by one: not here)
  crossDeduce32();
}

/** __reg64_deduce_bounds: signed and unsigned agree on non-negative values. */
function deduce64(): void {
  if (w.umin <= w.umax) {
    w.smin = max(w.smin, w.umin);
    w.smax = min(w.smax, w.umax);
  }
  if (w.smin <= w.smax) {
    w.umin = max(w.umin, w.smin);
    w.umax = min(w.umax, w.smax);
  } else if (w.umax < w.smin) {
    w.smin = w.umin;
    w.umax = min(w.umax, w.smax);
  } else if (w.smax < w.umin) {
    w.smax = w.umax;
    w.umin = max(w.umin, w.smin);
  }
}

/** __reg_deduce_mixed_bounds: the upper halves of the 64-bit bounds are zero. */
function deduceMixed(): void {
  w.umin = max(w.umin, w32.u32min);
  w.umax = min(w.umax, w32.u32max);
  w.smin = max(w.smin, w32.u32min);
  w.smax = min(w.smax, w32.u32max);
  if (w32.s32min >= 0 && w.smax <= 0x7fffffff) {
    // an inconsistent s32 range would put a negative value into the 64-bit bounds: bigint path
    if (w32.s32max < 0) return abort();
    w.smin = w.umin = w32.s32min;
    w.smax = w.umax = w32.s32max;
    range32(w.smin >>> 0, w.smax >>> 0);
    intersectLow();
  }
}

/** Leave the fast path: the caller recomputes from the register, which is still untouched. */
function abort(): void {
  w.aborted = true;
}

/** __reg_bound_offset: only the 32-bit intersection survives (the upper half becomes zero). */
function boundOffset(): void {
  range32(w32.u32min, w32.u32max);
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
  w.umin = w.umin0 = Number(r.umin);
  w.umax = w.umax0 = Number(r.umax);
  w.smin = w.smin0 = Number(r.smin);
  w.smax = w.smax0 = Number(r.smax);
  // (ordered 64-bit ranges: compared as the exact numbers they are here, not as bigints)
  if (w.umin > w.umax || w.smin > w.smax) return false;
  w32.u32min = r.u32min;
  w32.u32max = r.u32max;
  w32.s32min = r.s32min;
  w32.s32max = r.s32max;
  w.tv = w.tv0 = Number(t.v);
  w.tm = w.tm0 = hiU ? Number(t.m & U32N) : Number(t.m);
  w.hiUnknown = w.hiUnknown0 = hiU;
  w.known = false;
  w.aborted = false;
  updateBounds();
  if (!w.known) {
    deduce32();
    deduce64();
    deduceMixed();
    deduce32();
    deduce64();
    deduceMixed();
    if (w.aborted) return false;
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
  if (w.umin !== w.umin0) r.umin = big(w.umin);
  if (w.umax !== w.umax0) r.umax = big(w.umax);
  if (w.smin !== w.smin0) r.smin = big(w.smin);
  if (w.smax !== w.smax0) r.smax = big(w.smax);
  r.u32min = w32.u32min;
  r.u32max = w32.u32max;
  r.s32min = w32.s32min;
  r.s32max = w32.s32max;
  if (w.tv === w.tv0 && w.tm === w.tm0 && w.hiUnknown === w.hiUnknown0) return;
  // both halves are in range here: the tnum is built without tnum()'s masking
  r.v = { v: big(w.tv), m: w.hiUnknown ? hiUnknownMask(w.tm) : big(w.tm) };
}

/**
 * w.tm's bigint with the upper 32 bits set, remembered: the same few masks (0xff, 0xffff, ...)
 * come back all the time, and each `|` on a 64-bit bigint allocates.
 */
const HI_MASKS = new Map<number, bigint>();
function hiUnknownMask(tm: number): bigint {
  let m = HI_MASKS.get(w.tm);
  if (m === undefined) {
    m = BigInt(w.tm) | HI_UNKNOWN;
    if (HI_MASKS.size < 4096) HI_MASKS.set(w.tm, m);
  }
  return m;
}
