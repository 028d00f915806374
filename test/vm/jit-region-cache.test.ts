/**
 * The JIT's region cache (vm/jit/compile.ts) against the interpreter, on seeded random programs
 * that move between a packet, map values, a read-only region and the stack through pointers the
 * JIT cannot see through (test/vm/region-programs.ts): two cached regions, kept across helper
 * and bpf-to-bpf calls unless a region was rebound or released (Memory.epoch), the region of a
 * helper's returned pointer taken into the cache, the cache handed between the chunks of a
 * chunked function, atomics inline on cached regions other than the stack. Each program runs
 * twice on one Memory per engine (the second run starts from what the first left: stack, pooled
 * run state; between the two, the packet gets new bytes and B is replaced), unchunked and with chunks of 1 and 3 instructions; r0, executed instructions, fault
 * code and index and every helper event (rebinds, releases, tail calls, the regions' bytes at
 * the end) must be the same.
 */
import { describe, expect, it } from 'vitest';
import { interpret } from '../../vm/interpreter.js';
import { compile } from '../../vm/jit/index.js';
import { link } from '../../vm/link.js';
import { decode } from '../../vm/program.js';
import { regionEnv, regionProgram } from './region-programs.js';

type Variant = 'interp' | number | undefined;

function observe(bytes: Uint8Array, v: Variant): string {
  const env = regionEnv();
  const prog = link(decode(bytes), { name: 'regions', helpers: env.helpers });
  env.self.prog = prog;
  const runs: unknown[] = [];
  const c = v === 'interp' ? undefined : v === undefined ? compile(prog) : compile(prog, { chunkInsns: v });
  for (let k = 0; k < 2; k++) {
    if (k > 0) env.between();
    const o = { args: env.args() };
    const r = c === undefined ? interpret(prog, env.mem, o) : c.run(env.mem, o);
    runs.push({ r0: `${r.r0lo}/${r.r0hi}`, insns: r.insns, fault: r.fault ? `${r.fault.code}@${r.fault.insnIndex}` : undefined });
  }
  return JSON.stringify({ runs, trace: env.trace });
}

describe('[vm/jit]: region cache', () => {
  let faults = 0;
  let rebinds = 0;
  let releases = 0;
  const PER = 10;
  for (let chunk = 0; chunk < 20; chunk++) {
    it(`seeded programs ${chunk * PER}..${chunk * PER + PER - 1} agree with the interpreter (unchunked, chunks of 1 and 3)`, () => {
      const bad: string[] = [];
      for (let k = chunk * PER; k < chunk * PER + PER && bad.length < 3; k++) {
        const bytes = regionProgram(7000 + k);
        const ref = observe(bytes, 'interp');
        if (ref.includes('"fault":"')) faults++;
        if (ref.includes('rebind')) rebinds++;
        if (ref.includes('release')) releases++;
        for (const v of [undefined, 1, 3] as const) {
          const got = observe(bytes, v);
          if (got !== ref) bad.push(`seed ${7000 + k} chunks ${v}: ${got.slice(0, 300)}\n  vs ${ref.slice(0, 300)}`);
        }
      }
      expect(bad).toEqual([]);
    });
  }
  it('the programs fault, rebind and release now and then, and mostly run to the end', () => {
    expect(faults).toBeGreaterThan(20);
    expect(faults).toBeLessThan(170);
    expect(rebinds).toBeGreaterThan(40);
    expect(releases).toBeGreaterThan(20);
  });
});
