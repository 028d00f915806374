/**
 * @fileoverview Linked programs against llvm-objdump-19 and llvm-readelf-19 (recorded goldens):
 * every instruction of every linked program is traced back to the objdump instruction it came
 * from; untouched instructions must be byte-identical, relocated ones must carry the symbolic
 * form documented in loader/spec.ts, and every call must land on the function objdump names.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCollectionSpec, type CollectionSpec } from '../../loader/index.js';
import { SafeElfFile } from '../../loader/elf-file.js';
import { parseBtf, parseBtfExt } from '../../loader/btf/index.js';
import { GOLDENS, PROGS, goldenObjects, loadOptions, parseObjdump, parseReadelf, readBytes, type ObjdumpSection, type Readelf } from './goldens.js';

/** Objects that must not load (covered by loader.test.ts). */
const REJECTED = new Set(['progs/invalid_section']);

const objects = goldenObjects().filter((o) => !REJECTED.has(o.name));

interface Origin {
  section: string;
  slot: number;
}

/** Slots (by section name) that carry a CO-RE relocation: their imm/off may legitimately change. */
function coreSlots(bytes: Uint8Array): Map<string, Set<number>> {
  const elf = SafeElfFile.parse(bytes);
  const btf = elf.sectionByName('.BTF');
  const ext = elf.sectionByName('.BTF.ext');
  const out = new Map<string, Set<number>>();
  if (!btf || !ext) return out;
  for (const [sec, relos] of parseBtfExt(ext.data, parseBtf(btf.data)).coreRelos) out.set(sec, new Set(relos.map((r) => r.insnOff / 8)));
  return out;
}

function funcSize(re: Readelf, section: string, name: string): number {
  const secIdx = re.sections.find((s) => s.name === section)!.index;
  const sym = re.symbols.find((s) => s.type === 'FUNC' && s.name === name && Number(s.ndx) === secIdx)!;
  return sym.size / 8;
}

describe.each(objects)('[loader/programs]: $name agrees with llvm-objdump', ({ name, object, prefix }) => {
  const spec: CollectionSpec = loadCollectionSpec(readBytes(object), loadOptions(name));
  const re = parseReadelf(readFileSync(`${prefix}.readelf.txt`, 'utf8'));
  const od = parseObjdump(readFileSync(`${prefix}.objdump.txt`, 'utf8'));
  const core = coreSlots(readBytes(object));
  const labelAt = (sec: ObjdumpSection, slot: number): string | undefined => [...sec.funcs].find(([, s]) => s === slot)?.[0];

  it('has one program per function symbol of each program section', () => {
    const expected: string[] = [];
    for (const s of re.sections) {
      if (!s.flags.includes('X') || s.name === '.text' || s.size === 0) continue;
      for (const sym of re.symbols) if (sym.type === 'FUNC' && Number(sym.ndx) === s.index) expected.push(`${s.name}:${sym.name}`);
    }
    expect(spec.programs.map((p) => `${p.section}:${p.name}`).sort()).toEqual(expected.sort());
  });

  it.each(spec.programs.map((p) => [p.name, p] as const))('%s: instructions trace back to objdump', (_n, p) => {
    // Where each linked slot came from: entry function, then the subprograms in order.
    const pieces = [{ name: p.name, section: p.section, insn: 0 }, ...p.subprograms.map((s) => ({ ...s, section: '' }))];
    const origins: Origin[] = [];
    for (const piece of pieces) {
      let section = piece.section;
      if (section === '') {
        // A subprogram lives in .text or (static callee) in the entry's own section.
        section = od.get('.text')?.funcs.has(piece.name) ? '.text' : p.section;
      }
      const sec = od.get(section)!;
      const start = sec.funcs.get(piece.name)!;
      expect(start, `${piece.name} in ${section}`).toBeDefined();
      const len = funcSize(re, section, piece.name);
      expect(origins.length).toBe(piece.insn);
      for (let i = 0; i < len; i++) origins.push({ section, slot: start + i });
    }
    expect(p.instructions.length / 8).toBe(origins.length);

    const dv = new DataView(p.instructions.buffer, p.instructions.byteOffset, p.instructions.byteLength);
    for (let j = 0; j < origins.length; j++) {
      const o = origins[j];
      const sec = od.get(o.section)!;
      const g = sec.insns.get(o.slot);
      if (g === undefined) continue; // second slot of an lddw (objdump prints 16 bytes on one line)
      const ours = [...p.instructions.subarray(j * 8, j * 8 + g.bytes.length)];
      const op = ours[0];
      const src = ours[1] >> 4;
      const imm = dv.getInt32(j * 8 + 4, true);
      const origImm = new DataView(Uint8Array.from(g.bytes).buffer).getInt32(4, true);
      const where = `${p.name} slot ${j} (${o.section}#${o.slot})`;
      if (g.reloc?.type === 'R_BPF_64_64') {
        expect(op, where).toBe(0x18);
        const mapIdx = spec.maps.findIndex((m) => m.name === g.reloc!.symbol && m.source !== 'data');
        if (mapIdx >= 0) {
          expect([src, imm], where).toEqual([5, mapIdx]);
          continue;
        }
        const sym = re.symbols.find((s) => s.name === g.reloc!.symbol || (s.type === 'SECTION' && re.sections[Number(s.ndx)]?.name === g.reloc!.symbol))!;
        const target = re.sections[Number(sym.ndx)];
        if (target.flags.includes('X')) {
          // address of a subprogram: pc-relative like a call
          expect(src, where).toBe(4);
          const dest = j + 1 + imm;
          const destOrigin = origins[dest];
          expect(destOrigin.section).toBe(target.name);
          expect(destOrigin.slot).toBe((sym.value + origImm) / 8);
        } else {
          const m = spec.maps[imm];
          expect(src, where).toBe(6);
          expect(m.name, where).toBe(target.name);
          expect(m.source).toBe('data');
          expect(dv.getInt32(j * 8 + 12, true), where).toBe(sym.value + origImm);
        }
        continue;
      }
      if (op === 0x85 && src === 1) {
        // bpf-to-bpf call: find what objdump says it calls
        let destName: string | undefined;
        if (g.reloc) {
          expect(g.reloc.type).toBe('R_BPF_64_32');
          const sym = re.symbols.find((s) => s.name === g.reloc!.symbol || (s.type === 'SECTION' && re.sections[Number(s.ndx)]?.name === g.reloc!.symbol))!;
          const tsec = re.sections[Number(sym.ndx)].name;
          destName = labelAt(od.get(tsec)!, sym.value / 8 + origImm + 1);
        } else {
          destName = labelAt(sec, o.slot + origImm + 1);
        }
        const dest = j + 1 + imm;
        const destPiece = pieces.find((pc) => pc.insn === dest);
        expect(destPiece?.name, where).toBe(destName);
        continue;
      }
      if (op === 0x85 && src === 2) {
        // kfunc call: an undefined symbol; tcxlab's id, or 0 for one it lacks (listed in unsupported)
        expect(g.reloc?.type, where).toBe('R_BPF_64_32');
        const known = p.unsupported?.find((u) => u.kind === 'kfunc' && u.insn === j);
        expect(known?.name, where).toBe(g.reloc!.symbol);
        expect([ours[1] & 0x0f, dv.getInt16(j * 8 + 2, true), imm], where).toEqual([0, 0, 0]);
        continue;
      }
      if (core.get(o.section)?.has(o.slot)) {
        // CO-RE (loader/btf, tested against libbpf there) may rewrite off/imm, never op or registers
        expect(ours.slice(0, 2), where).toEqual(g.bytes.slice(0, 2));
        continue;
      }
      expect(ours, where).toEqual(g.bytes);
    }
  });
});

