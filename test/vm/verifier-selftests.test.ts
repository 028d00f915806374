import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import {
  compareProgram,
  kernelReason,
  loadBaseline,
  loadGoldens,
  loadSpec,
  type GoldenFile,
} from '../corpus/verifier-selftests/agreement.js';
import { kernelError } from '../corpus/verifier-selftests/kernel-log.js';
import { Collection } from '../../src/collection.js';
import { VerifierError } from '../../vm/errors.js';

// tcxlab's load-time verdict on each tc/socket program of the Linux 6.12 verifier selftests,
// against the 6.18 kernel's (test/goldens/verifier-selftests, recorded by
// test/corpus/verifier-selftests/record.sh). Known disagreements are listed in
// test/corpus/verifier-selftests/baseline.json: every other program must agree with the kernel, and
// every listed one must still disagree the same way, so both regressions and fixes show (after a
// fix: `npx tsx test/corpus/verifier-selftests/report.ts --update-baseline`). The same file lists
// the agreed rejections whose message equals the kernel's first error line.
const goldens = loadGoldens();
const baseline = loadBaseline();
const messageEqual = new Set(baseline.messageEqual);
const keys = new Set(goldens.flatMap((g) => g.programs.filter((p) => p.skip === undefined).map((p) => `${g.file}/${p.name}`)));

const root = new URL('../../', import.meta.url);
const specs = new Map<string, ReturnType<typeof loadSpec>>();
const specOf = (g: GoldenFile): ReturnType<typeof loadSpec> => {
  let s = specs.get(g.file);
  if (s === undefined) {
    s = loadSpec(new Uint8Array(readFileSync(new URL(g.object, root))));
    specs.set(g.file, s);
  }
  return s;
};

describe('[verifier-selftests]: the corpus', () => {
  it('holds the tc/socket programs of the selftests', () => {
    expect(goldens.length).toBeGreaterThanOrEqual(80);
    expect(keys.size).toBeGreaterThanOrEqual(850);
    const verdicts = goldens.flatMap((g) => g.programs.filter((p) => p.skip === undefined).map((p) => p.verdict));
    expect(verdicts.filter((v) => v === 'accept').length).toBeGreaterThan(400);
    expect(verdicts.filter((v) => v === 'reject').length).toBeGreaterThan(300);
  });

  it('has a first error line for every rejection the kernel made', () => {
    for (const g of goldens) for (const p of g.programs) if (p.verdict === 'reject' && p.skip === undefined) expect(p.message, `${g.file}/${p.name}`).toBeTruthy();
  });

  it("the error block usually holds the test's own __msg (a check of kernel-log.ts)", () => {
    // __msg text is literal except {{...}}, a regex (test_loader)
    const matcher = (m: string): RegExp =>
      new RegExp(m.split(/(\{\{.*?\}\})/).map((x, i) => (i % 2 ? x.slice(2, -2) : x.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))).join(''));
    let annotated = 0;
    let found = 0;
    for (const g of goldens)
      for (const p of g.programs) {
        if (p.skip !== undefined || p.verdict !== 'reject' || p.annotations.msgs.length === 0) continue;
        annotated++;
        if (p.annotations.msgs.some((m) => (p.messages ?? []).some((line) => matcher(m).test(line)))) found++;
      }
    expect(annotated).toBeGreaterThan(300);
    expect(found / annotated).toBeGreaterThan(0.85);
  });

  it('baseline entries name programs of the corpus', () => {
    for (const k of Object.keys(baseline.disagreements)) expect(keys.has(k), k).toBe(true);
    for (const k of messageEqual) expect(keys.has(k), k).toBe(true);
  });
});

