/**
 * @fileoverview Cold start of the built CLI (issue 11, "fast start"): CPU time (user + sys) of
 * a fresh `tcxlab --help` and of a one-frame `tcxlab run`, against a bare `node -e 0` measured
 * in the same rounds. Goals: --help within 40 ms of bare node, run within 100 ms.
 *
 *   npm run build && node test/bench/cold-start.js [rounds] [other-cli.js]
 *
 * (also part of `npm run bench`, with 15 rounds). `other-cli.js`: another build's CLI entry (say
 * dist/cli.js of an older checkout) measured in the same rounds, for a before/after comparison.
 *
 * Each round runs every case once, in turn, so that a change in machine load hits all cases
 * alike; the figure per case is the minimum over the rounds (the least disturbed run), with the
 * median beside it. The CPU time of a run is its rusage as a waited-for child, read with bash's
 * `times` (millisecond resolution; /usr/bin/time prints 10 ms steps). It measures dist/ as built:
 * rebuild after changing sources.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const CLI = 'dist/cli/tcxlab.cjs';
const RUN_ARGS = 'run progs/bench_parse.bpf.o bench_parse test/goldens/run/packets/one_ipv4.txt';

/** The cases for one CLI entry: label, command line (run from the package root), goal in ms over bare node. */
const cliCases = (cli, name) => [
  { label: `${name} --help`, cmd: `node ${cli} --help`, goalMs: 40 },
  { label: `${name} run (1 frame)`, cmd: `node ${cli} ${RUN_ARGS}`, goalMs: 100 },
];

/** CPU ms (user + sys) of one run of `cmd`, its output discarded. */
function cpuMs(cmd) {
  // Without NODE_OPTIONS: under `npm run bench` (node --import tsx) it could preload tsx into the children.
  const env = { ...process.env };
  delete env.NODE_OPTIONS;
  const r = spawnSync('bash', ['-c', `${cmd} >/dev/null 2>&1; s=$?; times; exit $s`], { cwd: root, encoding: 'utf8', env });
  if (r.status !== 0) throw new Error(`cold-start: \`${cmd}\` failed (exit status ${r.status}): ${r.stderr}`);
  // `times` prints the shell's own times, then its children's: "0m0.071s 0m0.012s".
  const m = /(\d+)m([\d.]+)s (\d+)m([\d.]+)s\s*$/.exec(r.stdout.trim().split('\n').pop() ?? '');
  if (!m) throw new Error(`cold-start: cannot read the times of \`${cmd}\`: ${JSON.stringify(r.stdout)}`);
  return (Number(m[1]) * 60 + Number(m[2]) + Number(m[3]) * 60 + Number(m[4])) * 1000;
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** Measure and print the cold-start table; `other`: another build's CLI entry to measure alongside. */
export function runColdStartBenchmark(rounds = 15, other) {
  console.log(`\ncold start: CPU ms (user+sys) of fresh processes, min (median) of ${rounds} interleaved rounds`);
  if (!existsSync(`${root}/${CLI}`)) {
    console.log(`  ${CLI} is missing: run \`npm run build\` first (skipped)`);
    return undefined;
  }
  if (other) console.log(`  other: ${other}`);
  const cases = [{ label: 'node -e 0', cmd: 'node -e 0' }, ...cliCases(CLI, 'tcxlab'), ...(other ? cliCases(resolve(other), 'other') : [])];
  const samples = cases.map(() => []);
  for (let i = 0; i < rounds; i++) cases.forEach((c, k) => samples[k].push(cpuMs(c.cmd)));
  const mins = samples.map((s) => Math.min(...s));
  const results = cases.map((c, k) => ({ ...c, minMs: mins[k], medianMs: median(samples[k]), overMs: mins[k] - mins[0], ratio: mins[k] / mins[0] }));
  for (const r of results) {
    const over = r === results[0] ? 'bare node' : `+${r.overMs.toFixed(0)} ms, ${r.ratio.toFixed(2)}× bare node; goal +${r.goalMs} ms: ${r.overMs <= r.goalMs ? 'met' : 'not met'}`;
    console.log(`  ${r.label.padEnd(22)} ${r.minMs.toFixed(0).padStart(4)} ms (${r.medianMs.toFixed(0)} ms)  ${over}`);
  }
  return results;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) {
  runColdStartBenchmark(process.argv[2] !== undefined ? Number(process.argv[2]) : undefined, process.argv[3]);
}
