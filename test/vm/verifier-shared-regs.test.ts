/**
 * Registers shared between states (vm/verifier/state.ts Frame.clone, share, UNINIT): a register
 * is never changed in place once another state, register or stack slot may hold it. With
 * SHARED_CHECK on, every register a clone shares is frozen, so a change that skips the copy
 * (Frame.mutReg) throws a TypeError instead of silently changing a saved state; the walk must
 * then still end as without the check (same verdict, message, processed and state counts).
 *
 * The shortcuts on shared registers and stack slots in the state comparison (prune.ts regsafe,
 * slotSafe) are checked too: with SAME_CHECK on, each one is compared with the full comparison.
 */
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { loadCollectionSpec } from '../../loader/index.js';
import { verifierOptionsFor } from '../../src/verifier-env.js';
import { VerifierError } from '../../vm/errors.js';
import { verify } from '../../vm/verifier/index.js';
import { SAME_CHECK } from '../../vm/verifier/prune.js';
import { RT, unknownScalar } from '../../vm/verifier/reg.js';
import { Frame, SHARED_CHECK } from '../../vm/verifier/state.js';
import { PROCESSED_GOLDENS } from './verifier-harness.js';

const ROOT = new URL('../../', import.meta.url);

/** Every program of `object`: verdict, message and counts (a TypeError is not caught). */
function outcomes(object: string, complexityLimit = 100_000): string[] {
  const spec = loadCollectionSpec(new Uint8Array(readFileSync(new URL(object, ROOT))), { programType: 'sched_cls', pinning: 'none' });
  return spec.programs.map((p) => {
    try {
      const r = verify(p.instructions, { ...verifierOptionsFor(spec, p), complexityLimit });
      return `${p.name}: ok ${r.processed} ${r.states}`;
    } catch (e) {
      if (e instanceof VerifierError) return `${p.name}: ${e.message} ${e.processed}`;
      throw e;
    }
  });
}

// objects whose programs change registers in place most: linked scalars, null checks, packet
// ranges, spills and fills, precision, callbacks, locks and references, iterators and loops
const SELFTESTS = [
  'iters',
  'iters_state_safety',
  'verifier_linked_scalars',
  'verifier_scalar_ids',
  'verifier_spill_fill',
  'verifier_value_or_null',
  'verifier_direct_packet_access',
  'verifier_search_pruning',
  'verifier_iterating_callbacks',
  'verifier_spin_lock',
  'verifier_ref_tracking',
  'verifier_movsx',
  'verifier_and',
  'dynptr_fail',
].map((f) => `test/corpus/verifier-selftests/obj/${f}.bpf.o`);
// test_cls_redirect with frozen registers takes too long for a test (tmp scripts compare its log)
const OBJECTS = [...new Set(PROCESSED_GOLDENS.filter((r) => r.name !== 'cls_redirect').map((r) => r.object)), ...SELFTESTS];

describe('[vm/verifier]: registers shared between states', () => {
  afterEach(() => {
    SHARED_CHECK.on = false;
    SAME_CHECK.on = false;
  });

  it('a register a clone shares cannot be changed in place (the check works)', () => {
    SHARED_CHECK.on = true;
    const f = new Frame(0, -1, 0);
    f.regs[2] = unknownScalar();
    const g = f.clone();
    expect(g.regs[2]).toBe(f.regs[2]);
    expect(() => {
      g.regs[2].smin = 0n;
    }).toThrow(TypeError);
    // the copy for a change is the clone's own
    const own = g.mutReg(2);
    own.smin = 0n;
    expect(f.regs[2].smin).not.toBe(0n);
    expect(g.regs[2]).toBe(own);
    expect(f.regs[10].t).toBe(RT.STACK);
  });

  it.each(OBJECTS)('%s: no shared register is changed in place, same outcome with the check', (object) => {
    // walks capped short: frozen registers are slow
    const plain = outcomes(object, 5_000);
    SHARED_CHECK.on = true;
    expect(outcomes(object, 5_000)).toEqual(plain);
  });

  it('the shortcuts on shared registers and slots agree with the full comparison (test_cls_redirect)', () => {
    SAME_CHECK.on = true;
    SAME_CHECK.regs = 0;
    SAME_CHECK.slots = 0;
    const cls = PROCESSED_GOLDENS.filter((r) => r.name === 'cls_redirect');
    for (const r of cls) expect(outcomes(r.object).find((l) => l.startsWith(`${r.name}:`))).toMatch(new RegExp(`^${r.name}: ok ${r.verified_insns} `));
    // both shortcuts must be taken often, or this test proves nothing
    expect(SAME_CHECK.regs).toBeGreaterThan(10_000);
    expect(SAME_CHECK.slots).toBeGreaterThan(10_000);
  });

  it.each(SELFTESTS)('%s: the shortcuts agree with the full comparison', (object) => {
    const plain = outcomes(object, 5_000);
    SAME_CHECK.on = true;
    expect(outcomes(object, 5_000)).toEqual(plain);
  });
});
