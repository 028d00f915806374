/**
 * @fileoverview Internet checksum arithmetic exactly as the x86-64 kernel computes it
 * (`include/net/checksum.h`, `arch/x86/lib/csum-partial_64.c`, `net/core/utils.c`).
 *
 * A "sum" (`__wsum`) is a u32 one's-complement partial sum over little-endian u32 words read from
 * memory; a "folded" value (`__sum16`) is its complemented 16-bit fold. Both are plain JS numbers
 * in [0, 2^32) here. Because one's-complement addition commutes with byte swapping, working on
 * little-endian words gives the right bytes when the result is stored back little-endian.
 */

/** One's-complement 32-bit add with end-around carry (`csum_add`). */
export function add32(a: number, b: number): number {
  const s = (a >>> 0) + (b >>> 0);
  return ((s >>> 0) + (s > 0xffffffff ? 1 : 0)) >>> 0;
}

/** `csum_sub(a, b)` = a + ~b. */
export function sub32(a: number, b: number): number {
  return add32(a, ~b >>> 0);
}

/** One's-complement 16-bit add (`csum16_add`). */
export function add16(a: number, b: number): number {
  const s = (a & 0xffff) + (b & 0xffff);
  return (s + (s >>> 16)) & 0xffff;
}

/** `csum_fold`: fold 32 → 16 bits and complement. */
export function fold(x: number): number {
  x >>>= 0;
  x = (x & 0xffff) + (x >>> 16);
  x = (x & 0xffff) + (x >>> 16);
  return ~x & 0xffff;
}

/** `csum_unfold`: a folded 16-bit field as a u32 sum. */
export const unfold = (x: number): number => x & 0xffff;

/** `csum_from32to16`: a non-inverted 16-bit fold (csum_diff's result on 6.13+). */
export function from32to16(x: number): number {
  x >>>= 0;
  const t = (x + (((x << 16) | (x >>> 16)) >>> 0)) >>> 0;
  return t >>> 16;
}

/**
 * x86-64 `csum_partial(buf, len, seed)`: seed plus every little-endian u32 word (the last one
 * zero-padded), reduced modulo 0xffffffff with end-around carries; a nonzero total that reduces
 * to 0 comes out as 0xffffffff (that is what the carry chain leaves in the register).
 */
export function csumPartial(buf: Uint8Array, seed = 0): number {
  let s = seed >>> 0;
  const n = buf.length;
  let i = 0;
  // Accumulate in a float: 2^32 * (n/4) stays exact far beyond any packet size.
  let acc = s;
  for (; i + 4 <= n; i += 4) acc += (buf[i] | (buf[i + 1] << 8) | (buf[i + 2] << 16) | (buf[i + 3] << 24)) >>> 0;
  if (i < n) {
    let w = 0;
    for (let k = 0; i + k < n; k++) w |= buf[i + k] << (8 * k);
    acc += w >>> 0;
  }
  if (acc === 0) return 0;
  s = acc % 0xffffffff;
  return s === 0 ? 0xffffffff : s;
}

/** `csum_block_add(csum, csum2, offset)`: an odd offset byte-swaps csum2 first. */
export function blockAdd(csum: number, csum2: number, offset: number): number {
  if (offset & 1) csum2 = ((csum2 >>> 8) | (csum2 << 24)) >>> 0;
  return add32(csum, csum2);
}

/** `csum_block_sub(csum, csum2, offset)`. */
export function blockSub(csum: number, csum2: number, offset: number): number {
  return blockAdd(csum, ~csum2 >>> 0, offset);
}

/** Read a little-endian u16 / u32 (the raw memory value, as `*(__sum16 *)` reads it). */
export const rd16 = (b: Uint8Array, o: number): number => b[o] | (b[o + 1] << 8);
export const wr16 = (b: Uint8Array, o: number, v: number): void => {
  b[o] = v & 0xff;
  b[o + 1] = (v >>> 8) & 0xff;
};
