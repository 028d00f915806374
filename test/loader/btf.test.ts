/**
 * loader/btf against external tools: parsed types vs `bpftool btf dump`, line info vs
 * llvm-objdump's DWARF line table and the C source, BTF map definitions vs libbpf's own parse
 * (its debug log), and the built-in target BTF vs the running kernel's vmlinux (bpftool).
 * Goldens: test/goldens/btf/build.sh.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import {
  BtfError, builtinTargetBtf, btfMapDefinitions, datasecTypeId, funcInfoOf, lineInfoOf, parseBtf, parseBtfExt, writeBtf,
  type Btf, type BtfMapDef,
} from '../../loader/btf/index.js';
import { BtfError as VmBtfError, ErrorCode } from '../../vm/errors.js';
import { GOLDEN_DIR, bpftoolBlocks, formatLikeBpftool, golden, goldenText, libbpfLog, objdumpLines } from './btf-goldens.js';

const FIXTURES = ['types', 'core'] as const;

describe('[loader/btf]: parseBtf vs bpftool btf dump', () => {
  it.each([...FIXTURES, 'poison'])('%s.bpf.o: every type id, kind, name, size, member and value', (name) => {
    const btf = parseBtf(golden(`${name}.btf`));
    const blocks = bpftoolBlocks(goldenText(`${name}.bpftool.txt`));
    expect(btf.types.length - 1).toBe(blocks.size);
    for (const [id, lines] of blocks) expect(formatLikeBpftool(btf, btf.typeById(id))).toEqual(lines);
  });

  it('is deterministic: two parses compare equal whatever each decoded lazily', () => {
    const a = parseBtf(golden('types.btf'));
    const b = parseBtf(golden('types.btf'));
    a.typeByName('tagged');
    b.sizeof(5);
    expect(a).toEqual(b);
    expect(a).not.toEqual(parseBtf(golden('core.btf')));
  });

  it('covers every kind clang emits', () => {
    const kinds = new Set(parseBtf(golden('types.btf')).types.map((t) => t.kind));
    for (const k of ['INT', 'PTR', 'ARRAY', 'STRUCT', 'UNION', 'ENUM', 'FWD', 'TYPEDEF', 'VOLATILE', 'CONST', 'RESTRICT',
      'FUNC', 'FUNC_PROTO', 'VAR', 'DATASEC', 'FLOAT', 'DECL_TAG', 'TYPE_TAG', 'ENUM64']) expect(kinds).toContain(k);
  });

  it('resolve, sizeof, typeByName and typeName follow the bpftool facts', () => {
    const btf = parseBtf(golden('types.btf'));
    const blocks = bpftoolBlocks(goldenText('types.bpftool.txt'));
    const idOf = (re: RegExp): number => [...blocks].find(([, l]) => re.test(l[0]))![0];
    const tagged = idOf(/STRUCT 'tagged'/);
    expect(btf.typeByName('tagged')?.id).toBe(tagged);
    expect(btf.typeByName('tagged', 'UNION')).toBeUndefined();
    expect(btf.sizeof(tagged)).toBe(Number(/size=(\d+)/.exec(blocks.get(tagged)![0])![1]));
    // cv_u32 -> const -> volatile -> u32_t -> unsigned int
    const cv = idOf(/TYPEDEF 'cv_u32'/);
    expect(btf.resolve(cv).name).toBe('unsigned int');
    expect(btf.sizeof(cv)).toBe(4);
    expect(btf.typeName(cv)).toBe('cv_u32');
    expect(btf.typeName(idOf(/STRUCT '__sk_buff'/))).toBe('struct __sk_buff');
    // __u32 cb[5] in __sk_buff: ARRAY of 5 __u32 = 20 bytes
    const cb = idOf(/ARRAY '\(anon\)' type_id=8 index_type_id=4 nr_elems=5/);
    expect(btf.sizeof(cb)).toBe(20);
    expect(btf.typeName(cb)).toBe('__u32[5]');
    expect(() => btf.sizeof(idOf(/FUNC 'entry'/))).toThrow(VmBtfError);
    expect(() => btf.typeById(btf.types.length)).toThrow(VmBtfError);
  });
});

describe('[loader/btf]: parseBtfExt', () => {
  it.each(FIXTURES)('%s: line_info matches llvm-objdump -l and the C source', (name) => {
    const btf = parseBtf(golden(`${name}.btf`));
    const ext = parseBtfExt(golden(`${name}.btf.ext`), btf);
    const dwarf = objdumpLines(goldenText(`${name}.lines.txt`));
    const source = readFileSync(`${GOLDEN_DIR}src/${name}.bpf.c`, 'utf8').split('\n');
    let n = 0;
    expect(ext.lineInfo.size).toBeGreaterThan(0);
    for (const [sec, recs] of ext.lineInfo) {
      const lines = dwarf.get(sec)!;
      expect(lines).toBeDefined();
      for (const r of recs) {
        expect(r.insnOff % 8).toBe(0);
        expect(r.file).toBe(`./src/${name}.bpf.c`);
        expect(r.text).toBe(source[r.line - 1]); // clang keeps the whole line, indentation included
        expect(r.col).toBeLessThan(1024);
        // Several records may share an address (a function's declaration line, then its first
        // statement); objdump -l prints the last DWARF row at an address, so compare the last.
        const last = recs.filter((x) => x.insnOff === r.insnOff).at(-1)!;
        if (last !== r) continue;
        const fn = ext.funcInfo.get(sec)?.find((f) => f.insnOff === r.insnOff);
        if (fn !== undefined && r.col === 0) {
          // clang's record for a function's prologue is its declaration line (column 0); DWARF
          // puts the prologue on the opening brace. Check it names the function instead.
          expect(r.text).toContain(`${btf.typeById(fn.typeId).name}(`);
          continue;
        }
        const d = lines.get(r.insnOff / 8);
        expect(d, `${sec} insn ${r.insnOff / 8}`).toBeDefined();
        expect({ file: d!.file, line: d!.line }).toEqual({ file: r.file, line: r.line });
        n++;
      }
    }
    expect(n).toBeGreaterThan(10);
  });

  it('func_info names the functions libbpf found (sections and instruction offsets)', () => {
    const btf = parseBtf(golden('types.btf'));
    const ext = parseBtfExt(golden('types.btf.ext'), btf);
    // libbpf: "sec 'tc': found program 'entry' at insn offset 2 (16 bytes)"
    const found = libbpfLog('types.libbpf.txt')
      .map((l) => /^sec '(.+)': found program '(.+)' at insn offset (\d+)/.exec(l))
      .filter((m) => m !== null)
      .map((m) => ({ sec: m![1], name: m![2], insn: Number(m![3]) }));
    expect(found.length).toBe(3);
    const ours = [...ext.funcInfo].flatMap(([sec, recs]) => recs.map((r) => ({ sec, name: btf.typeById(r.typeId).name, insn: r.insnOff / 8 })));
    expect(ours.sort((a, b) => a.name.localeCompare(b.name))).toEqual(found.sort((a, b) => a.name.localeCompare(b.name)));
    expect(funcInfoOf(ext, 'tc', btf).map((f) => f.name)).toEqual(['tail_a', 'entry']);
    expect(funcInfoOf(ext, 'tc')).toEqual(funcInfoOf(ext, 'tc', btf));
    expect(lineInfoOf(ext, 'tc')[0].insn).toBe(ext.lineInfo.get('tc')![0].insnOff / 8);
  });

  it('core_relo records: one per relocation libbpf reported', () => {
    const btf = parseBtf(golden('core.btf'));
    const ext = parseBtfExt(golden('core.btf.ext'), btf);
    const m = libbpfLog('core.libbpf.txt').map((l) => /^sec 'tc': found (\d+) CO-RE relocations/.exec(l)).find((x) => x);
    expect(ext.coreRelos.get('tc')!.length).toBe(Number(m![1]));
    // "relo #2: <byte_off> [19] struct __sk_buff___old.cb[3] (0:2:3 @ offset 20)"
    const r2 = ext.coreRelos.get('tc')![2];
    expect([r2.kind, r2.typeId, r2.accessStr]).toEqual([0, 19, '0:2:3']);
  });
});

describe('[loader/btf]: btfMapDefinitions vs libbpf', () => {
  /** libbpf's "map 'X': found ..." lines for one map, as a partial definition. */
  function libbpfMaps(): Map<string, Record<string, number>> {
    const out = new Map<string, Record<string, number>>();
    for (const l of libbpfLog('types.libbpf.txt')) {
      const m = /^map '([^']+)': (?:at sec_idx \d+, offset (\d+)\.|found (\w+) (?:\[(\d+)\], sz|=) = ?(0x[0-9a-f]+|\d+)\.|found inner map definition\.)$/.exec(l)
        ?? /^map '([^']+)': found (key|value) \[(\d+)\], sz = (\d+)\.$/.exec(l);
      if (!m || m[1].startsWith('types.')) continue;
      const rec = out.get(m[1]) ?? {};
      out.set(m[1], rec);
      if (/found (key|value) \[/.test(l)) {
        const k = /found (key|value) \[(\d+)\], sz = (\d+)/.exec(l)!;
        rec[`${k[1]}TypeId`] = Number(k[2]);
        rec[`${k[1]}Size`] = Number(k[3]);
      } else if (m[2] !== undefined) {
        rec.offset = Number(m[2]);
      } else if (m[3] !== undefined) {
        const key = ({ type: 'type', key_size: 'keySize', value_size: 'valueSize', max_entries: 'maxEntries', map_flags: 'flags', pinning: 'pinning', numa_node: 'numaNode' } as Record<string, string>)[m[3]];
        rec[key] = Number(m[5]);
      } else {
        rec.inner = 1;
      }
    }
    return out;
  }

  it('every map: offset, type, sizes, type ids, max_entries, flags, pinning, numa, inner', () => {
    const btf = parseBtf(golden('types.btf'));
    const defs = btfMapDefinitions(btf, '.maps');
    const want = libbpfMaps();
    const all: BtfMapDef[] = [...defs, ...defs.flatMap((d) => (d.inner ? [d.inner] : []))];
    expect(all.map((d) => d.name).sort()).toEqual([...want.keys()].sort());
    for (const d of all) {
      const w = want.get(d.name)!;
      for (const [k, v] of Object.entries(w)) {
        if (k === 'inner') expect(d.inner).toBeDefined();
        else expect((d as unknown as Record<string, number>)[k], `${d.name}.${k}`).toBe(v);
      }
    }
  });

  it('libbpf-record map lines agree (value_size 4 for maps of maps and prog arrays)', () => {
    const btf = parseBtf(golden('types.btf'));
    const defs = btfMapDefinitions(btf, '.maps');
    const lines = goldenText('types.libbpf.txt').split('\n').filter((l) => l.startsWith('map '));
    for (const l of lines) {
      const [, name, rest] = /^map (\S+) (.*)$/.exec(l)!;
      const kv = Object.fromEntries(rest.split(' ').map((p) => p.split('=')));
      const d = defs.find((x) => x.name === name) ?? defs.find((x) => x.inner?.name === name)?.inner;
      if (name.startsWith('types.')) continue;
      expect(d, name).toBeDefined();
      expect(d!.type).toBe(Number(kv.type));
      expect(d!.keySize).toBe(Number(kv.key_size));
      // libbpf gives perf/ringbuf-style adjustments later; for these types value_size is as parsed
      expect(d!.valueSize).toBe(Number(kv.value_size));
      expect(d!.maxEntries).toBe(Number(kv.max_entries));
      expect(d!.flags).toBe(Number(kv.map_flags));
      expect(d!.keyTypeId ?? 0).toBe(Number(kv.key_type_id));
      expect(d!.valueTypeId ?? 0).toBe(Number(kv.value_type_id));
    }
  });

  it('values arrays: offset and slot size for .rel.maps', () => {
    const btf = parseBtf(golden('types.btf'));
    const defs = btfMapDefinitions(btf, '.maps', { symbolOffset: (n) => ({ inner1: 0, inner2: 32, outer: 64, jmp: 112, hashmap: 152, sized: 208 } as Record<string, number>)[n] });
    const outer = defs.find((d) => d.name === 'outer')!;
    const jmp = defs.find((d) => d.name === 'jmp')!;
    // bpftool: outer's 'values' bits_offset=192, jmp's 'values' bits_offset=192
    expect([outer.valuesOffset, outer.valuesSlotSize, outer.size]).toEqual([24, 8, 48]);
    expect([jmp.valuesOffset, jmp.valuesSlotSize, jmp.valueSize]).toEqual([24, 8, 4]);
    expect(outer.inner?.name).toBe('outer.inner');
    expect(defs.find((d) => d.name === 'hashmap')!.offset).toBe(152);
  });

  it('errors name the map', () => {
    const btf = parseBtf(golden('types.btf'));
    expect(() => btfMapDefinitions(btf, '.nomaps')).toThrow(VmBtfError);
    expect(() => btfMapDefinitions(btf, '.maps', 100)).toThrow(/BTF data is corrupted/);
    try {
      btfMapDefinitions(btf, '.maps', 100);
    } catch (e) {
      expect((e as VmBtfError).code).toBe(ErrorCode.Btf);
      expect((e as VmBtfError).symbol).toBe('outer');
    }
    expect(datasecTypeId(btf, '.bss')).toBe(btf.typeByName('.bss', 'DATASEC')!.id);
  });
});

