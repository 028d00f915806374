/**
 * @fileoverview BTF-defined maps: the variables of the `.maps` DATASEC and their definition
 * structs, decoded with libbpf's rules (`bpf_object__init_user_btf_map`, `parse_btf_map_def`,
 * `get_map_field_int` in tools/lib/bpf/libbpf.c).
 *
 * The libbpf macros encode numbers in types, not in data:
 *
 *   __uint(name, N)        int (*name)[N]            PTR -> ARRAY of N elements  => N
 *   __type(name, T)        typeof(T) *name           PTR -> T                    => sizeof(T), type id
 *   __ulong(name, N)       enum { ... = N } *name    (map_extra, 64-bit; or the PTR/ARRAY form)
 *   __array(name, T)       typeof(T) *name[]         zero-length ARRAY of PTR -> T
 *
 *   struct {                         member     bits_offset
 *     __uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS);      0
 *     __uint(max_entries, 3);                       64
 *     __type(key, __u32);                          128
 *     __array(values, struct inner);               192   <- valuesOffset = 24, slot size 8
 *   } outer SEC(".maps") = { .values = { [0] = &inner1 } };   (R_BPF_64_ABS64 at 24 + 8 * slot)
 */
import { BtfError } from '../../vm/errors.js';
import { BPF_MAP_TYPE, LIBBPF_PIN_BY_NAME, LIBBPF_PIN_NONE } from '../../vm/uapi.js';
import type { Btf } from './parse.js';
import { BTF_PTR_SIZE } from './parse.js';
import type { BtfComposite, BtfMember } from './types.js';
import { BTF_VAR } from './wire.js';


/** One map definition of a `.maps` section. */
export interface BtfMapDef {
  /** Variable name (inner templates: `<outer>.inner`). */
  name: string;
  /** Byte offset of the variable in the section. */
  offset: number;
  /** Size of the variable (DATASEC var size). */
  size: number;
  type: number;
  keySize: number;
  valueSize: number;
  maxEntries: number;
  flags: number;
  pinning: number;
  numaNode: number;
  /** `map_extra` (bloom filter hashes, arena address...), when given. */
  mapExtra?: bigint;
  keyTypeId?: number;
  valueTypeId?: number;
  /** Inner map template from `__array(values, struct {...})` (maps of maps). */
  inner?: BtfMapDef;
  /** `__array(values, ...)`: byte offset of the array inside the variable, and its slot size (8). */
  valuesOffset?: number;
  valuesSlotSize?: number;
}

/** Options of btfMapDefinitions. */
export interface BtfMapOptions {
  /** Size of the ELF section, to check that every variable lies inside it. */
  sectionSize?: number;
  /**
   * Offset of a variable's ELF symbol in the section. clang writes 0 for every variable
   * offset in the DATASEC and libbpf takes the real ones from the symbol table
   * (btf_fixup_datasec); pass this so offsets are exact. Without it, a DATASEC whose
   * offsets are all 0 is laid out in declaration order with 8-byte alignment, which is
   * what clang does for `.maps`.
   */
  symbolOffset?: (varName: string) => number | undefined;
  /**
   * Accept any `pinning` value (cilium/ebpf with every MapSpec.Pinning set to PinNone, as Cilium's
   * BPF test runner does; Cilium's own CILIUM_PIN_REPLACE is not a libbpf value). Default false.
   */
  anyPinning?: boolean;
}

/**
 * The map definitions of the BTF-defined map section `sectionName` (normally ".maps"), in
 * DATASEC order. Errors are BtfErrors naming the map (`symbol`) and the section.
 */
