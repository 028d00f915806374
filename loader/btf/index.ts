/**
 * @fileoverview BTF for the loader: the .BTF parser and type graph, .BTF.ext records, BTF-defined
 * maps, CO-RE relocations and the built-in target BTF. See README section `loader` ("BTF and CO-RE").
 */
export { Btf, BtfStrings, parseBtf, MAX_RESOLVE_DEPTH, BTF_PTR_SIZE, type ParseBtfOptions } from './parse.js';
export type * from './types.js';
export { isComposite, isAnyEnum, MODIFIER_KINDS } from './types.js';
export { parseBtfExt, btfOfExt, type BtfExt, type CoreRelo, type FuncInfoRecord, type LineInfoRecord } from './ext.js';
export { btfMapDefinitions, datasecTypeId, type BtfMapDef, type BtfMapOptions } from './maps.js';
export { applyCoreRelocations, essentialNameLength, CoreRelocationError, CORE_POISON_HELPER_ID, type CoreContext } from './core.js';
export { builtinTargetBtf, builtinTargetBtfBytes, DEFAULT_TARGET, DEFAULT_TARGET_NAME } from './target.js';
export { writeBtf, type BtfTypeSpec } from './writer.js';
export { BPF_CORE, BTF_KIND, CORE_RELO_KIND_NAMES, type CoreReloKind } from './wire.js';
export { BtfError } from '../../vm/errors.js';

import type { Btf } from './parse.js';
import { parseBtf } from './parse.js';
import { btfOfExt, type BtfExt } from './ext.js';
import { applyCoreRelocations } from './core.js';
import { builtinTargetBtf } from './target.js';

const targetCache = new WeakMap<Uint8Array, Btf>();

/**
 * Applies the CO-RE relocations `ext` holds for code section `section` to `insns` (that
 * section's bytes) in place. The target is `vmlinux` (raw BTF bytes, parsed once per buffer)
 * or the default target (the reference kernel's complete vmlinux BTF, loaded on first use).
 * Returns whether the section had any CO-RE relocation (so whether a target was needed).
 */
export function applyCore(btf: Btf, ext: BtfExt, section: string, insns: Uint8Array, vmlinux?: Uint8Array): boolean {
  const relos = ext.coreRelos.get(section);
  if (relos === undefined || relos.length === 0) return false;
  let target: Btf;
  if (vmlinux !== undefined) {
    let t = targetCache.get(vmlinux);
    if (t === undefined) {
      t = parseBtf(vmlinux, { section: 'vmlinux BTF' });
      targetCache.set(vmlinux, t);
    }
    target = t;
  } else {
    target = builtinTargetBtf();
  }
  applyCoreRelocations(insns, relos, btf, target, { section });
  return true;
}

/** line_info of a section with instruction indexes (insnOff / 8), for the loader's spec. */
export function lineInfoOf(ext: BtfExt, section: string): { insn: number; file: string; line: number; col: number; text: string }[] {
  return (ext.lineInfo.get(section) ?? []).map((l) => ({ insn: l.insnOff / 8, file: l.file, line: l.line, col: l.col, text: l.text }));
}

/** func_info of a section with instruction indexes and function names (btf: the one `ext` was parsed with). */
export function funcInfoOf(ext: BtfExt, section: string, btf?: Btf): { insn: number; name: string; typeId: number }[] {
  const b = btf ?? btfOfExt(ext);
  return (ext.funcInfo.get(section) ?? []).map((f) => ({ insn: f.insnOff / 8, name: b ? b.typeById(f.typeId).name : '', typeId: f.typeId }));
}
