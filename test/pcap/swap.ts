/**
 * Test helpers: the same capture written in the other byte order (the tools on this machine
 * write little-endian files only), swapping every multi-byte field the reader interprets.
 */
function sw16(b: Uint8Array, o: number): void {
  [b[o], b[o + 1]] = [b[o + 1], b[o]];
}
function sw32(b: Uint8Array, o: number): void {
  [b[o], b[o + 1], b[o + 2], b[o + 3]] = [b[o + 3], b[o + 2], b[o + 1], b[o]];
}

/** A little-endian pcap file as a big-endian one. */
export function swapPcap(le: Uint8Array): Uint8Array {
  const b = le.slice();
  const dv = new DataView(le.buffer, le.byteOffset, le.byteLength);
  sw32(b, 0);
  sw16(b, 4);
  sw16(b, 6);
  for (const o of [8, 12, 16, 20]) sw32(b, o);
  for (let o = 24; o + 16 <= le.length; ) {
    const incl = dv.getUint32(o + 8, true);
    for (const k of [0, 4, 8, 12]) sw32(b, o + k);
    o += 16 + incl;
  }
  return b;
}

/** Swap an options list in [p, end) (codes and lengths; epb_flags values). */
function swapOptions(b: Uint8Array, dv: DataView, p: number, end: number, numeric: Set<number>): void {
  while (p + 4 <= end) {
    const code = dv.getUint16(p, true);
    const len = dv.getUint16(p + 2, true);
    sw16(b, p);
    sw16(b, p + 2);
    if (code === 0) return;
    if (numeric.has(code) && len === 4) sw32(b, p + 4);
    p += 4 + ((len + 3) & ~3);
  }
}

/** A little-endian pcapng file as a big-endian one (SHB, IDB, EPB, SPB; other blocks' framing). */
export function swapPcapng(le: Uint8Array): Uint8Array {
  const b = le.slice();
  const dv = new DataView(le.buffer, le.byteOffset, le.byteLength);
  for (let o = 0; o + 12 <= le.length; ) {
    const type = dv.getUint32(o, true);
    const total = dv.getUint32(o + 4, true);
    const end = o + total - 4;
    sw32(b, o);
    sw32(b, o + 4);
    sw32(b, end);
    const body = o + 8;
    if (type === 0x0a0d0d0a) {
      sw32(b, body);
      sw16(b, body + 4);
      sw16(b, body + 6);
      // section length: a 64-bit value
      b.subarray(body + 8, body + 16).reverse();
      swapOptions(b, dv, body + 16, end, new Set());
    } else if (type === 1) {
      sw16(b, body);
      sw16(b, body + 2);
      sw32(b, body + 4);
      swapOptions(b, dv, body + 8, end, new Set());
    } else if (type === 6) {
      for (const k of [0, 4, 8, 12, 16]) sw32(b, body + k);
      const cap = dv.getUint32(body + 12, true);
      swapOptions(b, dv, body + 20 + ((cap + 3) & ~3), end, new Set([2]));
    } else if (type === 3) {
      sw32(b, body);
    }
    o += total;
  }
  return b;
}
