/**
 * @fileoverview `npm run fuzz -- --minutes N [--seed S] [--only elf|btf|maps|names|progs|cli[,...]]`
 *
 * Runs every fuzzer round-robin until the time is up, then prints inputs tried and outcome counts
 * per category (loaded / error:<code> / fault:<code> / FAILURE). Each failing input is written to
 * test/fuzz/corpus/<category>/<hash>.bin with a one-line JSON description beside it
 * (<hash>.json), and the exit status is 1 when anything failed.
 *
 * The work runs in a child process that reports every input before checking it, so a hang (no
 * report for HANG_MS) is caught too: the parent kills the child, regenerates that input from
 * (category, seed, iteration), stores it as a `hang` reproducer and starts a new child after it.
 * The child also samples its heap after a forced GC every MEMORY_EVERY inputs; a heap above
 * HEAP_BOUND_MB is a failure (memory growth).
 *
 * The CLI fuzzer lives in test/fuzz/cli-fuzz.ts (`fuzzCli(seed, count)`) when present; it is
 * imported dynamically so this script works with or without it.
 */
import { fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CATEGORIES, checkInput, makeInput, type Category } from './fuzzers.js';
import { saveReproducer } from './save.js';

/** No report from the child for this long is a hang. */
const HANG_MS = 60_000;
/** One input checked for longer than this is a failure too (slow, on a loaded 2-core machine). */
const SLOW_MS = 10_000;
/** Heap (after a full GC) above this is a failure: the documented memory bound of a fuzzing run. */
export const HEAP_BOUND_MB = 512;
const MEMORY_EVERY = 250;
const CLI_FILE = join(import.meta.dirname, 'cli-fuzz.ts');
const CLI_CHUNK = 10;

type AnyCategory = Category | 'cli';

interface Args {
  minutes: number;
  seed: number;
  only: AnyCategory[];
  child: boolean;
  /** Child only: per-category iteration to start from. */
  start: Record<string, number>;
}

function parseArgs(argv: string[]): Args {
  const a: Args = { minutes: 1, seed: Date.now() % 0x7fffffff, only: [...CATEGORIES, 'cli'], child: false, start: {} };
  for (let i = 0; i < argv.length; i++) {
    const v = argv[i + 1];
    switch (argv[i]) {
      case '--minutes': a.minutes = Number(v); i++; break;
      case '--seed': a.seed = Number(v); i++; break;
      case '--only': a.only = v.split(',') as AnyCategory[]; i++; break;
      case '--child': a.child = true; break;
      case '--start': a.start = JSON.parse(v) as Record<string, number>; i++; break;
      default: throw new Error(`unknown argument ${argv[i]} (usage: --minutes N [--seed S] [--only elf|btf|maps|names|progs|cli])`);
    }
  }
  for (const c of a.only) if (!(CATEGORIES as readonly string[]).includes(c) && c !== 'cli') throw new Error(`unknown category ${c}`);
  if (!(a.minutes > 0)) throw new Error('--minutes must be > 0');
  if (!Number.isInteger(a.seed)) throw new Error('--seed must be an integer');
  return a;
}

/** Messages from the child. */
type Msg =
  | { t: 'start'; cat: AnyCategory; i: number }
  | { t: 'done'; cat: AnyCategory; i: number; outcome: string; failure?: string; bytes?: string; kind?: string; source?: string; ms: number }
  | { t: 'mem'; heapMB: number; rssMB: number }
  | { t: 'cli'; counts: Record<string, number>; failures: string[] }
  | { t: 'end' };

// ------------------------------------------------------------------------------------------
// child

