/**
 * @fileoverview Fuzz-style robustness (cilium's FuzzLoadCollectionSpec invariant): seeded random
 * mutations of the committed objects must give a spec or an error of ours (ElfError, BtfError,
 * RelocationError, UnknownSectionError...) carrying no TypeError/RangeError as cause, quickly.
 */
import { describe, expect, it } from 'vitest';
import { BpfError } from '../../vm/errors.js';
import { loadCollectionSpec } from '../../loader/index.js';
import { mulberry32 } from '../fuzz/rng.js';
import { goldenObjects, readBytes } from './goldens.js';

/** A small seeded PRNG, so every run mutates the same way. */
const prng = mulberry32;

const INTERESTING = [0, 1, 7, 8, 0x7f, 0x80, 0xff, 0xffff, 0x7fffffff, 0x80000000, 0xffffffff];

/** One mutation of `src`; structure-aware half the time (header fields, section headers). */
function mutate(src: Uint8Array, rnd: () => number): Uint8Array {
  const b = src.slice();
  const dv = new DataView(b.buffer);
  const int = (n: number) => Math.floor(rnd() * n);
  const shoff = Number(dv.getBigUint64(40, true));
  const shnum = dv.getUint16(60, true);
  switch (int(6)) {
    case 0: // a few random bytes anywhere
      for (let i = 1 + int(8); i > 0; i--) b[int(b.length)] = int(256);
      return b;
    case 1: // an interesting 32-bit value in a section header field
    {
      const h = shoff + int(shnum) * 64 + 4 * int(16);
      if (h + 4 <= b.length) dv.setUint32(h, rnd() < 0.5 ? INTERESTING[int(INTERESTING.length)] : int(b.length * 2), true);
      return b;
    }
    case 2: // an interesting value in the ELF header
      dv.setUint16(16 + 2 * int(24), INTERESTING[int(INTERESTING.length)] & 0xffff, true);
      return b;
    case 3: // truncate
      return b.slice(0, int(b.length));
    case 4: // an interesting 32-bit value inside some section's bytes (symtab, rel, BTF, code)
    {
      const h = shoff + int(shnum) * 64;
      const off = Number(dv.getBigUint64(h + 24, true));
      const size = Number(dv.getBigUint64(h + 32, true));
      if (size >= 4 && off + size <= b.length) {
        const at = off + 4 * int(size / 4);
        dv.setUint32(at, rnd() < 0.5 ? INTERESTING[int(INTERESTING.length)] : int(0x10000), true);
      }
      return b;
    }
    default: // copy a chunk over another place
    {
      const n = 1 + int(64);
      const from = int(Math.max(1, b.length - n));
      const to = int(Math.max(1, b.length - n));
      b.copyWithin(to, from, from + n);
      return b;
    }
  }
}

const objects = goldenObjects().map((o) => ({ ...o, bytes: readBytes(o.object) }));
/** FUZZ_CASES and FUZZ_SEED allow longer local runs (e.g. FUZZ_CASES=100000 FUZZ_SEED=7). */
const CASES = Number(process.env.FUZZ_CASES ?? 6000);

/** Chunks of CASES, one `it` each (no single test blocks a worker for long). */
const CHUNK = 200;

describe('[loader/fuzz]: mutated objects give a spec or an error of ours', () => {
  const seed = Number(process.env.FUZZ_SEED ?? 0x7c1ab);
  let specs = 0;
  let errors = 0;
  let slowest = 0;
  const codes = new Map<string, number>();
  const chunks = Array.from({ length: Math.ceil(CASES / CHUNK) }, (_, k) => k);
  it.each(chunks)(`seeded mutations, chunk %i of ${CHUNK}`, (k) => {
    // One PRNG stream per chunk, so each chunk is reproducible on its own.
    const rnd = prng(seed + k);
    for (let i = k * CHUNK; i < Math.min(CASES, (k + 1) * CHUNK); i++) {
      const o = objects[i % objects.length];
      const input = mutate(o.bytes, rnd);
      const t0 = performance.now();
      try {
        loadCollectionSpec(input, { programType: 'classifier' });
        specs++;
      } catch (e) {
        errors++;
        if (!(e instanceof BpfError)) throw new Error(`case ${i} (${o.name}): ${String(e)}`, { cause: e });
        const cause = (e as Error).cause;
        if (cause instanceof TypeError || cause instanceof RangeError) {
          throw new Error(`case ${i} (${o.name}): internal ${cause.name} wrapped as ${e.code}: ${cause.message}\n${cause.stack}`);
        }
        codes.set(e.code, (codes.get(e.code) ?? 0) + 1);
      }
      slowest = Math.max(slowest, performance.now() - t0);
    }
  });
  it(`${CASES} mutations in all: both outcomes happen`, () => {
    expect(specs + errors).toBe(CASES);
    // Both outcomes happen: the mutations are neither all fatal nor all harmless.
    expect(specs).toBeGreaterThan(CASES / 20);
    expect(errors).toBeGreaterThan(CASES / 20);
    expect(codes.get('E_ELF')).toBeGreaterThan(0);
    // A hang guard, not a speed goal (those live in benchmarks): no mutated object may make the
    // loader run away. A typical case takes about a millisecond; on a loaded 2-core machine the
    // slowest has reached 4 s of wall time, so the bound sits well above that.
    expect(slowest).toBeLessThan(15_000);
  });
});
