/**
 * runSkbTestRun against the kernel for the syscall attributes: repeat on one skb (packet, cb and
 * tunnel metadata carry over), repeat 0, short data_out and ctx_out buffers (ENOSPC).
 * Goldens: test/goldens/skb/test-run-attrs.json (record-test-run-attrs.py, bpf(2) via ctypes).
 */
import { describe, expect, it } from 'vitest';
import { Memory } from '../../vm/memory.js';
import { runSkbTestRun } from '../../src/skb/index.js';
import { ERRNO } from '../../src/uapi.js';
import { hex, loadGolden, unhex } from './golden.js';
import { ENGINES } from '../../vm/engine.js';
import { runOnEngine } from './engine-run.js';

interface AttrRun {
  err: number;
  retval: number;
  data_size_out: number;
  data_out: string;
  ctx_out?: string;
}

describe.each(ENGINES)('[%s] BPF_PROG_TEST_RUN attributes', (engine) => {
  for (const c of loadGolden('test-run-attrs.json')) {
    it(String(c.name), () => {
      const k = c.kernel as unknown as AttrRun;
      const input = {
        data: unhex(c.packet),
        repeat: c.repeat as number | undefined,
        dataSizeOut: c.data_size_out as number | undefined,
        ctxOut: c.ctx_size_out !== undefined,
        ctxSizeOut: c.ctx_size_out as number | undefined,
      };
      const r = runSkbTestRun(new Memory(), input, (st) => runOnEngine(c.prog, st, String(c.name), engine));
      expect(r.fault).toBeUndefined();
      expect(r.errno ? ERRNO[r.errno as keyof typeof ERRNO] : 0).toBe(k.err);
      expect(r.retval).toBe(k.retval);
      expect(r.dataSizeOut).toBe(k.data_size_out);
      expect(hex(r.dataOut as Uint8Array)).toBe(k.data_out);
      if (k.ctx_out !== undefined) {
        if (r.ctxOut) expect(hex(r.ctxOut)).toBe(k.ctx_out);
        else expect(/^0*$/.test(k.ctx_out)).toBe(true); // not written by the kernel either
      }
    });
  }
});
