/**
 * @fileoverview Map definitions: the legacy `maps` section (libbpf's struct bpf_map_def and
 * iproute2's struct bpf_elf_map), BTF-defined `.maps` (definitions parsed by loader/btf) and the
 * assembly of MapSpecs, including perf-event-array defaults and map-in-map / prog-array
 * initial contents.
 *
 * struct bpf_map_def (libbpf, 20 bytes)      struct bpf_elf_map (iproute2 include/bpf_elf.h, 36 bytes)
 *   +0  type                                   +0  type         +20 id
 *   +4  key_size                               +4  size_key     +24 pinning
 *   +8  value_size                             +8  size_value   +28 inner_id
 *   +12 max_entries                            +12 max_elem     +32 inner_idx
 *   +16 map_flags                              +16 flags
 *
 * Both are arrays of equal-sized records; the record size is the section size divided by the
 * number of map symbols in it (libbpf bpf_object__init_user_maps, iproute2 bpf_fetch_maps_end).
 */
import type { BtfMapDef } from './btf/index.js';
import { ElfError, RelocationError } from '../vm/errors.js';
import { BPF_MAP_TYPE, mapTypeName } from '../vm/uapi.js';
import { STT_FILE, STT_SECTION, type ElfSection, type ElfSymbol } from './elf-file.js';
import type { MapSpec, TypeRef } from './spec.js';

export const BPF_MAP_DEF_SIZE = 20;
export const BPF_ELF_MAP_SIZE = 36;
/** Upper bound for a legacy record; anything larger is not a map definition. */
const MAX_LEGACY_DEF_SIZE = 256;

export type { BtfMapDef };

/** A map spec plus where it was defined, for relocations. */
export interface MapEntry {
  spec: MapSpec;
  /** Section index and byte range the definition occupies (map references resolve against it). */
  section: number;
  offset: number;
  size: number;
  /** For BTF maps with `__array(values)`: the array's range inside the section. */
  values?: { offset: number; slotSize: number; count: number };
  /** iproute2 inner_id / inner_idx. */
  innerId?: number;
  innerIdx?: number;
}

export function mapTypeRef(type: number): TypeRef {
  const short = mapTypeName(type);
  return { id: type, name: short.startsWith('unknown') ? short : `BPF_MAP_TYPE_${short.toUpperCase()}` };
}

/** libbpf: a perf event array declared without key/value size gets 4/4 (the fd array layout). */
function perfEventDefaults(type: number, keySize: number, valueSize: number): [number, number] {
  if (type !== BPF_MAP_TYPE.BPF_MAP_TYPE_PERF_EVENT_ARRAY) return [keySize, valueSize];
  return [keySize === 0 ? 4 : keySize, valueSize === 0 ? 4 : valueSize];
}

/** Symbols that name maps in `section` (libbpf skips section and file symbols). */
export function mapSymbols(symbols: readonly ElfSymbol[], section: ElfSection): ElfSymbol[] {
  return symbols
    .filter((s) => s.shndx === section.index && s.type !== STT_SECTION && s.type !== STT_FILE)
    .sort((a, b) => a.value - b.value || a.index - b.index);
}

/** Parse the legacy `maps` section: bpf_map_def records, or bpf_elf_map records when 36+ bytes. */
export function legacyMaps(section: ElfSection, symbols: readonly ElfSymbol[]): MapEntry[] {
  const syms = mapSymbols(symbols, section);
  if (syms.length === 0) return [];
  const size = section.data.length;
  if (size === 0 || size % syms.length !== 0) {
    throw new ElfError(`section size ${size} is not a multiple of its ${syms.length} map symbols`, { section: section.name });
  }
  const defSize = size / syms.length;
  if (defSize < 4 || defSize % 4 !== 0 || defSize > MAX_LEGACY_DEF_SIZE) {
    throw new ElfError(`unsupported map definition size ${defSize}`, { section: section.name });
  }
  const dv = new DataView(section.data.buffer, section.data.byteOffset, section.data.byteLength);
  // iproute2's struct bpf_elf_map (36 bytes). Older iproute2 headers had shorter versions (no
  // inner_id/inner_idx, 28 bytes): tc zero-extends a short record (bpf_fetch_maps_end's fixup),
  // while libbpf (< 1.0; later versions refuse `maps` altogether) only takes bpf_map_def plus
  // zero padding. So a record with non-zero bytes past bpf_map_def is iproute2's.
  const iproute2 =
    defSize >= BPF_ELF_MAP_SIZE ||
    (defSize > BPF_MAP_DEF_SIZE && syms.some((sym) => section.data.subarray(sym.value + BPF_MAP_DEF_SIZE, sym.value + defSize).some((b) => b !== 0)));
  const known = iproute2 ? BPF_ELF_MAP_SIZE : BPF_MAP_DEF_SIZE;
  const out: MapEntry[] = [];
  const seen = new Set<number>();
  for (const sym of syms) {
    const off = sym.value;
    if (off % 4 !== 0 || off > size - defSize) {
      throw new ElfError(`map definition at 0x${off.toString(16)} is misaligned or past the end`, {
        section: section.name,
        offset: off,
        symbol: sym.name,
      });
    }
    if (seen.has(off)) throw new ElfError('two map symbols at one offset', { section: section.name, offset: off, symbol: sym.name });
    seen.add(off);
    // Fields past the end of a short record read as zero (libbpf copies what is there).
    const field = (i: number): number => (i * 4 + 4 <= defSize ? dv.getUint32(off + i * 4, true) : 0);
    for (let b = known; b < defSize; b++) {
      if (section.data[off + b] !== 0) {
        throw new ElfError(`map definition has unrecognized non-zero bytes at +${b}`, {
          section: section.name,
          offset: off + b,
          symbol: sym.name,
        });
      }
    }
    const type = field(0);
    const [keySize, valueSize] = perfEventDefaults(type, field(1), field(2));
    const base = {
      name: sym.name,
      type: mapTypeRef(type),
      keySize,
      valueSize,
      maxEntries: field(3),
      flags: field(4),
    };
    if (iproute2) {
      const id = field(5);
      out.push({
        spec: { ...base, pinning: field(6), source: 'iproute2', ...(id !== 0 ? { iproute2Id: id } : {}) },
        section: section.index,
        offset: off,
        size: defSize,
        innerId: field(7),
        innerIdx: field(8),
      });
    } else {
      out.push({ spec: { ...base, pinning: 0, source: 'legacy' }, section: section.index, offset: off, size: defSize });
    }
  }
  return out;
}

