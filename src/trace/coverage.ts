/**
 * @fileoverview Instruction, line, branch and function coverage of a collection's programs,
 * accumulated over any number of runs, from the VM's step hook; no recompile, no kernel.
 *
 * Counting rules (what each number means):
 * - instruction: how many times the step hook saw it (the interpreter calls it before every
 *   executed instruction, vm/interpreter.ts). A faulting instruction counts as executed.
 * - line: a source line's count is the count of its most executed instruction. Instructions map
 *   to lines through `.BTF.ext` line info; one without its own record belongs to the nearest
 *   preceding one in the same function (src/trace/source-map.ts), as llvm does. Subprograms
 *   appended after the entry function keep their own lines. A line with no instruction is not
 *   code ("-"); a line with instructions none of which ran is "#####" (gcov's mark).
 * - branch: every conditional jump (JMP/JMP32 compares and may_goto) has two outcomes, taken
 *   (pc + 1 + off) and not taken (pc + 1), counted from the next step of the same frame.
 * - function: the count of its first instruction (func_info / subprogram starts).
 * Tail calls: counts go to the program that executes (src/trace/program-tracker.ts), so a
 * dispatcher and its targets each get their own report.
 */
import type { LineInfo } from '../../loader/spec.js';
import type { StepHook } from '../../vm/program.js';
import type { Collection, LoadedProgram } from '../collection.js';
import type { TestRunOptions, TestRunResult } from '../test-run.js';
import { ProgramTracker, tracedProgram, type TracedProgram } from './program-tracker.js';
import { isConditionalJump, jumpTarget } from './step-trace.js';

/** Counts of one program. Arrays are indexed by instruction slot. */
export class ProgramCoverage {
  readonly prog: TracedProgram;
  readonly hits: Float64Array;
  readonly taken: Float64Array;
  readonly notTaken: Float64Array;
  /** Runs that entered this program (as the entry program or through a tail call). */
  entries = 0;

  constructor(prog: TracedProgram) {
    this.prog = prog;
    const n = prog.loaded.linked.code.length;
    this.hits = new Float64Array(n);
    this.taken = new Float64Array(n);
    this.notTaken = new Float64Array(n);
  }

  get name(): string {
    return this.prog.loaded.name;
  }

  /** Executable instruction slots (lddw counted once). */
  instructions(): number[] {
    const out: number[] = [];
    this.prog.source.isInsn.forEach((ok, i) => ok && out.push(i));
    return out;
  }

  /** Conditional jump instruction indexes. */
  branches(): number[] {
    const op = this.prog.loaded.linked.code.op;
    return this.instructions().filter((i) => isConditionalJump(op[i]));
  }

  /** Per source line: count (max of its instructions), and its instructions. */
  lines(): Map<string, Map<number, LineCount>> {
    const files = new Map<string, Map<number, LineCount>>();
    const src = this.prog.source;
    for (const i of this.instructions()) {
      const l = src.lineOf[i];
      if (l === undefined) continue;
      let f = files.get(l.file);
      if (f === undefined) files.set(l.file, (f = new Map()));
      let c = f.get(l.line);
      if (c === undefined) f.set(l.line, (c = { hits: 0, insns: [], text: l.text }));
      c.hits = Math.max(c.hits, this.hits[i]);
      c.insns.push(i);
      if (!c.text && l.text) c.text = l.text;
    }
    return files;
  }

  /** Functions with their first line and call count. */
  functions(): Array<{ name: string; insn: number; line?: LineInfo; hits: number }> {
    const src = this.prog.source;
    return src.functions.map((f, k) => {
      const end = src.functions[k + 1]?.insn ?? src.lineOf.length;
      let line: LineInfo | undefined;
      for (let i = f.insn; i < end && line === undefined; i++) line = src.lineOf[i];
      return { name: f.name, insn: f.insn, line, hits: this.hits[f.insn] ?? 0 };
    });
  }
}

/** A line's count. */
export interface LineCount {
  hits: number;
  insns: number[];
  text: string;
}

/** Totals of a coverage report. */
export interface CoverageTotals {
  insns: [hit: number, total: number];
  lines: [hit: number, total: number];
  branches: [hit: number, total: number];
  functions: [hit: number, total: number];
}

/** Accumulates coverage over runs of a collection's programs. */
export class CoverageCollector {
  readonly coll: Collection;
  private readonly byProg = new Map<LoadedProgram, ProgramCoverage>();
  /** Executions (through `hook`/`run`; each `repeat` counts) that ran at least one instruction. */
  runs = 0;

  constructor(coll: Collection) {
    this.coll = coll;
  }

  /** Report this program even if it never runs (so its lines show as never executed). */
  include(progName: string): ProgramCoverage {
    return this.of(this.coll.program(progName));
  }

