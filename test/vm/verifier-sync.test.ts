/**
 * reg_bounds_sync's fast paths (vm/verifier/sync-u32.ts, and the unknown-scalar shortcut in
 * scalar.ts) against the full bigint round, on seeded random registers: every field must come
 * out the same, including for inconsistent bounds and tnums that contradict them.
 */
import { describe, expect, it } from 'vitest';
import { Reg, RT, S32_MAX, S32_MIN, S64_MAX, S64_MIN, U32_MAX, U64_MAX } from '../../vm/verifier/reg.js';
import { sync, syncFull } from '../../vm/verifier/scalar.js';
import { syncU32 } from '../../vm/verifier/sync-u32.js';
import { tnum } from '../../vm/verifier/tnum.js';
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

describe('[vm/verifier]: reg_bounds_sync fast paths', () => {
  for (let part = 0; part < 4; part++) {
    it(`match the full bigint round on 10,000 random registers (part ${part + 1} of 4)`, () => {
      const next = xorshift32(0x5eed + part);
      let fast = 0;
      for (let i = 0; i < 10_000; i++) {
        const r = randomReg(next);
        const a = r.clone();
        const b = r.clone();
        syncFull(a);
        sync(b);
        if (syncU32(r.clone())) fast++;
        expect(fields(b), `case ${i}: ${JSON.stringify(fields(r), (_, x) => (typeof x === 'bigint' ? x.toString(16) : x))}`).toEqual(fields(a));
      }
      // the generator must reach the fast path often, or this test proves nothing
      expect(fast).toBeGreaterThan(3_000);
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
