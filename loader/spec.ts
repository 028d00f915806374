/**
 * @fileoverview The loader's output: a plain, deterministic CollectionSpec (cilium/ebpf's
 * Spec side of the Spec/Object split). Nothing here depends on the machine or on runtime state;
 * the same bytes always give a deeply-equal spec.
 *
 * Map references inside `ProgramSpec.instructions` are symbolic, so the runtime's
 * `resolveLdImm64` can bind them to map objects:
 *
 *   lddw rX, map          src = BPF_PSEUDO_MAP_IDX (5),       imm = index into spec.maps, next imm = 0
 *   lddw rX, &global+off  src = BPF_PSEUDO_MAP_IDX_VALUE (6), imm = index into spec.maps, next imm = off
 *   lddw rX, &subprog     src = BPF_PSEUDO_FUNC (4),          imm = insn delta to the callee (pc-relative, like call)
 *   call subprog          src = BPF_PSEUDO_CALL (1),          imm = insn delta to the callee
 *   call kfunc            src = BPF_PSEUDO_KFUNC_CALL (2),    imm = tcxlab kfunc id (loader/kfuncs.ts), off = 0
 */
import type { Btf } from './btf/parse.js';
import type { TypeRef } from './sections.js';

export type { TypeRef };

/** Source line of one instruction (from .BTF.ext line_info). */
export interface LineInfo {
  /** Instruction (slot) index in the linked program. */
  readonly insn: number;
  readonly file: string;
  readonly line: number;
  readonly col: number;
  /** The source line text as recorded in BTF (may be empty). */
  readonly text: string;
}

/** Function boundary (from .BTF.ext func_info). */
export interface FuncInfo {
  readonly insn: number;
  readonly name: string;
  /** BTF type id of the FUNC in `CollectionSpec.btf`. */
  readonly typeId: number;
}

/** A function appended after the entry program for bpf-to-bpf calls. */
export interface SubprogramRef {
  readonly name: string;
  /** First instruction of the subprogram in the linked program. */
  readonly insn: number;
  /** Number of instruction slots. */
  readonly length: number;
}

/** A BPF program ready to be instantiated. */
export interface ProgramSpec {
  /** Function symbol name. */
  readonly name: string;
  /** ELF section name (`tc`, `tcx/ingress`, ...). */
  readonly section: string;
  readonly type: TypeRef;
  readonly attachType?: TypeRef;
  /** Linked instructions (8 bytes each, little-endian): the entry function then its subprograms. */
  readonly instructions: Uint8Array;
  /** Line info per instruction that has one, sorted by `insn`. */
  readonly lineInfo: LineInfo[];
  readonly funcInfo?: FuncInfo[];
  readonly subprograms: SubprogramRef[];
  /** The entry symbol is STB_LOCAL (Cilium-style `static` entry points). */
  readonly isStatic?: boolean;
  /**
   * What tcxlab cannot run in this program (today: calls to kfuncs it does not implement). The
   * object still loads; a Collection refuses only this program, naming what is missing.
   */
  readonly unsupported?: readonly Unsupported[];
}

/** Something a program uses that tcxlab does not implement. */
export interface Unsupported {
  readonly kind: 'kfunc' | 'map';
  /** The kfunc or map name. */
  readonly name: string;
  /** Linked instruction index of the (first) call or map reference. */
  readonly insn: number;
  /** For maps: the map type (BPF_MAP_TYPE_...). */
  readonly detail?: string;
}

/** Where a map definition came from. */
export type MapSource = 'btf' | 'legacy' | 'iproute2' | 'data';

/**
 * A map to create. `contents` are initial entries. For BPF_MAP_TYPE_PROG_ARRAY the value is a
 * u32 LE index into `CollectionSpec.programs`; for ARRAY_OF_MAPS / HASH_OF_MAPS it is a u32 LE
 * index into `CollectionSpec.maps`; otherwise raw value bytes.
 */
export interface MapSpec {
  readonly name: string;
  readonly type: TypeRef;
  readonly keySize: number;
  readonly valueSize: number;
  readonly maxEntries: number;
  readonly flags: number;
  readonly pinning: number;
  readonly numaNode?: number;
  /** BTF `map_extra` (bloom filter hash count, arena address...), when set and non-zero. */
  readonly mapExtra?: number;
  readonly innerMap?: MapSpec;
  readonly contents?: [key: Uint8Array, value: Uint8Array][];
  /** Global data: the section bytes (zeros for .bss), the value of key 0. */
  readonly initialValue?: Uint8Array;
  /** .rodata*: frozen after creation, read-only for programs (BPF_F_RDONLY_PROG). */
  readonly readOnly?: boolean;
  readonly btfKeyTypeId?: number;
  readonly btfValueTypeId?: number;
  /** iproute2 struct bpf_elf_map.id (used by "ID/KEY" sections and inner_id). */
  readonly iproute2Id?: number;
  /**
   * Where the loader that owns this format pins the map (bpffs path), for maps that are pinned:
   * iproute2 PIN_GLOBAL_NS `/sys/fs/bpf/tc/globals/NAME`, PIN_OBJECT_NS
   * `/sys/fs/bpf/tc/<sha1 of the object>/NAME`, BTF `LIBBPF_PIN_BY_NAME` `/sys/fs/bpf/tc/globals/NAME`
   * (where tc puts them; libbpf on its own would use `/sys/fs/bpf/NAME`).
   * Objects loaded into one emulated machine share a map through its pin path.
   */
  readonly pinPath?: string;
  readonly source: MapSource;
  /** Global data: the section's non-static variables from its BTF DATASEC (loader/variables.ts). */
  readonly variables?: readonly VariableSpec[];
}

/** A global variable of a data section (cilium/ebpf's VariableSpec). */
export interface VariableSpec {
  readonly name: string;
  /** Byte offset in the section (the map value), from the ELF symbol. */
  readonly offset: number;
  readonly size: number;
  /** BTF type id (in `CollectionSpec.btf`) of the variable's type (behind the VAR). */
  readonly btfTypeId: number;
}

/** Everything in one object file. */
export interface CollectionSpec {
  readonly programs: ProgramSpec[];
  readonly maps: MapSpec[];
  /** Parsed .BTF (the object's own types), when present. */
  readonly btf?: Btf;
  readonly license: string;
  /** The `version` section (LINUX_VERSION_CODE), when present. */
  readonly kernelVersion?: number;
  /**
   * The BTF CO-RE relocations were applied against, when the object has any: the default
   * target (`built-in vmlinux BTF of Linux 6.18...`) or `btf option` (LoadOptions.btf).
   */
  readonly coreTarget?: string;
}
