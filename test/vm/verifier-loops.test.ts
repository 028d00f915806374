import { describe, expect, it } from 'vitest';
import { loadSpec, ours, readGolden, type RecordedObject } from './verifier-kernel-verdicts.js';

// Open-coded iterators (bpf_iter_num_*) and bounded loops as Linux 6.18 verifies them: the
// iterator's stack slots, its reference, the next call that forks an active and a drained state,
// convergence at the next call, and the loop visits whose saved states are compared by range
// until their backedges are replayed (scc.ts). The kernel's verdict, first error and processed count on
// every program of the selftests' iters*.c and verifier_loops1.c, each loaded as sched_cls
// (test/goldens/verifier/loops.kernel.json, recorded by make-loops.sh).
const doc = readGolden<{ objects: RecordedObject[] }>('test/goldens/verifier/loops.kernel.json');

// Known differences, each in README "Differences from Linux", with tcxlab's count so that an
// improvement fails the test too: the same verdict and error, a different number of processed
// instructions (where tcxlab's pruning finds a loop's states equal sooner or later than Linux's).
// (none since 2026-12-08: checkpoint_states_deletion, 301 before, now takes Linux's 1,216)
const PROCESSED_DEVIATIONS: Record<string, number> = {};

// A program that reaches the kernel's 1,000,000-instruction limit is walked to a limit of 20,000
// instead (a million instructions would hold a test worker for tens of seconds): the same walk,
// stopped with the same message at the lower count.
const SHORT_LIMIT = 20_000;
const TOO_LARGE = /^BPF program is too large\. Processed (\d+) insn$/;

describe.each(doc.objects.map((o) => [o.object.split('/').pop()!, o] as const))('[vm/verifier]: loops as in Linux 6.18: %s', (_, o) => {
  const spec = loadSpec(o.object);
  it.each(o.programs.map((p) => [p.name, p] as const))('%s', (name, r) => {
    if (r.message && TOO_LARGE.test(r.message)) {
      expect(r.processed).toBe(1_000_001);
      const got = ours(spec, name, SHORT_LIMIT);
      expect(got.reason).toBe(`BPF program is too large. Processed ${SHORT_LIMIT + 1} insn`);
      return;
    }
    const got = ours(spec, name);
    expect(got.verdict).toBe(r.verdict);
    expect(got.reason ?? null).toBe(r.message);
    expect(got.processed).toBe(name in PROCESSED_DEVIATIONS ? PROCESSED_DEVIATIONS[name] : r.processed);
  });
});

describe('[vm/verifier]: iterator rules the recording covers', () => {
  const all = doc.objects.flatMap((o) => o.programs);
  it('has kernel rejections for each iterator misuse', () => {
    const msgs = new Set(all.map((p) => p.message));
    expect(msgs).toContain('expected an initialized iter_num as arg #0');
    expect(msgs).toContain('expected uninitialized iter_num as arg #0');
    expect(msgs).toContain('invalid read from stack off -24+0 size 8');
    expect([...msgs].some((m) => m?.startsWith('Unreleased reference'))).toBe(true);
  });
});
