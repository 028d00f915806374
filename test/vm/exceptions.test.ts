/**
 * BPF exceptions against the kernel: every tc program of the Linux 6.12 selftest
 * progs/exceptions.c (test/goldens/exceptions: built by build.sh, the 6.18 kernel's retvals
 * recorded by record.sh) is loaded with load-time verification and run on both engines, which
 * must give the kernel's retval. prog_tests/exceptions.c expects the same numbers.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Collection } from '../../src/collection.js';
import { loadCollectionSpec } from '../../loader/index.js';
import { ENGINES } from '../../vm/engine.js';

const dir = new URL('../goldens/exceptions/', import.meta.url);
const obj = new Uint8Array(readFileSync(new URL('../../corpus/exceptions/exceptions.bpf.o', dir)));
const golden = JSON.parse(readFileSync(new URL('exceptions.out.json', dir), 'utf8')) as {
  kernel: string;
  frame: string;
  runs: { programs: { name: string; err: number; retval: number }[] };
};
const frame = Uint8Array.from(Buffer.from(golden.frame, 'hex'));

describe('exceptions.bpf.o: the loader appends the exception callback as libbpf does', () => {
  it('exception_ext_mod_cb_runtime gets exception_cb_mod (and what it calls) after its own code; the others get none', () => {
    const spec = loadCollectionSpec(obj);
    const byName = new Map(spec.programs.map((p) => [p.name, p]));
    expect(byName.get('exception_ext_mod_cb_runtime')!.subprograms.map((s) => s.name)).toEqual(['exception_cb_mod', 'exception_cb_mod_global']);
    expect(byName.get('exception_throw_default')!.subprograms).toEqual([]);
  });
});

describe.each(ENGINES)('exceptions.bpf.o against Linux 6.18 (%s)', (engine) => {
  it('every program loads (verified) and returns the kernel retval on pkt_v4', () => {
    expect(golden.kernel).toMatch(/^6\.18\./);
    const programs = golden.runs.programs;
    expect(programs.length).toBe(39);
    const c = Collection.load(obj, { engine });
    c.setProgArraySlot('jmp_table', 0, 'exception_tail_call_target');
    for (const k of programs) {
      expect(k.err).toBe(0);
      const r = c.run(k.name, frame);
      expect([k.name, r.fault?.message]).toEqual([k.name, undefined]);
      expect([k.name, r.retval]).toEqual([k.name, k.retval]);
    }
  });
});
