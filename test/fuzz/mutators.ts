/**
 * @fileoverview Seeded, structure-aware mutators of clang BPF objects, one family per fuzzing
 * category:
 *
 *   elf    raw bytes, ELF header, section headers, truncation, chunk copies, symbols, relocations
 *   btf    .BTF header, type records (info word, size/type, vlen members), strings; .BTF.ext
 *          header, record sizes, section-name offsets, func/line/CO-RE records
 *   maps   legacy `maps` records (bpf_map_def / bpf_elf_map), BTF map definitions in `.maps`
 *          (the __uint ARRAY nelems, member types and names, DATASEC secinfos), `.rel.maps`
 *          initialisers and map symbols
 *   names  hostile-name injection: symbol, section and BTF names rewritten to strings that break
 *          naive code generation or prototype-keyed containers (see HOSTILE_NAMES)
 *   progs  instruction mutations inside program sections (opcodes, registers, offsets,
 *          immediates, jump targets), leaving relocated instructions alone
 *
 * Each mutator takes a valid object and returns a new array (the input is never modified).
 */
import { byName, inFile, relocatedInsns, sections, SH, SHF_EXECINSTR, SHT_REL, SHT_SYMTAB, ST, view, type Shdr } from './elf.js';
import { INTERESTING32, type Rng } from './rng.js';

export type Mutator = (src: Uint8Array, r: Rng) => Uint8Array;

/** Names that must never be evaluated, reach generated source, or land on a prototype. */
export const HOSTILE_NAMES = [
  '*/process.exit(7)//',
  '__proto__',
  'constructor',
  'prototype',
  'hasOwnProperty',
  'toString',
  'a\u2028b',
  '\u2029',
  '${process.exit(7)}',
  "'); process.exit(7); ('",
  '"\\',
  '</script>',
  'polluted',
  'x\ny',
] as const;

const enc = new TextEncoder();

const interesting = (r: Rng): number => (r.chance(0.6) ? r.pick(INTERESTING32) : r.u32());

// ------------------------------------------------------------------------------------------
// elf

/** A few random bytes anywhere. */
const rawBytes: Mutator = (src, r) => {
  const b = src.slice();
  for (let i = 1 + r.int(8); i > 0; i--) b[r.int(b.length)] = r.int(256);
  return b;
};

const elfHeader: Mutator = (src, r) => {
  const b = src.slice();
  const dv = view(b);
  const at = 16 + 2 * r.int(24);
  if (at + 2 <= b.length) dv.setUint16(at, interesting(r) & 0xffff, true);
  return b;
};

const sectionHeader: Mutator = (src, r) => {
  const b = src.slice();
  const secs = sections(b);
  if (secs.length === 0) return rawBytes(src, r);
  const s = r.pick(secs);
  const dv = view(b);
  const field = r.pick(Object.values(SH));
  const v = r.chance(0.5) ? interesting(r) : r.int(b.length * 2);
  if (field === SH.name || field === SH.type || field === SH.link || field === SH.info) dv.setUint32(s.hdr + field, v, true);
  else dv.setBigUint64(s.hdr + field, BigInt(v >>> 0) << (r.chance(0.05) ? 32n : 0n), true);
  return b;
};

const truncate: Mutator = (src, r) => src.slice(0, r.int(src.length));

const copyChunk: Mutator = (src, r) => {
  const b = src.slice();
  const n = 1 + r.int(64);
  const from = r.int(Math.max(1, b.length - n));
  const to = r.int(Math.max(1, b.length - n));
  b.copyWithin(to, from, from + n);
  return b;
};

/** An interesting aligned word inside some section's bytes. */
const sectionWord: Mutator = (src, r) => {
  const b = src.slice();
  const secs = sections(b).filter((s) => inFile(b, s) && s.size >= 4);
  if (secs.length === 0) return rawBytes(src, r);
  const s = r.pick(secs);
  view(b).setUint32(s.offset + 4 * r.int(s.size / 4), r.chance(0.5) ? interesting(r) : r.int(0x10000), true);
  return b;
};

