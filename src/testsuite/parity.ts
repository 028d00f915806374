/**
 * @fileoverview Compare a test-suite run with the kernel's run of the same object, as recorded by
 * test/goldens/testsuite/record.c ({"object","groups":[{"name","steps":[...],"result","error"?}]}
 * or {"object","error":"load","errno"} when the kernel refused the object).
 *
 * A group agrees when every step has the kernel's err, retval, data_out and ctx_out, and
 * suite_result_map holds the same message after the check; a group tcxlab does not run (XDP)
 * is listed apart.
 */
import type { GroupResult, StepRecord, SuiteRunResult } from './runner.js';

export interface KernelStep {
  kind: string;
  prog: string;
  err: number;
  retval?: number;
  data_out?: string;
  ctx_out?: string;
}
export interface KernelGroup {
  name: string;
  steps: KernelStep[];
  result?: string;
  error?: string;
}
export interface KernelRecord {
  object: string;
  groups?: KernelGroup[];
  error?: string;
  errno?: number;
}

export interface GroupParity {
  name: string;
  verdict: 'same' | 'differs' | 'not-run' | 'missing';
  /** The first difference, in words. */
  detail?: string;
}

const STEP_FIELDS = ['kind', 'prog', 'err', 'retval', 'data_out', 'ctx_out'] as const;

function stepDiff(ours: StepRecord | undefined, k: KernelStep | undefined, i: number): string | undefined {
  if (ours === undefined || k === undefined) return `step ${i}: ${ours ? 'tcxlab ran it, the kernel did not' : 'the kernel ran it, tcxlab did not'} (${(ours ?? k)?.kind})`;
  for (const f of STEP_FIELDS) {
    if (ours[f] !== k[f]) {
      const a = String(ours[f]);
      const b = String(k[f]);
      return `${k.kind} ${f}: tcxlab ${a.length > 40 ? `${a.slice(0, 40)}…` : a}, kernel ${b.length > 40 ? `${b.slice(0, 40)}…` : b}`;
    }
  }
  return undefined;
}

/** Compare one group. */
export function compareGroup(ours: GroupResult | undefined, k: KernelGroup): GroupParity {
  if (ours === undefined) return { name: k.name, verdict: 'missing', detail: 'tcxlab did not find this group' };
  if (ours.notRun !== undefined) return { name: k.name, verdict: 'not-run', detail: ours.notRun };
  for (let i = 0; i < Math.max(ours.steps.length, k.steps.length); i++) {
    const d = stepDiff(ours.steps[i], k.steps[i], i);
    if (d !== undefined) return { name: k.name, verdict: 'differs', detail: d };
  }
  if ((ours.result ?? '') !== (k.result ?? '')) return { name: k.name, verdict: 'differs', detail: 'suite_result_map differs' };
  return { name: k.name, verdict: 'same' };
}

/** Compare a run with the kernel's record of the same object, group by group. */
export function compareWithKernel(ours: SuiteRunResult, kernel: KernelRecord): GroupParity[] {
  if (kernel.groups === undefined) return [{ name: '(load)', verdict: 'differs', detail: `the kernel did not load the object (${kernel.error ?? '?'} errno ${kernel.errno ?? '?'})` }];
  const byName = new Map(ours.groups.map((g) => [g.name, g]));
  return kernel.groups.map((k) => compareGroup(byName.get(k.name), k));
}
