/**
 * @fileoverview Readers of the two capture formats (docs/pcap.md):
 *
 * - pcap (libpcap's savefile): 24-byte file header, then records of a 16-byte header and the
 *   captured bytes. Both byte orders, microsecond (a1b2c3d4) and nanosecond (a1b23c4d) stamps.
 * - pcapng: blocks of type, total length, body, total length again. Section Header Blocks set
 *   the byte order (and reset the interfaces), Interface Description Blocks give link type,
 *   snap length and timestamp resolution, Enhanced / Simple / (obsolete) Packet Blocks carry
 *   frames; other blocks are skipped.
 *
 * The reader never throws on bad input: it returns the frames read so far and a PcapError with
 * the byte offset of the record or block at fault. Every length is checked against the bytes
 * that are there before it is used, so memory stays within the file's size and the caps.
 */
import { PcapError } from '../../vm/errors.js';
import { isSupportedLinkType, linkTypeName } from './linktype.js';

/** One frame as captured. */
export interface CapturedFrame {
  /** 1-based number of the frame in the file (as Wireshark numbers them). */
  index: number;
  /** Byte offset in the file of the frame's record (pcap) or block (pcapng). */
  offset: number;
  /** Byte offset of the frame's first data byte. */
  dataOffset: number;
  linkType: number;
  /** pcapng interface id (0 for pcap). */
  interfaceId: number;
  /** The captured bytes (a copy). */
  data: Uint8Array;
  /** Length of the packet on the wire (> data.length when the capture was truncated). */
  origLen: number;
  /** Timestamp in nanoseconds since the epoch. */
  timestampNs: bigint;
  /** pcapng opt_comment options of the frame. */
  comments?: string[];
  /** pcapng epb_flags direction bits, when set. */
  direction?: 'inbound' | 'outbound';
}

export interface CaptureInterface {
  linkType: number;
  snaplen: number;
  name?: string;
  description?: string;
}

export interface Capture {
  format: 'pcap' | 'pcapng';
  interfaces: CaptureInterface[];
  frames: CapturedFrame[];
  /** Set when the file is malformed or a cap was hit: `frames` holds the frames before it. */
  error?: PcapError;
}

export interface ReadLimits {
  /** Most frames to read (default 1,000,000). */
  maxFrames?: number;
  /** Largest captured length of one frame (default 262,144, libpcap's MAXIMUM_SNAPLEN). */
  maxFrameBytes?: number;
  /** Bytes of the file read (default 256 MiB): the frames in them are kept, then the error. */
  maxFileBytes?: number;
}

export const DEFAULT_MAX_FRAMES = 1_000_000;
export const DEFAULT_MAX_FRAME_BYTES = 262_144;
export const DEFAULT_MAX_FILE_BYTES = 256 * 1024 * 1024;

const PCAP_MAGIC_US = 0xa1b2c3d4;
const PCAP_MAGIC_NS = 0xa1b23c4d;
const PCAPNG_SHB = 0x0a0d0d0a;
const PCAPNG_BOM = 0x1a2b3c4d;

/** Which format `bytes` are, by magic number (pcapng's SHB type is a palindrome). */
export function captureFormat(bytes: Uint8Array): 'pcap' | 'pcapng' | undefined {
  if (bytes.length < 4) return undefined;
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const le = dv.getUint32(0, true);
  const be = dv.getUint32(0, false);
  if (le === PCAPNG_SHB) return 'pcapng';
  if (le === PCAP_MAGIC_US || le === PCAP_MAGIC_NS || be === PCAP_MAGIC_US || be === PCAP_MAGIC_NS) return 'pcap';
  return undefined;
}

