/**
 * The interpreter's per-call and per-run fast paths (vm/interpreter.ts, README "Per-run overhead:
 * interpreter, third pass") against its ordinary paths, on seeded random programs:
 *   - the direct map lookup (program.ts IndexLookup, taken when r2 points into the running frame)
 *     and the per-call-site helper marks (InterpCode.site: readsArgsOnly bounds the stack zeroing)
 *     against the same program linked with a helper table whose helpers are plain wrappers (no
 *     direct form, no marks: every call is the ordinary one and every pointer argument into
 *     frame 0 counts as written);
 *   - atomics through the access cache (frame and second entry) against the same, since the
 *     ordinary table changes nothing of them, and against the JIT;
 *   - the step hook, called from the budget branch of the loop top: a stepped run has the same
 *     r0, executed count and fault as an unstepped one, the hook runs once per executed
 *     instruction, and small budgets end both at the same instruction;
 *   - the register file zeroed whole at each run start, and frame 0 zeroed from what the last run
 *     wrote: every program runs three times on one Memory (CPU 0, 1, 0) and reads stack slots and
 *     registers before writing them.
 * Compared: r0, executed instructions, fault code and index of every run, every map's bytes.
 */
import { describe, expect, it } from 'vitest';
import { interpret, interpretCode } from '../../vm/interpreter.js';
import { interpCode } from '../../vm/interp-code.js';
import { compile } from '../../vm/jit/index.js';
import { link } from '../../vm/link.js';
import { Memory } from '../../vm/memory.js';
import { decode, readsArgsOnly, type HelperFn, type HelperTable, type RunOptions } from '../../vm/program.js';
import { buildHelperTable } from '../../src/helpers/table.js';
import { argMem, setR0 } from '../../src/helpers/args.js';
import type { BpfMap } from '../../src/maps/types.js';
import { BPF_MAP_TYPE } from '../../src/uapi.js';
import { prng } from './random-programs.js';
import { mapProgram, mapWorld, programShape, type MapSpec } from './map-programs.js';

const T = BPF_MAP_TYPE;
/** name, type, value size, max entries */
const MAPS: MapSpec[] = [
  ['a', T.BPF_MAP_TYPE_ARRAY, 16, 4],
  ['c', T.BPF_MAP_TYPE_PERCPU_ARRAY, 8, 2],
  ['h', T.BPF_MAP_TYPE_HASH, 8, 4],
];

/** Test helper ids: 200 writes 8 bytes through r1 (unmarked), 201 sums 8 bytes at r1 (readsArgsOnly). */
const WRITE8 = 200;
const READ8 = 201;

function testHelpers(): HelperTable {
  const t = buildHelperTable().slice();
  t[WRITE8] = (call) => {
    const b = argMem(call, 1, 8, true, 'bpf_probe_read_kernel');
    for (let k = 0; k < 8; k++) b[k] = (call.regs.lo[2] + k * 17) & 255;
    setR0(call, 0);
  };
  t[READ8] = readsArgsOnly((call) => {
    const b = argMem(call, 1, 8, false, 'bpf_probe_read_kernel');
    let x = 0;
    for (let k = 0; k < 8; k++) x = (x * 31 + b[k]) | 0;
    setR0(call, x >>> 0);
  });
  return t;
}

/** The same helpers as plain closures: no direct form, no readsArgsOnly/argRegsOnly mark. */
function plainHelpers(t: HelperTable): HelperTable {
  return t.map((fn) => (fn === undefined ? undefined : ((call) => fn(call)) as HelperFn));
}

const world = (): { mem: Memory; maps: BpfMap[] } => mapWorld(MAPS, 2);

const ATOMICS = ['add', 'or', 'and', 'xor', 'fetch add', 'fetch or', 'fetch and', 'fetch xor', 'xchg', 'cmpxchg'];

