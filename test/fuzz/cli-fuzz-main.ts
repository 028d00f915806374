/**
 * @fileoverview Long runs of the CLI fuzzer outside vitest:
 *
 *   npx tsx test/fuzz/cli-fuzz-main.ts FIRST_SEED LAST_SEED CASES_PER_SEED
 *
 * prints one JSON line per seed, then the totals (cases per category, exit statuses, failures,
 * slowest case, largest output) and each distinct failure with its seed and index (replayable:
 * case i of seed s is always the same). Exit status 1 when anything failed.
 */
import { CATEGORIES, fuzzCli, type FuzzFailure } from './cli-fuzz.js';

const [first, last, count] = process.argv.slice(2).map(Number);
if (![first, last, count].every(Number.isSafeInteger)) {
  process.stderr.write('usage: cli-fuzz-main.ts FIRST_SEED LAST_SEED CASES_PER_SEED\n');
  process.exit(2);
}
const tried = Object.fromEntries(CATEGORIES.map((c) => [c, 0])) as Record<string, number>;
const exits: Record<string, number> = {};
const outcomes = Object.fromEntries(CATEGORIES.map((c) => [c, {} as Record<string, number>]));
const failures: FuzzFailure[] = [];
let maxMs = 0;
let maxOut = 0;
const t0 = Date.now();
for (let s = first; s <= last; s++) {
  const r = await fuzzCli(s, count);
  for (const [k, v] of Object.entries(r.tried)) tried[k] += v;
  for (const [k, v] of Object.entries(r.exits)) exits[k] = (exits[k] ?? 0) + v;
  for (const [c, o] of Object.entries(r.outcomes)) for (const [k, v] of Object.entries(o)) outcomes[c][k] = (outcomes[c][k] ?? 0) + v;
  failures.push(...r.failures);
  maxMs = Math.max(maxMs, r.maxMs);
  maxOut = Math.max(maxOut, r.maxOut);
  process.stdout.write(`${JSON.stringify({ seed: s, exits: r.exits, failures: r.failures.length })}\n`);
}
const total = Object.values(tried).reduce((a, b) => a + b, 0);
process.stdout.write(`${JSON.stringify({ total, tried, exits, outcomes, failures: failures.length, maxMs: Math.round(maxMs), maxOut, seconds: Math.round((Date.now() - t0) / 1000) })}\n`);
const seen = new Set<string>();
for (const f of failures) {
  const key = `${f.why.slice(0, 80)}|${f.stderr.slice(0, 80)}`;
  if (seen.has(key)) continue;
  seen.add(key);
  process.stdout.write(`failure seed ${f.seed} #${f.index} (${f.category}): ${f.why}\n  argv ${JSON.stringify(f.argv).slice(0, 400)}\n  stderr ${JSON.stringify(f.stderr.slice(0, 400))}\n`);
}
process.exitCode = failures.length ? 1 : 0;
