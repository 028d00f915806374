import { describe, expect, it } from 'vitest';
import { loadSpec, ours, readGolden, type Recorded, type RecordedObject } from './verifier-kernel-verdicts.js';

// The programs of other types (raw_tracepoint, cgroup_skb, xdp, tracepoint, lsm, ...) in the
// verifier selftests' objects, which the corpus recording lists but does not load: each loaded
// alone as sched_cls into Linux 6.18 (test/goldens/verifier/othertypes.kernel.json, recorded by
// make-othertypes.sh) and verified by tcxlab as sched_cls too. The generic rules (bounds,
// pruning, loops, precision, stack, calls) are the same for every type; where the kernel refuses
// a context access, helper or kfunc that sched_cls may not use, tcxlab must refuse it as well.
// Per program: the kernel's verdict, first error and processed count, or a deviation below.
const doc = readGolden<{ objects: (RecordedObject & { programs: (Recorded & { errno: number })[] })[] }>('test/goldens/verifier/othertypes.kernel.json');

// Programs the kernel's verifier never judged as sched_cls (no verifier log): the section's
// attach type or flags are refused for sched_cls before verification (fentry/fexit, lsm.s,
// fentry.s, iter: EINVAL), libbpf cannot prepare them without their attach target (ESRCH), or
// libbpf cannot resolve a kfunc of the bpf_testmod module (not loaded). Not compared.
const ATTACH = 'refused before verification: the section attach type or flags do not fit sched_cls';
const TESTMOD = 'libbpf refused the object: a kfunc of the bpf_testmod module (not loaded)';
const NOT_VERIFIED: Record<string, string> = {
  'dynptr_fail/skb_invalid_ctx_fentry': ATTACH,
  'dynptr_fail/skb_invalid_ctx_fexit': ATTACH,
  'exceptions_assert/check_assert_with_return': ATTACH,
  'exceptions_fail/reject_set_exception_cb_bad_ret1': ATTACH,
  'exceptions_fail/reject_set_exception_cb_bad_ret2': ATTACH,
  'iters_testmod_seq/testmod_seq_empty': TESTMOD,
  'iters_testmod_seq/testmod_seq_full': TESTMOD,
  'iters_testmod_seq/testmod_seq_truncated': TESTMOD,
  'iters_testmod_seq/testmod_seq_getter_before_bad': TESTMOD,
  'iters_testmod_seq/testmod_seq_getter_after_bad': TESTMOD,
  'map_kptr_fail/reject_indirect_helper_access': TESTMOD,
  'preempt_lock/preempt_sleepable_helper': ATTACH,
  'refcounted_kptr/rbtree_sleepable_rcu': ATTACH,
  'refcounted_kptr/rbtree_sleepable_rcu_no_explicit_rcu_lock': ATTACH,
  'refcounted_kptr_fail/rbtree_fail_sleepable_lock_across_rcu': ATTACH,
  'verifier_const/bprm': ATTACH,
  'verifier_ref_tracking/acquire_release_user_key_reference': ATTACH,
  'verifier_ref_tracking/acquire_release_system_key_reference': ATTACH,
  'verifier_ref_tracking/user_key_reference_without_check': ATTACH,
  'verifier_ref_tracking/system_key_reference_without_check': ATTACH,
  'verifier_ref_tracking/release_with_null_key_pointer': ATTACH,
  'verifier_ref_tracking/potential_reference_to_user_key': ATTACH,
  'verifier_ref_tracking/potential_reference_to_system_key': ATTACH,
  'verifier_sockmap_mutate/test_trace_iter': ATTACH,
};

// The verifier accepted (its log ends with the processed count, no error), then libbpf failed to
// fill a prog array slot with a program it had not loaded (EBADF): compared as an acceptance.
const ACCEPTED_THEN_LIBBPF_FAILED = new Set(['verifier_unpriv/check_that_printk_is_disallowed']);

