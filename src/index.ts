/**
 * @fileoverview Public API of tcxlab.
 */
export * from '../vm/errors.js';
export * as isa from '../vm/isa.js';
export { Memory } from '../vm/memory.js';
export type { Region, CtxAccess } from '../vm/memory.js';
export { decode, encode } from '../vm/program.js';
export type { DecodedProgram, LinkedProgram, HelperFn, HelperCall, RunOptions, RunResult } from '../vm/program.js';
