/**
 * @fileoverview Public API of tcxlab.
 */
export * from '../vm/errors.js';
export * as isa from '../vm/isa.js';
export { Memory } from '../vm/memory.js';
export type { Region, CtxAccess } from '../vm/memory.js';
export { decode, encode } from '../vm/program.js';
export type { DecodedProgram, LinkedProgram, HelperFn, HelperCall, RunOptions, RunResult } from '../vm/program.js';
// vm: linking, engines, shared semantics
export { link } from '../vm/link.js';
export type { LinkOptions } from '../vm/link.js';
export { interpret, newRegisterFile, VmRunResult } from '../vm/interpreter.js';
export { runProgram, ENGINES } from '../vm/engine.js';
export type { Engine } from '../vm/engine.js';
export * as semantics from '../vm/semantics.js';
export type { RegisterFile, HelperTable, LdImm64Resolver, PacketProvider, StepHook } from '../vm/program.js';
// net: hosts (netns), devices, tcx hooks (bpf_mprog), tcx links, raw bpf(2) layer
export * from './net/index.js';
