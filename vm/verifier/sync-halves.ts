/**
 * @fileoverview reg_bounds_sync for any scalar, computed on 32-bit halves instead of bigints: the
 * same steps as scalar.ts `syncFull` (__update_reg_bounds, __reg_deduce_bounds twice,
 * __reg_bound_offset, __update_reg_bounds), with every 64-bit quantity (the four 64-bit bounds,
 * the tnum's value and mask, tnum_step's results) held as an unsigned high and low half. A signed
 * bound keeps its two's-complement bit pattern; signed comparisons read the high half as an
 * int32. Each step is the bigint one written on halves, so the result is the same bit for bit
 * (test/vm/verifier-sync.test.ts compares them on random registers and on boundary values).
 *
 * One case is left to the bigint round: __reg_deduce_mixed_bounds copying an inconsistent s32
 * range (s32min >= 0 > s32max) into the 64-bit bounds, where the bigint code stores a negative
 * number as an unsigned bound; syncHalves returns false there, with the register untouched.
 *
 * Bigints are read and written only at the edges: small and extreme values convert without a
 * bigint operation, and only the fields that changed are written back.
 */
import { S64_MAX, S64_MIN, U64_MAX, type Reg } from './reg.js';
import { crossDeduce32, w32 } from './deduce32.js';
import type { Tnum } from './tnum.js';

const U32N = 0xffffffffn;
const TWO32 = 2 ** 32;
const MAX_SAFE = 2n ** 53n;

/** 2^n - 1 for n in 0..32 (`2 ** n` with a variable n is a slow Math.pow call). */
const LOW_BITS = Array.from({ length: 33 }, (_, n) => 2 ** n - 1);

/**
 * The working copy: each 64-bit value as high (H) and low (L) unsigned 32-bit halves, and the
 * helpers' results (a 64-bit value rh/rl, or a tnum as value rh/rl and mask rmh/rml); the 32-bit
 * bounds are in w32 (deduce32.ts). Fields of one object rather than module-level `let`s: Node
 * 20's V8 gives a number outside the small-integer range (most halves) a new heap number on
 * every store into such a variable, while an object's number field is updated in place.
 */
const w = {
  uminH: NaN, uminL: NaN, umaxH: NaN, umaxL: NaN,
  sminH: NaN, sminL: NaN, smaxH: NaN, smaxL: NaN,
  tvH: NaN, tvL: NaN, tmH: NaN, tmL: NaN,
  rh: NaN, rl: NaN, rmh: NaN, rml: NaN,
  /** The steps reached the case the bigint round must do (see deduceMixed). */
  aborted: false,
};

const max = Math.max;
const min = Math.min;

/** Unsigned a < b. */
const ult = (ah: number, al: number, bh: number, bl: number): boolean => ah < bh || (ah === bh && al < bl);
/** Signed a < b (two's-complement patterns). */
const slt = (ah: number, al: number, bh: number, bl: number): boolean => (ah | 0) < (bh | 0) || (ah === bh && al < bl);

/**
 * Split a u64 (or, `signed`, an s64) bigint into w.rh/w.rl (its 64-bit pattern). False for a value
 * outside that type: branch refinement can step a bound past its end (umax - 1 at 0), and the
 * bigint round compares such a value as it is.
 */
function split(x: bigint, signed: boolean): boolean {
  if (x >= 0n && x <= U32N) {
    w.rh = 0;
    w.rl = Number(x);
  } else if (x >= -MAX_SAFE && x <= MAX_SAFE) {
    const n = Number(x);
    if (n < 0 && !signed) return false;
    w.rh = Math.floor(n / TWO32) >>> 0;
    w.rl = n >>> 0;
  } else if (x === U64_MAX) {
    if (signed) return false;
    w.rh = w.rl = 0xffffffff;
  } else if (x === S64_MIN) {
    if (!signed) return false;
    w.rh = 0x80000000;
    w.rl = 0;
  } else if (x === S64_MAX) {
    w.rh = 0x7fffffff;
    w.rl = 0xffffffff;
  } else {
    if (signed ? x < S64_MIN || x > S64_MAX : x < 0n || x > U64_MAX) return false;
    const u = BigInt.asUintN(64, x);
    w.rh = Number(u >> 32n);
    w.rl = Number(u & U32N);
  }
  return true;
}