describe.each(objects.filter((o) => readFileSync(`${o.prefix}.readelf.txt`, 'utf8').includes(' .BTF.ext ')))(
  '[loader/programs]: $name line info agrees with the DWARF lines llvm-objdump -l prints',
  ({ name, object, prefix }) => {
    const spec = loadCollectionSpec(readBytes(object), loadOptions(name));
    const od = parseObjdump(readFileSync(`${prefix}.objdump.txt`, 'utf8'));
    const re = parseReadelf(readFileSync(`${prefix}.readelf.txt`, 'utf8'));

    it.each(spec.programs.map((p) => [p.name, p] as const))('%s', (_n, p) => {
      expect(p.lineInfo.length).toBeGreaterThan(0);
      // linked slot -> (section, slot) as in the instruction test above
      const pieces = [{ name: p.name, insn: 0, section: p.section }, ...p.subprograms.map((s) => ({ name: s.name, insn: s.insn, section: od.get('.text')?.funcs.has(s.name) ? '.text' : p.section }))];
      const originOf = (j: number) => {
        const piece = [...pieces].reverse().find((pc) => pc.insn <= j)!;
        return { section: piece.section, slot: od.get(piece.section)!.funcs.get(piece.name)! + (j - piece.insn) };
      };
      let prev = -1;
      let checked = 0;
      for (const li of p.lineInfo) {
        expect(li.insn).toBeGreaterThan(prev); // sorted, one record per instruction
        prev = li.insn;
        expect(li.insn).toBeLessThan(p.instructions.length / 8);
        const o = originOf(li.insn);
        const g = od.get(o.section)!.insns.get(o.slot);
        expect(g, `slot ${li.insn}`).toBeDefined();
        if (g!.line === undefined) continue;
        const file = li.file.replace(/^.*\//, '');
        expect(file, `${p.name} insn ${li.insn}`).toBe(g!.line.file.replace(/^.*\//, ''));
        if (pieces.some((pc) => pc.insn === li.insn)) {
          // At a function's first instruction clang's BTF line_info names the declaration line
          // (`int f(...)`), DWARF the line of the body's start: never later.
          expect(li.line, `${p.name} insn ${li.insn}`).toBeLessThanOrEqual(g!.line.line);
          continue;
        }
        // Elsewhere BTF line_info and the DWARF line table come from the same debug locations.
        expect(li.line, `${p.name} insn ${li.insn}`).toBe(g!.line.line);
        checked++;
      }
      // one-line functions have only the function-start record
      if (p.lineInfo.some((li) => !pieces.some((pc) => pc.insn === li.insn))) expect(checked).toBeGreaterThan(0);
      // func_info: one per placed function, at its first instruction, named like its symbol
      expect(p.funcInfo?.map((f) => [f.insn, f.name])).toEqual(pieces.map((pc) => [pc.insn, pc.name]));
      void re;
    });
  },
);

describe('[loader/programs]: subprogram layout is libbpf\'s (kernel xlated dumps, test/goldens/loader/xlated)', () => {
  const dir = join(GOLDENS, 'xlated');
  it.each(readdirSync(dir).filter((f) => f.endsWith('.txt')))('%s', (f) => {
    const [obj, prog] = f.replace(/\.txt$/, '').split('.');
    const spec = loadCollectionSpec(readBytes(join(PROGS, `${obj}.bpf.o`)));
    const p = spec.programs.find((x) => x.name === prog)!;
    const kernel = readFileSync(join(dir, f), 'utf8')
      .split('\n')
      .filter((l) => l && !l.startsWith('#'))
      .map((l) => /([A-Za-z_]\w*)\(/.exec(l)![1]);
    expect([p.name, ...p.subprograms.map((s) => s.name)]).toEqual(kernel);
  });
});
