/**
 * @fileoverview Small byte utilities shared by the map types: rounding, hex, key identity.
 */

/** round_up(n, 8): the kernel's element stride for values and hash keys. */
export function roundUp8(n: number): number {
  // Not (n + 7) & ~7: that wraps to a negative int32 from n = 0x7ffffff9 on.
  return Math.ceil(n / 8) * 8;
}

const HEX: string[] = [];
for (let i = 0; i < 256; i++) HEX.push(i.toString(16).padStart(2, '0'));

/** Lower-case hex without separators, as the oracle prints bytes. */
export function toHex(b: Uint8Array): string {
  // Short keys: a loop is cheapest. Long values (a dump of 64 × 343 KB took 2 s with the loop,
  // a fuzz finding): Node's encoder.
  if (b.length > 64) return Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex');
  let s = '';
  for (let i = 0; i < b.length; i++) s += HEX[b[i]];
  return s;
}

/** Parse hex (whitespace allowed); undefined when malformed. */
export function fromHex(s: string): Uint8Array | undefined {
  const t = s.replace(/\s+/g, '');
  if (t.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(t)) return undefined;
  const out = new Uint8Array(t.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(t.substr(i * 2, 2), 16);
  return out;
}

/** memcmp order of two byte strings (shorter first on a common prefix). */
export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return a.length - b.length;
}

/** Little-endian u32 at the start of `b` (array indexes, prog/map ids). */
export function u32le(b: Uint8Array, off = 0): number {
  return (b[off] | (b[off + 1] << 8) | (b[off + 2] << 16) | (b[off + 3] << 24)) >>> 0;
}

/** 4 little-endian bytes of a u32. */
export function le32(v: number): Uint8Array {
  const b = new Uint8Array(4);
  b[0] = v & 0xff;
  b[1] = (v >>> 8) & 0xff;
  b[2] = (v >>> 16) & 0xff;
  b[3] = (v >>> 24) & 0xff;
  return b;
}

/**
 * Identity of a key of `n` bytes for a JS Map: an exact number for keys up to 6 bytes (no
 * allocation on the common u16/u32 keys), otherwise a string of UTF-16 units holding two key
 * bytes each. Keys of one map all have the same length, so the two forms never collide.
 */
export function keyOf(k: Uint8Array, n: number): number | string {
  switch (n) {
    case 1:
      return k[0];
    case 2:
      return k[0] | (k[1] << 8);
    case 4:
      return (k[0] | (k[1] << 8) | (k[2] << 16) | (k[3] << 24)) >>> 0;
    case 3:
    case 5:
    case 6: {
      let v = 0;
      for (let i = n - 1; i >= 0; i--) v = v * 256 + k[i];
      return v;
    }
    default:
      return keyString(k, n);
  }
}

const fcc = String.fromCharCode;

/** Key bytes as UTF-16 units of two bytes each; one fromCharCode call up to 16 bytes. */
function keyString(k: Uint8Array, n: number): string {
  const w = (i: number) => k[i] | (k[i + 1] << 8);
  switch (n) {
    case 7:
      return fcc(w(0), w(2), w(4), k[6]);
    case 8:
      return fcc(w(0), w(2), w(4), w(6));
    case 12:
      return fcc(w(0), w(2), w(4), w(6), w(8), w(10));
    case 13:
      return fcc(w(0), w(2), w(4), w(6), w(8), w(10), k[12]);
    case 16:
      return fcc(w(0), w(2), w(4), w(6), w(8), w(10), w(12), w(14));
    default: {
      let s = '';
      let i = 0;
      for (; i + 7 < n; i += 8) s += fcc(w(i), w(i + 2), w(i + 4), w(i + 6));
      for (; i + 1 < n; i += 2) s += fcc(w(i));
      if (i < n) s += fcc(k[i]);
      return s;
    }
  }
}

/**
 * dst[dstOff..+n) = src[srcOff..+n). Small copies use a loop: creating the subarray view that
 * TypedArray.set would need costs more than copying a few dozen bytes.
 */
export function copyBytes(dst: Uint8Array, dstOff: number, src: Uint8Array, srcOff: number, n: number): void {
  if (n <= 64) {
    for (let i = 0; i < n; i++) dst[dstOff + i] = src[srcOff + i];
  } else if (srcOff === 0 && src.length === n) {
    dst.set(src, dstOff);
  } else {
    dst.set(src.subarray(srcOff, srcOff + n), dstOff);
  }
}

/**
 * Whether `x` is a Uint8Array of any realm: jest runs tests in their own vm context, where Node's
 * Buffers (fs reads) and the context's Uint8Array are different classes, so `instanceof
 * Uint8Array` misses one of them.
 */
export function isBytes(x: unknown): x is Uint8Array {
  return ArrayBuffer.isView(x) && Object.prototype.toString.call(x) === '[object Uint8Array]';
}
