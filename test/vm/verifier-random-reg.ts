/**
 * @fileoverview Seeded random verifier registers for the bounds tests (verifier-sync.test.ts,
 * verifier-bounds-fast.test.ts): u32-sized registers, registers anywhere in the 64-bit space
 * with every kind of tnum, and 64-bit values at the edges of the u32, s32, exact-double, s64
 * and u64 ranges.
 */
import { Reg, RT, S32_MAX, S32_MIN, S64_MAX, S64_MIN, U32_MAX, U64_MAX } from '../../vm/verifier/reg.js';
import { tRange, tnum } from '../../vm/verifier/tnum.js';

export const EDGES = [0, 1, 2, 7, 8, 0xff, 0x100, 0xffff, 0x10000, 0x7ffffffe, 0x7fffffff, 0x80000000, 0x80000001, 0xfffffffe, 0xffffffff];

export function randomReg(next: () => number): Reg {
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

export const fields = (r: Reg): unknown[] => [r.v.v, r.v.m, r.umin, r.umax, r.smin, r.smax, r.u32min, r.u32max, r.s32min, r.s32max];

/** 64-bit values at and around the edges of the u32, s32, exact-double, s64 and u64 ranges. */
export const EDGES64 = [
  0n, 1n, 2n, 0xffn, 0x7fffffffn, 0x80000000n, 0xffffffffn, 1n << 32n, (1n << 32n) + 1n, (1n << 33n) - 1n,
  (1n << 53n) - 1n, 1n << 53n, (1n << 53n) + 1n, S64_MAX - 1n, S64_MAX, 1n << 63n, (1n << 63n) + 1n, U64_MAX - 1n, U64_MAX,
  ...[-0x80000000n, -0x80000001n, -(1n << 32n), -(1n << 53n), -(1n << 53n) - 1n].map((x) => BigInt.asUintN(64, x)),
];

/** A u64 bit pattern: an edge (or its neighbour), a small value, or random halves. */
export function random64(next: () => number): bigint {
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
export function randomReg64(next: () => number): Reg {
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

export const hex = (r: Reg): string => JSON.stringify(fields(r), (_, x) => (typeof x === 'bigint' ? x.toString(16) : x));