/** One generated program (`lddw %r1, M` with M < 16 becomes map M's pointer). */
function generate(seed: number): string {
  const r = prng(seed);
  const pick = <V>(xs: readonly V[]): V => xs[Math.floor(r() * xs.length)];
  let n = 0;
  const slot = (): number => pick([-8, -16, -24, -32, -40, -64, -504, -512]);
  const block = (body: string[]): void => {
    const what = r();
    const l = `L${n++}`;
    if (what < 0.35) {
      // a map lookup: key in the frame (aligned, unaligned, crossing the top), behind a reload, or r1 off
      const m = pick([0, 0, 1, 2]);
      const k = pick([-4, -8, -12, -5, -7, -3, -2, -512]);
      body.push(`stw [%r10${k}], ${pick([0, 1, 2, 3, 4, -1, 0x100])}`);
      if (r() < 0.85) body.push('mov %r2, %r10', `add %r2, ${k}`);
      else body.push('mov %r2, %r10', `add %r2, ${k}`, 'stxdw [%r10-48], %r2', 'ldxdw %r2, [%r10-48]');
      const r1 = r();
      if (r1 < 0.9) body.push(`lddw %r1, ${m}`);
      else if (r1 < 0.95) body.push(`lddw %r1, ${m}`, 'add %r1, 8');
      else body.push('mov %r1, %r10');
      body.push('call 1', `jeq %r0, 0, ${l}`);
      const a = r();
      const off = pick([0, 0, 4, 8, 12, 16]);
      if (a < 0.3) body.push(`ldxw %r3, [%r0+${off}]`, 'add %r7, %r3');
      else if (a < 0.7) body.push(`mov %r3, ${pick([1, -1, 0x55])}`, `lock ${pick(ATOMICS)}${pick(['', '32'])} [%r0+${off & ~7}], %r3`, 'add %r7, %r3');
      else body.push('mov %r6, %r0');
      body.push(`${l}:`);
    } else if (what < 0.55) {
      // an atomic on the stack (frame entry), sometimes on a slot holding a spilled pointer
      const s = slot();
      if (r() < 0.3) body.push(`stxdw [%r10${s}], %r10`);
      else body.push(`stdw [%r10${s}], ${pick([0, 1, -1, 7])}`);
      // src a scalar, or a stack pointer: a fetch leaves a scalar in it (whatever it loaded), so
      // the load through it after faults
      const ptr = r() < 0.3;
      body.push(`mov %r0, ${pick([0, 1, 7])}`, ptr ? 'mov %r3, %r10' : `mov %r3, ${pick([1, -1, 9])}`, `lock ${pick(ATOMICS)}${pick(['', '32'])} [%r10${s}], %r3`);
      if (ptr) body.push('ldxb %r4, [%r3-1]', 'add %r7, %r4');
      body.push(`ldxdw %r4, [%r10${s}]`, 'add %r7, %r4', 'add %r7, %r3', 'add %r7, %r0');
    } else if (what < 0.75) {
      // a helper that writes (unmarked) or reads (marked) 8 bytes at a stack pointer, or r1 not on the stack
      const s = slot();
      body.push('mov %r1, %r10', `add %r1, ${s}`, `mov %r2, ${pick([3, 40, 200])}`);
      if (r() < 0.1) body.push('mov %r1, 0');
      body.push(`call ${pick([WRITE8, READ8])}`, 'add %r7, %r0', `ldxdw %r4, [%r10${s}]`, 'add %r7, %r4');
    } else if (what < 0.9) {
      // read a stack slot and a register before writing them (what a previous run left must not show)
      body.push(`ldxdw %r4, [%r10${slot()}]`, 'add %r7, %r4', `add %r7, %r${pick([5, 8, 9])}`);
    } else {
      // callx: one call site, the helper chosen at run time
      body.push('mov %r1, %r10', 'add %r1, -16', 'mov %r2, 5', `mov %r5, ${pick([WRITE8, READ8])}`, `jeq %r7, 0, ${l}`, `mov %r5, ${pick([WRITE8, READ8])}`, `${l}:`, 'callx %r5', 'add %r7, %r0');
    }
  };
  // r8, r9 and a pointer in r4 left for the next run on the state (which must start from zero)
  return programShape(r, block, 5, ['lddw %r8, 0x123456789', 'mov %r9, -7', 'mov %r4, %r10']);
}

const program = mapProgram;

type How = 'interp' | 'plain' | 'step' | 'jit';

