/**
 * The verifier's bounds arithmetic written to make fewer bigints (tnum.ts without redundant
 * masks, cached shift counts, a no-op subregister replacement, lo32; JMP32 branch decisions
 * and the alignment check on numbers) against bigint references, on seeded random values and the edges
 * 0, 1, 2^31 ± 1, 2^32 ± 1, 2^53, 2^63 ± 1, 2^64 - 1:
 * - every tnum operation against the plain formula with every result masked to 64 bits;
 * - tnum_in against its formula, and check_ptr_alignment's low bits of (tnum + constant) on
 *   numbers against the bigint tnum_add;
 * - 64-bit BPF_ADD (scalar_min_max_add with each sum made once) against the rule written out:
 *   a bound sum outside s64 / u64 makes that pair unbounded;
 * - JMP32 is_scalar_branch_taken against the 64-bit (bigint) decision on the registers' 32-bit
 *   views, which is what the JMP32 code computed before, with BigInt() of each 32-bit bound.
 */
import { describe, expect, it } from 'vitest';
import { AluOp, JmpOp } from '../../vm/isa.js';
import { Reg, RT, S32_MAX, S32_MIN, S64_MAX, S64_MIN, U32_MAX, U64_MAX } from '../../vm/verifier/reg.js';
import { scalarAlu, scalarBranch, sync } from '../../vm/verifier/scalar.js';
import {
  lo32,
  tAdd,
  tAddConstMaybeOnes32,
  tAnd,
  tCast,
  tIn,
  tIntersect,
  tLshift,
  tOr,
  tRshift,
  tSub,
  tWithSubreg,
  tXor,
  tconst,
  type Tnum,
} from '../../vm/verifier/tnum.js';
import { xorshift32 } from '../fuzz/rng.js';
import { EDGES64, fields, hex, random64, randomReg64 } from './verifier-random-reg.js';

const U64 = (1n << 64n) - 1n;
const U32 = 0xffffffffn;
const m64 = (x: bigint): bigint => x & U64;

/** The tnum formulas with every intermediate and result masked (the reference). */
const REF: Record<string, (a: Tnum, b: Tnum) => Tnum> = {
  add: (a, b) => {
    const sv = m64(a.v + b.v);
    const mu = (m64(m64(a.m + b.m) + sv) ^ sv) | a.m | b.m;
    return { v: m64(sv & ~mu), m: m64(mu) };
  },
  sub: (a, b) => {
    const dv = m64(a.v - b.v);
    const mu = (m64(dv + a.m) ^ m64(dv - b.m)) | a.m | b.m;
    return { v: m64(dv & ~mu), m: m64(mu) };
  },
  and: (a, b) => ({ v: a.v & b.v, m: m64((a.v | a.m) & (b.v | b.m) & ~(a.v & b.v)) }),
  or: (a, b) => ({ v: a.v | b.v, m: m64((a.m | b.m) & ~(a.v | b.v)) }),
  xor: (a, b) => ({ v: m64((a.v ^ b.v) & ~(a.m | b.m)), m: a.m | b.m }),
  intersect: (a, b) => ({ v: m64((a.v | b.v) & ~(a.m & b.m)), m: a.m & b.m }),
  withSubreg: (a, b) => {
    const hi = U64 ^ U32;
    const v = (a.v & hi) | (b.v & U32);
    return { v, m: m64(((a.m & hi) | (b.m & U32)) & ~v) };
  },
};
const FAST: Record<string, (a: Tnum, b: Tnum) => Tnum> = {
  add: tAdd,
  sub: tSub,
  and: tAnd,
  or: tOr,
  xor: tXor,
  intersect: tIntersect,
  withSubreg: tWithSubreg,
};

/** A well-formed tnum (no bit both known 1 and unknown): edges, small, wide and all-unknown masks. */
function randomTnum(next: () => number): Tnum {
  const k = next() % 5;
  const m = k === 0 ? 0n : k === 1 ? U64 : k === 2 ? (1n << BigInt(next() % 65)) - 1n : random64(next) & random64(next);
  return { v: random64(next) & ~m & U64, m };
}