/** One field of one symbol: name, info (type/bind), shndx, value, size. */
const symbol: Mutator = (src, r) => {
  const b = src.slice();
  const secs = sections(b);
  const symtab = secs.find((s) => s.type === SHT_SYMTAB && inFile(b, s) && s.size >= 48);
  if (symtab === undefined) return rawBytes(src, r);
  const dv = view(b);
  const at = symtab.offset + 24 * (1 + r.int(symtab.size / 24 - 1));
  switch (r.int(6)) {
    case 0: dv.setUint32(at + ST.name, r.chance(0.5) ? interesting(r) : r.int(4096), true); break;
    case 1: b[at + ST.info] = r.int(256); break;
    case 2: dv.setUint16(at + ST.shndx, r.pick([0, 1, 0xfff1, 0xfff2, 0xffff, r.int(secs.length + 2)]), true); break;
    case 3: dv.setBigUint64(at + ST.value, BigInt(r.pick([0, 1, 8, 7, r.int(4096), 0xffffffff])), true); break;
    case 4: dv.setBigUint64(at + ST.size, BigInt(r.pick([0, 1, 8, 16, r.int(4096) * 8, 0xffffffff])), true); break;
    default: dv.setBigUint64(at + ST.value, r.chance(0.5) ? 0xfffffffffffffff8n : 1n << 40n, true);
  }
  return b;
};

/** One field of one relocation: offset (misaligned, past the end, another insn), symbol, type. */
const relocation: Mutator = (src, r) => {
  const b = src.slice();
  const rels = sections(b).filter((s) => s.type === SHT_REL && inFile(b, s) && s.size >= 16);
  if (rels.length === 0) return rawBytes(src, r);
  const s = r.pick(rels);
  const dv = view(b);
  const at = s.offset + 16 * r.int(s.size / 16);
  const off = Number(dv.getBigUint64(at, true));
  switch (r.int(5)) {
    case 0: dv.setBigUint64(at, BigInt(Math.max(0, off + r.pick([-8, 8, 1, 4, -16, 16, 0x10000]))), true); break;
    case 1: dv.setUint32(at + 12, r.pick([0, 1, 2, r.int(64), 0xffffff, 0xffffffff]), true); break; // symbol index
    case 2: dv.setUint32(at + 8, r.pick([0, 1, 2, 3, 4, 10, 0xff, r.u32()]), true); break; // type
    case 3: dv.setBigUint64(at, BigInt(interesting(r)), true); break;
    default: { // a copy of another relocation of the same section (duplicate)
      const other = s.offset + 16 * r.int(s.size / 16);
      b.copyWithin(at, other, other + 16);
    }
  }
  return b;
};

export const ELF_MUTATORS: readonly Mutator[] = [rawBytes, elfHeader, sectionHeader, truncate, copyChunk, sectionWord, symbol, relocation];

// ------------------------------------------------------------------------------------------
// btf

/** BTF kind record sizes beyond the 12-byte btf_type: [fixed, per vlen]. */
const KIND_EXTRA: Record<number, [number, number]> = {
  1: [4, 0], 3: [12, 0], 4: [0, 12], 5: [0, 12], 6: [0, 8], 13: [0, 8], 14: [4, 0], 15: [0, 12], 17: [4, 0], 19: [0, 12],
};

export interface BtfRecord {
  id: number;
  /** File offset of the btf_type record. */
  at: number;
  kind: number;
  vlen: number;
  nameOff: number;
  /** File offset just past the record (members included). */
  end: number;
}

export interface BtfLayout {
  sec: Shdr;
  hdrLen: number;
  /** File offsets of the type and string sections. */
  typeStart: number;
  typeEnd: number;
  strStart: number;
  strEnd: number;
  records: BtfRecord[];
}

