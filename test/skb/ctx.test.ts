import { describe, expect, it } from 'vitest';
import { Memory } from '../../vm/memory.js';
import { ErrnoError } from '../../vm/errors.js';
import { buildTestRunSkb, checkCtxAccess, checkSockAccess, createSkbRunState, finishTestRun } from '../../src/skb/index.js';
import { hex, loadGolden, unhex, type GoldenCase } from './golden.js';
import { runRaw } from './raw-runner.js';
import { ENGINES } from '../../vm/engine.js';
import { runOnEngine } from './engine-run.js';

function run(c: GoldenCase) {
  const input = { data: unhex(c.packet), ctxIn: c.ctx ? unhex(c.ctx) : undefined, ctxOut: c.ctxOut };
  const skb = buildTestRunSkb(input);
  const state = createSkbRunState(new Memory(), skb);
  const res = runRaw(c.prog, state);
  return { res, out: finishTestRun(skb, input, Number(res.r0 & 0xffffffffn)) };
}

describe('__sk_buff access rules (kernel verdicts for every offset/size/kind)', () => {
  const cases = loadGolden('ctx-access.json');
  it('has the recorded matrix', () => expect(cases.length).toBeGreaterThan(1000));
  it('checkCtxAccess agrees with the kernel verifier on every case', () => {
    const wrong: string[] = [];
    for (const c of cases) {
      const kind = c.kind as string;
      const mine = checkCtxAccess(c.off as number, c.size as number, kind === 'stx' || kind === 'st', { signed: kind === 'ldsx' });
      if (mine !== c.kernel.loaded) wrong.push(`${kind} off ${c.off} size ${c.size}: kernel ${c.kernel.loaded}`);
    }
    expect(wrong).toEqual([]);
  });
  it('the CtxAccess refuses exactly what the verifier refuses (plain loads and stores)', () => {
    const wrong: string[] = [];
    for (const c of cases) {
      if (c.kind === 'ldsx') continue;
      const { res } = run(c);
      if (res.ok !== c.kernel.loaded) wrong.push(`${c.kind} off ${c.off} size ${c.size}`);
    }
    expect(wrong).toEqual([]);
  });
});

describe('__sk_buff loaded values (narrow loads, sign extension, pointers, sk)', () => {
  const cases = loadGolden('ctx-values.json').filter((c) => c.kernel.loaded);
  it('has the recorded cases', () => expect(cases.length).toBeGreaterThan(1500));
  it('every load returns the kernel value', () => {
    const wrong: string[] = [];
    for (const c of cases) {
      const { res, out } = run(c);
      if (!res.ok || out.retval !== c.kernel.retval) {
        wrong.push(`${c.packetName} ${c.kind} off ${c.off} size ${c.size}${c.ctx ? ' ctx' : ''}: kernel ${c.kernel.retval}, ours ${out.retval}`);
      }
    }
    expect(wrong).toEqual([]);
  });
});

describe('__sk_buff stores (truncation, dropped queue_mapping, cb, tstamp) and ctx_out', () => {
  const cases = loadGolden('ctx-stores.json');
  it('retval and ctx_out match the kernel', () => {
    const wrong: string[] = [];
    for (const c of cases) {
      expect(c.kernel.loaded).toBe(true);
      const { res, out } = run(c);
      expect(res.ok).toBe(true);
      if (out.retval !== c.kernel.retval) wrong.push(`${c.kind} off ${c.off} value ${c.value}: retval kernel ${c.kernel.retval} ours ${out.retval}`);
      if (c.kernel.ctx_out !== undefined && hex(out.ctxOut as Uint8Array) !== c.kernel.ctx_out) {
        wrong.push(`${c.kind} off ${c.off} value ${c.value}: ctx_out differs`);
      }
    }
    expect(wrong).toEqual([]);
  });
});

describe('BPF_PROG_TEST_RUN skb construction', () => {
  const cases = loadGolden('test-run-build.json');
  it('errors, data_out and ctx_out match the kernel', () => {
    const wrong: string[] = [];
    for (const c of cases) {
      let errname: string | undefined;
      let out;
      try {
        const input = { data: unhex(c.packet), ctxIn: c.ctx ? unhex(c.ctx) : undefined, ctxOut: c.ctxOut };
        const skb = buildTestRunSkb(input);
        out = finishTestRun(skb, input, 0);
      } catch (e) {
        if (!(e instanceof ErrnoError)) throw e;
        errname = e.errno;
      }
      if (errname !== c.kernel.errname) wrong.push(`${c.what}: kernel ${c.kernel.errname}, ours ${errname}`);
      if (out && c.kernel.ctx_out !== undefined && hex(out.ctxOut as Uint8Array) !== c.kernel.ctx_out) wrong.push(`${c.what}: ctx_out`);
      if (out && !c.kernel.data_out_unchanged && c.kernel.data_out !== undefined && hex(out.dataOut as Uint8Array) !== c.kernel.data_out) {
        wrong.push(`${c.what}: data_out`);
      }
    }
    expect(wrong).toEqual([]);
  });
});

describe('bpf_sock view of the test-run socket (skb->sk and bpf_sk_fullsock)', () => {
  const cases = loadGolden('sock-access.json');
  it('checkSockAccess agrees with the verifier on every offset and size', () => {
    const wrong: string[] = [];
    for (const c of cases) {
      if (c.packetName !== 'IPV4_TCP') continue;
      const mine = checkSockAccess(c.off as number, c.size as number, c.kind === 'full');
      if (mine !== c.kernel.loaded) wrong.push(`${c.kind} off ${c.off} size ${c.size}: kernel ${c.kernel.loaded}`);
    }
    expect(wrong).toEqual([]);
  });
  it.each(ENGINES)('[%s] loaded values match (IPv4 and IPv6 sockets)', (engine) => {
    const wrong: string[] = [];
    for (const c of cases.filter((x) => x.kernel.loaded)) {
      const input = { data: unhex(c.packet) };
      const state = createSkbRunState(new Memory(), buildTestRunSkb(input));
      const res = runOnEngine(c.prog, state, 'case', engine);
      if (res.fault || res.r0lo >>> 0 !== c.kernel.retval) {
        wrong.push(`${c.packetName} ${c.kind} off ${c.off} size ${c.size}: kernel ${c.kernel.retval}, ours ${res.r0lo >>> 0}`);
      }
    }
    expect(wrong).toEqual([]);
  });
});
