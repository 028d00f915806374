/**
 * Hostile BTF: seeded mutations of real .BTF/.BTF.ext blobs and hand-made corrupt headers. The
 * only allowed outcomes are a result or a BtfError (never TypeError/RangeError, never a hang).
 */
import { describe, expect, it } from 'vitest';
import {
  applyCoreRelocations, btfMapDefinitions, builtinTargetBtf, parseBtf, parseBtfExt, writeBtf, type Btf,
} from '../../loader/btf/index.js';
import { BtfError } from '../../vm/errors.js';
import { xorshift32 } from '../fuzz/rng.js';
import { golden } from './btf-goldens.js';

/** xorshift32: deterministic. */
const rng = xorshift32;

function mutate(src: Uint8Array, r: () => number): Uint8Array {
  const b = src.slice();
  switch (r() % 5) {
    case 0: return b.subarray(0, r() % (b.length + 1)); // truncate
    case 1: { // random bytes
      const n = 1 + (r() % 8);
      for (let i = 0; i < n; i++) b[r() % b.length] = r() & 0xff;
      return b;
    }
    case 2: { // a random 32-bit word, aligned (hits ids, offsets, vlen, kinds)
      const at = (r() % (b.length >> 2)) << 2;
      const v = [0, 1, 0xffff, 0xffffffff, 0x7fffffff, r(), r() % 200][r() % 7];
      new DataView(b.buffer).setUint32(at, v >>> 0, true);
      return b;
    }
    case 3: { // header field
      const at = 4 + ((r() % 6) << 2);
      new DataView(b.buffer).setUint32(at, [0, 1, 0xffffffff, r() % 4096, r()][r() % 5] >>> 0, true);
      return b;
    }
    default: { // info word of a type record: kind/vlen/kflag
      const at = 24 + 4 + ((r() % Math.max(1, (b.length - 28) >> 2)) << 2);
      if (at + 4 <= b.length) new DataView(b.buffer).setUint32(at, r() >>> 0, true);
      return b;
    }
  }
}

/** Runs everything a loader would on the parsed blobs. */
function exercise(btfBytes: Uint8Array, extBytes: Uint8Array, insns: Uint8Array): void {
  const btf: Btf = parseBtf(btfBytes);
  for (const t of btf.types) {
    btf.typeName(t.id);
    try { btf.sizeof(t.id); } catch (e) { if (!(e instanceof BtfError)) throw e; }
    try { btf.resolve(t.id); } catch (e) { if (!(e instanceof BtfError)) throw e; }
  }
  try { btfMapDefinitions(btf, '.maps'); } catch (e) { if (!(e instanceof BtfError)) throw e; }
  const ext = parseBtfExt(extBytes, btf);
  for (const [, relos] of ext.coreRelos) applyCoreRelocations(insns.slice(), relos, btf, builtinTargetBtf(), { section: 'tc' });
}

describe('[loader/btf]: fuzz (seeded)', () => {
  const cases = [
    { btf: golden('types.btf'), ext: golden('types.btf.ext'), insns: new Uint8Array(0) },
    { btf: golden('core.btf'), ext: golden('core.btf.ext'), insns: golden('core.tc.bin') },
  ];
  it('the unmutated blobs pass', () => {
    for (const c of cases) expect(() => exercise(c.btf, c.ext, c.insns)).not.toThrow();
  });
  // 3000 mutations in chunks of 100 (one `it` each), one PRNG stream per chunk.
  let errors = 0;
  let ok = 0;
  it.each(Array.from({ length: 30 }, (_, k) => k))('mutations %i×100: a result or a BtfError', (k) => {
    const r = rng(0x5eed + k * 0x9e37);
    for (let i = k * 100; i < (k + 1) * 100; i++) {
      const c = cases[i % cases.length];
      const which = r() % 3;
      const btf = which === 0 || which === 2 ? mutate(c.btf, r) : c.btf;
      const ext = which === 1 || which === 2 ? mutate(c.ext, r) : c.ext;
      try {
        exercise(btf, ext, c.insns);
        ok++;
      } catch (e) {
        if (!(e instanceof BtfError)) throw new Error(`case ${i}: ${String(e)}`, { cause: e });
        errors++;
      }
    }
  });
  it('3000 mutations in all: both outcomes happen', () => {
    expect(errors + ok).toBe(3000);
    expect(errors).toBeGreaterThan(100);
    expect(ok).toBeGreaterThan(100);
  });
});

