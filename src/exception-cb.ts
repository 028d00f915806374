/**
 * @fileoverview Which function is a program's exception callback, as the kernel decides it
 * (bpf_find_exception_callback_insn_off, at add_subprog_and_kfunc): the `exception_callback:NAME`
 * decl tag on the FUNC of func_info[0], then the FUNC named NAME, which must have global linkage
 * and a func_info record. The loader appended that function (loader/exception-cb.ts); here it
 * becomes an instruction index for the verifier (VerifierOptions.exceptionCallback) and for the
 * engines (LinkedProgram.exceptionCb), or the kernel's refusal. docs/exceptions.md.
 */
import { BTF_FUNC_GLOBAL, EXCEPTION_CB_TAG, exceptionTags } from '../loader/exception-cb.js';
import type { CollectionSpec, ProgramSpec } from '../loader/spec.js';
import type { ExceptionCallback } from '../vm/verifier/index.js';

/** The program's exception callback: its first instruction, a refusal, or undefined (none). */
export function exceptionCallbackOf(spec: CollectionSpec, prog: ProgramSpec): ExceptionCallback | undefined {
  const btf = spec.btf;
  const infos = prog.funcInfo;
  if (btf === undefined || infos === undefined || infos.length === 0) return undefined;
  const mainId = infos[0].typeId;
  const tags = exceptionTags(btf).filter((t) => t.kind === 'DECL_TAG' && t.type === mainId);
  if (tags.length === 0) return undefined;
  // btf_find_decl_tag_value: -EEXIST for a second tag
  if (tags.length > 1) return { error: 'multiple exception callback tags for main subprog' };
  const name = (tags[0].name as string).slice(EXCEPTION_CB_TAG.length);
  const fn = btf.types.find((t) => t.kind === 'FUNC' && t.name === name);
  if (fn === undefined || fn.kind !== 'FUNC') return { error: `exception callback '${name}' could not be found in BTF` };
  if (fn.linkage !== BTF_FUNC_GLOBAL) return { error: `exception callback '${name}' must have global linkage` };
  // the last func_info record of that type wins, as in the kernel's loop
  let insn = -1;
  for (const fi of infos) if (fi.typeId === fn.id) insn = fi.insn;
  if (insn === 0) return { error: 'invalid exception callback insn_off in func_info: 0' };
  if (insn < 0) return { error: 'exception callback type id not found in func_info' };
  return insn;
}
