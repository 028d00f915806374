/**
 * @fileoverview The engine names and the 'auto' choice, apart from vm/engine.ts so that code which
 * only names engines (the CLI's option definitions, built for every command including `--help`)
 * does not load the interpreter and the JIT. vm/engine.ts re-exports all of it.
 */

/** Execution engine: the interpreter or the JS-codegen JIT. */
export type Engine = 'interp' | 'jit';

/** The engines, for CLI validation and test tables. */
export const ENGINES: readonly Engine[] = ['interp', 'jit'];

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
