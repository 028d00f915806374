/**
 * Every code block of README.md runs as a test:
 *   - ```sh/```bash lines `npx tcxlab ...` run in-process through the CLI entry (src/cli/main.ts)
 *     with the repository's files; `# ...` lines under a command (or after `$ cmd` in a transcript)
 *     are its output and must appear, in order (`...` skips lines; an indented `#` line only
 *     continues a comment); exit status 0 unless the table below says otherwise;
 *   - ```ts/```js blocks run as a module written to a temporary file, their imports pointed at
 *     the sources (`tcxlab` and `tcxlab/SUB` → their tsup entries), with the placeholders they use
 *     (`bytes`, `prog`, `frame`, ...) defined by a prelude from real files; a line
 *     `expr; // 'literal'` asserts that expr equals the literal. Blocks that are vitest tests are
 *     test/examples/*.example.test.ts verbatim (run by the suite itself);
 *   - plain blocks that are transcripts (`$ npx tcxlab ...`, or marked as the output of a command
 *     in the comment before them) run and their output must match.
 * Blocks and commands that cannot run here are listed below with the reason; a test fails when a
 * block is in no category, or a listed reason matches no block.
 */
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { run } from '../../src/cli/main.js';
import { memoryIo } from '../../src/cli/io.js';
import { execTool, kernelTools, processKernelHost } from '../../src/kernel-parity/index.js';
import { recordedCase, replayExec, replayHost } from '../kernel-parity/replay.js';
import { exists, expandGlob, missingOutput, namedPaths, parseBlocks, parseCommand, ROOT, type Block } from './readme-blocks.js';

const README = readFileSync(join(ROOT, 'README.md'), 'utf8');
const blocks = parseBlocks(README);
const tmp = mkdtempSync(join(tmpdir(), 'tcxlab-readme-'));

/** Commands (by how the line starts) that do not run here, and why. */
const NOT_RUN: Array<[string, string]> = [
  ['npm install', 'installs the dependencies; the suite runs with them installed'],
  ['npm test', 'runs the whole suite, this test included'],
  ['bpf_conformance_runner', 'the upstream bpf_conformance runner, an external program; `conformance-plugin` itself runs in the same block'],
  ['tshark', "an external program; test/cli/pcap.test.ts reads tcxlab's pcapng back with tshark when it is installed, and always with tcxlab's own reader"],
  ['npx tsx test/corpus/verifier-selftests/report.ts', 'a synopsis ([--list] ...) of a report over the whole selftests corpus, minutes long; test/vm/verifier-selftests.test.ts runs the corpus'],
  ['npm run fuzz', 'fuzzes for N minutes (a synopsis); test/fuzz runs the corpus it keeps'],
  ['npm run record-goldens', 'records goldens from the running kernel and rewrites committed files; test/architecture/goldens.test.ts checks the areas it lists'],
  ['sudo npm run record-goldens', 'records from the running kernel (root and the kernel oracle): rewrites committed files'],
  ['sudo TCXLAB_ORACLE=PATH npm run record-goldens', 'records from the running kernel (root and the kernel oracle): rewrites committed files'],
];

/** Plain blocks (by their first line) that are no command and no transcript. */
const NOT_CODE: Array<[string, string]> = [
  ['   0: (bf) r6 = r1', 'samples of the disassembler syntax, not the output of one command'],
  ['tcxlab compare OBJ PROG[,PROG...] PACKETS_FILE [--dir ingress|egress] [--prio N] [--classid MAJ:MIN]', 'the command synopsis'],
  ['{', 'the --env file test/data/mock/env.json verbatim (test/examples/readme.test.ts checks it; test/cli/mock-options.test.ts runs with it)'],
];

