/**
 * Seeded random ALU programs: each engine (interpreter and JIT) against a BigInt model written directly from the
 * rules of docs/isa-semantics.md §2 (independent of vm/semantics.ts). Registers r0..r9 are folded
 * into r0 at the end so that every register is compared.
 */
import { describe, expect, it } from 'vitest';
import { xorshift32 } from '../fuzz/rng.js';
import { ENGINES, insns, onEngine } from './vm-harness.js';

const M64 = (1n << 64n) - 1n;
const M32 = 0xffffffffn;
const s64 = (v: bigint): bigint => BigInt.asIntN(64, v);
const s32 = (v: bigint): bigint => BigInt.asIntN(32, v);

/** Reference: one ALU/ALU64 op on unsigned 64-bit values. `b` is already the operand (K sign-extended for ALU64). */
function model(op: number, is64: boolean, off: number, a: bigint, b: bigint): bigint {
  const W = is64 ? M64 : M32;
  const x = a & W;
  const y = b & W;
  const sx = is64 ? s64 : s32;
  let r: bigint;
  switch (op) {
    case 0x00: r = x + y; break;
    case 0x10: r = x - y; break;
    case 0x20: r = x * y; break;
    case 0x30: // div / sdiv
      if (y === 0n) r = 0n;
      else r = off === 0 ? x / y : sx(x) / sx(y);
      break;
    case 0x90: // mod / smod
      if (y === 0n) r = x;
      else r = off === 0 ? x % y : sx(x) % sx(y);
      break;
    case 0x40: r = x | y; break;
    case 0x50: r = x & y; break;
    case 0xa0: r = x ^ y; break;
    case 0x60: r = x << (y & (is64 ? 63n : 31n)); break;
    case 0x70: r = x >> (y & (is64 ? 63n : 31n)); break;
    case 0xc0: r = sx(x) >> (y & (is64 ? 63n : 31n)); break;
    case 0x80: r = -x; break;
    case 0xb0: r = y; break;
    default: throw new Error(`model: op ${op}`);
  }
  return r & W; // ALU32 results are zero-extended
}

/** Deterministic: the same programs on every run. */
const rng = xorshift32;

const OPS = [0x00, 0x10, 0x20, 0x30, 0x90, 0x40, 0x50, 0xa0, 0x60, 0x70, 0xc0, 0x80, 0xb0];
const INTERESTING = [0, 1, -1, 2, 31, 32, 63, 64, 0x7fffffff, -0x80000000, 0xff, -7];

function randomCase(seed: number): { bytes: Uint8Array; expected: bigint } {
  const next = rng(seed);
  const regs: bigint[] = new Array(10).fill(0n);
  const list: [number, number?, number?, number?, number?][] = [];
  // seed every register with a 64-bit constant (lddw)
  for (let r = 0; r < 10; r++) {
    const lo = next() | 0;
    const hi = next() % 4 === 0 ? 0 : next() | 0;
    list.push([0x18, r, 0, 0, lo], [0x00, 0, 0, 0, hi]);
    regs[r] = (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0);
  }
  for (let k = 0; k < 60; k++) {
    const op = OPS[next() % OPS.length];
    const is64 = next() % 2 === 0;
    const useX = op !== 0x80 && next() % 2 === 0;
    const dst = next() % 10;
    const src = next() % 10;
    const signed = (op === 0x30 || op === 0x90) && next() % 2 === 0 ? 1 : 0;
    let imm = next() % 3 === 0 ? INTERESTING[next() % INTERESTING.length] : next() | 0;
    if ((op === 0x60 || op === 0x70 || op === 0xc0) && !useX) imm = next() % (is64 ? 64 : 32); // the kernel rejects bigger
    if ((op === 0x30 || op === 0x90) && !useX && imm === 0) imm = 3; // the kernel rejects K = 0
    const code = op | (useX ? 0x08 : 0) | (is64 ? 0x07 : 0x04);
    list.push([code, dst, useX ? src : 0, signed, useX ? 0 : imm]);
    const b = useX ? regs[src] : is64 ? BigInt.asUintN(64, BigInt(imm)) : BigInt(imm >>> 0);
    regs[dst] = model(op, is64, signed, regs[dst], b);
  }
  // fold: r0 ^= rN rotated by N
  let acc = regs[0];
  for (let r = 1; r < 10; r++) {
    list.push([0x67, r, 0, 0, r], [0xaf, 0, r]); // rN <<= N; r0 ^= rN
    acc ^= (regs[r] << BigInt(r)) & M64;
  }
  list.push([0x95]);
  return { bytes: insns(...list), expected: acc };
}
describe.each(ENGINES)('[%s]', (engine) => {
  const { r0Of } = onEngine(engine);

  describe('[vm/random]: seeded ALU programs against a BigInt model', () => {
    it.each(Array.from({ length: 200 }, (_, k) => k + 1))('seed %i', (seed) => {
      const { bytes, expected } = randomCase(seed * 2654435761);
      expect(r0Of(bytes)).toBe(expected);
    });
  });
});
