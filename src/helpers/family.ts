/**
 * @fileoverview A helper family: implementations keyed by the helper's id from its record in
 * vm/helpers.ts (`[HELPER_IDS.bpf_redirect]: redirect`). src/helpers/table.ts merges the families.
 */
import { HELPER_IDS, type HelperName } from '../../vm/helpers.js';
import type { HelperFn } from '../../vm/program.js';

/** Implementations by helper id. */
export type HelperFamily = Readonly<Record<number, HelperFn>>;

/**
 * Implementations made from the helper's name (the name its faults carry), keyed by its id, so
 * that the name is written once: `...byName(['bpf_ringbuf_submit'], (n) => commit(false, n))`.
 */
export function byName<N extends HelperName>(names: readonly N[], make: (name: N) => HelperFn): HelperFamily {
  const out: { [id: number]: HelperFn } = {};
  for (const n of names) out[HELPER_IDS[n]] = make(n);
  return out;
}