/** Walks the .BTF section of a (valid) object; undefined when there is none or it is unreadable. */
export function btfLayout(b: Uint8Array, secs = sections(b)): BtfLayout | undefined {
  const sec = byName(secs, '.BTF');
  if (sec === undefined || !inFile(b, sec) || sec.size < 24) return undefined;
  const dv = view(b);
  const o = sec.offset;
  if (dv.getUint16(o, true) !== 0xeb9f) return undefined;
  const hdrLen = dv.getUint32(o + 4, true);
  const typeStart = o + hdrLen + dv.getUint32(o + 8, true);
  const typeEnd = typeStart + dv.getUint32(o + 12, true);
  const strStart = o + hdrLen + dv.getUint32(o + 16, true);
  const strEnd = strStart + dv.getUint32(o + 20, true);
  if (typeEnd > o + sec.size || strEnd > o + sec.size) return undefined;
  const records: BtfRecord[] = [];
  for (let at = typeStart, id = 1; at + 12 <= typeEnd; id++) {
    const info = dv.getUint32(at + 4, true);
    const kind = (info >>> 24) & 0x1f;
    const vlen = info & 0xffff;
    const [fixed, per] = KIND_EXTRA[kind] ?? [0, 0];
    const end = at + 12 + fixed + per * vlen;
    records.push({ id, at, kind, vlen, nameOff: dv.getUint32(at, true), end });
    at = end;
  }
  return { sec, hdrLen, typeStart, typeEnd, strStart, strEnd, records };
}

/** Structure-aware .BTF mutation: header fields, record words, info words, member fields, strings. */
const btfMutation: Mutator = (src, r) => {
  const b = src.slice();
  const L = btfLayout(b);
  if (L === undefined) return rawBytes(src, r);
  const dv = view(b);
  const rec = L.records.length ? r.pick(L.records) : undefined;
  switch (r.int(7)) {
    case 0: // header field (hdr_len, type_off, type_len, str_off, str_len)
      dv.setUint32(L.sec.offset + 4 + 4 * r.int(5), r.pick([0, 1, 4, 0xffffffff, r.int(L.sec.size * 2), r.u32()]), true);
      break;
    case 1: // info word: kind, vlen, kind_flag
      if (rec) dv.setUint32(rec.at + 4, r.chance(0.5) ? r.u32() : (((r.int(32) << 24) | (dv.getUint32(rec.at + 4, true) & 0xffff)) >>> 0), true);
      break;
    case 2: // size / type
      if (rec) dv.setUint32(rec.at + 8, r.chance(0.5) ? r.int(L.records.length + 3) : interesting(r), true);
      break;
    case 3: // a word of the extra data (member name/type/offset, array type/nelems, enum value, var linkage)
      if (rec && rec.end > rec.at + 12) dv.setUint32(rec.at + 12 + 4 * r.int((rec.end - rec.at - 12) / 4), r.chance(0.5) ? r.int(L.records.length + 3) : interesting(r), true);
      break;
    case 4: // name offset
      if (rec) dv.setUint32(rec.at, r.chance(0.5) ? r.int(L.strEnd - L.strStart + 2) : interesting(r), true);
      break;
    case 5: // string bytes: drop a NUL, or put one in the middle of a name, or non-UTF-8
      if (L.strEnd > L.strStart) b[L.strStart + r.int(L.strEnd - L.strStart)] = r.pick([0, 0x41, 0xff, 0xc3, 0x2e]);
      break;
    default: // a random aligned word anywhere in the blob
      if (L.sec.size >= 4) dv.setUint32(L.sec.offset + 4 * r.int(L.sec.size / 4), interesting(r), true);
  }
  return b;
};