// Known deviations, each with tcxlab's own verdict and first error so that an improvement fails
// the test too (then remove the entry): see README "Verifier agreement with Linux".
const DEVIATIONS: Record<string, readonly ['accept' | 'reject', string | null]> = {
  // Dynptr slices (false accepts): a slice (bpf_dynptr_data, bpf_dynptr_slice) of a dynptr that
  // holds no reference is not tied to its dynptr, so using it after the dynptr is rewritten or
  // reinitialized passes (a ring buffer dynptr's slices end with its reference); and
  // three argument rules are missing (bpf_dynptr_from_mem on stack memory, slice_rdwr of a
  // read-only skb dynptr, a slice buffer over a dynptr's slots). tcxlab's dynptr helpers and
  // kfuncs check the dynptr they are given at run time (src/helpers/dynptr.ts); that every one
  // of these programs is stopped there is not shown here.
  'dynptr_fail/dynptr_from_mem_invalid_api': ["accept", null],
  'dynptr_fail/dynptr_invalidate_slice_reinit': ["accept", null],
  'dynptr_fail/dynptr_invalidate_slice_failure': ["accept", null],
  'dynptr_fail/invalid_data_slices': ["accept", null],
  'dynptr_fail/invalid_slice_rdwr_rdonly': ["accept", null],
  'dynptr_fail/test_dynptr_skb_small_buff': ["accept", null],
  // Dynptrs, agreed rejections with another first error: the same missing slice rules (a later
  // rule fires), a helper writing over a referenced dynptr's slots (refused as an overwrite, not
  // as a "potential write"), a global function's dynptr argument checked as memory.
  'dynptr_fail/dynptr_invalidate_slice_or_null': ["reject", "R1 type=mem_or_null expected=ptr_"],
  'dynptr_fail/dynptr_read_into_slot': ["reject", "cannot overwrite referenced dynptr"],
  'dynptr_fail/uninit_write_into_slot': ["reject", "cannot overwrite referenced dynptr"],
  'dynptr_fail/test_dynptr_reg_type': ["reject", "R1 type=ctx expected=fp, pkt, pkt_meta, map_key, map_value, mem, ringbuf_mem, buf, trusted_ptr_"],
  // bpf_dynptr_from_xdp: a kfunc tcxlab lacks, declared __weak, so the call is left unresolved
  // (imm 0) and passed over as the kernel passes over such a call; the kernel knows the kfunc and
  // refuses it for sched_cls at the call. tcxlab refuses later, when the dynptr it did not make is
  // used.
  'dynptr_fail/xdp_invalid_ctx': ["reject", "invalid kernel function call not eliminated in verifier pass"],
  'dynptr_fail/xdp_invalid_data_slice1': ["reject", "Expected an initialized dynptr as arg #0"],
  'dynptr_fail/xdp_invalid_data_slice2': ["reject", "Expected an initialized dynptr as arg #0"],
  'dynptr_fail/clone_invalid2': ["reject", "Expected an initialized dynptr as arg #0"],
  'dynptr_fail/clone_xdp_packet_data': ["reject", "Expected an initialized dynptr as arg #0"],
  // Callback helpers: bpf_user_ringbuf_drain's callback is not modelled (refused at the call);
  // bpf_find_vma's task argument comes from bpf_get_current_task_btf, whose trusted task
  // pointer tcxlab does not have (R1 stays NULL-able). The kernel refuses later, in the callback.
  'verifier_iterating_callbacks/unsafe_ringbuf_drain': ["reject", "callback of bpf_user_ringbuf_drain is not supported"],
  'verifier_iterating_callbacks/unsafe_find_vma': ["reject", "R1 type=ptr_or_null_ expected=ptr_"],
};

// A program that reaches the kernel's 1,000,000-instruction limit is walked to a limit of 20,000
// instead (a million instructions would hold a test worker for tens of seconds): the same walk,
// stopped with the same message at the lower count.
const SHORT_LIMIT = 20_000;
const TOO_LARGE = /^BPF program is too large\. Processed (\d+) insn$/;

const keyOf = (object: string, name: string) => `${object.split('/').pop()!.replace(/\.bpf\.o$/, '')}/${name}`;

describe.each(doc.objects.map((o) => [o.object.split('/').pop()!, o] as const))('[vm/verifier]: other program types as sched_cls, as in Linux 6.18: %s', (_, o) => {
  const spec = loadSpec(o.object);
  it.each(o.programs.map((p) => [p.name, p] as const))('%s', (name, r) => {
    const key = keyOf(o.object, name);
    if (key in NOT_VERIFIED) {
      // only a load the verifier never saw may be listed here
      expect(r.verdict).toBe('reject');
      expect(r.message).toBeNull();
      expect(r.processed).toBeNull();
      return;
    }
    if (r.message && TOO_LARGE.test(r.message)) {
      expect(r.processed).toBe(1_000_001);
      expect(ours(spec, name, SHORT_LIMIT).reason).toBe(`BPF program is too large. Processed ${SHORT_LIMIT + 1} insn`);
      return;
    }
    const got = ours(spec, name);
    const kernel = ACCEPTED_THEN_LIBBPF_FAILED.has(key)
      ? { verdict: 'accept', message: null, processed: Number(/^processed (\d+) insns/.exec(r.message ?? '')?.[1]) }
      : { verdict: r.verdict, message: r.message, processed: r.processed };
    const dev = DEVIATIONS[key];
    if (dev) {
      expect([got.verdict, got.reason ?? null]).toEqual(dev);
      expect([got.verdict, got.reason ?? null]).not.toEqual([kernel.verdict, kernel.message]);
      return;
    }
    expect(got.verdict).toBe(kernel.verdict);
    expect(got.reason ?? null).toBe(kernel.message);
    expect(got.processed).toBe(kernel.processed);
  });
});

describe('[vm/verifier]: the other-types recording', () => {
  const keys = new Set(doc.objects.flatMap((o) => o.programs.map((p) => keyOf(o.object, p.name))));
  it('lists only programs it holds', () => {
    for (const k of [...Object.keys(NOT_VERIFIED), ...Object.keys(DEVIATIONS), ...ACCEPTED_THEN_LIBBPF_FAILED]) expect(keys).toContain(k);
  });
  it('holds every program of another type that no other recording holds', () => {
    expect(keys.size).toBe(236);
  });
});
