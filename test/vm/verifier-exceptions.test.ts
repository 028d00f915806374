/**
 * The verifier's rules for BPF exceptions and RCU sections on small raw programs: the kernel's
 * verdicts, messages and retvals of test/goldens/exceptions/raw_cases.out.json (record-raw.py,
 * `oracle raw` on Linux 6.18) on the verifier and both engines, then rules raw programs cannot
 * reach in the kernel (callbacks and exception callbacks need BTF), with the kernel's messages.
 * The selftests corpus checks the same rules on the kernel's own programs (exceptions_fail,
 * exceptions_assert in test/goldens/verifier-selftests/). docs/exceptions.md.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildKfuncTable } from '../../src/kfuncs/index.js';
import { KFUNCS_BY_NAME, BPF_THROW_ID } from '../../vm/kfuncs.js';
import { link } from '../../vm/link.js';
import { Memory } from '../../vm/memory.js';
import { decode } from '../../vm/program.js';
import type { VerifierOptions } from '../../vm/verifier/index.js';
import { SCHED_CLS_TYPE } from '../../src/skb/verifier-type.js';
import { verifierError } from './verifier-harness.js';
import { ENGINES, insns, onEngine } from './vm-harness.js';

type Insn = [number, number?, number?, number?, number?];
const kfunc = (name: string): Insn => [0x85, 0, 2, 0, KFUNCS_BY_NAME.get(name)!.id];
const THROW: Insn = [0x85, 0, 2, 0, BPF_THROW_ID];
const R0_0: Insn = [0xb7, 0, 0, 0, 0];
const R1_0: Insn = [0xb7, 1, 0, 0, 0];
const EXIT: Insn = [0x95];
const message = (code: Insn[], opts: VerifierOptions = {}): string | undefined =>
  verifierError(insns(...code), { progType: SCHED_CLS_TYPE, kfuncAllowed: () => true, ...opts })?.reason;

const raw = JSON.parse(readFileSync(new URL('../goldens/exceptions/raw_cases.out.json', import.meta.url), 'utf8')) as {
  kernel: string;
  cases: { case: string; program: (string | (string | number)[])[]; loaded: boolean; message: string | null; retval: number | null }[];
};
/** A recorded program with tcxlab's kfunc ids. */
const assembleCase = (program: (string | (string | number)[])[]): Uint8Array =>
  insns(
    ...program.flatMap((x): Insn[] => {
      if (typeof x === 'string') return [kfunc(x)];
      if (x[0] === 'lddw') {
        const v = BigInt(x[2]);
        return [[0x18, x[1] as number, 0, 0, Number(BigInt.asIntN(32, v))], [0, 0, 0, 0, Number(v >> 32n)]];
      }
      return [x as Insn];
    }),
  );

describe('[vm/verifier]: raw bpf_throw and RCU programs against Linux 6.18', () => {
  it('has the recorded cases', () => {
    expect(raw.kernel).toMatch(/^6\.18\./);
    expect(raw.cases.length).toBe(11);
  });
  it.each(raw.cases.map((c) => [c.case, c] as const))('%s', (_name, c) => {
    const code = assembleCase(c.program);
    const err = verifierError(code, { progType: SCHED_CLS_TYPE, kfuncAllowed: () => true });
    expect(err?.reason ?? null).toBe(c.message);
    if (!c.loaded) return;
    for (const engine of ENGINES) {
      const r = onEngine(engine).run(link(decode(code), { name: c.case, helpers: [], kfuncs: buildKfuncTable() }), new Memory());
      expect([engine, r.fault?.message, r.r0lo]).toEqual([engine, undefined, c.retval]);
    }
  });
});

describe('[vm/verifier]: bpf_throw', () => {
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
