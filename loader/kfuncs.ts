/**
 * @fileoverview Binding kfunc calls. A kfunc call in an object is a `call` with a relocation
 * against an undefined function symbol (an `extern ... __ksym` declaration, which clang also
 * describes in .BTF as a FUNC with extern linkage). libbpf resolves it by name in the kernel's BTF
 * and checks that the object's prototype is compatible with the kernel's
 * (bpf_object__resolve_ksym_func_btf_id → bpf_core_types_are_compat); we do the same against
 * tcxlab's kfunc records (vm/kfuncs.ts, whose prototypes are the 6.18 kernel's), and the call
 * becomes src = BPF_PSEUDO_KFUNC_CALL (2), imm = the record's tcxlab id.
 *
 * A call to a kfunc tcxlab does not implement is a RelocationError naming it: we would rather
 * refuse an object than run it wrongly.
 */
import { KFUNCS_BY_NAME, type KfuncRecord } from '../vm/kfuncs.js';
import type { Btf } from './btf/index.js';

/** A kfunc the loader can bind: a record, or a caller-supplied extra (name → id only). */
export interface KfuncDef {
  /** tcxlab kfunc id (imm of the call). */
  readonly id: number;
  readonly name: string;
  /** The record (absent for caller-supplied kfuncs, which get no prototype check). */
  readonly record?: KfuncRecord;
}

/** Supported kfuncs by name (the records of vm/kfuncs.ts). */
export const KFUNCS: ReadonlyMap<string, KfuncDef> = new Map(
  [...KFUNCS_BY_NAME.values()].map((r) => [r.name, { id: r.id, name: r.name, record: r }] as const),
);

/**
 * Look up a kfunc in `extra` (caller-supplied) then in KFUNCS, by its exact name (libbpf 1.1, the
 * pinned toolchain's, does not strip `___flavour` suffixes of kfunc externs [measured]).
 */
export function findKfunc(name: string, extra?: ReadonlyMap<string, number>): KfuncDef | undefined {
  const id = extra?.get(name);
  if (id !== undefined) return { id, name };
  return KFUNCS.get(name);
}

/** Whether the object's BTF declares `name` as a function (an extern `__ksym` FUNC). */
export function externFuncInBtf(btf: Btf | undefined, name: string): boolean {
  return btf !== undefined && btf.idsByName(name).some((id) => btf.typeById(id).kind === 'FUNC');
}

/**
 * The value `lddw rX, kfunc` loads (`bpf_ksym_exists(kfunc)`): the kernel puts the function's
 * address there; tcxlab an opaque non-zero kernel-looking constant (lo, hi) that no region answers,
 * so only comparisons with 0 mean anything.
 */
export function kfuncAddress(id: number): [lo: number, hi: number] {
  return [(0x81000000 + id * 16) | 0, -1];
}

/**
 * The compatibility class of a type for bpf_core_types_are_compat: modifiers and typedefs are
 * skipped, every integer matches every integer, enums match enums, struct/union/forward
 * declarations match by kind only, pointers recurse. Returns e.g. `*composite`, `int`, `void`.
 */
type Shape = string;

function shapeOfBtf(btf: Btf, id: number, depth = 0): Shape {
  if (depth > 32) return 'loop';
  const t = btf.typeById(id);
  switch (t.kind) {
    case 'VOID':
      return 'void';
    case 'INT':
      // libbpf rejects bitfield-like integers (bit offset ≠ 0).
      return t.bitOffset === 0 ? 'int' : 'bitfield';
    case 'ENUM':
    case 'ENUM64':
      return 'enum';
    case 'STRUCT':
    case 'UNION':
    case 'FWD':
      return 'composite';
    case 'PTR':
      return '*' + shapeOfBtf(btf, t.type, depth + 1);
    case 'CONST':
    case 'VOLATILE':
    case 'RESTRICT':
    case 'TYPEDEF':
    case 'TYPE_TAG':
      return shapeOfBtf(btf, t.type, depth + 1);
    default:
      return t.kind.toLowerCase();
  }
}

/** The same class from a record's C-like type (`const struct bpf_dynptr *`, `u32`, `void`). */
export function shapeOfC(type: string): Shape {
  let s = type.trim();
  let stars = '';
  while (s.endsWith('*')) {
    stars += '*';
    s = s.slice(0, -1).trim();
  }
  s = s.replace(/\b(const|volatile|restrict)\b/g, '').trim();
  let base: string;
  if (s === 'void') base = 'void';
  else if (/^(struct|union) /.test(s)) base = 'composite';
  else if (/^enum /.test(s)) base = 'enum';
  else base = 'int'; // every other name in a kernel prototype is an integer type or typedef of one
  return stars + base;
}

/**
 * Check the object's BTF prototype of extern `name` against the record, as libbpf does before it
 * lets a kfunc call through. Returns an error message, or undefined when compatible (or when the
 * object has no BTF FUNC for it: an object without BTF cannot be checked).
 */
export function kfuncProtoMismatch(btf: Btf | undefined, name: string, rec: KfuncRecord): string | undefined {
  if (btf === undefined) return undefined;
  const fn = btf.idsByName(name).map((id) => btf.typeById(id)).find((t) => t.kind === 'FUNC');
  if (fn === undefined || fn.kind !== 'FUNC') return undefined;
  const proto = btf.typeById(fn.type);
  if (proto.kind !== 'FUNC_PROTO') return `BTF FUNC ${name} has no FUNC_PROTO`;
  const kernel = `${rec.proto.ret} ${rec.name}(${rec.proto.params.map(([n, t]) => `${t} ${n}`).join(', ')})`;
  const what = `func_proto [${fn.type}] is incompatible with the kernel's ${kernel}`;
  if (proto.params.length !== rec.proto.params.length) return `${what}: ${proto.params.length} parameters, the kernel has ${rec.proto.params.length}`;
  for (let i = 0; i < proto.params.length; i++) {
    const local = shapeOfBtf(btf, proto.params[i].type);
    if (local !== shapeOfC(rec.proto.params[i][1])) return `${what}: parameter ${i + 1} is ${btf.typeName(proto.params[i].type)}`;
  }
  if (shapeOfBtf(btf, proto.type) !== shapeOfC(rec.proto.ret)) return `${what}: it returns ${btf.typeName(proto.type)}`;
  return undefined;
}
