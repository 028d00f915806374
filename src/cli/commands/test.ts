/**
 * @fileoverview `tcxlab test OBJ... [--format text|tap|junit|json] [--run REGEX] [--verbose]
 * [--no-verify] [--engine E]`: run Cilium-style BPF unit tests (PKTGEN/SETUP/CHECK program
 * groups reporting through `suite_result_map`) offline, as Cilium's bpf/tests runner does on a
 * kernel (src/testsuite/runner.ts, docs/testsuite.md). Exit status 1 when a test fails or errs
 * (an object that does not load is an error of that object; the others still run).
 */
import type { Command } from 'commander';
import { Option } from 'commander';
import { BpfError, UsageError } from '../../../vm/errors.js';
import type { Engine } from '../../../vm/engine.js';
import { runTestSuite, type SuiteRunResult } from '../../testsuite/runner.js';
import { formatJson, formatJunit, formatTap, formatText, suitePassed } from '../../testsuite/report.js';
import type { CliIo } from '../io.js';

const FORMATS = ['text', 'tap', 'junit', 'json'] as const;

/** The result of an object that did not load: one errored group named "(load)". */
function loadFailure(object: string, e: BpfError): SuiteRunResult {
  return {
    object,
    groups: [{ name: '(load)', outcome: 'error', error: `${e.code}: ${e.message}`, tests: [], suiteLog: [], steps: [] }],
    totals: { pass: 0, fail: 0, skip: 0, error: 1 },
  };
}

export function register(program: Command, io: CliIo): void {
  program
    .command('test')
    .description('run Cilium-style BPF unit tests (PKTGEN/SETUP/CHECK groups, suite_result_map) of each OBJ offline')
    .argument('<obj...>', 'BPF test objects (.o)')
    .addOption(new Option('--format <format>', 'report format').choices(FORMATS as unknown as string[]).default('text'))
    .option('--run <regex>', 'only test groups whose name matches')
    .option('-v, --verbose', 'print the logs of passing tests too')
    .option('--no-verify', 'do not run the verifier-lite at load (programs it refuses still run)')
    .addOption(new Option('--engine <engine>', 'execution engine').choices(['interp', 'jit']).default('interp'))
    .option('--budget <n>', 'instruction budget per program run (default 200000000)', (v) => Number.parseInt(v, 10))
    .action((objs: string[], o: { format: (typeof FORMATS)[number]; run?: string; verbose?: boolean; verify: boolean; engine: Engine; budget?: number }) => {
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
    });
}