/** Three runs (CPU 0, 1, 0) on one Memory with `budget`; what they gave and the maps after. */
function observe(bytes: Uint8Array, how: How, budget?: number): { text: string; steps: number } {
  const w = world();
  const table = testHelpers();
  const prog = link(decode(bytes), {
    name: 'p',
    helpers: how === 'plain' ? plainHelpers(table) : table,
    resolveLdImm64: (_src, imm) => [Memory.lo(0), w.maps[imm].handle.hi],
  });
  const c = how === 'jit' ? compile(prog) : undefined;
  let steps = 0;
  const runs: unknown[] = [];
  for (const cpu of [0, 1, 0]) {
    const o: RunOptions = { run: { cpu }, budget };
    if (how === 'step') o.step = () => void steps++;
    const res = c === undefined ? interpret(prog, w.mem, o) : c.run(w.mem, o);
    runs.push({ r0: `${res.r0lo}/${res.r0hi}`, insns: res.insns, fault: res.fault ? `${res.fault.code}@${res.fault.insnIndex}` : undefined });
  }
  const maps = w.maps.map((m) => m.dumpJson({}).entries);
  return { text: JSON.stringify({ runs, maps }), steps };
}

function insnsOf(text: string): number {
  return (JSON.parse(text) as { runs: { insns: number }[] }).runs.reduce((a, r) => a + r.insns, 0);
}

describe('[vm/interpreter]: fast paths against the ordinary ones', () => {
  const PER = 25;
  let faults = 0;
  for (let chunk = 0; chunk < 8; chunk++) {
    it(`seeded programs ${chunk * PER}..${chunk * PER + PER - 1}: direct lookups, site marks, cached atomics, stepping`, () => {
      const bad: string[] = [];
      for (let k = chunk * PER; k < chunk * PER + PER && bad.length < 3; k++) {
        const text = generate(4400 + k);
        const bytes = program(text);
        const ref = observe(bytes, 'plain').text;
        if (ref.includes('"fault":"')) faults++;
        const fast = observe(bytes, 'interp').text;
        if (fast !== ref) bad.push(`seed ${4400 + k} interp: ${fast.slice(0, 500)}\n  vs plain ${ref.slice(0, 500)}\n${text}`);
        const jit = observe(bytes, 'jit').text;
        if (jit !== ref) bad.push(`seed ${4400 + k} jit: ${jit.slice(0, 500)}\n  vs plain ${ref.slice(0, 500)}\n${text}`);
        const st = observe(bytes, 'step');
        if (st.text !== ref || st.steps !== insnsOf(ref)) bad.push(`seed ${4400 + k} step (${st.steps} steps): ${st.text.slice(0, 500)}\n  vs plain ${ref.slice(0, 500)}\n${text}`);
        // A budget that ends some runs midway: stepped and unstepped end at the same instruction.
        const budget = 1 + (k % 23);
        const cut = observe(bytes, 'plain', budget).text;
        const cutStep = observe(bytes, 'step', budget);
        const cutFast = observe(bytes, 'interp', budget).text;
        if (cutStep.text !== cut || cutFast !== cut || cutStep.steps !== insnsOf(cut)) bad.push(`seed ${4400 + k} budget ${budget}: step ${cutStep.text.slice(0, 300)} (${cutStep.steps}) / interp ${cutFast.slice(0, 300)}\n  vs ${cut.slice(0, 300)}`);
      }
      expect(bad).toEqual([]);
    });
  }
  it('programs run in turn on one Memory (a chain) by their held InterpCode give what interpret gives', () => {
    const bad: string[] = [];
    for (let k = 0; k < 30; k++) {
      const texts = [generate(7700 + 2 * k), generate(7701 + 2 * k)];
      const out: string[] = [];
      for (const held of [false, true]) {
        const w = world();
        const progs = texts.map((t) => link(decode(program(t)), { name: 'p', helpers: testHelpers(), resolveLdImm64: (_src, imm) => [Memory.lo(0), w.maps[imm].handle.hi] }));
        const units = progs.map((p) => interpCode(p));
        const runs: string[] = [];
        for (let j = 0; j < 6; j++) {
          const o = { run: { cpu: j & 1 } };
          const res = held ? interpretCode(units[j % 2], w.mem, o) : interpret(progs[j % 2], w.mem, o);
          runs.push(`${res.r0lo}/${res.r0hi}/${res.insns}/${res.fault?.code}@${res.fault?.insnIndex}`);
        }
        out.push(JSON.stringify({ runs, maps: w.maps.map((m) => m.dumpJson({}).entries) }));
      }
      if (out[0] !== out[1]) bad.push(`seeds ${7700 + 2 * k}, ${7701 + 2 * k}: held ${out[1].slice(0, 300)}\n  vs ${out[0].slice(0, 300)}`);
    }
    expect(bad).toEqual([]);
  });
  it('the programs fault now and then and mostly run to the end', () => {
    expect(faults).toBeGreaterThan(5);
    expect(faults).toBeLessThan(150);
  });
});
