import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadCollectionSpec, type CollectionSpec } from '../../loader/index.js';
import { verifierOptionsFor } from '../../src/verifier-env.js';
import { verify } from '../../vm/verifier/index.js';
import { PROCESSED_GOLDENS, type RecordedProcessed as Recorded } from './verifier-harness.js';

// The kernel's processed-instruction count for every program of the committed objects
// (test/goldens/verifier/processed-objects.kernel.json, recorded by make-processed.sh with
// bpf_prog_info.verified_insns on Linux 6.18): tcxlab's walk must be the kernel's, instruction
// for instruction, so that states are saved, compared and pruned where Linux does.
const doc = { programs: PROCESSED_GOLDENS };
const ROOT = new URL('../../', import.meta.url);

// Known differences, each in README "Differences from Linux": listed with tcxlab's count so that
// an improvement fails the test too (then drop it from the list).
const DEVIATIONS: Record<string, number> = {};

const specs = new Map<string, CollectionSpec>();
function processed(r: Recorded): number {
  let spec = specs.get(r.object);
  if (!spec) {
    spec = loadCollectionSpec(new Uint8Array(readFileSync(new URL(r.object, ROOT))), { programType: 'sched_cls', pinning: 'none' });
    specs.set(r.object, spec);
  }
  const ps = spec.programs.find((p) => p.name === r.name)!;
  return verify(ps.instructions, verifierOptionsFor(spec, ps)).processed;
}

describe('[vm/verifier]: processed instructions of real objects against Linux 6.18 (processed-objects.kernel.json)', () => {
  it('has the recorded programs, test_cls_redirect among them', () => {
    expect(doc.programs.length).toBeGreaterThan(50);
    expect(doc.programs.find((p) => p.name === 'cls_redirect')?.verified_insns).toBe(64426);
  });

  it.each(doc.programs.map((p) => [`${p.object} ${p.name}`, p] as const))('%s', (key, r) => {
    expect(processed(r)).toBe(key in DEVIATIONS ? DEVIATIONS[key] : r.verified_insns);
  });
});
