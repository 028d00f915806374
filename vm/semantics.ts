/**
 * @fileoverview The edge-case arithmetic of the BPF ISA on 64-bit values held as two int32
 * halves, shared by the interpreter and the JIT so that the two engines cannot drift apart.
 *
 * Value convention: a 64-bit register is (hi, lo), both int32 (`| 0` form); the unsigned view of
 * a half is `x >>> 0`. Functions that produce a 64-bit value write it into the module scratch
 * `R` (R[0] = lo, R[1] = hi); generated JIT code can import `R` and the functions directly.
 * Functions that produce a 32-bit value return it as int32, and the caller zero-extends
 * (hi = 0), as every ALU32 result is zero-extended (docs/isa-semantics.md §2; kernel
 * `___bpf_prog_run` and the verifier's zext rules).
 *
 * No BigInt on the common paths: multiplication uses Math.imul plus 16-bit limbs for the high
 * word; division uses doubles while both operands fit in 52 bits and BigInt only beyond.
 *
 * Division rules (kernel `___bpf_prog_run` ALU(64)_DIV/MOD, and the verifier's
 * `do_misc_fixups` rewrites for a zero or −1 divisor):
 *
 *   op     | divisor 0                    | divisor −1 (signed forms)
 *   -------+------------------------------+------------------------------------------
 *   DIV    | 0                            | (unsigned: ordinary division)
 *   SDIV   | 0                            | −dst (LLONG_MIN / −1 = LLONG_MIN)
 *   MOD    | dst (ALU: low 32, zext)      | (unsigned: ordinary modulo)
 *   SMOD   | dst (ALU: low 32, zext)      | 0
 */
import { AtomicOp } from './isa.js';


/** Scratch result of the 64-bit functions: R[0] = low half, R[1] = high half (int32). */
export const R = new Int32Array(2);

const TWO32 = 4294967296;

// ---------------------------------------------------------------------------------------------
// Multiplication

/** High 32 bits (int32) of the unsigned 64-bit product of two unsigned 32-bit values. */
export function mulhiU32(a: number, b: number): number {
  const a0 = a & 0xffff;
  const a1 = a >>> 16;
  const b0 = b & 0xffff;
  const b1 = b >>> 16;
  const p00 = a0 * b0;
  const p01 = a0 * b1;
  const p10 = a1 * b0;
  //  a*b = p11<<32 + (p01 + p10)<<16 + p00; carry the middle column into the high word.
  const mid = (p00 >>> 16) + (p01 & 0xffff) + (p10 & 0xffff);
  return (a1 * b1 + (p01 >>> 16) + (p10 >>> 16) + (mid >>> 16)) | 0;
}

/** R = a * b mod 2^64. */
export function mul64(alo: number, ahi: number, blo: number, bhi: number): void {
  R[0] = Math.imul(alo, blo);
  R[1] = (mulhiU32(alo, blo) + Math.imul(alo, bhi) + Math.imul(ahi, blo)) | 0;
}

/** R = −a mod 2^64 (the signed division's sign handling). */
function neg64(alo: number, ahi: number): void {
  R[0] = -alo | 0;
  R[1] = (~ahi + (alo === 0 ? 1 : 0)) | 0;
}

// ---------------------------------------------------------------------------------------------
// Shifts. The amount is already masked by the caller (& 63 or & 31): register amounts are
// masked by the ISA (kernel: `DST << (SRC & 63)`), out-of-range immediates are rejected at load
// by the kernel and masked here, as the bpf_conformance suite expects.

/** R = a << n, 0 ≤ n ≤ 63. */
export function lsh64(lo: number, hi: number, n: number): void {
  if (n === 0) {
    R[0] = lo;
    R[1] = hi;
  } else if (n < 32) {
    R[1] = (hi << n) | (lo >>> (32 - n));
    R[0] = lo << n;
  } else {
    R[1] = lo << (n - 32);
    R[0] = 0;
  }
}

/** R = a >>> n (logical), 0 ≤ n ≤ 63. */
export function rsh64(lo: number, hi: number, n: number): void {
  if (n === 0) {
    R[0] = lo;
    R[1] = hi;
  } else if (n < 32) {
    R[0] = (lo >>> n) | (hi << (32 - n));
    R[1] = hi >>> n;
  } else {
    R[0] = hi >>> (n - 32);
    R[1] = 0;
  }
}

/** R = a >> n (arithmetic), 0 ≤ n ≤ 63. */
export function arsh64(lo: number, hi: number, n: number): void {
  if (n === 0) {
    R[0] = lo;
    R[1] = hi;
  } else if (n < 32) {
    R[0] = (lo >>> n) | (hi << (32 - n));
    R[1] = hi >> n;
  } else {
    R[0] = hi >> (n - 32);
    R[1] = hi >> 31;
  }
}

// ---------------------------------------------------------------------------------------------
// 32-bit division (results are int32; the caller zero-extends)

/** Unsigned 32-bit division; a zero divisor gives 0. */
export function udiv32(a: number, b: number): number {
  const d = b >>> 0;
  return d === 0 ? 0 : ((a >>> 0) / d) >>> 0 | 0;
}

