/**
 * The fuzzers at CI size (test/fuzz/fuzzers.ts): every category's seeded inputs, in small chunks,
 * must satisfy the invariant (test/fuzz/invariant.ts): a typed BpfError or a load, a Collection,
 * and runs on which the interpreter and the JIT agree, with no prototype pollution and no object
 * name in generated source. `npm run fuzz -- --minutes N` runs the same fuzzers for longer.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import { setFlagsFromString } from 'node:v8';
import { describe, expect, it } from 'vitest';
import { CATEGORIES, checkInput, makeInput, ROOT, type Category } from './fuzzers.js';
import { checkObject, pollution } from './invariant.js';
import { HOSTILE_NAMES, renameNames } from './mutators.js';
import { loadCollectionSpec } from '../../loader/index.js';
import { Collection } from '../../src/collection.js';
import { compile } from '../../vm/jit/index.js';

/** The CI seed (FUZZ_SEED overrides it for a local run). */
const SEED = Number(process.env.FUZZ_SEED ?? 20261207);
/** Inputs per chunk (one `it`) and chunks per category. */
const CHUNK = 12;
const CHUNKS: Record<Category, number> = { elf: 5, btf: 4, maps: 5, names: 4, progs: 6 };

describe.each(CATEGORIES)('[fuzz] %s', (category) => {
  const outcomes = new Map<string, number>();
  it.each(Array.from({ length: CHUNKS[category] }, (_, k) => k))(`inputs %i×${CHUNK}: typed error, load, or agreeing runs`, (k) => {
    const failures: string[] = [];
    for (let i = k * CHUNK; i < (k + 1) * CHUNK; i++) {
      const input = makeInput(category, SEED, i);
      const r = checkInput(input, true);
      outcomes.set(r.outcome, (outcomes.get(r.outcome) ?? 0) + 1);
      if (r.outcome === 'FAILURE') failures.push(`${category} #${i} (${input.source}): ${r.failure}`);
    }
    expect(failures).toEqual([]);
  });
  it('the mutations both load and fail (they are neither all fatal nor all harmless)', () => {
    const total = [...outcomes.values()].reduce((a, b) => a + b, 0);
    expect(total).toBe(CHUNKS[category] * CHUNK);
    const loaded = (outcomes.get('loaded') ?? 0) + [...outcomes.entries()].filter(([k]) => k.startsWith('fault:')).reduce((a, [, v]) => a + v, 0);
    expect(loaded).toBeGreaterThan(0);
    expect(total - loaded).toBeGreaterThan(0);
  });
});

describe('[fuzz] hostile names in programs, maps and sections', () => {
  const src = new Uint8Array(readFileSync(join(ROOT, 'progs/bench_fw.bpf.o')));
  it.each(HOSTILE_NAMES.filter((h) => h !== '\u2029'))('%j as program, map and section name', (h) => {
    const bytes = renameNames(src, { symbols: { bench_fw: h, blocklist: h === '' ? 'x' : h, fw_stats: `${h}2` }, sections: { 'tcx/ingress': `tc/${h}` } });
    const spec = loadCollectionSpec(bytes, { programType: 'classifier' });
    // The names arrive intact (nothing to sanitise: they are data) ...
    expect(spec.programs.map((p) => p.name)).toEqual([h]);
    expect(spec.programs[0].section).toBe(`tc/${h}`);
    expect(spec.maps.map((m) => m.name)).toEqual([h, `${h}2`]);
    // ... work as keys of the Collection's containers ...
    const c = new Collection(spec);
    expect(c.program(h).name).toBe(h);
    expect(c.map(h).name).toBe(h);
    expect(c.run(h, new Uint8Array(60), { engine: 'jit' }).err).toBe(0);
    // ... and never reach generated source or a prototype.
    expect(compile(c.program(h).linked).source.includes(h)).toBe(false);
    expect(pollution()).toBeUndefined();
    expect(checkObject(bytes).outcome).toBe('loaded');
  });
});

describe('[fuzz] memory stays bounded', () => {
  it('the heap after GC does not grow across repeated inputs (under 16 MiB for 60 more inputs)', () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const batch = (from: number): void => {
      for (let i = from; i < from + 30; i++) checkInput(makeInput(i % 2 ? 'maps' : 'progs', SEED, i), true);
    };
    batch(0);
    gc();
    const before = process.memoryUsage().heapUsed;
    batch(30);
    batch(60);
    gc();
    const growth = process.memoryUsage().heapUsed - before;
    expect(growth).toBeLessThan(16 * 2 ** 20);
  });
});
