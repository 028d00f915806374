/**
 * The CLI fuzzer (cli-fuzz.ts) in the suite: fixed seeds, small chunks (one `it` per 12 cases,
 * well under a second each on an idle machine). Longer runs: call `fuzzCli(seed, count)`.
 */
import { describe, expect, it } from 'vitest';
import { CATEGORIES, fuzzCli, rng } from './cli-fuzz.js';

const CHUNKS = 40;
const PER_CHUNK = 12;

describe('[fuzz/cli]: mutated argv and input files keep the CLI invariant', () => {
  for (let k = 0; k < CHUNKS; k++) {
    it(`seed ${k + 1}: ${PER_CHUNK} cases`, async () => {
      const r = await fuzzCli(k + 1, PER_CHUNK);
      // Every category is exercised, and every case ended with an allowed status.
      expect(Object.values(r.tried).reduce((a, b) => a + b, 0)).toBe(PER_CHUNK);
      for (const c of CATEGORIES) expect(r.tried[c]).toBeGreaterThan(0);
      expect(r.failures.map((f) => `${f.why} (${f.category} #${f.index}: ${JSON.stringify(f.argv).slice(0, 200)}) ${f.stderr.slice(0, 300)}`)).toEqual([]);
    });
  }

  it('is deterministic for a seed', async () => {
    const a = await fuzzCli(77, 6);
    const b = await fuzzCli(77, 6);
    expect(b.exits).toEqual(a.exits);
    expect(b.tried).toEqual(a.tried);
    const r = rng(5);
    const first = r();
    expect(r()).not.toBe(first);
    expect(rng(5)()).toBe(first);
  });
});
