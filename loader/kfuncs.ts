/**
 * @fileoverview The kfuncs tcxlab can bind. A kfunc call in an object (`call` with a relocation
 * against an undefined function symbol, which libbpf turns into src = BPF_PSEUDO_KFUNC_CALL with
 * the kernel's BTF id) becomes src = BPF_PSEUDO_KFUNC_CALL (2), imm = the tcxlab kfunc id below.
 *
 * The ids are tcxlab's own, stable numbers, NOT kernel BTF ids (those differ per kernel build);
 * LinkedProgram.kfuncs is keyed by them. A call to a kfunc that is not in this table is a
 * RelocationError naming the kfunc: we would rather refuse an object than run it wrongly.
 *
 * The table is deliberately empty for now: no kfunc has a runtime implementation yet. Add a row
 * here only together with its implementation in src/.
 */

/** A kfunc tcxlab implements. */
export interface KfuncDef {
  /** tcxlab kfunc id (imm of the call). */
  readonly id: number;
  readonly name: string;
}

/** Supported kfuncs by name. */
export const KFUNCS: ReadonlyMap<string, KfuncDef> = new Map<string, KfuncDef>([]);

/** Look up a kfunc in `extra` (caller-supplied) then in KFUNCS. */
export function findKfunc(name: string, extra?: ReadonlyMap<string, number>): KfuncDef | undefined {
  const id = extra?.get(name);
  if (id !== undefined) return { id, name };
  return KFUNCS.get(name);
}
