/**
 * @fileoverview Which registers may hold a pointer into the stack, before each instruction: a
 * forward pass over the program that the static precision passes (do-check.ts precisionLiveness,
 * stackPrecision) use to tell spills and fills from other memory accesses.
 *
 * The kernel needs no such pass: its precision backtracking (mark_chain_precision) follows the
 * registers it actually saw on the path, and a load from a map value, the context or the packet
 * always gives a fresh scalar there, never the register that was stored. Without this pass a
 * store through any pointer had to count as a possible spill, and a load through any pointer as a
 * possible fill of every slot, so values that only pass through map memory (counters, keys) were
 * kept exact and states that Linux prunes were walked again.
 *
 * Sound by construction: a stack pointer comes from r10, and moves only through 64-bit moves,
 * adding or subtracting a scalar (check_pointer_arithmetic allows no other ALU on it), spills and
 * fills of the stack, and arguments of subprograms and callbacks. Helpers, kfuncs and
 * subprograms never return one (the verifier refuses returning a stack pointer to the caller).
 */
import { AluOp, AtomicOp, Class, Op, Source, opClass, opCode, opSource } from '../isa.js';
import type { DecodedProgram } from '../program.js';
import { jumpTarget } from './cfg.js';
import { OPCODE_TABLE } from './opcodes.js';

/** Bit of the per-instruction mask: some slot of the current frame may hold a spilled stack pointer. */
export const SPILLED_STACK_PTR = 1 << 11;
const R10 = 1 << 10;
/** r1-r5: scratched by calls, and the arguments a subprogram or callback starts with. */
const ARGS = 0x3e;

/**
 * Per instruction, before it runs: bit r set when register r may point into a stack (any
 * frame), and SPILLED_STACK_PTR when a fill through r10 may give one. `entries` are the
 * instructions where a subprogram or callback starts (insn 0 included).
 */
export function stackPointers(p: DecodedProgram, entries: readonly number[]): Uint16Array {
  const n = p.length;
  const at = new Uint16Array(n);
  const seen = new Uint8Array(n);
  const work: number[] = [];
  const flow = (to: number, mask: number): void => {
    if (to < 0 || to >= n) return;
    const merged = at[to] | mask;
    if (seen[to] && merged === at[to]) return;
    at[to] = merged;
    seen[to] = 1;
    work.push(to);
  };
  for (const e of entries) flow(e, R10 | (e === 0 ? 0 : ARGS));
  while (work.length > 0) {
    const i = work.pop()!;
    const m = at[i];
    const op = p.op[i];
    const row = OPCODE_TABLE.get(op);
    if (row === undefined) continue;
    const d = p.dst[i] & 0xf;
    const s = p.src[i] & 0xf;
    const bitD = 1 << d;
    const has = (r: number): boolean => ((m >> r) & 1) === 1;
    const x = opSource(op) === Source.X;
    let out = m;
    switch (row.kind) {
      case 'mov':
        out &= ~bitD;
        if (x && opClass(op) === Class.ALU64 && p.off[i] === 0 && has(s)) out |= bitD;
        break;
      case 'alu': {
        const code = opCode(op);
        // pointer +/- scalar stays a pointer; scalar + pointer becomes one; anything else on a
        // pointer is refused, and 32-bit results are scalars
        const keep = opClass(op) === Class.ALU64 && (code === AluOp.ADD || code === AluOp.SUB) && has(d);
        const gain = opClass(op) === Class.ALU64 && code === AluOp.ADD && x && has(s);
        out &= ~bitD;
        if (keep || gain) out |= bitD;
        break;
      }
      case 'neg':
      case 'end':
        out &= ~bitD;
        break;
      case 'ldx':
        // a fill through r10 gives a stack pointer only if one was spilled; through another
        // stack pointer (a caller's frame, a variable slot) it may; elsewhere never
        out &= ~bitD;
        if (has(s) && (s !== 10 || (m & SPILLED_STACK_PTR) !== 0)) out |= bitD;
        break;
      case 'stx':
        if (has(s) && has(d)) out |= SPILLED_STACK_PTR;
        break;
      case 'atomic':
        // fetch variants load the old value into src (cmpxchg into r0): a scalar; the others
        // leave src as it was
        if (p.imm[i] === AtomicOp.CMPXCHG) out &= ~1;
        else if ((p.imm[i] & AtomicOp.FETCH) !== 0) out &= ~(1 << s);
        break;
      case 'lddw':
        out &= ~bitD;
        break;
      case 'ldabs':
        out &= ~(ARGS | 1);
        break;
      case 'call':
        out &= ~(ARGS | 1);
        break;
      default:
        break;
    }
    if (op === Op.EXIT) continue;
    if (op === Op.LDDW) {
      flow(i + 2, out);
      continue;
    }
    if (row.kind === 'ja') {
      flow(jumpTarget(p, i), out);
      continue;
    }
    if (row.kind === 'jcc' || row.kind === 'jcond') flow(jumpTarget(p, i), out);
    flow(i + 1, out);
  }
  return at;
}