function btfMapSpec(def: BtfMapDef, name: string): MapSpec {
  const [keySize, valueSize] = perfEventDefaults(def.type, def.keySize, def.valueSize);
  if (def.mapExtra !== undefined && def.mapExtra > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new ElfError(`map_extra 0x${def.mapExtra.toString(16)} is too large`, { section: '.maps', symbol: name });
  }
  return {
    name,
    type: mapTypeRef(def.type),
    keySize,
    valueSize,
    maxEntries: def.maxEntries,
    flags: def.flags,
    pinning: def.pinning,
    ...(def.numaNode ? { numaNode: def.numaNode } : {}),
    ...(def.mapExtra ? { mapExtra: Number(def.mapExtra) } : {}),
    ...(def.inner ? { innerMap: btfMapSpec(def.inner, `${name}.inner`) } : {}),
    ...(def.keyTypeId ? { btfKeyTypeId: def.keyTypeId } : {}),
    ...(def.valueTypeId ? { btfValueTypeId: def.valueTypeId } : {}),
    source: 'btf',
  };
}

/** MapEntries for the BTF map definitions of `.maps`. */
export function btfMaps(section: ElfSection, defs: readonly BtfMapDef[]): MapEntry[] {
  const out: MapEntry[] = [];
  for (const def of defs) {
    if (def.offset < 0 || def.size < 0 || def.offset + def.size > section.size) {
      throw new ElfError(`map definition runs past the end of the section`, { section: section.name, offset: def.offset, symbol: def.name });
    }
    const entry: MapEntry = { spec: btfMapSpec(def, def.name), section: section.index, offset: def.offset, size: def.size };
    if (def.valuesOffset !== undefined && def.valuesSlotSize) {
      const count = Math.floor((def.size - def.valuesOffset) / def.valuesSlotSize);
      entry.values = { offset: def.offset + def.valuesOffset, slotSize: def.valuesSlotSize, count };
    }
    out.push(entry);
  }
  return out;
}

/** Key bytes for slot `i` of an array-like map (u32 LE; libbpf requires 4-byte keys here). */
export function u32le(v: number): Uint8Array {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, v >>> 0, true);
  return b;
}

/**
 * iproute2 map-in-map: an outer map with `inner_id` takes the map whose `id` equals it as inner
 * template, and every map with that id is inserted at its `inner_idx` (iproute2
 * bpf_map_attach / bpf_fill_map_in_map behaviour).
 */
export function linkIproute2Inner(entries: MapEntry[]): void {
  for (let i = 0; i < entries.length; i++) {
    const outer = entries[i];
    if (outer.spec.source !== 'iproute2' || !outer.innerId) continue;
    const innerIdx = entries.findIndex((e) => e.spec.source === 'iproute2' && e.spec.iproute2Id === outer.innerId);
    if (innerIdx < 0) {
      throw new RelocationError(`inner_id ${outer.innerId} names no map`, { section: 'maps', offset: outer.offset, symbol: outer.spec.name });
    }
    const inner = entries[innerIdx];
    const slot = inner.innerIdx ?? 0;
    if (slot >= outer.spec.maxEntries) {
      throw new RelocationError(`inner_idx ${slot} >= max_elem ${outer.spec.maxEntries}`, {
        section: 'maps',
        offset: inner.offset,
        symbol: inner.spec.name,
      });
    }
    outer.spec = {
      ...outer.spec,
      innerMap: inner.spec,
      contents: [...(outer.spec.contents ?? []), [u32le(slot), u32le(innerIdx)]],
    };
  }
}
