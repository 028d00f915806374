import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SCHED_CLS_TYPE } from '../../src/skb/verifier-type.js';
import { VerifierError } from '../../vm/errors.js';
import { verify } from '../../vm/verifier/index.js';
import { hexBytes } from './asm.conformance-data.js';

// Kernel verdicts for path splitting (maybe_fork_scalars) and for spills that stay linked to
// their register: test/goldens/verifier/prune-cases.{asm,kernel.json}, recorded by make.sh
// (CASES=prune-cases.asm OUT=prune-cases.kernel.json) on Linux 6.18; and the kernel's
// processed-instruction and state counts for programs where pruning depends on which scalars
// must be exact: prune-count-cases.{asm,kernel.json} (LOGLEVEL=4 ... make.sh).
const goldens = new URL('../goldens/verifier/', import.meta.url);
const cases: { name: string; prog: string; loaded: boolean; verifier_log: string }[] = JSON.parse(
  readFileSync(new URL('prune-cases.kernel.json', goldens), 'utf8'),
).cases;
const lastLine = (log: string) =>
  log
    .trim()
    .split('\n')
    .filter((l) => l && !l.startsWith('processed '))
    .at(-1);

function check(bytes: Uint8Array): VerifierError | undefined {
  try {
    verify(bytes, { progType: SCHED_CLS_TYPE });
    return undefined;
  } catch (e) {
    if (e instanceof VerifierError) return e;
    throw e;
  }
}

describe('[vm/verifier]: path splitting and linked spills against the 6.18 kernel', () => {
  it('has the recorded cases, accepted and rejected', () => {
    expect(cases.length).toBe(7);
    expect(cases.filter((c) => c.loaded).length).toBe(5);
  });

  it.each(cases.map((c) => [c.name, c] as const))('%s', (name, c) => {
    expect(c.loaded).toBe(name.startsWith('ok_'));
    const err = check(hexBytes(c.prog));
    expect(err === undefined).toBe(c.loaded);
    if (err) expect(err.log.at(-1)).toBe(lastLine(c.verifier_log));
  });

  it('walks the split path: x s>> 31 & K is 0 on one path and K on the other', () => {
    const c = cases.find((k) => k.name === 'ok_fork_arsh_and')!;
    const log = verify(hexBytes(c.prog), { progType: SCHED_CLS_TYPE, logLevel: 2 }).log!.join('\n');
    // the queued path re-runs the AND with 0 (the fix for OR), so it starts at the AND itself
    expect(log).toMatch(/from 3 to 3: /);
    expect(log).toMatch(/3: \(54\) w2 &= -134 +; R2_w=0xffffff7a|3: \(54\) w2 &= -134 .*R2=0xffffff7a/);
  });
});

describe('[vm/verifier]: pruning walks what Linux walks (prune-count-cases.kernel.json)', () => {
  const counted: { name: string; prog: string; loaded: boolean; verifier_log: string }[] = JSON.parse(
    readFileSync(new URL('prune-count-cases.kernel.json', goldens), 'utf8'),
  ).cases;

  it('has the recorded counts', () => {
    expect(counted.length).toBe(5);
    for (const c of counted) expect(c.verifier_log, c.name).toMatch(/processed \d+ insns/);
  });

  it.each(counted.map((c) => [c.name, c] as const))('%s: same processed instructions and states', (_name, c) => {
    const [, insns, states] = /processed (\d+) insns .* total_states (\d+)/.exec(c.verifier_log)!;
    const r = verify(hexBytes(c.prog), { progType: SCHED_CLS_TYPE });
    expect({ processed: r.processed, states: r.states }).toEqual({ processed: Number(insns), states: Number(states) });
  });
});
