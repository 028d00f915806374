import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compare } from '../../src/index.js';

// compare.bpf.o: `first` and `second` return the big-endian s32s at UDP payload offsets 0 and 4
const frames = readFileSync('test/data/compare/returns.txt', 'utf8')
  .split('\n')
  .filter((l) => /^[0-9a-f]+$/.test(l))
  .map((l) => Uint8Array.from(Buffer.from(l, 'hex')));

describe('first and second: tcx vs classic', () => {
  it('TC_ACT_STOLEN consumes under cls_bpf da, but is TCX_NEXT under tcx', () => {
    const obj = readFileSync('test/goldens/net/compare.bpf.o');
    const r = compare(obj, ['first', 'second'], [frames[1]], { dir: 'ingress' }); // first returns 4

    const { tcx, da, nonda } = r.frames[0].outcomes;
    expect(tcx!.verdict).toBe(-1); // TC_ACT_UNSPEC: nothing decided, the packet goes on
    expect(tcx!.fate).toBe('stack');
    expect(da!.verdictName).toBe('TC_ACT_STOLEN');
    expect(da!.fate).toBe('consumed');
    expect(nonda!.tcIndex).toBe(4); // non-da: 4 is a classid (0:4), and the verdict is TC_ACT_OK
    const why = r.frames[0].differences.find((d) => d.field === 'verdict')!.why;
    expect(why).toContain('tcx: tcx maps TC_ACT_STOLEN (4) from first to TCX_NEXT (tcx_action_code): the tcx run ends there and the classic filters run next');
  });
});
