/**
 * @fileoverview SafeElfFile: a defensive adapter over `elfy` for ELF64 little-endian BPF
 * relocatable objects, plus our own `.symtab` and `SHT_REL` parsing.
 *
 * elfy gives us the section table (names, offsets, sizes, link/info and the sliced bytes),
 * but it is wrong or silent for several things, which we read ourselves from the raw bytes:
 *   - e_machine: elfy's table lacks EM_BPF (247), so it reports `undefined`;
 *   - sh_addralign / sh_entsize of ELF64 files: elfy reads them at +46/+54 instead of +48/+56;
 *   - sh_type / sh_flags: we want the numbers, elfy maps them to names / flag objects;
 *   - sections whose bytes lie past the end of the file: elfy silently truncates the slice;
 *   - SHT_NOBITS (.bss): elfy slices file bytes that do not belong to the section;
 *   - symbols and relocations: elfy does not parse them at all.
 * Every throw from elfy (plain Error, assert) becomes an ElfError. Nothing here trusts a count
 * or an offset from the file: every table is bounded by the file size.
 *
 * ELF64 section header (64 bytes), as read from the raw bytes:
 *
 *   0        4        8                16               24               32
 *   +--------+--------+----------------+----------------+----------------+
 *   |sh_name |sh_type |   sh_flags     |    sh_addr     |   sh_offset    |
 *   +--------+--------+----------------+----------------+----------------+
 *   32               40       44       48               56               64
 *   +----------------+--------+--------+----------------+----------------+
 *   |    sh_size     |sh_link |sh_info |  sh_addralign  |   sh_entsize   |
 *   +----------------+--------+--------+----------------+----------------+
 */
import elfyModule from 'elfy';
import { ElfError } from '../vm/errors.js';

// elfy is CommonJS without types (loader/elfy.d.ts); we only call `parse`. A static import so that
// the CLI bundle can include it (tsup.config.ts: it gives elfy a node:assert loaded on first failure).
const elfy = elfyModule as { parse(buf: Buffer): ElfyFile };

interface ElfySection {
  name: string;
  off: number;
  size: number;
  link: number;
  info: number;
  data: Buffer;
}
interface ElfyFile {
  body: { sections: ElfySection[] };
}

/** ELF constants we use (elf.h spelling). */
export const EM_NONE = 0;
export const EM_BPF = 247;
export const ET_REL = 1;
export const SHT_NULL = 0;
export const SHT_PROGBITS = 1;
export const SHT_SYMTAB = 2;
export const SHT_STRTAB = 3;
export const SHT_RELA = 4;
export const SHT_NOBITS = 8;
export const SHT_REL = 9;
export const SHF_WRITE = 0x1;
export const SHF_ALLOC = 0x2;
export const SHF_EXECINSTR = 0x4;
export const SHN_UNDEF = 0;
export const SHN_LORESERVE = 0xff00;
export const SHN_ABS = 0xfff1;
export const SHN_COMMON = 0xfff2;
export const STB_LOCAL = 0;
export const STB_GLOBAL = 1;
export const STB_WEAK = 2;
/** Symbol visibility (st_other & 3): restricted to the object. */
export const STV_INTERNAL = 1;
export const STV_HIDDEN = 2;
export const STT_NOTYPE = 0;
export const STT_OBJECT = 1;
export const STT_FUNC = 2;
export const STT_SECTION = 3;
export const STT_FILE = 4;

const EHDR_SIZE = 64;
const SHDR_SIZE = 64;
const SYM_SIZE = 24;
const REL_SIZE = 16;

/** One section header with its bytes (empty for SHT_NOBITS; `size` still holds sh_size). */
export interface ElfSection {
  readonly index: number;
  readonly name: string;
  readonly type: number;
  /** Low 32 bits of sh_flags (all defined SHF_* bits live there). */
  readonly flags: number;
  readonly offset: number;
  readonly size: number;
  readonly link: number;
  readonly info: number;
  readonly addralign: number;
  readonly entsize: number;
  readonly data: Uint8Array;
}

