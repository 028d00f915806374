/**
 * @fileoverview Frames for a run from one input file, whatever its form: a pcap or pcapng
 * capture (detected by magic number; frames converted to Ethernet, linktype.ts) or hex text
 * (one frame per line, `#` comments). Captures that break off part-way give the frames before
 * the fault and the fault (a PcapError with its byte offset), so callers can run those frames
 * and then report the error.
 */
import { BpfError, PcapError, UsageError } from '../../vm/errors.js';
import { fromHex } from '../maps/bytes.js';
import { toEthernet } from './linktype.js';
import { captureFormat, DEFAULT_MAX_FILE_BYTES, parseCapture, type ReadLimits } from './reader.js';

/** One frame to run: `line` is the hex file's 1-based line, or the capture's frame number. */
export interface InputFrame {
  line: number;
  /** An Ethernet frame. */
  data: Uint8Array;
  /** Capture timestamp (captures only). */
  timestampNs?: bigint;
  /** Wire length when the capture truncated the frame (captures only). */
  origLen?: number;
}

export interface FrameInput {
  format: 'hex' | 'pcap' | 'pcapng';
  frames: InputFrame[];
  /** The capture broke off here; `frames` are the ones before. */
  error?: PcapError;
}

/** Hex text: one frame per line, `#` comments and blank lines ignored; a bad line is a UsageError. */
export function parseHexFrames(text: string): InputFrame[] {
  const out: InputFrame[] = [];
  text.split('\n').forEach((raw, i) => {
    const s = raw.replace(/#.*/, '').replace(/\s+/g, '');
    if (s === '') return;
    if (!/^([0-9a-fA-F]{2})*$/.test(s)) throw new UsageError(`packets line ${i + 1}: not an even-length hex string`);
    out.push({ line: i + 1, data: fromHex(s)! });
  });
  return out;
}

/** Frames from file bytes: a capture by magic number, else hex text. */
export function parseFrames(bytes: Uint8Array, limits: ReadLimits = {}): FrameInput {
  const fmt = captureFormat(bytes);
  const max = limits.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  if (fmt === undefined && bytes.length > max) throw new UsageError(`packets file of ${bytes.length} bytes exceeds the size limit of ${max} bytes (maxFileBytes)`);
  if (fmt === undefined) {
    // control bytes: a binary file that is no capture, rather than bad hex text
    const head = bytes.subarray(0, 4096);
    if (head.some((x) => x < 0x09 || (x > 0x0d && x < 0x20))) {
      const magic = [...bytes.subarray(0, 4)].map((x) => x.toString(16).padStart(2, '0')).join('');
      throw new UsageError(`neither a pcap/pcapng capture (first bytes ${magic}) nor hex text`);
    }
    return { format: 'hex', frames: parseHexFrames(new TextDecoder().decode(bytes)) };
  }
  const cap = parseCapture(bytes, limits);
  const out: FrameInput = { format: fmt, frames: [] };
  for (const f of cap.frames) {
    try {
      const data = toEthernet(f.linkType, f.data, { offset: f.dataOffset, frame: f.index });
      out.frames.push({ line: f.index, data, timestampNs: f.timestampNs, ...(f.origLen > f.data.length ? { origLen: f.origLen } : {}) });
    } catch (e) {
      if (!(e instanceof BpfError)) throw e;
      out.error = e as PcapError;
      return out;
    }
  }
  if (cap.error) out.error = cap.error;
  return out;
}
