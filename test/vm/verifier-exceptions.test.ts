/**
 * The verifier's rules for BPF exceptions and RCU sections on small raw programs (the messages are
 * Linux 6.18's; the selftests corpus checks the same rules on the kernel's own programs:
 * exceptions_fail, exceptions_assert in test/goldens/verifier-selftests/). docs/exceptions.md.
 */
import { describe, expect, it } from 'vitest';
import { KFUNCS_BY_NAME, BPF_THROW_ID } from '../../vm/kfuncs.js';
import type { VerifierOptions } from '../../vm/verifier/index.js';
import { SCHED_CLS_TYPE } from '../../src/skb/verifier-type.js';
import { verifierError } from './verifier-harness.js';
import { insns } from './vm-harness.js';

type Insn = [number, number?, number?, number?, number?];
const kfunc = (name: string): Insn => [0x85, 0, 2, 0, KFUNCS_BY_NAME.get(name)!.id];
const THROW: Insn = [0x85, 0, 2, 0, BPF_THROW_ID];
const R0_0: Insn = [0xb7, 0, 0, 0, 0];
const R1_0: Insn = [0xb7, 1, 0, 0, 0];
const EXIT: Insn = [0x95];
const message = (code: Insn[], opts: VerifierOptions = {}): string | undefined =>
  verifierError(insns(...code), { progType: SCHED_CLS_TYPE, kfuncAllowed: () => true, ...opts })?.reason;

describe('[vm/verifier]: bpf_throw', () => {
  it('ends the path at any depth: nothing after it is checked, the return value neither', () => {
    // main calls f; f throws; the code after the throw reads an uninitialised register
    expect(message([[0x85, 0, 1, 0, 1], EXIT, R1_0, THROW, [0xbf, 0, 7, 0, 0], EXIT])).toBeUndefined();
    expect(message([[0x85, 0, 1, 0, 1], EXIT, R1_0, [0xbf, 0, 7, 0, 0], EXIT])).toBe('R7 !read_ok');
  });

  it('takes a scalar cookie', () => {
    expect(message([[0xbf, 1, 10, 0, 0], THROW, R0_0, EXIT])).toBe('R1 is not a scalar');
    expect(message([THROW, R0_0, EXIT])).toBe('R1 is not a scalar'); // r1 = ctx
  });

  it('refuses to leave a held RCU section or preemption off', () => {
    expect(message([kfunc('bpf_rcu_read_lock'), R1_0, THROW, R0_0, EXIT])).toBe('bpf_throw cannot be used inside bpf_rcu_read_lock-ed region');
    expect(message([kfunc('bpf_preempt_disable'), R1_0, THROW, R0_0, EXIT])).toBe('bpf_throw cannot be used inside bpf_preempt_disable-ed region');
  });

  it('may not run under a callback (bpf_loop), found after the walk', () => {
    const code: Insn[] = [
      [0xb7, 1, 0, 0, 4], // nr_loops
      [0x18, 2, 4, 0, 6], [0, 0, 0, 0, 0], // r2 = &cb (insn 8)
      [0xb7, 3, 0, 0, 0],
      [0xb7, 4, 0, 0, 0],
      [0x85, 0, 0, 0, 181], // bpf_loop
      R0_0,
      EXIT,
      R1_0, // cb
      THROW,
      R0_0,
      EXIT,
    ];
    expect(message(code, { hasFuncInfo: true })).toBe('bpf_throw kfunc (insn 9) cannot be called from callback subprog 1');
  });
});

describe('[vm/verifier]: the exception callback', () => {
  // main throws; insn 4.. is the callback, which nothing calls
  const prog: Insn[] = [R1_0, THROW, R0_0, EXIT, [0xbf, 0, 1, 0, 0], EXIT];

  it('is a root of its own: unreachable without the option, verified with it', () => {
    expect(message(prog)).toBe('unreachable insn 4');
    expect(message(prog, { exceptionCallback: 4 })).toBeUndefined();
  });

  it("the kernel's refusal of the decl tag comes first", () => {
    expect(message(prog, { exceptionCallback: { error: 'multiple exception callback tags for main subprog' } })).toBe('multiple exception callback tags for main subprog');
  });

  it('takes exactly one integer argument', () => {
    const two = { name: 'cb', args: [{ kind: 'scalar' }, { kind: 'scalar' }] } as const;
    expect(message(prog, { exceptionCallback: 4, globalFuncs: new Map([[4, two]]) })).toBe('exception cb only supports single integer argument');
    const ctx = { name: 'cb', args: [{ kind: 'ctx' }] } as const;
    expect(message(prog, { exceptionCallback: 4, globalFuncs: new Map([[4, ctx]]) })).toBe('exception cb only supports single integer argument');
  });

  it('may not be called, nor throw itself', () => {
    const calls: Insn[] = [[0x85, 0, 1, 0, 1], EXIT, R0_0, EXIT];
    expect(message(calls, { exceptionCallback: 2 })).toBe('insn 0 cannot call exception cb directly');
    const throws: Insn[] = [R0_0, EXIT, R1_0, THROW, R0_0, EXIT];
    expect(message(throws, { exceptionCallback: 2 })).toBe('bpf_throw kfunc (insn 3) cannot be called from callback subprog 1');
  });
});

describe('[vm/verifier]: RCU read-side sections (Linux 6.18: not nested)', () => {
  const lock = kfunc('bpf_rcu_read_lock');
  const unlock = kfunc('bpf_rcu_read_unlock');
  it('pairs lock and unlock per path', () => {
    expect(message([lock, unlock, R0_0, EXIT])).toBeUndefined();
    expect(message([lock, lock, R0_0, EXIT])).toBe('nested rcu read lock (kernel function bpf_rcu_read_lock)');
    expect(message([unlock, R0_0, EXIT])).toBe('unmatched rcu read unlock (kernel function bpf_rcu_read_unlock)');
    expect(message([lock, R0_0, EXIT])).toBe('BPF_EXIT instruction in main prog cannot be used inside bpf_rcu_read_lock-ed region');
  });
});
