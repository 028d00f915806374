/**
 * @fileoverview Small byte utilities shared by the map types: rounding, hex, key identity.
 */

/** round_up(n, 8): the kernel's element stride for values and hash keys. */
export function roundUp8(n: number): number {
  return (n + 7) & ~7;
}

const HEX: string[] = [];
for (let i = 0; i < 256; i++) HEX.push(i.toString(16).padStart(2, '0'));

/** Lower-case hex without separators, as the oracle prints bytes. */
export function toHex(b: Uint8Array): string {
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
    default: {
      let s = '';
      let i = 0;
      for (; i + 1 < n; i += 2) s += String.fromCharCode(k[i] | (k[i + 1] << 8));
      if (i < n) s += String.fromCharCode(k[i]);
      return s;
    }
  }
}
