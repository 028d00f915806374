/**
 * @fileoverview Public API of the VM: decoding, linking, running, and the shared semantics.
 */
export * from './errors.js';
export * as isa from './isa.js';
export { Memory, BASE_LO, REGION_HI0 } from './memory.js';
export type { Region, RegionKind, CtxAccess } from './memory.js';
export { decode, encode } from './program.js';
export type {
  DecodedProgram,
  RegisterFile,
  HelperCall,
  HelperFn,
  HelperTable,
  LdImm64Resolver,
  LinkedProgram,
  PacketProvider,
  StepHook,
  RunOptions,
  RunResult,
} from './program.js';
export { link } from './link.js';
export type { LinkOptions } from './link.js';
export { interpret, newRegisterFile, VmRunResult } from './interpreter.js';
export { runProgram, ENGINES } from './engine.js';
export type { Engine } from './engine.js';
export * as semantics from './semantics.js';
export { compile, runJit, JitCompileError } from './jit/index.js';
export type { CompiledProgram, CompileOptions } from './jit/index.js';
// text forms, helper ids and kfunc records, the verifier
export { assemble, assembleProgram, asm } from './asm.js';
export { disassemble, formatConformance } from './disasm.js';
export { verify } from './verifier/index.js';
export type { VerifierOptions, VerifierResult } from './verifier/index.js';
export { HELPER_IDS, helperName, helperId } from './helpers.js';
export { KFUNC_RECORDS, KFUNCS_BY_NAME, KFUNCS_BY_ID, KF, kfuncCallRefusal } from './kfuncs.js';
export type { KfuncRecord, KfuncArg, KfuncRet, KfuncProto } from './kfuncs.js';
