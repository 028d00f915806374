/**
 * @fileoverview The exception callback a program names with the BTF decl tag
 * `exception_callback:NAME` on its FUNC (bpf_experimental.h `__exception_cb(NAME)`), as libbpf
 * finds it (bpf_prog_assign_exc_cb): nothing calls that function, so the linker appends it to the
 * program after the functions the program reaches (docs/exceptions.md).
 *
 * libbpf's rules, with its errors as RelocationErrors (libbpf fails the whole object):
 *   - every `exception_callback:` tag (component -1) must sit on a global FUNC;
 *   - a program with two such tags gets none appended (the kernel then refuses it: "multiple
 *     exception callback tags for main subprog");
 *   - the name must not be empty, and must be a function of `.text`, global and not hidden,
 *     and only one.
 * Which callback the kernel then uses, and its checks, are the verifier's (src/exception-cb.ts).
 */
import { RelocationError } from '../vm/errors.js';
import type { Btf } from './btf/index.js';
import type { BtfType } from './btf/types.js';
import type { FuncUnit } from './symbols.js';

/** BTF_FUNC_GLOBAL (include/uapi/linux/btf.h). */
export const BTF_FUNC_GLOBAL = 1;
/** The decl tag prefix (bpf_experimental.h __exception_cb). */
export const EXCEPTION_CB_TAG = 'exception_callback:';

const tagCache = new WeakMap<Btf, readonly BtfType[]>();

/** The object's `exception_callback:` decl tags on whole types (component -1), found once per BTF. */
export function exceptionTags(btf: Btf): readonly BtfType[] {
  let tags = tagCache.get(btf);
  if (tags === undefined) {
    tags = btf.types.filter((t) => t.kind === 'DECL_TAG' && t.componentIdx === -1 && t.name?.startsWith(EXCEPTION_CB_TAG) === true);
    tagCache.set(btf, tags);
  }
  return tags;
}

/**
 * The `.text` function to append to `entry` as its exception callback, or undefined. `subprogs`
 * are the functions of `.text` sections; `hidden` tells a global symbol of restricted visibility
 * (STV_HIDDEN / STV_INTERNAL, which libbpf marks static).
 */
export function exceptionCallbackUnit(btf: Btf | undefined, entry: FuncUnit, subprogs: readonly FuncUnit[], hidden: (f: FuncUnit) => boolean): FuncUnit | undefined {
  if (btf === undefined) return undefined;
  let found: FuncUnit | undefined;
  for (const t of exceptionTags(btf)) {
    if (t.kind !== 'DECL_TAG') continue;
    const fn = btf.typeById(t.type);
    if (fn.kind !== 'FUNC' || fn.linkage !== BTF_FUNC_GLOBAL) {
      throw new RelocationError(`prog '${entry.name}': exception_callback:<value> decl tag not applied to the main program`);
    }
    if (fn.name !== entry.name) continue;
    // a second tag on the same program: libbpf appends nothing and leaves the refusal to the kernel
    if (found !== undefined) return undefined;
    const name = (t.name ?? '').slice(EXCEPTION_CB_TAG.length);
    if (name === '') throw new RelocationError(`prog '${entry.name}': exception_callback:<value> decl tag contains empty value`);
    const matches = subprogs.filter((f) => f.name === name);
    if (matches.length === 0) throw new RelocationError(`prog '${entry.name}': cannot find exception callback '${name}'`);
    if (matches[0].isStatic || hidden(matches[0])) {
      throw new RelocationError(`prog '${entry.name}': exception callback ${name} must be a global non-hidden function`);
    }
    if (matches.length > 1) throw new RelocationError(`prog '${entry.name}': multiple subprogs with same name as exception callback '${name}'`);
    found = matches[0];
  }
  return found;
}
