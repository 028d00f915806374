/**
 * @fileoverview Which registers a run of a program may leave non-zero in the register file, so
 * that the next run on the same JIT run state zeroes only those (every run starts with r0, r2–r9
 * zero besides its arguments and r10, in both engines; the kernel's are garbage the verifier
 * forbids reading; the interpreter zeroes its whole register file, which costs it less).
 *
 * A run writes the register file with:
 *   - the registers its instructions name (dst and src fields; more is always safe), and r0–r5
 *     for calls, LD_ABS/LD_IND (r0 result, r1–r5 clobbered) and atomics (r0 for CMPXCHG);
 *   - helpers: r0 for those marked argRegsOnly (program.ts); any register for the others (they
 *     get `call.regs`, may run callbacks or make a tail call into a program naming any register);
 *   - kfuncs and CALLX (any helper): any register.
 */
import { CallSrc, Class, Mode, NUM_REGS, Op, isLdImm64, opClass, opMode } from './isa.js';
import { touchesArgRegsOnly, type LinkedProgram } from './program.js';

/** Every register (bit k = register k). */
export const ALL_REGS = (1 << NUM_REGS) - 1;
/** r0–r5: what a call or LD_ABS/LD_IND writes. */
const CALL_REGS = 0x3f;

const cache = new WeakMap<LinkedProgram, number>();

/** Bit mask of the registers a run of `prog` may leave non-zero (see the file comment). */
export function regReach(prog: LinkedProgram): number {
  let v = cache.get(prog);
  if (v === undefined) cache.set(prog, (v = scan(prog)));
  return v;
}

function scan(prog: LinkedProgram): number {
  const c = prog.code;
  let m = 0;
  for (let i = 0; i < c.length; i++) {
    const op = c.op[i];
    // Register fields above r10 name no register of the file (such programs fault or are refused).
    if (c.dst[i] < NUM_REGS) m |= 1 << c.dst[i];
    if (c.src[i] < NUM_REGS) m |= 1 << c.src[i];
    const cls = opClass(op);
    if (isLdImm64(op)) continue; // its second slot is data unless jumped into: looked at next
    if (cls === Class.LD || ((cls === Class.STX || cls === Class.ST) && opMode(op) === Mode.ATOMIC)) m |= CALL_REGS;
    if (op === Op.CALLX) return ALL_REGS;
    if (op === Op.CALL) {
      m |= CALL_REGS;
      const s = c.src[i];
      if (s === CallSrc.BPF_PSEUDO_CALL) continue;
      if (s !== CallSrc.HELPER) return ALL_REGS;
      const fn = prog.helpers[c.imm[i]];
      // An unknown helper faults before doing anything.
      if (fn !== undefined && !touchesArgRegsOnly(fn)) return ALL_REGS;
    }
  }
  return m & ALL_REGS;
}

/** Zero registers `mask` of a register file's halves and tags. */
export function clearRegs(L: Int32Array, H: Int32Array, T: Int32Array, mask: number): void {
  for (let m = mask; m !== 0; m &= m - 1) {
    const k = 31 - Math.clz32(m & -m);
    L[k] = 0;
    H[k] = 0;
    T[k] = 0;
  }
}
