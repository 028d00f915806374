/**
 * Chunked JIT functions (vm/jit/compile.ts CHUNK_INSNS): a function over the chunk size is
 * compiled as several JS functions that pass the registers through the RegisterFile. With a chunk
 * size of 1 or 3 instructions almost every jump and fallthrough crosses chunks, so the random
 * programs of the differential test (loops, bpf-to-bpf calls, tail calls, helpers, LD_ABS, faults,
 * budgets) check every transition against the interpreter: r0, executed instructions, fault code
 * and index, and every helper call with its stack dump.
 */
import { describe, expect, it } from 'vitest';
import { interpret } from '../../vm/interpreter.js';
import { compile, CHUNK_INSNS } from '../../vm/jit/index.js';
import { Memory } from '../../vm/memory.js';
import type { RunOptions } from '../../vm/program.js';
import { generateProgram, linkWithTrace, packetProvider, prng, type GeneratedProgram } from './random-programs.js';

function observe(p: GeneratedProgram, chunkInsns: number | undefined, opts: RunOptions = {}) {
  const trace: string[] = [];
  const prog = linkWithTrace(p, trace);
  const o = { packet: packetProvider(), ...opts };
  const c = chunkInsns === undefined ? undefined : compile(prog, { chunkInsns });
  const r = c === undefined ? interpret(prog, new Memory(), o) : c.run(new Memory(), o);
  const chunked = c !== undefined && /function e0c1\(/.test(c.source);
  return { chunked, r: { r0lo: r.r0lo, r0hi: r.r0hi, insns: r.insns, fault: r.fault ? { code: r.fault.code, insnIndex: r.fault.insnIndex } : undefined, trace } };
}

describe('[vm/jit]: chunked functions agree with the interpreter', () => {
  it('the default chunk size keeps a chunk within what V8 optimizes (~450 instructions)', () => {
    expect(CHUNK_INSNS).toBeGreaterThanOrEqual(64);
    expect(CHUNK_INSNS).toBeLessThanOrEqual(400);
  });
  for (const size of [1, 3]) {
    for (let first = 0; first < 1000; first += 125) {
      it(`chunks of ${size}: random programs ${first}..${first + 124}`, () => {
        const rnd = prng(0x5eed + first + size);
        const bad: string[] = [];
        let chunked = 0;
        for (let k = first; k < first + 125; k++) {
          const p = generateProgram(5000 + k, { faults: k % 7 === 0 });
          const a = observe(p, undefined);
          const b = observe(p, size);
          if (b.chunked) chunked++;
          if (JSON.stringify(a.r) !== JSON.stringify(b.r)) bad.push(`seed ${5000 + k}: interp ${JSON.stringify(a.r).slice(0, 200)} jit ${JSON.stringify(b.r).slice(0, 200)}`);
          if (k % 5 === 0 && a.r.insns > 1) {
            const budget = 1 + Math.floor(rnd() * (a.r.insns - 1));
            const c = observe(p, undefined, { budget });
            const d = observe(p, size, { budget });
            if (JSON.stringify(c.r) !== JSON.stringify(d.r)) bad.push(`seed ${5000 + k} budget ${budget}: ${JSON.stringify(d.r).slice(0, 200)}`);
          }
          if (bad.length > 5) break;
        }
        expect(bad).toEqual([]);
        expect(chunked).toBeGreaterThan(100);
      });
    }
  }
});
