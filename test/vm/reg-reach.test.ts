/**
 * Registers across runs and helper calls (vm/reg-reach.ts, program.ts argRegsOnly):
 *   - every run starts with r0, r2–r9 zero (besides its arguments), under both engines, though a
 *     run state now clears only the registers the last run on it may have written, and the JIT's
 *     entry function initialises the ones it names itself (compile.ts freshRegs);
 *   - around a call of a helper marked argRegsOnly the JIT keeps r6–r10 in its locals instead of
 *     the register file: seeded random programs whose MIX helper (reads r1..r5, writes r0) is
 *     marked must run exactly as with the unmarked helper under the interpreter;
 *   - a marked helper that runs program code (a callback, a tail call) is a marking bug the JIT
 *     reports instead of running on stale registers.
 */
import { describe, expect, it } from 'vitest';
import { ErrorCode, type BpfError } from '../../vm/errors.js';
import { interpret } from '../../vm/interpreter.js';
import { compile } from '../../vm/jit/index.js';
import { link } from '../../vm/link.js';
import { Memory } from '../../vm/memory.js';
import { argRegsOnly, decode, touchesArgRegsOnly, type HelperFn, type LinkedProgram } from '../../vm/program.js';
import { ALL_REGS, regReach } from '../../vm/reg-reach.js';
import { HELPER_IDS } from '../../vm/helpers.js';
import { buildHelperTable, implementedHelperIds, runsProgramCode } from '../../src/helpers/table.js';
import { MIX_HELPER, generateProgram, packetProvider, prng, testHelpers, type Observed } from './random-programs.js';
import { ENGINES, asm, type Engine } from './vm-harness.js';


/** Run `bytes` (random-programs.ts helpers; MIX marked argRegsOnly when `mark`) on `mem`. */
function observeOn(bytes: Uint8Array, engine: Engine, mark: boolean, mem: Memory, args: [number, number][] = []): Observed {
  const trace: string[] = [];
  const self: { prog?: LinkedProgram } = {};
  const h = testHelpers(trace, self);
  if (mark) {
    const mix = h[MIX_HELPER] as HelperFn;
    h[MIX_HELPER] = argRegsOnly((c) => mix(c));
  }
  const prog = (self.prog = link(decode(bytes), { name: 'random', helpers: h }));
  const o = { packet: packetProvider(), args };
  const r = engine === 'interp' ? interpret(prog, mem, o) : compile(prog).run(mem, o);
  return { r0lo: r.r0lo, r0hi: r.r0hi, insns: r.insns, fault: r.fault ? { code: r.fault.code, insnIndex: r.fault.insnIndex } : undefined, trace };
}

const json = (o: unknown): string => JSON.stringify(o);

function prog(src: string, helpers: HelperFn[] = []): LinkedProgram {
  return link(decode(asm`${src}`), { name: 'regs', helpers });
}

