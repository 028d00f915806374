/**
 * @fileoverview Engine selection: one entry point that runs a LinkedProgram under the
 * interpreter or the JIT (compiled once per LinkedProgram, cached), with identical semantics and results.
 */
import { ErrorCode, BpfError } from './errors.js';
import { interpret } from './interpreter.js';
import { runJit } from './jit/index.js';
import type { Memory } from './memory.js';
import type { LinkedProgram, RunOptions, RunResult } from './program.js';
import type { Engine } from './engine-choice.js';

// The names and the 'auto' rule live in engine-choice.ts (no engine code loaded with them).
export { chooseEngine, ENGINE_CHOICES, ENGINES, JIT_BREAK_EVEN_RUNS, type Engine, type EngineChoice } from './engine-choice.js';

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