/** Parse a pcap or pcapng file (format by magic number). */
export function parseCapture(bytes: Uint8Array, limits: ReadLimits = {}): Capture {
  const max = limits.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  if (bytes.length > max) {
    // read what the limit allows; the frame cut by it (or the end) is where the error is
    const c = parseCapture(bytes.subarray(0, max), limits);
    const at = c.error?.offset ?? max;
    c.error = new PcapError(`file of ${bytes.length} bytes exceeds the size limit of ${max} bytes (maxFileBytes)`, at, c.frames.length + 1);
    return c;
  }
  const fmt = captureFormat(bytes);
  if (fmt === 'pcap') return parsePcap(bytes, limits);
  if (fmt === 'pcapng') return parsePcapng(bytes, limits);
  return { format: 'pcap', interfaces: [], frames: [], error: new PcapError('not a pcap or pcapng file (unknown magic number)', 0, 1) };
}

/** Like parseCapture, but a malformed file throws its PcapError (the frames before it are lost). */
export function readCapture(bytes: Uint8Array, limits: ReadLimits = {}): Capture {
  const c = parseCapture(bytes, limits);
  if (c.error) throw c.error;
  return c;
}

interface Caps {
  maxFrames: number;
  maxFrameBytes: number;
}

function caps(l: ReadLimits): Caps {
  return { maxFrames: l.maxFrames ?? DEFAULT_MAX_FRAMES, maxFrameBytes: l.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES };
}

/** A cap check shared by both formats; returns the error to stop with, if any. */
function capError(c: Caps, n: number, capLen: number, offset: number): PcapError | undefined {
  if (n >= c.maxFrames) return new PcapError(`frame limit reached: more than ${c.maxFrames} frames (maxFrames)`, offset, n + 1);
  if (capLen > c.maxFrameBytes) return new PcapError(`frame ${n + 1}: captured length ${capLen} exceeds the frame size limit ${c.maxFrameBytes} (maxFrameBytes)`, offset, n + 1);
  return undefined;
}

export function parsePcap(bytes: Uint8Array, limits: ReadLimits = {}): Capture {
  const c = caps(limits);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out: Capture = { format: 'pcap', interfaces: [], frames: [] };
  if (bytes.length < 24) {
    out.error = new PcapError(`file header truncated: ${bytes.length} of 24 bytes`, 0, 1);
    return out;
  }
  const m = dv.getUint32(0, true);
  const le = m === PCAP_MAGIC_US || m === PCAP_MAGIC_NS;
  const nano = dv.getUint32(0, le) === PCAP_MAGIC_NS;
  const snaplen = dv.getUint32(16, le);
  // the upper bits of the link type field carry FCS information (pcap-savefile(5))
  const linkType = dv.getUint32(20, le) & 0x03ffffff;
  out.interfaces.push({ linkType, snaplen });
  if (!isSupportedLinkType(linkType)) {
    out.error = new PcapError(`${linkTypeName(linkType)} is not supported (Ethernet, Linux SLL, SLL2, raw IP)`, 20, 1);
    return out;
  }
  let off = 24;
  while (off < bytes.length) {
    const n = out.frames.length;
    if (off + 16 > bytes.length) {
      out.error = new PcapError(`frame ${n + 1}: record header truncated: ${bytes.length - off} of 16 bytes`, off, n + 1);
      return out;
    }
    const sec = dv.getUint32(off, le);
    const frac = dv.getUint32(off + 4, le);
    const incl = dv.getUint32(off + 8, le);
    const orig = dv.getUint32(off + 12, le);
    const capErr = capError(c, n, incl, off);
    if (capErr) {
      out.error = capErr;
      return out;
    }
    if (off + 16 + incl > bytes.length) {
      out.error = new PcapError(`frame ${n + 1}: record data truncated: ${bytes.length - off - 16} of ${incl} bytes`, off, n + 1);
      return out;
    }
    if (!nano && frac >= 1_000_000) {
      out.error = new PcapError(`frame ${n + 1}: microsecond field ${frac} is not below 1000000`, off + 4, n + 1);
      return out;
    }
    out.frames.push({
      index: n + 1,
      offset: off,
      dataOffset: off + 16,
      linkType,
      interfaceId: 0,
      data: bytes.slice(off + 16, off + 16 + incl),
      origLen: Math.max(orig, incl),
      timestampNs: BigInt(sec) * 1_000_000_000n + BigInt(frac) * (nano ? 1n : 1000n),
    });
    off += 16 + incl;
  }
  return out;
}

