/**
 * Test-run results typed for assertions: `retval` (u32, as BPF_PROG_TEST_RUN reports it) plus
 * the signed `verdict` tc and tcx read, its TC_ACT_* name and what tcx makes of it, and a
 * `dataOut` that is always there (empty when the run failed).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadObject, uapi } from '../../src/index.js';

const frames = readFileSync('test/data/compare/returns.txt', 'utf8').split('\n').filter((l) => /^[0-9a-f]+$/.test(l)).map((l) => Uint8Array.from(Buffer.from(l, 'hex')));
// compare.bpf.o `first` returns the big-endian s32 at offset 42: -1, 4, 1, 2, 7, 8, 0, 3, 5, -1
const obj = loadObject('test/goldens/net/compare.bpf.o');

describe('testRun: retval, verdict, names, dataOut', () => {
  it.each([
    [0, 0xffffffff, -1, 'TC_ACT_UNSPEC', 'TCX_NEXT'],
    [1, 4, 4, 'TC_ACT_STOLEN', 'TCX_NEXT'],
    [3, 2, 2, 'TC_ACT_SHOT', 'TCX_DROP'],
    [4, 7, 7, 'TC_ACT_REDIRECT', 'TCX_REDIRECT'],
    [6, 0, 0, 'TC_ACT_OK', 'TCX_PASS'],
  ])('frame %i: retval %i, verdict %i %s / %s', (i, retval, verdict, name, tcx) => {
    const r = obj.run('first', frames[i]);
    expect(r.retval).toBe(retval);
    expect(r.verdict).toBe(verdict);
    expect(r.verdictName).toBe(name);
    expect(r.tcxVerdictName).toBe(tcx);
    expect(r.dataOut.length).toBe(frames[i].length);
  });
  it('TC_ACT_UNSPEC and TCX_NEXT compare as -1', () => {
    const r = obj.run('first', frames[0]);
    expect(r.verdict).toBe(uapi.TC_ACT.TC_ACT_UNSPEC);
    expect(r.verdict).toBe(uapi.TCX.TCX_NEXT);
  });
  it('a value without a name keeps its number; a refused run has an empty dataOut', () => {
    const f = frames[9].slice();
    new DataView(f.buffer).setInt32(42, 42);
    const r = obj.run('first', f);
    expect([r.verdict, r.verdictName, r.tcxVerdictName]).toEqual([42, '42', 'TCX_NEXT']);
    const bad = obj.run('first', new Uint8Array(4)); // shorter than an Ethernet header: EINVAL
    expect(bad.err).toBe('EINVAL');
    expect(bad.retval).toBeUndefined();
    expect(bad.dataOut).toEqual(new Uint8Array(0));
  });
});
