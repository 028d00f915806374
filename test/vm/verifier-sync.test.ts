/**
 * reg_bounds_sync's fast paths (vm/verifier/sync-u32.ts, vm/verifier/sync-halves.ts, and the
 * unknown-scalar shortcut in scalar.ts) against the full bigint round, on seeded random
 * registers: every field must come out the same, including for inconsistent bounds, tnums that
 * contradict them, and bounds at the edges of their types (±2^31, 2^32, ±2^53, ±2^63, 2^64 - 1).
 */
import { describe, expect, it } from 'vitest';
import { Reg, RT, S32_MAX, S32_MIN, S64_MAX, S64_MIN, U32_MAX, U64_MAX } from '../../vm/verifier/reg.js';
import { coerce, coerceBounds, sync, syncFull } from '../../vm/verifier/scalar.js';
import { syncHalves } from '../../vm/verifier/sync-halves.js';
import { syncU32 } from '../../vm/verifier/sync-u32.js';
import { tRange, tnum } from '../../vm/verifier/tnum.js';
import { xorshift32 } from '../fuzz/rng.js';

const EDGES = [0, 1, 2, 7, 8, 0xff, 0x100, 0xffff, 0x10000, 0x7ffffffe, 0x7fffffff, 0x80000000, 0x80000001, 0xfffffffe, 0xffffffff];

function randomReg(next: () => number): Reg {
  const pick = (): number => (next() % 3 === 0 ? EDGES[next() % EDGES.length] : next() % 4 === 0 ? next() % 300 : next());
  const pair = (): [number, number] => {
    const a = pick();
    const b = pick();
    return next() % 16 === 0 ? [Math.max(a, b), Math.min(a, b)] : [Math.min(a, b), Math.max(a, b)];
  };
  const r = new Reg();
  r.t = RT.SCALAR;
  const [umin, umax] = pair();
  r.umin = BigInt(umin);
  r.umax = BigInt(umax);
  if (next() % 8 === 0) r.umax = U64_MAX; // outside the fast path's domain
  if (next() % 3 === 0) {
    r.smin = r.umin;
    r.smax = r.umax;
  } else {
    const [smin, smax] = pair();
    r.smin = next() % 10 === 0 ? S64_MIN : BigInt(smin);
    r.smax = next() % 10 === 0 ? S64_MAX : BigInt(smax);
  }
  if (next() % 3 === 0) {
    r.u32min = 0;
    r.u32max = U32_MAX;
  } else {
    [r.u32min, r.u32max] = pair();
  }
  if (next() % 3 === 0) {
    r.s32min = S32_MIN;
    r.s32max = S32_MAX;
  } else {
    const [a, b] = pair();
    const x = a | 0;
    const y = b | 0;
    [r.s32min, r.s32max] = next() % 16 === 0 ? [Math.max(x, y), Math.min(x, y)] : [Math.min(x, y), Math.max(x, y)];
  }
  // tnum: low half from a random mask (or a range-like low mask), upper half zero, unknown or mixed
  const width = next() % 33;
  let m = next() % 2 === 0 ? (width === 32 ? 0xffffffff : 2 ** width - 1) : next() & next();
  if (next() % 20 === 0) m = 0;
  const v = (next() & ~m) >>> 0;
  const hiKind = next() % 6;
  const hiM = hiKind < 3 ? 0n : hiKind < 5 ? 0xffffffff00000000n : BigInt(next() & 0xffff0000) << 32n;
  const hiV = hiKind === 5 && next() % 2 === 0 ? 1n << 40n : 0n;
  r.v = tnum(BigInt(v) | (hiV & ~hiM), BigInt(m >>> 0) | hiM);
  return r;
}

const fields = (r: Reg): unknown[] => [r.v.v, r.v.m, r.umin, r.umax, r.smin, r.smax, r.u32min, r.u32max, r.s32min, r.s32max];