/** Commands (by a part of the line) with another expected exit status or other needs. */
const COMMANDS: Array<{ has: string; status?: number; trailingIsOutput?: boolean; normalize?: Array<[RegExp, string]>; kernel?: string; why?: string }> = [
  { has: 'repeat 100000', normalize: [[/duration \(average\): \d+ns/, 'duration (average): Nns']] },
  { has: 'tcxlab conformance ', trailingIsOutput: true },
  { has: 'conformance-plugin', trailingIsOutput: true },
  { has: 'disasm progs/invalid_verifier.bpf.o --verify', status: 1, why: 'the verifier rejects the program, on purpose' },
  { has: 'cut.pcapng', status: 1, why: 'the capture is cut short on purpose: exit status 1 after the frames before the cut' },
  { has: 'test progs/trf_*.bpf.o', status: 1, why: 'trf_fail.bpf.o holds failing tests on purpose' },
  { has: '--kernel', kernel: 'fw', why: 'bpftool and the kernel answer from test/goldens/kernel-parity/fw (recorded on Linux 6.18 by its record.sh)' },
];

/** Placeholders of the TS blocks (by a part of the block), defined from real files. */
const PRELUDES: Array<{ has: string; prelude: string; throws?: RegExp }> = [
  {
    has: "import { decode, link, Memory, runProgram } from 'tcxlab/vm';",
    prelude: `import { assemble as __assemble } from '${ROOT}vm/asm.ts';
const bytes = __assemble('mov %r0, 7\\nexit');
const helpers = {};
const resolveLdImm64 = undefined;
const ctxLo = 0, ctxHi = 0;`,
  },
  {
    has: "import { compile } from 'tcxlab/vm';",
    prelude: `import { assemble as __assemble } from '${ROOT}vm/asm.ts';
import { decode as __decode } from '${ROOT}vm/program.ts';
import { link as __link } from '${ROOT}vm/link.ts';
import { Memory as __Memory } from '${ROOT}vm/memory.ts';
import { runProgram } from '${ROOT}vm/engine.ts';
const prog = __link(__decode(__assemble('mov %r0, 7\\nexit')), { name: 'demo', helpers: {} });
const mem = new __Memory();
const args = [], budget = 1000, packet = undefined, run = undefined;
const opts = { args, budget };`,
  },
  {
    has: "import { verify } from 'tcxlab/vm';",
    prelude: `import { loadCollectionSpec as __load } from '${ROOT}loader/index.ts';
import * as __fs from 'node:fs';
const spec = __load(new Uint8Array(__fs.readFileSync('progs/invalid_verifier.bpf.o')));
const prog = spec.programs[0];`,
    throws: /^verifier: insn #1: invalid access to packet, off=20 size=1, R1\(id=0,off=20,r=0\)/,
  },
  {
    has: 'parseBtf, parseBtfExt, btfMapDefinitions',
    prelude: `import { SafeElfFile as __Elf } from '${ROOT}loader/index.ts';
import * as __fs from 'node:fs';
const __elf = __Elf.parse(new Uint8Array(__fs.readFileSync('progs/maps_btf.bpf.o')));
const __sec = (n: string) => __elf.sections.find((s) => s.name === n)!;
const dotBTF = __sec('.BTF').data, dotBTFext = __sec('.BTF.ext').data;
const sectionSize = __sec('.maps').size;
const sym = (name: string) => __elf.symbols.find((s) => s.name === name);
const sectionBytes = __sec('tc').data.slice();`,
  },
  {
    has: 'createMap, createMapEnv',
    prelude: `const key = Uint8Array.of(1, 0, 0, 0), value = new Uint8Array(8), flags = 0, cpu = 0, stop = 0, k = key;
const BPF_NOEXIST = 1;`,
  },
  {
    has: 'runSkbTestRun, createSkbRunState',
    prelude: `import { interpret } from '${ROOT}vm/interpreter.ts';
import { loadObject as __loadObject } from '${ROOT}src/index.ts';
import { Memory as __Memory } from '${ROOT}vm/memory.ts';
const frame = Uint8Array.from(Buffer.from('02000000000202000000000108004500002000010000401166ca0a0000010a00000204d2162e000cf20270696e67', 'hex'));
const data = frame, ctxIn = undefined, ctxOut = undefined, flags = 0, tstampTypeAccess = false;
const __coll = __loadObject('progs/bench_parse.bpf.o');
const prog = __coll.program('bench_parse').linked;
const env = {};
const mem = new __Memory();
const input = { data, ctxIn, ctxOut, flags };
const r0lo = 0;`,
  },
  {
    has: 'CoverageCollector, formatLcov',
    prelude: `import * as __fs from 'node:fs';
import * as __path from 'node:path';
const frame = Uint8Array.from(Buffer.from('02000000000202000000000108004500002000010000401166ca0a0000010a00000204d2162e000cf20270696e67', 'hex'));
const frames = [frame, frame];
// lcov.info goes to a temporary directory, not into the repository
const writeFileSync = (f: string, d: string) => __fs.writeFileSync(__path.join(${JSON.stringify(tmp)}, f), d);`,
  },
];