/** Unsigned 32-bit modulo; a zero divisor gives the dividend. */
export function umod32(a: number, b: number): number {
  const d = b >>> 0;
  return d === 0 ? a | 0 : ((a >>> 0) % d) | 0;
}

/**
 * Signed 32-bit division, truncating toward zero; zero divisor gives 0 and INT_MIN / −1 gives
 * INT_MIN (the kernel rewrites sdiv by −1 to neg).
 */
export function sdiv32(a: number, b: number): number {
  if (b === 0) return 0;
  return ((a | 0) / (b | 0)) | 0;
}

/** Signed 32-bit modulo with the sign of the dividend; zero divisor gives a, −1 gives 0. */
export function smod32(a: number, b: number): number {
  if (b === 0) return a | 0;
  if (b === -1) return 0;
  return ((a | 0) % (b | 0)) | 0;
}

// ---------------------------------------------------------------------------------------------
// 64-bit division. Both operands below 2^52: doubles are exact (with one correction step);
// otherwise BigInt. The quotient or remainder goes to R.

/** Whether an unsigned 64-bit value (hi, lo) is below 2^52. */
const small = (hi: number): boolean => hi >>> 0 < 0x100000;

function udivmod64(alo: number, ahi: number, blo: number, bhi: number, wantMod: boolean): void {
  if (small(ahi) && small(bhi)) {
    const a = (ahi >>> 0) * TWO32 + (alo >>> 0);
    const b = (bhi >>> 0) * TWO32 + (blo >>> 0);
    let q = Math.floor(a / b);
    let r = a - q * b;
    if (r < 0) {
      q -= 1;
      r += b;
    } else if (r >= b) {
      q += 1;
      r -= b;
    }
    const v = wantMod ? r : q;
    R[0] = v % TWO32 | 0;
    R[1] = Math.floor(v / TWO32) | 0;
    return;
  }
  const a = (BigInt(ahi >>> 0) << 32n) | BigInt(alo >>> 0);
  const b = (BigInt(bhi >>> 0) << 32n) | BigInt(blo >>> 0);
  const v = wantMod ? a % b : a / b;
  R[0] = Number(v & 0xffffffffn) | 0;
  R[1] = Number(v >> 32n) | 0;
}

/** R = a / b (unsigned 64-bit); a zero divisor gives 0. */
export function udiv64(alo: number, ahi: number, blo: number, bhi: number): void {
  if ((blo | bhi) === 0) {
    R[0] = 0;
    R[1] = 0;
  } else if ((ahi | bhi) === 0) {
    R[0] = udiv32(alo, blo);
    R[1] = 0;
  } else {
    udivmod64(alo, ahi, blo, bhi, false);
  }
}

/** R = a % b (unsigned 64-bit); a zero divisor leaves a. */
export function umod64(alo: number, ahi: number, blo: number, bhi: number): void {
  if ((blo | bhi) === 0) {
    R[0] = alo;
    R[1] = ahi;
  } else if ((ahi | bhi) === 0) {
    R[0] = umod32(alo, blo);
    R[1] = 0;
  } else {
    udivmod64(alo, ahi, blo, bhi, true);
  }
}

/**
 * R = a / b (signed 64-bit, truncating toward zero); zero divisor gives 0; LLONG_MIN / −1 is
 * LLONG_MIN (−x wraps).
 */
export function sdiv64(alo: number, ahi: number, blo: number, bhi: number): void {
  if ((blo | bhi) === 0) {
    R[0] = 0;
    R[1] = 0;
    return;
  }
  const na = ahi < 0;
  const nb = bhi < 0;
  let ulo = alo;
  let uhi = ahi;
  if (na) {
    neg64(alo, ahi);
    ulo = R[0];
    uhi = R[1];
  }
  let vlo = blo;
  let vhi = bhi;
  if (nb) {
    neg64(blo, bhi);
    vlo = R[0];
    vhi = R[1];
  }
  udiv64(ulo, uhi, vlo, vhi);
  if (na !== nb) neg64(R[0], R[1]);
}

/** R = a % b (signed 64-bit, sign of the dividend); zero divisor leaves a; −1 gives 0. */
export function smod64(alo: number, ahi: number, blo: number, bhi: number): void {
  if ((blo | bhi) === 0) {
    R[0] = alo;
    R[1] = ahi;
    return;
  }
  const na = ahi < 0;
  let ulo = alo;
  let uhi = ahi;
  if (na) {
    neg64(alo, ahi);
    ulo = R[0];
    uhi = R[1];
  }
  let vlo = blo;
  let vhi = bhi;
  if (bhi < 0) {
    neg64(blo, bhi);
    vlo = R[0];
    vhi = R[1];
  }
  umod64(ulo, uhi, vlo, vhi);
  if (na) neg64(R[0], R[1]);
}

// ---------------------------------------------------------------------------------------------
// Byte order (kernel: BPF_END; TO_LE is a truncation on little-endian hosts)