async function child(a: Args): Promise<void> {
  const send = (m: Msg): Promise<void> => new Promise((res) => process.send!(m, () => res()));
  const deadline = Date.now() + a.minutes * 60_000;
  const cats = a.only.filter((c) => c !== 'cli') as Category[];
  const next: Record<string, number> = { ...a.start };
  let fuzzCli: ((seed: number, count: number) => unknown) | undefined;
  if (a.only.includes('cli') && existsSync(CLI_FILE)) {
    fuzzCli = ((await import(pathToFileURL(CLI_FILE).href)) as { fuzzCli?: typeof fuzzCli }).fuzzCli;
  }
  const gc = (globalThis as { gc?: () => void }).gc;
  let n = 0;
  while (Date.now() < deadline) {
    for (const cat of cats) {
      const i = next[cat] ?? 0;
      next[cat] = i + 1;
      await send({ t: 'start', cat, i });
      let input;
      try {
        input = makeInput(cat, a.seed, i);
      } catch (e) {
        await send({ t: 'done', cat, i, outcome: 'FAILURE', failure: `the mutator itself threw (a fuzzer bug): ${e instanceof Error ? e.stack : String(e)}`, ms: 0 });
        continue;
      }
      const t0 = performance.now();
      const r = checkInput(input);
      const ms = performance.now() - t0;
      const failed = r.outcome === 'FAILURE';
      await send({
        t: 'done', cat, i, outcome: r.outcome, failure: r.failure, ms,
        ...(failed ? { bytes: Buffer.from(input.bytes).toString('base64'), kind: input.kind, source: input.source } : {}),
      });
      if (++n % MEMORY_EVERY === 0) {
        gc?.();
        const m = process.memoryUsage();
        await send({ t: 'mem', heapMB: m.heapUsed / 2 ** 20, rssMB: m.rss / 2 ** 20 });
      }
    }
    if (fuzzCli) {
      const i = next.cli ?? 0;
      next.cli = i + 1;
      await send({ t: 'start', cat: 'cli', i });
      const counts: Record<string, number> = {};
      const failures: string[] = [];
      try {
        // cli-fuzz.ts's FuzzReport: cases per exit status (`exits`) and the failures.
        const res = (await fuzzCli(a.seed + i, CLI_CHUNK)) as { exits?: Record<string, number>; failures?: unknown[] } | undefined;
        for (const [k, v] of Object.entries(res?.exits ?? {})) if (typeof v === 'number') counts[`exit ${k}`] = v;
        const f = res && 'failures' in res && Array.isArray(res.failures) ? res.failures : [];
        for (const x of f) failures.push(typeof x === 'string' ? x : JSON.stringify(x));
      } catch (e) {
        failures.push(`fuzzCli threw: ${e instanceof Error ? e.stack : String(e)}`);
      }
      await send({ t: 'cli', counts, failures });
    }
    if (cats.length === 0 && !fuzzCli) break;
  }
  await send({ t: 'end' });
}

// ------------------------------------------------------------------------------------------
// parent