const firstLine = (b: Block): string => b.lines.find((l) => l.trim() !== '') ?? '';
const isVitestExample = (b: Block): boolean => b.lines.some((l) => /from 'vitest'/.test(l));
const commandOf = (line: string): string => line.replace(/^\$ /, '');
const notRun = (cmd: string): string | undefined => NOT_RUN.find(([p]) => cmd.startsWith(p))?.[1];
const commandInfo = (cmd: string) => COMMANDS.filter((c) => cmd.includes(c.has)).reduce((a, c) => ({ ...a, ...c }), {} as (typeof COMMANDS)[number]);

interface Step {
  cmd: string;
  expected: string[];
}

/** The commands of a sh block or transcript and the output shown under each. */
function steps(b: Block): Step[] {
  const out: Step[] = [];
  const transcript = b.lines.some((l) => l.startsWith('$ '));
  for (const l of b.lines) {
    if (transcript) {
      if (l.startsWith('$ ')) out.push({ cmd: commandOf(l), expected: [] });
      else out.at(-1)?.expected.push(l);
    } else if (/^#( |$)/.test(l)) out.at(-1)?.expected.push(l.replace(/^# ?/, ''));
    else if (/^\s+#/.test(l)) continue; // an indented comment continues the comment of the line above
    else if (l.trim() !== '') out.push({ cmd: l, expected: [] });
  }
  return out;
}

/** The command a plain block shows the output of (`<!-- ...: the output of `CMD` ... -->`). */
const outputOf = (b: Block): string | undefined => /<!--[^>]*the output of `([^`]+)`[^>]*-->\s*$/.exec(b.before)?.[1];

async function runCli(cmd: string): Promise<{ code: number; lines: string[]; stdout: string }> {
  const c = parseCommand(cmd);
  const argv = c.argv.flatMap(expandGlob).map((a, i, all) => (all[i - 1] === '--pcap-out' ? join(tmp, a) : a));
  const info = commandInfo(cmd);
  if (info.kernel !== undefined) {
    kernelTools.host = replayHost;
    kernelTools.exec = replayExec(recordedCase(info.kernel));
  }
  const io = memoryIo(c.stdin);
  const all: string[] = [];
  const out = io.out.bind(io);
  const err = io.err.bind(io);
  io.out = (t: string) => {
    out(t);
    all.push(t);
  };
  io.err = (t: string) => {
    err(t);
    all.push(t);
  };
  try {
    const code = await run(argv, io);
    return { code, lines: all.join('').split('\n'), stdout: io.stdout };
  } finally {
    kernelTools.host = processKernelHost;
    kernelTools.exec = execTool;
  }
}

function normalized(cmd: string, lines: string[]): string[] {
  const n = commandInfo(cmd).normalize ?? [];
  return lines.map((l) => n.reduce((s, [re, to]) => s.replace(re, to), l));
}

async function checkStep(s: Step): Promise<void> {
  const c = parseCommand(s.cmd);
  expect(c.spelling, `${s.cmd}: written as a user types it`).toMatch(/^(sudo )?npx tcxlab$/);
  const outputs = new Set([c.redirect, ...c.argv.filter((_, i) => c.argv[i - 1] === '--pcap-out')]);
  for (const p of namedPaths(c.argv).filter((x) => !outputs.has(x))) {
    if (p.includes('*')) expandGlob(p);
    else expect(exists(p), `${s.cmd}: names ${p}`).toBe(true);
  }
  const info = commandInfo(s.cmd);
  const r = await runCli(s.cmd);
  expect(r.code, `${s.cmd}: exit status${info.why ? ` (${info.why})` : ''}\n${r.lines.slice(0, 20).join('\n')}`).toBe(info.status ?? 0);
  const expected = [...(info.trailingIsOutput && c.comment ? [c.comment] : []), ...s.expected];
  const miss = missingOutput(normalized(s.cmd, expected), normalized(s.cmd, r.lines));
  expect(miss, `${s.cmd}: output line not found\n--- output:\n${r.lines.slice(0, 60).join('\n')}`).toBeUndefined();
}

/** The source of `tcxlab` or `tcxlab/SUB` (package.json: exports, the library build's tsup entry of the same name). */
function subpathSource(sub: string | undefined): string {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  const name = sub ?? 'index';
  expect(pkg.exports[sub ? `./${sub}` : '.'], `tcxlab${sub ? '/' + sub : ''} is in package.json exports`).toBeDefined();
  return pkg.tsup.find((c: { name?: string }) => c.name === 'library').entry[name];
}

/** The TS module for a block: imports pointed at the sources, the prelude, `expr; // literal` checks. */
function moduleFor(b: Block): string {
  const pre = PRELUDES.find((p) => b.lines.join('\n').includes(p.has));
  const body = b.lines
    .map((l) => l.replace(/from 'tcxlab(?:\/([a-z]+))?'/, (_, sub?: string) => `from '${ROOT}${subpathSource(sub)}'`))
    .map((l, i) => {
      const m = /^([^/]+?);\s*\/\/\s*('[^']*'|-?\d+(?:\.\d+)?|true|false)\s*$/.exec(l);
      if (!m || /^\s*(const|let|var|import|export)\b/.test(m[1])) return l;
      return `__eq(${m[1]}, ${m[2]}, ${JSON.stringify(`README line ${b.line + 1 + i}`)});`;
    })
    .join('\n');
  return `${pre?.prelude ?? ''}
function __eq(a: unknown, b: unknown, where: string): void {
  if (a !== b) throw new Error(\`\${where}: expected \${JSON.stringify(b)}, got \${JSON.stringify(a)}\`);
}
${body}
export {};
`;
}