/** One Elf64_Sym. `value` and `size` are byte offsets/sizes (they fit in a JS number or are rejected). */
export interface ElfSymbol {
  readonly index: number;
  readonly name: string;
  readonly value: number;
  readonly size: number;
  readonly bind: number;
  readonly type: number;
  readonly visibility: number;
  readonly shndx: number;
}

/** One Elf64_Rel: r_offset into the target section, symbol index and relocation type. */
export interface ElfRel {
  readonly offset: number;
  readonly symbol: number;
  readonly type: number;
}

/** A SHT_REL section, keyed by the section it patches (sh_info). */
export interface ElfRelSection {
  readonly section: ElfSection;
  readonly target: number;
  readonly rels: readonly ElfRel[];
}

const utf8 = new TextDecoder('utf-8', { fatal: false });

/** Read a NUL-terminated string at `off` inside `table`, bounded by the table. */
export function cString(table: Uint8Array, off: number): string | undefined {
  if (off < 0 || off >= table.length) return off === 0 && table.length === 0 ? '' : undefined;
  let end = off;
  while (end < table.length && table[end] !== 0) end++;
  return utf8.decode(table.subarray(off, end));
}

/** Read an unsigned 64-bit field; values above 2^53 are returned as Infinity (always out of range). */
function u64(dv: DataView, off: number): number {
  const lo = dv.getUint32(off, true);
  const hi = dv.getUint32(off + 4, true);
  if (hi >= 0x200000) return Number.POSITIVE_INFINITY;
  return hi * 0x1_0000_0000 + lo;
}

/** The parsed object: headers, section table, symbol table and relocation sections. */
export class SafeElfFile {
  readonly bytes: Uint8Array;
  readonly machine: number;
  readonly sections: readonly ElfSection[];
  readonly symbols: readonly ElfSymbol[];
  /** Relocation sections by the index of the section they patch. */
  readonly relocations: ReadonlyMap<number, ElfRelSection>;
  readonly symtabIndex: number;

  private constructor(
    bytes: Uint8Array,
    machine: number,
    sections: ElfSection[],
    symbols: ElfSymbol[],
    symtabIndex: number,
    relocations: Map<number, ElfRelSection>,
  ) {
    this.bytes = bytes;
    this.machine = machine;
    this.sections = sections;
    this.symbols = symbols;
    this.symtabIndex = symtabIndex;
    this.relocations = relocations;
  }

  /** Parse and validate `bytes`. Throws ElfError (never anything else) on bad input. */
  static parse(bytes: Uint8Array): SafeElfFile {
    try {
      return SafeElfFile.parseUnchecked(bytes);
    } catch (e) {
      if (e instanceof ElfError) throw e;
      // A bug-shaped exception (RangeError from a DataView, elfy's assert...) on hostile input.
      throw new ElfError(`malformed object (${e instanceof Error ? e.message : String(e)})`, {}, e);
    }
  }

