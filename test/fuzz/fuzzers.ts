/**
 * @fileoverview The fuzzing categories: where inputs come from, how one is made from
 * (seed, iteration), and how it is checked. Shared by the CI tests (test/fuzz/*.test.ts), the
 * long-run script (test/fuzz/run.ts, `npm run fuzz`) and the corpus replay.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkObject, pollution, type CheckResult } from './invariant.js';
import { BTF_MUTATORS, ELF_MUTATORS, MAPS_MUTATORS, mutateInsn, NAMES_MUTATORS, PROGS_MUTATORS, stacked } from './mutators.js';
import { rngFor } from './rng.js';
import { generateProgram, observe } from '../vm/random-programs.js';
import { BpfError } from '../../vm/errors.js';

export const ROOT = join(import.meta.dirname, '../..');
export const CORPUS = join(import.meta.dirname, 'corpus');

/** The object categories plus the raw-program half of `progs`. */
export type Category = 'elf' | 'btf' | 'maps' | 'names' | 'progs';
export const CATEGORIES: readonly Category[] = ['elf', 'btf', 'maps', 'names', 'progs'];

export interface Seedling {
  name: string;
  bytes: Uint8Array;
}

let cache: Seedling[] | undefined;
/** The real objects every mutation starts from: progs/*.o and the loader's golden objects. */
export function seedObjects(): Seedling[] {
  if (cache) return cache;
  const out: Seedling[] = [];
  for (const dir of ['progs', 'test/goldens/loader']) {
    for (const f of readdirSync(join(ROOT, dir)).sort()) {
      if (f.endsWith('.o')) out.push({ name: `${dir}/${f}`, bytes: new Uint8Array(readFileSync(join(ROOT, dir, f))) });
    }
  }
  cache = out;
  return out;
}

/** One generated input: bytes plus what is needed to check and describe it. */
export interface Input {
  category: Category;
  /** 'object' (an ELF file) or 'raw' (instruction bytes run without a loader). */
  kind: 'object' | 'raw';
  bytes: Uint8Array;
  /** The seed object or generator the input came from. */
  source: string;
}

const MUTATORS: Record<Exclude<Category, 'progs'>, typeof ELF_MUTATORS> = {
  elf: ELF_MUTATORS,
  btf: BTF_MUTATORS,
  maps: MAPS_MUTATORS,
  names: NAMES_MUTATORS,
};

/** Objects that have what a category mutates (BTF, map definitions). */
function seedsFor(category: Category): Seedling[] {
  const all = seedObjects();
  const has = (s: Seedling, needle: string): boolean => Buffer.from(s.bytes).includes(needle);
  switch (category) {
    case 'btf': return all.filter((s) => has(s, '.BTF'));
    case 'maps': return all.filter((s) => has(s, 'maps'));
    default: return all;
  }
}

/** Input `iteration` of `category` for `seed` (a pure function of its arguments). */
export function makeInput(category: Category, seed: number, iteration: number): Input {
  const r = rngFor(seed ^ category.length * 0x1000193 ^ category.charCodeAt(0), iteration);
  if (category === 'progs' && iteration % 2 === 1) {
    // A random valid-by-construction program (test/vm/random-programs.ts), then 1–4 mutations.
    const p = generateProgram(r.u32(), { faults: r.chance(0.2), size: 5 + r.int(20) });
    const bytes = p.bytes.slice();
    for (let k = 1 + r.int(4); k > 0; k--) mutateInsn(bytes, r);
    return { category, kind: 'raw', bytes, source: 'random-programs' };
  }
  const seeds = seedsFor(category);
  const s = seeds[r.int(seeds.length)];
  const list = category === 'progs' ? PROGS_MUTATORS : MUTATORS[category];
  const bytes = stacked(list, s.bytes, r);
  return { category, kind: 'object', bytes, source: s.name };
}

/** The raw-program invariant: both engines, no verifier, same observable behaviour. */
export function checkRaw(bytes: Uint8Array, budget = 20_000): CheckResult {
  const run = (engine: 'interp' | 'jit'): ReturnType<typeof observe> | string => {
    try {
      return observe(bytes, engine, { budget });
    } catch (e) {
      if (e instanceof BpfError && e.code !== 'E_JIT') return `error:${e.code}`;
      throw e;
    }
  };
  try {
    const a = run('interp');
    const b = run('jit');
    const sa = JSON.stringify(a);
    const sb = JSON.stringify(b);
    if (sa !== sb) return { outcome: 'FAILURE', failure: `engines disagree:\n interp ${sa.slice(0, 1500)}\n jit    ${sb.slice(0, 1500)}` };
    const p = pollution();
    if (p) return { outcome: 'FAILURE', failure: p };
    if (typeof a === 'string') return { outcome: a };
    return { outcome: a.fault ? `fault:${a.fault.code}` : 'loaded' };
  } catch (e) {
    return { outcome: 'FAILURE', failure: `untyped ${e instanceof Error ? e.stack : String(e)}` };
  }
}

/**
 * Checks one input. 'full' builds Collections with verification off and on (the long runs and the
 * corpus replay); 'off' / 'on' build one mode only and run at most 3 programs (the CI size, which
 * alternates them).
 */
export function checkInput(input: Pick<Input, 'kind' | 'bytes'>, mode: 'full' | 'off' | 'on' = 'full'): CheckResult {
  if (input.kind === 'raw') return checkRaw(input.bytes);
  return checkObject(input.bytes, mode === 'full' ? {} : { verify: [mode === 'on'], maxPrograms: 3 });
}
