/**
 * The JIT's inline map lookups (vm/jit/compile.ts inlineLookup, program.ts IndexLookup: the
 * kernel's map_gen_lookup for array and per-CPU array maps) against the interpreter, which takes
 * the same direct form when r2 points into its running frame at run time (its test against the
 * ordinary call: test/vm/interp-fast-paths.test.ts). Seeded random programs look up keys in arrays (value sizes that are and
 * are not multiples of 8), a per-CPU array and a hash map (no direct form: the call is made),
 * with keys in the frame at aligned and unaligned offsets (inline), behind a pointer spilled to
 * the stack or past the frame top (the call, which may fault), and with r1 a map pointer moved off
 * offset 0, a scalar with a map's address or the stack (the call faults); keys in range, at the
 * end and far past it; lookups in a bpf-to-bpf subprogram (its own frame) and in loops; each
 * returned value is read, written and updated atomically at offsets in and past the value, and
 * the pointer itself may be the result. Each program runs twice per engine on one Memory (CPU 0,
 * then 1), unchunked and with chunks of 1 and 3 instructions; r0, executed instructions, fault
 * code and index and every map's bytes must agree.
 */
import { describe, expect, it } from 'vitest';
import { interpret } from '../../vm/interpreter.js';
import { compile } from '../../vm/jit/index.js';
import { link } from '../../vm/link.js';
import { Memory } from '../../vm/memory.js';
import { decode } from '../../vm/program.js';
import { buildHelperTable } from '../../src/helpers/table.js';
import type { BpfMap } from '../../src/maps/types.js';
import { BPF_MAP_TYPE } from '../../src/uapi.js';
import { prng } from './random-programs.js';
import { mapProgram, mapWorld, programShape, type MapSpec } from './map-programs.js';

const T = BPF_MAP_TYPE;
/** name, type, value size, max entries */
const MAPS: MapSpec[] = [
  ['a', T.BPF_MAP_TYPE_ARRAY, 16, 4],
  ['b', T.BPF_MAP_TYPE_ARRAY, 12, 3],
  ['c', T.BPF_MAP_TYPE_PERCPU_ARRAY, 8, 2],
  ['h', T.BPF_MAP_TYPE_HASH, 8, 4],
];

const world = (): { mem: Memory; maps: BpfMap[] } => mapWorld(MAPS, 3);

/** One generated program as assembler text (`lddw %r1, M` with M < 16 becomes map M's pointer). */
function generate(seed: number): string {
  const r = prng(seed);
  const pick = <V>(xs: readonly V[]): V => xs[Math.floor(r() * xs.length)];
  const keys = [0, 1, 2, 3, 4, 0xffffffff, 0x80000000, 0x100];
  let n = 0;
  const lookup = (body: string[]): void => {
    const m = pick([0, 0, 1, 2, 3]);
    const k = pick([-4, -8, -12, -16, -5, -7, -24, -3]);
    const key = pick(keys);
    // The key: one 4-byte store, or bytes.
    if (r() < 0.7) body.push(`stw [%r10${k}], ${key | 0}`);
    else for (let j = 0; j < 4; j++) body.push(`stb [%r10${k + j < 0 ? '' : '+'}${k + j}], ${(key >>> (8 * j)) & 255}`);
    const how = r();
    if (how < 0.8) body.push('mov %r2, %r10', `add %r2, ${k}`);
    else if (how < 0.93) body.push('mov %r2, %r10', `add %r2, ${k}`, 'stxdw [%r10-48], %r2', 'ldxdw %r2, [%r10-48]');
    else body.push('mov %r2, %r10', `add %r2, ${pick([-2, -1, -4])}`);
    const r1 = r();
    if (r1 < 0.93) body.push(`lddw %r1, ${m}`);
    else if (r1 < 0.95) body.push(`lddw %r1, ${m}`, 'add %r1, 8');
    else if (r1 < 0.97) body.push('mov %r1, %r10');
    else body.push('lddw %r1, 0x7f00000040000000');
    body.push('call 1');
    const l = `L${n++}`;
    body.push(`jeq %r0, 0, ${l}`);
    // Mostly in the value (value sizes 16, 12, 8, 8), now and then just past it.
    const sz = pick(['w', 'dw', 'b']);
    const room = MAPS[m][2] - (sz === 'dw' ? 8 : sz === 'w' ? 4 : 1);
    const off = r() < 0.92 ? pick([0, 4, 8, 12].filter((o) => o <= room)) : pick([room + 1, room + 4]);
    const a = r();
    if (a < 0.3) body.push(`ldx${sz} %r3, [%r0+${off}]`, 'add %r7, %r3');
    else if (a < 0.55) body.push(`st${sz} [%r0+${off}], ${Math.floor(r() * 1000)}`);
    else if (a < 0.75) body.push('mov %r3, 1', `lock add [%r0+${Math.min(off, room) & ~7}], %r3`);
    else body.push('mov %r6, %r0');
    body.push(`${l}:`, 'add %r7, 1');
  };
  return programShape(r, lookup, 4);
}

