/**
 * @fileoverview reg_bounds_sync results remembered by their input. The sync is a pure function
 * of a scalar's variable part (tnum and the eight bounds), and a walk meets the same few inputs
 * again and again: test_cls_redirect syncs 16,477 scalars that are neither constant nor unknown
 * per verify, from 131 distinct inputs. A hit copies the remembered output (the same values the sync would compute;
 * bigints and tnums are immutable, so sharing them is safe) instead of converting the bounds to
 * numbers, running the steps and converting them back.
 *
 * The table is set-associative: a bucket chosen by a hash of the input, each holding up to WAYS
 * entries compared field by field with the input, the newest first; a hit is moved one place
 * forward. The buckets are small so that a miss is cheap: a loop counter gives a new input on
 * every iteration (over the 1,241 corpus programs, capped at 100,000 instructions, there are more
 * misses than hits), and a bucket chosen from the 32-bit bounds alone put most of
 * test_cls_redirect's distinct inputs (unknown u32 range, different 64-bit bounds) in one.
 */
import type { Reg } from './reg.js';
import type { Tnum } from './tnum.js';

class Entry {
  constructor(
    // input
    readonly v: Tnum,
    readonly umin: bigint,
    readonly umax: bigint,
    readonly smin: bigint,
    readonly smax: bigint,
    readonly u32min: number,
    readonly u32max: number,
    readonly s32min: number,
    readonly s32max: number,
    // output
    readonly out: Tnum,
    readonly oUmin: bigint,
    readonly oUmax: bigint,
    readonly oSmin: bigint,
    readonly oSmax: bigint,
    readonly oU32min: number,
    readonly oU32max: number,
    readonly oS32min: number,
    readonly oS32max: number,
  ) {}
}

const BUCKETS = 1024;
const WAYS = 4;
const table: Entry[][] = Array.from({ length: BUCKETS }, () => []);

/** An integer mixing a number's low 32 bits and its 2^32 multiple (exact below 2^53, rounded above). */
const mix = (d: number): number => (d | 0) ^ Math.imul((d / 4294967296) | 0, 0x27d4eb2d);

/**
 * Bucket index from the 32-bit bounds, the unsigned 64-bit bounds and the tnum mask (the bigints
 * through `Number`, rounded when large: only a hash). Any numbers, bounds stepped past their
 * type's end too.
 */
export function bucketOf(t: Tnum, umin: bigint, umax: bigint, u32min: number, u32max: number, s32min: number, s32max: number): number {
  const h =
    u32min ^ Math.imul(u32max, 0x9e3779b1) ^ Math.imul(s32min, 0x85ebca6b) ^ Math.imul(s32max, 0xc2b2ae35) ^
    Math.imul(mix(Number(umin)), 0x165667b1) ^ Math.imul(mix(Number(umax)), 0xd3a2646c) ^ Math.imul(mix(Number(t.m)), 0xfd7046c5);
  return (h ^ (h >>> 15)) & (BUCKETS - 1);
}

/**
 * Apply the remembered sync of r's input to r and return -1; when it is not remembered, return
 * the input's bucket for `remember` (hashed once per miss).
 */
export function recall(r: Reg): number {
  const at = bucketOf(r.v, r.umin, r.umax, r.u32min, r.u32max, r.s32min, r.s32max);
  const b = table[at];
  const t = r.v;
  for (let k = 0; k < b.length; k++) {
    const e = b[k];
    if (
      e.v.m === t.m && e.v.v === t.v && e.umin === r.umin && e.umax === r.umax && e.smin === r.smin && e.smax === r.smax &&
      e.u32min === r.u32min && e.u32max === r.u32max && e.s32min === r.s32min && e.s32max === r.s32max
    ) {
      if (k > 0) {
        b[k] = b[k - 1];
        b[k - 1] = e;
      }
      r.v = e.out;
      r.umin = e.oUmin;
      r.umax = e.oUmax;
      r.smin = e.oSmin;
      r.smax = e.oSmax;
      r.u32min = e.oU32min;
      r.u32max = e.oU32max;
      r.s32min = e.oS32min;
      r.s32max = e.oS32max;
      return -1;
    }
  }
  return at;
}

/** Remember that the input (v, umin, ..., s32max), of bucket `at`, syncs to what `r` holds now. */
export function remember(
  at: number, v: Tnum, umin: bigint, umax: bigint, smin: bigint, smax: bigint, u32min: number, u32max: number, s32min: number, s32max: number, r: Reg,
): void {
  const b = table[at];
  const e = new Entry(
    v, umin, umax, smin, smax, u32min, u32max, s32min, s32max,
    r.v, r.umin, r.umax, r.smin, r.smax, r.u32min, r.u32max, r.s32min, r.s32max,
  );
  if (b.length >= WAYS) b.pop();
  b.unshift(e);
}

/** Forget every entry (for tests that compare the sync with and without remembered results). */
export function forgetAll(): void {
  for (const b of table) b.length = 0;
}
