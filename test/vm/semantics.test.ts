/**
 * Shared semantics against a BigInt reference written from the rules in docs/isa-semantics.md §2
 * (independent of the int32-pair code under test).
 */
import { describe, expect, it } from 'vitest';
import * as S from '../../vm/semantics.js';

const M64 = (1n << 64n) - 1n;
const toS64 = (v: bigint): bigint => BigInt.asIntN(64, v);
const split = (v: bigint): [number, number] => [Number(v & 0xffffffffn) | 0, Number((v >> 32n) & 0xffffffffn) | 0];
const joined = (): bigint => (BigInt(S.R[1] >>> 0) << 32n) | BigInt(S.R[0] >>> 0);

/** Edge values plus a deterministic pseudo-random spread. */
const VALUES: bigint[] = (() => {
  const base = [0n, 1n, 2n, 3n, 7n, 0x7fn, 0x80n, 0xffn, 0xffffn, 0x7fffffffn, 0x80000000n, 0xffffffffn, 0x100000000n,
    0x100000001n, 0xfffffffffn, (1n << 52n) - 1n, 1n << 52n, 1n << 53n, 0x7fffffffffffffffn, 0x8000000000000000n,
    M64, M64 - 1n, 0x123456789abcdef0n, 0xdeadbeefcafebaben];
  let x = 0x9e3779b97f4a7c15n;
  for (let k = 0; k < 40; k++) {
    x = (x * 6364136223846793005n + 1442695040888963407n) & M64;
    base.push(k % 3 === 0 ? x >> BigInt(k % 50) : x);
  }
  return base;
})();

const refUdiv = (a: bigint, b: bigint): bigint => (b === 0n ? 0n : a / b);
const refUmod = (a: bigint, b: bigint): bigint => (b === 0n ? a : a % b);
const refSdiv = (a: bigint, b: bigint): bigint => {
  if (b === 0n) return 0n;
  return BigInt.asUintN(64, toS64(a) / toS64(b)); // LLONG_MIN / -1 wraps to LLONG_MIN
};
const refSmod = (a: bigint, b: bigint): bigint => {
  if (b === 0n) return a;
  return BigInt.asUintN(64, toS64(a) % toS64(b));
};

describe('[vm/semantics]: 64-bit arithmetic on int32 pairs', () => {
  it('mul64 matches mod-2^64 arithmetic', () => {
    for (const a of VALUES) {
      for (const b of VALUES) {
        const [alo, ahi] = split(a);
        const [blo, bhi] = split(b);
        S.mul64(alo, ahi, blo, bhi);
        expect(joined()).toBe((a * b) & M64);
      }
    }
  });

  it('unsigned and signed div/mod follow the kernel rules (zero divisor, -1, LLONG_MIN)', () => {
    for (const a of VALUES) {
      for (const b of VALUES) {
        const [alo, ahi] = split(a);
        const [blo, bhi] = split(b);
        S.udiv64(alo, ahi, blo, bhi);
        expect(joined(), `${a} / ${b}`).toBe(refUdiv(a, b));
        S.umod64(alo, ahi, blo, bhi);
        expect(joined(), `${a} % ${b}`).toBe(refUmod(a, b));
        S.sdiv64(alo, ahi, blo, bhi);
        expect(joined(), `${a} s/ ${b}`).toBe(refSdiv(a, b));
        S.smod64(alo, ahi, blo, bhi);
        expect(joined(), `${a} s% ${b}`).toBe(refSmod(a, b));
      }
    }
  });

  it('32-bit div/mod: zero divisor, INT_MIN / -1, truncation toward zero', () => {
    const V32 = [0, 1, 2, 7, -1, -2, -7, 0x7fffffff, -0x80000000, 0x12345678, -0x12345678];
    for (const a of V32) {
      for (const b of V32) {
        const ua = BigInt(a >>> 0);
        const ub = BigInt(b >>> 0);
        expect(S.udiv32(a, b) >>> 0).toBe(Number(ub === 0n ? 0n : ua / ub));
        expect(S.umod32(a, b) >>> 0).toBe(Number(ub === 0n ? ua : ua % ub));
        const sa = BigInt(a);
        const sb = BigInt(b);
        expect(S.sdiv32(a, b) >>> 0).toBe(Number(BigInt.asUintN(32, sb === 0n ? 0n : sa / sb)));
        expect(S.smod32(a, b) >>> 0).toBe(Number(BigInt.asUintN(32, sb === 0n ? sa : sa % sb)));
      }
    }
    // the documented examples
    expect(S.sdiv32(-0x80000000, -1)).toBe(-0x80000000);
    expect(S.smod32(-7, 2)).toBe(-1);
    expect(S.smod32(7, -2)).toBe(1);
    expect(S.smod32(-0x80000000, -1)).toBe(0);
  });

  it('shifts for every amount 0..63', () => {
    for (const a of VALUES.slice(0, 30)) {
      const [lo, hi] = split(a);
      for (let n = 0; n < 64; n++) {
        S.lsh64(lo, hi, n);
        expect(joined()).toBe((a << BigInt(n)) & M64);
        S.rsh64(lo, hi, n);
        expect(joined()).toBe(a >> BigInt(n));
        S.arsh64(lo, hi, n);
        expect(joined()).toBe(BigInt.asUintN(64, toS64(a) >> BigInt(n)));
      }
    }
  });

  it('byte swaps and TO_LE', () => {
    const [lo, hi] = split(0x1122334455667788n);
    expect(S.bswap(lo, hi, 16)).toBe(true);
    expect(joined()).toBe(0x8877n);
    S.bswap(lo, hi, 32);
    expect(joined()).toBe(0x88776655n);
    S.bswap(lo, hi, 64);
    expect(joined()).toBe(0x8877665544332211n);
    S.toLe(lo, hi, 16);
    expect(joined()).toBe(0x7788n);
    S.toLe(lo, hi, 32);
    expect(joined()).toBe(0x55667788n);
    S.toLe(lo, hi, 64);
    expect(joined()).toBe(0x1122334455667788n);
    expect(S.bswap(lo, hi, 8)).toBe(false);
    expect(S.toLe(lo, hi, 0)).toBe(false);
  });

  it('sign extension', () => {
    expect(S.sx8(0x80)).toBe(-128);
    expect(S.sx8(0x17f)).toBe(127);
    expect(S.sx16(0x8000)).toBe(-32768);
  });

  it('mulhiU32 is the high word of the 64-bit product', () => {
    for (const a of [0, 1, 0xffff, 0x10000, 0xffffffff, 0x12345678, 0x80000000]) {
      for (const b of [0, 1, 0xffff, 0x10000, 0xffffffff, 0x9abcdef0, 0x80000000]) {
        expect(S.mulhiU32(a, b) >>> 0).toBe(Number((BigInt(a) * BigInt(b)) >> 32n));
      }
    }
  });
});
