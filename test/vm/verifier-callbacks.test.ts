import { describe, expect, it } from 'vitest';
import { loadSpec, ours as oursIn, readGolden, type RecordedObject } from './verifier-kernel-verdicts.js';

// Callbacks of bpf_loop and bpf_for_each_map_elem are walked as the kernel does since Linux 6.8:
// the callback returns to the helper call, which queues one more iteration (bpf_loop: up to its
// bound), until the caller's state at the call converges. The kernel's verdict, error and
// processed-instruction count for the selftests' callback programs, each loaded as sched_cls
// (test/goldens/verifier/callbacks.kernel.json, recorded by make-callbacks.sh on Linux 6.18).
const doc = readGolden<RecordedObject>('test/goldens/verifier/callbacks.kernel.json');
const spec = loadSpec(doc.object);

const ours = (name: string) => oursIn(spec, name);

describe('[vm/verifier]: callbacks iterate as in Linux 6.18 (callbacks.kernel.json)', () => {
  it('has recorded rejections that need a second iteration', () => {
    const byName = new Map(doc.programs.map((p) => [p.name, p]));
    expect(byName.get('unsafe_on_2nd_iter')?.verdict).toBe('reject');
    expect(byName.get('bpf_loop_iter_limit_overflow')?.verdict).toBe('reject');
    expect(byName.get('iter_limit_bug')?.verdict).toBe('reject');
  });

  it.each(doc.programs.map((p) => [p.name, p] as const))('%s', (name, r) => {
    const o = ours(name);
    expect(o.verdict).toBe(r.verdict);
    expect(o.processed).toBe(r.processed);
    expect(o.reason ?? null).toBe(r.message);
  });
});
