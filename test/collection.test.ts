/**
 * A fresh Collection per test from one parsed spec: maps are new, and the verifier runs once per
 * spec (src/collection.ts ACCEPTED).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadCollectionSpec } from '../loader/index.js';
import { Collection } from '../src/collection.js';

const bytes = new Uint8Array(readFileSync(new URL('../progs/globals_cfg.bpf.o', import.meta.url)));

describe('[collection]: one parsed spec, many fresh collections', () => {
  it('verifies each program once per spec and gives every collection its own maps', () => {
    const spec = loadCollectionSpec(bytes, { programType: 'sched_cls' });
    const first = new Collection(spec);
    const second = new Collection(spec);
    const names = [...first.programs.keys()];
    expect(names.length).toBeGreaterThan(0);
    expect(first.reusedVerdicts).toEqual([]);
    expect(second.reusedVerdicts).toEqual(names);
    expect(second.mapList.length).toBe(first.mapList.length);
    for (let k = 0; k < first.mapList.length; k++) expect(second.mapList[k]).not.toBe(first.mapList[k]);
  });

  it('verifies again when the options that decide a verdict differ, or the spec is another', () => {
    const spec = loadCollectionSpec(bytes, { programType: 'sched_cls' });
    new Collection(spec);
    expect(new Collection(spec, { kernelRefusedKfuncs: 'allow' }).reusedVerdicts).toEqual([]);
    expect(new Collection(spec, { verify: false }).reusedVerdicts).toEqual([]);
    const other = loadCollectionSpec(bytes, { programType: 'sched_cls' });
    expect(new Collection(other).reusedVerdicts).toEqual([]);
  });

  it('verifies again when global variables set before load make a new spec', () => {
    const spec = loadCollectionSpec(bytes, { programType: 'sched_cls' });
    new Collection(spec);
    const withVars = new Collection(spec, { rodata: { cfg_slot: 1 } });
    expect(withVars.reusedVerdicts).toEqual([]);
  });
});
