/**
 * @fileoverview The global functions of a program and what their BTF prototypes give the
 * verifier (the kernel's btf_prepare_func_args, docs/verifier.md "Global functions"): a
 * function whose BTF FUNC has global linkage is verified once on its own, from its arguments'
 * types, and every call to it is checked against them instead of being walked.
 *
 * Argument rules: an int or enum is a scalar; a pointer to the program's context
 * (`struct __sk_buff`, or any pointer tagged `arg:ctx`) is the context; any other pointer is
 * memory of the pointed-to type's size, which may be NULL unless tagged `arg:nonnull`. The
 * return type must be an int or enum. Anything else gets the kernel's message, given at the first
 * call.
 */
import type { Btf } from '../loader/btf/parse.js';
import type { BtfType } from '../loader/btf/types.js';
import type { CollectionSpec, ProgramSpec } from '../loader/spec.js';
import type { GlobalArg, GlobalFunc } from '../vm/verifier/index.js';

/** BTF_FUNC_GLOBAL (include/uapi/linux/btf.h). */
const BTF_FUNC_GLOBAL = 1;
/** MAX_BPF_FUNC_REG_ARGS. */
const MAX_ARGS = 5;
/** The context type of the program types tcxlab verifies (sched_cls, socket_filter, lwt). */
const CTX_TYPE = '__sk_buff';

/** Global functions of `prog` by first instruction (the main program itself is never one). */
export function globalFuncsOf(spec: CollectionSpec, prog: ProgramSpec): Map<number, GlobalFunc> {
  const out = new Map<number, GlobalFunc>();
  const btf = spec.btf;
  if (!btf || !prog.funcInfo) return out;
  for (const fi of prog.funcInfo) {
    if (fi.insn === 0) continue;
    const fn = btf.typeById(fi.typeId);
    if (fn.kind !== 'FUNC' || fn.linkage !== BTF_FUNC_GLOBAL) continue;
    out.set(fi.insn, prototype(btf, fn.id, fn.name, fn.type));
  }
  return out;
}

function prototype(btf: Btf, fnId: number, name: string, protoId: number): GlobalFunc {
  const proto = btf.typeById(protoId);
  if (proto.kind !== 'FUNC_PROTO') return { name, args: [], error: `Invalid type of function ${name}()` };
  if (proto.params.length > MAX_ARGS) {
    return { name, args: [], error: `Global function ${name}() with ${proto.params.length} > ${MAX_ARGS} args. Buggy compiler.` };
  }
  if (!isScalar(btf.resolve(proto.type))) return { name, args: [], error: `Global function ${name}() doesn't return scalar. Only those are supported.` };
  const args: GlobalArg[] = [];
  for (let i = 0; i < proto.params.length; i++) {
    const tags = argTags(btf, fnId, i);
    const bad = tags.find((t) => t !== 'ctx' && t !== 'nonnull');
    if (bad !== undefined) return { name, args, error: `arg#${i} has unsupported set of tags` };
    const t = btf.resolve(proto.params[i].type);
    if (t.kind === 'PTR') {
      const target = btf.resolve(t.type);
      if (tags.includes('ctx') || (target.kind === 'STRUCT' && target.name === CTX_TYPE)) {
        if (tags.includes('nonnull')) return { name, args, error: `arg#${i} has invalid combination of tags` };
        args.push({ kind: 'ctx' });
        continue;
      }
      let size: number;
      try {
        size = btf.sizeof(target.id);
      } catch {
        return { name, args, error: `arg#${i} reference type('${kindName(target)} ${target.name ?? ''}') size cannot be determined: -22` };
      }
      args.push({ kind: 'mem', size, nullable: !tags.includes('nonnull') });
      continue;
    }
    if (tags.length) return { name, args, error: `arg#${i} has pointer tag, but is not a pointer type` };
    if (isScalar(t)) {
      args.push({ kind: 'scalar' });
      continue;
    }
    return { name, args, error: `Arg#${i} type ${kindName(t)} in ${name}() is not supported yet.` };
  }
  return { name, args };
}

const isScalar = (t: BtfType): boolean => t.kind === 'INT' || t.kind === 'ENUM' || t.kind === 'ENUM64';

/**
 * First instructions of the subprograms (not the main program) whose BTF return type is not an
 * int of at most 8 bytes or an enum: they may not use LD_ABS or tail calls (check_btf_func).
 */
export function nonScalarReturnsOf(spec: CollectionSpec, prog: ProgramSpec): Set<number> {
  const out = new Set<number>();
  const btf = spec.btf;
  if (!btf || !prog.funcInfo) return out;
  for (const fi of prog.funcInfo) {
    if (fi.insn === 0) continue;
    const fn = btf.typeById(fi.typeId);
    if (fn.kind !== 'FUNC') continue;
    const proto = btf.typeById(fn.type);
    if (proto.kind !== 'FUNC_PROTO') continue;
    const ret = btf.resolve(proto.type);
    const small = (ret.kind === 'INT' && ret.size <= 8) || ret.kind === 'ENUM' || ret.kind === 'ENUM64';
    if (!small) out.add(fi.insn);
  }
  return out;
}

/** `arg:<tag>` decl tags on parameter `i` of FUNC `fnId` (btf_find_next_decl_tag). */
function argTags(btf: Btf, fnId: number, i: number): string[] {
  const out: string[] = [];
  for (const t of btf.types) {
    if (t.kind === 'DECL_TAG' && t.type === fnId && t.componentIdx === i && t.name?.startsWith('arg:')) out.push(t.name.slice(4));
  }
  return out;
}

/** btf_type_str: the kind as the kernel names it in messages. */
function kindName(t: BtfType): string {
  return t.kind.toLowerCase();
}
