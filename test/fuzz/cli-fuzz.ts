/**
 * @fileoverview A seeded fuzzer for the `tcxlab` command line: mutated argv (options, numbers,
 * hex, map and program names, hostile names such as `*\/process.exit(7)//`, `__proto__`,
 * `constructor`, U+2028) and mutated input files (packets files, `net` scenarios, `tcx-script`
 * scripts, `--btf` files, bpftool `data_in` / `ctx_in`).
 *
 * The invariant for every case: exit status 0, 1 or 2 (`tcx-script` also 3, the oracle's status
 * for a refused script line); a failing case (status 1 or 2) has a
 * one-line error as the last line on stderr; never a stack trace, an untyped exception (a
 * TypeError, RangeError... or anything `run` throws), unbounded time or unbounded output.
 *
 * Mutated inputs live in an in-memory file table (the CLI's injectable `readFile`): nothing is
 * written to disk, and the commands that write files (`cover --lcov`, `prog run data_out`) only
 * ever get `-` (standard output).
 *
 * `fuzzCli(seed, count)` is deterministic for a seed; the test suite runs it in small chunks, a
 * long-run script can call it with large counts.
 */
import { readFileSync } from 'node:fs';
import { run } from '../../src/cli/main.js';
import { mulberry32 } from './rng.js';
import { memoryIo, readFileOrFail, type CliIo, type InputKind } from '../../src/cli/io.js';

/** Input categories a case belongs to (for the report). */
export const CATEGORIES = ['argv', 'packets', 'scenario', 'tcx-script', 'btf', 'data_in'] as const;
export type Category = (typeof CATEGORIES)[number];

export interface FuzzFailure {
  seed: number;
  index: number;
  category: Category;
  argv: string[];
  /** The in-memory files of the case (hex), so a failure can be replayed. */
  files: Record<string, string>;
  why: string;
  code?: number;
  stderr: string;
}

export interface FuzzReport {
  seed: number;
  count: number;
  /** Cases per category. */
  tried: Record<Category, number>;
  /** Cases per exit status. */
  exits: Record<string, number>;
  /** Cases per exit status, per category. */
  outcomes: Record<Category, Record<string, number>>;
  failures: FuzzFailure[];
  /** The slowest case in milliseconds. */
  maxMs: number;
  /** The largest standard output in bytes. */
  maxOut: number;
}

/** Bounds a case must stay within. */
export const CASE_LIMITS = { ms: 20_000, outBytes: 8 << 20, errBytes: 64 << 10 };

// ---------------------------------------------------------------- seeded randomness

/** mulberry32: small, fast and good enough for picking mutations. */
export const rng = mulberry32;

class Pick {
  constructor(readonly r: () => number) {}
  int(n: number): number {
    return Math.floor(this.r() * n);
  }
  one<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)];
  }
  chance(p: number): boolean {
    return this.r() < p;
  }
}

// ---------------------------------------------------------------- pools

const OBJECTS: [string, string[]][] = [
  ['progs/bench_parse.bpf.o', ['bench_parse']],
  ['progs/tailcall.bpf.o', ['tail_dispatch', 'tail_loop', 'tail_udp']],
  ['progs/globals.bpf.o', ['globals_rw', 'globals_strings']],
  ['progs/core.bpf.o', ['core_fields', 'core_read_ip']],
  ['progs/invalid_verifier.bpf.o', ['bad_pkt_read']],
  ['test/goldens/cli/hostile.bpf.o', ['hostile', 'leaf']],
];
const MAPS = ['jump_table', 'loop_table', '.data', '.bss', '.rodata', 'globals.data', 'jt', '__proto__', 'constructor'];

