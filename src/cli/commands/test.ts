/**
 * @fileoverview `tcxlab test OBJ... [--format text|tap|junit|json] [--run REGEX] [--verbose]
 * [--no-verify] [--engine E]`: run Cilium-style BPF unit tests (PKTGEN/SETUP/CHECK program
 * groups reporting through `suite_result_map`) offline, as Cilium's bpf/tests runner does on a
 * kernel (src/testsuite/runner.ts, docs/testsuite.md). Exit status 1 when a test fails or errs
 * (an object that does not load is an error of that object; the others still run).
 */
import { BpfError, UsageError } from '../../../vm/errors.js';
import type { Engine } from '../../../vm/engine.js';
import { runTestSuite, type SuiteRunResult } from '../../testsuite/runner.js';
import { formatJson, formatJunit, formatTap, formatText, suitePassed } from '../../testsuite/report.js';
import type { CliIo } from '../io.js';
import type { TEST_REPORT_FORMATS } from '../args.js';


/** The result of an object that did not load: one errored group named "(load)". */
function loadFailure(object: string, e: BpfError): SuiteRunResult {
  return {
    object,
    groups: [{ name: '(load)', outcome: 'error', error: `${e.code}: ${e.message}`, tests: [], suiteLog: [], steps: [] }],
    totals: { pass: 0, fail: 0, skip: 0, error: 1 },
  };
}

/** `tcxlab test`: the command's action (its arguments and options are defined in src/cli/program.ts). */
export function action(io: CliIo, objs: string[], o: { format: (typeof TEST_REPORT_FORMATS)[number]; run?: string; verbose?: boolean; verify: boolean; engine: Engine; budget?: number }): void {
  if (o.budget !== undefined && !(Number.isSafeInteger(o.budget) && o.budget > 0)) throw new UsageError('--budget: a positive integer');
  let filter: RegExp | undefined;
  if (o.run !== undefined) {
    try {
      filter = new RegExp(o.run);
    } catch {
      throw new UsageError(`--run: not a regular expression: ${JSON.stringify(o.run)}`);
    }
  }
  const runs: SuiteRunResult[] = [];
  for (const obj of objs) {
    const bytes = io.readFile(obj);
    const name = obj.split('/').pop() ?? obj;
    try {
      runs.push(runTestSuite(bytes, { objectName: name, verify: o.verify, engine: o.engine, filter, budget: o.budget }));
    } catch (e) {
      if (!(e instanceof BpfError)) throw e;
      runs.push(loadFailure(name, e));
    }
  }
  const verbose = Boolean(o.verbose);
  const text =
    o.format === 'tap' ? formatTap(runs, verbose) : o.format === 'junit' ? formatJunit(runs) : o.format === 'json' ? formatJson(runs) : formatText(runs, verbose);
  io.out(text);
  if (!suitePassed(runs)) io.exitCode = 1;
}