/** Structure-aware .BTF.ext mutation: header, rec_size, per-section headers and record fields. */
const btfExtMutation: Mutator = (src, r) => {
  const b = src.slice();
  const sec = byName(sections(b), '.BTF.ext');
  if (sec === undefined || !inFile(b, sec) || sec.size < 32) return btfMutation(src, r);
  const dv = view(b);
  const o = sec.offset;
  const hdrLen = dv.getUint32(o + 4, true);
  const which = r.int(Math.min(3, Math.max(1, (hdrLen - 8) / 8))); // func, line, core
  const subOff = o + hdrLen + dv.getUint32(o + 8 + 8 * which, true);
  const subLen = dv.getUint32(o + 12 + 8 * which, true);
  if (r.chance(0.15) || subOff + 4 > o + sec.size) {
    dv.setUint32(o + 4 + 4 * r.int(Math.max(1, (hdrLen - 4) / 4)), r.pick([0, 1, 3, 8, 0xffffffff, r.int(sec.size * 2)]), true);
    return b;
  }
  const recSize = dv.getUint32(subOff, true);
  if (r.chance(0.15) || recSize === 0) {
    dv.setUint32(subOff, r.pick([0, 1, 3, 4, 8, 12, 16, 24, 0xffffffff]), true);
    return b;
  }
  // walk to a random per-section block
  const blocks: { at: number; n: number }[] = [];
  for (let p = subOff + 4; p + 8 <= subOff + subLen && p + 8 <= o + sec.size && blocks.length < 64;) {
    const n = dv.getUint32(p + 4, true);
    blocks.push({ at: p, n });
    p += 8 + n * recSize;
  }
  if (blocks.length === 0) return b;
  const blk = r.pick(blocks);
  if (r.chance(0.3)) {
    dv.setUint32(blk.at + 4 * r.int(2), r.chance(0.5) ? interesting(r) : r.int(blk.n + 4), true); // sec_name_off or num_info
    return b;
  }
  if (blk.n === 0) return b;
  const rec = blk.at + 8 + recSize * r.int(blk.n);
  const word = rec + 4 * r.int(recSize / 4);
  if (word + 4 <= o + sec.size) dv.setUint32(word, r.chance(0.5) ? interesting(r) : r.int(256) * 8, true);
  return b;
};

export const BTF_MUTATORS: readonly Mutator[] = [btfMutation, btfMutation, btfExtMutation];

// ------------------------------------------------------------------------------------------
// maps

/** A field of a legacy `maps` record (bpf_map_def is 5 u32, iproute2's bpf_elf_map 9). */
const legacyMaps: Mutator = (src, r) => {
  const b = src.slice();
  const sec = byName(sections(b), 'maps');
  if (sec === undefined || !inFile(b, sec) || sec.size < 4) return btfMaps(src, r);
  const dv = view(b);
  const at = sec.offset + 4 * r.int(sec.size / 4);
  dv.setUint32(at, r.pick([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 12, 13, 14, 15, 16, 18, 24, 25, 27, 30, 33, 64, 0x10000, 0x7fffffff, 0xffffffff, r.int(1 << 20)]), true);
  return b;
};

/**
 * `.maps` BTF definitions: the nelems of a `__uint(field, N)` array, a member's type or name, a
 * variable's secinfo, or the definition struct's size.
 */
