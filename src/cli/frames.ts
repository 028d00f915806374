/**
 * @fileoverview Frame input and `--pcap-out` output for the commands that run packets (run,
 * trace, cover, prog run, net): one reading function (a capture by magic number, else hex
 * text; bounded) and the error report for a capture that breaks off part-way: the frames
 * before the fault are run and written, then the error is printed and the exit status is 1.
 */
import { writeFileSync } from 'node:fs';
import { UsageError } from '../../vm/errors.js';
import { parseFrames, type FrameInput } from '../pcap/input.js';
import type { ReadLimits } from '../pcap/reader.js';
import type { CliIo } from './io.js';

/** Caps on one packets file (file size, frame count and frame size; src/pcap/reader.ts). */
export const PACKETS_LIMITS: ReadLimits = {};

/**
 * Read the frames of a packets file: pcap / pcapng (any byte order; Ethernet, Linux SLL/SLL2,
 * raw IP, converted to Ethernet) or hex text. `bytes` replaces the file read (standard input).
 * The one place commands read packets files (a bounded read of the file belongs here).
 */
export function readPacketsFile(io: CliIo, path: string, bytes?: Uint8Array): FrameInput {
  const b = bytes ?? io.readFile(path, 'packets');
  try {
    return parseFrames(b, PACKETS_LIMITS);
  } catch (e) {
    if (e instanceof UsageError) throw new UsageError(`${path}: ${e.message}`);
    throw e;
  }
}

/** After the frames were processed: report a capture that broke off (stderr, exit status 1). */
export function reportInputError(io: CliIo, path: string, input: FrameInput): void {
  if (!input.error) return;
  io.err(`tcxlab: ${path}: ${input.error.message} (${input.frames.length} frames before it were processed)\n`);
  io.exitCode = 1;
}

/** Write a --pcap-out file ("-" is not allowed: the commands print to standard output). */
export function writePcapOut(path: string, bytes: Uint8Array): void {
  try {
    writeFileSync(path, bytes);
  } catch (e) {
    throw new UsageError(`--pcap-out: cannot write ${JSON.stringify(path)}: ${(e as NodeJS.ErrnoException).code ?? 'EIO'}`);
  }
}
