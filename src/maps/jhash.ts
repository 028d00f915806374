/**
 * @fileoverview Bob Jenkins' lookup3 hash as the kernel uses it (include/linux/jhash.h:
 * jhash over bytes, jhash2 over u32 words, initial value 0xdeadbeef + length + seed).
 * Written from the public-domain lookup3 description; the bloom filter map needs the
 * kernel's exact bit positions (checked against the kernel in test/goldens/maps/t_bloom).
 */

const JHASH_INITVAL = 0xdeadbeef;

function rol(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/** The three-word state, mixed in place (lookup3's mix() and final()). */
class State {
  a = 0;
  b = 0;
  c = 0;

  mix(): void {
    let { a, b, c } = this;
    a = (a - c) | 0; a ^= rol(c, 4); c = (c + b) | 0;
    b = (b - a) | 0; b ^= rol(a, 6); a = (a + c) | 0;
    c = (c - b) | 0; c ^= rol(b, 8); b = (b + a) | 0;
    a = (a - c) | 0; a ^= rol(c, 16); c = (c + b) | 0;
    b = (b - a) | 0; b ^= rol(a, 19); a = (a + c) | 0;
    c = (c - b) | 0; c ^= rol(b, 4); b = (b + a) | 0;
    this.a = a;
    this.b = b;
    this.c = c;
  }

  final(): void {
    let { a, b, c } = this;
    c ^= b; c = (c - rol(b, 14)) | 0;
    a ^= c; a = (a - rol(c, 11)) | 0;
    b ^= a; b = (b - rol(a, 25)) | 0;
    c ^= b; c = (c - rol(b, 16)) | 0;
    a ^= c; a = (a - rol(c, 4)) | 0;
    b ^= a; b = (b - rol(a, 14)) | 0;
    c ^= b; c = (c - rol(b, 24)) | 0;
    this.a = a;
    this.b = b;
    this.c = c;
  }
}

const st = new State();

/** jhash(key, length, initval): bytes, read as little-endian words. */
export function jhash(k: Uint8Array, length: number, initval: number): number {
  st.a = st.b = st.c = (JHASH_INITVAL + length + initval) | 0;
  let o = 0;
  let n = length;
  const w = (i: number) => k[i] | (k[i + 1] << 8) | (k[i + 2] << 16) | (k[i + 3] << 24);
  while (n > 12) {
    st.a = (st.a + w(o)) | 0;
    st.b = (st.b + w(o + 4)) | 0;
    st.c = (st.c + w(o + 8)) | 0;
    st.mix();
    n -= 12;
    o += 12;
  }
  if (n === 0) return st.c >>> 0;
  // The last 1..12 bytes: byte i of the tail goes to word i/4 at bit 8*(i%4).
  const add = [0, 0, 0];
  for (let i = 0; i < n; i++) add[i >> 2] |= k[o + i] << (8 * (i & 3));
  st.a = (st.a + add[0]) | 0;
  st.b = (st.b + add[1]) | 0;
  st.c = (st.c + add[2]) | 0;
  st.final();
  return st.c >>> 0;
}

/** jhash2(words, length in words, initval): `k` holds 4 × length bytes, little-endian words. */
export function jhash2(k: Uint8Array, length: number, initval: number): number {
  st.a = st.b = st.c = (JHASH_INITVAL + (length << 2) + initval) | 0;
  let o = 0;
  let n = length;
  const w = (i: number) => k[i] | (k[i + 1] << 8) | (k[i + 2] << 16) | (k[i + 3] << 24);
  while (n > 3) {
    st.a = (st.a + w(o)) | 0;
    st.b = (st.b + w(o + 4)) | 0;
    st.c = (st.c + w(o + 8)) | 0;
    st.mix();
    n -= 3;
    o += 12;
  }
  if (n === 0) return st.c >>> 0;
  if (n >= 3) st.c = (st.c + w(o + 8)) | 0;
  if (n >= 2) st.b = (st.b + w(o + 4)) | 0;
  st.a = (st.a + w(o)) | 0;
  st.final();
  return st.c >>> 0;
}