const btfMaps: Mutator = (src, r) => {
  const b = src.slice();
  const secs = sections(b);
  const L = btfLayout(b, secs);
  if (L === undefined) return rawBytes(src, r);
  const dv = view(b);
  const byId = new Map(L.records.map((x) => [x.id, x]));
  const datasec = L.records.find((x) => x.kind === 15 && cstrAt(b, L.strStart + x.nameOff) === '.maps');
  if (datasec === undefined) return btfMutation(src, r);
  const secinfos = Array.from({ length: datasec.vlen }, (_, i) => datasec.at + 12 + 12 * i);
  if (secinfos.length === 0) return b;
  const si = r.pick(secinfos);
  if (r.chance(0.15)) {
    dv.setUint32(si + 4 * r.int(3), r.chance(0.5) ? r.int(256) : interesting(r), true); // type, offset, size
    return b;
  }
  const v = byId.get(dv.getUint32(si, true));
  const strukt = v && byId.get(dv.getUint32(v.at + 8, true));
  if (strukt === undefined || strukt.kind !== 4) return b;
  if (r.chance(0.1)) {
    dv.setUint32(strukt.at + 8, r.pick([0, 8, 16, 24, 32, 0xffffffff]), true); // struct size
    return b;
  }
  if (strukt.vlen === 0) return b;
  const m = strukt.at + 12 + 12 * r.int(strukt.vlen);
  const ptr = byId.get(dv.getUint32(m + 4, true));
  const arr = ptr && ptr.kind === 2 ? byId.get(dv.getUint32(ptr.at + 8, true)) : undefined;
  switch (r.int(5)) {
    case 0:
    case 1: // __uint(type|max_entries|key_size|value_size|map_flags|pinning, N): N is the array's nelems
      if (arr && arr.kind === 3) dv.setUint32(arr.at + 20, r.pick([0, 1, 2, 4, 5, 6, 8, 9, 12, 13, 14, 15, 16, 18, 21, 24, 25, 27, 33, 64, 4096, 1 << 20, 0x7fffffff, 0xffffffff, r.int(64)]), true);
      else dv.setUint32(m + 4, r.int(L.records.length + 2), true);
      break;
    case 2: // member type id
      dv.setUint32(m + 4, r.chance(0.8) ? r.int(L.records.length + 2) : interesting(r), true);
      break;
    case 3: { // member name: another member's name (duplicates, "values" on a non-array map...)
      const other = strukt.at + 12 + 12 * r.int(strukt.vlen);
      dv.setUint32(m, dv.getUint32(other, true), true);
      break;
    }
    default: // member bit offset
      dv.setUint32(m + 8, r.pick([0, 1, 32, 64, 0xffffffff, r.int(512)]), true);
  }
  return b;
};

/** A `.rel.maps` entry (prog-array and map-in-map initialisers) or a map symbol's value/size. */
const mapRelocsAndSymbols: Mutator = (src, r) => {
  const b = src.slice();
  const secs = sections(b);
  const relMaps = byName(secs, '.rel.maps');
  const dv = view(b);
  if (relMaps && inFile(b, relMaps) && relMaps.size >= 16 && r.chance(0.5)) {
    const at = relMaps.offset + 16 * r.int(relMaps.size / 16);
    if (r.chance(0.5)) dv.setBigUint64(at, BigInt(r.pick([0, 4, 8, 24, 32, 40, 0xffff, r.int(4096)])), true);
    else dv.setUint32(at + 12, r.int(64), true);
    return b;
  }
  const mapSecs = new Set(secs.filter((s) => s.name === 'maps' || s.name === '.maps').map((s) => s.index));
  const symtab = secs.find((s) => s.type === SHT_SYMTAB && inFile(b, s));
  if (symtab === undefined || mapSecs.size === 0) return btfMaps(src, r);
  const syms: number[] = [];
  for (let at = symtab.offset + 24; at + 24 <= symtab.offset + symtab.size; at += 24) if (mapSecs.has(dv.getUint16(at + ST.shndx, true))) syms.push(at);
  if (syms.length === 0) return btfMaps(src, r);
  const at = r.pick(syms);
  if (r.chance(0.5)) dv.setBigUint64(at + ST.value, BigInt(r.pick([0, 1, 4, 20, 36, 0xffff, r.int(256)])), true);
  else dv.setBigUint64(at + ST.size, BigInt(r.pick([0, 1, 4, 20, 36, 0xffff, r.int(256)])), true);
  return b;
};

export const MAPS_MUTATORS: readonly Mutator[] = [legacyMaps, btfMaps, btfMaps, mapRelocsAndSymbols];

function cstrAt(b: Uint8Array, off: number): string {
  let end = off;
  while (end < b.length && b[end] !== 0 && end - off < 256) end++;
  return Buffer.from(b.subarray(off, end)).toString('latin1');
}

