/**
 * BPF_F_TEST_SKB_CHECKSUM_COMPLETE test runs: skb->csum bookkeeping of every helper that touches
 * it, against the kernel (test/goldens/skb/csum-complete.json, recorded with bpf(2) directly by
 * record-csum-complete.py since the oracle does not pass test-run flags).
 */
import { describe, expect, it } from 'vitest';
import { Memory } from '../../vm/memory.js';
import { buildTestRunSkb, createSkbRunState, finishTestRun, BPF_F_TEST_SKB_CHECKSUM_COMPLETE } from '../../src/skb/index.js';
import { ERRNO } from '../../src/uapi.js';
import { hex, loadGolden, unhex } from './golden.js';
import { ENGINES } from '../../vm/engine.js';
import { runOnEngine } from './engine-run.js';

interface CsumRun {
  err: number;
  retval?: number;
  data_out?: string;
}

describe('CHECKSUM_COMPLETE test runs', () => {
  const cases = loadGolden('csum-complete.json');
  it.each(ENGINES)('[%s] errno (EBADMSG or 0), retval and data_out match the kernel', (engine) => {
    const wrong: string[] = [];
    for (const c of cases) {
      const k = c.kernel as unknown as CsumRun;
      const input = { data: unhex(c.packet), flags: BPF_F_TEST_SKB_CHECKSUM_COMPLETE };
      const skb = buildTestRunSkb(input);
      const state = createSkbRunState(new Memory(), skb);
      const res = runOnEngine(c.prog, state, String(c.name), engine);
      expect(res.fault).toBeUndefined();
      const out = finishTestRun(skb, input, res.r0lo);
      const err = out.errno ? ERRNO[out.errno as keyof typeof ERRNO] : 0;
      if (err !== k.err) wrong.push(`${c.name}: errno kernel ${k.err}, ours ${err}`);
      if (k.err === 0) {
        if (out.retval !== k.retval) wrong.push(`${c.name}: retval kernel ${k.retval}, ours ${out.retval}`);
        if (hex(out.dataOut as Uint8Array) !== k.data_out) wrong.push(`${c.name}: data_out`);
      }
    }
    expect(wrong).toEqual([]);
  });
});
