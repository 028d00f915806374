/**
 * @fileoverview On-disk BTF and .BTF.ext structures (uapi `include/uapi/linux/btf.h`,
 * `Documentation/bpf/btf.rst`; .BTF.ext layout from libbpf `libbpf_internal.h`). Only sizes,
 * offsets and constants live here; the decoded model is in types.ts.
 *
 * .BTF section (all little-endian; offsets are relative to the end of the header):
 *
 *   +0  u16 magic 0xeB9F   +2 u8 version (1)   +3 u8 flags
 *   +4  u32 hdr_len        +8 u32 type_off     +12 u32 type_len
 *   +16 u32 str_off        +20 u32 str_len
 *
 * Each type record starts with struct btf_type (12 bytes) and is followed by kind-specific data:
 *
 *   +0 u32 name_off
 *   +4 u32 info    bits 0-15 vlen, bits 24-28 kind, bit 31 kind_flag
 *   +8 u32 size | type
 *
 *   INT        u32: bits 24-27 encoding (SIGNED 1, CHAR 2, BOOL 4), 16-23 offset, 0-7 nr_bits
 *   ARRAY      struct btf_array  { u32 type, index_type, nelems }
 *   STRUCT/UNION vlen x struct btf_member { u32 name_off, type, offset } (offset: kind_flag ?
 *              bitfield_size << 24 | bit_offset : bit_offset)
 *   ENUM       vlen x struct btf_enum { u32 name_off; s32 val }
 *   ENUM64     vlen x struct btf_enum64 { u32 name_off, val_lo32, val_hi32 }
 *   FUNC_PROTO vlen x struct btf_param { u32 name_off, type }
 *   VAR        struct btf_var { u32 linkage }
 *   DATASEC    vlen x struct btf_var_secinfo { u32 type, offset, size }
 *   DECL_TAG   struct btf_decl_tag { s32 component_idx }
 */

export const BTF_MAGIC = 0xeb9f;
export const BTF_VERSION = 1;
/** sizeof(struct btf_header). */
export const BTF_HEADER_SIZE = 24;
/** sizeof(struct btf_type). */
export const BTF_TYPE_SIZE = 12;
/** The kernel's BTF_MAX_TYPE (kernel/bpf/btf.c): type ids fit in 20 bits. */
export const BTF_MAX_TYPE = 0x000fffff;
/** Kernel BTF_MAX_NAME_OFFSET: name offsets fit in 24 bits. */
export const BTF_MAX_NAME_OFFSET = 0x00ffffff;

/** BTF kinds (uapi BTF_KIND_*), by number. */
export const BTF_KIND = {
  UNKN: 0,
  INT: 1,
  PTR: 2,
  ARRAY: 3,
  STRUCT: 4,
  UNION: 5,
  ENUM: 6,
  FWD: 7,
  TYPEDEF: 8,
  VOLATILE: 9,
  CONST: 10,
  RESTRICT: 11,
  FUNC: 12,
  FUNC_PROTO: 13,
  VAR: 14,
  DATASEC: 15,
  FLOAT: 16,
  DECL_TAG: 17,
  TYPE_TAG: 18,
  ENUM64: 19,
} as const;
export type BtfKindName = Exclude<keyof typeof BTF_KIND, 'UNKN'>;
/** Kind number → name as bpftool prints it (`[1] INT 'int' ...`). */
export const BTF_KIND_NAMES: readonly string[] = Object.keys(BTF_KIND);

/** INT encoding bits. */
export const BTF_INT_SIGNED = 1 << 0;
export const BTF_INT_CHAR = 1 << 1;
export const BTF_INT_BOOL = 1 << 2;

/** VAR linkage (uapi enum btf_var_linkage-ish: BTF_VAR_*). */
export const BTF_VAR = { STATIC: 0, GLOBAL_ALLOCATED: 1, GLOBAL_EXTERN: 2 } as const;
/** FUNC linkage, kept in vlen (uapi enum btf_func_linkage). */
export const BTF_FUNC = { STATIC: 0, GLOBAL: 1, EXTERN: 2 } as const;

/** Sizes of the data that follows struct btf_type. */
export const BTF_INT_DATA = 4;
export const BTF_ARRAY_SIZE = 12;
export const BTF_MEMBER_SIZE = 12;
export const BTF_ENUM_SIZE = 8;
export const BTF_ENUM64_SIZE = 12;
export const BTF_PARAM_SIZE = 8;
export const BTF_VAR_SIZE = 4;
export const BTF_VAR_SECINFO_SIZE = 12;
export const BTF_DECL_TAG_SIZE = 4;

/**
 * .BTF.ext header (libbpf struct btf_ext_header). Offsets are relative to the end of the
 * header; the CO-RE pair exists only when hdr_len >= 32.
 *
 *   +0  u16 magic 0xeB9F  +2 u8 version  +3 u8 flags  +4 u32 hdr_len
 *   +8  u32 func_info_off  +12 u32 func_info_len
 *   +16 u32 line_info_off  +20 u32 line_info_len
 *   +24 u32 core_relo_off  +28 u32 core_relo_len
 *
 * Each info block: u32 record_size, then per section
 *   { u32 sec_name_off, u32 num_info, record[num_info] }.
 *
 *   bpf_func_info      { u32 insn_off, type_id }                          (8 bytes)
 *   bpf_line_info      { u32 insn_off, file_name_off, line_off, line_col } (16 bytes)
 *   bpf_core_relo      { u32 insn_off, type_id, access_str_off, kind }     (16 bytes)
 *
 * insn_off is in BYTES from the start of the section in the object file.
 */
export const BTF_EXT_HEADER_MIN = 24;
export const BTF_EXT_HEADER_CORE = 32;
export const BPF_FUNC_INFO_MIN = 8;
export const BPF_LINE_INFO_MIN = 16;
export const BPF_CORE_RELO_MIN = 16;

/** line_col packing (uapi BPF_LINE_INFO_LINE_NUM / BPF_LINE_INFO_LINE_COL). */
export const lineOf = (lineCol: number): number => lineCol >>> 10;
export const colOf = (lineCol: number): number => lineCol & 0x3ff;

/** CO-RE relocation kinds (uapi enum bpf_core_relo_kind). */
export const BPF_CORE = {
  FIELD_BYTE_OFFSET: 0,
  FIELD_BYTE_SIZE: 1,
  FIELD_EXISTS: 2,
  FIELD_SIGNED: 3,
  FIELD_LSHIFT_U64: 4,
  FIELD_RSHIFT_U64: 5,
  TYPE_ID_LOCAL: 6,
  TYPE_ID_TARGET: 7,
  TYPE_EXISTS: 8,
  TYPE_SIZE: 9,
  ENUMVAL_EXISTS: 10,
  ENUMVAL_VALUE: 11,
  TYPE_MATCHES: 12,
} as const;
export type CoreReloKind = (typeof BPF_CORE)[keyof typeof BPF_CORE];
/** Kind number → libbpf's short name (core_relo_kind_str). */
export const CORE_RELO_KIND_NAMES: readonly string[] = [
  'byte_off', 'byte_sz', 'field_exists', 'signed', 'lshift_u64', 'rshift_u64',
  'local_type_id', 'target_type_id', 'type_exists', 'type_size', 'enumval_exists', 'enumval_value',
  'type_matches',
];
