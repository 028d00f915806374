/**
 * The JIT's load-time `__sk_buff` rewrite (vm/jit/compile.ts "ctx rewriting", src/skb/sk-buff-ctx.ts
 * SKB_CTX_REWRITE): programs linked with the table read and write skb fields directly.
 *   - the kernel goldens of every ctx load and store (test/goldens/skb, recorded on the kernel)
 *     through the JIT with the table, the compiled code checked to contain the direct path;
 *   - every (offset, size) load and store, JIT with the table against the interpreter (which
 *     takes the generic CtxAccess path), on an skb whose fields all differ;
 *   - the run-time guard: a moved ctx pointer, a ctx of another kind and a program linked
 *     without the table take the general path and give the interpreter's results.
 */
import { describe, expect, it } from 'vitest';
import { Memory } from '../../vm/memory.js';
import { decode, type HelperFn, type LinkedProgram } from '../../vm/program.js';
import { link } from '../../vm/link.js';
import { interpret } from '../../vm/interpreter.js';
import { compile, runJit } from '../../vm/jit/index.js';
import { buildTestRunSkb, createSkbRunState, finishTestRun, SKB_CTX_REWRITE, type SkbRunState } from '../../src/skb/index.js';
import { skbHelpers } from '../../src/helpers/skb.js';
import { diffWithKernel, loadGolden, unhex, type GoldenCase } from './golden.js';
import { insns } from '../vm/vm-harness.js';

const table: (HelperFn | undefined)[] = [];
for (const [id, fn] of Object.entries(skbHelpers)) table[Number(id)] = fn;

const ctxArgs = (state: SkbRunState): [number, number][] => {
  const a = Memory.address(state.ctx);
  return [[Number(a & 0xffffffffn) | 0, Number(a >> 32n) | 0]];
};

/** Whether the compiled program has a direct ctx access (the rewrite was applied). */
const rewritten = (prog: LinkedProgram): boolean => /\(XC[,)]/.test(compile(prog).source);

function runJitCase(c: GoldenCase) {
  const input = { data: unhex(c.packet), ctxIn: c.ctx ? unhex(c.ctx) : undefined, ctxOut: c.ctxOut };
  const skb = buildTestRunSkb(input);
  const mem = new Memory();
  const state = createSkbRunState(mem, skb);
  const prog = link(decode(unhex(c.prog)), { name: 'case', helpers: table, ctx: SKB_CTX_REWRITE });
  const res = runJit(prog, mem, { args: ctxArgs(state), run: state });
  return { res, prog, out: finishTestRun(skb, input, res.r0lo) };
}

function compare(c: GoldenCase, wrong: string[], direct: { n: number }): void {
  const { res, out, prog } = runJitCase(c);
  if (rewritten(prog)) direct.n++;
  diffWithKernel(c, res, out, wrong);
}

const CHUNK = 250;

describe('JIT with the __sk_buff rewrite vs kernel goldens', () => {
  const loads = loadGolden('ctx-values.json').filter((x) => x.kernel.loaded);
  for (let k = 0; k < loads.length; k += CHUNK) {
    it(`ctx loads ${k}..${Math.min(k + CHUNK, loads.length) - 1}`, () => {
      const wrong: string[] = [];
      const direct = { n: 0 };
      const part = loads.slice(k, k + CHUNK);
      for (const c of part) compare(c, wrong, direct);
      expect(wrong).toEqual([]);
      // Sign-extending loads keep the generic path; every other loaded case is rewritten.
      expect(direct.n).toBe(part.filter((c) => (parseInt(c.prog.slice(0, 2), 16) & 0xe0) !== 0x80).length);
    });
  }
  it('ctx stores (the queue_mapping ST quirk aside: see interpreter.test.ts)', () => {
    const wrong: string[] = [];
    const direct = { n: 0 };
    const quirk = (c: GoldenCase) => c.kind === 'st' && c.off === 12 && ((c.imm as number) | 0) < 0;
    const cases = loadGolden('ctx-stores.json').filter((x) => !quirk(x));
    for (const c of cases) compare(c, wrong, direct);
    expect(wrong).toEqual([]);
    expect(direct.n).toBeGreaterThan(cases.length / 2);
  });
});

/** A test-run skb whose every field visible through __sk_buff has its own value. */
function richState(mem: Memory): SkbRunState {
  const frame = unhex('02000000000202000000000108004500002000010000401166ca0a0000010a00000204d2162e000cf20270696e67');
  const skb = buildTestRunSkb({ data: frame });
  skb.mark = 0x8badf00d;
  skb.priority = 0x01020304;
  skb.queueMapping = 0x1234;
  skb.vlanProto = 0x8100;
  skb.vlanTci = 0xabc;
  skb.skbIif = 7;
  skb.ifindex = 9;
  skb.tcIndex = 0x4321;
  skb.hash = 0xdeadbeef;
  skb.tcClassid = 0x10002;
  skb.napiId = 9000;
  skb.pktLen = 1500;
  skb.gsoSegs = 3;
  skb.gsoSize = 1400;
  skb.tstamp = 0x1122334455667788n;
  skb.hwtstamp = 0x0102030405060708n;
  skb.tstampType = 1;
  skb.tcAtIngress = true;
  for (let i = 0; i < 20; i++) skb.cb[i] = 0x90 + i;
  return createSkbRunState(mem, skb);
}

/** Everything a store may change, as text. */
function snapshot(state: SkbRunState): string {
  const s = state.skb;
  return JSON.stringify([s.mark, s.priority, s.queueMapping, s.tcIndex, s.tcClassid, String(s.tstamp), s.tstampType, [...s.cb]]);
}