const program = mapProgram;

type Variant = 'interp' | number | undefined;

function observe(bytes: Uint8Array, v: Variant): string {
  const w = world();
  const prog = link(decode(bytes), { name: 'p', helpers: buildHelperTable(), resolveLdImm64: (_src, imm) => [Memory.lo(0), w.maps[imm].handle.hi] });
  const c = v === 'interp' ? undefined : v === undefined ? compile(prog) : compile(prog, { chunkInsns: v });
  const runs: unknown[] = [];
  for (const cpu of [0, 1]) {
    const o = { run: { cpu } };
    const res = c === undefined ? interpret(prog, w.mem, o) : c.run(w.mem, o);
    runs.push({ r0: `${res.r0lo}/${res.r0hi}`, insns: res.insns, fault: res.fault ? `${res.fault.code}@${res.fault.insnIndex}` : undefined });
  }
  const maps = w.maps.map((m) => m.dumpJson({}).entries);
  return JSON.stringify({ runs, maps });
}

describe('[vm/jit]: inline array map lookups', () => {
  let faults = 0;
  let nulls = 0;
  const PER = 25;
  for (let chunk = 0; chunk < 8; chunk++) {
    it(`seeded programs ${chunk * PER}..${chunk * PER + PER - 1} agree with the interpreter (unchunked, chunks of 1 and 3)`, () => {
      const bad: string[] = [];
      for (let k = chunk * PER; k < chunk * PER + PER && bad.length < 3; k++) {
        const text = generate(9100 + k);
        const bytes = program(text);
        const ref = observe(bytes, 'interp');
        if (ref.includes('"fault":"')) faults++;
        if (ref.includes('"r0":"0/0"')) nulls++;
        for (const v of [undefined, 1, 3] as const) {
          const got = observe(bytes, v);
          if (got !== ref) bad.push(`seed ${9100 + k} chunks ${v}: ${got.slice(0, 400)}\n  vs ${ref.slice(0, 400)}\n${text}`);
        }
      }
      expect(bad).toEqual([]);
    });
  }
  it('the programs fault now and then and mostly run to the end', () => {
    expect(faults).toBeGreaterThan(20);
    expect(faults).toBeLessThan(140);
    expect(nulls).toBeGreaterThan(0);
  });
  it('a lookup in a frame-0 array with its key on the stack is inlined', () => {
    const bytes = program('stw [%r10-4], 1\nmov %r2, %r10\nadd %r2, -4\nlddw %r1, 0\ncall 1\nexit');
    const w = world();
    const prog = link(decode(bytes), { name: 'p', helpers: buildHelperTable(), resolveLdImm64: (_src, imm) => [Memory.lo(0), w.maps[imm].handle.hi] });
    // The direct form is a parameter of the factory; the ordinary call stays as the fallback.
    expect(compile(prog).source).toMatch(/\(t = hp\d+\(C, h1, FW\[127\]\)\) !== -1/);
    const res = compile(prog).run(w.mem, {});
    expect(res.r0hi).not.toBe(0);
  });
});
