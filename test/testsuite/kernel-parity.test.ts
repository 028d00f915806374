/**
 * tcxlab's `test` runner against the real kernel: test/goldens/testsuite/*.kernel.json were
 * recorded on Linux 6.18 by test/goldens/testsuite/record.sh (record.c drives the same groups
 * with BPF_PROG_TEST_RUN). Every step's err, retval, data_out and ctx_out, and the bytes of
 * suite_result_map after each check, must be the kernel's.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runTestSuite, type GroupResult } from '../../src/testsuite/runner.js';
import { ENGINES } from '../../vm/engine.js';

interface KernelStep {
  kind: string;
  prog: string;
  err: number;
  retval?: number;
  data_out?: string;
  ctx_out?: string;
}
interface KernelGroup {
  name: string;
  steps: KernelStep[];
  result?: string;
  error?: string;
}

/** Groups tcxlab does not run, with the reason (README "Differences from Linux"). */
const NOT_RUN: Record<string, string> = { xdp_only: 'XDP test programs: tcxlab runs tc programs only' };

for (const obj of ['trf_pass', 'trf_fail']) {
  const kernel = JSON.parse(readFileSync(`test/goldens/testsuite/${obj}.kernel.json`, 'utf8')) as { groups: KernelGroup[] };
  for (const engine of ENGINES) {
    describe(`[testsuite] ${obj}.bpf.o (${engine}) gives the kernel's runs`, () => {
      const ours = runTestSuite(readFileSync(`progs/${obj}.bpf.o`), { objectName: `${obj}.bpf.o`, engine });
      it('finds the same groups in the same order', () => {
        expect(ours.groups.map((g) => g.name)).toEqual(kernel.groups.map((g) => g.name));
      });
      for (const kg of kernel.groups) {
        it(kg.name, () => {
          const g = ours.groups.find((x) => x.name === kg.name) as GroupResult;
          if (NOT_RUN[kg.name] !== undefined) {
            expect(g.outcome).toBe('skip');
            expect(g.notRun).toMatch(/tc programs only/);
            expect(g.steps).toEqual([]);
            return;
          }
          expect(g.steps.map(({ kind, prog, err, retval, data_out, ctx_out }) => ({ kind, prog, err, retval, data_out, ctx_out }))).toEqual(
            kg.steps.map(({ kind, prog, err, retval, data_out, ctx_out }) => ({ kind, prog, err, retval, data_out, ctx_out })),
          );
          expect(g.error !== undefined).toBe(kg.error !== undefined);
          expect(g.result).toBe(kg.result);
        });
      }
    });
  }
}