  private static parseUnchecked(bytes: Uint8Array): SafeElfFile {
    const len = bytes.length;
    if (len < EHDR_SIZE) throw new ElfError(`file too short for an ELF header (${len} bytes)`, { offset: 0 });
    if (bytes[0] !== 0x7f || bytes[1] !== 0x45 || bytes[2] !== 0x4c || bytes[3] !== 0x46) {
      throw new ElfError('bad magic: not an ELF file', { offset: 0 });
    }
    if (bytes[4] !== 2) throw new ElfError(`unsupported ELF class ${bytes[4]} (need ELFCLASS64)`, { offset: 4 });
    if (bytes[5] !== 1) {
      throw new ElfError(`unsupported data encoding ${bytes[5]} (need little-endian ELFDATA2LSB)`, { offset: 5 });
    }
    const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const eType = dv.getUint16(16, true);
    if (eType !== ET_REL) throw new ElfError(`e_type ${eType} is not ET_REL (a relocatable object)`, { offset: 16 });
    const machine = dv.getUint16(18, true);
    if (machine !== EM_BPF && machine !== EM_NONE) {
      throw new ElfError(`wrong machine, expected none (0) or BPF (247), got ${machine}`, { offset: 18 });
    }
    const shoff = u64(dv, 40);
    const shentsize = dv.getUint16(58, true);
    const shnum = dv.getUint16(60, true);
    const shstrndx = dv.getUint16(62, true);
    if (shentsize !== SHDR_SIZE) throw new ElfError(`e_shentsize ${shentsize} is not ${SHDR_SIZE}`, { offset: 58 });
    if (shnum === 0) throw new ElfError('no section headers (or extended numbering, unsupported)', { offset: 60 });
    if (shoff > len || shnum * SHDR_SIZE > len - shoff) {
      throw new ElfError(`section header table (${shnum} x ${SHDR_SIZE} at 0x${shoff.toString(16)}) runs past the end of the file`, {
        offset: 40,
      });
    }
    if (shstrndx >= shnum) throw new ElfError(`e_shstrndx ${shstrndx} out of range (${shnum} sections)`, { offset: 62 });

    // Raw headers first: everything elfy gets wrong or does not check.
    const raw: { type: number; flags: number; offset: number; size: number; addralign: number; entsize: number }[] = [];
    for (let i = 0; i < shnum; i++) {
      const h = shoff + i * SHDR_SIZE;
      const type = dv.getUint32(h + 4, true);
      const flags = dv.getUint32(h + 8, true);
      const offset = u64(dv, h + 24);
      const size = u64(dv, h + 32);
      const addralign = u64(dv, h + 48);
      const entsize = u64(dv, h + 56);
      if (type !== SHT_NOBITS && type !== SHT_NULL && (offset > len || size > len - offset)) {
        throw new ElfError(`section #${i} (offset 0x${offset.toString(16)}, size ${size}) runs past the end of the file`, {
          offset: h + 24,
        });
      }
      raw.push({ type, flags, offset, size, addralign, entsize });
    }
    if (raw[shstrndx].type !== SHT_STRTAB) {
      throw new ElfError(`section #${shstrndx} named by e_shstrndx is not a string table`, { offset: 62 });
    }

    let parsed: ElfyFile;
    try {
      parsed = elfy.parse(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    } catch (e) {
      throw new ElfError(`elf parser: ${e instanceof Error ? e.message : String(e)}`, {}, e);
    }
    const es = parsed?.body?.sections;
    if (!Array.isArray(es) || es.length !== shnum) {
      throw new ElfError(`elf parser returned ${Array.isArray(es) ? es.length : 'no'} sections, header says ${shnum}`);
    }

    const sections: ElfSection[] = [];
    for (let i = 0; i < shnum; i++) {
      const r = raw[i];
      const e = es[i];
      // elfy's offset/size/link/info are right; cross-check the ones we rely on.
      if (e.off !== r.offset || e.size !== r.size) {
        throw new ElfError(`section #${i}: inconsistent header`, { offset: shoff + i * SHDR_SIZE });
      }
      const name = typeof e.name === 'string' ? e.name : '';
      const data =
        r.type === SHT_NOBITS || r.type === SHT_NULL ? new Uint8Array(0) : bytes.subarray(r.offset, r.offset + r.size);
      sections.push({
        index: i,
        name,
        type: r.type,
        flags: r.flags,
        offset: r.offset,
        size: r.size,
        link: e.link >>> 0,
        info: e.info >>> 0,
        addralign: r.addralign,
        entsize: r.entsize,
        data,
      });
    }

    // Symbol table: exactly one SHT_SYMTAB (clang always emits one for BPF objects).
    const symtabs = sections.filter((s) => s.type === SHT_SYMTAB);
    if (symtabs.length !== 1) throw new ElfError(`expected one symbol table, found ${symtabs.length}`);
    const symtab = symtabs[0];
    const symbols = parseSymbols(symtab, sections);

    const relocations = new Map<number, ElfRelSection>();
    for (const s of sections) {
      if (s.type === SHT_RELA) {
        throw new ElfError('SHT_RELA relocations are not used by BPF objects (unsupported)', { section: s.name });
      }
      if (s.type !== SHT_REL) continue;
      if (s.link !== symtab.index) {
        throw new ElfError(`relocation section links to section #${s.link}, not the symbol table`, { section: s.name });
      }
      if (s.info === 0 || s.info >= sections.length) {
        throw new ElfError(`relocation section targets section #${s.info}, out of range`, { section: s.name });
      }
      if (relocations.has(s.info)) {
        throw new ElfError(`second relocation section for section #${s.info}`, { section: s.name });
      }
      relocations.set(s.info, { section: s, target: s.info, rels: parseRels(s, symbols.length) });
    }
    return new SafeElfFile(bytes, machine, sections, symbols, symtab.index, relocations);
  }

  /** The section at `index`, or an ElfError. */
  section(index: number, loc?: { section?: string; offset?: number }): ElfSection {
    const s = this.sections[index];
    if (s === undefined) throw new ElfError(`section index ${index} out of range`, loc ?? {});
    return s;
  }

  /** First section with this name. */
  sectionByName(name: string): ElfSection | undefined {
    return this.sections.find((s) => s.name === name);
  }
}

function parseSymbols(symtab: ElfSection, sections: readonly ElfSection[]): ElfSymbol[] {
  if (symtab.entsize !== SYM_SIZE) {
    throw new ElfError(`symbol table entry size ${symtab.entsize} is not ${SYM_SIZE}`, { section: symtab.name });
  }
  if (symtab.size % SYM_SIZE !== 0) {
    throw new ElfError(`symbol table size ${symtab.size} is not a multiple of ${SYM_SIZE}`, { section: symtab.name });
  }
  const strtab = sections[symtab.link];
  if (strtab === undefined || strtab.type !== SHT_STRTAB) {
    throw new ElfError(`symbol table links to section #${symtab.link}, not a string table`, { section: symtab.name });
  }
  const d = symtab.data;
  const dv = new DataView(d.buffer, d.byteOffset, d.byteLength);
  const n = d.length / SYM_SIZE;
  const out: ElfSymbol[] = [];
  for (let i = 0; i < n; i++) {
    const o = i * SYM_SIZE;
    const nameOff = dv.getUint32(o, true);
    const info = d[o + 4];
    const other = d[o + 5];
    const shndx = dv.getUint16(o + 6, true);
    const value = u64(dv, o + 8);
    const size = u64(dv, o + 16);
    const name = cString(strtab.data, nameOff);
    if (name === undefined) {
      throw new ElfError(`symbol #${i}: name offset ${nameOff} outside the string table`, { section: symtab.name, offset: o });
    }
    out.push({ index: i, name, value, size, bind: info >> 4, type: info & 0xf, visibility: other & 0x3, shndx });
  }
  return out;
}

function parseRels(s: ElfSection, nsyms: number): ElfRel[] {
  if (s.entsize !== REL_SIZE && s.entsize !== 0) {
    throw new ElfError(`relocation entry size ${s.entsize} is not ${REL_SIZE}`, { section: s.name });
  }
  if (s.size % REL_SIZE !== 0) {
    throw new ElfError(`relocation section size ${s.size} is not a multiple of ${REL_SIZE}`, { section: s.name });
  }
  const d = s.data;
  const dv = new DataView(d.buffer, d.byteOffset, d.byteLength);
  const out: ElfRel[] = [];
  for (let o = 0; o < d.length; o += REL_SIZE) {
    const offset = u64(dv, o);
    const type = dv.getUint32(o + 8, true);
    const symbol = dv.getUint32(o + 12, true);
    if (symbol >= nsyms) {
      throw new ElfError(`relocation #${o / REL_SIZE}: symbol index ${symbol} out of range (${nsyms} symbols)`, {
        section: s.name,
        offset: o,
      });
    }
    out.push({ offset, symbol, type });
  }
  return out;
}
