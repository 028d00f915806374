/**
 * @fileoverview SafeElfFile against llvm-readelf-19 (recorded in test/goldens/loader/*.readelf.txt),
 * and its rejections of malformed headers.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ElfError } from '../../vm/errors.js';
import { SafeElfFile, SHF_ALLOC, SHF_EXECINSTR, SHF_WRITE } from '../../loader/elf-file.js';
import { goldenObjects, parseReadelf, readBytes } from './goldens.js';

const SHT: Record<string, number> = { NULL: 0, PROGBITS: 1, SYMTAB: 2, STRTAB: 3, NOBITS: 8, REL: 9, LLVM_ADDRSIG: 0x6fff4c03 };
const STT: Record<string, number> = { NOTYPE: 0, OBJECT: 1, FUNC: 2, SECTION: 3, FILE: 4 };
const STB: Record<string, number> = { LOCAL: 0, GLOBAL: 1, WEAK: 2 };
const RTYPE: Record<string, number> = { R_BPF_64_64: 1, R_BPF_64_ABS64: 2, R_BPF_64_ABS32: 3, R_BPF_64_NODYLD32: 4, R_BPF_64_32: 10 };

describe.each(goldenObjects())('[loader/elf-file]: $name matches llvm-readelf', ({ object, prefix }) => {
  const elf = SafeElfFile.parse(readBytes(object));
  const re = parseReadelf(readFileSync(`${prefix}.readelf.txt`, 'utf8'));

  it('has the same section headers', () => {
    expect(re.sections.length).toBeGreaterThan(3);
    expect(elf.sections.length).toBe(re.sections.length);
    for (const g of re.sections) {
      const s = elf.sections[g.index];
      expect(s.name).toBe(g.name);
      expect(s.type).toBe(SHT[g.type]);
      expect(s.offset).toBe(g.offset);
      expect(s.size).toBe(g.size);
      expect(s.entsize).toBe(g.entsize); // elfy gets this wrong for ELF64; we read it ourselves
      expect(s.addralign).toBe(g.align);
      expect(s.link).toBe(g.link);
      expect(s.info).toBe(g.info);
      expect((s.flags & SHF_WRITE) !== 0).toBe(g.flags.includes('W'));
      expect((s.flags & SHF_ALLOC) !== 0).toBe(g.flags.includes('A'));
      expect((s.flags & SHF_EXECINSTR) !== 0).toBe(g.flags.includes('X'));
      if (g.type !== 'NOBITS') expect(s.data.length).toBe(g.size);
    }
  });

  it('has the same symbols', () => {
    expect(elf.symbols.length).toBe(re.symbols.length);
    for (const g of re.symbols) {
      const s = elf.symbols[g.num];
      expect(s.value).toBe(g.value);
      expect(s.size).toBe(g.size);
      expect(s.type).toBe(STT[g.type]);
      expect(s.bind).toBe(STB[g.bind]);
      expect(s.shndx).toBe(g.ndx === 'UND' ? 0 : g.ndx === 'ABS' ? 0xfff1 : Number(g.ndx));
      // readelf prints section symbols by their section's name; the symbol itself is unnamed.
      if (g.type !== 'SECTION') expect(s.name).toBe(g.name);
    }
  });

  it('has the same relocations', () => {
    let total = 0;
    for (const [relName, rels] of re.relocs) {
      const relSec = elf.sections.find((s) => s.name === relName)!;
      const parsed = elf.relocations.get(relSec.info)!;
      expect(parsed.section.name).toBe(relName);
      expect(parsed.rels.length).toBe(rels.length);
      rels.forEach((g, i) => {
        const r = parsed.rels[i];
        expect(r.offset).toBe(g.offset);
        expect(r.type).toBe(RTYPE[g.type]);
        const sym = elf.symbols[r.symbol];
        expect(sym.value).toBe(g.symValue);
        expect(sym.type === 3 ? elf.sections[sym.shndx].name : sym.name).toBe(g.symName);
        total++;
      });
    }
    expect(total).toBe([...elf.relocations.values()].reduce((n, r) => n + r.rels.length, 0));
  });
});

/** A valid object to corrupt. */
const base = (): Uint8Array => readBytes(goldenObjects()[0].object);
const put16 = (b: Uint8Array, off: number, v: number) => new DataView(b.buffer).setUint16(off, v, true);
const put32 = (b: Uint8Array, off: number, v: number) => new DataView(b.buffer).setUint32(off, v, true);

function expectElfError(bytes: Uint8Array, offset?: number): ElfError {
  let err: unknown;
  try {
    SafeElfFile.parse(bytes);
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(ElfError);
  if (offset !== undefined) expect((err as ElfError).offset).toBe(offset);
  return err as ElfError;
}

describe('[loader/elf-file]: rejects malformed headers with ElfError', () => {
  it('empty and short files', () => {
    expectElfError(new Uint8Array(0), 0);
    expectElfError(base().subarray(0, 63), 0);
  });
  it('bad magic', () => {
    const b = base();
    b[1] = 0x46;
    expectElfError(b, 0);
  });
  it('32-bit class', () => {
    const b = base();
    b[4] = 1;
    expectElfError(b, 4);
  });
  it('big-endian data', () => {
    const b = base();
    b[5] = 2;
    expectElfError(b, 5);
  });
  it('not a relocatable object', () => {
    const b = base();
    put16(b, 16, 2);
    expectElfError(b, 16);
  });
  it('wrong machine (x86-64)', () => {
    const b = base();
    put16(b, 18, 62);
    expectElfError(b, 18);
  });
  it('accepts e_machine 0 (EM_NONE) as well as 247', () => {
    const b = base();
    put16(b, 18, 0);
    expect(SafeElfFile.parse(b).machine).toBe(0);
    expect(SafeElfFile.parse(base()).machine).toBe(247);
  });
  it('section table past the end of the file', () => {
    const b = base();
    put32(b, 40, b.length - 10);
    expectElfError(b, 40);
  });
  it('huge section count', () => {
    const b = base();
    put16(b, 60, 0xffff);
    expectElfError(b, 40);
  });
  it('e_shstrndx out of range', () => {
    const b = base();
    put16(b, 62, 0xfff0);
    expectElfError(b, 62);
  });
  it('a section whose bytes lie past the end of the file', () => {
    const b = base();
    const shoff = Number(new DataView(b.buffer).getBigUint64(40, true));
    put32(b, shoff + 64 * 2 + 24, b.length); // section #2's sh_offset
    const e = expectElfError(b, shoff + 64 * 2 + 24);
    expect(e.message).toContain('past the end');
  });
  it('truncated files at every 97th byte', () => {
    const b = base();
    for (let n = 0; n < b.length; n += 97) {
      try {
        SafeElfFile.parse(b.slice(0, n));
      } catch (e) {
        expect(e).toBeInstanceOf(ElfError);
      }
    }
  });
});
