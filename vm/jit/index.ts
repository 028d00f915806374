/**
 * @fileoverview Public API of the JIT: `compile(prog) → CompiledProgram`, whose `run` has the
 * signature and the semantics of `interpret(prog, mem, opts)`.
 *
 * Not compiled (the interpreter runs them, with identical results): runs with `opts.step` set
 * (the step hook needs the per-instruction loop), and programs with a register field above r10
 * (the kernel's verifier rejects them; the interpreter gives them its own defined meaning), and
 * programs over JIT_MAX_INSNS instructions (compile time must stay bounded).
 */
import { VmFault } from '../errors.js';
import { interpret, runResult } from '../interpreter.js';
import type { Memory } from '../memory.js';
import type { LinkedProgram, RunOptions, RunResult } from '../program.js';
import { JitProgram, JitCompileError, type CompileOptions } from './compile.js';
import { RunPool } from '../run-pool.js';
import { JitRun, type JitUnit } from './runtime.js';

export { JitCompileError };
export { JIT_MAX_INSNS, CHUNK_INSNS } from './compile.js';
export type { CompileOptions };

/** A program compiled to JavaScript. */
export interface CompiledProgram {
  readonly prog: LinkedProgram;
  /** The generated source (the factory body given to `new Function`). */
  readonly source: string;
  /** True when the interpreter runs this program (see the file overview). */
  readonly interpreted: boolean;
  /** True when that is because the program is over JIT_MAX_INSNS instructions. */
  readonly tooLong: boolean;
  /** Run on `mem`; same contract as `interpret(prog, mem, opts)`. */
  run(mem: Memory, opts?: RunOptions): RunResult;
}

const cache = new WeakMap<LinkedProgram, JitProgram>();

/** The cached JitProgram of `prog` (compiled on first use). Tail calls use it too. */
const dynamicCache = new WeakMap<LinkedProgram, JitProgram>();

function unitOf(prog: LinkedProgram, dynamicFp = false): JitUnit & JitProgram {
  const c = dynamicFp ? dynamicCache : cache;
  let u = c.get(prog);
  if (u === undefined) {
    u = new JitProgram(prog, { dynamicFp });
    c.set(prog, u);
  }
  return u;
}

/** Idle run states (each with its stack region) per Memory, shared by all compiled programs. */
const POOL = new WeakMap<Memory, RunPool<JitRun>>();

class Compiled implements CompiledProgram {
  private mem: Memory | undefined = undefined;
  private pool: RunPool<JitRun> | undefined = undefined;
  constructor(private readonly unit: JitProgram) {}
  get prog(): LinkedProgram {
    return this.unit.prog;
  }
  get source(): string {
    return this.unit.source;
  }
  get interpreted(): boolean {
    return this.unit.fallback;
  }
  get tooLong(): boolean {
    return this.unit.tooLong;
  }
  run(mem: Memory, opts: RunOptions = {}): RunResult {
    const unit = this.unit;
    if (opts.step !== undefined || unit.fallback) return interpret(unit.prog, mem, opts);
    // The pool of the Memory this program ran on last (a repeated run skips the WeakMap).
    let pool = this.mem === mem ? this.pool : POOL.get(mem);
    if (pool === undefined) POOL.set(mem, (pool = new RunPool()));
    this.mem = mem;
    this.pool = pool;
    const x = pool.take() ?? new JitRun(unitOf);
    x.begin(mem, opts, unit);
    try {
      unit.main(x, 0, x.fa);
      return runResult(opts, x.lo[0], x.hi[0], x.executed);
    } catch (e) {
      if (e instanceof VmFault) return runResult(opts, 0, 0, x.executed, e);
      throw e;
    } finally {
      x.end();
      pool.give(x);
    }
  }
}

const compiledCache = new WeakMap<LinkedProgram, Compiled>();

/**
 * Compile `prog`. Without options the result is cached per LinkedProgram object (a WeakMap),
 * so compiling the same program again is free. Throws JitCompileError (with `.source`) if the
 * generated code does not parse, which would be a JIT bug.
 */
export function compile(prog: LinkedProgram, opts?: CompileOptions): CompiledProgram {
  if (opts !== undefined && (opts.lines || opts.chunkInsns !== undefined)) return new Compiled(new JitProgram(prog, opts));
  let c = compiledCache.get(prog);
  if (c === undefined) {
    c = new Compiled(unitOf(prog));
    compiledCache.set(prog, c);
  }
  return c;
}

/** Run `prog` under the JIT (compiling it on first use). */
export function runJit(prog: LinkedProgram, mem: Memory, opts: RunOptions = {}): RunResult {
  return compile(prog).run(mem, opts);
}