/** Swap the two low bytes; result is zero-extended to 32 bits (for `bswap`; the JIT inlines it). */
const bswap16 = (x: number): number => ((x & 0xff) << 8) | ((x >>> 8) & 0xff);

/** Swap the four bytes of a 32-bit value (int32 result). */
export const bswap32 = (x: number): number =>
  ((x & 0xff) << 24) | ((x & 0xff00) << 8) | ((x >>> 8) & 0xff00) | (x >>> 24);

/**
 * Byte swap of width 16/32/64 (BE on a little-endian host, and ALU64 BSWAP). R = result,
 * zero-extended from the width. Returns false for any other width (rejected by the kernel).
 */
export function bswap(lo: number, hi: number, width: number): boolean {
  switch (width) {
    case 16:
      R[0] = bswap16(lo);
      R[1] = 0;
      return true;
    case 32:
      R[0] = bswap32(lo);
      R[1] = 0;
      return true;
    case 64:
      R[0] = bswap32(hi);
      R[1] = bswap32(lo);
      return true;
    default:
      return false;
  }
}

/** TO_LE on a little-endian host: truncation to the width, zero-extended. False for a bad width. */
export function toLe(lo: number, hi: number, width: number): boolean {
  switch (width) {
    case 16:
      R[0] = lo & 0xffff;
      R[1] = 0;
      return true;
    case 32:
      R[0] = lo;
      R[1] = 0;
      return true;
    case 64:
      R[0] = lo;
      R[1] = hi;
      return true;
    default:
      return false;
  }
}

// ---------------------------------------------------------------------------------------------
// Sign extension (MOVSX, LDX MEMSX)

/** Sign-extend the low 8 bits to int32. */
export const sx8 = (x: number): number => (x << 24) >> 24;
/** Sign-extend the low 16 bits to int32. */
export const sx16 = (x: number): number => (x << 16) >> 16;

/**
 * Atomic read-modify-write on `size` (4 or 8) bytes at `o` of `v` (kernel: the BPF_ATOMIC ops of
 * ___bpf_prog_run; RFC 9669 §5.3), shared by both engines. `regs` are the VM registers, `s` the
 * source register. ADD/OR/AND/XOR (± FETCH) and XCHG write memory and, with FETCH (XCHG has it),
 * put the old value in src; CMPXCHG compares with r0 (its low 32 bits for W), stores src on a
 * match and always puts the old value in r0. Values of 32-bit ops are zero-extended.
 * Returns false for an unknown op (the caller faults; nothing was written).
 */
export function atomicRmw(v: DataView, o: number, size: number, imm: number, L: Int32Array, H: Int32Array, s: number): boolean {
  const oldLo = v.getInt32(o, true);
  const oldHi = size === 8 ? v.getInt32(o + 4, true) : 0;
  const slo = L[s];
  const shi = size === 8 ? H[s] : 0;
  let nlo: number;
  let nhi: number;
  switch (imm & ~AtomicOp.FETCH) {
    case AtomicOp.ADD: {
      const sum = (oldLo >>> 0) + (slo >>> 0);
      nlo = sum | 0;
      nhi = (oldHi + shi + (sum > 0xffffffff ? 1 : 0)) | 0;
      break;
    }
    case AtomicOp.OR:
      nlo = oldLo | slo;
      nhi = oldHi | shi;
      break;
    case AtomicOp.AND:
      nlo = oldLo & slo;
      nhi = oldHi & shi;
      break;
    case AtomicOp.XOR:
      nlo = oldLo ^ slo;
      nhi = oldHi ^ shi;
      break;
    case AtomicOp.XCHG & ~AtomicOp.FETCH:
      if (imm !== AtomicOp.XCHG) return false;
      nlo = slo;
      nhi = shi;
      break;
    case AtomicOp.CMPXCHG & ~AtomicOp.FETCH: {
      if (imm !== AtomicOp.CMPXCHG) return false;
      if (size === 8 ? oldLo === L[0] && oldHi === H[0] : oldLo === L[0]) {
        v.setInt32(o, slo, true);
        if (size === 8) v.setInt32(o + 4, shi, true);
      }
      L[0] = oldLo;
      H[0] = oldHi;
      return true;
    }
    default:
      return false;
  }
  v.setInt32(o, nlo, true);
  if (size === 8) v.setInt32(o + 4, nhi, true);
  if ((imm & AtomicOp.FETCH) !== 0) {
    L[s] = oldLo;
    H[s] = oldHi;
  }
  return true;
}

/** Store the low `size` (1, 2, 4 or 8) bytes of the value (hi:lo) little-endian at `o` of `v`. */
export function storeSized(v: DataView, o: number, size: number, lo: number, hi: number): void {
  switch (size) {
    case 1:
      v.setUint8(o, lo & 0xff);
      return;
    case 2:
      v.setUint16(o, lo & 0xffff, true);
      return;
    case 4:
      v.setInt32(o, lo, true);
      return;
    default:
      v.setInt32(o, lo, true);
      v.setInt32(o + 4, hi, true);
  }
}