/** 64-bit values at and around the edges of the u32, s32, exact-double, s64 and u64 ranges. */
const EDGES64 = [
  0n, 1n, 2n, 0xffn, 0x7fffffffn, 0x80000000n, 0xffffffffn, 1n << 32n, (1n << 32n) + 1n, (1n << 33n) - 1n,
  (1n << 53n) - 1n, 1n << 53n, (1n << 53n) + 1n, S64_MAX - 1n, S64_MAX, 1n << 63n, (1n << 63n) + 1n, U64_MAX - 1n, U64_MAX,
  ...[-0x80000000n, -0x80000001n, -(1n << 32n), -(1n << 53n), -(1n << 53n) - 1n].map((x) => BigInt.asUintN(64, x)),
];

/** A u64 bit pattern: an edge (or its neighbour), a small value, or random halves. */
function random64(next: () => number): bigint {
  const k = next() % 4;
  if (k === 0) return BigInt.asUintN(64, EDGES64[next() % EDGES64.length] + BigInt((next() % 3) - 1));
  if (k === 1) return BigInt(next() % 1000);
  if (k === 2) return BigInt.asUintN(64, -BigInt(next() % 1000));
  return (BigInt(next()) << 32n) | BigInt(next());
}

/**
 * A register anywhere in the 64-bit space: ordered, reversed or consistent (one range seen
 * signed and unsigned with its tnum) bounds, every kind of tnum, and now and then a bound one
 * step past its type (as branch refinement makes: umax - 1 at 0), which the fast path must hand
 * back to the bigint round.
 */
function randomReg64(next: () => number): Reg {
  const r = new Reg();
  r.t = RT.SCALAR;
  const order = (a: bigint, b: bigint): [bigint, bigint] => (next() % 16 === 0 ? [a > b ? a : b, a > b ? b : a] : [a < b ? a : b, a < b ? b : a]);
  const [umin, umax] = order(random64(next), random64(next));
  r.umin = umin;
  r.umax = umax;
  if (next() % 4 === 0) {
    // one range: the signed view of [umin, umax] when it does not cross the sign, its tnum
    if (BigInt.asIntN(64, umin) <= BigInt.asIntN(64, umax)) {
      r.smin = BigInt.asIntN(64, umin);
      r.smax = BigInt.asIntN(64, umax);
    }
    r.v = tRange(umin, umax);
    if (umin >> 32n === umax >> 32n) {
      r.u32min = Number(umin & 0xffffffffn);
      r.u32max = Number(umax & 0xffffffffn);
    }
  } else {
    const [smin, smax] = order(BigInt.asIntN(64, random64(next)), BigInt.asIntN(64, random64(next)));
    r.smin = next() % 8 === 0 ? S64_MIN : smin;
    r.smax = next() % 8 === 0 ? S64_MAX : smax;
    const a = next() % 3 === 0 ? EDGES[next() % EDGES.length] : next();
    const b = next() % 3 === 0 ? EDGES[next() % EDGES.length] : next();
    if (next() % 2) [r.u32min, r.u32max] = a <= b || next() % 16 === 0 ? [a, b] : [b, a];
    if (next() % 2) {
      const [x, y] = [a | 0, b | 0];
      [r.s32min, r.s32max] = x <= y || next() % 16 === 0 ? [x, y] : [y, x];
    }
    const m = next() % 3 === 0 ? U64_MAX : next() % 2 === 0 ? (1n << BigInt(next() % 65)) - 1n : random64(next) & random64(next);
    r.v = tnum(random64(next) & ~m, m);
  }
  // a bound stepped past the end of its type
  switch (next() % 24) {
    case 0: r.umax = -1n; break;
    case 1: r.umin = U64_MAX + 1n; break;
    case 2: r.smax = S64_MIN - 1n; break;
    case 3: r.smin = S64_MAX + 1n; break;
    case 4: r.u32max = -1; break;
    case 5: r.u32min = U32_MAX + 1; break;
    case 6: r.s32max = S32_MIN - 1; break;
    case 7: r.s32min = S32_MAX + 1; break;
  }
  return r;
}

const hex = (r: Reg): string => JSON.stringify(fields(r), (_, x) => (typeof x === 'bigint' ? x.toString(16) : x));

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
