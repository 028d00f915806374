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
const CHUNK = 8;
const CHUNKS: Record<Category, number> = { elf: 15, btf: 12, maps: 15, names: 12, progs: 18 };

describe.each(CATEGORIES)('[fuzz] %s', (category) => {
  const outcomes = new Map<string, number>();
  it.each(Array.from({ length: CHUNKS[category] }, (_, k) => k))(`chunk %i (${CHUNK} inputs): typed error, load, or agreeing runs`, (k) => {
    const failures: string[] = [];
    for (let i = k * CHUNK; i < (k + 1) * CHUNK; i++) {
      const input = makeInput(category, SEED, i);
      const r = checkInput(input, i % 2 ? 'off' : 'on');
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
  it.each(HOSTILE_NAMES)('%j as program, map and section name', (h) => {
    const bytes = renameNames(src, { symbols: { bench_fw: h, blocklist: h, fw_stats: `${h}2` }, sections: { 'tcx/ingress': `tc/${h}` } });
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
  // The same kind of inputs again and again must not grow the heap (caches keyed by program or
  // name, collections kept alive...). Batches are separate `it`s to keep each one short.
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  const BATCH = 16;
  const batch = (k: number): void => {
    for (let i = k * BATCH; i < (k + 1) * BATCH; i++) checkInput(makeInput(i % 2 ? 'maps' : 'progs', SEED, i % (2 * BATCH)), 'off');
  };
  let before = 0;
  it('warm-up batch', () => {
    batch(0);
    gc();
    before = process.memoryUsage().heapUsed;
    expect(before).toBeGreaterThan(0);
  });
  it.each([1, 2, 3])('batch %i of the same inputs', (k) => {
    batch(k);
    expect(pollution()).toBeUndefined();
  });
  it('the heap after GC grew by less than 8 MiB over 48 more inputs', () => {
    gc();
    expect(process.memoryUsage().heapUsed - before).toBeLessThan(8 * 2 ** 20);
  });
});
