/**
 * @fileoverview The verifier agreement report on the Linux selftests corpus (README "Verifier
 * agreement with Linux"): tcxlab's verdict on every program against the kernel's goldens.
 *
 *   npx tsx test/corpus/verifier-selftests/report.ts                    # the table
 *   npx tsx test/corpus/verifier-selftests/report.ts --list             # + every disagreement
 *   npx tsx test/corpus/verifier-selftests/report.ts --update-baseline  # rewrite baseline.json
 *   npx tsx test/corpus/verifier-selftests/report.ts --json             # the summary as JSON
 *   npx tsx test/corpus/verifier-selftests/report.ts --only verifier_and --list  # files matching a regex
 *
 * Targets (issue 10): >= 95 % agreement, 0 false accepts for memory safety, the kernel's first
 * error line for >= 80 % of agreed rejections. The report states each; it is not a test.
 */
import { writeFileSync } from 'node:fs';
import { baselineUrl, compareFile, loadGoldens, makeBaseline, summarize, type ProgramResult } from './agreement.js';

const argv = process.argv.slice(2);
const args = new Set(argv);
const onlyAt = argv.indexOf('--only');
const only = onlyAt >= 0 ? new RegExp(argv[onlyAt + 1] ?? '') : undefined;
if (only && args.has('--update-baseline')) throw new Error('--update-baseline needs the whole corpus (no --only)');
const goldens = loadGoldens().filter((g) => only === undefined || only.test(g.file));
const results: ProgramResult[] = [];
let skipped = 0;
const skipReasons = new Map<string, number>();
// Programs of other types in the same objects: listed by the recorder, not loaded.
const otherTypes = new Map<string, number>();
for (const g of goldens) {
  for (const p of g.programs) {
    if (p.verdict === null) otherTypes.set(p.type, (otherTypes.get(p.type) ?? 0) + 1);
    else if (p.skip !== undefined) {
      skipReasons.set(p.skip, (skipReasons.get(p.skip) ?? 0) + 1);
      skipped++;
    }
  }
  results.push(...compareFile(g));
}
const others = [...otherTypes].sort((a, b) => b[1] - a[1]);
const s = summarize(results, skipped);

if (args.has('--update-baseline')) {
  writeFileSync(baselineUrl, JSON.stringify(makeBaseline(results), null, 1) + '\n');
  console.error(`wrote ${baselineUrl.pathname}`);
}

if (args.has('--json')) {
  console.log(JSON.stringify(s, null, 1));
} else {
  const pct = (a: number, b: number): string => (b === 0 ? '-' : `${((100 * a) / b).toFixed(1)} %`);
  const agree = s.agreeAccept + s.agreeReject;
  const rows: [string, string, string][] = [
    ['programs compared', String(s.programs), `${s.kernelAccept} accepted and ${s.kernelReject} rejected by Linux`],
    ['agree', String(agree), pct(agree, s.programs) + ` (accept ${s.agreeAccept}, reject ${s.agreeReject}); target >= 95 %`],
    ['in objects tcxlab loads', String(s.judged), `judged one by one by tcxlab's verifier: agree ${s.judgedAgree} (${pct(s.judgedAgree, s.judged)})`],
    ['Linux rejects, tcxlab accepts', String(s.falseAccept), `${s.falseAcceptMemory} rejected by Linux for memory safety; target 0`],
    ['Linux accepts, tcxlab rejects', String(s.falseReject), `${s.falseRejectObject} because the whole object is refused`],
    ['same first error message', String(s.messageEqual), `${pct(s.messageEqual, s.agreeReject)} of agreed rejections (any error line: ${s.messageInBlock}; ${s.agreeRejectObject} agreed rejections refuse the whole object); target >= 80 %`],
    ['skipped', String(s.skipped), [...skipReasons].map(([r, n]) => `${n}: ${r}`).join('; ')],
    ['other types, not recorded', String(others.reduce((a, [, n]) => a + n, 0)), others.map(([t, n]) => `${t} ${n}`).join(', ')],
  ];
  console.log('| | programs | |');
  console.log('|---|---:|---|');
  for (const [a, b, c] of rows) console.log(`| ${a} | ${b} | ${c} |`);
}

if (args.has('--list')) {
  const show = (title: string, f: (r: ProgramResult) => boolean): void => {
    const rs = results.filter(f);
    console.log(`\n## ${title} (${rs.length})`);
    for (const r of rs) {
      const k = r.kernel.verdict === 'reject' ? `${r.kernel.errname} [${r.reason}] ${r.kernel.message}` : 'accept';
      const o = r.ours.verdict === 'reject' ? `${r.ours.stage}: ${r.ours.message}` : 'accept';
      console.log(`${r.key}\n    linux:  ${k}\n    tcxlab: ${o}`);
    }
  };
  // The kernel's messages behind the false accepts, numbers and registers masked, most frequent first.
  const groups = new Map<string, number>();
  for (const r of results) {
    if (r.outcome !== 'false-accept') continue;
    const k = `[${r.reason}] ${(r.kernel.message ?? '').replace(/\bR\d+\b/g, 'Rn').replace(/-?\b\d+\b/g, 'N')}`;
    groups.set(k, (groups.get(k) ?? 0) + 1);
  }
  console.log('\n## false accepts by kernel message');
  for (const [k, n] of [...groups].sort((a, b) => b[1] - a[1])) console.log(`${String(n).padStart(4)}  ${k}`);
  show('false accepts', (r) => r.outcome === 'false-accept');
  show('false rejects', (r) => r.outcome === 'false-reject');
  show('agreed rejections with another message', (r) => r.outcome === 'agree-reject' && !r.messageEqual);
}