/** Bigints of small values made once: bounds are mostly small, and each BigInt() allocates. */
const SMALL = Array.from({ length: 4096 }, (_, i) => BigInt(i));

/** The bigint of halves h/l, as an unsigned or a signed 64-bit value. */
function join(h: number, l: number, signed: boolean): bigint {
  if (h === 0) return l < 4096 ? SMALL[l] : BigInt(l);
  if (signed && h >= 0x80000000) {
    if (h === 0xffffffff && l >= 0x80000000) return BigInt(l | 0);
    if (h === 0x80000000 && l === 0) return S64_MIN;
    // below 2^53 in magnitude the value is exact as a number
    if (h >= 0xffe00000) return BigInt((h | 0) * TWO32 + l);
    return BigInt.asIntN(64, (BigInt(h) << 32n) | BigInt(l));
  }
  if (h === 0xffffffff && l === 0xffffffff) return U64_MAX;
  if (h === 0x7fffffff && l === 0xffffffff) return S64_MAX;
  if (h < 0x200000) return BigInt(h * TWO32 + l);
  return (BigInt(h) << 32n) | BigInt(l);
}

/** Highest set bit of h:l plus one (fls64); 0 for zero. */
const fls64 = (h: number, l: number): number => (h !== 0 ? 64 - Math.clz32(h) : 32 - Math.clz32(l));

/** tnum_range(a, b) into w.rh/w.rl (value) and w.rmh/w.rml (mask). */
function range64(ah: number, al: number, bh: number, bl: number): void {
  const bits = fls64((ah ^ bh) >>> 0, (al ^ bl) >>> 0);
  if (bits > 63) {
    w.rh = w.rl = 0;
    w.rmh = w.rml = 0xffffffff;
    return;
  }
  w.rmh = bits > 32 ? LOW_BITS[bits - 32] : 0;
  w.rml = bits >= 32 ? 0xffffffff : LOW_BITS[bits];
  w.rh = (ah & ~w.rmh) >>> 0;
  w.rl = (al & ~w.rml) >>> 0;
}

/** Working tnum ∩ (w.rh:w.rl, w.rmh:w.rml) (tnum_intersect), per half. */
function intersect(): void {
  const muH = (w.tmH & w.rmh) >>> 0;
  const muL = (w.tmL & w.rml) >>> 0;
  w.tvH = ((w.tvH | w.rh) & ~muH) >>> 0;
  w.tvL = ((w.tvL | w.rl) & ~muL) >>> 0;
  w.tmH = muH;
  w.tmL = muL;
}

/**
 * tnum_step of the working tnum from zh:zl into w.rh/w.rl (scalar.ts tStep on halves): the smallest
 * value of the tnum above z, clamped to its largest value.
 */
