/**
 * reg_bounds_sync's fast paths (vm/verifier/sync-u32.ts, vm/verifier/sync-halves.ts, and the
 * unknown-scalar shortcut in scalar.ts) against the full bigint round, on seeded random
 * registers: every field must come out the same, including for inconsistent bounds, tnums that
 * contradict them, and bounds at the edges of their types (±2^31, 2^32, ±2^53, ±2^63, 2^64 - 1);
 * and the remembered results (vm/verifier/sync-memo.ts) on registers met again and again.
 */
import { describe, expect, it } from 'vitest';
import { Reg, RT, S64_MAX, S64_MIN, U64_MAX } from '../../vm/verifier/reg.js';
import { coerce, coerceBounds, sync, syncFull } from '../../vm/verifier/scalar.js';
import { syncHalves } from '../../vm/verifier/sync-halves.js';
import { syncU32 } from '../../vm/verifier/sync-u32.js';
import { bucketOf, forgetAll, recall } from '../../vm/verifier/sync-memo.js';
import { tnum } from '../../vm/verifier/tnum.js';
import { xorshift32 } from '../fuzz/rng.js';
import { fields, hex, random64, randomReg, randomReg64 } from './verifier-random-reg.js';

describe('[vm/verifier]: reg_bounds_sync on 32-bit halves (sync-halves.ts)', () => {
  for (let part = 0; part < 8; part++) {
    it(`matches the full bigint round on 5,000 random registers (part ${part + 1} of 8)`, () => {
      const next = xorshift32(0x4a1f + part);
      let fast = 0;
      for (let i = 0; i < 5_000; i++) {
        const r = next() % 4 === 0 ? randomReg(next) : randomReg64(next);
        const a = r.clone();
        const b = r.clone();
        syncFull(a);
        if (!syncHalves(b)) {
          expect(fields(b), 'a register handed back is untouched').toEqual(fields(r));
          continue;
        }
        fast++;
        expect(fields(b), `case ${i}: ${hex(r)}`).toEqual(fields(a));
      }
      // most registers are in the fast path's domain, or this test proves little
      expect(fast).toBeGreaterThan(3_000);
    });
  }

  it('hands back only out-of-range bounds and the inconsistent s32 copy', () => {
    const r = new Reg();
    r.t = RT.SCALAR;
    r.umax = -1n;
    expect(syncHalves(r.clone())).toBe(false);
    r.umax = U64_MAX;
    expect(syncHalves(r.clone())).toBe(true);
    // __reg_deduce_mixed_bounds would store s32max < 0 as umax
    r.smin = 0n;
    r.smax = 10n;
    r.s32min = 5;
    r.s32max = -3;
    expect(syncHalves(r.clone())).toBe(false);
  });
});

describe('[vm/verifier]: coerce_reg_to_size of an unknown scalar (computed once per size)', () => {
  it('matches the full computation, for unknown and other registers of every width', () => {
    const next = xorshift32(0xc0e7);
    let unknown = 0;
    for (let i = 0; i < 2_000; i++) {
      const r = next() % 2 === 0 ? new Reg() : randomReg64(next);
      r.t = RT.SCALAR;
      if (r.v.m === U64_MAX && r.umin === 0n && r.umax === U64_MAX && r.smin === S64_MIN && r.smax === S64_MAX) unknown++;
      for (const size of [1, 2, 4]) {
        const a = r.clone();
        const b = r.clone();
        coerce(a, size);
        coerceBounds(b, size);
        expect(fields(a), `case ${i}, size ${size}: ${hex(r)}`).toEqual(fields(b));
      }
    }
    expect(unknown).toBeGreaterThan(700);
  });
});

describe('[vm/verifier]: reg_bounds_sync fast paths', () => {
  for (let part = 0; part < 8; part++) {
    it(`match the full bigint round on 5,000 random registers (part ${part + 1} of 8)`, () => {
      const next = xorshift32(0x5eed + part);
      let fast = 0;
      for (let i = 0; i < 5_000; i++) {
        const r = randomReg(next);
        const a = r.clone();
        const b = r.clone();
        syncFull(a);
        sync(b);
        if (syncU32(r.clone())) fast++;
        expect(fields(b), `case ${i}: ${JSON.stringify(fields(r), (_, x) => (typeof x === 'bigint' ? x.toString(16) : x))}`).toEqual(fields(a));
      }
      // the generator must reach the fast path often, or this test proves nothing
      expect(fast).toBeGreaterThan(1_500);
    });
  }

  it('leaves an unknown scalar unknown', () => {
    const r = new Reg();
    r.t = RT.SCALAR;
    const a = r.clone();
    syncFull(a);
    sync(r);
    expect(fields(r)).toEqual(fields(a));
    expect(r.v.m).toBe(U64_MAX);
  });
});

describe('[vm/verifier]: reg_bounds_sync results remembered by input (sync-memo.ts)', () => {
  // A few registers met again and again, as in a walk, and registers one field away from them:
  // a remembered result must be given back for its own input only. A changed field that feeds
  // the bucket's hash is given a value in the same bucket, so that the entry compare must tell
  // the two apart.
  const bucket = (x: Reg): number => bucketOf(x.v, x.umin, x.umax, x.u32min, x.u32max, x.s32min, x.s32max);
  const sameBucket = (x: Reg, set: () => void): void => {
    const want = bucket(x);
    for (let k = 0; k < 100_000; k++) {
      set();
      if (bucket(x) === want) return;
    }
    throw new Error('no value in the same bucket');
  };
  const oneFieldAway = (r: Reg, next: () => number): Reg => {
    const x = r.clone();
    const d = BigInt((next() % 2) * 2 - 1);
    const n32 = (): number => (next() % 4 === 0 ? next() | 0 : next());
    switch (next() % 10) {
      case 0: {
        const bit = 1n << BigInt(next() % 64);
        x.v = tnum(x.v.v ^ (bit & ~x.v.m), x.v.m);
        break;
      }
      case 1: sameBucket(x, () => {
        const m = random64(next) & random64(next);
        x.v = tnum(x.v.v & ~m, m);
      }); break;
      case 2: sameBucket(x, () => (x.umin = random64(next))); break;
      case 3: sameBucket(x, () => (x.umax = random64(next))); break;
      case 4: x.smin += d; break;
      case 5: x.smax += d; break;
      case 6: sameBucket(x, () => (x.u32min = n32())); break;
      case 7: sameBucket(x, () => (x.u32max = n32())); break;
      case 8: sameBucket(x, () => (x.s32min = n32())); break;
      case 9: sameBucket(x, () => (x.s32max = n32())); break;
    }
    return x;
  };
  for (let part = 0; part < 8; part++) {
    it(`gives the full round's result on 2,500 repeated and near-repeated registers (part ${part + 1} of 8)`, () => {
      const next = xorshift32(0x3e30 + part);
      forgetAll();
      const pool = Array.from({ length: 40 }, () => (next() % 2 === 0 ? randomReg(next) : randomReg64(next)));
      let hits = 0;
      let near = 0;
      for (let i = 0; i < 2_500; i++) {
        const base = pool[next() % pool.length];
        const r = next() % 3 === 0 ? oneFieldAway(base, next) : base;
        if (r !== base) near++;
        const a = r.clone();
        const b = r.clone();
        syncFull(a);
        if (recall(r.clone()) < 0) hits++;
        sync(b);
        expect(fields(b), `case ${i}: ${hex(r)}`).toEqual(fields(a));
      }
      // the pool is met often enough to be remembered, and the near misses are many
      expect(hits).toBeGreaterThan(1_000);
      expect(near).toBeGreaterThan(500);
    });
  }
});
