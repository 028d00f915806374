import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadTestObject, runTestSuite } from '../../src/testsuite/runner.js';

// progs/trf_cgroup.bpf.c: a tc test group beside a cgroup/connect4 program that writes
// ctx->user_ip4, which the __sk_buff rules refuse. Cilium's runner loads such programs as their
// own type; tcxlab's runner leaves them out as it does XDP programs.
const obj = new Uint8Array(readFileSync(new URL('../../progs/trf_cgroup.bpf.o', import.meta.url)));

describe('[testsuite] the runner loads what runs on tc', () => {
  it('leaves the cgroup program out and loads the tc ones', () => {
    const coll = loadTestObject(obj, { objectName: 'trf_cgroup.bpf.o' });
    expect([...coll.programs.keys()]).toEqual(['tc_check']);
    expect(coll.spec.programs.map((p) => p.section)).toContain('cgroup/connect4');
  });

  it('runs the tc group of such an object', () => {
    const r = runTestSuite(obj, { objectName: 'trf_cgroup.bpf.o' });
    expect(r.groups.map((g) => [g.name, g.outcome])).toEqual([['a_tc_group_runs', 'pass']]);
    expect(r.totals).toEqual({ pass: 2, fail: 0, skip: 0, error: 0 });
  });
});