function step(zh: number, zl: number): void {
  const maxH = (w.tvH | w.tmH) >>> 0;
  const maxL = (w.tvL | w.tmL) >>> 0;
  if (!ult(zh, zl, maxH, maxL)) {
    w.rh = maxH;
    w.rl = maxL;
    return;
  }
  if (ult(zh, zl, w.tvH, w.tvL)) {
    w.rh = w.tvH;
    w.rl = w.tvL;
    return;
  }
  // y = z + 1 (no carry out: z is below the tnum's maximum)
  let yh = zh;
  let yl = zl + 1;
  if (yl === TWO32) {
    yl = 0;
    yh = zh + 1;
  }
  const dH = ((yh ^ w.tvH) & ~w.tmH) >>> 0;
  const dL = ((yl ^ w.tvL) & ~w.tmL) >>> 0;
  if (dH === 0 && dL === 0) {
    w.rh = yh;
    w.rl = yl;
    return;
  }
  const h = fls64(dH, dL) - 1;
  // below = bits 0..h
  const belowH = h >= 32 ? LOW_BITS[h - 31] : 0;
  const belowL = h >= 31 ? 0xffffffff : LOW_BITS[h + 1];
  const tBit = h >= 32 ? (w.tvH >>> (h - 32)) & 1 : (w.tvL >>> h) & 1;
  if (tBit) {
    w.rh = ((yh & ~belowH) | (w.tvH & belowH)) >>> 0;
    w.rl = ((yl & ~belowL) | (w.tvL & belowL)) >>> 0;
    return;
  }
  // the unknown bits above h count up by one: ((y & above) | ~above) + 1, then & above
  const aboveH = (w.tmH & ~belowH) >>> 0;
  const aboveL = (w.tmL & ~belowL) >>> 0;
  const xH = ((yh & aboveH) | ~aboveH) >>> 0;
  let xL = ((yl & aboveL) | ~aboveL) >>> 0;
  let nH = xH;
  xL += 1;
  if (xL === TWO32) {
    xL = 0;
    nH = (xH + 1) >>> 0;
  }
  w.rh = (w.tvH | (nH & aboveH)) >>> 0;
  w.rl = (w.tvL | (xL & aboveL)) >>> 0;
}

/** __mark_reg_known on the working copy. */
function markKnown(h: number, l: number): void {
  w.tvH = h;
  w.tvL = l;
  w.tmH = w.tmL = 0;
  w.uminH = w.umaxH = w.sminH = w.smaxH = h;
  w.uminL = w.umaxL = w.sminL = w.smaxL = l;
  w32.u32min = w32.u32max = l;
  w32.s32min = w32.s32max = l | 0;
}

/** __update_reg32_bounds + __update_reg64_bounds (scalar.ts updateBounds). */
function updateBounds(): void {
  w32.s32min = max(w32.s32min, (w.tvL | (w.tmL & 0x80000000)) | 0);
  w32.s32max = min(w32.s32max, (w.tvL | (w.tmL & 0x7fffffff)) | 0);
  w32.u32min = max(w32.u32min, w.tvL);
  w32.u32max = min(w32.u32max, (w.tvL | w.tmL) >>> 0);
  // smin = max(smin, tnum's signed minimum), smax = min(smax, its signed maximum)
  let h = (w.tvH | (w.tmH & 0x80000000)) >>> 0;
  if (slt(w.sminH, w.sminL, h, w.tvL)) {
    w.sminH = h;
    w.sminL = w.tvL;
  }
  h = (w.tvH | (w.tmH & 0x7fffffff)) >>> 0;
  let l = (w.tvL | w.tmL) >>> 0;
  if (slt(h, l, w.smaxH, w.smaxL)) {
    w.smaxH = h;
    w.smaxL = l;
  }
  if (ult(w.uminH, w.uminL, w.tvH, w.tvL)) {
    w.uminH = w.tvH;
    w.uminL = w.tvL;
  }
  h = (w.tvH | w.tmH) >>> 0;
  if (ult(h, l, w.umaxH, w.umaxL)) {
    w.umaxH = h;
    w.umaxL = l;
  }
  if (w.tmH === 0 && w.tmL === 0) return;
  // the unsigned range and the tnum may share a single value: then it is that constant
  // (__update_reg64_bounds with tnum_step)
  step(w.uminH, w.uminL);
  const nextH = w.rh;
  const nextL = w.rl;
  const uminIn = ((w.uminH & ~w.tmH) >>> 0) === w.tvH && ((w.uminL & ~w.tmL) >>> 0) === w.tvL;
  if (uminIn && ult(w.umaxH, w.umaxL, nextH, nextL)) markKnown(w.uminH, w.uminL);
  else if (!uminIn && nextH === ((w.tvH | w.tmH) >>> 0) && nextL === ((w.tvL | w.tmL) >>> 0)) markKnown(nextH, nextL);
  else if (!uminIn && !ult(w.umaxH, w.umaxL, nextH, nextL)) {
    step(nextH, nextL);
    if (ult(w.umaxH, w.umaxL, w.rh, w.rl)) markKnown(nextH, nextL);
  }
}