const same = (t: Tnum): [string, string] => [t.v.toString(16), t.m.toString(16)];

describe('[vm/verifier]: tnum operations without redundant masks (tnum.ts)', () => {
  it('match the fully masked formulas on 3,000 random and edge pairs', () => {
    const next = xorshift32(0xb0b5);
    const edgeTnums = EDGES64.flatMap((x) => [{ v: x, m: 0n }, { v: 0n, m: x }, { v: x & ~U32 & U64, m: x & U32 }]);
    for (let i = 0; i < 3_000; i++) {
      const a = i < edgeTnums.length * 4 ? edgeTnums[i % edgeTnums.length] : randomTnum(next);
      const b = i < edgeTnums.length * 4 ? edgeTnums[(i * 7 + (i >> 4)) % edgeTnums.length] : randomTnum(next);
      for (const op of Object.keys(REF)) expect(same(FAST[op](a, b)), `${op} ${same(a)} ${same(b)}`).toEqual(same(REF[op](a, b)));
      const s = next() % 64;
      expect(same(tLshift(a, s))).toEqual(same({ v: m64(a.v << BigInt(s)), m: m64(a.m << BigInt(s)) }));
      expect(same(tRshift(a, s))).toEqual(same({ v: a.v >> BigInt(s), m: a.m >> BigInt(s) }));
      for (const size of [1, 2, 4, 8]) {
        const mask = size === 8 ? U64 : (1n << BigInt(size * 8)) - 1n;
        expect(same(tCast(a, size))).toEqual(same({ v: a.v & mask, m: a.m & mask }));
      }
    }
  });
});

describe('[vm/verifier]: tnum_in and the alignment sum on numbers (tnum.ts)', () => {
  it('match the bigint formulas on 6,000 random and edge tnums', () => {
    const next = xorshift32(0x7171);
    const offs = [0, 1, 2, 3, 4, 7, 8, -1, -2, -4, -8, 0x7fffffff, -0x80000000, 0xffff, -0x10000];
    for (let i = 0; i < 6_000; i++) {
      const a = randomTnum(next);
      // b: a itself, a with some unknown bits fixed, or unrelated
      const k = next() % 3;
      const fix = random64(next) & a.m;
      const b = k === 0 ? a : k === 1 ? { v: a.v | (fix & random64(next)), m: a.m & ~fix } : randomTnum(next);
      const ref = (b.m & ~a.m) === 0n && (b.v & ~a.m) === a.v;
      expect(tIn(a, b), `${same(a)} ${same(b)}`).toBe(ref);
      const c = next() % 2 ? offs[next() % offs.length] : (next() | 0) >> (next() % 32);
      const sum = tAdd(a, tconst(BigInt.asUintN(64, BigInt(c))));
      expect(tAddConstMaybeOnes32(a, c), `${same(a)} + ${c}`).toBe(Number((sum.v | sum.m) & U32));
    }
  });
});

describe('[vm/verifier]: lo32 (low 32 bits of a 64-bit bound as a number)', () => {
  it('equals Number(x & 0xffffffff) on edges, their negatives and random values', () => {
    const next = xorshift32(0x1032);
    const xs = [...EDGES64, ...EDGES64.map((x) => BigInt.asIntN(64, x)), ...EDGES64.map((x) => x + 1n), ...EDGES64.map((x) => -x - 1n)];
    for (let i = 0; i < 5_000; i++) xs.push(BigInt.asIntN(64, random64(next)), random64(next));
    for (const x of xs) expect(lo32(x), x.toString(16)).toBe(Number(x & U32));
  });
});

const CODES = [JmpOp.JEQ, JmpOp.JNE, JmpOp.JSET, JmpOp.JGT, JmpOp.JGE, JmpOp.JLT, JmpOp.JLE, JmpOp.JSGT, JmpOp.JSGE, JmpOp.JSLT, JmpOp.JSLE];