type Outcome = string;

function outcome(prog: LinkedProgram, engine: 'interp' | 'jit'): Outcome {
  const mem = new Memory();
  const state = richState(mem);
  const r = engine === 'jit' ? runJit(prog, mem, { args: ctxArgs(state), run: state }) : interpret(prog, mem, { args: ctxArgs(state), run: state });
  // A pointer result is compared as region kind + offset (region ids are per Memory).
  const hi = r.r0hi | 0;
  const region = hi !== 0 ? mem.regionOf(hi) : undefined;
  const r0 = region ? `${region.kind}+${Memory.offsetOf(r.r0lo)}` : `${r.r0hi >>> 0}:${r.r0lo >>> 0}`;
  return r.fault ? `fault ${r.fault.code} at ${r.fault.insnIndex}` : `r0 ${r0} ${snapshot(state)}`;
}

const SIZE_BITS: Record<number, number> = { 1: 0x10, 2: 0x08, 4: 0x00, 8: 0x18 };

describe('JIT ctx rewrite vs the interpreter, every (offset, size)', () => {
  for (let from = 0; from < 192; from += 48) {
    it(`loads and stores at offsets ${from}..${from + 47}`, () => {
      const wrong: string[] = [];
      let direct = 0;
      for (let off = from; off < from + 48; off++) {
        for (const size of [1, 2, 4, 8]) {
          const sz = SIZE_BITS[size];
          const progs = {
            // r0 = *(size *)(r1 + off); exit
            ldx: insns([0x61 | sz, 0, 1, off], [0x95]),
            // r2 = 0x1_8765_4321 (64-bit); *(size *)(r1 + off) = r2; r0 = 0; exit
            stx: insns([0x18, 2, 0, 0, 0x87654321 | 0], [0, 0, 0, 0, 1], [0x63 | sz, 1, 2, off], [0xb7, 0, 0, 0, 0], [0x95]),
            // *(size *)(r1 + off) = -2; r0 = 0; exit
            st: insns([0x62 | sz, 1, 0, off, -2], [0xb7, 0, 0, 0, 0], [0x95]),
          };
          for (const [kind, bytes] of Object.entries(progs)) {
            const withTable = link(decode(bytes), { name: 't', helpers: [], ctx: SKB_CTX_REWRITE });
            const plain = link(decode(bytes), { name: 't', helpers: [] });
            if (rewritten(withTable)) direct++;
            const a = outcome(plain, 'interp');
            const b = outcome(withTable, 'jit');
            if (a !== b) wrong.push(`${kind} off ${off} size ${size}: interp ${a}, jit ${b}`);
          }
        }
      }
      expect(wrong).toEqual([]);
      expect(direct).toBeGreaterThan(0);
    });
  }
});

describe('the rewrite guard', () => {
  const engines = (bytes: Uint8Array): [Outcome, Outcome, boolean] => {
    const withTable = link(decode(bytes), { name: 't', helpers: [], ctx: SKB_CTX_REWRITE });
    return [outcome(link(decode(bytes), { name: 't', helpers: [] }), 'interp'), outcome(withTable, 'jit'), rewritten(withTable)];
  };
  it('a ctx pointer moved by arithmetic takes the general path (same results)', () => {
    // r1 += 4; r0 = *(u32 *)(r1 + 4) (mark through a moved pointer); exit
    const [a, b, rw] = engines(insns([0x07, 1, 0, 0, 4], [0x61, 0, 1, 4], [0x95]));
    expect(rw).toBe(true);
    expect(b).toBe(a);
    // r1 += 8; r0 = *(u32 *)(r1 + 0): the same field
    const [c, d] = engines(insns([0x07, 1, 0, 0, 8], [0x61, 0, 1, 0], [0x95]));
    expect(d).toBe(c);
  });
  it('a scalar equal to the ctx address is no pointer under either engine', () => {
    // r2 = r1 as a scalar (through ALU32 pieces): r2 = (u32)r1; r3 = r1 >> 32 ... load faults.
    const bytes = insns([0xbc, 2, 1], [0xbf, 3, 1], [0x77, 3, 0, 0, 32], [0x67, 3, 0, 0, 32], [0x4f, 2, 3], [0x61, 0, 2, 8], [0x95]);
    const [a, b] = engines(bytes);
    expect(a).toMatch(/^fault/);
    expect(b).toBe(a);
  });
  it('a ctx of another kind (bpf_sock) never takes the __sk_buff path', () => {
    const bytes = insns([0x61, 0, 1, 4], [0x95]); // r0 = *(u32 *)(r1 + 4)
    const prog = link(decode(bytes), { name: 't', helpers: [], ctx: SKB_CTX_REWRITE });
    const run = (engine: 'interp' | 'jit'): string => {
      const mem = new Memory();
      const state = richState(mem);
      const a = Memory.address(state.sock!);
      const args: [number, number][] = [[Number(a & 0xffffffffn) | 0, Number(a >> 32n) | 0]];
      const r = engine === 'jit' ? runJit(prog, mem, { args, run: state }) : interpret(prog, mem, { args, run: state });
      return r.fault ? `fault ${r.fault.code}` : String(r.r0);
    };
    expect(run('jit')).toBe(run('interp'));
    // bpf_sock offset 4 is family: AF_INET for this IPv4 frame, not __sk_buff pkt_type.
    expect(run('jit')).toBe('2');
  });
});
