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
import { crossDeduce32, out32 } from './deduce32.js';
import type { Tnum } from './tnum.js';

const U32N = 0xffffffffn;
const TWO32 = 2 ** 32;
const MAX_SAFE = 2n ** 53n;

/** 2^n - 1 for n in 0..32 (`2 ** n` with a variable n is a slow Math.pow call). */
const LOW_BITS = Array.from({ length: 33 }, (_, n) => 2 ** n - 1);

// The working copy: each 64-bit value as high (h) and low (l) unsigned 32-bit halves.
let uminH = 0, uminL = 0, umaxH = 0, umaxL = 0;
let sminH = 0, sminL = 0, smaxH = 0, smaxL = 0;
let tvH = 0, tvL = 0, tmH = 0, tmL = 0;
let u32min = 0, u32max = 0, s32min = 0, s32max = 0;
/** Results of the helpers below (a 64-bit value, or a tnum as value / mask). */
let rh = 0, rl = 0, rmh = 0, rml = 0;
/** The steps reached the case the bigint round must do (see deduceMixed). */
let aborted = false;

const max = Math.max;
const min = Math.min;

/** Unsigned a < b. */
const ult = (ah: number, al: number, bh: number, bl: number): boolean => ah < bh || (ah === bh && al < bl);
/** Signed a < b (two's-complement patterns). */
const slt = (ah: number, al: number, bh: number, bl: number): boolean => (ah | 0) < (bh | 0) || (ah === bh && al < bl);

/**
 * Split a u64 (or, `signed`, an s64) bigint into rh/rl (its 64-bit pattern). False for a value
 * outside that type: branch refinement can step a bound past its end (umax - 1 at 0), and the
 * bigint round compares such a value as it is.
 */
