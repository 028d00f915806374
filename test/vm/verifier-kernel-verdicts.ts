/**
 * @fileoverview The kernel's verdicts on selftests programs recorded one at a time as sched_cls
 * (test/goldens/verifier/record-as-tc.sh), and tcxlab's verdict on the same program, for the
 * tests that compare them (verifier-callbacks, verifier-loops, verifier-linked, verifier-tailcall, verifier-spinlock).
 */
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { loadCollectionSpec, type CollectionSpec } from '../../loader/index.js';
import { SCHED_CLS_TYPE } from '../../src/skb/verifier-type.js';
import { verifierOptionsFor } from '../../src/verifier-env.js';
import { VerifierError } from '../../vm/errors.js';
import { verify } from '../../vm/verifier/index.js';

export interface Recorded {
  name: string;
  verdict: 'accept' | 'reject';
  message: string | null;
  processed: number | null;
}

export interface RecordedObject {
  object: string;
  programs: Recorded[];
}

const ROOT = new URL('../../', import.meta.url);

export function readGolden<T>(file: string): T {
  return JSON.parse(readFileSync(new URL(file, ROOT), 'utf8')) as T;
}

export function loadSpec(object: string): CollectionSpec {
  return loadCollectionSpec(new Uint8Array(readFileSync(new URL(object, ROOT))), { programType: 'sched_cls', pinning: 'none' });
}

/**
 * tcxlab's verdict, processed count and first error on program `name` of `spec` verified as
 * sched_cls whatever its section (as record-as-tc.sh loads it), with the kernel's complexity
 * limit or `complexityLimit`.
 */
export function ours(spec: CollectionSpec, name: string, complexityLimit?: number): { verdict: 'accept' | 'reject'; processed?: number; reason?: string } {
  const ps = spec.programs.find((p) => p.name === name);
  if (!ps) throw new Error(`no program ${name}`);
  // a program calling a kfunc tcxlab lacks is refused before verification (Collection.refused)
  const kfuncs = (ps.unsupported ?? []).map((u) => u.name);
  if (kfuncs.length) return { verdict: 'reject', reason: `unsupported kfunc ${kfuncs.join(', ')}` };
  try {
    return { verdict: 'accept', processed: verify(ps.instructions, { ...verifierOptionsFor(spec, ps), progType: SCHED_CLS_TYPE, complexityLimit }).processed };
  } catch (e) {
    if (!(e instanceof VerifierError)) throw e;
    return { verdict: 'reject', processed: e.processed, reason: e.reason };
  }
}

/**
 * The recording has both outcomes, and one test per program of `doc`: tcxlab gives the kernel's
 * verdict, first error and processed count.
 */
export function itMatchesEachProgram(doc: RecordedObject): void {
  const spec = loadSpec(doc.object);
  it('has recorded both outcomes', () => {
    expect(new Set(doc.programs.map((p) => p.verdict))).toEqual(new Set(['accept', 'reject']));
  });
  it.each(doc.programs.map((p) => [p.name, p] as const))('%s', (name, r) => {
    const got = ours(spec, name);
    expect(got.verdict).toBe(r.verdict);
    expect(got.reason ?? null).toBe(r.message);
    expect(got.processed).toBe(r.processed);
  });
}