describe('[readme] every code block of README.md runs', () => {
  it('the README has code blocks, and every listed reason still matches one', () => {
    expect(blocks.length).toBeGreaterThan(20);
    const cmds = blocks.flatMap((b) => (['sh', 'bash'].includes(b.lang) || b.lines.some((l) => l.startsWith('$ ')) ? steps(b).map((s) => s.cmd) : []));
    for (const [p] of NOT_RUN) expect(cmds.some((c) => c.startsWith(p)), `NOT_RUN ${p}`).toBe(true);
    for (const [f] of NOT_CODE) expect(blocks.some((b) => firstLine(b) === f), `NOT_CODE ${f}`).toBe(true);
    for (const p of PRELUDES) expect(blocks.filter((b) => b.lines.join('\n').includes(p.has)), `PRELUDE ${p.has}`).toHaveLength(1);
    for (const c of COMMANDS) expect(cmds.some((x) => x.includes(c.has)), `COMMANDS ${c.has}`).toBe(true);
  });

  it('no block names a path outside the repository', () => {
    for (const b of blocks) {
      for (const l of b.lines) {
        expect(l, `README line ${b.line}`).not.toMatch(/\.\.\//);
        for (const m of l.matchAll(/(?<![\w.)])\/(?:usr|etc|home|sys|tmp|var|opt|root|work|proc|dev|mnt|srv)\/[\w./-]*/g)) {
          // the emulated bpffs of the Host example, and the real one --kernel pins under
          expect(m[0], `README line ${b.line}: ${l}`).toMatch(/^\/sys\/fs\/bpf\//);
        }
      }
    }
  });

  it('TS/JS blocks import only the package (tcxlab, its subpath exports), vitest and node: modules', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    const specs = blocks.filter((x) => x.lang === 'ts' || x.lang === 'js').flatMap((x) => x.lines.flatMap((l) => [...l.matchAll(/(?:from|import) '([^']+)'/g)].map((m) => m[1])));
    expect(specs.length).toBeGreaterThan(10);
    for (const m of specs) {
      if (m === 'vitest' || m.startsWith('node:')) continue;
      expect(m, 'a package import').toMatch(/^tcxlab(\/|$)/);
      expect(pkg.exports[m === 'tcxlab' ? '.' : `./${m.slice('tcxlab/'.length)}`], `${m} is in package.json exports`).toBeDefined();
    }
  });

  for (const b of blocks) {
    const head = `README line ${b.line} (${b.lang || 'plain'}): ${firstLine(b).slice(0, 70)}`;
    if (b.lang === 'sh' || b.lang === 'bash') {
      const ss = steps(b);
      ss.forEach((s, i) => {
        const reason = notRun(s.cmd);
        // Listed in NOT_RUN with the reason (checked by the first test), so no test of its own.
        if (reason === undefined) it(`${head} — command ${i + 1}: ${s.cmd.slice(0, 60)}`, () => checkStep(s));
      });
    } else if (b.lang === 'ts' || b.lang === 'js') {
      if (isVitestExample(b)) {
        it(`${head}: is a test/examples/*.example.test.ts, verbatim but for the import paths`, () => {
          const text = b.lines.join('\n').trim();
          const files = readdirSync(join(ROOT, 'test/examples')).filter((f) => f.endsWith('.example.test.ts'));
          const same = files.filter((f) =>
            readFileSync(join(ROOT, 'test/examples', f), 'utf8')
              .replace("from '../../src/index.js'", "from 'tcxlab'")
              .replace("import '../../src/testing/vitest.js';", "import 'tcxlab/vitest';")
              .trim() === text,
          );
          expect(same, 'one example file holds this block').toHaveLength(1);
        });
      } else {
        it(`${head}: runs`, async () => {
          for (const l of b.lines) for (const m of l.matchAll(/'((?:progs|test)\/[^']+)'/g)) expect(exists(m[1]), `names ${m[1]}`).toBe(true);
          const file = join(tmp, `block-${b.line}.ts`);
          writeFileSync(file, moduleFor(b));
          const pre = PRELUDES.find((p) => b.lines.join('\n').includes(p.has));
          // what the blocks print (console.log of a trace) is not the test's output
          const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
          try {
            if (pre?.throws) await expect(import(/* @vite-ignore */ file)).rejects.toThrow(pre.throws);
            else await import(/* @vite-ignore */ file);
          } finally {
            log.mockRestore();
          }
        });
      }
    } else {
      const first = firstLine(b);
      const reason = NOT_CODE.find(([f]) => f === first)?.[1];
      const cmd = outputOf(b);
      if (reason !== undefined) {
        // listed in NOT_CODE with the reason
      } else if (cmd !== undefined) {
        it(`${head}: is the output of \`${cmd}\``, async () => {
          const r = await runCli(`npx ${cmd}`);
          expect(r.code).toBe(commandInfo(cmd).status ?? 0);
          // the block is the whole output or a contiguous part of it
          const trim = (t: string): string => t.split('\n').map((l) => l.trimEnd()).join('\n').trim();
          expect(trim(r.stdout)).toContain(trim(b.lines.join('\n')));
        });
      } else if (b.lines.some((l) => l.startsWith('$ '))) {
        steps(b).forEach((s, i) => it(`${head} — transcript command ${i + 1}: ${s.cmd.slice(0, 60)}`, () => checkStep(s)));
      } else {
        it(`${head}: is listed (a command, a transcript, the output of a command, or not code)`, () => {
          expect.fail(`README line ${b.line}: a plain block that is neither a transcript nor listed in NOT_CODE`);
        });
      }
    }
  }
});
