/**
 * CO-RE end to end: core.bpf.o loaded by loadCollectionSpec (CO-RE against the built-in target)
 * and run by tcxlab must leave the same `.bss` (out[0..31]: relocated offsets, sizes, existence
 * checks, enum values, ctx fields read through a flavor struct, packet bitfields) and return
 * the same values as the kernel did after libbpf relocated it against vmlinux (oracle run,
 * test/goldens/btf/core.oracle.json, recorded by build.sh).
 */
import { describe, expect, it } from 'vitest';
import { loadCollectionSpec } from '../../loader/index.js';
import { Collection } from '../../src/collection.js';
import { CORE_POISON_HELPER_ID } from '../../loader/btf/index.js';
import { ErrorCode, VerifierError } from '../../vm/errors.js';
import { golden, goldenText } from './btf-goldens.js';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const unhex = (s: string): Uint8Array => new Uint8Array(Buffer.from(s.trim(), 'hex'));

describe('[loader/btf]: core.bpf.o runs like the kernel ran it', () => {
  const oracle = JSON.parse(goldenText('core.oracle.json')) as {
    runs: { line: number; err: number; retval: number; data_out: string }[];
    maps: Record<string, { entries: [string, string][] }>;
  };
  const frames = goldenText('core.packets.txt').split('\n').filter((l) => l.trim() !== '' && !l.startsWith('#')).map(unhex);
  const ctx = unhex(goldenText('core.ctx.hex'));

  it('same retval per packet and the same .bss afterwards', () => {
    const spec = loadCollectionSpec(golden('core.bpf.o'));
    // verify: false because the verifier-lite has no dead-code pruning: it refuses the
    // poisoned (call 0xbad2310) instructions that sit behind bpf_core_*_exists() == 0 branches,
    // which the kernel's verifier never visits.
    const col = new Collection(spec, { objectName: 'core', verify: false });
    expect(frames.length).toBe(oracle.runs.length);
    frames.forEach((frame, i) => {
      const r = col.run('core_prog', frame, { ctxIn: ctx });
      expect(r.fault).toBeUndefined();
      expect(r.err).toBe(0);
      expect(r.retval).toBe(oracle.runs[i].retval);
      expect(hex(r.dataOut!)).toBe(oracle.runs[i].data_out);
    });
    const bss = col.map('core.bss').lookup(new Uint8Array(4)) as Uint8Array;
    const want = oracle.maps['core.bss'].entries[0][1];
    // Compare slot by slot so a failure names the out[] index.
    for (let s = 0; s < 32; s++) expect(`out[${s}]=${hex(bss.subarray(s * 8, s * 8 + 8))}`).toBe(`out[${s}]=${want.slice(s * 16, s * 16 + 16)}`);
  });
});

describe('[loader/btf]: a reachable poisoned instruction', () => {
  const decisions = goldenText('poison.libbpf.txt').split('\n').filter((l) => / relo #\d+: (patched|substituting)/.test(l));
  const spec = loadCollectionSpec(golden('poison.bpf.o'));

  it('is poisoned as libbpf did, and refused at load as the kernel refused it', () => {
    expect(decisions).toEqual(["log: libbpf: prog 'poison_prog': relo #0: substituting insn #0 w/ invalid insn"]);
    expect(goldenText('poison.libbpf.txt')).toMatch(/^load -22$/m); // EINVAL from BPF_PROG_LOAD
    const insns = spec.programs[0].instructions;
    const dv = new DataView(insns.buffer, insns.byteOffset, insns.byteLength);
    expect([dv.getUint8(0), dv.getUint32(4, true)]).toEqual([0x85, CORE_POISON_HELPER_ID]);
    expect(() => new Collection(spec, { objectName: 'poison' })).toThrow(VerifierError);
  });

  it('faults with an unknown-helper error naming 0xbad2310 when run unverified', () => {
    const col = new Collection(spec, { objectName: 'poison', verify: false });
    const r = col.run('poison_prog', unhex(goldenText('core.packets.txt').split('\n')[1]));
    expect(r.fault?.code).toBe(ErrorCode.UnknownHelper);
    expect(r.fault?.message).toContain(String(CORE_POISON_HELPER_ID));
    expect(r.fault?.insnIndex).toBe(0);
  });
});