/** w32.s32min/w32.s32max narrowed to [a, b] (as int32). */
function narrowS32(a: number, b: number): void {
  w32.s32min = max(w32.s32min, a);
  w32.s32max = min(w32.s32max, b);
}

/** __reg32_deduce_bounds (scalar.ts deduce32). */
function deduce32(): void {
  if (w.uminH === w.umaxH) {
    w32.u32min = max(w32.u32min, w.uminL);
    w32.u32max = min(w32.u32max, w.umaxL);
    if ((w.uminL | 0) <= (w.umaxL | 0)) narrowS32(w.uminL | 0, w.umaxL | 0);
  }
  if (w.sminH === w.smaxH) {
    w32.u32min = max(w32.u32min, w.sminL);
    w32.u32max = min(w32.u32max, w.smaxL);
    if ((w.sminL | 0) <= (w.smaxL | 0)) narrowS32(w.sminL | 0, w.smaxL | 0);
  }
  // upper halves that differ by one, with the low halves crossing the s32 sign
  if (w.uminH + 1 === w.umaxH && (w.uminL | 0) < 0 && (w.umaxL | 0) >= 0) narrowS32(w.uminL | 0, w.umaxL | 0);
  if ((w.sminH + 1) >>> 0 === w.smaxH && (w.sminL | 0) < 0 && (w.smaxL | 0) >= 0) narrowS32(w.sminL | 0, w.smaxL | 0);
  crossDeduce32();
}

/** __reg64_deduce_bounds (scalar.ts deduce64). */
function deduce64(): void {
  if (!slt(w.umaxH, w.umaxL, w.uminH, w.uminL)) {
    if (slt(w.sminH, w.sminL, w.uminH, w.uminL)) {
      w.sminH = w.uminH;
      w.sminL = w.uminL;
    }
    if (slt(w.umaxH, w.umaxL, w.smaxH, w.smaxL)) {
      w.smaxH = w.umaxH;
      w.smaxL = w.umaxL;
    }
  }
  if (!ult(w.smaxH, w.smaxL, w.sminH, w.sminL)) {
    if (ult(w.uminH, w.uminL, w.sminH, w.sminL)) {
      w.uminH = w.sminH;
      w.uminL = w.sminL;
    }
    if (ult(w.smaxH, w.smaxL, w.umaxH, w.umaxL)) {
      w.umaxH = w.smaxH;
      w.umaxL = w.smaxL;
    }
  } else if (ult(w.umaxH, w.umaxL, w.sminH, w.sminL)) {
    w.sminH = w.uminH;
    w.sminL = w.uminL;
    if (ult(w.smaxH, w.smaxL, w.umaxH, w.umaxL)) {
      w.umaxH = w.smaxH;
      w.umaxL = w.smaxL;
    }
  } else if (ult(w.smaxH, w.smaxL, w.uminH, w.uminL)) {
    w.smaxH = w.umaxH;
    w.smaxL = w.umaxL;
    if (ult(w.uminH, w.uminL, w.sminH, w.sminL)) {
      w.uminH = w.sminH;
      w.uminL = w.sminL;
    }
  }
}

/** __reg_deduce_mixed_bounds (scalar.ts deduceMixed). */
function deduceMixed(): void {
  // the 64-bit bounds with their low halves replaced by the 32-bit ones
  if (ult(w.uminH, w.uminL, w.uminH, w32.u32min)) w.uminL = w32.u32min;
  if (ult(w.umaxH, w32.u32max, w.umaxH, w.umaxL)) w.umaxL = w32.u32max;
  if (slt(w.sminH, w.sminL, w.sminH, w32.u32min)) w.sminL = w32.u32min;
  if (slt(w.smaxH, w32.u32max, w.smaxH, w.smaxL)) w.smaxL = w32.u32max;
  // smin >= S32_MIN and smax <= S32_MAX
  const sminIn = w.sminH === 0xffffffff ? w.sminL >= 0x80000000 : (w.sminH | 0) >= 0;
  const smaxIn = w.smaxH === 0 ? w.smaxL <= 0x7fffffff : (w.smaxH | 0) < 0;
  if (w32.s32min >= 0 && sminIn && smaxIn) {
    // an inconsistent s32 range would store a negative number as umax: the bigint round does that
    if (w32.s32max < 0) {
      w.aborted = true;
      return;
    }
    w.uminH = w.umaxH = w.sminH = w.smaxH = 0;
    w.uminL = w.sminL = w32.s32min;
    w.umaxL = w.smaxL = w32.s32max;
    range64(0, w32.s32min, 0, w32.s32max);
    intersect();
  }
}