export const HOSTILE_NAMES = [
  '__proto__',
  'constructor',
  'toString',
  'hasOwnProperty',
  'prototype',
  '*/process.exit(7)//',
  "'); process.exit(7); ('",
  '${process.exit(7)}',
  '\u2028',
  'a\u2029b',
  '\0',
  '',
  '-',
  '--',
  '%s%n',
  '../../../../etc/passwd',
  'x'.repeat(5000),
  '\u{1F600}',
  '\uD800',
];
const NUMBERS = ['0', '1', '2', '3', '-1', '-0', '+1', 'abc', '', ' 1', '1 ', '1e3', '0x10', '010', '3.5', 'NaN', 'Infinity', '4294967295', '4294967296', '1000000000000', '99999', '9007199254740993', '\u0663'];
const HEXES = ['', '0', '00', '0000', '00000000', 'ffffffff', '01000000', 'zz', '0x00', 'ffe0f505', 'ff'.repeat(192), '00'.repeat(193), '00'.repeat(5000), 'Ab'];
const ENGINES = ['auto', 'interp', 'jit', 'fast', ''];
const TYPES = ['sched_cls', 'sched_act', 'xdp', 'tracepoint', 'nosuch', ''];

/** A value for an option: usually of the right kind, sometimes hostile. */
function value(p: Pick, kind: 'num' | 'hex' | 'name' | 'map' | 'prog' | 'engine' | 'type' | 'file'): string {
  if (p.chance(0.15)) return p.one(HOSTILE_NAMES);
  switch (kind) {
    case 'num':
      return p.one(NUMBERS);
    case 'hex':
      return p.one(HEXES);
    case 'map':
      return p.one(MAPS);
    case 'prog':
      return p.one(OBJECTS.flatMap(([, ps]) => ps));
    case 'engine':
      return p.one(ENGINES);
    case 'type':
      return p.one(TYPES);
    case 'file':
      return p.one(['/fuzz/packets.txt', '/fuzz/data.bin', '/fuzz/target.btf', '/nonexistent', 'test', '/dev/null']);
    default:
      return p.one(HOSTILE_NAMES);
  }
}

const RUN_OPTIONS: [string, ...Parameters<typeof value>[1][]][] = [
  ['--ctx', 'hex'],
  ['--ctx-out'],
  ['--set', 'map', 'hex', 'hex'],
  ['--set', 'map', 'hex', 'prog'],
  ['--engine', 'engine'],
  ['--repeat', 'num'],
  ['--cpu', 'num'],
  ['--type', 'type'],
  ['--btf', 'file'],
  ['--max-entries', 'num'],
  ['--pretty'],
  ['--no-verify'],
  ['--verify=warn'],
  ['--verify'],
];
const TRACE_OPTIONS: [string, ...Parameters<typeof value>[1][]][] = [
  ['--ctx', 'hex'],
  ['--set', 'map', 'hex', 'hex'],
  ['--limit', 'num'],
  ['--packet', 'num'],
  ['--no-verify'],
  ['--verify=warn'],
];
const COMPARE_OPTIONS: [string, ...Parameters<typeof value>[1][]][] = [
  ['--dir', 'name'],
  ['--prio', 'num'],
  ['--classid', 'name'],
  ['--da-classid', 'hex'],
  ['--paths', 'name'],
  ['--mark', 'num'],
  ['--priority', 'num'],
  ['--engine', 'engine'],
  ['--json'],
  ['--fail-on-diff'],
  ['--no-verify'],
  ['--verify=warn'],
];
const COVER_OPTIONS: [string, ...Parameters<typeof value>[1][]][] = [
  ['--ctx', 'hex'],
  ['--set', 'map', 'hex', 'hex'],
  ['--show'],
  ['--lcov', 'name'],
  ['--no-verify'],
];

function options(p: Pick, table: [string, ...Parameters<typeof value>[1][]][]): string[] {
  const out: string[] = [];
  const n = p.int(4);
  for (let i = 0; i < n; i++) {
    const [flag, ...kinds] = p.one(table);
    if (flag === '--lcov') {
      out.push(flag, '-'); // never a file name: the fuzzer writes nothing
      continue;
    }
    out.push(flag, ...kinds.map((k) => value(p, k)));
  }
  // Sometimes an unknown option, a stray argument or a truncated option.
  if (p.chance(0.1)) out.push(p.one(['--nosuch', '-x', 'extra', '--repeat', '--set', '--=', '---', '--help']));
  return out;
}

// ---------------------------------------------------------------- input mutation

