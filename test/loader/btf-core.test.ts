/**
 * CO-RE: loader/btf/core.ts against libbpf. core.bpf.o was loaded into the 6.18 kernel by libbpf
 * 1.1 (test/goldens/btf/build.sh, libbpf-record.c); its debug log lists every decision
 * ("relo #N: patched insn #I (ALU/ALU64) imm A -> B", "... substituting insn #I w/ invalid insn").
 * We apply the same records against builtinTargetBtf() and must print the same lines and leave the
 * instructions in the state those lines describe.
 */
import { describe, expect, it } from 'vitest';
import {
  BPF_CORE, CORE_POISON_HELPER_ID, CoreRelocationError, applyCore, applyCoreRelocations, builtinTargetBtf, builtinTargetBtfBytes, essentialNameLength,
  parseBtf, parseBtfExt, writeBtf, type Btf, type CoreRelo,
} from '../../loader/btf/index.js';
import { BtfError, ErrorCode } from '../../vm/errors.js';
import { Op } from '../../vm/isa.js';
import { golden, libbpfLog } from './btf-goldens.js';

const local = parseBtf(golden('core.btf'));
const ext = parseBtfExt(golden('core.btf.ext'), local);
const relos = ext.coreRelos.get('tc')!;
const decisions = libbpfLog('core.libbpf.txt').filter((l) => / relo #\d+: (patched|substituting)/.test(l));

describe('[loader/btf/core]: core.bpf.o vs libbpf loading it on 6.18', () => {
  it('same decisions, in the same order, as libbpf', () => {
    const insns = golden('core.tc.bin');
    const log: string[] = [];
    applyCoreRelocations(insns, relos, local, builtinTargetBtf(), { section: 'tc', prog: 'core_prog', log });
    expect(decisions.length).toBeGreaterThan(30);
    expect(log.filter((l) => /(patched|substituting)/.test(l))).toEqual(decisions);
  });

  it('the instructions hold the values libbpf reported', () => {
    const before = golden('core.tc.bin');
    const insns = golden('core.tc.bin');
    applyCoreRelocations(insns, relos, local, builtinTargetBtf(), { section: 'tc' });
    const dv = new DataView(insns.buffer, insns.byteOffset, insns.byteLength);
    const bdv = new DataView(before.buffer, before.byteOffset, before.byteLength);
    let checked = 0;
    for (const l of decisions) {
      let m = /patched insn #(\d+) \(ALU\/ALU64\) imm (\d+) -> (\d+)/.exec(l);
      if (m) {
        expect(bdv.getUint32(+m[1] * 8 + 4, true)).toBe(Number(m[2]));
        expect(dv.getUint32(+m[1] * 8 + 4, true)).toBe(Number(m[3]));
        checked++;
        continue;
      }
      m = /patched insn #(\d+) \(LDX\/ST\/STX\) off (\d+) -> (\d+)/.exec(l);
      if (m) {
        expect(dv.getInt16(+m[1] * 8 + 2, true)).toBe(Number(m[3]));
        checked++;
        continue;
      }
      m = /patched insn #(\d+) \(LDX\/ST\/STX\) mem_sz (\d+) -> (\d+)/.exec(l);
      if (m) {
        const size = { 1: 0x10, 2: 0x08, 4: 0x00, 8: 0x18 }[Number(m[3]) as 1 | 2 | 4 | 8];
        expect(dv.getUint8(+m[1] * 8) & 0x18).toBe(size);
        checked++;
        continue;
      }
      m = /patched insn #(\d+) \(LDIMM64\) imm64 (\d+) -> (\d+)/.exec(l);
      if (m) {
        const i = +m[1] * 8;
        expect((BigInt(dv.getUint32(i + 12, true)) << 32n) | BigInt(dv.getUint32(i + 4, true))).toBe(BigInt(m[3]));
        checked++;
        continue;
      }
      m = /substituting insn #(\d+) w\/ invalid insn/.exec(l);
      if (m) {
        const i = +m[1] * 8;
        expect([dv.getUint8(i), dv.getUint8(i + 1), dv.getInt16(i + 2, true), dv.getUint32(i + 4, true)]).toEqual([Op.CALL, 0, 0, CORE_POISON_HELPER_ID]);
        checked++;
        continue;
      }
      throw new Error(`unparsed libbpf line: ${l}`);
    }
    expect(checked).toBe(decisions.length);
    // Nothing else changed.
    const touched = new Set(decisions.flatMap((l) => {
      const i = Number(/insn #(\d+)/.exec(l)![1]);
      return l.includes('(LDIMM64)') ? [i, i + 1] : [i]; // an ldimm64's upper half is in the next slot
    }));
    for (let i = 0; i < insns.length / 8; i++) {
      if (!touched.has(i)) expect(insns.subarray(i * 8, i * 8 + 8)).toEqual(before.subarray(i * 8, i * 8 + 8));
    }
  });

  it('applyCore (loader entry point) uses the built-in target, or a given vmlinux BTF', () => {
    const a = golden('core.tc.bin');
    const b = golden('core.tc.bin');
    applyCore(local, ext, 'tc', a);
    applyCore(local, ext, 'tc', b, builtinTargetBtfBytes());
    expect(a).toEqual(b);
    expect(a).not.toEqual(golden('core.tc.bin'));
  });
});

describe('[loader/btf/core]: rules', () => {
  it('essential names drop the last ___flavor (libbpf bpf_core_essential_name_len)', () => {
    expect(essentialNameLength('__sk_buff___old')).toBe('__sk_buff'.length);
    expect(essentialNameLength('task_struct___a___b')).toBe('task_struct___a'.length);
    expect(essentialNameLength('a____b')).toBe('a____b'.length);
    expect(essentialNameLength('___x')).toBe(4);
  });

  /** local BTF: 1 int, 2 struct s___v { int a; int b; }, 3 enum e___v { X = 5 }. */
  function tiny(): Btf {
    return parseBtf(writeBtf([
      { kind: 'INT', name: 'int', size: 4, encoding: 1, bitOffset: 0, bits: 32, signed: true, char: false, bool: false },
      { kind: 'STRUCT', name: 'bpf_sock___v', size: 8, kindFlag: false, members: [
        { name: 'family', type: 1, bitOffset: 0, bitfieldSize: 0 }, { name: 'nope', type: 1, bitOffset: 32, bitfieldSize: 0 }] },
      { kind: 'ENUM', name: 'bpf_adj_room_mode___v', size: 4, signed: false, values: [{ name: 'BPF_ADJ_ROOM_MAC', value: 9n }] },
    ]));
  }
  const insn = (op: number, off: number, imm: number): Uint8Array => {
    const b = new Uint8Array(8);
    const dv = new DataView(b.buffer);
    dv.setUint8(0, op);
    dv.setInt16(2, off, true);
    dv.setInt32(4, imm, true);
    return b;
  };
  const reloc = (kind: number, typeId: number, accessStr: string): CoreRelo => ({ insnOff: 0, typeId, accessStr, kind: kind as CoreRelo['kind'] });

  it('TYPE_ID_TARGET gives the target id; TYPE_SIZE of a missing type is 0 (no poison)', () => {
    const btf = tiny();
    const target = builtinTargetBtf();
    const i1 = insn(Op.MOV64_IMM, 0, 2);
    applyCoreRelocations(i1, [reloc(BPF_CORE.TYPE_ID_TARGET, 2, '0')], btf, target, { section: 't' });
    expect(new DataView(i1.buffer).getInt32(4, true)).toBe(target.typeByName('bpf_sock', 'STRUCT')!.id);
    const empty = parseBtf(writeBtf([{ kind: 'INT', name: 'int', size: 4, encoding: 0, bitOffset: 0, bits: 32, signed: false, char: false, bool: false }]));
    const i2 = insn(Op.MOV64_IMM, 0, 8);
    applyCoreRelocations(i2, [reloc(BPF_CORE.TYPE_SIZE, 2, '0')], btf, empty, { section: 't' });
    expect(new DataView(i2.buffer).getInt32(4, true)).toBe(0);
  });

  it('a missing field read is poisoned; the existence check gives 0', () => {
    const btf = tiny();
    const ldx = insn(Op.LDXW, 4, 0);
    applyCoreRelocations(ldx, [reloc(BPF_CORE.FIELD_BYTE_OFFSET, 2, '0:1')], btf, builtinTargetBtf(), { section: 't' });
    expect([ldx[0], new DataView(ldx.buffer).getUint32(4, true)]).toEqual([Op.CALL, CORE_POISON_HELPER_ID]);
    const ex = insn(Op.MOV64_IMM, 0, 1);
    applyCoreRelocations(ex, [reloc(BPF_CORE.FIELD_EXISTS, 2, '0:1')], btf, builtinTargetBtf(), { section: 't' });
    expect(new DataView(ex.buffer).getInt32(4, true)).toBe(0);
    const fam = insn(Op.LDXW, 0, 0);
    applyCoreRelocations(fam, [reloc(BPF_CORE.FIELD_BYTE_OFFSET, 2, '0:0')], btf, builtinTargetBtf(), { section: 't' });
    expect(new DataView(fam.buffer).getInt16(2, true)).toBe(4); // bpf_sock.family @4 (docs/skb-and-helpers.md §1)
  });

  it('an instruction that does not hold the local value is refused (libbpf validation)', () => {
    const btf = tiny();
    const ldx = insn(Op.LDXW, 12, 0);
    expect(() => applyCoreRelocations(ldx, [reloc(BPF_CORE.FIELD_BYTE_OFFSET, 2, '0:0')], btf, builtinTargetBtf(), { section: 't' })).toThrow(BtfError);
  });

  it('refusals carry code E_CORE, the section and the instruction offset', () => {
    const btf = tiny();
    const ldx = insn(Op.LDXW, 12, 0);
    ldx.set(ldx, 0);
    const all = new Uint8Array(16);
    all.set(ldx, 8);
    try {
      applyCoreRelocations(all, [{ ...reloc(BPF_CORE.FIELD_BYTE_OFFSET, 2, '0:0'), insnOff: 8 }], btf, builtinTargetBtf(), { section: 'tc' });
      throw new Error('no error');
    } catch (e) {
      expect(e).toBeInstanceOf(CoreRelocationError);
      expect(e).toBeInstanceOf(BtfError);
      expect((e as CoreRelocationError).code).toBe(ErrorCode.Core);
      expect([(e as CoreRelocationError).section, (e as CoreRelocationError).offset]).toEqual(['tc', 8]);
    }
  });

  it('bad records are BtfErrors', () => {
    const btf = tiny();
    const t = builtinTargetBtf();
    const i = (): Uint8Array => insn(Op.MOV64_IMM, 0, 0);
    expect(() => applyCoreRelocations(i(), [reloc(BPF_CORE.FIELD_BYTE_OFFSET, 2, '0:7')], btf, t, { section: 't' })).toThrow(BtfError);
    expect(() => applyCoreRelocations(i(), [reloc(BPF_CORE.FIELD_BYTE_OFFSET, 2, 'x')], btf, t, { section: 't' })).toThrow(BtfError);
    expect(() => applyCoreRelocations(i(), [reloc(BPF_CORE.TYPE_SIZE, 2, '0:1')], btf, t, { section: 't' })).toThrow(BtfError);
    expect(() => applyCoreRelocations(i(), [reloc(BPF_CORE.ENUMVAL_VALUE, 3, '3')], btf, t, { section: 't' })).toThrow(BtfError);
    expect(() => applyCoreRelocations(i(), [{ ...reloc(BPF_CORE.TYPE_SIZE, 2, '0'), insnOff: 8 }], btf, t, { section: 't' })).toThrow(BtfError);
    expect(() => applyCoreRelocations(i(), [reloc(BPF_CORE.TYPE_SIZE, 99, '0')], btf, t, { section: 't' })).toThrow(BtfError);
  });

  it('an enum value is taken from the target (lddw)', () => {
    const btf = tiny();
    const b = new Uint8Array(16);
    const dv = new DataView(b.buffer);
    dv.setUint8(0, Op.LDDW);
    dv.setInt32(4, 9, true);
    applyCoreRelocations(b, [reloc(BPF_CORE.ENUMVAL_VALUE, 3, '0')], btf, builtinTargetBtf(), { section: 't' });
    expect(dv.getInt32(4, true)).toBe(1); // BPF_ADJ_ROOM_MAC = 1 in the uapi enum
  });
});

describe('[loader/btf/core]: candidates (libbpf bpf_core_add_cands)', () => {
  const int = { kind: 'INT', name: 'int', size: 4, encoding: 1, bitOffset: 0, bits: 32, signed: true, char: false, bool: false } as const;
  const st = (name: string, off: number) => ({ kind: 'STRUCT', name, size: 8, kindFlag: false, members: [{ name: 'x', type: 1, bitOffset: off * 8, bitfieldSize: 0 }] }) as const;
  const local = parseBtf(writeBtf([int, st('foo___mine', 0)]));
  const relo: CoreRelo = { insnOff: 0, typeId: 2, accessStr: '0:0', kind: BPF_CORE.FIELD_BYTE_OFFSET };
  const ldx = (): Uint8Array => { const b = new Uint8Array(8); b[0] = Op.LDXW; return b; };
  it('a flavored target name is a candidate; other kinds and names are not', () => {
    const target = parseBtf(writeBtf([int, { kind: 'UNION', name: 'foo', size: 8, kindFlag: false, members: [] }, st('foo___v2', 4), st('foobar', 0)]));
    const b = ldx();
    applyCoreRelocations(b, [relo], local, target, { section: 't' });
    expect(new DataView(b.buffer).getInt16(2, true)).toBe(4);
  });
  it('two candidates agreeing is fine; disagreeing is an ambiguity error', () => {
    const same = parseBtf(writeBtf([int, st('foo', 4), st('foo___v2', 4)]));
    const b = ldx();
    applyCoreRelocations(b, [relo], local, same, { section: 't' });
    expect(new DataView(b.buffer).getInt16(2, true)).toBe(4);
    const differ = parseBtf(writeBtf([int, st('foo', 4), st('foo___v2', 0)]));
    expect(() => applyCoreRelocations(ldx(), [relo], local, differ, { section: 't' })).toThrow(/ambiguity/);
  });
});

describe('[loader/btf/core]: cyclic target BTF ends in a BtfError', () => {
  it('typedef cycle', () => {
    const cyclic = parseBtf(writeBtf([
      { kind: 'TYPEDEF', name: 'bpf_sock', type: 2 },
      { kind: 'TYPEDEF', name: 'loop', type: 1 },
    ]));
    expect(() => cyclic.resolve(1)).toThrow(BtfError);
    expect(() => cyclic.sizeof(1)).toThrow(BtfError);
    const btf = parseBtf(writeBtf([
      { kind: 'INT', name: 'int', size: 4, encoding: 1, bitOffset: 0, bits: 32, signed: true, char: false, bool: false },
      { kind: 'TYPEDEF', name: 'bpf_sock', type: 1 },
    ]));
    const i = new Uint8Array(8);
    i[0] = Op.MOV64_IMM;
    expect(() => applyCoreRelocations(i, [{ insnOff: 0, typeId: 2, accessStr: '0', kind: BPF_CORE.TYPE_EXISTS }], btf, cyclic, { section: 't' })).toThrow(BtfError);
  });
});
