/**
 * @fileoverview The end of __reg32_deduce_bounds in plain numbers, for both numeric bounds syncs
 * (sync-u32.ts, sync-halves.ts): the signed and unsigned 32-bit ranges narrowed by each other
 * (scalar.ts deduce32 is the bigint module's copy of the same step, and the reference the tests
 * compare both syncs with).
 */

/**
 * The 32-bit bounds of the register being synced, in plain numbers: both numeric syncs keep them
 * here (one object for every call: no allocation), and crossDeduce32 works on them.
 */
export const b32 = { u32min: 0, u32max: 0, s32min: 0, s32max: 0 };

const max = Math.max;
const min = Math.min;

/** The u32 range gives the s32 one where it does not cross the sign, and the other way round. */
export function crossDeduce32(): void {
  const b = b32;
  if ((b.u32min | 0) <= (b.u32max | 0)) {
    b.s32min = max(b.s32min, b.u32min | 0);
    b.s32max = min(b.s32max, b.u32max | 0);
  }
  if (b.s32min >>> 0 <= b.s32max >>> 0) {
    b.u32min = max(b.u32min, b.s32min >>> 0);
    b.u32max = min(b.u32max, b.s32max >>> 0);
  } else if (b.u32max < b.s32min >>> 0) {
    // the s32 range crosses the sign boundary and the u32 range meets only its non-negative part
    b.s32min = b.u32min | 0;
    b.u32max = min(b.u32max, b.s32max >>> 0);
  } else if (b.s32max >>> 0 < b.u32min) {
    // ... or only its negative part
    b.s32max = b.u32max | 0;
    b.u32min = max(b.u32min, b.s32min >>> 0);
  }
}
