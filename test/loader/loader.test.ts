/**
 * @fileoverview loadCollectionSpec behaviour: map definitions and global data against the C
 * sources of the fixtures (test/goldens/loader/*.bpf.c), program types from libbpf's table,
 * determinism, and every documented rejection with its error class and code.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BpfError, ElfError, ErrorCode, RelocationError, UnknownSectionError } from '../../vm/errors.js';
import { loadCollectionSpec, programTypeForSection, resolveProgramType, SafeElfFile } from '../../loader/index.js';
import { GOLDENS, goldenObjects, loadOptions, objectPath, readBytes, recordedHashes, sha256 } from './goldens.js';

const fixture = (name: string): Uint8Array => readBytes(objectPath(name));
const u32 = (b: Uint8Array): number => new DataView(b.buffer, b.byteOffset, 4).getUint32(0, true);

function catchErr(f: () => unknown): unknown {
  try {
    f();
  } catch (e) {
    return e;
  }
  throw new Error('expected an error');
}

describe('[loader/sections]: libbpf section names', () => {
  it.each([
    ['tc', 3, undefined],
    ['classifier', 3, undefined],
    ['action', 4, undefined],
    ['tc/ingress', 3, 46],
    ['tc/egress', 3, 47],
    ['tcx/ingress', 3, 46],
    ['tcx/egress', 3, 47],
    ['netkit/primary', 3, 54],
    ['netkit/peer', 3, 55],
    ['xdp', 6, 37],
    ['xdp.frags', 6, 37],
    ['xdp/devmap', 6, 33],
    ['socket', 1, undefined],
    ['kprobe/foo', 2, undefined],
    ['kprobe', 2, undefined],
    ['cgroup_skb/ingress', 8, 0],
    ['sk_lookup', 30, 36],
  ] as const)('%s -> prog type %i, attach %s', (name, type, attach) => {
    const r = programTypeForSection(name)!;
    expect(r.type.id).toBe(type);
    expect(r.attachType?.id).toBe(attach);
  });
  it.each(['tcx', 'tc/ingress2x', 'classifier/foo', 'kprobex', 'from-netdev', '2/0', ''])('%j is unknown', (name) => {
    // libbpf: exact names match exactly, "x+" needs "x" or "x/...", "x/" needs the prefix.
    expect(programTypeForSection(name)).toBeUndefined();
  });
  it('resolves caller-given types like bpftool', () => {
    expect(resolveProgramType('classifier').type.id).toBe(3);
    expect(resolveProgramType('sched_cls').type.name).toBe('BPF_PROG_TYPE_SCHED_CLS');
    expect(resolveProgramType('BPF_PROG_TYPE_SCHED_ACT').type.id).toBe(4);
    expect(resolveProgramType(6).type.name).toBe('BPF_PROG_TYPE_XDP');
    expect(catchErr(() => resolveProgramType('nonsense'))).toBeInstanceOf(ElfError);
  });
});

describe('[loader]: legacy struct bpf_map_def (legacy.bpf.c)', () => {
  const spec = loadCollectionSpec(fixture('legacy'));
  it('reads the map definitions', () => {
    expect(spec.maps.map((m) => [m.name, m.type.id, m.keySize, m.valueSize, m.maxEntries, m.flags, m.source])).toEqual([
      ['lcounts', 2, 4, 8, 2, 0, 'legacy'],
      // perf event array without key/value sizes gets 4/4 (libbpf)
      ['lperf', 4, 4, 4, 4, 0, 'legacy'],
    ]);
  });
  it('reads license and version', () => {
    expect(spec.license).toBe('GPL');
    expect(spec.kernelVersion).toBe(0x060600);
  });
  it('program type from the section name', () => {
    expect(spec.programs.map((p) => [p.name, p.section, p.type.name, p.attachType])).toEqual([
      ['cls', 'classifier', 'BPF_PROG_TYPE_SCHED_CLS', undefined],
    ]);
  });
});

describe('[loader]: iproute2 struct bpf_elf_map and ID/KEY sections (iproute2.bpf.c)', () => {
  it('needs a program type for the "ingress" section', () => {
    const e = catchErr(() => loadCollectionSpec(fixture('iproute2')));
    expect(e).toBeInstanceOf(UnknownSectionError);
    expect((e as UnknownSectionError).code).toBe(ErrorCode.UnknownSection);
    expect((e as UnknownSectionError).section).toBe('ingress');
  });
  const spec = loadCollectionSpec(fixture('iproute2'), { programType: 'classifier' });
  const byName = new Map(spec.maps.map((m, i) => [m.name, { m, i }]));
  it('reads id, pinning, inner_id, inner_idx', () => {
    const jmp = byName.get('jmp_tc')!.m;
    expect([jmp.type.id, jmp.keySize, jmp.valueSize, jmp.maxEntries, jmp.pinning, jmp.iproute2Id, jmp.source]).toEqual([3, 4, 4, 4, 2, 2, 'iproute2']);
    const outer = byName.get('outer')!.m;
    expect(outer.type.id).toBe(12);
    expect(outer.innerMap?.name).toBe('inner');
    // inner (id 7, inner_idx 1) goes into outer at key 1
    expect(outer.contents?.map(([k, v]) => [u32(k), u32(v)])).toEqual([[1, byName.get('inner')!.i]]);
  });
  it('pre-fills prog array id 2 from sections "2/0" and "2/3"', () => {
    const jmp = byName.get('jmp_tc')!.m;
    const progIdx = (n: string) => spec.programs.findIndex((p) => p.name === n);
    expect(jmp.contents?.map(([k, v]) => [u32(k), u32(v)])).toEqual([
      [0, progIdx('slot0')],
      [3, progIdx('slot3')],
    ]);
  });
  it('every program gets the given type', () => {
    expect(new Set(spec.programs.map((p) => p.type.id))).toEqual(new Set([3]));
  });
});

describe('[loader]: progs/iproute2_maps.bpf.c (iproute2 tail-call sections without programType)', () => {
  const spec = loadCollectionSpec(fixture('progs/iproute2_maps'));
  const mapIdx = (n: string) => spec.maps.findIndex((m) => m.name === n);
  const progIdx = (n: string) => spec.programs.findIndex((p) => p.name === n);
  it('maps as declared', () => {
    expect(spec.maps.map((m) => [m.name, m.type.id, m.keySize, m.valueSize, m.maxEntries, m.pinning, m.iproute2Id])).toEqual([
      ['ipr_jmp', 3, 4, 4, 2, 2, 2],
      ['ipr_stats', 2, 4, 8, 4, 1, 1],
      ['ipr_inner', 2, 4, 4, 1, 0, 3],
      ['ipr_outer', 12, 4, 4, 1, 0, 4],
    ]);
  });
  it('"2/0" and "2/1" fill ipr_jmp (id 2); ipr_inner (id 3, inner_idx 0) fills ipr_outer', () => {
    const jmp = spec.maps[mapIdx('ipr_jmp')];
    expect(jmp.contents?.map(([k, v]) => [u32(k), u32(v)])).toEqual([
      [0, progIdx('ipr_tail_ip4')],
      [1, progIdx('ipr_tail_other')],
    ]);
    const outer = spec.maps[mapIdx('ipr_outer')];
    expect(outer.innerMap?.name).toBe('ipr_inner');
    expect(outer.contents?.map(([k, v]) => [u32(k), u32(v)])).toEqual([[0, mapIdx('ipr_inner')]]);
  });
  it('ID/KEY programs are sched_cls', () => {
    expect(spec.programs.map((p) => [p.name, p.type.id])).toEqual([
      ['ipr_tail_ip4', 3],
      ['ipr_tail_other', 3],
      ['ipr_main', 3],
    ]);
  });
});

describe('[loader]: progs/invalid_section.bpf.c', () => {
  it('rejects "xyzzy/ingress" with E_UNKNOWN_SECTION', () => {
    const e = catchErr(() => loadCollectionSpec(fixture('progs/invalid_section'))) as UnknownSectionError;
    expect(e).toBeInstanceOf(UnknownSectionError);
    expect(e.section).toBe('xyzzy/ingress');
  });
  it('with programType the unknown section takes it, known ones keep theirs', () => {
    const spec = loadCollectionSpec(fixture('progs/invalid_section'), { programType: 'sched_act' });
    const t = Object.fromEntries(spec.programs.map((p) => [p.name, p.type.name]));
    expect(t.invalid_unknown).toBe('BPF_PROG_TYPE_SCHED_ACT');
    expect(t.invalid_neighbour_ok).toBe('BPF_PROG_TYPE_SCHED_CLS');
  });
});

describe('[loader]: global data with BTF (progs/globals.bpf.c)', () => {
  const spec = loadCollectionSpec(fixture('progs/globals'));
  const m = (n: string) => spec.maps.find((x) => x.name === n)!;
  const dv = (n: string) => new DataView(m(n).initialValue!.buffer, m(n).initialValue!.byteOffset);
  it('every data section is a map, in section order', () => {
    expect(spec.maps.map((x) => x.name)).toEqual(['.data', '.rodata', '.data.counters', '.rodata.tables', '.bss', '.rodata.str1.1']);
  });
  it('custom sections hold their initialisers', () => {
    expect([dv('.data.counters').getBigUint64(0, true), dv('.data.counters').getBigUint64(8, true)]).toEqual([7n, 9n]); // ctr_ip4, ctr_other
    expect([0, 2, 4, 6].map((o) => dv('.rodata.tables').getUint16(o, true))).toEqual([53, 80, 443, 8080]); // port_map
    expect(m('.rodata.tables').readOnly).toBe(true);
    expect(m('.data.counters').readOnly).toBeUndefined();
  });
  it('.data starts with seen_packets = 100, .bss is zeros of its size', () => {
    expect(dv('.data').getUint32(0, true)).toBe(100);
    expect(m('.bss').initialValue).toEqual(new Uint8Array(m('.bss').valueSize));
  });
  it('string literals (.rodata.str1.1) are a read-only map holding "TCXLAB"', () => {
    const str = m('.rodata.str1.1');
    expect(str.readOnly).toBe(true);
    expect(Buffer.from(str.initialValue!).toString('latin1')).toContain('TCXLAB\0');
  });
});

describe('[loader]: global data without BTF (nobtf.bpf.c)', () => {
  const spec = loadCollectionSpec(fixture('nobtf'));
  const m = (n: string) => spec.maps.find((x) => x.name === n)!;
  it('makes one single-entry array per data section', () => {
    expect(spec.maps.map((x) => x.name)).toEqual(['.data', '.rodata', '.data.custom', '.bss']);
    for (const x of spec.maps) expect([x.type.id, x.keySize, x.maxEntries, x.source]).toEqual([2, 4, 1, 'data']);
  });
  it('initial values come from the source initialisers', () => {
    expect(u32(m('.data').initialValue!)).toBe(7); // int gdata = 7
    expect(u32(m('.rodata').initialValue!)).toBe(3); // const volatile int cfg = 3
    // the bpf_printk format string lands in .rodata after cfg
    expect(Buffer.from(m('.rodata').initialValue!.subarray(4)).toString('latin1')).toBe('hello %d\0');
    expect(m('.bss').initialValue).toEqual(new Uint8Array(4)); // int zeroed
    expect(m('.data.custom').initialValue).toEqual(new Uint8Array(8)); // static char buf[8]
  });
  it('.rodata is read-only for programs', () => {
    expect(m('.rodata').readOnly).toBe(true);
    expect(m('.rodata').flags).toBe(1 << 7); // BPF_F_RDONLY_PROG
    expect(m('.data').readOnly).toBeUndefined();
  });
  it('static entry programs are accepted and flagged', () => {
    const p = spec.programs.find((x) => x.name === 'static_entry')!;
    expect(p.isStatic).toBe(true);
    expect(p.attachType?.name).toBe('BPF_TCX_INGRESS');
    expect(p.subprograms.map((s) => s.name)).toEqual(['local_in_sec']);
  });
  it('main_prog links cb, helper_global and helper_static once each', () => {
    const p = spec.programs.find((x) => x.name === 'main_prog')!;
    expect(p.subprograms.map((s) => s.name).sort()).toEqual(['cb', 'helper_global', 'helper_static']);
  });
});

describe('[loader]: determinism', () => {
  it.each(goldenObjects().filter((o) => o.name !== 'progs/invalid_section'))('$name: same bytes, deeply equal spec', ({ name, object }) => {
    const opts = loadOptions(name);
    const a = loadCollectionSpec(readBytes(object), opts);
    const b = loadCollectionSpec(readBytes(object), opts);
    expect(a).toEqual(b);
    expect(a.programs.length).toBeGreaterThan(0);
  });
});

describe('[loader]: rejections', () => {
  it('a kfunc we do not implement: the object loads, the program lists it as unsupported', () => {
    const spec = loadCollectionSpec(fixture('kfunc'));
    // slot 1 is the call (objdump: "85 10 00 00 ff ff ff ff" + R_BPF_64_32 bpf_some_kfunc)
    expect(spec.programs[0].unsupported).toEqual([{ kind: 'kfunc', name: 'bpf_some_kfunc', insn: 1 }]);
    expect(spec.programs[0].instructions[9] >> 4).toBe(2);
  });
  it('a kfunc the caller supplies: call src 2 with its id', () => {
    const spec = loadCollectionSpec(fixture('kfunc'), { kfuncs: new Map([['bpf_some_kfunc', 42]]) });
    const insns = spec.programs[0].instructions;
    // slot 1 is the call (objdump: "85 10 00 00 ff ff ff ff" + R_BPF_64_32 bpf_some_kfunc)
    expect(insns[8]).toBe(0x85);
    expect(insns[9] >> 4).toBe(2);
    expect(new DataView(insns.buffer).getInt32(12, true)).toBe(42);
  });
  it('an unknown section without programType: E_UNKNOWN_SECTION; with it: loads', () => {
    const e = catchErr(() => loadCollectionSpec(fixture('unknown_section')));
    expect((e as BpfError).code).toBe('E_UNKNOWN_SECTION');
    const spec = loadCollectionSpec(fixture('unknown_section'), { programType: 'classifier' });
    expect(spec.programs[0].type.id).toBe(3);
    expect(spec.programs[0].section).toBe('from-netdev');
  });
  it('a relocation whose symbol index is out of range: ElfError with the section', () => {
    const b = fixture('nobtf');
    const dv = new DataView(b.buffer);
    const shoff = Number(dv.getBigUint64(40, true));
    const shnum = dv.getUint16(60, true);
    for (let i = 0; i < shnum; i++) {
      const h = shoff + i * 64;
      if (dv.getUint32(h + 4, true) !== 9) continue; // SHT_REL
      const off = Number(dv.getBigUint64(h + 24, true));
      dv.setUint32(off + 12, 0xfffff, true); // r_info high half: symbol index
      break;
    }
    const e = catchErr(() => loadCollectionSpec(b));
    expect(e).toBeInstanceOf(ElfError);
    expect((e as ElfError).section).toMatch(/^\.rel/);
    expect((e as ElfError).offset).toBe(0);
  });
  it('a relocation at an offset past its section: RelocationError with section and offset', () => {
    const b = fixture('nobtf');
    const dv = new DataView(b.buffer);
    const shoff = Number(dv.getBigUint64(40, true));
    const shnum = dv.getUint16(60, true);
    for (let i = 0; i < shnum; i++) {
      const h = shoff + i * 64;
      if (dv.getUint32(h + 4, true) !== 9) continue;
      const off = Number(dv.getBigUint64(h + 24, true));
      dv.setUint32(off, 0x10000, true); // r_offset
      break;
    }
    const e = catchErr(() => loadCollectionSpec(b));
    expect(e).toBeInstanceOf(RelocationError);
    expect((e as RelocationError).offset).toBe(0x10000);
    expect((e as RelocationError).section).toBeDefined();
  });
  it('an R_BPF_64_64 on a non-lddw instruction: RelocationError', () => {
    const b = fixture('nobtf');
    // nobtf: .text slot 0 is an lddw relocated against cfg; turn it into a mov
    const dv = new DataView(b.buffer);
    const shoff = Number(dv.getBigUint64(40, true));
    const textOff = Number(dv.getBigUint64(shoff + 2 * 64 + 24, true));
    b[textOff] = 0xb7;
    const e = catchErr(() => loadCollectionSpec(b));
    expect(e).toBeInstanceOf(RelocationError);
    expect((e as RelocationError).section).toBe('.text');
  });
  it('a .bss larger than the global data budget: ElfError naming it (no allocation)', () => {
    const b = fixture('nobtf');
    const dv = new DataView(b.buffer);
    const shoff = Number(dv.getBigUint64(40, true));
    const shnum = dv.getUint16(60, true);
    for (let i = 0; i < shnum; i++) {
      const h = shoff + i * 64;
      if (dv.getUint32(h + 4, true) === 8) dv.setBigUint64(h + 32, 1n << 40n, true); // SHT_NOBITS sh_size = 1 TiB
    }
    const e = catchErr(() => loadCollectionSpec(b)) as ElfError;
    expect(e).toBeInstanceOf(ElfError);
    expect(e.section).toBe('.bss');
  });
  it('names with quotes and code stay data', () => {
    const b = fixture('unknown_section');
    const name = 'from-netdev';
    const evil = Buffer.from(`"};x(`.padEnd(name.length, ')'));
    for (let at = Buffer.from(b).indexOf(`${name}\0`); at >= 0; at = Buffer.from(b).indexOf(`${name}\0`, at + 1)) b.set(evil, at);
    const e = catchErr(() => loadCollectionSpec(b)) as UnknownSectionError;
    expect(e).toBeInstanceOf(UnknownSectionError);
    expect(e.section).toBe(evil.toString('latin1'));
    expect(e.message).toContain(JSON.stringify(e.section));
  });
  it('not an ELF file at all', () => {
    expect(catchErr(() => loadCollectionSpec(new TextEncoder().encode('#!/bin/sh\necho hi\n')))).toBeInstanceOf(ElfError);
  });
});

describe('[loader]: CO-RE target option (progs/core.bpf.c)', () => {
  it('uses opts.btf as the target: bad target bytes are a BtfError, no option uses the built-in target', () => {
    const bytes = fixture('progs/core');
    const e = catchErr(() => loadCollectionSpec(bytes, { btf: new Uint8Array([1, 2, 3, 4]) }));
    expect((e as BpfError).code).toBe(ErrorCode.Btf);
    const spec = loadCollectionSpec(bytes);
    // CO-RE changed something relative to clang's local offsets (core.bpf.c probes fields 6.18 lacks)
    const elf = SafeElfFile.parse(bytes);
    const code = elf.sectionByName('tcx/ingress')!;
    const changed = spec.programs.some((p) => {
      const s = elf.symbols.find((x) => x.name === p.name && x.shndx === code.index)!;
      return !Buffer.from(p.instructions.subarray(0, s.size)).equals(Buffer.from(code.data.subarray(s.value, s.value + s.size)));
    });
    expect(changed).toBe(true);
  });
});

describe('[loader]: the corpus goldens describe the committed progs/ objects', () => {
  const recorded = recordedHashes();
  const withGoldens = goldenObjects().filter((o) => o.name.startsWith('progs/'));
  it('every corpus golden has its recorded hash, and every hash its goldens', () => {
    expect(withGoldens.length).toBeGreaterThan(20);
    expect([...recorded.keys()].sort()).toEqual(withGoldens.map((o) => o.name).sort());
  });
  it.each(withGoldens)('$name: progs/ holds the bytes its goldens were recorded from', ({ name, object }) => {
    expect(sha256(object), `${object} changed since its loader goldens were recorded: npm run record-goldens -- loader`).toBe(recorded.get(name));
  });
});

describe('[loader]: the live progs/ corpus', () => {
  const dir = join(import.meta.dirname, '../../progs');
  const objs = readdirSync(dir).filter((f) => f.endsWith('.bpf.o')).sort();
  it('has objects', () => expect(objs.length).toBeGreaterThan(3));
  it.each(objs)('%s loads (negative fixtures invalid_*: a spec or an error of ours)', (f) => {
    const bytes = readBytes(join(dir, f));
    if (!f.startsWith('invalid_')) {
      // Cilium-style test objects load as the test runner loads them (tc/test/... sections, Cilium pinning).
      const spec = loadCollectionSpec(bytes, f.startsWith('trf_') ? { programType: 'sched_cls', pinning: 'none' } : {});
      if (f.startsWith('trf_pass')) expect(() => loadCollectionSpec(bytes, { programType: 'sched_cls' })).toThrow(/invalid pinning value 16/);
      expect(spec.programs.length).toBeGreaterThan(0);
      expect(spec.license).not.toBe('');
      return;
    }
    try {
      loadCollectionSpec(bytes);
    } catch (e) {
      expect(e).toBeInstanceOf(BpfError);
    }
  });
});

describe('[loader]: a 1000-deep call chain (stress/deepcalls.bpf.c)', () => {
  it('appends f0..f999 in chain order and every call lands on the next function', () => {
    const t0 = performance.now();
    const spec = loadCollectionSpec(readBytes(join(GOLDENS, 'stress', 'deepcalls.bpf.o')));
    const elapsed = performance.now() - t0;
    const p = spec.programs[0];
    expect(p.name).toBe('deep');
    expect(p.subprograms.map((s) => s.name)).toEqual(Array.from({ length: 1000 }, (_, i) => `f${i}`));
    const starts = [0, ...p.subprograms.map((s) => s.insn)];
    const dv = new DataView(p.instructions.buffer);
    const calls: number[] = [];
    for (let j = 0; j < p.instructions.length / 8; j++) {
      if (p.instructions[j * 8] === 0x85 && p.instructions[j * 8 + 1] >> 4 === 1) calls.push(j + 1 + dv.getInt32(j * 8 + 4, true));
    }
    // deep calls f0, f0 calls f1, ..., f998 calls f999 (f999 calls nothing)
    expect(calls).toEqual(starts.slice(1));
    expect(elapsed).toBeLessThan(1000);
  });
});