// ------------------------------------------------------------------------------------------
// names

/**
 * Hostile-name injection. The object's .strtab, .shstrtab and .BTF are copied to the end of the
 * file with hostile strings appended (their headers re-pointed), then a few names are re-pointed
 * at them: program (STT_FUNC) symbols, map symbols, section names, and the BTF names that spelled
 * the same string (so `.maps` variables, FUNC records and the symbol still agree and the object
 * can load with the hostile name). A name may be reused for two things (collisions).
 */
export const injectNames: Mutator = (src, r) => {
  const out = renameInObject(src, (c) => {
    const count = 1 + r.int(3);
    const chosenSyms = new Set<number>();
    const symAts = c.symbols.filter((x) => x.type === 2 || x.inMapSection || (x.type === 1 && r.chance(0.3))).map((x) => x.at);
    for (let i = 0; i < count && symAts.length; i++) chosenSyms.add(r.pick(symAts));
    const progSecs = c.sections.filter((s) => (s.flags & SHF_EXECINSTR) !== 0 && s.name !== '.text');
    const chosenSecs = new Set<Shdr>();
    if (r.chance(0.4) && progSecs.length) chosenSecs.add(r.pick(progSecs));
    if (r.chance(0.1)) { const m = c.sections.find((s) => s.name === 'maps' || s.name === '.maps'); if (m) chosenSecs.add(m); }
    const hostile = (): string => {
      const h = r.pick(HOSTILE_NAMES);
      return r.chance(0.2) ? `${h}${r.int(10)}` : h;
    };
    return {
      symbols: [...chosenSyms].map((at) => ({ at, neu: hostile() })),
      // Program sections keep a recognised prefix half the time, so they still load as tc programs.
      sections: [...chosenSecs].map((s) => ({ s, neu: r.chance(0.5) && s.flags & SHF_EXECINSTR ? `tc/${hostile()}` : hostile() })),
    };
  });
  return out ?? rawBytes(src, r);
};

/** Renames symbols (every symbol named like a key) and sections by name, deterministically. */
export function renameNames(src: Uint8Array, renames: { symbols?: Record<string, string>; sections?: Record<string, string> }): Uint8Array {
  const sym = new Map(Object.entries(renames.symbols ?? {}));
  const sec = new Map(Object.entries(renames.sections ?? {}));
  const out = renameInObject(src, (c) => ({
    symbols: c.symbols.filter((x) => sym.has(x.name)).map((x) => ({ at: x.at, neu: sym.get(x.name) as string })),
    sections: c.sections.filter((s) => sec.has(s.name)).map((s) => ({ s, neu: sec.get(s.name) as string })),
  }));
  if (out === undefined) throw new Error('renameNames: no symbol table');
  return out;
}

interface RenameCandidates {
  symbols: { at: number; name: string; type: number; inMapSection: boolean }[];
  sections: Shdr[];
}
type RenameChoice = (c: RenameCandidates) => { symbols: { at: number; neu: string }[]; sections: { s: Shdr; neu: string }[] };

