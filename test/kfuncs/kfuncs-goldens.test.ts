/**
 * kfuncs against the kernel: the records' prototypes against the 6.18 kernel's BTF, the loader's
 * prototype check against libbpf's, and test/goldens/kfuncs (recorded by record.sh with the oracle)
 * replayed through Collection.run on both engines: every result slot, retval and data_out.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Collection } from '../../src/collection.js';
import { KFUNC_IMPLS } from '../../src/kfuncs/index.js';
import { loadCollectionSpec } from '../../loader/index.js';
import { KFUNC_RECORDS, KFUNCS_BY_NAME, kfuncCallRefusal } from '../../vm/kfuncs.js';
import { CallSrc, Op } from '../../vm/isa.js';
import { BpfError, RelocationError } from '../../vm/errors.js';
import { ENGINES } from '../../vm/engine.js';

const dir = new URL('../goldens/kfuncs/', import.meta.url);
const file = (n: string): Uint8Array => new Uint8Array(readFileSync(new URL(n, dir)));
const json = (n: string): any => JSON.parse(readFileSync(new URL(n, dir), 'utf8'));
const frames = (n: string): Uint8Array[] =>
  readFileSync(new URL(n, dir), 'utf8')
    .split('\n')
    .filter((l) => l.trim() && !l.startsWith('#'))
    .map((l) => Uint8Array.from(Buffer.from(l.trim(), 'hex')));
const obj = file('kfuncs.bpf.o');
const hex = (b: Uint8Array | undefined): string => Buffer.from(b ?? []).toString('hex');

describe('kfunc records', () => {
  const kernel = json('kfunc-protos.json');
  it('every record has the prototype of the 6.18 kernel BTF', () => {
    expect(kernel.kernel).toMatch(/^6\.18\./);
    for (const r of KFUNC_RECORDS) expect([r.name, r.proto]).toEqual([r.name, kernel.protos[r.name]]);
  });
  it('the recorded names are exactly the records, ids are unique, every record has one implementation', () => {
    const names = readFileSync(new URL('kfunc-names.txt', dir), 'utf8').split('\n').filter(Boolean);
    expect(KFUNC_RECORDS.map((r) => r.name).sort()).toEqual(names.sort());
    expect(new Set(KFUNC_RECORDS.map((r) => r.id)).size).toBe(KFUNC_RECORDS.length);
    expect(Object.keys(KFUNC_IMPLS).sort()).toEqual(KFUNC_RECORDS.map((r) => r.name).sort());
  });
  it('args and ret agree with the prototype: one arg per parameter, size args point at mem args', () => {
    for (const r of KFUNC_RECORDS) {
      expect([r.name, r.args.length]).toEqual([r.name, r.proto.params.length]);
      r.args.forEach((a, i) => {
        if (a.kind === 'mem') expect([r.name, i, r.args[a.sizeArg]?.kind]).toEqual([r.name, i, 'mem_size']);
        if (a.kind === 'dynptr') expect(r.proto.params[i][1]).toMatch(/struct bpf_dynptr \*$/);
        if (a.kind === 'ctx') expect(r.proto.params[i][1]).toMatch(/^(struct __sk_buff|void) \*$/);
      });
      expect([r.name, r.ret.kind === 'void']).toEqual([r.name, r.proto.ret === 'void']);
    }
  });
});

describe('loader: kfunc calls bound by name, prototypes checked as libbpf does', () => {
  it('binds every kfunc call of kfuncs.bpf.o to src 2 and the record id', () => {
    const spec = loadCollectionSpec(obj);
    const seen = new Set<number>();
    for (const p of spec.programs) {
      const dv = new DataView(p.instructions.buffer, p.instructions.byteOffset, p.instructions.byteLength);
      for (let i = 0; i < p.instructions.length; i += 8) {
        if (p.instructions[i] === Op.CALL && p.instructions[i + 1] >> 4 === CallSrc.BPF_PSEUDO_KFUNC_CALL) seen.add(dv.getInt32(i + 4, true));
      }
    }
    const expected = ['bpf_dynptr_from_skb', 'bpf_dynptr_slice', 'bpf_iter_num_next', 'bpf_rcu_read_lock', 'bpf_rdonly_cast', 'bpf_dynptr_memset'];
    for (const n of expected) expect([n, seen.has(KFUNCS_BY_NAME.get(n)!.id)]).toEqual([n, true]);
  });

  it('refuses an extern whose prototype differs from the kernel (libbpf: EINVAL, func_proto incompatible)', () => {
    const k = json('bad_proto.out.json');
    expect(k.errname).toBe('EINVAL');
    expect(k.libbpf).toMatch(/extern \(func ksym\) 'bpf_dynptr_size': func_proto \[\d+\] incompatible with kernel/);
    let err: unknown;
    try {
      loadCollectionSpec(file('bad_proto.bpf.o'));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(RelocationError);
    expect((err as RelocationError).message).toMatch(/kfunc "bpf_dynptr_size": func_proto \[\d+\] is incompatible .* 2 parameters, the kernel has 1/);
  });

  it('refuses bpf_dynptr_slice_rdwr as the recording kernel does, and runs it when allowed', () => {
    const k = json('refused.out.json');
    expect([k.errname, k.verifier]).toEqual(['EPERM', 'bpf_dynptr_slice_rdwr() is not allowed']);
    const bytes = file('refused.bpf.o');
    expect(() => Collection.load(bytes)).toThrow(/bpf_dynptr_slice_rdwr\(\) is not allowed/);
    const c = Collection.load(bytes, { kernelRefusedKfuncs: 'allow' });
    const f = frames('packets.txt')[0];
    const r = c.run('dynptr_slice_rdwr', f);
    expect(r.fault).toBeUndefined();
    // the program sets the IPv4 TOS byte (frame offset 15) through the writable slice
    const want = Uint8Array.from(f);
    want[15] = 0x10;
    expect(hex(r.dataOut)).toBe(hex(want));
  });

  it.each(ENGINES)('__weak externs and bpf_ksym_exists as libbpf 1.1 and the kernel (%s)', (engine) => {
    const k = json('weak_kfuncs.out.json');
    const c = Collection.load(file('weak.bpf.o'), { objectName: 'weak', engine });
    frames('packets.txt').forEach((f, i) => expect(c.run('weak_kfuncs', f).retval).toBe(k.runs[i].retval));
    expect(c.map('.bss').dumpJson().entries).toEqual(k.maps['weak.bss'].entries);
    // the unknown kfunc's call stays in the code as `call` src 2 imm 0, never reached
    const code = loadCollectionSpec(file('weak.bpf.o')).programs[0].instructions;
    const calls: number[] = [];
    for (let i = 0; i < code.length; i += 8) {
      if (code[i] === Op.CALL && code[i + 1] >> 4 === CallSrc.BPF_PSEUDO_KFUNC_CALL) calls.push(new DataView(code.buffer, code.byteOffset + i + 4, 4).getInt32(0, true));
    }
    expect(calls).toEqual([0, KFUNCS_BY_NAME.get('bpf_dynptr_from_skb')!.id, KFUNCS_BY_NAME.get('bpf_dynptr_size')!.id]);
  });

  it('the verifier refuses an id that is no implemented kfunc', () => {
    expect(kfuncCallRefusal(9999)).toBe('kernel btf_id 9999 is not a function');
    expect(kfuncCallRefusal(KFUNCS_BY_NAME.get('bpf_dynptr_slice')!.id)).toBeUndefined();
    expect(kfuncCallRefusal(0)).toBeUndefined(); // an unresolved __weak kfunc: left to dead-code elimination
  });
});

/** res[] (n s64 slots) of the .bss dump. */
function res(hexValue: string, n = 64): bigint[] {
  const b = Buffer.from(hexValue, 'hex');
  return Array.from({ length: Math.min(n, b.length >> 3) }, (_, i) => b.readBigInt64LE(i * 8));
}

