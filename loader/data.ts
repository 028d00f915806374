/**
 * @fileoverview Global data: every non-empty `.data*`, `.rodata*` (string literal sections such as
 * `.rodata.str1.1` included) and `.bss*` section becomes a single-entry array map whose value is
 * the section (libbpf bpf_object__init_global_data_maps / bpf_object__init_internal_map).
 *
 * Programs reach it with `lddw rX, &var`, which the loader rewrites to
 * src = BPF_PSEUDO_MAP_IDX_VALUE, imm = map index, next imm = byte offset in the section.
 * `.rodata*` maps are read-only for programs (BPF_F_RDONLY_PROG) and frozen after their initial
 * value is written, like libbpf does (bpf_object__populate_internal_map). Maps whose section has a
 * BTF DATASEC with at least one non-static variable are BPF_F_MMAPABLE (libbpf map_is_mmapable;
 * the kernel reports 1024 / 1152 for such .data / .rodata maps and 128 for .rodata.str1.1).
 */
import { BPF_F_MMAPABLE, BPF_F_RDONLY_PROG, BPF_MAP_TYPE } from '../vm/uapi.js';
import type { ElfSection } from './elf-file.js';
import { mapTypeRef, type MapEntry } from './maps.js';
import type { SectionKind } from './sections.js';

/**
 * Most global data (all sections together) we accept: a memory bound for hostile files, far above
 * what the kernel accepts anyway (array_map_alloc_check refuses value_size > KMALLOC_MAX_SIZE,
 * 4 MiB on x86-64, with E2BIG when the map is created).
 */
export const MAX_DATA_SECTION = 64 << 20;

/** The MapEntry for one global data section (undefined for empty sections). */
export function dataMap(section: ElfSection, kind: SectionKind, btfValueTypeId?: number, mmapable = false): MapEntry | undefined {
  if (section.size === 0) return undefined;
  const readOnly = kind === 'rodata';
  // .bss has no file bytes: its initial value is zeros of sh_size (bounded, see loader index).
  const initialValue = kind === 'bss' ? new Uint8Array(section.size) : section.data.slice();
  return {
    spec: {
      name: section.name,
      type: mapTypeRef(BPF_MAP_TYPE.BPF_MAP_TYPE_ARRAY),
      keySize: 4,
      valueSize: section.size,
      maxEntries: 1,
      flags: (readOnly ? BPF_F_RDONLY_PROG : 0) | (mmapable ? BPF_F_MMAPABLE : 0),
      pinning: 0,
      initialValue,
      ...(readOnly ? { readOnly: true } : {}),
      ...(btfValueTypeId ? { btfValueTypeId } : {}),
      source: 'data',
    },
    section: section.index,
    offset: 0,
    size: section.size,
  };
}
