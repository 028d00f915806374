/**
 * @fileoverview How much of frame 0 a JIT run of a program may write without telling JitRun, so
 * that the next run zeroes only that much (every run starts on a zeroed stack, as in the
 * interpreter; the kernel's stack is garbage the verifier forbids reading).
 *
 * Frame 0 is written during a JIT run by:
 *   - stores through r10 or a frame alias (a register the compiler knows holds r10 + k) at a
 *     constant offset: the generated code writes the frame directly (bounded here, with the
 *     lowest alias store the compiler emitted: `directLow`);
 *   - stores through any other register: through the region cache, which never holds frame 0 as
 *     writable (compile.ts RESET_CACHE, JitRun.cache), or JitRun.st, which reports a frame-0
 *     write (JitRun.lw); the same for the stores the ctx rewrite covers (the direct ctx write or
 *     JitRun.st) and atomics other than inline ones on non-frame regions (JitRun.atomic);
 *   - helpers given a stack pointer: the generated code lowers JitRun.lw to the lowest frame-0
 *     byte a call's arguments point at (compile.ts helperWriteLow), unless the helper is marked
 *     as writing through none of its arguments (program.ts readsArgsOnly);
 *   - kfuncs and callx given a stack pointer: unbounded;
 *   - a tail call's target: JitRun.tail makes the rest of the run unbounded.
 * Deeper frames are zeroed when entered (JitRun.enter), so only frame 0 matters here. A program
 * that writes r10 makes its r10 stores land anywhere: unbounded.
 */
import { AtomicOp, CallSrc, Class, Mode, Op, STACK_SIZE, isLdImm64, opClass, opMode } from '../isa.js';
import type { LinkedProgram } from '../program.js';

/**
 * The lowest frame-0 byte offset a run of `prog` may write other than through JitRun (so every
 * such write lies in [result, STACK_SIZE)); 0 when that cannot be bounded, STACK_SIZE when the
 * program writes no stack this way. `directLow`: the lowest frame offset of the direct frame
 * stores (r10 or alias) of the compiled functions. Computed once per build (JitProgram.frame0Reach).
 */
export function frame0Reach(prog: LinkedProgram, directLow: number): number {
  const c = prog.code;
  let low = Math.min(STACK_SIZE, directLow);
  for (let i = 0; i < c.length; i++) {
    const op = c.op[i];
    const dst = c.dst[i];
    const cls = opClass(op);
    if (isLdImm64(op)) {
      if (dst === 10) return 0;
      i++;
      continue;
    }
    if (cls === Class.ST || cls === Class.STX) {
      const mode = opMode(op);
      if (mode === Mode.ATOMIC) {
        // JitRun.atomic reports its own writes; one that loads into r10 moves it.
        if (c.src[i] === 10 || (dst === 10 && c.imm[i] === AtomicOp.LOAD_ACQ)) return 0;
        continue;
      }
      if (dst === 10 && mode === Mode.MEM) {
        low = Math.min(low, Math.max(0, STACK_SIZE + c.off[i]));
        continue;
      }
      // Through another register: directLow (a frame alias), or the cache or JitRun (see above).
      if (mode === Mode.MEM) continue;
      return 0;
    }
    if (cls === Class.JMP || cls === Class.JMP32) {
      if (op === Op.CALLX) return 0;
      if (op !== Op.CALL) continue;
      const s = c.src[i];
      // A helper's writes are reported by the generated code (see above); an unknown helper
      // faults before doing anything.
      if (s === CallSrc.BPF_PSEUDO_CALL || s === CallSrc.HELPER) continue;
      return 0;
    }
    // ALU, ALU64 and LDX write their dst; LD_ABS/LD_IND write r0.
    if ((cls === Class.ALU || cls === Class.ALU64 || cls === Class.LDX) && dst === 10) return 0;
  }
  return low;
}
