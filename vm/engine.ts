/**
 * @fileoverview Engine selection: one entry point that runs a LinkedProgram under the
 * interpreter or the JIT (compiled once per LinkedProgram, cached), with identical semantics and results.
 */
import { ErrorCode, BpfError } from './errors.js';
import { interpret } from './interpreter.js';
import { runJit } from './jit/index.js';
import type { Memory } from './memory.js';
import type { LinkedProgram, RunOptions, RunResult } from './program.js';

/** Execution engine: the interpreter or the JS-codegen JIT. */
export type Engine = 'interp' | 'jit';

/** The engines, for CLI validation and test tables. */
export const ENGINES: readonly Engine[] = ['interp', 'jit'];

/** Run `prog` on `mem` with the chosen engine. Program faults are in the result. */
export function runProgram(prog: LinkedProgram, mem: Memory, opts: RunOptions = {}, engine: Engine = 'interp'): RunResult {
  switch (engine) {
    case 'interp':
      return interpret(prog, mem, opts);
    case 'jit':
      return runJit(prog, mem, opts);
    default:
      throw new BpfError(ErrorCode.Usage, `unknown engine ${String(engine)}`);
  }
}

/** An engine, or 'auto': pick by how many times the program will run. */
export type EngineChoice = Engine | 'auto';
export const ENGINE_CHOICES: readonly EngineChoice[] = ['auto', 'interp', 'jit'];

/**
 * Runs below which the interpreter finishes first: compiling costs about 1 ms per 1,000
 * instructions (plus V8 warm-up) and saves roughly 1–4 µs per run of a typical tc program
 * (`npm run bench`, README "Benchmarks").
 */
export const JIT_BREAK_EVEN_RUNS = 256;

/** Resolve 'auto' for a job of `runs` program executions. */
export function chooseEngine(choice: EngineChoice, runs: number): Engine {
  if (choice !== 'auto') return choice;
  return runs >= JIT_BREAK_EVEN_RUNS ? 'jit' : 'interp';
}
