/**
 * Replays the raw programs of test/goldens/skb/helpers.json (recorded with `oracle raw` on Linux
 * 6.18 by record-helpers.py) through the test-run skb builder, the __sk_buff view and the skb
 * helper table, and compares retval, data_out and ctx_out with the kernel's.
 */
import { describe, expect, it } from 'vitest';
import { Memory } from '../../vm/memory.js';
import { buildTestRunSkb, createSkbRunState, finishTestRun } from '../../src/skb/index.js';
import { skbHelpers } from '../../src/helpers/skb.js';
import { hex, loadGolden, unhex, type GoldenCase } from '../skb/golden.js';
import { runRaw } from '../skb/raw-runner.js';

function replay(c: GoldenCase) {
  const input = { data: unhex(c.packet), ctxIn: c.ctx ? unhex(c.ctx) : undefined, ctxOut: c.ctxOut };
  const skb = buildTestRunSkb(input);
  const state = createSkbRunState(new Memory(), skb);
  const res = runRaw(c.prog, state, skbHelpers);
  return { state, res, out: finishTestRun(skb, input, Number(res.r0 & 0xffffffffn)) };
}

const cases = [...loadGolden('helpers.json'), ...loadGolden('csum-random.json')];
const groups = new Map<string, GoldenCase[]>();
for (const c of cases) {
  const name = c.name as string;
  const g = name.includes('random') ? `${name.split(' ')[0]} random` : name.split(' ')[0];
  groups.set(g, [...(groups.get(g) ?? []), c]);
}

describe('skb helpers against the kernel (raw programs, BPF_PROG_TEST_RUN)', () => {
  it('has the recorded cases (helpers.json + csum-random.json), all loaded by the kernel', () => {
    expect(cases.length).toBeGreaterThan(300);
    expect(cases.filter((c) => !c.kernel.loaded)).toEqual([]);
  });
  for (const [group, list] of groups) {
    it(`${group} (${list.length} cases)`, () => {
      const wrong: string[] = [];
      for (const c of list) {
        const { res, out } = replay(c);
        const k = c.kernel;
        if (!res.ok) {
          wrong.push(`${c.name}: ctx access refused`);
          continue;
        }
        if (out.retval !== k.retval) wrong.push(`${c.name}: retval kernel ${k.retval} (${k.retval! | 0}), ours ${out.retval} (${out.retval! | 0})`);
        const dataOut = hex(out.dataOut as Uint8Array);
        const kData = k.data_out_unchanged ? c.packet : k.data_out;
        if (dataOut !== kData) wrong.push(`${c.name}: data_out\n  kernel ${kData}\n  ours   ${dataOut}`);
        if (k.ctx_out !== undefined && hex(out.ctxOut as Uint8Array) !== k.ctx_out) {
          wrong.push(`${c.name}: ctx_out cb\n  kernel ${k.ctx_out.slice(96, 136)}\n  ours   ${hex(out.ctxOut as Uint8Array).slice(96, 136)}`);
        }
      }
      expect(wrong).toEqual([]);
    });
  }
});
