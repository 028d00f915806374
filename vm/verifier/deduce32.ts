/**
 * @fileoverview The end of __reg32_deduce_bounds in plain numbers, for both numeric bounds syncs
 * (sync-u32.ts, sync-halves.ts): the signed and unsigned 32-bit ranges narrowed by each other
 * (scalar.ts deduce32 is the bigint module's copy of the same step, and the reference the tests
 * compare both syncs with).
 */

/** crossDeduce32's result (one object for every call: no allocation). */
export const out32 = { u32min: 0, u32max: 0, s32min: 0, s32max: 0 };

const max = Math.max;
const min = Math.min;

/**
 * The u32 range gives the s32 one where it does not cross the sign, and the other way round; the
 * narrowed bounds are left in out32.
 */
export function crossDeduce32(u32min: number, u32max: number, s32min: number, s32max: number): void {
  if ((u32min | 0) <= (u32max | 0)) {
    s32min = max(s32min, u32min | 0);
    s32max = min(s32max, u32max | 0);
  }
  if (s32min >>> 0 <= s32max >>> 0) {
    u32min = max(u32min, s32min >>> 0);
    u32max = min(u32max, s32max >>> 0);
  } else if (u32max < s32min >>> 0) {
    // the s32 range crosses the sign boundary and the u32 range meets only its non-negative part
    s32min = u32min | 0;
    u32max = min(u32max, s32max >>> 0);
  } else if (s32max >>> 0 < u32min) {
    // ... or only its negative part
    s32max = u32max | 0;
    u32min = max(u32min, s32min >>> 0);
  }
  out32.u32min = u32min;
  out32.u32max = u32max;
  out32.s32min = s32min;
  out32.s32max = s32max;
}