describe('[loader/btf]: hand-built map definitions (libbpf parse_btf_map_def rules)', () => {
  // ids: 1 int, 2 ARRAY int[N], 3 PTR->2 ; built per case
  function mapBtf(members: { name: string; nelems?: number; raw?: number }[], linkage = 1): Btf {
    const types: Parameters<typeof writeBtf>[0][number][] = [{ kind: 'INT', name: 'int', size: 4, encoding: 1, bitOffset: 0, bits: 32, signed: true, char: false, bool: false }];
    const ms = members.map((m, i) => {
      if (m.raw !== undefined) return { name: m.name, type: m.raw, bitOffset: i * 64, bitfieldSize: 0 };
      types.push({ kind: 'ARRAY', name: '', type: 1, indexType: 1, nelems: m.nelems ?? 0 });
      types.push({ kind: 'PTR', name: '', type: types.length });
      return { name: m.name, type: types.length, bitOffset: i * 64, bitfieldSize: 0 };
    });
    types.push({ kind: 'STRUCT', name: '', size: members.length * 8, kindFlag: false, members: ms });
    const st = types.length;
    types.push({ kind: 'VAR', name: 'm', type: st, linkage });
    types.push({ kind: 'DATASEC', name: '.maps', size: 0, vars: [{ type: st + 1, offset: 0, size: members.length * 8 }] });
    return parseBtf(writeBtf(types));
  }
  it('__uint fields', () => {
    const d = btfMapDefinitions(mapBtf([{ name: 'type', nelems: 2 }, { name: 'max_entries', nelems: 9 }, { name: 'key_size', nelems: 4 }, { name: 'value_size', nelems: 8 }, { name: 'map_extra', nelems: 5 }]), '.maps')[0];
    expect(d).toMatchObject({ name: 'm', type: 2, maxEntries: 9, keySize: 4, valueSize: 8, mapExtra: 5n });
  });
  it.each([
    ['unknown field', [{ name: 'type', nelems: 2 }, { name: 'bogus', nelems: 1 }], /unknown field 'bogus'/],
    ['missing type', [{ name: 'max_entries', nelems: 1 }], /map type isn't specified/],
    ['bad pinning', [{ name: 'type', nelems: 2 }, { name: 'pinning', nelems: 2 }], /invalid pinning value 2/],
    ['not a pointer', [{ name: 'type', raw: 1 }], /expected PTR/],
    ['values on a hash', [{ name: 'type', nelems: 1 }, { name: 'values', nelems: 0 }], /should be map-in-map or prog-array/],
  ] as const)('%s', (_n, members, re) => {
    expect(() => btfMapDefinitions(mapBtf(members as never), '.maps')).toThrow(re);
  });
  it('static linkage is refused like libbpf', () => {
    expect(() => btfMapDefinitions(mapBtf([{ name: 'type', nelems: 2 }], 0), '.maps')).toThrow(/unsupported map linkage static/);
  });
});

describe('[loader/btf]: builtinTargetBtf vs the 6.18 vmlinux (bpftool)', () => {
  const target = builtinTargetBtf();
  const blocks = bpftoolBlocks(goldenText('target.vmlinux.txt'));
  it.each([...blocks.values()].map((l) => [/'([^']+)'/.exec(l[0])![1], l] as const))('%s: size, member names, offsets, bitfields', (name, lines) => {
    const kind = lines[0].split(' ')[1] as 'STRUCT' | 'ENUM';
    const t = target.typeByName(name, kind)!;
    expect(t).toBeDefined();
    // Ids differ (the blob is renumbered): compare with type_id fields blanked.
    const strip = (s: string): string => s.replace(/^\[\d+\]/, '[]').replace(/type_id=\d+/g, 'type_id=_');
    expect(formatLikeBpftool(target, t).map(strip)).toEqual(lines.map(strip));
  });
  it('__sk_buff members resolve to the documented widths (docs/skb-and-helpers.md §1)', () => {
    const skb = target.typeByName('__sk_buff', 'STRUCT')!;
    if (skb.kind !== 'STRUCT') throw new Error('kind');
    const at = (n: string): [number, number] => {
      const m = skb.members.find((x) => x.name === n)!;
      return [m.bitOffset / 8, target.sizeof(m.type)];
    };
    expect(at('mark')).toEqual([8, 4]);
    expect(at('cb')).toEqual([48, 20]);
    expect(at('data')).toEqual([76, 4]);
    expect(at('tstamp')).toEqual([152, 8]);
    expect(at('tstamp_type')).toEqual([180, 1]);
    expect(at('hwtstamp')).toEqual([184, 8]);
  });
});

it('BtfError from loader/btf is the vm/errors class', () => {
  expect(BtfError).toBe(VmBtfError);
});
