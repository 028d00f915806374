/**
 * @fileoverview Reports of test-suite runs: plain text (like `go test -v`), TAP 13 and JUnit XML.
 *
 * Every group gives one case named after the group (its CHECK's status), and every TEST() record
 * of it one case named `group/test`. Logs are printed for cases that did not pass, or always
 * with `verbose`.
 */
import type { GroupResult, SuiteRunResult, TestCaseResult } from './runner.js';
import type { Outcome, TrfLog } from './trf.js';

/** One reported case (a group or a TEST() record). */
interface Case {
  id: string;
  outcome: Outcome;
  log: string[];
  reason?: string;
}

function casesOf(g: GroupResult): Case[] {
  const out: Case[] = g.tests.map((t: TestCaseResult) => ({ id: `${g.name}/${t.name}`, outcome: t.outcome, log: t.log.map((l) => l.text) }));
  const reason = g.notRun ?? g.error ?? (g.outcome !== 'pass' ? `check returned status ${g.status}` : undefined);
  out.push({ id: g.name, outcome: g.outcome, log: g.suiteLog.map((l: TrfLog) => l.text), reason });
  return out;
}

const LABEL: Record<Outcome, string> = { pass: 'PASS', fail: 'FAIL', skip: 'SKIP', error: 'ERROR' };

/** One-line summary: "7 passed, 2 failed, 1 skipped, 1 error (trf_fail.bpf.o)". */
export function summaryLine(runs: readonly SuiteRunResult[]): string {
  const t = { pass: 0, fail: 0, skip: 0, error: 0 };
  for (const r of runs) for (const k of Object.keys(t) as Outcome[]) t[k] += r.totals[k];
  return `${t.pass} passed, ${t.fail} failed, ${t.skip} skipped, ${t.error} errors`;
}

/** Whether every case passed or was skipped. */
export function suitePassed(runs: readonly SuiteRunResult[]): boolean {
  return runs.every((r) => r.totals.fail === 0 && r.totals.error === 0);
}

export function formatText(runs: readonly SuiteRunResult[], verbose = false): string {
  let s = '';
  for (const r of runs) {
    s += `=== ${r.object}\n`;
    for (const g of r.groups) {
      for (const c of casesOf(g)) {
        s += `--- ${LABEL[c.outcome]}: ${c.id}${c.reason ? ` (${c.reason})` : ''}\n`;
        if (verbose || c.outcome === 'fail' || c.outcome === 'error') for (const l of c.log) s += `    ${l}\n`;
      }
    }
  }
  return s + `${suitePassed(runs) ? 'ok' : 'FAIL'}: ${summaryLine(runs)}\n`;
}

const tapText = (s: string): string => s.replace(/[\r\n]+/g, ' ').replace(/#/g, '\\#');

export function formatTap(runs: readonly SuiteRunResult[], verbose = false): string {
  const lines: string[] = [];
  let n = 0;
  for (const r of runs) {
    lines.push(`# ${tapText(r.object)}`);
    for (const g of r.groups) {
      for (const c of casesOf(g)) {
        n++;
        const ok = c.outcome === 'pass' || c.outcome === 'skip';
        let line = `${ok ? 'ok' : 'not ok'} ${n} - ${tapText(`${r.object}: ${c.id}`)}`;
        if (c.outcome === 'skip') line += ` # SKIP${c.reason ? ` ${tapText(c.reason)}` : ''}`;
        lines.push(line);
        if (!ok && c.reason) lines.push(`  # ${tapText(c.reason)}`);
        if (verbose || !ok) for (const l of c.log) lines.push(`  # ${tapText(l)}`);
      }
    }
  }
  return ['TAP version 13', `1..${n}`, ...lines, `# ${summaryLine(runs)}`].join('\n') + '\n';
}

const xml = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c] as string).replace(/[^\t\n\r\x20-\uD7FF\uE000-\uFFFD]/gu, '\uFFFD');

export function formatJunit(runs: readonly SuiteRunResult[]): string {
  let s = '<?xml version="1.0" encoding="UTF-8"?>\n<testsuites>\n';
  for (const r of runs) {
    const cases = r.groups.flatMap(casesOf);
    const count = (o: Outcome): number => cases.filter((c) => c.outcome === o).length;
    s += `  <testsuite name="${xml(r.object)}" tests="${cases.length}" failures="${count('fail')}" errors="${count('error')}" skipped="${count('skip')}">\n`;
    for (const c of cases) {
      const slash = c.id.indexOf('/');
      const classname = slash < 0 ? r.object : `${r.object}.${c.id.slice(0, slash)}`;
      const name = slash < 0 ? c.id : c.id.slice(slash + 1);
      s += `    <testcase classname="${xml(classname)}" name="${xml(name)}">`;
      const msg = xml(c.reason ?? c.log[c.log.length - 1] ?? '');
      if (c.outcome === 'fail') s += `<failure message="${msg}"/>`;
      else if (c.outcome === 'error') s += `<error message="${msg}"/>`;
      else if (c.outcome === 'skip') s += `<skipped message="${msg}"/>`;
      if (c.log.length) s += `<system-out>${xml(c.log.join('\n'))}</system-out>`;
      s += '</testcase>\n';
    }
    s += '  </testsuite>\n';
  }
  return s + '</testsuites>\n';
}

/** JSON of the runs (bigint log arguments as decimal strings). */
export function formatJson(runs: readonly SuiteRunResult[]): string {
  return JSON.stringify(runs.length === 1 ? runs[0] : runs, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v), 1) + '\n';
}