export function btfMapDefinitions(btf: Btf, sectionName: string, opts: number | BtfMapOptions = {}): BtfMapDef[] {
  const o: BtfMapOptions = typeof opts === 'number' ? { sectionSize: opts } : opts;
  const sec = btf.typeByName(sectionName, 'DATASEC');
  if (sec === undefined || sec.kind !== 'DATASEC') {
    throw new BtfError(`DATASEC ${JSON.stringify(sectionName)} not found`, { section: sectionName });
  }
  const allZero = sec.vars.length > 1 && sec.vars.every((v) => v.offset === 0);
  let next = 0;
  const out: BtfMapDef[] = [];
  sec.vars.forEach((vsi, idx) => {
    const v = btf.typeById(vsi.type);
    const mapName = v.name;
    const fail = (msg: string): never => {
      throw new BtfError(`map ${JSON.stringify(mapName)}: ${msg}`, { section: sectionName, symbol: mapName });
    };
    if (mapName === '') throw new BtfError(`map #${idx}: empty name`, { section: sectionName });
    if (v.kind !== 'VAR') return fail(`unexpected var kind ${v.kind}`);
    if (v.linkage !== BTF_VAR.GLOBAL_ALLOCATED) {
      return fail(`unsupported map linkage ${v.linkage === BTF_VAR.STATIC ? 'static' : v.linkage === BTF_VAR.GLOBAL_EXTERN ? 'extern' : 'unknown'}`);
    }
    let offset = o.symbolOffset?.(mapName);
    if (offset === undefined) {
      if (allZero) {
        next = (next + 7) & ~7;
        offset = next;
        next += vsi.size;
      } else {
        offset = vsi.offset;
      }
    }
    if (o.sectionSize !== undefined && offset + vsi.size > o.sectionSize) fail('BTF data is corrupted (variable runs past the section)');
    const def = btf.resolve(v.type);
    if (def.kind !== 'STRUCT') return fail(`unexpected def kind ${def.kind}`);
    if (def.size > vsi.size) fail('invalid def size');
    const parsed = parseMapDef(btf, mapName, def, false, fail, o.anyPinning === true);
    out.push({ ...parsed, name: mapName, offset, size: vsi.size });
  });
  return out;
}

type MapDefCore = Omit<BtfMapDef, 'name' | 'offset' | 'size'>;

