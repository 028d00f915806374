/**
 * @fileoverview The kfunc implementations, keyed by the records of vm/kfuncs.ts: every record has
 * exactly one implementation (checked by the type below and by test/kfuncs/), and the table the
 * programs link against maps each record's tcxlab id to it.
 */
import { KFUNC_RECORDS, type KfuncName } from '../../vm/kfuncs.js';
import type { HelperFn } from '../../vm/program.js';
import { dynptrKfuncs } from './dynptr.js';
import { miscKfuncs } from './misc.js';
import { reqskKfuncs } from './reqsk.js';
import { iterBitsKfuncs } from './iter-bits.js';
import { stringKfuncs } from './string.js';

/** Implementations by kernel name: exactly the records' names (the type checks both ways). */
export const KFUNC_IMPLS: Readonly<Record<KfuncName, HelperFn>> = {
  ...dynptrKfuncs,
  ...miscKfuncs,
  ...iterBitsKfuncs,
  ...stringKfuncs,
  ...reqskKfuncs,
};

/** tcxlab kfunc id → implementation, for LinkOptions.kfuncs. */
export function buildKfuncTable(): ReadonlyMap<number, HelperFn> {
  const m = new Map<number, HelperFn>();
  for (const r of KFUNC_RECORDS) m.set(r.id, KFUNC_IMPLS[r.name]);
  return m;
}

export type { AssignedReqsk } from './reqsk.js';