interface NgInterface extends CaptureInterface {
  /** Timestamp units per second (if_tsresol; default 10^6). */
  unitsPerSec: bigint;
}

const OPT_ENDOFOPT = 0;
const OPT_COMMENT = 1;
const IF_NAME = 2;
const IF_DESCRIPTION = 3;
const EPB_FLAGS = 2;
const IF_TSRESOL = 9;

/** Options (code, length, value padded to 4) in [start, end); undefined when malformed. */
function options(dv: DataView, bytes: Uint8Array, start: number, end: number, le: boolean): { code: number; value: Uint8Array }[] | undefined {
  const out: { code: number; value: Uint8Array }[] = [];
  let p = start;
  while (p + 4 <= end) {
    const code = dv.getUint16(p, le);
    const len = dv.getUint16(p + 2, le);
    if (code === OPT_ENDOFOPT) return out;
    if (p + 4 + len > end) return undefined;
    out.push({ code, value: bytes.subarray(p + 4, p + 4 + len) });
    p += 4 + ((len + 3) & ~3);
  }
  return p === end ? out : undefined;
}

const utf8 = new TextDecoder('utf-8', { fatal: false });

export function parsePcapng(bytes: Uint8Array, limits: ReadLimits = {}): Capture {
  const c = caps(limits);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out: Capture = { format: 'pcapng', interfaces: [], frames: [] };
  let ifs: NgInterface[] = [];
  let le = true;
  let seenShb = false;
  let off = 0;
  const fail = (msg: string, at: number): Capture => {
    out.error = new PcapError(msg, at, out.frames.length + 1);
    return out;
  };
  while (off < bytes.length) {
    if (off + 12 > bytes.length) return fail(`block header truncated: ${bytes.length - off} of 12 bytes`, off);
    const typeLe = dv.getUint32(off, true);
    if (typeLe === PCAPNG_SHB) {
      const bom = dv.getUint32(off + 8, true);
      if (bom === PCAPNG_BOM) le = true;
      else if (dv.getUint32(off + 8, false) === PCAPNG_BOM) le = false;
      else return fail(`section header: bad byte-order magic 0x${bom.toString(16)}`, off + 8);
      seenShb = true;
      ifs = [];
    } else if (!seenShb) {
      return fail('the file does not start with a section header block', off);
    }
    const type = dv.getUint32(off, le);
    const total = dv.getUint32(off + 4, le);
    if (total < 12 || total % 4 !== 0) return fail(`block type 0x${type.toString(16)}: total length ${total} is not a multiple of 4 of at least 12`, off + 4);
    if (off + total > bytes.length) return fail(`block type 0x${type.toString(16)}: truncated: ${bytes.length - off} of ${total} bytes`, off);
    if (dv.getUint32(off + total - 4, le) !== total) return fail(`block type 0x${type.toString(16)}: trailing total length ${dv.getUint32(off + total - 4, le)} differs from ${total}`, off + total - 4);
    const body = off + 8;
    const end = off + total - 4;
    switch (type) {
      case PCAPNG_SHB: {
        if (end - body < 16) return fail('section header block too short', off);
        const major = dv.getUint16(body + 4, le);
        if (major !== 1) return fail(`section header: pcapng version ${major} (only 1.x is read)`, body + 4);
        break;
      }
      case 1: {
        // Interface Description Block
        if (end - body < 8) return fail('interface description block too short', off);
        const linkType = dv.getUint16(body, le);
        const snaplen = dv.getUint32(body + 4, le);
        const opts = options(dv, bytes, body + 8, end, le);
        if (!opts) return fail('interface description block: malformed options', body + 8);
        const itf: NgInterface = { linkType, snaplen, unitsPerSec: 1_000_000n };
        for (const o of opts) {
          if (o.code === IF_NAME) itf.name = utf8.decode(o.value).replace(/\0+$/, '');
          if (o.code === IF_DESCRIPTION) itf.description = utf8.decode(o.value).replace(/\0+$/, '');
          if (o.code === IF_TSRESOL && o.value.length >= 1) {
            const r = o.value[0];
            const exp = BigInt(r & 0x7f);
            if ((r & 0x7f) > 63) return fail(`interface description block: if_tsresol ${r} out of range`, body + 8);
            itf.unitsPerSec = r & 0x80 ? 1n << exp : 10n ** exp;
          }
        }
        ifs.push(itf);
        out.interfaces.push({ linkType, snaplen, name: itf.name, description: itf.description });
        break;
      }
      case 2:
      case 6:
      case 3: {
        // (obsolete) Packet Block, Enhanced Packet Block, Simple Packet Block
        const n = out.frames.length;
        let ifId: number;
        let capLen: number;
        let origLen: number;
        let data: number;
        let ts = 0n;
        if (type === 3) {
          if (end - body < 4) return fail('simple packet block too short', off);
          if (ifs.length === 0) return fail('simple packet block before any interface description block', off);
          ifId = 0;
          origLen = dv.getUint32(body, le);
          data = body + 4;
          // the captured length is what the block holds, at most the snap length
          capLen = Math.min(origLen, end - data, ifs[0].snaplen || Infinity);
        } else {
          // both carry interface id (EPB 4 bytes; PB 2 + drops count 2), timestamp, lengths
          if (end - body < 20) return fail(`${type === 6 ? 'enhanced' : 'obsolete'} packet block too short`, off);
          ifId = type === 6 ? dv.getUint32(body, le) : dv.getUint16(body, le);
          const hi = dv.getUint32(body + 4, le);
          const lo = dv.getUint32(body + 8, le);
          capLen = dv.getUint32(body + 12, le);
          origLen = dv.getUint32(body + 16, le);
          data = body + 20;
          if (ifId >= ifs.length) return fail(`frame ${n + 1}: interface id ${ifId} but the section has ${ifs.length} interfaces`, body);
          ts = (BigInt(hi) << 32n) | BigInt(lo);
          ts = (ts * 1_000_000_000n) / ifs[ifId].unitsPerSec;
        }
        const capErr = capError(c, n, capLen, off);
        if (capErr) {
          out.error = capErr;
          return out;
        }
        if (data + capLen > end) return fail(`frame ${n + 1}: captured length ${capLen} runs past the end of its block`, off + 20);
        let comments: string[] | undefined;
        let direction: 'inbound' | 'outbound' | undefined;
        if (type !== 3) {
          const opts = options(dv, bytes, data + ((capLen + 3) & ~3), end, le);
          if (!opts) return fail(`frame ${n + 1}: malformed options`, data + ((capLen + 3) & ~3));
          const cs = opts.filter((o) => o.code === OPT_COMMENT).map((o) => utf8.decode(o.value));
          if (cs.length) comments = cs;
          const fl = type === 6 ? opts.find((o) => o.code === EPB_FLAGS && o.value.length === 4) : undefined;
          const d = fl ? new DataView(fl.value.buffer, fl.value.byteOffset, 4).getUint32(0, le) & 3 : 0;
          if (d === 1) direction = 'inbound';
          if (d === 2) direction = 'outbound';
        }
        const linkType = ifs[ifId].linkType;
        if (!isSupportedLinkType(linkType)) return fail(`frame ${n + 1}: ${linkTypeName(linkType)} is not supported (Ethernet, Linux SLL, SLL2, raw IP)`, off);
        out.frames.push({
          index: n + 1,
          offset: off,
          dataOffset: data,
          linkType,
          interfaceId: ifId,
          data: bytes.slice(data, data + capLen),
          origLen: Math.max(origLen, capLen),
          timestampNs: ts,
          ...(comments ? { comments } : {}),
          ...(direction ? { direction } : {}),
        });
        break;
      }
      default:
      // Name Resolution, Interface Statistics, Decryption Secrets, custom blocks...: not frames
    }
    off += total;
  }
  return out;
}