describe('[loader/btf]: hostile type graphs stay bounded', () => {
  it('a struct whose anonymous members are itself: CO-RE search ends with a BtfError, fast', () => {
    const int = { kind: 'INT', name: 'int', size: 4, encoding: 1, bitOffset: 0, bits: 32, signed: true, char: false, bool: false } as const;
    const self = { kind: 'STRUCT', name: 'foo', size: 8, kindFlag: false, members: [
      { name: '', type: 2, bitOffset: 0, bitfieldSize: 0 }, { name: '', type: 2, bitOffset: 0, bitfieldSize: 0 }, { name: '', type: 2, bitOffset: 0, bitfieldSize: 0 }] } as const;
    const target = parseBtf(writeBtf([int, self]));
    const local = parseBtf(writeBtf([int, { kind: 'STRUCT', name: 'foo', size: 4, kindFlag: false, members: [{ name: 'x', type: 1, bitOffset: 0, bitfieldSize: 0 }] }]));
    const insn = new Uint8Array(8);
    insn[0] = 0x61; // ldxw
    const t0 = Date.now();
    expect(() => applyCoreRelocations(insn, [{ insnOff: 0, typeId: 2, accessStr: '0:0', kind: 0 }], local, target, { section: 't' })).toThrow(BtfError);
    expect(Date.now() - t0).toBeLessThan(5000);
  });
});

describe('[loader/btf]: corrupt headers and records', () => {
  const base = golden('types.btf');
  const withWord = (at: number, v: number, src = base): Uint8Array => {
    const b = src.slice();
    new DataView(b.buffer).setUint32(at, v >>> 0, true);
    return b;
  };
  const err = (f: () => unknown): BtfError => {
    try {
      f();
    } catch (e) {
      if (e instanceof BtfError) return e;
      throw e;
    }
    throw new Error('no error');
  };
  it.each([
    ['empty', new Uint8Array(0), 0],
    ['bad magic', withWord(0, 0x1234), 0],
    ['big-endian magic', (() => { const b = base.slice(); b[0] = 0xeb; b[1] = 0x9f; return b; })(), 0],
    ['hdr_len past the end', withWord(4, 1 << 20), 4],
    ['type_len past the end', withWord(12, 1 << 20), 8],
    ['str_len past the end', withWord(20, 1 << 20), 16],
  ] as const)('%s: BtfError with section and offset', (_n, bytes, offset) => {
    const e = err(() => parseBtf(bytes));
    expect(e.section).toBe('.BTF');
    expect(e.offset).toBe(offset);
  });
  it('type id out of range points at the record', () => {
    // [1] PTR '(anon)' type_id=3: make it 100000
    const e = err(() => parseBtf(withWord(24 + 8, 100000)));
    expect(e.offset).toBe(24);
  });
  it('huge vlen runs past the type section', () => {
    // [13] STRUCT 'inner' vlen=4 → 0xffff. Find its record by scanning for the struct kind.
    const btf = parseBtf(base);
    const inner = btf.typeByName('inner', 'STRUCT')!;
    const info = new DataView(base.buffer, base.byteOffset).getUint32(inner.offset + 4, true);
    const e = err(() => parseBtf(withWord(inner.offset + 4, (info & 0xffff0000) | 0xffff)));
    expect(e.offset).toBe(inner.offset);
  });
  it('a cycle through pointers and typedefs does not hang resolve/sizeof/typeName', () => {
    // [8] TYPEDEF '__u32' type_id=9 → point it at itself
    const btf = parseBtf(base);
    const u32 = btf.typeByName('__u32', 'TYPEDEF')!;
    const cyc = parseBtf(withWord(u32.offset + 8, u32.id));
    expect(() => cyc.resolve(u32.id)).toThrow(BtfError);
    expect(() => cyc.sizeof(u32.id)).toThrow(BtfError);
    expect(cyc.typeName(u32.id)).toBe('__u32');
  });
  it('.BTF.ext: bad record size and out-of-range strings', () => {
    const btf = parseBtf(base);
    const ext = golden('types.btf.ext');
    const dv = new DataView(ext.buffer, ext.byteOffset);
    const hdr = dv.getUint32(4, true);
    const funcOff = dv.getUint32(8, true);
    expect(err(() => parseBtfExt(withWord(hdr + funcOff, 3, ext), btf)).section).toBe('.BTF.ext');
    // first func_info section name offset
    expect(err(() => parseBtfExt(withWord(hdr + funcOff + 4, 0x7fffffff, ext), btf)).offset).toBe(hdr + funcOff + 4);
  });
});