/** libbpf parse_btf_map_def (strict mode: unknown members are errors). */
function parseMapDef(btf: Btf, mapName: string, def: BtfComposite, isInner: boolean, fail: (m: string) => never, anyPinning = false): MapDefCore {
  const d: MapDefCore = { type: 0, keySize: 0, valueSize: 0, maxEntries: 0, flags: 0, pinning: 0, numaNode: 0 };
  const members = def.members;
  for (let i = 0; i < members.length; i++) {
    const m = members[i];
    switch (m.name) {
      case 'type': d.type = fieldInt(btf, m, fail); break;
      case 'max_entries': d.maxEntries = fieldInt(btf, m, fail); break;
      case 'map_flags': d.flags = fieldInt(btf, m, fail); break;
      case 'numa_node': d.numaNode = fieldInt(btf, m, fail); break;
      case 'key_size': {
        const sz = fieldInt(btf, m, fail);
        if (d.keySize && d.keySize !== sz) fail(`conflicting key size ${d.keySize} != ${sz}`);
        d.keySize = sz;
        break;
      }
      case 'value_size': {
        const sz = fieldInt(btf, m, fail);
        if (d.valueSize && d.valueSize !== sz) fail(`conflicting value size ${d.valueSize} != ${sz}`);
        d.valueSize = sz;
        break;
      }
      case 'key': case 'value': {
        const t = btf.typeById(m.type);
        if (t.kind !== 'PTR') fail(`${m.name} spec is not PTR: ${t.kind}`);
        const pointee = (t as { type: number }).type;
        let sz: number;
        try {
          sz = btf.sizeof(pointee);
        } catch (e) {
          if (e instanceof BtfError) return fail(`can't determine ${m.name} size for type [${pointee}]: ${e.message}`);
          throw e;
        }
        if (m.name === 'key') {
          if (d.keySize && d.keySize !== sz) fail(`conflicting key size ${d.keySize} != ${sz}`);
          d.keySize = sz;
          d.keyTypeId = pointee;
        } else {
          if (d.valueSize && d.valueSize !== sz) fail(`conflicting value size ${d.valueSize} != ${sz}`);
          d.valueSize = sz;
          d.valueTypeId = pointee;
        }
        break;
      }
      case 'values': {
        const isMapInMap = d.type === BPF_MAP_TYPE.BPF_MAP_TYPE_ARRAY_OF_MAPS || d.type === BPF_MAP_TYPE.BPF_MAP_TYPE_HASH_OF_MAPS;
        const isProgArray = d.type === BPF_MAP_TYPE.BPF_MAP_TYPE_PROG_ARRAY;
        const desc = isMapInMap ? 'map-in-map inner' : 'prog-array value';
        if (isInner) fail('multi-level inner maps not supported');
        if (i !== members.length - 1) fail(`'values' member should be last`);
        if (!isMapInMap && !isProgArray) fail('should be map-in-map or prog-array');
        if (d.valueSize && d.valueSize !== 4) fail(`conflicting value size ${d.valueSize} != 4`);
        d.valueSize = 4;
        const arr = btf.typeById(m.type);
        if (arr.kind !== 'ARRAY' || arr.nelems !== 0) fail(`${desc} spec is not a zero-sized array`);
        const ptr = btf.resolve((arr as { type: number }).type);
        if (ptr.kind !== 'PTR') fail(`${desc} def is of unexpected kind ${ptr.kind}`);
        const target = btf.resolve((ptr as { type: number }).type);
        if (m.bitOffset % 8 !== 0) fail(`'values' is not byte-aligned`);
        d.valuesOffset = m.bitOffset / 8;
        d.valuesSlotSize = BTF_PTR_SIZE;
        if (isProgArray) {
          if (target.kind !== 'FUNC_PROTO') fail(`prog-array value def is of unexpected kind ${target.kind}`);
          break;
        }
        if (target.kind !== 'STRUCT') fail(`map-in-map inner def is of unexpected kind ${target.kind}`);
        const innerName = `${mapName}.inner`;
        const innerFail = (msg: string): never => {
          throw new BtfError(`map ${JSON.stringify(innerName)}: ${msg}`, { symbol: mapName });
        };
        const inner = parseMapDef(btf, innerName, target as BtfComposite, true, innerFail);
        d.inner = { ...inner, name: innerName, offset: 0, size: 0 };
        break;
      }
      case 'pinning': {
        if (isInner) fail(`inner def can't be pinned`);
        const val = fieldInt(btf, m, fail);
        if (!anyPinning && val !== LIBBPF_PIN_NONE && val !== LIBBPF_PIN_BY_NAME) fail(`invalid pinning value ${val}`);
        d.pinning = val;
        break;
      }
      case 'map_extra':
        d.mapExtra = fieldLong(btf, m, fail);
        break;
      default:
        fail(`unknown field '${m.name}'`);
    }
  }
  if (d.type === 0) fail(`map type isn't specified`);
  return d;
}

/** libbpf get_map_field_int: `int (*name)[N]` gives N. */
function fieldInt(btf: Btf, m: BtfMember, fail: (m: string) => never): number {
  const t = btf.resolve(m.type);
  if (t.kind !== 'PTR') return fail(`attr '${m.name}': expected PTR, got ${t.kind}`);
  const arr = btf.typeById(t.type);
  if (arr.kind !== 'ARRAY') return fail(`attr '${m.name}': expected ARRAY, got ${arr.kind}`);
  return arr.nelems;
}

/** libbpf get_map_field_long: the int form, or a one-enumerator enum (`__ulong`). */
function fieldLong(btf: Btf, m: BtfMember, fail: (m: string) => never): bigint {
  const t = btf.resolve(m.type);
  if (t.kind === 'PTR') return BigInt(fieldInt(btf, m, fail));
  if ((t.kind === 'ENUM' || t.kind === 'ENUM64') && t.values.length === 1) return BigInt.asUintN(64, t.values[0].value);
  return fail(`attr '${m.name}': expected PTR or one-value ENUM, got ${t.kind}`);
}

/** Type id of the DATASEC named `sectionName` (`.data`, `.rodata`, `.bss`...), if any. */
export function datasecTypeId(btf: Btf, sectionName: string): number | undefined {
  return btf.typeByName(sectionName, 'DATASEC')?.id;
}