  private of(p: LoadedProgram): ProgramCoverage {
    let c = this.byProg.get(p);
    if (c === undefined) this.byProg.set(p, (c = new ProgramCoverage(tracedProgram(p, this.coll.spec))));
    return c;
  }

  /**
   * A step hook for one run that starts at `entry` (make a new one per run). Pass it as
   * `step` to Collection.run / testRun / runProgram.
   */
  hook(entry: string): StepHook {
    const tracker = new ProgramTracker(this.coll, this.coll.program(entry));
    let cov = this.of(tracker.current.loaded);
    let started = false;
    // Pending branch outcome per frame depth: [coverage, pc].
    const pend: Array<[ProgramCoverage, number] | undefined> = [];
    return (pc, regs, depth) => {
      // A test run the kernel refuses (EINVAL before the program runs) never calls the hook:
      // only runs that executed an instruction count.
      if (!started) {
        started = true;
        cov.entries++;
        this.runs++;
      }
      const sw = tracker.before(pc, regs, depth);
      if (tracker.restarted) {
        // `repeat`: the test run executes the program again on the same skb.
        pend.length = 0;
        cov = this.of(tracker.current.loaded);
        cov.entries++;
        this.runs++;
      }
      const p = pend[depth];
      if (p !== undefined) {
        pend[depth] = undefined;
        const [c, at] = p;
        const target = jumpTarget(c.prog.loaded.linked.code, at);
        if (pc === target && target !== at + 1) c.taken[at]++;
        else c.notTaken[at]++;
      }
      if (sw !== undefined) {
        cov = this.of(sw.to.loaded);
        cov.entries++;
      }
      cov.hits[pc]++;
      if (isConditionalJump(cov.prog.loaded.linked.code.op[pc])) pend[depth] = [cov, pc];
    };
  }

  /** Run `progName` on `frame` (Collection.run) with coverage. */
  run(progName: string, frame: Uint8Array, opts: Omit<TestRunOptions, 'data' | 'step'> = {}): TestRunResult {
    return this.coll.run(progName, frame, { ...opts, step: this.hook(progName) });
  }

  /** Programs with counts, in collection order. */
  programs(): ProgramCoverage[] {
    return [...this.coll.programs.values()].filter((p) => this.byProg.has(p)).map((p) => this.byProg.get(p)!);
  }

  /** Program coverage by name (undefined if it never ran and was not included). */
  program(name: string): ProgramCoverage | undefined {
    const p = this.coll.programs.get(name);
    return p && this.byProg.get(p);
  }
}

const pct = (h: number, t: number): string => (t === 0 ? '-' : `${((100 * h) / t).toFixed(1)}%`);

/** Totals of one program. */
export function totals(c: ProgramCoverage): CoverageTotals {
  const insns = c.instructions();
  const br = c.branches();
  let lh = 0;
  let lt = 0;
  for (const f of c.lines().values())
    for (const l of f.values()) {
      lt++;
      if (l.hits > 0) lh++;
    }
  const fns = c.functions();
  return {
    insns: [insns.filter((i) => c.hits[i] > 0).length, insns.length],
    lines: [lh, lt],
    branches: [br.reduce((n, i) => n + (c.taken[i] > 0 ? 1 : 0) + (c.notTaken[i] > 0 ? 1 : 0), 0), br.length * 2],
    functions: [fns.filter((f) => f.hits > 0).length, fns.length],
  };
}

/** Ranges of line numbers, `12-14, 20`. */
function ranges(nums: number[]): string {
  const out: string[] = [];
  for (let k = 0; k < nums.length; ) {
    let j = k;
    while (j + 1 < nums.length && nums[j + 1] === nums[j] + 1) j++;
    out.push(j === k ? `${nums[k]}` : `${nums[k]}-${nums[j]}`);
    k = j + 1;
  }
  return out.join(', ');
}

/** Text summary: per program totals and the lines never executed. */
export function formatSummary(cov: CoverageCollector): string[] {
  const out: string[] = [];
  for (const c of cov.programs()) {
    const t = totals(c);
    out.push(`program ${c.name} (${c.prog.loaded.spec.section}): entered ${c.entries} time${c.entries === 1 ? '' : 's'}`);
    const row = (k: string, [h, n]: [number, number]): string => `  ${k.padEnd(13)}${`${h}/${n}`.padStart(9)}  ${pct(h, n)}`;
    out.push(row('instructions', t.insns), row('lines', t.lines), row('branches', t.branches), row('functions', t.functions));
    for (const [file, lines] of c.lines()) {
      const missed = [...lines.entries()].filter(([, l]) => l.hits === 0).map(([n]) => n).sort((a, b) => a - b);
      if (missed.length) out.push(`  never executed: ${file.split('/').pop()}:${ranges(missed)}`);
    }
  }
  return out;
}