function mutateBytes(p: Pick, base: Uint8Array): Uint8Array {
  const b = Array.from(base);
  const n = 1 + p.int(8);
  for (let i = 0; i < n; i++) {
    switch (p.int(6)) {
      case 0:
        if (b.length) b[p.int(b.length)] ^= 1 << p.int(8);
        break;
      case 1:
        if (b.length) b[p.int(b.length)] = p.one([0, 0xff, 0x7f, 0x80, 0x0a, 0x23]);
        break;
      case 2:
        b.splice(p.int(b.length + 1), 0, ...Array.from({ length: 1 + p.int(16) }, () => p.int(256)));
        break;
      case 3:
        b.splice(p.int(b.length + 1), 1 + p.int(16));
        break;
      case 4:
        b.length = p.int(b.length + 1);
        break;
      default:
        if (b.length >= 4) {
          // a u32 field set to an extreme
          const at = p.int(b.length - 3) & ~3;
          const v = p.one([0, 1, 0x7fffffff, 0x80000000, 0xffffffff, 0xfffffff8]);
          b[at] = v & 0xff;
          b[at + 1] = (v >>> 8) & 0xff;
          b[at + 2] = (v >>> 16) & 0xff;
          b[at + 3] = v >>> 24;
        }
    }
  }
  return Uint8Array.from(b);
}

const TEXT_INSERTS = ['\u2028', '\u2029', '\0', '\r', '\r\n', '#', ' ', '\t', '\\', '"', "'", '0x', '-1', '4294967296', '__proto__', 'constructor', '*/process.exit(7)//', 'ff'.repeat(3000), '\n\n', '@', '/', '..'];

function mutateText(p: Pick, base: string): string {
  let lines = base.split('\n');
  const n = 1 + p.int(6);
  for (let i = 0; i < n; i++) {
    const at = p.int(lines.length);
    switch (p.int(6)) {
      case 0:
        lines.splice(at, 1);
        break;
      case 1:
        lines.splice(at, 0, lines[p.int(lines.length)] ?? '');
        break;
      case 2: {
        // replace one word of a line
        const words = (lines[at] ?? '').split(' ');
        words[p.int(words.length)] = p.chance(0.5) ? p.one(TEXT_INSERTS) : p.one(NUMBERS);
        lines[at] = words.join(' ');
        break;
      }
      case 3: {
        const l = lines[at] ?? '';
        const k = p.int(l.length + 1);
        lines[at] = l.slice(0, k) + p.one(TEXT_INSERTS) + l.slice(k);
        break;
      }
      case 4:
        lines = lines.slice(0, at);
        break;
      default: {
        const l = lines[at] ?? '';
        lines[at] = l.slice(0, p.int(l.length + 1));
      }
    }
  }
  return lines.join('\n');
}

// ---------------------------------------------------------------- cases

const read = (path: string): Uint8Array => new Uint8Array(readFileSync(path));
const text = (path: string): string => readFileSync(path, 'utf8');

interface Case {
  category: Category;
  argv: string[];
  files: Map<string, Uint8Array>;
}

const PACKETS = ['test/goldens/run/packets/one_ipv4.txt', 'test/goldens/run/packets/mixed.txt', 'test/goldens/run/packets/one_vlan.txt'];
const SCENARIOS = ['test/goldens/net/example.net', 'test/goldens/net/chain.net', 'test/goldens/net/redirect.net', 'test/goldens/net/tc-errors.net'];
const TCX_SCRIPTS = ['test/goldens/tcx/errno/attach_flags.txt', 'test/goldens/tcx/errno/link_update.txt', 'test/goldens/tcx/errno/fds_ids.txt'];

function packetsFile(p: Pick): Uint8Array {
  const base = text(p.one(PACKETS));
  return new TextEncoder().encode(p.chance(0.7) ? mutateText(p, base) : base);
}