function renameInObject(src: Uint8Array, choose: RenameChoice): Uint8Array | undefined {
  const secs = sections(src);
  const symtab = secs.find((s) => s.type === SHT_SYMTAB && inFile(src, s));
  if (symtab === undefined) return undefined;
  const strtab = secs[symtab.link];
  const shstrndx = view(src).getUint16(62, true);
  const shstr = secs[shstrndx];
  if (strtab === undefined || shstr === undefined || !inFile(src, strtab) || !inFile(src, shstr)) return undefined;
  const btf = btfLayout(src, secs);

  const pieces: Uint8Array[] = [src];
  let size = src.length;
  const append = (bytes: Uint8Array): number => {
    const pad = (8 - (size % 8)) % 8;
    if (pad) pieces.push(new Uint8Array(pad));
    size += pad;
    const at = size;
    pieces.push(bytes);
    size += bytes.length;
    return at;
  };
  /** A string table grown by `extra` strings: its bytes and each new string's offset. */
  const grow = (table: Uint8Array, extra: string[]): { bytes: Uint8Array; offs: number[] } => {
    const parts = extra.map((s) => enc.encode(`${s}\0`));
    const bytes = new Uint8Array(table.length + parts.reduce((n, p) => n + p.length, 0));
    bytes.set(table);
    const offs: number[] = [];
    let at = table.length;
    for (const p of parts) {
      offs.push(at);
      bytes.set(p, at);
      at += p.length;
    }
    return { bytes, offs };
  };

  const dv0 = view(src);
  const name = (tab: Shdr, off: number): string => cstrAt(src, tab.offset + off);
  const mapSecs = new Set(secs.filter((s) => s.name === 'maps' || s.name === '.maps').map((s) => s.index));
  const candidates: RenameCandidates = { symbols: [], sections: secs };
  for (let at = symtab.offset + 24; at + 24 <= symtab.offset + symtab.size; at += 24) {
    const nameOff = dv0.getUint32(at + ST.name, true);
    if (nameOff === 0) continue;
    candidates.symbols.push({ at, name: name(strtab, nameOff), type: src[at + ST.info] & 0xf, inMapSection: mapSecs.has(dv0.getUint16(at + ST.shndx, true)) });
  }
  const choice = choose(candidates);
  const symRenames = choice.symbols.map((x) => ({ ...x, old: name(strtab, dv0.getUint32(x.at + ST.name, true)) }));
  const secRenames = choice.sections;
  // clang writes one .strtab for symbol and section names: then one grown copy serves both.
  const shared = strtab.index === shstr.index;
  const symNames = symRenames.map((x) => x.neu);
  const secNames = secRenames.map((x) => x.neu);
  const newStr = grow(src.subarray(strtab.offset, strtab.offset + strtab.size), shared ? [...symNames, ...secNames] : symNames);
  const newShstr = shared
    ? { bytes: newStr.bytes, offs: newStr.offs.slice(symNames.length) }
    : grow(src.subarray(shstr.offset, shstr.offset + shstr.size), secNames);
  const strAt = append(newStr.bytes);
  const shstrAt = shared ? strAt : append(newShstr.bytes);
  let btfPatch: { at: number; blob: Uint8Array } | undefined;
  const btfRenames: { recAt: number; off: number }[] = [];
  if (btf && btf.strEnd === btf.sec.offset + btf.sec.size) {
    // The string section is last: grow it in a copy of the blob.
    const olds = new Map(symRenames.map((x) => [x.old, x.neu]));
    const want = [...new Set(symRenames.map((x) => x.neu))];
    const grown = grow(src.subarray(btf.strStart, btf.strEnd), want);
    const blob = new Uint8Array(btf.strStart - btf.sec.offset + grown.bytes.length);
    blob.set(src.subarray(btf.sec.offset, btf.strStart));
    blob.set(grown.bytes, btf.strStart - btf.sec.offset);
    new DataView(blob.buffer).setUint32(20, grown.bytes.length, true);
    for (const rec of btf.records) {
      const old = cstrAt(src, btf.strStart + rec.nameOff);
      const neu = olds.get(old);
      if (neu !== undefined && rec.nameOff !== 0) btfRenames.push({ recAt: rec.at - btf.sec.offset, off: grown.offs[want.indexOf(neu)] });
    }
    for (const x of btfRenames) new DataView(blob.buffer).setUint32(x.recAt, x.off, true);
    btfPatch = { at: append(blob), blob };
  }

  const out = new Uint8Array(size);
  let p = 0;
  for (const piece of pieces) {
    out.set(piece, p);
    p += piece.length;
  }
  const dv = view(out);
  const setSec = (s: Shdr, at: number, len: number): void => {
    dv.setBigUint64(s.hdr + SH.offset, BigInt(at), true);
    dv.setBigUint64(s.hdr + SH.size, BigInt(len), true);
  };
  setSec(strtab, strAt, newStr.bytes.length);
  setSec(shstr, shstrAt, newShstr.bytes.length);
  if (btfPatch && btf) setSec(btf.sec, btfPatch.at, btfPatch.blob.length);
  symRenames.forEach((x, i) => dv.setUint32(x.at + ST.name, newStr.offs[i], true));
  secRenames.forEach((x, i) => dv.setUint32(x.s.hdr + SH.name, newShstr.offs[i], true));
  return out;
}

