/**
 * @fileoverview How much of frame 0 a JIT run of a program may write without telling JitRun, so
 * that the next run zeroes only that much (every run starts on a zeroed stack, as in the
 * interpreter; the kernel's stack is garbage the verifier forbids reading).
 *
 * Frame 0 is written during a JIT run by:
 *   - stores and atomics through r10 at a constant offset: the generated code writes
 *     [STACK_SIZE + off, +size) directly (bounded here);
 *   - stores through any other register: inline through the region cache, which may hold frame 0
 *     (unbounded), except stores the program type's ctx rewrite covers, which are the direct ctx
 *     write or JitRun.st (compile.ts ctxStoreRewrite), and atomics, which are JitRun.atomic:
 *     both report a frame-0 write themselves (JitRun.lw);
 *   - helpers and kfuncs given a stack pointer: unbounded unless the helper is marked as writing
 *     through none of its arguments (program.ts readsArgsOnly);
 *   - a tail call's target: JitRun.tail makes the rest of the run unbounded.
 * Deeper frames are zeroed when entered (JitRun.enter), so only frame 0 matters here. A program
 * that writes r10 makes its r10 stores land anywhere: unbounded.
 */
import { AtomicOp, CallSrc, Class, Mode, Op, STACK_SIZE, accessBytes, isLdImm64, opClass, opMode } from '../isa.js';
import { writesNoArgs, type LinkedProgram } from '../program.js';

/**
 * The lowest frame-0 byte offset a run of `prog` may write other than through JitRun (so every
 * such write lies in [result, STACK_SIZE)); 0 when that cannot be bounded, STACK_SIZE when the
 * program writes no stack this way. Computed once per compiled program (JitProgram.frame0Reach).
 */
export function frame0Reach(prog: LinkedProgram): number {
  const c = prog.code;
  let low = STACK_SIZE;
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
      if (mode === Mode.MEM && prog.ctx !== undefined && prog.ctx.store(c.off[i], accessBytes(op)) !== undefined) continue;
      return 0;
    }
    if (cls === Class.JMP || cls === Class.JMP32) {
      if (op === Op.CALLX) return 0;
      if (op !== Op.CALL) continue;
      const s = c.src[i];
      if (s === CallSrc.BPF_PSEUDO_CALL) continue;
      if (s !== CallSrc.HELPER) return 0;
      const fn = prog.helpers[c.imm[i]];
      // An unknown helper faults before doing anything.
      if (fn !== undefined && !writesNoArgs(fn)) return 0;
      continue;
    }
    // ALU, ALU64 and LDX write their dst; LD_ABS/LD_IND write r0.
    if ((cls === Class.ALU || cls === Class.ALU64 || cls === Class.LDX) && dst === 10) return 0;
  }
  return low;
}