describe('[vm]: registers across runs and helper calls', () => {
  it('a run does not see the registers the last run on its Memory left, in either engine', () => {
    // A writes r2..r9, B returns the sum of them (all read before written: unverified code).
    const writes = prog(['mov %r2, 2', 'mov %r3, 3', 'mov %r4, 4', 'mov %r5, 5', 'mov %r6, 6', 'mov %r7, 7', 'mov %r8, 8', 'mov %r9, 9', 'mov %r0, 1', 'exit'].join('\n'));
    const reads = prog(['mov %r0, %r2', 'add %r0, %r3', 'add %r0, %r4', 'add %r0, %r5', 'add %r0, %r6', 'add %r0, %r7', 'add %r0, %r8', 'add %r0, %r9', 'add %r0, %r1', 'exit'].join('\n'));
    for (const run of [
      (p: LinkedProgram, mem: Memory, args?: [number, number][]) => interpret(p, mem, { args }),
      (p: LinkedProgram, mem: Memory, args?: [number, number][]) => compile(p).run(mem, { args }),
    ]) {
      const mem = new Memory();
      // The writer also gets r1..r3 as arguments; the reader none: r1 must be 0 again too.
      expect(run(writes, mem, [[11, 0], [12, 0], [13, 0]]).r0).toBe(1n);
      expect(run(reads, mem).r0).toBe(0n);
    }
  });

  it('a helper that is not marked may leave any register: the next run clears them all', () => {
    const helpers: HelperFn[] = [];
    helpers[1] = (c) => {
      c.regs.lo[8] = 99; // (no verified program could see this; the next run must not either)
      c.regs.lo[0] = 0;
      c.regs.hi[0] = 0;
    };
    const writes = prog('call 1\nmov %r0, 1\nexit', helpers);
    expect(regReach(writes)).toBe(ALL_REGS);
    const reads = prog('mov %r0, %r8\nexit');
    for (const engine of ENGINES) {
      const mem = new Memory();
      const run = (p: LinkedProgram) => (engine === 'interp' ? interpret(p, mem) : compile(p).run(mem));
      expect(run(writes).r0).toBe(1n);
      expect(run(reads).r0).toBe(0n);
    }
  });

  it('regReach: named registers, r0-r5 for calls, every register for an unmarked helper', () => {
    const marked = argRegsOnly((c) => {
      c.regs.lo[0] = 0;
    });
    expect(regReach(prog('mov %r7, 1\nmov %r0, 0\nexit'))).toBe((1 << 7) | 1);
    expect(regReach(prog('call 1\nexit', [undefined as unknown as HelperFn, marked]))).toBe(0x3f);
    expect(regReach(prog('call 1\nexit', [undefined as unknown as HelperFn, (c) => void c]))).toBe(ALL_REGS);
  });

  // One Memory per engine for the whole sequence: each run starts where the last program
  // (another random program) left the pooled run state.
  const shared = Object.fromEntries(ENGINES.map((e) => [e, new Memory()])) as Record<Engine, Memory>;
  let calls = 0;
  for (let chunk = 0; chunk < 4; chunk++) {
  it(`seeded (chunk ${chunk}): random programs agree with MIX marked and unmarked, also on a shared Memory`, () => {
    const bad: string[] = [];
    const rnd = prng(0x5eed + chunk);
    for (let k = 0; k < 60 && bad.length < 5; k++) {
      const seed = 50_000 + Math.floor(rnd() * 1e6);
      const p = generateProgram(seed, { faults: k % 7 === 0 });
      // 0-3 scalar arguments (r1..r3): a run with fewer than the last one must see the rest as 0.
      const args = Array.from({ length: Math.floor(rnd() * 4) }, (): [number, number] => [Math.floor(rnd() * 1000), 0]);
      const ref = observeOn(p.bytes, 'interp', false, new Memory(), args);
      calls += ref.trace.filter((t) => t.startsWith('mix')).length;
      for (const engine of ENGINES) {
        for (const mark of [false, true]) {
          const fresh = observeOn(p.bytes, engine, mark, new Memory(), args);
          if (json(fresh) !== json(ref)) bad.push(`seed ${seed} ${engine} mark=${mark}: ${json(fresh).slice(0, 200)} vs ${json(ref).slice(0, 200)}`);
        }
        const again = observeOn(p.bytes, engine, true, shared[engine], args);
        if (json(again) !== json(ref)) bad.push(`seed ${seed} ${engine} on a shared Memory: ${json(again).slice(0, 200)} vs ${json(ref).slice(0, 200)}`);
      }
    }
    expect(bad).toEqual([]);
  });
  }
  it('the seeded programs called MIX', () => expect(calls).toBeGreaterThan(100));

  it('the JIT refuses a marked helper that runs a callback or makes a tail call', () => {
    const cb = argRegsOnly((c) => {
      (c.callback as NonNullable<typeof c.callback>)(4, []);
      c.regs.lo[0] = 0;
    });
    const callsBack = prog('mov %r6, 5\ncall 1\nmov %r0, %r6\nexit\nmov %r0, 0\nexit', [undefined as unknown as HelperFn, cb]);
    // (Raised inside the helper call, it becomes the run's fault, with the JIT's error code.)
    expect(compile(callsBack).run(new Memory()).fault?.code).toBe(ErrorCode.Jit);
    const self: { p?: LinkedProgram } = {};
    const tail = argRegsOnly((c) => {
      c.tailCall = self.p;
      c.regs.lo[0] = 0;
    });
    const tails = (self.p = prog('call 1\nmov %r0, 3\nexit', [undefined as unknown as HelperFn, tail]));
    let err: unknown;
    try {
      compile(tails).run(new Memory());
    } catch (e) {
      err = e;
    }
    expect((err as BpfError).code).toBe(ErrorCode.Jit);
  });

  it('the helper table marks every implementation but those that run program code', () => {
    for (const name of ['bpf_tail_call', 'bpf_loop', 'bpf_for_each_map_elem', 'bpf_timer_set_callback'] as const) expect(runsProgramCode(HELPER_IDS[name])).toBe(true);
    const table = buildHelperTable();
    let marked = 0;
    for (const id of implementedHelperIds()) {
      expect(touchesArgRegsOnly(table[id] as HelperFn), `helper ${id}`).toBe(!runsProgramCode(id));
      if (!runsProgramCode(id)) marked++;
    }
    expect(marked).toBeGreaterThan(100);
  });
});
