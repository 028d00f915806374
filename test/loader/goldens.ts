/**
 * @fileoverview Readers for the tool outputs recorded under test/goldens/loader/ (llvm-readelf,
 * llvm-objdump, bpftool btf dump). Tests compare the loader against these, never against itself.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LoadOptions } from '../../loader/index.js';

export const GOLDENS = join(import.meta.dirname, '../goldens/loader');
/** The corpus objects themselves: their goldens live in GOLDENS/progs, the objects stay here. */
export const PROGS = join(import.meta.dirname, '../../progs');

/**
 * The object a golden name stands for: `progs/X` is the corpus object progs/X.bpf.o, any other
 * name a fixture built beside its goldens (GOLDENS/X.bpf.o).
 */
export function objectPath(name: string): string {
  return name.startsWith('progs/') ? join(PROGS, `${name.slice('progs/'.length)}.bpf.o`) : join(GOLDENS, `${name}.bpf.o`);
}

/**
 * Every recorded object: { name, object path, golden prefix }. The fixtures are the objects
 * under GOLDENS; the corpus objects are those with goldens under GOLDENS/progs (record.sh records
 * every progs/*.bpf.o; one added since has none until the next recording).
 */
export function goldenObjects(): { name: string; object: string; prefix: string }[] {
  const out: { name: string; object: string; prefix: string }[] = [];
  for (const f of readdirSync(GOLDENS).sort()) {
    if (!f.endsWith('.bpf.o')) continue;
    const base = f.slice(0, -'.bpf.o'.length);
    out.push({ name: base, object: join(GOLDENS, f), prefix: join(GOLDENS, base) });
  }
  for (const f of readdirSync(join(GOLDENS, 'progs')).sort()) {
    if (!f.endsWith('.readelf.txt')) continue;
    const base = f.slice(0, -'.readelf.txt'.length);
    out.push({ name: `progs/${base}`, object: objectPath(`progs/${base}`), prefix: join(GOLDENS, 'progs', base) });
  }
  return out;
}

/**
 * How each recorded object is loaded: the fixtures whose sections need a program type (their C
 * sources say so), and the Cilium-style test objects as the Cilium runner loads them (tc/test/...
 * sections, Cilium's own pinning values accepted; see the live-corpus test in loader.test.ts).
 */
export function loadOptions(name: string): LoadOptions {
  if (name === 'iproute2' || name === 'unknown_section') return { programType: 'classifier' };
  if (name.startsWith('progs/trf_')) return { programType: 'sched_cls', pinning: 'none' };
  return {};
}

/**
 * SHA-256 of each corpus object as it was when its goldens were recorded (record.sh writes
 * GOLDENS/progs/objects.sha256 in `sha256sum` format), by golden name (`progs/X`).
 */
export function recordedHashes(): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of readFileSync(join(GOLDENS, 'progs', 'objects.sha256'), 'utf8').split('\n')) {
    const m = /^([0-9a-f]{64}) [ *](\S+)\.bpf\.o$/.exec(line);
    if (m) out.set(`progs/${m[2]}`, m[1]);
  }
  return out;
}

export const sha256 = (p: string): string => createHash('sha256').update(readFileSync(p)).digest('hex');

export const readBytes = (p: string): Uint8Array => new Uint8Array(readFileSync(p));

export interface ReadelfSection {
  index: number;
  name: string;
  type: string;
  offset: number;
  size: number;
  entsize: number;
  flags: string;
  link: number;
  info: number;
  align: number;
}
export interface ReadelfSymbol {
  num: number;
  value: number;
  size: number;
  type: string;
  bind: string;
  ndx: string;
  name: string;
}
export interface ReadelfReloc {
  offset: number;
  type: string;
  symValue: number;
  symName: string;
}
export interface Readelf {
  sections: ReadelfSection[];
  symbols: ReadelfSymbol[];
  /** By relocation section name ('.reltc', '.rel.maps'...). */
  relocs: Map<string, ReadelfReloc[]>;
}

