/**
 * @fileoverview Engine selection: one entry point that runs a LinkedProgram under the
 * interpreter or (once it lands) the JIT, with identical semantics and results.
 */
import { ErrorCode, BpfError } from './errors.js';
import { interpret } from './interpreter.js';
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
      throw new BpfError(ErrorCode.Jit, 'jit: the JIT engine is not available yet');
    default:
      throw new BpfError(ErrorCode.Usage, `unknown engine ${String(engine)}`);
  }
}