/** Merge all programs' line counts per source file (a line shared by two programs sums). */
function mergedFiles(cov: CoverageCollector): Map<string, Map<number, LineCount & { branches: Array<[number | undefined, number | undefined]> }>> {
  const files = new Map<string, Map<number, LineCount & { branches: Array<[number | undefined, number | undefined]> }>>();
  for (const c of cov.programs()) {
    for (const [file, lines] of c.lines()) {
      let f = files.get(file);
      if (f === undefined) files.set(file, (f = new Map()));
      for (const [n, l] of lines) {
        let m = f.get(n);
        if (m === undefined) f.set(n, (m = { hits: 0, insns: [], text: l.text, branches: [] }));
        m.hits += l.hits;
        m.insns.push(...l.insns);
        for (const i of l.insns) {
          if (!isConditionalJump(c.prog.loaded.linked.code.op[i])) continue;
          // [taken, not taken]; undefined when the jump itself never ran (lcov "-").
          m.branches.push(c.hits[i] > 0 ? [c.taken[i], c.notTaken[i]] : [undefined, undefined]);
        }
      }
    }
  }
  return files;
}

/**
 * Annotated source, gcov style: `count:  line:text`, "-" for lines without code, "#####" for
 * lines that never ran, and one `branch` row per conditional jump of the line. `readSource`
 * returns a file's text (by its BTF name); without it only the lines BTF recorded are shown.
 */
export function formatAnnotated(cov: CoverageCollector, readSource?: (file: string) => string | undefined): string[] {
  const out: string[] = [];
  for (const [file, lines] of mergedFiles(cov)) {
    out.push(`${'-'.padStart(9)}:${'0'.padStart(5)}:Source:${file}`);
    const text = readSource?.(file);
    const nums = [...lines.keys()].sort((a, b) => a - b);
    const src = text !== undefined ? text.replace(/\n$/, '').split('\n') : undefined;
    const rows = src ? src.map((_, k) => k + 1) : nums;
    for (const n of rows) {
      const l = lines.get(n);
      const count = l === undefined ? '-' : l.hits === 0 ? '#####' : String(l.hits);
      out.push(`${count.padStart(9)}:${String(n).padStart(5)}:${src ? src[n - 1] : (l?.text ?? '')}`);
      l?.branches.forEach(([t, f], k) =>
        out.push(`branch ${k} ${t === undefined ? 'never executed' : `taken ${t}, not taken ${f}`}`),
      );
    }
  }
  return out;
}

/** LCOV tracefile options. */
export interface LcovOptions {
  /** TN: test name (default: none written). */
  testName?: string;
  /** SF: path for a BTF file name (default: the name as BTF has it). */
  sourcePath?: (file: string) => string;
}

/**
 * LCOV tracefile (geninfo(1) format): one record per source file with FN/FNDA/FNF/FNH,
 * BRDA/BRF/BRH, DA/LF/LH, for genhtml or a CI coverage service.
 */
export function formatLcov(cov: CoverageCollector, opts: LcovOptions = {}): string {
  const out: string[] = [];
  const files = mergedFiles(cov);
  const fns = new Map<string, Map<string, { line: number; hits: number }>>();
  for (const c of cov.programs()) {
    for (const f of c.functions()) {
      if (f.line === undefined) continue;
      let m = fns.get(f.line.file);
      if (m === undefined) fns.set(f.line.file, (m = new Map()));
      const e = m.get(f.name);
      if (e) e.hits += f.hits;
      else m.set(f.name, { line: f.line.line, hits: f.hits });
    }
  }
  for (const [file, lines] of files) {
    if (opts.testName !== undefined) out.push(`TN:${opts.testName}`);
    out.push(`SF:${opts.sourcePath ? opts.sourcePath(file) : file}`);
    const fm = fns.get(file) ?? new Map();
    for (const [name, f] of fm) out.push(`FN:${f.line},${name}`);
    for (const [name, f] of fm) out.push(`FNDA:${f.hits},${name}`);
    out.push(`FNF:${fm.size}`, `FNH:${[...fm.values()].filter((f) => f.hits > 0).length}`);
    const nums = [...lines.keys()].sort((a, b) => a - b);
    let brf = 0;
    let brh = 0;
    for (const n of nums) {
      lines.get(n)!.branches.forEach(([t, f], block) => {
        out.push(`BRDA:${n},${block},0,${t === undefined ? '-' : t}`, `BRDA:${n},${block},1,${f === undefined ? '-' : f}`);
        brf += 2;
        brh += (t ?? 0) > 0 ? 1 : 0;
        brh += (f ?? 0) > 0 ? 1 : 0;
      });
    }
    out.push(`BRF:${brf}`, `BRH:${brh}`);
    for (const n of nums) out.push(`DA:${n},${lines.get(n)!.hits}`);
    out.push(`LF:${nums.length}`, `LH:${nums.filter((n) => lines.get(n)!.hits > 0).length}`, 'end_of_record');
  }
  return out.join('\n') + (out.length ? '\n' : '');
}