function split(x: bigint, signed: boolean): boolean {
  if (x >= 0n && x <= U32N) {
    rh = 0;
    rl = Number(x);
  } else if (x >= -MAX_SAFE && x <= MAX_SAFE) {
    const n = Number(x);
    if (n < 0 && !signed) return false;
    rh = Math.floor(n / TWO32) >>> 0;
    rl = n >>> 0;
  } else if (x === U64_MAX) {
    if (signed) return false;
    rh = rl = 0xffffffff;
  } else if (x === S64_MIN) {
    if (!signed) return false;
    rh = 0x80000000;
    rl = 0;
  } else if (x === S64_MAX) {
    rh = 0x7fffffff;
    rl = 0xffffffff;
  } else {
    if (signed ? x < S64_MIN || x > S64_MAX : x < 0n || x > U64_MAX) return false;
    const u = BigInt.asUintN(64, x);
    rh = Number(u >> 32n);
    rl = Number(u & U32N);
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

/** tnum_range(a, b) into rh/rl (value) and rmh/rml (mask). */
function range64(ah: number, al: number, bh: number, bl: number): void {
  const bits = fls64((ah ^ bh) >>> 0, (al ^ bl) >>> 0);
  if (bits > 63) {
    rh = rl = 0;
    rmh = rml = 0xffffffff;
    return;
  }
  rmh = bits > 32 ? LOW_BITS[bits - 32] : 0;
  rml = bits >= 32 ? 0xffffffff : LOW_BITS[bits];
  rh = (ah & ~rmh) >>> 0;
  rl = (al & ~rml) >>> 0;
}

/** Working tnum ∩ (rh:rl, rmh:rml) (tnum_intersect), per half. */
function intersect(): void {
  const muH = (tmH & rmh) >>> 0;
  const muL = (tmL & rml) >>> 0;
  tvH = ((tvH | rh) & ~muH) >>> 0;
  tvL = ((tvL | rl) & ~muL) >>> 0;
  tmH = muH;
  tmL = muL;
}

/**
 * tnum_step of the working tnum from zh:zl into rh/rl (scalar.ts tStep on halves): the smallest
 * value of the tnum above z, clamped to its largest value.
 */
function step(zh: number, zl: number): void {
  const maxH = (tvH | tmH) >>> 0;
  const maxL = (tvL | tmL) >>> 0;
  if (!ult(zh, zl, maxH, maxL)) {
    rh = maxH;
    rl = maxL;
    return;
  }
  if (ult(zh, zl, tvH, tvL)) {
    rh = tvH;
    rl = tvL;
    return;
  }
  // y = z + 1 (no carry out: z is below the tnum's maximum)
  let yh = zh;
  let yl = zl + 1;
  if (yl === TWO32) {
    yl = 0;
    yh = zh + 1;
  }
  const dH = ((yh ^ tvH) & ~tmH) >>> 0;
  const dL = ((yl ^ tvL) & ~tmL) >>> 0;
  if (dH === 0 && dL === 0) {
    rh = yh;
    rl = yl;
    return;
  }
  const h = fls64(dH, dL) - 1;
  // below = bits 0..h
  const belowH = h >= 32 ? LOW_BITS[h - 31] : 0;
  const belowL = h >= 31 ? 0xffffffff : LOW_BITS[h + 1];
  const tBit = h >= 32 ? (tvH >>> (h - 32)) & 1 : (tvL >>> h) & 1;
  if (tBit) {
    rh = ((yh & ~belowH) | (tvH & belowH)) >>> 0;
    rl = ((yl & ~belowL) | (tvL & belowL)) >>> 0;
    return;
  }
  // the unknown bits above h count up by one: ((y & above) | ~above) + 1, then & above
  const aboveH = (tmH & ~belowH) >>> 0;
  const aboveL = (tmL & ~belowL) >>> 0;
  const xH = ((yh & aboveH) | ~aboveH) >>> 0;
  let xL = ((yl & aboveL) | ~aboveL) >>> 0;
  let nH = xH;
  xL += 1;
  if (xL === TWO32) {
    xL = 0;
    nH = (xH + 1) >>> 0;
  }
  rh = (tvH | (nH & aboveH)) >>> 0;
  rl = (tvL | (xL & aboveL)) >>> 0;
}

/** __mark_reg_known on the working copy. */
function markKnown(h: number, l: number): void {
  tvH = h;
  tvL = l;
  tmH = tmL = 0;
  uminH = umaxH = sminH = smaxH = h;
  uminL = umaxL = sminL = smaxL = l;
  u32min = u32max = l;
  s32min = s32max = l | 0;
}

/** __update_reg32_bounds + __update_reg64_bounds (scalar.ts updateBounds). */
function updateBounds(): void {
  s32min = max(s32min, (tvL | (tmL & 0x80000000)) | 0);
  s32max = min(s32max, (tvL | (tmL & 0x7fffffff)) | 0);
  u32min = max(u32min, tvL);
  u32max = min(u32max, (tvL | tmL) >>> 0);
  // smin = max(smin, tnum's signed minimum), smax = min(smax, its signed maximum)
  let h = (tvH | (tmH & 0x80000000)) >>> 0;
  if (slt(sminH, sminL, h, tvL)) {
    sminH = h;
    sminL = tvL;
  }
  h = (tvH | (tmH & 0x7fffffff)) >>> 0;
  let l = (tvL | tmL) >>> 0;
  if (slt(h, l, smaxH, smaxL)) {
    smaxH = h;
    smaxL = l;
  }
  if (ult(uminH, uminL, tvH, tvL)) {
    uminH = tvH;
    uminL = tvL;
  }
  h = (tvH | tmH) >>> 0;
  if (ult(h, l, umaxH, umaxL)) {
    umaxH = h;
    umaxL = l;
  }
  if (tmH === 0 && tmL === 0) return;
  // the unsigned range and the tnum may share a single value: then it is that constant
  // (__update_reg64_bounds with tnum_step)
  step(uminH, uminL);
  const nextH = rh;
  const nextL = rl;
  const uminIn = ((uminH & ~tmH) >>> 0) === tvH && ((uminL & ~tmL) >>> 0) === tvL;
  if (uminIn && ult(umaxH, umaxL, nextH, nextL)) markKnown(uminH, uminL);
  else if (!uminIn && nextH === ((tvH | tmH) >>> 0) && nextL === ((tvL | tmL) >>> 0)) markKnown(nextH, nextL);
  else if (!uminIn && !ult(umaxH, umaxL, nextH, nextL)) {
    step(nextH, nextL);
    if (ult(umaxH, umaxL, rh, rl)) markKnown(nextH, nextL);
  }
}

/** s32min/s32max narrowed to [a, b] (as int32). */
function narrowS32(a: number, b: number): void {
  s32min = max(s32min, a);
  s32max = min(s32max, b);
}

/** __reg32_deduce_bounds (scalar.ts deduce32). */
function deduce32(): void {
  if (uminH === umaxH) {
    u32min = max(u32min, uminL);
    u32max = min(u32max, umaxL);
    if ((uminL | 0) <= (umaxL | 0)) narrowS32(uminL | 0, umaxL | 0);
  }
  if (sminH === smaxH) {
    u32min = max(u32min, sminL);
    u32max = min(u32max, smaxL);
    if ((sminL | 0) <= (smaxL | 0)) narrowS32(sminL | 0, smaxL | 0);
  }
  // upper halves that differ by one, with the low halves crossing the s32 sign
  if (uminH + 1 === umaxH && (uminL | 0) < 0 && (umaxL | 0) >= 0) narrowS32(uminL | 0, umaxL | 0);
  if ((sminH + 1) >>> 0 === smaxH && (sminL | 0) < 0 && (smaxL | 0) >= 0) narrowS32(sminL | 0, smaxL | 0);
  crossDeduce32(u32min, u32max, s32min, s32max);
  ({ u32min, u32max, s32min, s32max } = out32);
}

/** __reg64_deduce_bounds (scalar.ts deduce64). */
function deduce64(): void {
  if (!slt(umaxH, umaxL, uminH, uminL)) {
    if (slt(sminH, sminL, uminH, uminL)) {
      sminH = uminH;
      sminL = uminL;
    }
    if (slt(umaxH, umaxL, smaxH, smaxL)) {
      smaxH = umaxH;
      smaxL = umaxL;
    }
  }
  if (!ult(smaxH, smaxL, sminH, sminL)) {
    if (ult(uminH, uminL, sminH, sminL)) {
      uminH = sminH;
      uminL = sminL;
    }
    if (ult(smaxH, smaxL, umaxH, umaxL)) {
      umaxH = smaxH;
      umaxL = smaxL;
    }
  } else if (ult(umaxH, umaxL, sminH, sminL)) {
    sminH = uminH;
    sminL = uminL;
    if (ult(smaxH, smaxL, umaxH, umaxL)) {
      umaxH = smaxH;
      umaxL = smaxL;
    }
  } else if (ult(smaxH, smaxL, uminH, uminL)) {
    smaxH = umaxH;
    smaxL = umaxL;
    if (ult(uminH, uminL, sminH, sminL)) {
      uminH = sminH;
      uminL = sminL;
    }
  }
}

/** __reg_deduce_mixed_bounds (scalar.ts deduceMixed). */
function deduceMixed(): void {
  // the 64-bit bounds with their low halves replaced by the 32-bit ones
  if (ult(uminH, uminL, uminH, u32min)) uminL = u32min;
  if (ult(umaxH, u32max, umaxH, umaxL)) umaxL = u32max;
  if (slt(sminH, sminL, sminH, u32min)) sminL = u32min;
  if (slt(smaxH, u32max, smaxH, smaxL)) smaxL = u32max;
  // smin >= S32_MIN and smax <= S32_MAX
  const sminIn = sminH === 0xffffffff ? sminL >= 0x80000000 : (sminH | 0) >= 0;
  const smaxIn = smaxH === 0 ? smaxL <= 0x7fffffff : (smaxH | 0) < 0;
  if (s32min >= 0 && sminIn && smaxIn) {
    // an inconsistent s32 range would store a negative number as umax: the bigint round does that
    if (s32max < 0) {
      aborted = true;
      return;
    }
    uminH = umaxH = sminH = smaxH = 0;
    uminL = sminL = s32min;
    umaxL = smaxL = s32max;
    range64(0, s32min, 0, s32max);
    intersect();
  }
}

/** __reg_bound_offset: var_off from the unsigned bounds, its low half from the 32-bit ones. */
function boundOffset(): void {
  range64(uminH, uminL, umaxH, umaxL);
  const muH = (tmH & rmh) >>> 0;
  const vH = ((tvH | rh) & ~muH) >>> 0;
  range64(0, u32min, 0, u32max);
  intersect();
  tvH = vH;
  tmH = muH;
}

const tnumOf = (vh: number, vl: number, mh: number, ml: number): Tnum => ({ v: join(vh, vl, false), m: join(mh, ml, false) });

/** reg_bounds_sync on `r`; false (r untouched) where the bigint round must do it. */
export function syncHalves(r: Reg): boolean {
  // 32-bit bounds stepped past their type's end (as 64-bit ones, see split): the bigint round
  if (r.u32min >>> 0 !== r.u32min || r.u32max >>> 0 !== r.u32max || (r.s32min | 0) !== r.s32min || (r.s32max | 0) !== r.s32max) return false;
  if (!split(r.umin, false)) return false;
  const uminH0 = (uminH = rh), uminL0 = (uminL = rl);
  if (!split(r.umax, false)) return false;
  const umaxH0 = (umaxH = rh), umaxL0 = (umaxL = rl);
  if (!split(r.smin, true)) return false;
  const sminH0 = (sminH = rh), sminL0 = (sminL = rl);
  if (!split(r.smax, true)) return false;
  const smaxH0 = (smaxH = rh), smaxL0 = (smaxL = rl);
  const t = r.v;
  split(t.v, false);
  const tvH0 = (tvH = rh), tvL0 = (tvL = rl);
  split(t.m, false);
  const tmH0 = (tmH = rh), tmL0 = (tmL = rl);
  u32min = r.u32min;
  u32max = r.u32max;
  s32min = r.s32min;
  s32max = r.s32max;
  aborted = false;
  updateBounds();
  // __reg_deduce_bounds, twice
  for (let k = 0; k < 2; k++) {
    deduce32();
    deduce64();
    deduceMixed();
  }
  if (aborted) return false;
  boundOffset();
  updateBounds();
  if (uminH !== uminH0 || uminL !== uminL0) r.umin = join(uminH, uminL, false);
  if (umaxH !== umaxH0 || umaxL !== umaxL0) r.umax = join(umaxH, umaxL, false);
  if (sminH !== sminH0 || sminL !== sminL0) r.smin = join(sminH, sminL, true);
  if (smaxH !== smaxH0 || smaxL !== smaxL0) r.smax = join(smaxH, smaxL, true);
  r.u32min = u32min;
  r.u32max = u32max;
  r.s32min = s32min;
  r.s32max = s32max;
  if (tvH !== tvH0 || tvL !== tvL0 || tmH !== tmH0 || tmL !== tmL0) r.v = tnumOf(tvH, tvL, tmH, tmL);
  return true;
}