/** __reg_bound_offset: var_off from the unsigned bounds, its low half from the 32-bit ones. */
function boundOffset(): void {
  range64(w.uminH, w.uminL, w.umaxH, w.umaxL);
  const muH = (w.tmH & w.rmh) >>> 0;
  const vH = ((w.tvH | w.rh) & ~muH) >>> 0;
  range64(0, w32.u32min, 0, w32.u32max);
  intersect();
  w.tvH = vH;
  w.tmH = muH;
}

const tnumOf = (vh: number, vl: number, mh: number, ml: number): Tnum => ({ v: join(vh, vl, false), m: join(mh, ml, false) });

/** reg_bounds_sync on `r`; false (r untouched) where the bigint round must do it. */
export function syncHalves(r: Reg): boolean {
  // 32-bit bounds stepped past their type's end (as 64-bit ones, see split): the bigint round
  if (r.u32min >>> 0 !== r.u32min || r.u32max >>> 0 !== r.u32max || (r.s32min | 0) !== r.s32min || (r.s32max | 0) !== r.s32max) return false;
  if (!split(r.umin, false)) return false;
  const uminH0 = (w.uminH = w.rh), uminL0 = (w.uminL = w.rl);
  if (!split(r.umax, false)) return false;
  const umaxH0 = (w.umaxH = w.rh), umaxL0 = (w.umaxL = w.rl);
  if (!split(r.smin, true)) return false;
  const sminH0 = (w.sminH = w.rh), sminL0 = (w.sminL = w.rl);
  if (!split(r.smax, true)) return false;
  const smaxH0 = (w.smaxH = w.rh), smaxL0 = (w.smaxL = w.rl);
  const t = r.v;
  split(t.v, false);
  const tvH0 = (w.tvH = w.rh), tvL0 = (w.tvL = w.rl);
  split(t.m, false);
  const tmH0 = (w.tmH = w.rh), tmL0 = (w.tmL = w.rl);
  w32.u32min = r.u32min;
  w32.u32max = r.u32max;
  w32.s32min = r.s32min;
  w32.s32max = r.s32max;
  w.aborted = false;
  updateBounds();
  // __reg_deduce_bounds, twice
  for (let k = 0; k < 2; k++) {
    deduce32();
    deduce64();
    deduceMixed();
  }
  if (w.aborted) return false;
  boundOffset();
  updateBounds();
  if (w.uminH !== uminH0 || w.uminL !== uminL0) r.umin = join(w.uminH, w.uminL, false);
  if (w.umaxH !== umaxH0 || w.umaxL !== umaxL0) r.umax = join(w.umaxH, w.umaxL, false);
  if (w.sminH !== sminH0 || w.sminL !== sminL0) r.smin = join(w.sminH, w.sminL, true);
  if (w.smaxH !== smaxH0 || w.smaxL !== smaxL0) r.smax = join(w.smaxH, w.smaxL, true);
  r.u32min = w32.u32min;
  r.u32max = w32.u32max;
  r.s32min = w32.s32min;
  r.s32max = w32.s32max;
  if (w.tvH !== tvH0 || w.tvL !== tvL0 || w.tmH !== tmH0 || w.tmL !== tmL0) r.v = tnumOf(w.tvH, w.tvL, w.tmH, w.tmL);
  return true;
}
