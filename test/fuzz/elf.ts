/**
 * @fileoverview A tolerant reader of the parts of an ELF64 little-endian object the structure-aware
 * mutators aim at (section headers, names, symbols, relocations). It never throws: on nonsense it
 * returns fewer sections. It is the fuzzers' map of a *valid* object, not a loader.
 */

/** One section header, with the byte offset of the header itself (to mutate its fields). */
export interface Shdr {
  index: number;
  /** Byte offset of this 64-byte header in the file. */
  hdr: number;
  name: string;
  nameOff: number;
  type: number;
  flags: number;
  offset: number;
  size: number;
  link: number;
  info: number;
  entsize: number;
}

export const SHT_SYMTAB = 2;
export const SHT_STRTAB = 3;
export const SHT_REL = 9;
export const SHF_EXECINSTR = 0x4;
/** Field offsets inside a section header (Elf64_Shdr). */
export const SH = { name: 0, type: 4, flags: 8, addr: 16, offset: 24, size: 32, link: 40, info: 44, addralign: 48, entsize: 56 } as const;
/** Field offsets inside a symbol (Elf64_Sym, 24 bytes). */
export const ST = { name: 0, info: 4, other: 5, shndx: 6, value: 8, size: 16 } as const;

const dec = new TextDecoder('utf-8', { fatal: false });

/** NUL-terminated string at `off` in `b` (at most 4096 bytes). */
export function cstr(b: Uint8Array, off: number): string {
  if (off < 0 || off >= b.length) return '';
  let end = off;
  while (end < b.length && end - off < 4096 && b[end] !== 0) end++;
  return dec.decode(b.subarray(off, end));
}

/** Section headers of `b`, or [] when the header table is not readable. */
export function sections(b: Uint8Array): Shdr[] {
  if (b.length < 64) return [];
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const shoff = Number(dv.getBigUint64(40, true));
  const shnum = dv.getUint16(60, true);
  const shstrndx = dv.getUint16(62, true);
  if (shoff + shnum * 64 > b.length) return [];
  const out: Shdr[] = [];
  for (let i = 0; i < shnum; i++) {
    const h = shoff + i * 64;
    out.push({
      index: i,
      hdr: h,
      name: '',
      nameOff: dv.getUint32(h + SH.name, true),
      type: dv.getUint32(h + SH.type, true),
      flags: Number(dv.getBigUint64(h + SH.flags, true) & 0xffffffffn),
      offset: Number(dv.getBigUint64(h + SH.offset, true)),
      size: Number(dv.getBigUint64(h + SH.size, true)),
      link: dv.getUint32(h + SH.link, true),
      info: dv.getUint32(h + SH.info, true),
      entsize: Number(dv.getBigUint64(h + SH.entsize, true)),
    });
  }
  const strs = out[shstrndx];
  if (strs !== undefined && strs.offset + strs.size <= b.length) {
    for (const s of out) s.name = cstr(b.subarray(strs.offset, strs.offset + strs.size), s.nameOff);
  }
  return out;
}

/** Whether a section's bytes lie inside the file. */
export const inFile = (b: Uint8Array, s: Shdr): boolean => s.offset + s.size <= b.length && s.type !== 8; // SHT_NOBITS

export const byName = (secs: Shdr[], name: string): Shdr | undefined => secs.find((s) => s.name === name);

/** Little-endian field writers over a Uint8Array. */
export function view(b: Uint8Array): DataView {
  return new DataView(b.buffer, b.byteOffset, b.byteLength);
}

/** Byte offsets (in the file) of the instructions a relocation section points at, per target section. */
export function relocatedInsns(b: Uint8Array, secs: Shdr[]): Map<number, Set<number>> {
  const out = new Map<number, Set<number>>();
  const dv = view(b);
  for (const s of secs) {
    if (s.type !== SHT_REL || !inFile(b, s)) continue;
    const target = secs[s.info];
    if (target === undefined) continue;
    const set = out.get(target.index) ?? new Set<number>();
    for (let at = s.offset; at + 16 <= s.offset + s.size; at += 16) set.add(Number(dv.getBigUint64(at, true)));
    out.set(target.index, set);
  }
  return out;
}