export const NAMES_MUTATORS: readonly Mutator[] = [injectNames];

// ------------------------------------------------------------------------------------------
// progs

/** Mutates one instruction field of a program section, skipping instructions that carry a relocation. */
export function mutateInsn(insns: Uint8Array, r: Rng, skip: (byteOff: number) => boolean = () => false): void {
  const n = insns.length >> 3;
  if (n === 0) return;
  let i = r.int(n);
  for (let tries = 0; tries < 8 && skip(i * 8); tries++) i = r.int(n);
  if (skip(i * 8)) return;
  const at = i * 8;
  const dv = view(insns);
  switch (r.int(7)) {
    case 0: insns[at] = r.int(256); break; // opcode
    case 1: insns[at] = (insns[at] & 0x07) | (r.int(32) << 3); break; // operation, same class
    case 2: insns[at + 1] = (insns[at + 1] & 0xf0) | r.int(r.chance(0.8) ? 11 : 16); break; // dst
    case 3: insns[at + 1] = (insns[at + 1] & 0x0f) | (r.int(r.chance(0.8) ? 11 : 16) << 4); break; // src
    case 4: dv.setInt16(at + 2, r.chance(0.5) ? dv.getInt16(at + 2, true) + r.pick([-1, 1, -8, 8, -2, 2]) : r.pick([0, 1, -1, 0x7fff, -0x8000, -512, -8, 8, 64]), true); break; // off / jump target
    case 5: dv.setInt32(at + 4, r.chance(0.5) ? dv.getInt32(at + 4, true) + r.pick([-1, 1, -8, 8]) : interesting(r) | 0, true); break; // imm
    default: { // swap two instructions
      const j = r.int(n);
      if (!skip(j * 8)) {
        const tmp = insns.slice(at, at + 8);
        insns.copyWithin(at, j * 8, j * 8 + 8);
        insns.set(tmp, j * 8);
      }
    }
  }
}

/** 1–3 instruction mutations in one program section of an object. */
export const programSection: Mutator = (src, r) => {
  const b = src.slice();
  const secs = sections(b);
  const code = secs.filter((s) => (s.flags & SHF_EXECINSTR) !== 0 && inFile(b, s) && s.size >= 8);
  if (code.length === 0) return rawBytes(src, r);
  const s = r.pick(code);
  const relocated = relocatedInsns(b, secs).get(s.index) ?? new Set<number>();
  const insns = b.subarray(s.offset, s.offset + s.size);
  // lddw second slots too: a relocated lddw occupies two slots.
  const skip = (off: number): boolean => relocated.has(off) || relocated.has(off - 8);
  for (let k = 1 + r.int(3); k > 0; k--) mutateInsn(insns, r, skip);
  return b;
};

export const PROGS_MUTATORS: readonly Mutator[] = [programSection];

/** Several mutations in a row (stacked mutations find what single ones do not). */
export function stacked(list: readonly Mutator[], src: Uint8Array, r: Rng): Uint8Array {
  let b = r.pick(list)(src, r);
  for (let k = r.chance(0.25) ? 1 + r.int(3) : 0; k > 0; k--) {
    // The structure-aware mutators expect a readable layout; on an input an earlier mutation
    // already broke (a header pointing outside the file) they may throw: then mutate bytes.
    try {
      b = r.pick(list)(b, r);
    } catch {
      b = rawBytes(b, r);
    }
  }
  return b;
}