describe('[verifier-selftests]: one program at a time (Collection option programs)', () => {
  // verifier_cfg.c: "unreachable" is refused by Linux (unreachable insn 1), "conditional_loop2" accepted
  const bytes = new Uint8Array(readFileSync(new URL('test/corpus/verifier-selftests/obj/verifier_cfg.bpf.o', root)));
  const kernel = goldens.find((g) => g.file === 'verifier_cfg')!.programs;

  it('loads only the named programs, as libbpf with autoload off for the others', () => {
    expect(kernel.find((p) => p.name === 'conditional_loop2')?.verdict).toBe('accept');
    const c = Collection.load(bytes, { programType: 'sched_cls', programs: ['conditional_loop2'] });
    expect([...c.programs.keys()]).toEqual(['conditional_loop2']);
  });

  it('verifies the named program only: the whole object is refused, the other program alone too', () => {
    expect(kernel.find((p) => p.name === 'unreachable')?.message).toBe('unreachable insn 1');
    expect(() => Collection.load(bytes, { programType: 'sched_cls' })).toThrow(VerifierError);
    expect(() => Collection.load(bytes, { programType: 'sched_cls', programs: ['unreachable'] })).toThrow('unreachable insn 1');
  });
});

describe('[verifier-selftests]: reading kernel logs', () => {
  it('takes the first line after the failing instruction, before the summary', () => {
    const log = [
      '0: R1=ctx() R10=fp0',
      '12: (0f) r0 += r1                     ; R0=map_value(map=m,ks=8,vs=48)',
      '13: (7b) *(u64 *)(r0 +0) = r1',
      'invalid access to map value, value_size=48 off=1008 size=8',
      'R0 max value is outside of the allowed memory range',
      'processed 13 insns (limit 1000000) max_states_per_insn 0 total_states 1 peak_states 1 mark_read 0',
    ];
    expect(kernelError(log)).toEqual({
      message: 'invalid access to map value, value_size=48 off=1008 size=8',
      messages: ['invalid access to map value, value_size=48 off=1008 size=8', 'R0 max value is outside of the allowed memory range'],
      insn: 13,
    });
  });

  it('skips notes on global functions when no instruction was walked, and cuts a summary glued to the error', () => {
    expect(kernelError(["Func#2 ('cb') is safe for any args that match its prototype", 'insn 3 cannot call exception cb directlyprocessed 7 insns (limit 1000000) max_states_per_insn 0'])).toEqual({
      message: 'insn 3 cannot call exception cb directly',
      messages: ['insn 3 cannot call exception cb directly'],
      insn: 3,
    });
    expect(kernelError(['0: R1=ctx() R10=fp0'])).toBeNull();
  });

  it('classifies memory-safety reasons', () => {
    expect(kernelReason(["R6 invalid mem access 'scalar'"])).toBe('memory');
    expect(kernelReason(['R2 !read_ok'])).toBe('memory');
    expect(kernelReason(['math between pkt pointer and register with unbounded min value is not allowed'])).toBe('memory');
    expect(kernelReason(['Unreleased reference id=2 alloc_insn=12', 'BPF_EXIT instruction in main prog would lead to reference leak'])).toBe('reference');
    expect(kernelReason(['unreachable insn 1'])).toBe('structure');
    expect(kernelReason(['infinite loop detected at insn 2'])).toBe('termination');
  });
});

for (const g of goldens) {
  const programs = g.programs.filter((p) => p.skip === undefined);
  if (programs.length === 0) continue;
  describe(`[verifier-selftests] ${g.file}`, () => {
    it.each(programs.map((p) => [p.name, p] as const))('%s', (_name, p) => {
      const r = compareProgram(g.file, specOf(g), p);
      const known = baseline.disagreements[r.key];
      const detail = `linux ${p.verdict}${p.message ? ` (${p.message})` : ''}; tcxlab ${r.ours.verdict}${r.ours.message ? ` (${r.ours.message})` : ''}`;
      if (known === undefined) expect(r.outcome.startsWith('agree'), `${r.key} disagrees with Linux: ${detail}`).toBe(true);
      else expect(r.outcome, `${r.key} is listed as a ${known} in baseline.json: ${detail}`).toBe(known);
      if (r.outcome === 'agree-reject') {
        expect(r.messageEqual, `${r.key}: message equality changed (baseline.json messageEqual): ${detail}`).toBe(messageEqual.has(r.key));
      } else {
        expect(messageEqual.has(r.key), `${r.key} is in messageEqual but not an agreed rejection`).toBe(false);
      }
    });
  });
}
