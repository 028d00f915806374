/**
 * @fileoverview The format engine of bpf_trace_printk, bpf_trace_vprintk and bpf_snprintf.
 *
 * Checks follow the kernel's bpf_bprintf_prepare (kernel/bpf/helpers.c): the format must hold a
 * NUL within its size, every character before it must be printable or whitespace, at most
 * `maxArgs` conversions, flags `0 + - space`, a width but no precision, and only these
 * conversions: d i u x X (with l or ll), c, s, p pK px ps pS pB pks pus pI4 pi4 pI6 pi6.
 * Formatting follows the kernel's vsnprintf for those conversions.
 */
import { ERRNO } from '../uapi.js';

/** How a conversion reads memory behind a pointer argument (safe reads: undefined = unreadable). */
export interface PrintkMemory {
  readString(addr: bigint, max: number): string | undefined;
  readBytes(addr: bigint, size: number): Uint8Array | undefined;
}

/** Result of formatting: the text, or a negative errno. */
export type PrintkResult = { ok: true; text: string } | { ok: false; errno: number };

/** kernel MAX_BPRINTF_BUF: the per-call output buffer. */
export const MAX_BPRINTF_BUF = 1024;

const isSpace = (c: number): boolean => c === 0x20 || (c >= 0x09 && c <= 0x0d);
const isPrint = (c: number): boolean => c >= 0x20 && c <= 0x7e;
const isDigit = (c: number): boolean => c >= 0x30 && c <= 0x39;
const isPunct = (c: number): boolean => isPrint(c) && c !== 0x20 && !isDigit(c) && !/[A-Za-z]/.test(String.fromCharCode(c));
/** A character that may follow %s or a plain %p (kernel: NUL, whitespace or punctuation). */
const endsConversion = (c: number | undefined): boolean => c === undefined || c === 0 || isSpace(c) || isPunct(c);

interface Spec {
  left: boolean;
  zero: boolean;
  plus: boolean;
  space: boolean;
  width: number;
}

function pad(body: string, spec: Spec, numeric: boolean): string {
  if (body.length >= spec.width) return body;
  const fill = spec.width - body.length;
  if (spec.left) return body + ' '.repeat(fill);
  if (spec.zero && numeric) {
    const sign = /^[+\- ]/.test(body) ? body[0] : '';
    return sign + '0'.repeat(fill) + body.slice(sign.length);
  }
  return ' '.repeat(fill) + body;
}

/** A stable stand-in for the kernel's hashed %p output (siphash with a boot-time key). */
function hashPointer(addr: bigint): string {
  let h = 0xcbf29ce484222325n;
  for (let i = 0n; i < 64n; i += 8n) {
    h ^= (addr >> i) & 0xffn;
    h = BigInt.asUintN(64, h * 0x100000001b3n);
  }
  return (h & 0xffffffffn).toString(16).padStart(16, '0');
}

function ip4(b: Uint8Array | undefined, padded: boolean): string {
  const bytes = b ?? new Uint8Array(4);
  return Array.from(bytes, (x) => (padded ? x.toString().padStart(3, '0') : x.toString())).join('.');
}

function ip6(b: Uint8Array | undefined, colons: boolean): string {
  const bytes = b ?? new Uint8Array(16);
  const hex = Array.from(bytes, (x) => x.toString(16).padStart(2, '0')).join('');
  return colons ? hex.match(/.{4}/g)!.join(':') : hex;
}

/**
 * Format `fmt` (bytes up to `fmtSize`) with u64 arguments. `maxArgs` is 3 for trace_printk
 * and 12 for trace_vprintk/snprintf.
 */
