/**
 * @fileoverview The decoded BTF model: one plain object per type, discriminated by `kind`
 * (the uapi kind name as bpftool prints it). Type references are ids into `Btf.types`.
 */

/** Common fields of every type. `id` is the index in `Btf.types`; id 0 is void. */
interface TypeBase {
  readonly id: number;
  /** Type name ('' for anonymous types). */
  readonly name: string;
  /** Byte offset of the btf_type record inside the type section (for error messages). */
  readonly offset: number;
}

export interface BtfVoid extends TypeBase { readonly kind: 'VOID' }

/** BTF_KIND_INT. `bitOffset`/`bits` come from the INT data word. */
export interface BtfInt extends TypeBase {
  readonly kind: 'INT';
  readonly size: number;
  readonly signed: boolean;
  readonly char: boolean;
  readonly bool: boolean;
  /** Raw encoding bits (BTF_INT_SIGNED | BTF_INT_CHAR | BTF_INT_BOOL). */
  readonly encoding: number;
  readonly bitOffset: number;
  readonly bits: number;
}

/** PTR, TYPEDEF, VOLATILE, CONST, RESTRICT, TYPE_TAG: a name (maybe) and a referenced type. */
export interface BtfRef extends TypeBase {
  readonly kind: 'PTR' | 'TYPEDEF' | 'VOLATILE' | 'CONST' | 'RESTRICT' | 'TYPE_TAG';
  readonly type: number;
}

export interface BtfArray extends TypeBase {
  readonly kind: 'ARRAY';
  /** Element type. */
  readonly type: number;
  readonly indexType: number;
  readonly nelems: number;
}

/** A struct/union member; `bitfieldSize` is 0 for a plain member. */
export interface BtfMember {
  readonly name: string;
  readonly type: number;
  readonly bitOffset: number;
  readonly bitfieldSize: number;
}

export interface BtfComposite extends TypeBase {
  readonly kind: 'STRUCT' | 'UNION';
  readonly size: number;
  /** kind_flag: member offsets carry bitfield sizes. */
  readonly kindFlag: boolean;
  readonly members: readonly BtfMember[];
}

/** An enumerator; `value` is interpreted with the enum's signedness. */
export interface BtfEnumValue {
  readonly name: string;
  readonly value: bigint;
}

/** ENUM (4-byte values) and ENUM64. kind_flag set = signed values. */
export interface BtfEnum extends TypeBase {
  readonly kind: 'ENUM' | 'ENUM64';
  readonly size: number;
  readonly signed: boolean;
  readonly values: readonly BtfEnumValue[];
}

/** Forward declaration; kind_flag set = `union`, clear = `struct`. */
export interface BtfFwd extends TypeBase {
  readonly kind: 'FWD';
  readonly union: boolean;
}

/** FUNC: `type` is its FUNC_PROTO; `linkage` is BTF_FUNC_* (kept in vlen). */
export interface BtfFunc extends TypeBase {
  readonly kind: 'FUNC';
  readonly type: number;
  readonly linkage: number;
}

export interface BtfParam {
  readonly name: string;
  readonly type: number;
}

/** FUNC_PROTO: `type` is the return type (0 = void). A last param of type 0 means `...`. */
export interface BtfFuncProto extends TypeBase {
  readonly kind: 'FUNC_PROTO';
  readonly type: number;
  readonly params: readonly BtfParam[];
}

/** VAR: `linkage` is BTF_VAR_*. */
export interface BtfVar extends TypeBase {
  readonly kind: 'VAR';
  readonly type: number;
  readonly linkage: number;
}

/** One variable of a DATASEC. */
export interface BtfVarSecinfo {
  readonly type: number;
  readonly offset: number;
  readonly size: number;
}

export interface BtfDatasec extends TypeBase {
  readonly kind: 'DATASEC';
  readonly size: number;
  readonly vars: readonly BtfVarSecinfo[];
}

export interface BtfFloat extends TypeBase {
  readonly kind: 'FLOAT';
  readonly size: number;
}

/** DECL_TAG: `componentIdx` -1 tags `type` itself, otherwise a member/param index. */
export interface BtfDeclTag extends TypeBase {
  readonly kind: 'DECL_TAG';
  readonly type: number;
  readonly componentIdx: number;
}

/** Any decoded BTF type. */
export type BtfType =
  | BtfVoid
  | BtfInt
  | BtfRef
  | BtfArray
  | BtfComposite
  | BtfEnum
  | BtfFwd
  | BtfFunc
  | BtfFuncProto
  | BtfVar
  | BtfDatasec
  | BtfFloat
  | BtfDeclTag;

export type BtfTypeKind = BtfType['kind'];

/** Kinds that only qualify/alias another type (skipped by Btf.resolve). */
export const MODIFIER_KINDS: ReadonlySet<BtfTypeKind> = new Set(['TYPEDEF', 'VOLATILE', 'CONST', 'RESTRICT', 'TYPE_TAG']);

export const isComposite = (t: BtfType): t is BtfComposite => t.kind === 'STRUCT' || t.kind === 'UNION';
export const isAnyEnum = (t: BtfType): t is BtfEnum => t.kind === 'ENUM' || t.kind === 'ENUM64';