function makeCase(p: Pick, category: Category): Case {
  const files = new Map<string, Uint8Array>();
  const [obj, progs] = p.one(OBJECTS);
  const prog = p.chance(0.85) ? p.one(progs) : value(p, 'name');
  files.set('/fuzz/packets.txt', category === 'packets' ? packetsFile(p) : read(PACKETS[0]));
  const cmd = category === 'argv' ? p.one(['run', 'run', 'trace', 'cover', 'compare', 'prog', 'jit', 'inspect', 'disasm', 'net', 'tcx-script']) : category;
  switch (cmd) {
    case 'run':
    case 'packets':
    case 'btf': {
      if (category === 'btf') {
        const base = read('test/goldens/btf/core.btf');
        files.set('/fuzz/target.btf', mutateBytes(p, base));
        return { category, argv: ['run', 'progs/core.bpf.o', p.one(['core_fields', 'core_read_ip']), '/fuzz/packets.txt', '--btf', '/fuzz/target.btf'], files };
      }
      files.set('/fuzz/target.btf', read('test/goldens/btf/core.btf'));
      return { category, argv: ['run', obj, prog, '/fuzz/packets.txt', ...options(p, RUN_OPTIONS)], files };
    }
    case 'trace':
      return { category, argv: ['trace', obj, prog, '/fuzz/packets.txt', ...options(p, TRACE_OPTIONS)], files };
    case 'cover':
      return { category, argv: ['cover', obj, prog, '/fuzz/packets.txt', ...options(p, COVER_OPTIONS)], files };
    case 'compare':
      return { category, argv: ['compare', obj, p.chance(0.8) ? prog : progs.join(','), '/fuzz/packets.txt', ...options(p, COMPARE_OPTIONS)], files };
    case 'prog':
    case 'data_in': {
      const frame = read('test/goldens/cli/one.bin');
      files.set('/fuzz/data.bin', category === 'data_in' ? mutateBytes(p, p.chance(0.2) ? new Uint8Array(p.int(5000)) : frame) : frame);
      files.set('/fuzz/ctx.bin', mutateBytes(p, new Uint8Array(192)));
      const words = ['file', obj, ...(p.chance(0.8) ? ['name', prog] : ['sec', value(p, 'name')]), 'data_in', '/fuzz/data.bin'];
      if (p.chance(0.4)) words.push('data_out', '-');
      if (p.chance(0.2)) words.push('data_size_out', value(p, 'num'));
      if (p.chance(0.3)) words.push('ctx_in', '/fuzz/ctx.bin', ...(p.chance(0.5) ? ['ctx_out', '-'] : []));
      if (p.chance(0.4)) words.push('repeat', p.one(['0', '1', '2', '100', 'abc', '-1', '4294967296']));
      if (category === 'argv' && p.chance(0.4)) words.splice(p.int(words.length + 1), 0, value(p, 'name'));
      const flags = p.chance(0.3) ? [p.one(['-j', '-p', '--json', '--engine=jit', '--no-verify', '--verify=warn'])] : [];
      return { category, argv: ['prog', 'run', ...words, ...flags], files };
    }
    case 'jit':
      return { category, argv: ['jit', obj, ...(p.chance(0.8) ? [prog] : []), ...(p.chance(0.3) ? [p.one(['--compact', '--no-verify', '--verify=warn', '--hex', '--type=xdp'])] : [])], files };
    case 'inspect':
      return { category, argv: ['inspect', obj, ...(p.chance(0.3) ? ['--btf', value(p, 'file')] : [])], files };
    case 'disasm':
      return { category, argv: ['disasm', p.chance(0.8) ? obj : value(p, 'file')], files };
    case 'net':
    case 'scenario': {
      const base = text(p.one(SCENARIOS));
      files.set('/fuzz/scenario.net', new TextEncoder().encode(category === 'scenario' || p.chance(0.5) ? mutateText(p, base) : base));
      const flags = p.chance(0.4) ? [p.one(['--json', '-q', '--engine', '--engine=jit', '--no-verify', '--verify=warn', '--engine=fast'])] : [];
      return { category, argv: ['net', '/fuzz/scenario.net', ...flags], files };
    }
    default: {
      const base = text(p.one(TCX_SCRIPTS));
      files.set('/fuzz/script.txt', new TextEncoder().encode(category === 'tcx-script' || p.chance(0.5) ? mutateText(p, base) : base));
      const flags = p.chance(0.3) ? [p.one(['--ids', '--setup', '--nosuch'])] : [];
      return { category, argv: ['tcx-script', '/fuzz/script.txt', ...flags], files };
    }
  }
}

