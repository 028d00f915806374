/**
 * @fileoverview A kfunc family: implementations keyed by the kfunc's name from its record in
 * vm/kfuncs.ts (an unknown name does not compile). src/kfuncs/index.ts merges the families.
 */
import type { KfuncName } from '../../vm/kfuncs.js';
import type { HelperFn } from '../../vm/program.js';

/** Implementations by kfunc name. */
export type KfuncFamily = { readonly [K in KfuncName]?: HelperFn };

/** An implementation made from the kfunc's name (the name its faults carry), keyed by it. */
export function named<N extends KfuncName>(name: N, make: (name: N) => HelperFn): { readonly [K in N]: HelperFn } {
  return { [name]: make(name) } as { readonly [K in N]: HelperFn };
}