export function bprintf(fmt: Uint8Array, args: readonly bigint[], maxArgs: number, mem: PrintkMemory): PrintkResult {
  const end = fmt.indexOf(0);
  if (end < 0) return { ok: false, errno: ERRNO.EINVAL };
  let out = '';
  let argi = 0;
  const next = (): bigint => args[argi] ?? 0n;
  for (let i = 0; i < end; i++) {
    const c = fmt[i];
    if (!isPrint(c) && !isSpace(c)) return { ok: false, errno: ERRNO.EINVAL };
    if (c !== 0x25 /* % */) {
      out += String.fromCharCode(c);
      continue;
    }
    if (fmt[i + 1] === 0x25) {
      out += '%';
      i++;
      continue;
    }
    if (argi >= maxArgs) return { ok: false, errno: ERRNO.EINVAL };
    i++;
    const spec: Spec = { left: false, zero: false, plus: false, space: false, width: 0 };
    for (;;) {
      const f = fmt[i];
      if (f === 0x30) spec.zero = true;
      else if (f === 0x2b) spec.plus = true;
      else if (f === 0x2d) spec.left = true;
      else if (f === 0x20) spec.space = true;
      else break;
      i++;
    }
    if (fmt[i] >= 0x31 && fmt[i] <= 0x39) {
      let w = 0;
      while (i < end && isDigit(fmt[i])) w = w * 10 + (fmt[i++] - 0x30);
      spec.width = w;
    }
    const conv = String.fromCharCode(fmt[i]);
    const arg = next();
    if (conv === 'p') {
      const n1 = fmt[i + 1] === 0 || i + 1 >= end ? undefined : fmt[i + 1];
      const c1 = n1 === undefined ? '' : String.fromCharCode(n1);
      const c2 = i + 2 < end ? String.fromCharCode(fmt[i + 2]) : '';
      if ((c1 === 'k' || c1 === 'u') && c2 === 's') {
        i += 2;
        const s = arg === 0n ? '' : (mem.readString(arg, MAX_BPRINTF_BUF) ?? '');
        if (!endsConversion(i + 1 < end ? fmt[i + 1] : undefined)) return { ok: false, errno: ERRNO.EINVAL };
        out += pad(s, spec, false);
      } else if (n1 === undefined || endsConversion(n1) || c1 === 'K' || c1 === 'x' || c1 === 's' || c1 === 'S' || c1 === 'B') {
        let body: string;
        if (c1 === 'x') body = BigInt.asUintN(64, arg).toString(16).padStart(16, '0');
        else if (c1 === 's' || c1 === 'S' || c1 === 'B') body = `0x${BigInt.asUintN(64, arg).toString(16)}`;
        else body = hashPointer(arg);
        if (c1 === 'K' || c1 === 'x' || c1 === 's' || c1 === 'S' || c1 === 'B') i++;
        out += pad(body, spec, false);
      } else if ((c1 === 'i' || c1 === 'I') && (c2 === '4' || c2 === '6')) {
        i += 2;
        const b = mem.readBytes(arg, c2 === '4' ? 4 : 16);
        out += pad(c2 === '4' ? ip4(b, c1 === 'i') : ip6(b, c1 === 'I'), spec, false);
      } else {
        return { ok: false, errno: ERRNO.EINVAL };
      }
      argi++;
      continue;
    }
    if (conv === 's') {
      if (!endsConversion(i + 1 < end ? fmt[i + 1] : undefined)) return { ok: false, errno: ERRNO.EINVAL };
      const s = arg === 0n ? '' : (mem.readString(arg, MAX_BPRINTF_BUF) ?? '');
      out += pad(s, spec, false);
      argi++;
      continue;
    }
    if (conv === 'c') {
      out += pad(String.fromCharCode(Number(arg & 0xffn)), spec, false);
      argi++;
      continue;
    }
    let bits = 32;
    if (fmt[i] === 0x6c /* l */) {
      bits = 64;
      i++;
      if (fmt[i] === 0x6c) i++;
    }
    const k = String.fromCharCode(fmt[i]);
    if (!'diuxX'.includes(k) || i >= end) return { ok: false, errno: ERRNO.EINVAL };
    let body: string;
    if (k === 'd' || k === 'i') {
      const v = BigInt.asIntN(bits, arg);
      body = v.toString();
      if (v >= 0n && spec.plus) body = `+${body}`;
      else if (v >= 0n && spec.space) body = ` ${body}`;
    } else {
      const v = BigInt.asUintN(bits, arg);
      body = k === 'u' ? v.toString() : k === 'x' ? v.toString(16) : v.toString(16).toUpperCase();
    }
    out += pad(body, spec, true);
    argi++;
  }
  return { ok: true, text: out };
}