/** Parse `llvm-readelf-19 -S -s -r`. */
export function parseReadelf(text: string): Readelf {
  const sections: ReadelfSection[] = [];
  const symbols: ReadelfSymbol[] = [];
  const relocs = new Map<string, ReadelfReloc[]>();
  let mode: 'none' | 'sections' | 'symbols' | 'relocs' = 'none';
  let cur: ReadelfReloc[] = [];
  for (const line of text.split('\n')) {
    if (line.startsWith('Section Headers:')) {
      mode = 'sections';
      continue;
    }
    const rm = /^Relocation section '(.*)' at offset/.exec(line);
    if (rm) {
      mode = 'relocs';
      cur = [];
      relocs.set(rm[1], cur);
      continue;
    }
    if (line.startsWith("Symbol table '.symtab'")) {
      mode = 'symbols';
      continue;
    }
    if (line.startsWith('Key to Flags')) {
      mode = 'none';
      continue;
    }
    if (mode === 'sections') {
      // [Nr] Name Type Address Off Size ES Flg Lk Inf Al  (Name may be empty, Flg may be empty)
      const m = /^\s*\[\s*(\d+)\] (.*?)\s*(\S+)\s+([0-9a-f]{16}) ([0-9a-f]+) ([0-9a-f]+) ([0-9a-f]+) (.{3})\s+(\d+)\s+(\d+)\s+(\d+)$/.exec(line);
      if (m) {
        sections.push({
          index: Number(m[1]),
          name: m[2].trimEnd(),
          type: m[3],
          offset: parseInt(m[5], 16),
          size: parseInt(m[6], 16),
          entsize: parseInt(m[7], 16),
          flags: m[8].trim(),
          link: Number(m[9]),
          info: Number(m[10]),
          align: Number(m[11]),
        });
      }
    } else if (mode === 'symbols') {
      const m = /^\s*(\d+):\s([0-9a-f]{16})\s+(\d+)\s(\S+)\s+(\S+)\s+(\S+)\s+(\S+)\s?(.*)$/.exec(line);
      if (m) {
        symbols.push({
          num: Number(m[1]),
          value: parseInt(m[2], 16),
          size: Number(m[3]),
          type: m[4],
          bind: m[5],
          ndx: m[7],
          name: m[8],
        });
      }
    } else if (mode === 'relocs') {
      const m = /^([0-9a-f]{16})\s+([0-9a-f]{16})\s+(\S+)\s+([0-9a-f]{16})\s(.*)$/.exec(line);
      if (m) cur.push({ offset: parseInt(m[1], 16), type: m[3], symValue: parseInt(m[4], 16), symName: m[5] });
    }
  }
  return { sections, symbols, relocs };
}

export interface ObjdumpInsn {
  /** Slot index in the section. */
  index: number;
  bytes: number[];
  /** DWARF line (file:line) in effect for this instruction, from `-l`. */
  line?: { file: string; line: number };
  /** Relocation printed under this instruction. */
  reloc?: { type: string; symbol: string };
}
export interface ObjdumpSection {
  /** Function labels: name -> first slot. */
  funcs: Map<string, number>;
  insns: Map<number, ObjdumpInsn>;
}

/** Parse `llvm-objdump-19 -d -r -l`, by section name. */
export function parseObjdump(text: string): Map<string, ObjdumpSection> {
  const out = new Map<string, ObjdumpSection>();
  let sec: ObjdumpSection | undefined;
  let line: { file: string; line: number } | undefined;
  let last: ObjdumpInsn | undefined;
  for (const l of text.split('\n')) {
    const sm = /^Disassembly of section (.*):$/.exec(l);
    if (sm) {
      sec = { funcs: new Map(), insns: new Map() };
      out.set(sm[1], sec);
      line = undefined;
      continue;
    }
    if (!sec) continue;
    const fm = /^([0-9a-f]{16}) <(.*)>:$/.exec(l);
    if (fm) {
      sec.funcs.set(fm[2], parseInt(fm[1], 16) / 8);
      line = undefined;
      continue;
    }
    const lm = /^; (.*):(\d+)$/.exec(l);
    if (lm) {
      line = { file: lm[1], line: Number(lm[2]) };
      continue;
    }
    const im = /^\s+(\d+):\t([0-9a-f]{2}(?: [0-9a-f]{2})*)/.exec(l);
    if (im) {
      last = { index: Number(im[1]), bytes: im[2].trim().split(' ').map((h) => parseInt(h, 16)), line };
      sec.insns.set(last.index, last);
      continue;
    }
    const rm = /^\t\t[0-9a-f]{16}:\s+(\S+)\t(.*)$/.exec(l);
    if (rm && last) last.reloc = { type: rm[1], symbol: rm[2] };
  }
  return out;
}

/** One type line of `bpftool btf dump file` with its member lines. */
export interface BtfDumpType {
  id: number;
  kind: string;
  name: string;
  attrs: Record<string, string>;
  members: { name: string; attrs: Record<string, string> }[];
}