const range = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe.each(ENGINES)('kfunc goldens (%s)', (engine) => {
  const cases: [prog: string, object: string, slots: number[]][] = [
    ['dynptr_skb_cases', 'kfuncs', range(0, 38)],
    ['iter_cases', 'kfuncs', range(40, 48)],
    ['misc_kfuncs', 'kfuncs', [50, 51, 53]],
    ['meta_cases', 'kfuncs2', range(0, 10)],
    ['bits_cases', 'kfuncs2', range(20, 37)],
    ['str_cases', 'kfuncs2', range(40, 83)],
    ['str_long', 'kfuncs2', range(84, 88)],
  ];
  it.each(cases)('%s (%s.bpf.o): every slot, retval and data_out as the kernel', (prog, object, slots) => {
    const k = json(`${prog}.out.json`);
    const c = Collection.load(file(`${object}.bpf.o`), { objectName: object, engine });
    frames('packets.txt').forEach((f, i) => {
      const r = c.run(prog, f);
      expect(r.fault, r.fault?.message).toBeUndefined();
      expect(r.retval).toBe(k.runs[i].retval);
      expect(hex(r.dataOut)).toBe(k.runs[i].data_out);
    });
    const ours = res(c.map('.bss').dumpJson().entries[0][1] as string, 96);
    const kern = res(k.maps[`${object}.bss`].entries[0][1], 96);
    for (const i of slots) expect([i, ours[i]]).toEqual([i, kern[i]]);
  });

  it('misc_kfuncs: bpf_cast_to_kern_ctx gives another pointer than the ctx (documented difference)', () => {
    const k = json('misc_kfuncs.out.json');
    const c = Collection.load(obj, { objectName: 'kfuncs', engine });
    c.run('misc_kfuncs', frames('packets.txt')[0]);
    expect(res(k.maps['kfuncs.bss'].entries[0][1])[52]).toBe(1n); // the kernel returns the same address
    expect(res(c.map('.bss').dumpJson().entries[0][1] as string)[52]).toBe(0n);
  });
});
