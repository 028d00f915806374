/**
 * The quick refusal before states_equal (vm/verifier/prune.ts quickFails: the register or stack
 * slot a saved state missed on last time, compared alone, or found unchanged since it was refused
 * there) against the full comparison: with QUICK_CHECK on,
 * every quick refusal is checked by regsafeStates, which must refuse too, on the programs of the
 * processed-count goldens (test_cls_redirect's 4,109 states among them), and the walk must still
 * process the kernel's count.
 */
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { loadCollectionSpec } from '../../loader/index.js';
import { verifierOptionsFor } from '../../src/verifier-env.js';
import { verify } from '../../vm/verifier/index.js';
import { QUICK_CHECK } from '../../vm/verifier/prune.js';
import { PROCESSED_GOLDENS, type RecordedProcessed as Recorded } from './verifier-harness.js';

const doc = { programs: PROCESSED_GOLDENS };
const ROOT = new URL('../../', import.meta.url);

function processed(objects: readonly Recorded[]): number[] {
  return objects.map((r) => {
    const spec = loadCollectionSpec(new Uint8Array(readFileSync(new URL(r.object, ROOT))), { programType: 'sched_cls', pinning: 'none' });
    const ps = spec.programs.find((p) => p.name === r.name)!;
    return verify(ps.instructions, verifierOptionsFor(spec, ps)).processed;
  });
}

describe('[vm/verifier]: quick state refusal (quickFails) against states_equal', () => {
  afterEach(() => {
    QUICK_CHECK.on = false;
  });

  it('refuses only what the full comparison refuses, on test_cls_redirect', () => {
    const cls = doc.programs.filter((p) => p.name === 'cls_redirect');
    QUICK_CHECK.on = true;
    QUICK_CHECK.refused = 0;
    QUICK_CHECK.refusedSlot = 0;
    QUICK_CHECK.same = 0;
    expect(processed(cls)).toEqual(cls.map((p) => p.verified_insns));
    // both quick paths must be taken often, and the refusals of an unchanged register or slot
    // (by identity), or this test proves nothing
    expect(QUICK_CHECK.refused).toBeGreaterThan(10_000);
    expect(QUICK_CHECK.refusedSlot).toBeGreaterThan(5_000);
    expect(QUICK_CHECK.same).toBeGreaterThan(5_000);
  });

  it('... and on the other recorded programs', () => {
    const rest = doc.programs.filter((p) => p.name !== 'cls_redirect');
    QUICK_CHECK.on = true;
    QUICK_CHECK.refused = 0;
    QUICK_CHECK.refusedSlot = 0;
    expect(processed(rest)).toEqual(rest.map((p) => p.verified_insns));
  });
});
