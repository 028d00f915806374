/**
 * @fileoverview The end of __reg32_deduce_bounds in plain numbers, for both numeric bounds syncs
 * (sync-u32.ts, sync-halves.ts): the signed and unsigned 32-bit ranges narrowed by each other
 * (scalar.ts deduce32 is the bigint module's copy of the same step, and the reference the tests
 * compare both syncs with).
 */

/**
 * The 32-bit bounds of the register being synced: one object shared by both syncs (which never
 * run at once), so that crossDeduce32 narrows them in place. An object's number fields are
 * updated in place; a module-level `let` given a number outside the small-integer range (most
 * u32 maxima, every negative s32 minimum) would get a new heap number on each store.
 */
export const w32 = { u32min: NaN, u32max: NaN, s32min: NaN, s32max: NaN };

const max = Math.max;
const min = Math.min;

/**
 * The u32 range gives the s32 one where it does not cross the sign, and the other way round
 * (on w32).
 */
export function crossDeduce32(): void {
  const b = w32;
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