/** An io whose files are the case's in-memory table first, then the real file system. */
function caseIo(c: Case): CliIo & { stdout: string; stderr: string } {
  const io = memoryIo('');
  io.readFile = (path: string, kind?: InputKind) => c.files.get(path) ?? readFileOrFail(path, kind);
  // Output over the bound is counted, not kept.
  let outBytes = 0;
  io.out = (t: string) => {
    outBytes += t.length;
    if (outBytes <= CASE_LIMITS.outBytes) io.stdout += t;
    else io.stdout = `(over ${CASE_LIMITS.outBytes} bytes)`;
  };
  return io;
}

const UNTYPED = /\b(TypeError|RangeError|ReferenceError|SyntaxError|EvalError|URIError|AggregateError|InternalError)\b|internal error|Maximum call stack|\n\s+at .*[(:]\d+/;

/** Run one case and check the invariant; returns the failure, if any. */
export async function runCase(c: Case): Promise<{ code?: number; ms: number; outBytes: number; why?: string; stderr: string }> {
  const io = caseIo(c);
  const t0 = performance.now();
  let code: number | undefined;
  let why: string | undefined;
  try {
    code = await run(c.argv, io);
  } catch (e) {
    why = `run threw ${e instanceof Error ? `${e.constructor.name}: ${e.message}` : String(e)}`.slice(0, 500);
  }
  const ms = performance.now() - t0;
  const err = io.stderr;
  if (why === undefined) {
    // tcx-script keeps the oracle's status 3 for a script line it refuses.
    const allowed = c.argv[0] === 'tcx-script' ? [0, 1, 2, 3] : [0, 1, 2];
    if (!allowed.includes(code as number)) why = `exit status ${code}`;
    else if (UNTYPED.test(err) || UNTYPED.test(io.stdout.slice(0, 4096))) why = 'untyped error or stack trace in the output';
    else if (code !== 0 && err.trim() === '' && !(code === 1 && io.stdout.startsWith('{"error"')) && !(c.argv[0] === 'net' || c.argv[0] === 'tcx-script'))
      why = 'failed without a message';
    else if (err.length > CASE_LIMITS.errBytes) why = `stderr of ${err.length} bytes`;
    else if (io.stdout.startsWith('(over')) why = `stdout over ${CASE_LIMITS.outBytes} bytes`;
    else if (ms > CASE_LIMITS.ms) why = `took ${Math.round(ms)} ms`;
  }
  return { code, ms, outBytes: io.stdout.length, why, stderr: err.slice(0, 2000) };
}

/**
 * Run `count` cases from `seed` (case i of seed s is always the same case), cycling through the
 * categories. Resolves to a report; failures carry everything needed to replay them.
 */
export async function fuzzCli(seed: number, count: number): Promise<FuzzReport> {
  const report: FuzzReport = {
    seed,
    count,
    tried: Object.fromEntries(CATEGORIES.map((k) => [k, 0])) as Record<Category, number>,
    exits: {},
    outcomes: Object.fromEntries(CATEGORIES.map((k) => [k, {}])) as Record<Category, Record<string, number>>,
    failures: [],
    maxMs: 0,
    maxOut: 0,
  };
  for (let i = 0; i < count; i++) {
    const p = new Pick(rng((seed * 0x9e3779b1 + i) >>> 0));
    const category = CATEGORIES[(seed + i) % CATEGORIES.length];
    const c = makeCase(p, category);
    report.tried[category]++;
    const r = await runCase(c);
    const status = r.why !== undefined ? 'failed' : String(r.code);
    report.exits[status] = (report.exits[status] ?? 0) + 1;
    report.outcomes[category][status] = (report.outcomes[category][status] ?? 0) + 1;
    report.maxMs = Math.max(report.maxMs, r.ms);
    report.maxOut = Math.max(report.maxOut, r.outBytes);
    if (r.why !== undefined) {
      report.failures.push({
        seed,
        index: i,
        category,
        argv: c.argv,
        files: Object.fromEntries([...c.files].map(([k, v]) => [k, Buffer.from(v).toString('hex')])),
        why: r.why,
        code: r.code,
        stderr: r.stderr,
      });
    }
  }
  return report;
}
