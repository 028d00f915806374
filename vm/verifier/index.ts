/**
 * @fileoverview The verifier: decides, as Linux 6.18's kernel/bpf/verifier.c does, whether a
 * program may run, and says why not with the kernel's message.
 *
 * Phases, in the kernel's order (bpf_check): subprograms, opcodes and lddw pairs, control flow
 * (cfg.ts); the path walk with typed register and stack state, helper prototypes, reference
 * tracking and pruning (do-check.ts, scalar.ts, tnum.ts, prune.ts); the call chain's stack
 * (cfg.ts callDepth). What is modelled and where it differs from the kernel: docs/verifier.md.
 *
 * It never modifies the program.
 */
import { decode, type DecodedProgram } from '../program.js';
import { Checker } from './do-check.js';
import type { VerifierOptions, VerifierResult } from './types.js';

export type { CtxLoad, ExceptionCallback, GlobalArg, GlobalFunc, MapDesc, ProgramTypeDesc, VerifierOptions, VerifierResult } from './types.js';
export { HELPER_PROTOS, type HelperProto } from '../helpers.js';

/**
 * Verify a program. Returns what the walk learned, or throws VerifierError (insnIndex, opcode,
 * the kernel's message as the last `log` line, `source` from lineInfo). Bytes that are not a
 * whole number of instructions throw DecodeError; everything else wrong is a VerifierError.
 */
export function verify(code: DecodedProgram | Uint8Array, opts: VerifierOptions = {}): VerifierResult {
  const p = code instanceof Uint8Array ? decodeForVerifier(code) : code;
  return new Checker(p, opts).run();
}

/**
 * decode() refuses a trailing half lddw; the kernel reports it as a verifier error ("last insn is
 * not an exit or jmp"), so decode with a padding slot and cut it off again.
 */
function decodeForVerifier(bytes: Uint8Array): DecodedProgram {
  if (bytes.length % 8 !== 0) return decode(bytes);
  const padded = new Uint8Array(bytes.length + 8);
  padded.set(bytes);
  const p = decode(padded);
  const n = bytes.length >> 3;
  return { length: n, op: p.op.subarray(0, n), dst: p.dst.subarray(0, n), src: p.src.subarray(0, n), off: p.off.subarray(0, n), imm: p.imm.subarray(0, n) };
}