async function parent(a: Args): Promise<number> {
  const counts = new Map<string, Map<string, number>>();
  const bump = (cat: string, outcome: string, by = 1): void => {
    const m = counts.get(cat) ?? new Map<string, number>();
    m.set(outcome, (m.get(outcome) ?? 0) + by);
    counts.set(cat, m);
  };
  let failures = 0;
  let maxHeap = 0;
  let maxRss = 0;
  let slowest = { ms: 0, what: '' };
  const deadline = Date.now() + a.minutes * 60_000;
  const start: Record<string, number> = {};
  let lastProgress = Date.now();
  console.log(`fuzzing ${a.only.join(', ')} for ${a.minutes} min, seed ${a.seed}${a.only.includes('cli') && !existsSync(CLI_FILE) ? ' (no test/fuzz/cli-fuzz.ts: cli skipped)' : ''}`);
  while (Date.now() < deadline - 1000) {
    const minutes = (deadline - Date.now()) / 60_000;
    const args = ['--child', '--minutes', String(minutes), '--seed', String(a.seed), '--only', a.only.join(','), '--start', JSON.stringify(start)];
    const c = fork(process.argv[1], args, { execArgv: [...process.execArgv, '--expose-gc'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    let current: { cat: AnyCategory; i: number } | undefined;
    let last = Date.now();
    const ended = await new Promise<'end' | 'hang' | 'exit'>((resolve) => {
      const timer = setInterval(() => {
        if (Date.now() - last > HANG_MS) {
          clearInterval(timer);
          c.kill('SIGKILL');
          resolve('hang');
        }
      }, 1000);
      c.on('message', (m: Msg) => {
        last = Date.now();
        switch (m.t) {
          case 'start':
            current = { cat: m.cat, i: m.i };
            start[m.cat] = m.i + 1;
            break;
          case 'done':
            current = undefined;
            bump(m.cat, m.outcome);
            if (m.ms > slowest.ms) slowest = { ms: m.ms, what: `${m.cat} #${m.i}` };
            if (m.outcome !== 'FAILURE' && m.ms > SLOW_MS) {
              // Slow but finished: a failure of its own (the input is regenerated, it is deterministic).
              bump(m.cat, m.outcome, -1);
              bump(m.cat, 'FAILURE');
              m.failure = `slow: ${m.ms.toFixed(0)} ms for one input (bound ${SLOW_MS} ms), outcome ${m.outcome}`;
              m.outcome = 'FAILURE';
              const input = makeInput(m.cat as Category, a.seed, m.i);
              m.bytes = Buffer.from(input.bytes).toString('base64');
              m.kind = input.kind;
              m.source = input.source;
            }
            if (m.outcome === 'FAILURE') {
              failures++;
              const path = saveReproducer(m.cat, Buffer.from(m.bytes ?? '', 'base64'), { kind: m.kind, seed: a.seed, iteration: m.i, source: m.source, failure: m.failure?.split('\n')[0] });
              console.log(`FAILURE ${m.cat} #${m.i} (${m.source}) -> ${path}\n  ${m.failure?.slice(0, 800)}`);
            }
            break;
          case 'mem':
            if (Date.now() - lastProgress > 60_000) {
              lastProgress = Date.now();
              const n = [...counts.values()].reduce((x, mm) => x + [...mm.values()].reduce((p, q) => p + q, 0), 0);
              console.log(`... ${n} inputs, ${failures} failures, heap ${m.heapMB.toFixed(0)} MiB, RSS ${m.rssMB.toFixed(0)} MiB`);
            }
            maxHeap = Math.max(maxHeap, m.heapMB);
            maxRss = Math.max(maxRss, m.rssMB);
            if (m.heapMB > HEAP_BOUND_MB) {
              failures++;
              console.log(`FAILURE memory: heap ${m.heapMB.toFixed(0)} MiB after GC exceeds ${HEAP_BOUND_MB} MiB`);
            }
            break;
          case 'cli':
            for (const [k, v] of Object.entries(m.counts)) bump('cli', k, v);
            for (const f of m.failures) {
              failures++;
              bump('cli', 'FAILURE');
              const path = saveReproducer('cli', new TextEncoder().encode(f), { kind: 'cli', seed: a.seed, failure: f.slice(0, 300) });
              console.log(`FAILURE cli -> ${path}: ${f.slice(0, 800)}`);
            }
            break;
          case 'end':
            clearInterval(timer);
            resolve('end');
        }
      });
      c.on('exit', () => {
        clearInterval(timer);
        resolve('exit');
      });
    });
    if (ended === 'end') {
      await new Promise((r) => c.once('exit', r));
      break;
    }
    // The child hung or died while checking `current`: store that input and go on after it.
    if (current !== undefined && current.cat !== 'cli') {
      failures++;
      bump(current.cat, 'FAILURE');
      let input;
      try {
        input = makeInput(current.cat, a.seed, current.i);
      } catch {
        console.log(`FAILURE ${current.cat} #${current.i}: ${ended}, and the input cannot be regenerated`);
        continue;
      }
      const path = saveReproducer(current.cat, input.bytes, { kind: input.kind, seed: a.seed, iteration: current.i, source: input.source, failure: ended === 'hang' ? `hang: no result in ${HANG_MS} ms` : 'the process died' });
      console.log(`FAILURE ${current.cat} #${current.i}: ${ended} -> ${path}`);
    } else if (current?.cat === 'cli') {
      failures++;
      bump('cli', 'FAILURE');
      console.log(`FAILURE cli chunk #${current.i}: ${ended}`);
    } else if (ended === 'exit') {
      console.log('the fuzzing process exited unexpectedly');
      failures++;
      break;
    }
  }
  let total = 0;
  for (const [cat, m] of [...counts.entries()].sort()) {
    const n = [...m.values()].reduce((x, y) => x + y, 0);
    total += n;
    const parts = [...m.entries()].sort((x, y) => y[1] - x[1]).map(([k, v]) => `${k} ${v}`);
    console.log(`${cat.padEnd(6)} ${String(n).padStart(7)} inputs: ${parts.join(', ')}`);
  }
  console.log(`total ${total} inputs, ${failures} failures; heap after GC max ${maxHeap.toFixed(0)} MiB (bound ${HEAP_BOUND_MB}), RSS max ${maxRss.toFixed(0)} MiB; slowest input ${slowest.ms.toFixed(0)} ms (${slowest.what})`);
  return failures ? 1 : 0;
}

const args = parseArgs(process.argv.slice(2));
if (args.child) await child(args);
else process.exitCode = await parent(args);
