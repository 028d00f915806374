import { readFileSync } from 'node:fs';
import { SCHED_CLS_TYPE } from '../../src/skb/verifier-type.js';
import { VerifierError } from '../../vm/errors.js';
import { verify, type VerifierOptions } from '../../vm/verifier/index.js';

/** The kernel goldens of the verifier tests (test/goldens/verifier, recorded by make.sh and friends). */
export const VERIFIER_GOLDENS = new URL('../goldens/verifier/', import.meta.url);

/**
 * The kernel's processed-instruction count of every program of the committed objects
 * (processed-objects.kernel.json, recorded by make-processed.sh with
 * bpf_prog_info.verified_insns on Linux 6.18).
 */
export interface RecordedProcessed {
  object: string;
  name: string;
  verified_insns: number;
}
export const PROCESSED_GOLDENS = (JSON.parse(readFileSync(new URL('processed-objects.kernel.json', VERIFIER_GOLDENS), 'utf8')) as { programs: RecordedProcessed[] }).programs;

/** One program of a `*.kernel.json` file written by make.sh: the oracle's verdict and log. */
export interface KernelCase {
  name: string;
  prog: string;
  loaded: boolean;
  load_error?: string | null;
  verifier_log: string;
}

export function kernelCases(file: string): KernelCase[] {
  return JSON.parse(readFileSync(new URL(file, VERIFIER_GOLDENS), 'utf8')).cases;
}

/** The kernel's verdict line: the last log line before the statistics. */
export const kernelMessage = (log: string): string =>
  log
    .trim()
    .split('\n')
    .filter((l) => l && !l.startsWith('processed '))
    .at(-1) ?? '';

/** The verifier's refusal of `bytes`, or undefined when it accepts (raw programs load as sched_cls). */
export function verifierError(bytes: Uint8Array, opts: VerifierOptions = { progType: SCHED_CLS_TYPE }): VerifierError | undefined {
  try {
    verify(bytes, opts);
    return undefined;
  } catch (e) {
    if (e instanceof VerifierError) return e;
    throw e;
  }
}
