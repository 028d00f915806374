/** Loading the committed kernel goldens of test/goldens/skb. */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestRunOutput } from '../../src/skb/index.js';
import type { RunResult } from '../../vm/program.js';

export const GOLDEN_DIR = join(dirname(fileURLToPath(import.meta.url)), '../goldens/skb');

export interface KernelRun {
  loaded?: boolean;
  err: number;
  errname?: string;
  retval?: number;
  data_out?: string;
  data_out_unchanged?: boolean;
  ctx_out?: string;
  data_size_out?: number;
}

export interface GoldenCase {
  prog: string;
  packet: string;
  ctx?: string;
  ctxOut?: boolean;
  kernel: KernelRun;
  [k: string]: unknown;
}

export function loadGolden(name: string): GoldenCase[] {
  return JSON.parse(readFileSync(join(GOLDEN_DIR, name), 'utf8')) as GoldenCase[];
}

export const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
export const unhex = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'hex'));

/** Compares one test run of case `c` with the kernel's answer: what differs is pushed to `wrong`. */
export function diffWithKernel(c: GoldenCase, res: RunResult, out: TestRunOutput, wrong: string[]): void {
  const label = String(c.name ?? `${c.kind} off ${c.off} size ${c.size}`);
  if (res.fault) {
    wrong.push(`${label}: fault ${res.fault.message}`);
    return;
  }
  const k = c.kernel;
  if (out.retval !== k.retval) wrong.push(`${label}: retval kernel ${k.retval}, ours ${out.retval}`);
  const kData = k.data_out_unchanged ? c.packet : k.data_out;
  if (kData !== undefined && hex(out.dataOut as Uint8Array) !== kData) wrong.push(`${label}: data_out`);
  if (k.ctx_out !== undefined && hex(out.ctxOut as Uint8Array) !== k.ctx_out) wrong.push(`${label}: ctx_out`);
}
