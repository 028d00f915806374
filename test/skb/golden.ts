/** Loading the committed kernel goldens of test/goldens/skb. */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

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