/** The register's 32-bit view as a 64-bit register: its bounds and tnum's low half, as bigints. */
function view32(r: Reg): Reg {
  const x = new Reg();
  x.t = RT.SCALAR;
  x.umin = BigInt(r.u32min);
  x.umax = BigInt(r.u32max);
  x.smin = BigInt(r.s32min);
  x.smax = BigInt(r.s32max);
  x.v = { v: r.v.v & U32, m: r.v.m & U32 };
  return x;
}

/** A scalar whose 32-bit view is the constant c (upper half random). */
function const32(next: () => number, c: number): Reg {
  const r = randomReg64(next);
  r.v = { v: (random64(next) & (U64 ^ U32)) | BigInt(c >>> 0), m: next() % 2 ? 0n : U64 ^ U32 };
  r.u32min = r.u32max = c >>> 0;
  r.s32min = r.s32max = c | 0;
  return r;
}

describe('[vm/verifier]: JMP32 branch decisions on numbers (scalarBranch)', () => {
  it('match the bigint decision on the 32-bit views for every test, 3,000 random pairs', () => {
    const next = xorshift32(0x3232);
    const edge32 = [0, 1, 2, 0x7ffffffe, 0x7fffffff, 0x80000000, 0x80000001, 0xfffffffe, 0xffffffff];
    let decided = 0;
    for (let i = 0; i < 3_000; i++) {
      const a = next() % 5 === 0 ? const32(next, edge32[next() % edge32.length]) : randomReg64(next);
      const b = next() % 2 === 0 ? const32(next, next() % 3 === 0 ? next() : edge32[next() % edge32.length]) : randomReg64(next);
      for (const code of CODES) {
        const got = scalarBranch(code, a, b, true);
        expect(got, `case ${i} op ${code.toString(16)}`).toBe(scalarBranch(code, view32(a), view32(b), false));
        if (got !== -1) decided++;
      }
    }
    // both decided and undecided branches are exercised
    expect(decided).toBeGreaterThan(3_000);
    expect(decided).toBeLessThan(30_000);
  });
});

/** BPF_ADD of two scalars by the kernel's rules (scalar32_min_max_add, scalar_min_max_add), then sync. */
function refAdd(d: Reg, s: Reg): void {
  const fit = (lo: bigint, hi: bigint, min: bigint, max: bigint): boolean => lo >= min && lo <= max && hi >= min && hi <= max;
  const [a, b] = [d.s32min + s.s32min, d.s32max + s.s32max];
  [d.s32min, d.s32max] = fit(BigInt(a), BigInt(b), BigInt(S32_MIN), BigInt(S32_MAX)) ? [a, b] : [S32_MIN, S32_MAX];
  const [c, e] = [d.u32min + s.u32min, d.u32max + s.u32max];
  [d.u32min, d.u32max] = c <= U32_MAX && e <= U32_MAX ? [c, e] : [0, U32_MAX];
  const [f, g] = [d.smin + s.smin, d.smax + s.smax];
  [d.smin, d.smax] = fit(f, g, S64_MIN, S64_MAX) ? [f, g] : [S64_MIN, S64_MAX];
  const [h, k] = [d.umin + s.umin, d.umax + s.umax];
  [d.umin, d.umax] = h <= U64_MAX && k <= U64_MAX ? [h, k] : [0n, U64_MAX];
  d.v = tAdd(d.v, s.v);
  sync(d);
}

describe('[vm/verifier]: 64-bit BPF_ADD bounds (scalar.ts add64)', () => {
  it('match the kernel rule written out on 3,000 random and edge pairs', () => {
    const next = xorshift32(0xadd6);
    let wrapped = 0;
    for (let i = 0; i < 3_000; i++) {
      const d = randomReg64(next);
      const s = randomReg64(next);
      const got = d.clone();
      const want = d.clone();
      scalarAlu(AluOp.ADD, got, s, false);
      refAdd(want, s);
      expect(fields(got), `case ${i}: ${hex(d)} + ${hex(s)}`).toEqual(fields(want));
      if (got.smin === S64_MIN && got.smax === S64_MAX) wrapped++;
    }
    // both overflowing and exact sums are exercised
    expect(wrapped).toBeGreaterThan(50);
    expect(wrapped).toBeLessThan(2_950);
  });
});