function attrs(s: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of s.matchAll(/(\w+)=(\S+?)(?:,|\s|$)/g)) out[m[1]] = m[2];
  return out;
}

/** Parse `bpftool btf dump file X` (raw format). */
export function parseBtfDump(text: string): Map<number, BtfDumpType> {
  const types = new Map<number, BtfDumpType>();
  let cur: BtfDumpType | undefined;
  for (const l of text.split('\n')) {
    const m = /^\[(\d+)\] (\S+) '([^']*)'(.*)$/.exec(l);
    if (m) {
      cur = { id: Number(m[1]), kind: m[2], name: m[3], attrs: attrs(m[4]), members: [] };
      types.set(cur.id, cur);
      continue;
    }
    const mm = /^\t(?:'([^']*)' )?(.*)$/.exec(l);
    if (mm && cur) {
      const a = attrs(mm[2]);
      const vm = /\(VAR '([^']*)'\)/.exec(mm[2]);
      cur.members.push({ name: mm[1] ?? vm?.[1] ?? '', attrs: a });
    }
  }
  return types;
}

/** Byte size of a type in a bpftool dump. */
export function btfSizeOf(types: Map<number, BtfDumpType>, id: number, depth = 0): number {
  const t = types.get(id);
  if (!t || depth > 32) throw new Error(`no type ${id}`);
  switch (t.kind) {
    case 'INT':
    case 'STRUCT':
    case 'UNION':
    case 'ENUM':
    case 'ENUM64':
    case 'DATASEC':
    case 'FLOAT':
      return Number(t.attrs.size);
    case 'PTR':
      return 8;
    case 'ARRAY':
      return Number(t.attrs.nr_elems) * btfSizeOf(types, Number(t.attrs.type_id), depth + 1);
    default:
      return btfSizeOf(types, Number(t.attrs.type_id), depth + 1);
  }
}

/** A BTF map definition as read from the bpftool dump (libbpf's __uint/__type encoding). */
export interface DumpMapDef {
  name: string;
  offset: number;
  type: number;
  maxEntries: number;
  keySize: number;
  valueSize: number;
  flags: number;
  pinning: number;
  mapExtra: number;
  /** Type ids of `__type(key, T)` / `__type(value, T)` (the PTR's target). */
  keyTypeId?: number;
  valueTypeId?: number;
}

/** Map definitions of DATASEC '.maps' in a bpftool dump. */
export function mapsFromBtfDump(types: Map<number, BtfDumpType>): DumpMapDef[] {
  const ds = [...types.values()].find((t) => t.kind === 'DATASEC' && t.name === '.maps');
  if (!ds) return [];
  const resolve = (id: number): BtfDumpType => {
    let t = types.get(id)!;
    while (t.kind === 'TYPEDEF' || t.kind === 'CONST' || t.kind === 'VOLATILE') t = types.get(Number(t.attrs.type_id))!;
    return t;
  };
  return ds.members.map((m) => {
    const v = types.get(Number(m.attrs.type_id))!;
    const st = resolve(Number(v.attrs.type_id));
    const def: DumpMapDef = { name: v.name, offset: Number(m.attrs.offset), type: 0, maxEntries: 0, keySize: 0, valueSize: 0, flags: 0, pinning: 0, mapExtra: 0 };
    for (const f of st.members) {
      const ptr = types.get(Number(f.attrs.type_id))!;
      const target = Number(ptr.attrs.type_id);
      // __uint(name, N): pointer to int[N]
      const uint = (): number => Number(types.get(target)!.attrs.nr_elems);
      switch (f.name) {
        case 'type':
          def.type = uint();
          break;
        case 'max_entries':
          def.maxEntries = uint();
          break;
        case 'map_flags':
          def.flags = uint();
          break;
        case 'pinning':
          def.pinning = uint();
          break;
        case 'map_extra':
          def.mapExtra = uint();
          break;
        case 'key_size':
          def.keySize = uint();
          break;
        case 'value_size':
          def.valueSize = uint();
          break;
        case 'key':
          def.keySize = btfSizeOf(types, target);
          def.keyTypeId = target;
          break;
        case 'value':
          def.valueSize = btfSizeOf(types, target);
          def.valueTypeId = target;
          break;
        case 'values':
          def.valueSize = 4; // map-in-map and prog arrays hold 4-byte ids
          break;
      }
    }
    return def;
  });
}

export const hasFile = existsSync;

