/**
 * @fileoverview The Internet checksum (RFC 1071) and the pseudo-headers TCP, UDP and ICMPv6
 * add to it (RFC 793 / 768 for IPv4, RFC 8200 section 8.1 for IPv6).
 */

/** One's-complement sum of 16-bit big-endian words (odd length: a zero pad byte), not folded. */
export function sum16(b: Uint8Array, init = 0): number {
  let s = init;
  const n = b.length & ~1;
  for (let i = 0; i < n; i += 2) s += (b[i] << 8) | b[i + 1];
  if (b.length & 1) s += b[b.length - 1] << 8;
  return s;
}

/** Fold a sum to 16 bits and complement it. */
export function fold(s: number): number {
  while (s > 0xffff) s = (s & 0xffff) + Math.floor(s / 0x10000);
  return ~s & 0xffff;
}

/** The Internet checksum of `b` (0 when the field inside `b` is already right). */
export function inetChecksum(b: Uint8Array, init = 0): number {
  return fold(sum16(b, init));
}

/** Sum of the pseudo-header for an upper-layer packet of `len` bytes and protocol `proto`. */
export function pseudoSum(src: Uint8Array, dst: Uint8Array, proto: number, len: number): number {
  // IPv4: src, dst, zero, proto, 16-bit length; IPv6: src, dst, 32-bit length, 3 zeros, next header
  let s = sum16(src) + sum16(dst) + proto;
  s += src.length === 4 ? len : Math.floor(len / 0x10000) + (len & 0xffff);
  return s;
}
