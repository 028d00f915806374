/**
 * @fileoverview The helper table a sched_cls program runs with: every family keyed by helper id
 * (kernel numbering from vm/helper-ids.ts), plus a clear fault for each helper the kernel lets a
 * tc program call but tcxlab does not implement — never a silent zero.
 */
import { ErrorCode, VmFault } from '../../vm/errors.js';
import { BPF_FUNC_MAX_ID, helperName } from '../../vm/helpers.js';
import { Op } from '../../vm/isa.js';
import type { HelperFn, HelperTable } from '../../vm/program.js';
import { baseHelpers } from './base.js';
import { mapHelpers } from './maps.js';
import { skbHelpers } from './skb.js';
import { miscHelpers } from './misc.js';
import { dynptrHelpers } from './dynptr.js';
import { timerHelpers } from './timer.js';
import { syncookieHelpers } from './syncookie.js';

/** All implemented helpers by id. One source per id: families must not overlap. */
export const HELPER_FAMILIES: ReadonlyArray<Readonly<Record<number, HelperFn>>> = [
  baseHelpers,
  mapHelpers,
  skbHelpers,
  miscHelpers,
  dynptrHelpers,
  timerHelpers,
  syncookieHelpers,
];

function unsupported(id: number): HelperFn {
  const name = helperName(id) ?? `helper#${id}`;
  return (call) => {
    throw new VmFault(ErrorCode.UnsupportedHelper, `${name}#${id} is not supported by tcxlab`, call.insnIndex, Op.CALL);
  };
}

/** Build the table: implemented helpers, and an "unsupported" fault for every other known id. */
export function buildHelperTable(extra: Readonly<Record<number, HelperFn>> = {}): HelperTable {
  const table: (HelperFn | undefined)[] = new Array(BPF_FUNC_MAX_ID).fill(undefined);
  for (let id = 1; id < BPF_FUNC_MAX_ID; id++) table[id] = unsupported(id);
  for (const fam of [...HELPER_FAMILIES, extra]) {
    for (const [k, fn] of Object.entries(fam)) table[Number(k)] = fn;
  }
  return table;
}

/** Ids that have an implementation (for docs and tests). */
export function implementedHelperIds(): number[] {
  const ids = new Set<number>();
  for (const fam of HELPER_FAMILIES) for (const k of Object.keys(fam)) ids.add(Number(k));
  return [...ids].sort((a, b) => a - b);
}
