/**
 * src/variables.ts: where variables are (loader MapSpec.variables), how values become bytes by
 * BTF type and back, and the typed errors. Objects: progs/globals.bpf.o and progs/globals_cfg.bpf.o
 * (their layout is checked against `llvm-objdump -t` offsets written in the comments); hand-written
 * BTF for the types the corpus has no global of (structs, bitfields, unions, floats, pointers).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadCollectionSpec } from '../loader/index.js';
import { parseBtf } from '../loader/btf/parse.js';
import { writeBtf } from '../loader/btf/writer.js';
import type { VariableSpec } from '../loader/spec.js';
import { ErrorCode } from '../vm/errors.js';
import { loadObject } from '../src/index.js';
import { closeNames, decodeVariable, encodeVariable, parseVariableText, variableLocations, withVariables, type VariableValue } from '../src/variables.js';

const ROOT = new URL('../', import.meta.url).pathname;
const bytesOf = (p: string) => new Uint8Array(readFileSync(`${ROOT}${p}`));
const CFG = bytesOf('progs/globals_cfg.bpf.o');
const GLOBALS = bytesOf('progs/globals.bpf.o');
const codeOf = (f: () => unknown): string | undefined => {
  try {
    f();
  } catch (e) {
    return (e as { code?: string }).code ?? `not a BpfError: ${String(e)}`;
  }
  return undefined;
};

describe('variables of the spec (loader)', () => {
  it('offsets come from the ELF symbols, not the DATASEC zeros clang leaves', () => {
    const spec = loadCollectionSpec(CFG, { programType: 'sched_cls' });
    const rodata = spec.maps.find((m) => m.name === '.rodata')!;
    // llvm-objdump -t progs/globals_cfg.bpf.o
    expect(rodata.variables!.map((v) => [v.name, v.offset, v.size])).toEqual([
      ['cfg_slot', 0, 4],
      ['ENCAP_PORT', 4, 2],
      ['cfg_small', 6, 1],
      ['cfg_enabled', 7, 1],
      ['cfg_mode', 8, 4],
      ['cfg_delta', 16, 8],
      ['cfg_name', 24, 8],
      ['cfg_weights', 32, 16],
    ]);
    expect(spec.maps.find((m) => m.name === '.rodata.config')!.variables!.map((v) => v.name)).toEqual(['cfg_limit']);
  });

  it('static globals and function-local statics are not listed (as in libbpf skeletons)', () => {
    const spec = loadCollectionSpec(GLOBALS, { programType: 'sched_cls' });
    const names = [...variableLocations(spec).keys()].sort();
    expect(names).toEqual(['cfg_mark', 'cfg_tag', 'ctr_ip4', 'ctr_other', 'last_proto', 'last_src', 'port_map', 'seen_bytes', 'seen_packets'].sort());
    // .data: seen_packets @0, seen_bytes @8 (hidden_counter @16 is static)
    expect(spec.maps.find((m) => m.name === '.data')!.variables!.map((v) => [v.name, v.offset])).toEqual([
      ['seen_packets', 0],
      ['seen_bytes', 8],
    ]);
  });

  it('the containers keyed by names have no prototype', () => {
    const spec = loadCollectionSpec(GLOBALS, { programType: 'sched_cls' });
    const locs = variableLocations(spec);
    expect(locs).toBeInstanceOf(Map);
    expect(locs.get('constructor')).toBeUndefined();
    expect(locs.get('__proto__')).toBeUndefined();
  });
});

describe('values by BTF type, before load', () => {
  const spec = loadCollectionSpec(CFG, { programType: 'sched_cls' });
  const rodataOf = (opts: Parameters<typeof withVariables>[1]) => Buffer.from(withVariables(spec, opts).maps.find((m) => m.name === '.rodata')!.initialValue!);

  it('ints of each size and signedness, bool, enum by name and number, s64 as bigint or number', () => {
    const b = rodataOf({ rodata: { cfg_slot: 0xffffffff, ENCAP_PORT: 65535, cfg_small: -128, cfg_enabled: true, cfg_mode: 'MODE_PASS', cfg_delta: -(2n ** 63n) } });
    expect(b.readUInt32LE(0)).toBe(0xffffffff);
    expect(b.readUInt16LE(4)).toBe(65535);
    expect(b.readInt8(6)).toBe(-128);
    expect(b[7]).toBe(1);
    expect(b.readUInt32LE(8)).toBe(0);
    expect(b.readBigInt64LE(16)).toBe(-(2n ** 63n));
    expect(rodataOf({ rodata: { cfg_mode: 2, cfg_delta: -5 } }).readBigInt64LE(16)).toBe(-5n);
    expect(rodataOf({ rodata: { cfg_mode: 2 } }).readUInt32LE(8)).toBe(2);
  });

  it('strings into char arrays (NUL padded, exactly full allowed), JS arrays into int arrays', () => {
    expect(rodataOf({ rodata: { cfg_name: 'ab' } }).subarray(24, 32)).toEqual(Buffer.from('ab\0\0\0\0\0\0', 'latin1'));
    expect(rodataOf({ rodata: { cfg_name: '12345678' } }).subarray(24, 32).toString('latin1')).toBe('12345678');
    const w = rodataOf({ rodata: { cfg_weights: [7, 8, 9, 0xffffffff] } });
    expect([0, 1, 2, 3].map((i) => w.readUInt32LE(32 + 4 * i))).toEqual([7, 8, 9, 0xffffffff]);
  });

  it('raw bytes of the exact size for anything', () => {
    expect(rodataOf({ rodata: { cfg_delta: new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]) } }).subarray(16, 24)).toEqual(Buffer.from([1, 2, 3, 4, 5, 6, 7, 8]));
  });

  it('the other bytes of the section and the input spec are untouched', () => {
    const before = Buffer.from(spec.maps.find((m) => m.name === '.rodata')!.initialValue!);
    const after = rodataOf({ rodata: { ENCAP_PORT: 1 } });
    expect(after.readUInt16LE(4)).toBe(1);
    expect(Buffer.concat([after.subarray(0, 4), after.subarray(6)])).toEqual(Buffer.concat([before.subarray(0, 4), before.subarray(6)]));
    expect(Buffer.from(spec.maps.find((m) => m.name === '.rodata')!.initialValue!)).toEqual(before);
  });

  it.each<[string, Record<string, Record<string, VariableValue>>, string]>([
    ['u16 too big', { rodata: { ENCAP_PORT: 65536 } }, ErrorCode.VariableValue],
    ['u32 negative', { rodata: { cfg_slot: -1 } }, ErrorCode.VariableValue],
    ['s8 too small', { rodata: { cfg_small: -129 } }, ErrorCode.VariableValue],
    ['s64 too big', { rodata: { cfg_delta: 2n ** 63n } }, ErrorCode.VariableValue],
    ['a fraction', { rodata: { cfg_slot: 1.5 } }, ErrorCode.VariableValue],
    ['an unsafe number', { rodata: { cfg_delta: 2 ** 60 } }, ErrorCode.VariableValue],
    ['a string for an int', { rodata: { cfg_slot: '1' } }, ErrorCode.VariableValue],
    ['2 for a bool', { rodata: { cfg_enabled: 2 } }, ErrorCode.VariableValue],
    ['an unknown enumerator', { rodata: { cfg_mode: 'MODE_REDIRECT' } }, ErrorCode.VariableValue],
    ['a too long string', { rodata: { cfg_name: '123456789' } }, ErrorCode.VariableSize],
    ['a short array', { rodata: { cfg_weights: [1, 2, 3] } }, ErrorCode.VariableSize],
    ['wrong raw size', { rodata: { cfg_slot: new Uint8Array(8) } }, ErrorCode.VariableSize],
    ['an unknown name', { rodata: { cfg_slott: 1 } }, ErrorCode.UnknownVariable],
    ['a .data variable under rodata', { rodata: { balance: 1 } }, ErrorCode.UnknownVariable],
    ['a .rodata variable under bss', { bss: { cfg_slot: 1 } }, ErrorCode.UnknownVariable],
    ['the license', { rodata: { LICENSE: 'MIT' } }, ErrorCode.NotGlobalData],
    ['a prototype name', JSON.parse('{"rodata": {"__proto__": 1}}'), ErrorCode.UnknownVariable],
  ])('%s: typed error', (_what, opts, code) => {
    expect(codeOf(() => withVariables(spec, opts))).toBe(code);
    // the library entry point refuses it the same way, before anything is verified
    expect(codeOf(() => loadObject(CFG, opts))).toBe(code);
  });

  it('unknown names list close names; static ones say they are static', () => {
    try {
      withVariables(spec, { rodata: { ENCAP_PROT: 1 } });
      expect.unreachable();
    } catch (e) {
      expect((e as { closeNames: string[] }).closeNames).toContain('ENCAP_PORT');
      expect((e as Error).message).toContain('did you mean ENCAP_PORT');
    }
    const g = loadCollectionSpec(GLOBALS, { programType: 'sched_cls' });
    expect(() => withVariables(g, { data: { hidden_counter: 1 } })).toThrow(/static/);
    expect(closeNames('cfg_mrk', ['cfg_mark', 'cfg_tag', 'seen_packets'])).toEqual(['cfg_mark']);
  });

  it('.bss and named sections are set by their kind', () => {
    const s = withVariables(spec, { bss: { hits: 2n ** 64n - 1n }, rodata: { cfg_limit: 9 } });
    expect(Buffer.from(s.maps.find((m) => m.name === '.bss')!.initialValue!).readBigUInt64LE(0)).toBe(2n ** 64n - 1n);
    expect(Buffer.from(s.maps.find((m) => m.name === '.rodata.config')!.initialValue!).readUInt32LE(0)).toBe(9);
  });
});

describe('values by BTF type, decoding after load', () => {
  it('each variable of globals.bpf.o decodes to its C initialiser', () => {
    const c = loadObject(GLOBALS);
    expect(c.variable('seen_packets').get()).toBe(100);
    expect(c.variable('seen_bytes').get()).toBe(1n << 40n);
    expect(c.variable('cfg_mark').get()).toBe(0x4242);
    // __u8 is unsigned char, not char: an array of numbers
    expect(c.variable('cfg_tag').get()).toEqual([0x74, 0x63, 0x78, 0x21]);
    expect(c.variable('port_map').get()).toEqual([53, 80, 443, 8080]);
    expect(c.variable('ctr_other').get()).toBe(9n);
    expect(c.variable('last_src').get()).toEqual([0, 0, 0, 0, 0, 0]);
    expect(c.variable('cfg_mark').readOnly).toBe(true);
    expect(c.variable('ctr_ip4').section).toBe('.data.counters');
    expect(c.variable('ctr_ip4').kind).toBe('data');
  });

  it('char arrays decode to text, bools to booleans, enums to numbers', () => {
    const c = loadObject(CFG, { rodata: { cfg_name: 'héllo' } });
    expect(c.variable('cfg_name').get()).toBe('héllo');
    expect(c.variable('cfg_enabled').get()).toBe(true);
    expect(c.variable('cfg_mode').get()).toBe(1);
    expect(c.variable('cfg_small').get()).toBe(-3);
    expect(c.variable('cfg_delta').get()).toBe(-5n);
    expect(c.variable('cfg_name').typeName).toBe('const volatile char[8]');
    expect(codeOf(() => c.variable('cfg_nam'))).toBe(ErrorCode.UnknownVariable);
  });

  it('set() writes the typed value in place; raw bytes() reads it back', () => {
    const c = loadObject(GLOBALS);
    c.variable('last_src').set([1, 2, 3, 4, 5, 6]);
    expect(c.variable('last_src').bytes()).toEqual(new Uint8Array([1, 2, 3, 4, 5, 6]));
    c.variable('seen_bytes').set(2n ** 64n - 1n);
    expect(c.map('.data').lookup(new Uint8Array(4))).toEqual(new Uint8Array([100, 0, 0, 0, 0, 0, 0, 0, 255, 255, 255, 255, 255, 255, 255, 255, 3, 0, 0, 0]));
    expect(codeOf(() => c.variable('seen_packets').set(2 ** 32))).toBe(ErrorCode.VariableValue);
    expect(c.variable('seen_packets').get()).toBe(100);
    expect(codeOf(() => c.variable('port_map').set([1, 2, 3, 4]))).toBe(ErrorCode.ReadOnlyVariable);
  });
});

describe('structs, unions, bitfields, floats, pointers (hand-written BTF)', () => {
  // 1 u32, 2 s16, 3 struct pair {u32 a; s16 b:5 (bit 32); u8 c:3 (bit 37); _Bool on:1 (bit 40); u8 pad}, 4 float,
  // 5 ptr to 1, 6 union { u32 w; u8 b[4] }, 7 u8, 8 u8[4], 9 double, 10 _Bool
  const btf = parseBtf(
    writeBtf([
      { kind: 'INT', name: 'u32', size: 4, encoding: 0, bitOffset: 0, bits: 32, signed: false, char: false, bool: false },
      { kind: 'INT', name: 's16', size: 2, encoding: 1, bitOffset: 0, bits: 16, signed: true, char: false, bool: false },
      {
        kind: 'STRUCT',
        name: 'pair',
        size: 8,
        kindFlag: true,
        members: [
          { name: 'a', type: 1, bitOffset: 0, bitfieldSize: 0 },
          { name: 'b', type: 2, bitOffset: 32, bitfieldSize: 5 },
          { name: 'c', type: 7, bitOffset: 37, bitfieldSize: 3 },
          { name: 'on', type: 10, bitOffset: 40, bitfieldSize: 1 },
        ],
      },
      { kind: 'FLOAT', name: 'float', size: 4 },
      { kind: 'PTR', name: '', type: 1 },
      {
        kind: 'UNION',
        name: 'word',
        size: 4,
        kindFlag: false,
        members: [
          { name: 'w', type: 1, bitOffset: 0, bitfieldSize: 0 },
          { name: 'b', type: 8, bitOffset: 0, bitfieldSize: 0 },
        ],
      },
      { kind: 'INT', name: 'u8', size: 1, encoding: 0, bitOffset: 0, bits: 8, signed: false, char: false, bool: false },
      { kind: 'ARRAY', name: '', type: 7, indexType: 1, nelems: 4 },
      { kind: 'FLOAT', name: 'double', size: 8 },
      { kind: 'INT', name: '_Bool', size: 1, encoding: 4, bitOffset: 0, bits: 8, signed: false, char: false, bool: true },
    ]),
  );
  const v = (btfTypeId: number, size: number): VariableSpec => ({ name: 'x', offset: 0, size, btfTypeId });

  it('struct members by name, bitfields packed as C does, members left out keep their bytes', () => {
    const before = new Uint8Array([9, 9, 9, 9, 0, 0, 0xff, 0xff]);
    const out = encodeVariable(btf, v(3, 8), '.data', { a: 0x01020304, b: -3, c: 5, on: true }, before);
    // b = -3 in 5 bits = 0b11101 at bits 32..36, c = 5 = 0b101 at 37..39 → byte 4 = 0b10111101; on at bit 40
    expect([...out]).toEqual([4, 3, 2, 1, 0b10111101, 0x01, 0xff, 0xff]);
    const partial = encodeVariable(btf, v(3, 8), '.data', { c: 0 }, out);
    expect([...partial]).toEqual([4, 3, 2, 1, 0b00011101, 0x01, 0xff, 0xff]);
    const d = decodeVariable(btf, v(3, 8), out) as Record<string, VariableValue>;
    expect(Object.getPrototypeOf(d)).toBeNull();
    expect({ ...d }).toEqual({ a: 0x01020304, b: -3, c: 5, on: true });
    expect(codeOf(() => encodeVariable(btf, v(3, 8), '.data', { c: 8 }, before))).toBe(ErrorCode.VariableValue);
    expect(codeOf(() => encodeVariable(btf, v(3, 8), '.data', { b: -17 }, before))).toBe(ErrorCode.VariableValue);
    expect(codeOf(() => encodeVariable(btf, v(3, 8), '.data', { d: 1 }, before))).toBe(ErrorCode.VariableValue);
    expect(codeOf(() => encodeVariable(btf, v(3, 8), '.data', { constructor: 1 }, before))).toBe(ErrorCode.VariableValue);
  });

  it('unions, floats, doubles and pointers', () => {
    const z = (n: number) => new Uint8Array(n);
    expect([...encodeVariable(btf, v(6, 4), '.bss', { b: [1, 2, 3, 4] }, z(4))]).toEqual([1, 2, 3, 4]);
    expect((decodeVariable(btf, v(6, 4), new Uint8Array([1, 2, 3, 4])) as Record<string, VariableValue>).w).toBe(0x04030201);
    expect(decodeVariable(btf, v(4, 4), encodeVariable(btf, v(4, 4), '.data', 1.5, z(4)))).toBe(1.5);
    expect(decodeVariable(btf, v(9, 8), encodeVariable(btf, v(9, 8), '.data', -0.1, z(8)))).toBe(-0.1);
    expect(decodeVariable(btf, v(5, 8), encodeVariable(btf, v(5, 8), '.data', 0xdeadbeefn, z(8)))).toBe(0xdeadbeefn);
    expect(codeOf(() => encodeVariable(btf, v(4, 4), '.data', 1n, z(4)))).toBe(ErrorCode.VariableValue);
    // a string into an array of u8 is accepted (a C string), decoded back as numbers
    expect(decodeVariable(btf, v(8, 4), encodeVariable(btf, v(8, 4), '.data', 'hi', z(4)))).toEqual([0x68, 0x69, 0, 0]);
  });
});

describe('parseVariableText (tcxlab run --var)', () => {
  it.each<[string, VariableValue | undefined]>([
    ['6080', 6080],
    ['-128', -128],
    ['0x1388', 5000],
    ['-10000000000', -10000000000],
    ['18446744073709551615', 18446744073709551615n],
    ['5n', 5n],
    ['true', true],
    ['false', false],
    ['[1,2,3]', [1, 2, 3]],
    ['"42"', '42'],
    ['hex:0a0b', new Uint8Array([10, 11])],
    ['hex:0a0', undefined],
    ['[1,', undefined],
    ['MODE_DROP', 'MODE_DROP'],
  ])('%s', (text, value) => {
    expect(parseVariableText(text)).toEqual(value);
  });
});
