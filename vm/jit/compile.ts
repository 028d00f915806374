/**
 * @fileoverview The JIT compiler: LinkedProgram → JavaScript source → functions (`new Function`).
 *
 * Shape of the output (one factory per program; see README "JIT"):
 *
 *   function e<pc>(X, d) {             // one function per entry point: insn 0, every
 *     let l0 = RL[0], h0 = RH[0], ...  // bpf-to-bpf call target, every function pointer;
 *     D: for (;;) switch (b) {         // registers are int32 locals (lo/hi pairs),
 *       case 0:                        // basic blocks are dense case ids,
 *         if ((left -= LEN) < 0) ...   // the budget is charged once per block (exact:
 *         ...straight-line code...     // a block that would overrun it re-runs through a
 *         if (cond) { b = 3; continue D; } // counted slow path), back edges `continue D`;
 *       case 1: for (;;) { ...         // a block looping to itself is an inner loop
 *         if (cond) continue; break; } // (its back edge skips the switch).
 *     }
 *   }
 *
 * A bpf-to-bpf call is a JS call of the target's entry function with depth d + 1 (registers
 * travel through the RegisterFile X.lo/X.hi; r6–r9 stay in the caller's locals). Helpers are
 * factory parameters (`h0`, `h1`, ...) called directly after r0–r10 are spilled to the
 * RegisterFile; r0 (and r6–r10, which a helper may touch through call.regs) are read back and
 * r1–r5 are cleared, as in the interpreter. Around a helper marked argRegsOnly (program.ts)
 * only r0–r5 are spilled and r0 read back: r6–r10 stay in locals. Stack accesses through an unmodified r10 with a
 * constant in-frame offset are direct DataView accesses; other accesses use a one-region
 * cache in locals and fall back to `X.ld`/`X.st` (Memory.resolve, ctx regions).
 *
 * Provenance (memory.ts, "Isolation"): each register has a tag local `g<n>` beside `l<n>`/`h<n>`,
 * copied by 64-bit moves, set by relocated LD_IMM64, fills of spilled pointers and helper
 * returns; an access through the cache or a slow path requires `h<n> === g<n>`, as in the
 * interpreter, so both engines fault on the same instruction.
 */
import { BpfError, ErrorCode } from '../errors.js';
import { CODE_HI, indexLookupOf, touchesArgRegsOnly, writesNoArgs, type HelperFn, type LinkedProgram } from '../program.js';
import {
  AluOp,
  AtomicOp,
  CallSrc,
  Class,
  JcondSrc,
  JmpOp,
  MAY_GOTO_START,
  MAX_CALL_DEPTH,
  Mode,
  OP_NAMES,
  Op,
  PseudoSrc,
  STACK_SIZE,
  Size,
  Source,
  accessBytes,
  isAtomic,
  isJmpClass,
  namesInvalidRegister,
  opClass,
  opCode,
  opMode,
  opSource,
} from '../isa.js';
import { BPF_THROW_ID } from '../kfuncs.js';
import { BASE_LO, type CtxLoad, type CtxStore } from '../memory.js';
import * as sem from '../semantics.js';
import { type Code, type Name, js, joinCode, lit, name, nil } from './codegen.js';
import { type Ranges, aluRangeAt, assignRanges, copyRanges, inI32, inU32, isCompare, joinRanges, refineRanges, stepRanges, thresholds, unknownRanges, windowOf } from './ranges.js';
import { F, type EntryFn, type JitUnit, type SlowFn } from './runtime.js';
import { frame0Reach } from './stack-reach.js';
import { regReach } from '../reg-reach.js';

/** Compiler options. */
export interface CompileOptions {
  /** Put each instruction on its own line with an `// insn N MNEMONIC` comment (readable output). */
  lines?: boolean;
  /**
   * Do not assume r10 is the frame top on entry (a tail call made after the caller wrote r10,
   * which Linux forbids but the VM runs): every stack access takes the general path.
   */
  dynamicFp?: boolean;
  /** Chunk size (CHUNK_INSNS by default); tests give a tiny one so every jump crosses chunks. */
  chunkInsns?: number;
}

/** Every opcode the interpreter executes (anything else faults with E_UNKNOWN_OPCODE): Op, and the B/H atomics. */
const KNOWN = new Set<number>([...Object.values(Op), Class.STX | Mode.ATOMIC | Size.B, Class.STX | Mode.ATOMIC | Size.H]);


/** Register locals, made once (a Name checks its text when made). */
const names = (p: string): Name[] => Array.from({ length: 11 }, (_, r) => name(`${p}${r}`));
const L_NAMES = names('l');
const H_NAMES = names('h');
const G_NAMES = names('g');
const L = (r: number): Name => L_NAMES[r];
const H = (r: number): Name => H_NAMES[r];
/** Provenance tag local of register r. */
const G = (r: number): Name => G_NAMES[r];

/** Static facts about a program. */
interface Shape {
  n: number;
  leader: Uint8Array;
  /** r10 is never written, so r10 = frame top everywhere. */
  fpConst: boolean;
  /** Some used register field is > 10. */
  badReg: boolean;
  entries: Set<number>;
  /** The program calls bpf_throw: its bpf-to-bpf calls check for an exception unwinding past them. */
  throws: boolean;
}

function analyse(prog: LinkedProgram, extra: Iterable<number>, dynamicFp = false): Shape {
  const c = prog.code;
  const n = c.length;
  const leader = new Uint8Array(n + 1);
  const entries = new Set<number>([0, ...extra]);
  // the exception callback: an entry nothing calls (JitRun.catch runs it)
  if (prog.exceptionCb !== undefined) entries.add(prog.exceptionCb);
  let fpConst = !dynamicFp;
  let badReg = false;
  let throws = false;
  for (let i = 0; i < n; i++) {
    const op = c.op[i];
    const d = c.dst[i];
    // The JIT keeps r0-r10 in locals: a program naming r11+ is left to the interpreter.
    if (namesInvalidRegister(op, d, c.src[i])) badReg = true;
    const cls = opClass(op);
    if (d === 10 && (cls === Class.ALU || cls === Class.ALU64 || cls === Class.LDX || op === Op.LDDW)) fpConst = false;
    if (isAtomic(op) && (c.src[i] === 10 || d === 10)) fpConst = false;
    if (op === Op.LDDW) {
      if (i + 1 < n && c.imm[i + 1] === CODE_HI && c.imm[i] >= 0 && c.imm[i] < n) entries.add(c.imm[i]);
      // the second slot is looked at too: a jump or call into it runs it as an instruction
      // (unverified code), and its calls and jumps must have their functions and blocks
      continue;
    }
    if (!isJmpClass(op)) continue;
    leader[i + 1] = 1;
    let t = -1;
    if (op === Op.JA32) t = i + 1 + c.imm[i];
    else if (op === Op.CALL) {
      if (c.src[i] === CallSrc.BPF_PSEUDO_CALL) {
        const target = i + 1 + c.imm[i];
        if (target >= 0 && target < n) entries.add(target);
      } else if (c.src[i] === CallSrc.BPF_PSEUDO_KFUNC_CALL && c.imm[i] === BPF_THROW_ID) {
        throws = true;
      }
    } else if (op !== Op.EXIT && op !== Op.CALLX) t = i + 1 + c.off[i];
    if (t >= 0 && t < n) leader[t] = 1;
  }
  for (const e of entries) if (e >= 0 && e < n) leader[e] = 1;
  return { n, leader, fpConst, badReg, entries, throws };
}

/** One basic block: [start, end) in slots, `count` instructions (lddw counts once). */
interface Block {
  start: number;
  end: number;
  count: number;
  /** Successor pcs (in range) reachable by fallthrough or jump. */
  succ: number[];
}

/** Instructions after which a block ends (control flow or a fault that always fires). */
function endsBlock(prog: LinkedProgram, i: number): boolean {
  const op = prog.code.op[i];
  return isJmpClass(op) || !KNOWN.has(op);
}

function blockAt(prog: LinkedProgram, sh: Shape, start: number): Block {
  const c = prog.code;
  const n = sh.n;
  let i = start;
  let count = 0;
  const succ: number[] = [];
  for (;;) {
    if (i >= n) break;
    const op = c.op[i];
    count++;
    const size = op === Op.LDDW && i + 1 < n ? 2 : 1;
    if (endsBlock(prog, i)) {
      const next = i + size;
      if (KNOWN.has(op)) {
        const push = (t: number): void => {
          if (t >= 0 && t < n) succ.push(t);
        };
        if (op === Op.JA) push(next + c.off[i]);
        else if (op === Op.JA32) push(next + c.imm[i]);
        else if (op === Op.EXIT) {
          /* none */
        } else if (op === Op.CALL || op === Op.CALLX) push(next);
        else {
          push(next + c.off[i]);
          push(next);
        }
      }
      return { start, end: next, count, succ };
    }
    i += size;
    if (i < n && sh.leader[i]) {
      succ.push(i);
      break;
    }
  }
  return { start, end: i, count, succ };
}

/** Everything the emitters need about the instruction being compiled. */
interface Ctx {
  prog: LinkedProgram;
  sh: Shape;
  /** Block id of each block start pc in the current function. */
  ids: Map<number, number>;
  /**
   * Chunked function (see CHUNK_INSNS): the chunk of each block id, and the chunk being
   * compiled; a jump to a block of another chunk spills the registers and returns its id.
   */
  chunkOf: number[] | null;
  chunk: number;
  /** How the compiled code leaves the function: `return` (an entry) or `return -1` (a chunk). */
  ret: Code;
  /** Counted mode (slow path): `left` is exact, rest is always 0. */
  counted: boolean;
  /** Instructions after this one in its block. */
  rest: number;
  helperParam: (fn: unknown) => Name;
  /** Registers this function mentions; the others stay in the RegisterFile untouched. */
  used: boolean[];
  /** What is known of the provenance tags before the instruction being compiled (see TagFacts). */
  facts: TagFacts;
  /** The function declares XH/XC (it has a ctx access the program's rewrite table covers). */
  ctxRw: boolean;
  /** Start pc of the block being compiled when it is emitted as its own inner loop, else -1. */
  loop: number;
  /** Lowest frame offset of the direct frame stores emitted so far (see FrameReach). */
  reach: FrameReach;
}

/**
 * The lowest frame byte written by a direct frame store (through r10 or a frame alias, at a
 * constant offset) among the functions of one build: with stack-reach.ts, it bounds what a run
 * may write in frame 0 without telling JitRun (JitProgram.frame0Reach).
 */
interface FrameReach {
  low: number;
}

// ---------------------------------------------------------------------------------- tag facts

/**
 * Which provenance tags are certainly 0 (a scalar's) at a point: `reg[r]` for register r,
 * `slot[k]` for the shadow of 8-byte slot k of the function's own frame (direct r10 accesses).
 * The engines' tag rules (memory.ts, "Isolation") say exactly when a tag changes, so the JIT can
 * skip a tag write that cannot change anything (storing 0 over 0) and a shadow read whose result
 * is known (0): the generated code computes the same tags as the interpreter, with fewer
 * memory operations on stack-heavy code. Unknown (0 in these arrays) is always safe.
 */
interface TagFacts {
  reg: Uint8Array;
  slot: Uint8Array;
  /**
   * Frame aliases: `fp[r]` = k when register r certainly holds r10 + k (value, region and
   * provenance of the function's own frame top, moved by `mov rX, r10` and constant add/sub),
   * NaN when unknown. An access through such a register at a constant offset is then the
   * direct frame access of r10 at k + off (what the interpreter computes, without the region
   * lookup). Only kept with |k| <= FP_SPAN, so k never carries into or borrows from the high
   * half (BASE_LO + STACK_SIZE ± FP_SPAN stays inside one 2^32 window). r10 itself is handled
   * by Shape.fpConst and is never in this array.
   */
  fp: number[];
  /**
   * Value ranges of the registers (ranges.ts): a 64-bit value certainly inside one 2^32 window
   * has a known high half, so its adds, subs, muls and compares work on the low halves only.
   */
  rg: Ranges;
}

const SLOTS = STACK_SIZE / 8;
const FP_SPAN = 1 << 20;
const unknownFacts = (): TagFacts => ({ reg: new Uint8Array(11), slot: new Uint8Array(SLOTS), fp: new Array<number>(11).fill(NaN), rg: unknownRanges() });
const copyFacts = (f: TagFacts): TagFacts => ({ reg: f.reg.slice(), slot: f.slot.slice(), fp: f.fp.slice(), rg: copyRanges(f.rg) });

/** dst := src without allocating (the fixpoint and the emitters step scratch copies). */
function assignFacts(dst: TagFacts, src: TagFacts): TagFacts {
  dst.reg.set(src.reg);
  dst.slot.set(src.slot);
  for (let k = 0; k < 11; k++) dst.fp[k] = src.fp[k];
  assignRanges(dst.rg, src.rg);
  return dst;
}

/** The high half of register r is certainly 0 (its value is in [0, 2^32)). */
const hz = (f: TagFacts, r: number): boolean => inU32(f.rg.lo[r], f.rg.hi[r]);

/**
 * a := a ∧ b (known-zero only where both say so, ranges joined, widened to `widen` when given);
 * whether a changed.
 */
function meetFacts(a: TagFacts, b: TagFacts, widen: number[] | null): boolean {
  let changed = false;
  for (let k = 0; k < a.reg.length; k++) {
    if (a.reg[k] && !b.reg[k]) {
      a.reg[k] = 0;
      changed = true;
    }
  }
  for (let k = 0; k < a.slot.length; k++) {
    if (a.slot[k] && !b.slot[k]) {
      a.slot[k] = 0;
      changed = true;
    }
  }
  if (joinRanges(a.rg, b.rg, widen)) changed = true;
  for (let k = 0; k < a.fp.length; k++) {
    if (!Number.isNaN(a.fp[k]) && a.fp[k] !== b.fp[k]) {
      a.fp[k] = NaN;
      changed = true;
    }
  }
  return changed;
}

/** The offset from the frame top of register `base` (r10, or a frame alias), or NaN. */
function fpOffset(sh: Shape, f: TagFacts, base: number): number {
  if (!sh.fpConst) return NaN;
  return base === 10 ? 0 : base < 10 ? f.fp[base] : NaN;
}

/** The frame offset (0..STACK_SIZE - size) of a constant-offset access through `base`, or -1 when it is not a direct frame access. */
function frameOffset(sh: Shape, f: TagFacts, base: number, off: number, size: number): number {
  const k = fpOffset(sh, f, base);
  if (Number.isNaN(k)) return -1;
  const rel = k + off;
  return rel < -STACK_SIZE || rel > -size ? -1 : STACK_SIZE + rel;
}

/** Apply instruction i to the frame aliases: what it writes loses its alias, except mov from r10 or an alias and constant add/sub. */
function stepFp(prog: LinkedProgram, sh: Shape, i: number, f: TagFacts): void {
  const c = prog.code;
  const op = c.op[i];
  const d = c.dst[i];
  const fp = f.fp;
  switch (opClass(op)) {
    case Class.ALU64: {
      let k = NaN;
      if (op === Op.MOV64_REG && c.off[i] === 0) k = fpOffset(sh, f, c.src[i]);
      else if (op === Op.ADD64_IMM) k = fp[d] + c.imm[i];
      else if (op === Op.SUB64_IMM) k = fp[d] - c.imm[i];
      fp[d] = Math.abs(k) <= FP_SPAN ? k : NaN;
      return;
    }
    case Class.ALU:
    case Class.LDX:
      fp[d] = NaN;
      return;
    case Class.LD: // LDDW writes dst, LD_ABS/IND r0-r5
      if (op === Op.LDDW) fp[d] = NaN;
      else fp.fill(NaN);
      return;
    case Class.ST:
      return;
    case Class.STX:
      if (opMode(op) === Mode.ATOMIC) fp.fill(NaN); // fetch forms write src or r0
      return;
    default: // jumps write nothing; calls (helpers may write any register through call.regs)
      if (op === Op.CALL || op === Op.CALLX) fp.fill(NaN);
  }
}

/** The frame slot of a direct frame access (r10 or an alias) at `off`, -2 when unaligned, or -1. */
function directSlot(sh: Shape, f: TagFacts, base: number, off: number, size: number): number {
  const o = frameOffset(sh, f, base, off, size);
  if (o < 0) return -1;
  return (o & 7) === 0 ? o >> 3 : -2;
}

/** Apply instruction i to the facts: tags first (they read the aliases before i), then aliases. */
function stepFacts(prog: LinkedProgram, sh: Shape, i: number, f: TagFacts): void {
  const c = prog.code;
  if (c.dst[i] > 10 || c.src[i] > 10) return; // such programs never reach the JIT
  stepTags(prog, sh, i, f);
  // (before stepFp: a frame load reads the aliases before i)
  const op = c.op[i];
  const frameLoad = opClass(op) === Class.LDX && frameOffset(sh, f, c.src[i], c.off[i], accessBytes(op)) >= 0;
  stepRanges(c, sh.n, i, f.rg, frameLoad);
  stepFp(prog, sh, i, f);
}

/** Apply instruction i to the tag facts (the engines' tag rules, conservatively). */
function stepTags(prog: LinkedProgram, sh: Shape, i: number, f: TagFacts): void {
  const c = prog.code;
  const op = c.op[i];
  const d = c.dst[i];
  const s = c.src[i];
  if (d > 10 || s > 10) return; // such programs never reach the JIT
  switch (opClass(op)) {
    case Class.ALU64: // only a plain 64-bit move touches a tag
      if (op === Op.MOV64_REG && c.off[i] === 0) f.reg[d] = f.reg[s];
      return;
    case Class.ALU: // tags unchanged
      return;
    case Class.LD:
      if (op === Op.LDDW) f.reg[d] = prog.pointers?.[i] === 1 ? 0 : 1;
      return;
    case Class.LDX: {
      const size = accessBytes(op);
      const k = directSlot(sh, f, s, c.off[i], size);
      if (size === 8) f.reg[d] = k >= 0 ? f.slot[k] : k === -2 ? 1 : 0;
      else if (k === -1) f.reg[d] = 0; // a ctx load may give a pointer
      return;
    }
    case Class.ST: {
      const size = accessBytes(op);
      const k = directSlot(sh, f, d, c.off[i], size);
      if (size === 8 && k >= 0) f.slot[k] = 1; // an immediate is a scalar; elsewhere only 0 is written
      return;
    }
    case Class.STX: {
      if (opMode(op) === Mode.ATOMIC) {
        // Atomics run in the runtime: any slot may change; results as in atomicUntag.
        f.slot.fill(0);
        const imm = c.imm[i];
        if (imm === AtomicOp.CMPXCHG) f.reg[0] = 1;
        else if (imm === AtomicOp.LOAD_ACQ) f.reg[d] = 0;
        else if (imm & AtomicOp.FETCH) f.reg[s] = 1;
        return;
      }
      const size = accessBytes(op);
      if (size !== 8) return;
      const k = directSlot(sh, f, d, c.off[i], size);
      if (k >= 0) f.slot[k] = f.reg[s];
      else if (k === -1 && !f.reg[s]) f.slot.fill(0); // through a pointer: maybe into this frame
      return;
    }
    default: // jumps and calls
      if (op === Op.CALL || op === Op.CALLX) {
        f.slot.fill(0); // a callee or helper may write this frame (pointers, dynptrs)
        if (op === Op.CALL && s === CallSrc.BPF_PSEUDO_CALL) {
          for (let r = 0; r <= 5; r++) f.reg[r] = 0;
          f.reg[10] = 0;
        } else {
          f.reg[0] = 0;
          for (let r = 1; r <= 5; r++) f.reg[r] = 1;
        }
      }
  }
}

/** Joins into a block after which its ranges are widened (ranges.ts joinRanges). */
const WIDEN_AFTER = 2;

/**
 * Facts at the start of each block of a function (a forward fixpoint from "nothing known"). The
 * edges of a conditional jump narrow the ranges by its condition (ranges.ts refineRanges); an
 * edge the ranges show is never taken adds nothing to its target.
 */
function blockFacts(prog: LinkedProgram, sh: Shape, blocks: Block[]): Map<number, TagFacts> {
  const c = prog.code;
  const at = new Map<number, TagFacts>();
  const index = new Map(blocks.map((b, k) => [b.start, k] as const));
  const joins = new Uint32Array(blocks.length);
  // Passes over the blocks in order (entry first, then pc order) until nothing changes: forward
  // code settles in one pass, each loop in a few more.
  const dirty = new Uint8Array(blocks.length);
  let widen: number[] | null = null;
  at.set(blocks[0].start, unknownFacts());
  dirty[0] = 1;
  const f = unknownFacts();
  const edge = unknownFacts();
  for (let again = true; again; ) {
    again = false;
    for (let k = 0; k < blocks.length; k++) {
      if (!dirty[k]) continue;
      dirty[k] = 0;
      const blk = blocks[k];
      assignFacts(f, at.get(blk.start) as TagFacts);
      let last = -1;
      for (let i = blk.start; i < blk.end; i += c.op[i] === Op.LDDW && i + 1 < sh.n ? 2 : 1) {
        stepFacts(prog, sh, i, f);
        last = i;
      }
      const cond = last >= 0 && isCompare(c.op[last]) ? last : -1;
      for (const t of blk.succ) {
        let g = f;
        if (cond >= 0) {
          const taken = t === cond + 1 + c.off[cond];
          if (taken !== (t === cond + 1)) {
            g = assignFacts(edge, f);
            if (!refineRanges(c, cond, taken, g.rg)) continue;
          }
        }
        const kt = index.get(t) as number;
        const cur = at.get(t);
        let changed = true;
        if (cur === undefined) at.set(t, copyFacts(g));
        else {
          if (++joins[kt] > WIDEN_AFTER) widen ??= thresholds(c, blocks.map((b) => lastInsn(prog, sh, b)));
          changed = meetFacts(cur, g, joins[kt] > WIDEN_AFTER ? widen : null);
        }
        if (changed) {
          dirty[kt] = 1;
          if (kt <= k) again = true;
        }
      }
    }
  }
  return at;
}

/** The slot of the last instruction of a block. */
function lastInsn(prog: LinkedProgram, sh: Shape, b: Block): number {
  let last = b.start;
  for (let i = b.start; i < b.end; i += prog.code.op[i] === Op.LDDW && i + 1 < sh.n ? 2 : 1) last = i;
  return last;
}

/** The `left` value to record if this instruction faults. */
const lf = (x: Ctx): Code => (x.rest === 0 ? js`left` : js`(left + ${x.rest})`);

function throwFault(x: Ctx, kind: number, i: number, op: number, arg: number | Code = 0): Code {
  return js`throw X.fault(${kind}, ${i}, ${op}, ${arg}, ${lf(x)});`;
}

/** Code that transfers control to pc `t` (a jump inside the current function). */
function goTo(x: Ctx, i: number, op: number, t: number): Code {
  if (t < 0 || t >= x.sh.n) return throwFault(x, F.JUMP_OUT, i, op, t);
  const id = x.ids.get(t);
  if (id === undefined) throw new BpfError(ErrorCode.Jit, `jit: no block for insn ${t}`);
  if (x.chunkOf !== null && x.chunkOf[id] !== x.chunk) return js`${spill(x.used, 0, 10)} X.left = left; ${CHUNK_CACHE_OUT} return ${id};`;
  // A jump back to the start of a self-looping block repeats its inner loop (see emitBlocks).
  if (t === x.loop) return js`continue;`;
  return js`b = ${id}; continue D;`;
}

// ---------------------------------------------------------------------------------- ALU

/** Scratch result range for narrowAlu64. */
const RES = new Float64Array(2);

/**
 * A 64-bit add, sub, mul, neg or left shift by a constant whose result the ranges put inside one
 * 2^32 window (high half K) or inside int32 (high half = the low half's sign): the low half alone
 * (these operations' low halves depend on the operands' low halves only), no carry or borrow.
 * Null when the ranges do not say so, or when the instruction has no code at all.
 */
function narrowAlu64(x: Ctx, i: number): Code | null {
  const c = x.prog.code;
  const op = c.op[i];
  const d = c.dst[i];
  const imm = c.imm[i];
  const isX = opSource(op) === Source.X;
  const code = opCode(op);
  const ld = L(d);
  const bl: Code | Name = isX ? L(c.src[i]) : lit(imm);
  let low: Code;
  switch (code) {
    case AluOp.ADD:
      if (!isX && imm === 0) return null;
      low = js`${ld} = (${ld} + ${bl}) | 0;`;
      break;
    case AluOp.SUB:
      if (!isX && imm === 0) return null;
      low = js`${ld} = (${ld} - ${bl}) | 0;`;
      break;
    case AluOp.MUL:
      low = js`${ld} = Math.imul(${ld}, ${bl});`;
      break;
    case AluOp.NEG:
      low = js`${ld} = -${ld} | 0;`;
      break;
    case AluOp.LSH: {
      const k = imm & 63;
      if (isX || k === 0) return null;
      low = k < 32 ? js`${ld} = ${ld} << ${k};` : js`${ld} = 0;`;
      break;
    }
    default:
      return null;
  }
  const rg = x.facts.rg;
  aluRangeAt(c, i, rg, RES);
  const win = windowOf(RES[0], RES[1]);
  // (No write when the high half already is K.)
  if (!Number.isNaN(win)) return windowOf(rg.lo[d], rg.hi[d]) === win ? low : js`${low} ${H(d)} = ${win};`;
  if (inI32(RES[0], RES[1])) return js`${low} ${H(d)} = ${ld} >> 31;`;
  return null;
}

/**
 * The carry of a 64-bit multiply by 3 is floor(lo·3 / 2^32): 1 from ceil(2^32/3), 2 from
 * ceil(2^33/3). Two compares are shorter on the loop's critical path than the 16-bit columns
 * below: the ALU benchmark loop (`mul r0, 3`) ran 1.3× faster.
 */
const MUL3_CARRY1 = Math.ceil(2 ** 32 / 3);
const MUL3_CARRY2 = Math.ceil(2 ** 33 / 3);

function emitAlu(x: Ctx, i: number): Code {
  const c = x.prog.code;
  const op = c.op[i];
  const d = c.dst[i];
  const s = c.src[i];
  const off = c.off[i];
  const imm = c.imm[i];
  const is64 = opClass(op) === Class.ALU64;
  const isX = opSource(op) === Source.X;
  const ld = L(d);
  const hd = H(d);
  const bl: Code | Name = isX ? L(s) : lit(imm);
  // A source in one 2^32 window has a constant high half (which V8 folds into the arithmetic).
  const sw = isX ? windowOf(x.facts.rg.lo[s], x.facts.rg.hi[s]) : NaN;
  const bh: Code | Name = isX ? (Number.isNaN(sw) ? H(s) : lit(sw)) : lit(imm >> 31);
  const code = opCode(op);
  if (is64) {
    const narrow = narrowAlu64(x, i);
    if (narrow !== null) return narrow;
    switch (code) {
      // Carry and borrow from unsigned compares of the low halves keep everything in int32.
      case AluOp.ADD:
        if (!isX && imm === 0) return nil;
        if (!isX && imm > 0) return js`t = (${ld} + ${bl}) | 0; ${hd} = (${hd} + ((t >>> 0) < (${ld} >>> 0) ? 1 : 0)) | 0; ${ld} = t;`;
        return js`t = (${ld} + ${bl}) | 0; ${hd} = (${hd} + ${bh} + ((t >>> 0) < (${ld} >>> 0) ? 1 : 0)) | 0; ${ld} = t;`;
      case AluOp.SUB:
        if (!isX && imm === 0) return nil;
        if (!isX && imm > 0) return js`t = (${ld} - ${bl}) | 0; ${hd} = (${hd} - ((${ld} >>> 0) < ${imm} ? 1 : 0)) | 0; ${ld} = t;`;
        return js`t = (${ld} - ${bl}) | 0; ${hd} = (${hd} - ${bh} - ((${ld} >>> 0) < (${bl} >>> 0) ? 1 : 0)) | 0; ${ld} = t;`;
      case AluOp.MUL:
        if (!isX && imm > 1 && (imm & (imm - 1)) === 0 && imm < 0x10000) {
          // By 2^j the carry is the top j bits of lo.
          return js`${hd} = (Math.imul(${hd}, ${imm}) + (${ld} >>> ${32 - Math.log2(imm)})) | 0; ${ld} = Math.imul(${ld}, ${imm});`;
        }
        if (!isX && imm === 3) return js`${hd} = (Math.imul(${hd}, 3) + ((${ld} >>> 0) >= ${MUL3_CARRY2} ? 2 : (${ld} >>> 0) >= ${MUL3_CARRY1} ? 1 : 0)) | 0; ${ld} = Math.imul(${ld}, 3);`;
        if (!isX && imm >= 0 && imm < 0x10000) {
          // The carry into hi in integers only (16-bit columns: each partial product and their
          // sum stay below 2^32). The float form below truncates a double, which cost V8 half of
          // the ALU benchmark loop's time.
          return js`${hd} = (Math.imul(${hd}, ${imm}) + ((((${ld} >>> 16) * ${imm}) + (((${ld} & 65535) * ${imm}) >>> 16)) >>> 16)) | 0; ${ld} = Math.imul(${ld}, ${imm});`;
        }
        if (!isX && imm >= 0 && imm < 0x200000) {
          // (lo >>> 0) * imm < 2^53 is exact: its high word is the carry into hi.
          return js`${hd} = (Math.imul(${hd}, ${imm}) + ((((${ld} >>> 0) * ${imm}) / 4294967296) | 0)) | 0; ${ld} = Math.imul(${ld}, ${imm});`;
        }
        if (isX && hz(x.facts, d) && hz(x.facts, s)) return js`t = Math.imul(${ld}, ${bl}); ${hd} = mulhi(${ld}, ${bl}); ${ld} = t;`;
        return js`t = Math.imul(${ld}, ${bl}); ${hd} = (mulhi(${ld}, ${bl}) + Math.imul(${ld}, ${bh}) + Math.imul(${hd}, ${bl})) | 0; ${ld} = t;`;
      case AluOp.DIV:
      case AluOp.MOD: {
        if (off !== 0 && off !== 1) return throwFault(x, F.BAD_DIV_OFF, i, op, off);
        const f = name((off === 1 ? 's' : 'u') + (code === AluOp.DIV ? 'div64' : 'mod64'));
        return js`${f}(${ld}, ${hd}, ${bl}, ${bh}); ${ld} = S[0]; ${hd} = S[1];`;
      }
      case AluOp.OR:
        if (!isX) return imm < 0 ? js`${ld} |= ${bl}; ${hd} = -1;` : js`${ld} |= ${bl};`;
        if (hz(x.facts, s)) return js`${ld} |= ${bl};`;
        return js`${ld} |= ${bl}; ${hd} |= ${bh};`;
      case AluOp.AND:
        if (!isX) return imm < 0 ? js`${ld} &= ${bl};` : js`${ld} &= ${bl}; ${hd} = 0;`;
        return js`${ld} &= ${bl}; ${hd} &= ${bh};`;
      case AluOp.XOR:
        if (!isX) return imm < 0 ? js`${ld} ^= ${bl}; ${hd} = ~${hd};` : js`${ld} ^= ${bl};`;
        if (hz(x.facts, s)) return js`${ld} ^= ${bl};`;
        return js`${ld} ^= ${bl}; ${hd} ^= ${bh};`;
      case AluOp.LSH:
      case AluOp.RSH:
      case AluOp.ARSH: {
        if (isX) {
          const f = name(code === AluOp.LSH ? 'lsh64' : code === AluOp.RSH ? 'rsh64' : 'arsh64');
          return js`${f}(${ld}, ${hd}, ${bl} & 63); ${ld} = S[0]; ${hd} = S[1];`;
        }
        const k = imm & 63;
        if (k === 0) return nil;
        if (code === AluOp.LSH) {
          return k < 32
            ? js`${hd} = (${hd} << ${k}) | (${ld} >>> ${32 - k}); ${ld} = ${ld} << ${k};`
            : js`${hd} = ${ld} << ${k - 32}; ${ld} = 0;`;
        }
        if (code === AluOp.RSH) {
          if (k < 32 && hz(x.facts, d)) return js`${ld} = (${ld} >>> ${k}) | 0;`; // the high half stays 0
          return k < 32
            ? js`${ld} = (${ld} >>> ${k}) | (${hd} << ${32 - k}); ${hd} = (${hd} >>> ${k}) | 0;`
            : js`${ld} = (${hd} >>> ${k - 32}) | 0; ${hd} = 0;`;
        }
        return k < 32
          ? js`${ld} = (${ld} >>> ${k}) | (${hd} << ${32 - k}); ${hd} = ${hd} >> ${k};`
          : js`${ld} = ${hd} >> ${k - 32}; ${hd} = ${hd} >> 31;`;
      }
      case AluOp.NEG:
        return js`t = ${ld}; ${ld} = -t | 0; ${hd} = (~${hd} + (t === 0 ? 1 : 0)) | 0;`;
      case AluOp.MOV:
        if (!isX) return js`${ld} = ${imm}; ${hd} = ${imm >> 31};`;
        switch (off) {
          case 0: {
            if (d === s) return nil;
            // The tag copy is skipped when both tags are known to be 0 already.
            const tag = x.facts.reg[s] ? (x.facts.reg[d] ? nil : js` ${G(d)} = 0;`) : js` ${G(d)} = ${G(s)};`;
            return js`${ld} = ${L(s)}; ${hd} = ${H(s)};${tag}`;
          }
          case 8:
            return js`${ld} = (${L(s)} << 24) >> 24; ${hd} = ${ld} >> 31;`;
          case 16:
            return js`${ld} = (${L(s)} << 16) >> 16; ${hd} = ${ld} >> 31;`;
          case 32:
            return js`${ld} = ${L(s)}; ${hd} = ${ld} >> 31;`;
          default:
            return throwFault(x, F.BAD_MOVSX_OFF, i, op, off);
        }
      case AluOp.END:
        return emitSwap(x, i, imm, F.BAD_BSWAP);
      default:
        return throwFault(x, F.UNKNOWN_OPCODE, i, op);
    }
  }
  switch (code) {
    case AluOp.ADD:
      return js`${ld} = (${ld} + ${bl}) | 0; ${hd} = 0;`;
    case AluOp.SUB:
      return js`${ld} = (${ld} - ${bl}) | 0; ${hd} = 0;`;
    case AluOp.MUL:
      return js`${ld} = Math.imul(${ld}, ${bl}); ${hd} = 0;`;
    case AluOp.DIV:
    case AluOp.MOD: {
      if (off !== 0 && off !== 1) return throwFault(x, F.BAD_DIV_OFF, i, op, off);
      const f = name((off === 1 ? 's' : 'u') + (code === AluOp.DIV ? 'div32' : 'mod32'));
      return js`${ld} = ${f}(${ld}, ${bl}); ${hd} = 0;`;
    }
    case AluOp.OR:
      return js`${ld} = ${ld} | ${bl}; ${hd} = 0;`;
    case AluOp.AND:
      return js`${ld} = ${ld} & ${bl}; ${hd} = 0;`;
    case AluOp.XOR:
      return js`${ld} = ${ld} ^ ${bl}; ${hd} = 0;`;
    case AluOp.LSH:
      return js`${ld} = ${ld} << ${bl}; ${hd} = 0;`;
    case AluOp.RSH:
      return js`${ld} = (${ld} >>> ${bl}) | 0; ${hd} = 0;`;
    case AluOp.ARSH:
      return js`${ld} = ${ld} >> ${bl}; ${hd} = 0;`;
    case AluOp.NEG:
      return js`${ld} = -${ld} | 0; ${hd} = 0;`;
    case AluOp.MOV:
      if (!isX) return js`${ld} = ${imm}; ${hd} = 0;`;
      switch (off) {
        case 0:
          return js`${ld} = ${L(s)}; ${hd} = 0;`;
        case 8:
          return js`${ld} = (${L(s)} << 24) >> 24; ${hd} = 0;`;
        case 16:
          return js`${ld} = (${L(s)} << 16) >> 16; ${hd} = 0;`;
        default:
          return throwFault(x, F.BAD_MOVSX_OFF, i, op, off);
      }
    case AluOp.END:
      if (op === Op.LE) {
        if (imm === 16) return js`${ld} = ${ld} & 65535; ${hd} = 0;`;
        if (imm === 32) return js`${hd} = 0;`;
        if (imm === 64) return nil;
        return throwFault(x, F.BAD_LE, i, op, imm);
      }
      return emitSwap(x, i, imm, F.BAD_BE);
    default:
      return throwFault(x, F.UNKNOWN_OPCODE, i, op);
  }
}

/** BE / BSWAP of width 16, 32 or 64 (semantics.ts `bswap`). */
function emitSwap(x: Ctx, i: number, width: number, badKind: number): Code {
  const c = x.prog.code;
  const d = c.dst[i];
  const ld = L(d);
  const hd = H(d);
  if (width === 16) return js`${ld} = ((${ld} & 255) << 8) | ((${ld} >>> 8) & 255); ${hd} = 0;`;
  if (width === 32) return js`${ld} = bswap32(${ld}); ${hd} = 0;`;
  if (width === 64) return js`t = bswap32(${hd}); ${hd} = bswap32(${ld}); ${ld} = t;`;
  return throwFault(x, badKind, i, c.op[i], width);
}

// ---------------------------------------------------------------------------------- jumps

/** The branch condition of a conditional jump (JMP or JMP32, K or X). */
function condition(x: Ctx, i: number): Code {
  const c = x.prog.code;
  const op = c.op[i];
  const d = c.dst[i];
  const s = c.src[i];
  const imm = c.imm[i];
  const isX = opSource(op) === Source.X;
  const ld = L(d);
  const hd = H(d);
  const code = opCode(op);
  const bl: Code | Name = isX ? L(s) : lit(imm);
  const bh: Code | Name = isX ? H(s) : lit(imm >> 31);
  const blu: Code = isX ? js`(${L(s)} >>> 0)` : lit(imm >>> 0);
  const rg = x.facts.rg;
  const yl = isX ? rg.lo[s] : imm;
  const yh = isX ? rg.hi[s] : imm;
  // A 64-bit compare of two values in int32 (high halves are the low halves' signs) is the
  // 32-bit compare of their low halves: a negative value is above every non-negative one both
  // as 64 and as 32 bits unsigned, and for JSET both high halves are non-zero only when both
  // values are negative, when bit 31 is set in both low halves too.
  if (opClass(op) === Class.JMP32 || (inI32(rg.lo[d], rg.hi[d]) && inI32(yl, yh))) {
    switch (code) {
      case JmpOp.JEQ: return js`${ld} === ${bl}`;
      case JmpOp.JNE: return js`${ld} !== ${bl}`;
      case JmpOp.JSET: return js`(${ld} & ${bl}) !== 0`;
      case JmpOp.JGT: return js`(${ld} >>> 0) > ${blu}`;
      case JmpOp.JGE: return js`(${ld} >>> 0) >= ${blu}`;
      case JmpOp.JLT: return js`(${ld} >>> 0) < ${blu}`;
      case JmpOp.JLE: return js`(${ld} >>> 0) <= ${blu}`;
      case JmpOp.JSGT: return js`${ld} > ${bl}`;
      case JmpOp.JSGE: return js`${ld} >= ${bl}`;
      case JmpOp.JSLT: return js`${ld} < ${bl}`;
      default: return js`${ld} <= ${bl}`; // JSLE
    }
  }
  const win = windowOf(rg.lo[d], rg.hi[d]);
  if (!Number.isNaN(win) && windowOf(yl, yh) === win && (code !== JmpOp.JSET || win === 0)) {
    // Both sides are in one window [K·2^32, (K+1)·2^32) (their high halves are both K): as
    // 64-bit values, signed or not, they compare as their unsigned low halves.
    switch (code) {
      case JmpOp.JEQ: return js`${ld} === ${bl}`;
      case JmpOp.JNE: return js`${ld} !== ${bl}`;
      case JmpOp.JSET: return js`(${ld} & ${bl}) !== 0`; // (K = 0)
      case JmpOp.JGT: case JmpOp.JSGT: return js`(${ld} >>> 0) > ${blu}`;
      case JmpOp.JGE: case JmpOp.JSGE: return js`(${ld} >>> 0) >= ${blu}`;
      case JmpOp.JLT: case JmpOp.JSLT: return js`(${ld} >>> 0) < ${blu}`;
      default: return js`(${ld} >>> 0) <= ${blu}`; // JLE, JSLE
    }
  }
  const bhu: Code = isX ? js`(${H(s)} >>> 0)` : lit((imm >> 31) >>> 0);
  const cmp = (signed: boolean, rel: Code): Code =>
    signed
      ? js`(${hd} ${rel} ${bh} || (${hd} === ${bh} && (${ld} >>> 0) ${rel}= ${blu}))`
      : js`((${hd} >>> 0) ${rel} ${bhu} || (${hd} === ${bh} && (${ld} >>> 0) ${rel}= ${blu}))`;
  const strict = (signed: boolean, rel: Code): Code =>
    signed
      ? js`(${hd} ${rel} ${bh} || (${hd} === ${bh} && (${ld} >>> 0) ${rel} ${blu}))`
      : js`((${hd} >>> 0) ${rel} ${bhu} || (${hd} === ${bh} && (${ld} >>> 0) ${rel} ${blu}))`;
  switch (code) {
    case JmpOp.JEQ: return js`(${ld} === ${bl} && ${hd} === ${bh})`;
    case JmpOp.JNE: return js`(${ld} !== ${bl} || ${hd} !== ${bh})`;
    case JmpOp.JSET: return js`((${ld} & ${bl}) !== 0 || (${hd} & ${bh}) !== 0)`;
    case JmpOp.JGT: return strict(false, js`>`);
    case JmpOp.JGE: return cmp(false, js`>`);
    case JmpOp.JLT: return strict(false, js`<`);
    case JmpOp.JLE: return cmp(false, js`<`);
    case JmpOp.JSGT: return strict(true, js`>`);
    case JmpOp.JSGE: return cmp(true, js`>`);
    case JmpOp.JSLT: return strict(true, js`<`);
    default: return cmp(true, js`<`); // JSLE
  }
}

/** Registers from..to (those the function uses) to the RegisterFile. */
function spill(used: boolean[], from: number, to: number): Code {
  const out: Code[] = [];
  for (let r = from; r <= to; r++) if (used[r]) out.push(js`RL[${r}] = ${L(r)}; RH[${r}] = ${H(r)}; RT[${r}] = ${G(r)};`);
  return joinCode(out, js` `);
}

function reload(used: boolean[], from: number, to: number): Code {
  const out: Code[] = [];
  for (let r = from; r <= to; r++) if (used[r]) out.push(js`${L(r)} = RL[${r}]; ${H(r)} = RH[${r}]; ${G(r)} = RT[${r}];`);
  return joinCode(out, js` `);
}

/** Registers an instruction may touch (an over-approximation is always safe). */
function markUsed(prog: LinkedProgram, i: number, used: boolean[]): void {
  const c = prog.code;
  const op = c.op[i];
  if (c.dst[i] <= 10) used[c.dst[i]] = true;
  if (c.src[i] <= 10) used[c.src[i]] = true;
  // (The ATOMIC mode bits alone: also ARSH, END, JSLT and JSLE, an over-approximation.)
  if (op === Op.CALL || op === Op.CALLX || opClass(op) === Class.LD || opMode(op) === Mode.ATOMIC) for (let r = 0; r <= 5; r++) used[r] = true;
  // After a bpf-to-bpf call the RegisterFile holds the callee's r6–r10; the caller's live in
  // its locals, so a function that makes one keeps all of them there.
  if (op === Op.CALL && c.src[i] === CallSrc.BPF_PSEUDO_CALL) for (let r = 6; r <= 10; r++) used[r] = true;
}

/**
 * The region cache across the chunks of one function (JitRun.kh...): a jump into another chunk
 * hands it over, since nothing runs between the two chunks; the entry function starts it on its
 * frame (CHUNK_CACHE_START).
 */
const CHUNK_CACHE_IN = js`cH = X.kh, cV = X.kv, cN = X.kn, cW = X.kw, cS = X.ks, dH = X.jh, dV = X.jv, dN = X.jn, dW = X.jw, dS = X.js`;
const CHUNK_CACHE_OUT = js`X.kh = cH; X.kv = cV; X.kn = cN; X.kw = cW; X.ks = cS; X.jh = dH; X.jv = dV; X.jn = dN; X.jw = dW; X.js = dS;`;
const CHUNK_CACHE_START = js`X.kh = X.fh[d]; X.kv = X.fv[d]; X.kn = ${STACK_SIZE}; X.kw = d !== 0; X.ks = X.fs[d]; X.jh = 0; X.jn = -1;`;

function prologue(used: boolean[], ctxTable: Name | null = null, blockParam = false, fresh = false): Code {
  const regs: Code[] = [];
  // The run's ctx, when it is one of this program's type (runtime.ts JitRun.xt): -1 otherwise,
  // which no register's tag ever is, so no access takes a direct ctx path.
  const ctx = ctxTable === null ? nil : js`
const XH = X.xt === ${ctxTable} ? X.xh : -1, XC = X.xc;
let XR;`;
  for (let r = 0; r <= 10; r++) {
    if (!used[r]) continue;
    if (!fresh || r === 10) {
      regs.push(js`${L(r)} = RL[${r}], ${H(r)} = RH[${r}], ${G(r)} = RT[${r}]`);
      continue;
    }
    // A run's first call (f = 1 + its argument count, see freshRegs): 0, or the argument
    // JitRun.begin stored; any other call (f undefined): the register file.
    const zero = r >= 1 && r <= 5 ? js`f > 0 && f <= ${r}` : js`f > 0`;
    regs.push(js`${L(r)} = ${zero} ? 0 : RL[${r}], ${H(r)} = ${zero} ? 0 : RH[${r}], ${G(r)} = ${zero} ? 0 : RT[${r}]`);
  }
  const decl = regs.length ? js`let ${joinCode(regs, js`, `)};` : nil;
  return js`const RL = X.lo, RH = X.hi, RT = X.tg, MG = X.mg, C = X.call, FH = X.fh[d], FV = X.fv[d], FW = X.fw[d], FS = X.fs[d];
${decl}
let ${blockParam ? CHUNK_CACHE_IN : js`cH = FH, cV = FV, cN = ${STACK_SIZE}, cW = d !== 0, cS = FS, dH = 0, dV = FV, dN = -1, dW = false, dS = null, b = 0`}, t = 0, u = 0, w = 0, ep = 0, sb = 0, tf = null, hf = null;${ctx}`;
}

/**
 * The one-region cache back on the function's own frame. Starting it empty instead (so that the
 * first stack store passes JitRun.st) made V8 compile the access paths worse: 1.6× the
 * instructions on the memory benchmark (callgrind). Frame 0 is never writable through the cache
 * (cW false at depth 0, and JitRun.cache): a store into it through a pointer other than r10 or a
 * frame alias goes through JitRun.st, which reports the write for the next run's zeroing
 * (JitRun.lw), so only the direct stores need a static bound (stack-reach.ts, FrameReach).
 */
const RESET_CACHE = js`cH = FH; cV = FV; cN = ${STACK_SIZE}; cW = d !== 0; cS = FS; dH = 0; dN = -1;`;

/**
 * After a call (helper, kfunc or bpf-to-bpf): the region cache stays unless the call rebound or
 * released a region (Memory.epoch, read into `ep` before the call). Regions are otherwise
 * immutable (bytes, view, bounds, writability), so a cached one still is what Memory.resolve
 * would give.
 */
const EPOCH = js`ep = X.mem.epoch;`;

const KEEP_CACHE = js`if (X.mem.epoch !== ep) { ${RESET_CACHE} }`;

function emitCall(x: Ctx, i: number): Code {
  const c = x.prog.code;
  const op = c.op[i];
  const imm = c.imm[i];
  const s = op === Op.CALLX ? CallSrc.HELPER : c.src[i];
  if (s === CallSrc.BPF_PSEUDO_CALL) {
    const target = i + 1 + imm;
    if (target < 0 || target >= x.sh.n) return throwFault(x, F.JUMP_OUT, i, op, target);
    const fn = name(`e${target}`);
    return js`if (d + 1 - X.pb[d] >= ${MAX_CALL_DEPTH}) ${throwFault(x, F.CALL_DEPTH, i, op)}
${spill(x.used, 0, 9)} X.left = left; ${EPOCH} X.enter(d + 1); MG[d + 1] = ${MAY_GOTO_START};
RL[10] = ${(BASE_LO + STACK_SIZE) | 0}; RH[10] = RT[10] = X.fh[d + 1];
${fn}(X, d + 1);
${x.sh.throws ? js`if (X.thr !== -1) { ${catchAndLeave(x)} }
` : nil}left = X.left; ${reload(x.used, 0, 5)} ${x.used[10] ? js`${L(10)} = ${(BASE_LO + STACK_SIZE) | 0}; ${H(10)} = FH; ${G(10)} = FH;` : nil} ${KEEP_CACHE}`;
  }
  let callee: Code | Name;
  let pre: Code = nil;
  if (op === Op.CALLX) {
    pre = js`hf = X.helperOf(P, ${L(c.dst[i])}, ${i}, ${op}, left);`;
    callee = name('hf');
  } else if (s === CallSrc.HELPER) {
    const fn = x.prog.helpers[imm];
    if (fn === undefined) return throwFault(x, F.UNKNOWN_HELPER, i, op, imm);
    callee = x.helperParam(fn);
  } else if (s === CallSrc.BPF_PSEUDO_KFUNC_CALL && imm === BPF_THROW_ID) {
    return js`X.left = left; X.exc(d, ${L(1)}, ${H(1)}, ${i}, ${op}); ${catchAndLeave(x)}`;
  } else if (s === CallSrc.BPF_PSEUDO_KFUNC_CALL) {
    const fn = x.prog.kfuncs?.get(imm);
    if (fn === undefined) return throwFault(x, F.UNKNOWN_KFUNC, i, op, imm);
    callee = x.helperParam(fn);
  } else {
    return throwFault(x, F.BAD_CALL_SRC, i, op, s);
  }
  // A helper that touches only r1..r5 and r0 of the register file (program.ts argRegsOnly)
  // leaves r6-r10 where the calling convention says they are, in this function's locals: they
  // are neither stored before the call nor read back after it.
  const argsOnly = s === CallSrc.HELPER && op === Op.CALL && touchesArgRegsOnly(x.prog.helpers[imm] as HelperFn);
  const writes = s === CallSrc.HELPER && op === Op.CALL && !writesNoArgs(x.prog.helpers[imm] as HelperFn) ? helperWriteLow(x) : nil;
  const kept = argsOnly ? 5 : 10;
  const call = js`${pre}${spill(x.used, 0, kept)} RT[0] = 0; ${EPOCH}
C.insnIndex = ${i}; C.tailCall = undefined; X.left = left; X.d = d; X.cur = P;
try { ${callee}(C); } catch (e) { throw X.herr(e, ${i}, ${op}); }
if (C.tailCall !== undefined) { tf = X.tail(); if (tf !== null) { MG[d] = ${MAY_GOTO_START}; tf(X, d); ${x.ret}; } }
left = X.left; ${L(0)} = RL[0]; ${H(0)} = RH[0]; ${G(0)} = RT[0]; l1 = 0; h1 = 0; g1 = 0; l2 = 0; h2 = 0; g2 = 0; l3 = 0; h3 = 0; g3 = 0; l4 = 0; h4 = 0; g4 = 0; l5 = 0; h5 = 0; g5 = 0;
${argsOnly ? nil : reload(x.used, 6, 10)} ${KEEP_CACHE}
${TAKE_R0}`;
  const inline = argsOnly && op === Op.CALL ? inlineLookup(x, x.prog.helpers[imm] as HelperFn) : nil;
  return js`${writes}${inline === nil ? call : js`${inline} else { ${call} }`}`;
}

/**
 * Before a helper call not marked readsArgsOnly (program.ts): JitRun.lw lowered to the lowest
 * frame-0 byte its arguments point at, clamped at 0 (what the interpreter's helperWriteLow
 * does). A helper writes only through its pointer arguments, each from where it points up (the
 * kernel's ARG_PTR_TO_MEM and ARG_PTR_TO_UNINIT_MEM regions start at the pointer), so with this
 * the next run zeroes every byte such a call may write (stack-reach.ts leaves helper calls to
 * it). An argument whose tag is known to be 0 (a scalar) is skipped: no region has high half 0.
 */
function helperWriteLow(x: Ctx): Code {
  const out: Code[] = [];
  for (let r = 1; r <= 5; r++) {
    if (x.facts.reg[r] === 1) continue;
    out.push(js`if (${G(r)} === w && (t = (${L(r)} >>> 0) - ${BASE_LO}) < X.lw) X.lw = t < 0 ? 0 : t;`);
  }
  return out.length === 0 ? nil : js`w = X.fh[0]; ${joinCode(out, js` `)}
`;
}

/**
 * A map lookup inlined as the kernel's verifier inlines array lookups (map_gen_lookup): when the
 * helper has a direct form (program.ts IndexLookup) and r2 certainly points into this function's
 * own frame (a frame alias with 4 bytes in the frame, so the key is readable as argMem would find
 * it), the generated code reads the key from the frame and calls the direct form with it, guarded
 * by r1 being a tagged pointer at offset 0 of its region (argMap's conditions; the direct form
 * checks the region is a map). The direct form returns -1 for a map it does not cover, and a run
 * where the guard fails makes the ordinary call, so faults are the helper's. r0 is then the
 * region's first byte, tagged with it, or NULL, and r1-r5 are cleared, as after the call. Neither
 * the register file nor the stack is touched, and no region is released (the cache stays).
 */
function inlineLookup(x: Ctx, fn: HelperFn): Code {
  const direct = indexLookupOf(fn);
  if (direct === undefined) return nil;
  const o = frameOffset(x.sh, x.facts, 2, 0, 4);
  if (o < 0) return nil;
  const key = frameWords(o, 4) ? js`FW[${o >> 2}]` : js`FV.getInt32(${o}, true)`;
  return js`if (${H(1)} === ${G(1)} && ${L(1)} === ${BASE_LO | 0} && (t = ${x.helperParam(direct)}(C, ${H(1)}, ${key})) !== -1) {
${L(0)} = t === 0 ? 0 : ${BASE_LO | 0}; ${H(0)} = t; ${G(0)} = t; l1 = 0; h1 = 0; g1 = 0; l2 = 0; h2 = 0; g2 = 0; l3 = 0; h3 = 0; g3 = 0; l4 = 0; h4 = 0; g4 = 0; l5 = 0; h5 = 0; g5 = 0;
${TAKE_R0} }`;
}

/**
 * Leave the function while an exception unwinds (JitRun.exc set X.thr to the frame it unwinds to):
 * in that frame, run the exception callback first (JitRun.catch); r0 is then in the
 * RegisterFile, as after an EXIT, and X.left is current.
 */
function catchAndLeave(x: Ctx): Code {
  return js`if (X.thr === d) X.catch(P, d); ${x.counted ? js`return true` : x.ret};`;
}

/**
 * The registers an EXIT leaves in the RegisterFile: r0-r5 for the caller of a subprogram or
 * callback (the interpreter's callers see the callee's r1-r5, so the JIT's reload them), r0 alone
 * at depth 0, where an EXIT ends the run (a tail call's target and an exception callback there
 * return straight out of the run too) and only r0 is read (Compiled.run, JitRun.catch). Registers
 * left as they were stay covered by JitRun.begin's clearing (JitRun.rz).
 */
function exitSpill(x: Ctx): Code {
  return js`if (d === 0) { RL[0] = ${L(0)}; RH[0] = ${H(0)}; } else { ${spill(x.used, 0, 5)} }`;
}

/** The last instruction of a block when it is a JMP/JMP32-class instruction. */
function emitJmp(x: Ctx, i: number): Code {
  const c = x.prog.code;
  const op = c.op[i];
  const next = i + 1;
  switch (op) {
    case Op.JA:
      return goTo(x, i, op, next + c.off[i]);
    case Op.JA32:
      return goTo(x, i, op, next + c.imm[i]);
    case Op.EXIT:
      return js`${exitSpill(x)} X.left = left; ${x.ret};`;
    case Op.CALL:
    case Op.CALLX:
      return emitCall(x, i);
    case Op.JCOND:
      if (c.src[i] !== JcondSrc.BPF_MAY_GOTO) return throwFault(x, F.BAD_JCOND_SRC, i, op, c.src[i]);
      return js`if (MG[d] === 0) { ${goTo(x, i, op, next + c.off[i])} } MG[d] = MG[d] - 1;`;
    default:
      return js`if (${condition(x, i)}) { ${goTo(x, i, op, next + c.off[i])} }`;
  }
}

// ---------------------------------------------------------------------------------- memory

/** Read `size` bytes at `o` of DataView `v` into (ld, hd), zero- or sign-extended. */
function readInto(v: Name, o: Code, size: number, sx: boolean, ld: Name, hd: Name): Code {
  switch (size) {
    case 1:
      return sx ? js`${ld} = ${v}.getInt8(${o}); ${hd} = ${ld} >> 31;` : js`${ld} = ${v}.getUint8(${o}); ${hd} = 0;`;
    case 2:
      return sx ? js`${ld} = ${v}.getInt16(${o}, true); ${hd} = ${ld} >> 31;` : js`${ld} = ${v}.getUint16(${o}, true); ${hd} = 0;`;
    case 4:
      return sx ? js`${ld} = ${v}.getInt32(${o}, true); ${hd} = ${ld} >> 31;` : js`${ld} = ${v}.getInt32(${o}, true); ${hd} = 0;`;
    default:
      return js`${hd} = ${v}.getInt32(${o} + 4, true); ${ld} = ${v}.getInt32(${o}, true);`;
  }
}

function writeFrom(v: Name, o: Code, size: number, vl: Code | Name, vh: Code | Name): Code {
  switch (size) {
    case 1:
      return js`${v}.setUint8(${o}, ${vl} & 255);`;
    case 2:
      return js`${v}.setUint16(${o}, ${vl} & 65535, true);`;
    case 4:
      return js`${v}.setInt32(${o}, ${vl}, true);`;
    default:
      return js`${v}.setInt32(${o}, ${vl}, true); ${v}.setInt32(${o} + 4, ${vh}, true);`;
  }
}

/**
 * Whether a direct frame access at byte `o` of `size` bytes goes through the frame's int32 words
 * (`FW`, runtime.ts JitRun.fw) instead of its DataView: a 4- or 8-byte access at a multiple of 4,
 * on a little-endian host (typed arrays use the host's byte order, BPF memory is little-endian
 * here as in the DataView calls). V8 compiles a typed-array element access with a constant
 * index into less code than a DataView call: the memory benchmark loop ran 1.6× faster.
 */
const frameWords = (o: number, size: number): boolean => HOST_LE && size >= 4 && (o & 3) === 0;
const HOST_LE = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** readInto for the frame's int32 words from word `w` (size 4 or 8). */
function readWords(w: number, size: number, sx: boolean, ld: Name, hd: Name): Code {
  if (size === 8) return js`${hd} = FW[${w + 1}]; ${ld} = FW[${w}];`;
  return js`${ld} = FW[${w}]; ${hd} = ${sx ? js`${ld} >> 31` : lit(0)};`;
}

/** writeFrom for the frame's int32 words from word `w` (size 4 or 8). */
function writeWords(w: number, size: number, vl: Code | Name, vh: Code | Name): Code {
  return size === 8 ? js`FW[${w}] = ${vl}; FW[${w + 1}] = ${vh};` : js`FW[${w}] = ${vl};`;
}

/**
 * The region cache has two entries: c (most recently filled) and d (the one before). A miss
 * refills c from JitRun's slow path and moves the old c to d, so code alternating between two
 * regions (packet and map value, say) stays inline.
 */
const SHIFT = js`dH = cH; dV = cV; dN = cN; dW = cW; dS = cS;`;
const REFILL = js`${SHIFT} cH = X.ch; cV = X.cv; cN = X.cn; cW = X.cw; cS = X.cs;`;

/**
 * A helper returning a pointer (r0 tagged: a map value, a socket) is usually followed by an
 * access through it: its region becomes the cache's first entry (JitRun.take).
 */
const TAKE_R0 = js`if (${G(0)} !== 0 && X.take(${G(0)})) { ${REFILL} }`;

function emitLdSt(x: Ctx, i: number): Code {
  const c = x.prog.code;
  const op = c.op[i];
  const d = c.dst[i];
  const s = c.src[i];
  const off = c.off[i];
  const imm = c.imm[i];
  const cls = opClass(op);
  if (cls === Class.LD) {
    if (op === Op.LDDW) {
      if (c.src[i] !== PseudoSrc.IMM) return throwFault(x, F.UNLINKED_LDDW, i, op, c.src[i]);
      if (i + 1 >= x.sh.n) return throwFault(x, F.LDDW_NO_SLOT, i, op);
      // A relocated pointer is tagged with its region; a plain constant is a scalar.
      const tag = x.prog.pointers?.[i] === 1 ? c.imm[i + 1] : 0;
      return js`${L(d)} = ${imm}; ${H(d)} = ${c.imm[i + 1]}; ${G(d)} = ${tag};`;
    }
    // LD_ABS / LD_IND (kernel bpf_gen_ld_abs): r0 = value, r1..r5 cleared.
    const size = accessBytes(op);
    const offset: Code = opMode(op) === Mode.ABS ? lit(imm) : js`(${L(s)} + ${imm}) | 0`;
    // Out of bounds: the expansion's hidden `r0 = 0; exit`, an EXIT of this function (a
    // subprogram returns 0 to its caller, the main program ends the run).
    return js`${L(0)} = X.ldabs(${offset}, ${size}, ${i}, ${op}, ${lf(x)}); ${H(0)} = 0; l1 = 0; h1 = 0; l2 = 0; h2 = 0; l3 = 0; h3 = 0; l4 = 0; h4 = 0; l5 = 0; h5 = 0; if (X.ldabsOut) { X.ldabsOut = false; ${G(0)} = 0; ${spill(x.used, 0, 5)} X.left = ${lf(x)}; ${x.counted ? js`return true` : x.ret}; }`;
  }
  const size = accessBytes(op);
  const FV = name('FV');
  const cV = name('cV');
  if (cls === Class.LDX) {
    const sx = opMode(op) === Mode.MEMSX;
    const ld = L(d);
    const hd = H(d);
    const gd = G(d);
    const o = frameOffset(x.sh, x.facts, s, off, size);
    if (o >= 0) {
      // The frame's own view at a constant offset (through r10 or an alias of it); a 64-bit
      // fill of an aligned slot takes the slot's provenance.
      const known0 = size === 8 && ((o & 7) !== 0 || x.facts.slot[o >> 3] === 1);
      const fill = size !== 8 ? nil : known0 ? (x.facts.reg[d] ? nil : js` ${gd} = 0;`) : js` ${gd} = FS[${o >> 3}];`;
      return js`${frameWords(o, size) ? readWords(o >> 2, size, sx, ld, hd) : readInto(FV, lit(o), size, sx, ld, hd)}${fill}`;
    }
    const fill = (sh: Name): Code => (size === 8 ? js` ${gd} = ${sh} !== null && (u & 7) === 0 ? ${sh}[u >> 3] : 0;` : nil);
    const general = js`t = (${L(s)} + ${off}) | 0; u = (t >>> 0) - ${BASE_LO};
if (${H(s)} === cH && ${H(s)} === ${G(s)} && u >= 0 && u <= cN - ${size}) { ${readInto(cV, js`u`, size, sx, ld, hd)}${fill(name('cS'))} }
else if (${H(s)} === dH && ${H(s)} === ${G(s)} && u >= 0 && u <= dN - ${size}) { ${readInto(name('dV'), js`u`, size, sx, ld, hd)}${fill(name('dS'))} }
else { ${ld} = X.ld(${H(s)}, ${G(s)}, t, ${size}, ${sx ? 1 : 0}, ${i}, ${op}, ${lf(x)}, d); ${hd} = X.ldhi; ${size === 8 ? js`${gd} = X.ldtag;` : js`if (X.ldset) ${gd} = X.ldtag;`} ${REFILL} }`;
    const rw = x.ctxRw && !sx ? x.prog.ctx?.load(off, size) : undefined;
    if (rw === undefined) return general;
    return js`if (${ctxBase(s)}) { ${ctxLoad(x, rw, ld, hd, gd)} }
else { ${general} }`;
  }
  if (isAtomic(op)) {
    const regs = [...new Set([0, d, s])];
    const sp = joinCode(regs.map((r) => js`RL[${r}] = ${L(r)}; RH[${r}] = ${H(r)}; RT[${r}] = ${G(r)};`), js` `);
    const rl = joinCode(regs.map((r) => js`${L(r)} = RL[${r}]; ${H(r)} = RH[${r}]; ${G(r)} = RT[${r}];`), js` `);
    // (JitRun.atomic changes no region: the cache stays.)
    const slowAtomic = js`${sp} X.atomic(${op}, ${d}, ${s}, ${off}, ${imm}, ${i}, ${lf(x)}, d); ${rl}`;
    const inline = inlineAtomic(x, i);
    if (inline === null) return slowAtomic;
    return js`t = (${L(d)} + ${off}) | 0; u = (t >>> 0) - ${BASE_LO};
if (${H(d)} === cH && ${H(d)} === ${G(d)} && cW && cS === null && u >= 0 && u <= cN - ${size}) { ${inline(name('cV'))} }
else if (${H(d)} === dH && ${H(d)} === ${G(d)} && dW && dS === null && u >= 0 && u <= dN - ${size}) { ${inline(name('dV'))} }
else { ${slowAtomic} }`;
  }
  const vl: Code | Name = cls === Class.ST ? lit(imm) : L(s);
  const vh: Code | Name = cls === Class.ST ? lit(imm >> 31) : H(s);
  const vg: Code | Name = cls === Class.ST ? lit(0) : G(s);
  // (Through an alias only when the ctx rewrite does not cover the store: stack-reach.ts counts
  // such a store as going through JitRun.st.)
  const o = d === 10 || ctxStoreRewrite(x.prog, i) === undefined ? frameOffset(x.sh, x.facts, d, off, size) : -1;
  if (o >= 0) {
    if (o < x.reach.low) x.reach.low = o;
    // A 64-bit spill to an aligned slot records the value's provenance.
    // Storing a tag known to be 0 over a slot known to hold 0 changes nothing.
    const zero = cls === Class.ST || x.facts.reg[s] === 1;
    const spillTag = size === 8 && (o & 7) === 0 && !(zero && x.facts.slot[o >> 3] === 1) ? js` FS[${o >> 3}] = ${zero ? lit(0) : vg};` : nil;
    return js`${frameWords(o, size) ? writeWords(o >> 2, size, vl, vh) : writeFrom(FV, lit(o), size, vl, vh)}${spillTag}`;
  }
  const spillTag = (sh: Name): Code => (size === 8 ? js` if (${sh} !== null && (u & 7) === 0) ${sh}[u >> 3] = ${vg};` : nil);
  const general = js`t = (${L(d)} + ${off}) | 0; u = (t >>> 0) - ${BASE_LO};
if (${H(d)} === cH && ${H(d)} === ${G(d)} && cW && u >= 0 && u <= cN - ${size}) { ${writeFrom(cV, js`u`, size, vl, vh)}${spillTag(name('cS'))} }
else if (${H(d)} === dH && ${H(d)} === ${G(d)} && dW && u >= 0 && u <= dN - ${size}) { ${writeFrom(name('dV'), js`u`, size, vl, vh)}${spillTag(name('dS'))} }
else { X.st(${H(d)}, ${G(d)}, t, ${size}, ${vl}, ${vh}, ${vg}, ${i}, ${op}, ${lf(x)}, d); ${REFILL} }`;
  const rw = x.ctxRw ? ctxStoreRewrite(x.prog, i) : undefined;
  if (rw === undefined) return general;
  // Anything but the run's ctx goes through JitRun.st, which reports a frame-0 write (JitRun.lw).
  return js`if (${ctxBase(d)}) { ${x.helperParam(rw.set)}(XC, ${vl}, ${vh}); }
else { X.st(${H(d)}, ${G(d)}, (${L(d)} + ${off}) | 0, ${size}, ${vl}, ${vh}, ${vg}, ${i}, ${op}, ${lf(x)}, d); ${REFILL} }`;
}

/**
 * The inline form of an atomic add, or, and or xor (with or without FETCH) of 4 or 8 bytes, on
 * a cached region other than a stack frame (JitRun.atomic reports frame-0 writes for the stack
 * reach, stack-reach.ts): `u` is the offset in view `v`. The same as semantics.ts atomicRmw and
 * interpreter.ts atomicUntag (a fetch leaves a scalar in src). Null for the other atomics.
 */
function inlineAtomic(x: Ctx, i: number): ((v: Name) => Code) | null {
  const c = x.prog.code;
  const op = c.op[i];
  const s = c.src[i];
  const imm = c.imm[i];
  const size = accessBytes(op);
  if (size !== 4 && size !== 8) return null;
  const fetch = (imm & AtomicOp.FETCH) !== 0;
  const base = imm & ~AtomicOp.FETCH;
  if (base !== AtomicOp.ADD && base !== AtomicOp.OR && base !== AtomicOp.AND && base !== AtomicOp.XOR) return null;
  const sl = L(s);
  const sh = H(s);
  return (v) => {
    // t, w: the old low and high halves.
    const old = size === 8 ? js`t = ${v}.getInt32(u, true); w = ${v}.getInt32(u + 4, true);` : js`t = ${v}.getInt32(u, true); w = 0;`;
    let lo: Code;
    let hi: Code;
    switch (base) {
      case AtomicOp.ADD:
        lo = js`(t + ${sl}) | 0`;
        hi = js`(w + ${sh} + (((t + ${sl}) | 0) >>> 0 < (t >>> 0) ? 1 : 0)) | 0`;
        break;
      case AtomicOp.OR:
        lo = js`t | ${sl}`;
        hi = js`w | ${sh}`;
        break;
      case AtomicOp.AND:
        lo = js`t & ${sl}`;
        hi = js`w & ${sh}`;
        break;
      default:
        lo = js`t ^ ${sl}`;
        hi = js`w ^ ${sh}`;
    }
    const store = size === 8 ? js`${v}.setInt32(u + 4, ${hi}, true); ${v}.setInt32(u, ${lo}, true);` : js`${v}.setInt32(u, ${lo}, true);`;
    const out = fetch ? js` ${sl} = t; ${sh} = w; ${G(s)} = 0;` : nil;
    return js`${old} ${store}${out}`;
  };
}

// ---------------------------------------------------------------------------------- ctx rewriting

/**
 * Register r holds exactly the run's ctx pointer (its region, its provenance, offset 0): a
 * constant-offset access through it is the access at that offset, which the program type's
 * rewrite table compiled once (the kernel's convert_ctx_accesses, which rewrites by the
 * verifier's knowledge that the base is PTR_TO_CTX; the VM checks it at run time instead, so
 * unverified programs keep the general path's semantics).
 */
function ctxBase(r: number): Code {
  return js`${H(r)} === XH && ${G(r)} === XH && ${L(r)} === ${BASE_LO}`;
}

/** The direct read of a rewritten ctx load (memory.ts CtxLoad) into (ld, hd) and tag gd. */
function ctxLoad(x: Ctx, rw: CtxLoad, ld: Name, hd: Name, gd: Name): Code {
  switch (rw.kind) {
    case 'scalar':
      return js`${ld} = ${x.helperParam(rw.get)}(XC) | 0; ${hd} = 0; ${gd} = 0;`;
    case 'scalar64':
      return js`${x.helperParam(rw.get)}(XC, S); ${ld} = S[0]; ${hd} = S[1]; ${gd} = 0;`;
    default:
      // A pointer also becomes the region cache: the program's next access through it (the
      // packet bounds check, then the headers) is inline instead of a JitRun.ld miss.
      return js`XR = ${x.helperParam(rw.region)}(XC);
if (XR === undefined) { ${ld} = 0; ${hd} = 0; ${gd} = 0; }
else { ${hd} = XR.hi; ${ld} = (${BASE_LO} + ${x.helperParam(rw.offset)}(XC)) | 0; ${gd} = ${hd}; ${SHIFT} cH = ${hd}; cV = XR.view; cN = XR.bytes.length; cW = XR.writable; cS = XR.shadow ?? null; }`;
  }
}

/** Whether some instruction in [start, end) is a ctx load or store the program's table rewrites. */
function hasCtxRewrite(prog: LinkedProgram, sh: Shape, start: number, end: number): boolean {
  const t = prog.ctx;
  if (t === undefined) return false;
  const c = prog.code;
  for (let i = start; i < end && i < sh.n; i++) {
    const op = c.op[i];
    if (op === Op.LDDW) {
      i++;
      continue;
    }
    const size = accessBytes(op);
    if (opClass(op) === Class.LDX && opMode(op) === Mode.MEM && c.src[i] !== 10 && t.load(c.off[i], size) !== undefined) return true;
    if (ctxStoreRewrite(prog, i) !== undefined) return true;
  }
  return false;
}

/** One instruction (not the block-ending control instruction). */
function emitInsn(x: Ctx, i: number): Code {
  const op = x.prog.code.op[i];
  if (!KNOWN.has(op)) return throwFault(x, F.UNKNOWN_OPCODE, i, op);
  switch (opClass(op)) {
    case Class.ALU:
    case Class.ALU64:
      return emitAlu(x, i);
    case Class.JMP:
    case Class.JMP32:
      return emitJmp(x, i);
    default:
      return emitLdSt(x, i);
  }
}

function comment(opts: CompileOptions, i: number, op: number): Code {
  if (!opts.lines) return nil;
  const mn = OP_NAMES.get(op);
  return mn === undefined ? js`// insn ${i}` : js`// insn ${i} ${name(mn)}`;
}

// ---------------------------------------------------------------------------------- functions


/** The blocks reachable from `entry` without entering calls, in pc order. */
function blocksFrom(prog: LinkedProgram, sh: Shape, entry: number): Block[] {
  const seen = new Map<number, Block>();
  const work = [entry];
  while (work.length) {
    const pc = work.pop() as number;
    if (seen.has(pc)) continue;
    const b = blockAt(prog, sh, pc);
    seen.set(pc, b);
    for (const s of b.succ) if (!seen.has(s)) work.push(s);
  }
  const list = [...seen.values()].sort((a, b) => a.start - b.start);
  // The entry block gets id 0: move it first, keep the rest in pc order.
  const k = list.findIndex((b) => b.start === entry);
  const [e] = list.splice(k, 1);
  return [e, ...list];
}

/**
 * A function of more instructions than this is compiled as chunks: V8 optimizes no function of
 * more than 60 KiB of bytecode (its max_optimized_bytecode_size; the generated code takes about
 * 130 bytes per instruction), and unoptimized, a 1,571-instruction program ran 3× slower than
 * the interpreter. Each chunk (consecutive blocks of at most CHUNK_INSNS instructions) is its
 * own function with the registers in its locals; a jump into another chunk spills them to the
 * RegisterFile and returns the target block's id to the entry function, which calls that
 * block's chunk. The region cache restarts on the own frame in each chunk.
 */
export const CHUNK_INSNS = 256;

/**
 * A block's share of a chunk: 2 per instruction, 3 for a load, store or atomic not through r10,
 * whose code (the two-entry region cache and its refill) is about twice that of the others, so
 * that a chunk of such accesses stays within V8's bytecode limit too (a 256-instruction chunk of
 * test_cls_redirect compiles to 41-54 KB of bytecode).
 */
function chunkWeight(prog: LinkedProgram, sh: Shape, b: Block): number {
  const c = prog.code;
  let w = 2 * b.count;
  for (let i = b.start; i < b.end && i < sh.n; i++) {
    const op = c.op[i];
    if (op === Op.LDDW) {
      i++;
      continue;
    }
    const cls = opClass(op);
    const base = cls === Class.LDX ? c.src[i] : c.dst[i];
    if ((cls === Class.LDX || cls === Class.ST || cls === Class.STX) && base !== 10) w++;
  }
  return w;
}

function emitEntry(prog: LinkedProgram, sh: Shape, entry: number, opts: CompileOptions, helperParam: (fn: unknown) => Name, reach: FrameReach, fresh?: { mask: number }): Code {
  const fn = name(`e${entry}`);
  if (entry >= sh.n) {
    return js`function ${fn}(X, d) { throw X.fault(${F.FELL_OFF}, ${Math.max(sh.n - 1, 0)}, ${sh.n > 0 ? prog.code.op[sh.n - 1] : 0}, 0, X.left); }`;
  }
  const blocks = blocksFrom(prog, sh, entry);
  const ids = new Map<number, number>();
  blocks.forEach((b, k) => ids.set(b.start, k));
  const limit = 2 * (opts.chunkInsns ?? CHUNK_INSNS);
  const weights = blocks.map((b) => chunkWeight(prog, sh, b));
  let total = 0;
  for (const w of weights) total += w;
  // Chunks: consecutive blocks (in id order) up to CHUNK_INSNS instructions each (weighted).
  const chunkOf: number[] = [];
  let nChunks = 1;
  if (total > limit) {
    let size = 0;
    nChunks = 0;
    blocks.forEach((_, k) => {
      if (nChunks === 0 || (size > 0 && size + weights[k] > limit)) {
        nChunks++;
        size = 0;
      }
      size += weights[k];
      chunkOf.push(nChunks - 1);
    });
  }
  const chunked = nChunks > 1;
  const facts = blockFacts(prog, sh, blocks);
  const bodies: Code[] = [];
  for (let ch = 0; ch < nChunks; ch++) {
    const mine = chunked ? blocks.filter((_, k) => chunkOf[k] === ch) : blocks;
    const own = chunked ? name(`e${entry}c${ch}`) : fn;
    bodies.push(emitBlocks(prog, sh, blocks, ids, mine, chunked ? chunkOf : null, ch, own, opts, helperParam, facts, reach, chunked ? undefined : fresh));
  }
  if (!chunked) return bodies[0];
  // Block id → its chunk's function; the entry function runs chunks until one leaves the function.
  const table = name(`K${entry}`);
  const fns = joinCode(chunkOf.map((ch) => name(`e${entry}c${ch}`)), js`, `);
  return js`${joinCode(bodies)}
const ${table} = [${fns}];
function ${fn}(X, d) {
${CHUNK_CACHE_START}
let b = 0;
do b = ${table}[b](X, d, b); while (b >= 0);
}`;
}

/** One JS function running `mine` (all blocks of an entry, or one chunk of them). */
function emitBlocks(
  prog: LinkedProgram,
  sh: Shape,
  blocks: Block[],
  ids: Map<number, number>,
  mine: Block[],
  chunkOf: number[] | null,
  chunk: number,
  fn: Name,
  opts: CompileOptions,
  helperParam: (fn: unknown) => Name,
  facts: Map<number, TagFacts>,
  reach: FrameReach,
  fresh?: { mask: number },
): Code {
  const slowId = blocks.length;
  const cases: Code[] = [];
  const used: boolean[] = new Array<boolean>(11).fill(false);
  for (const blk of mine) for (let i = blk.start; i < blk.end; i++) markUsed(prog, i, used);
  const ctxRw = mine.some((b) => hasCtxRewrite(prog, sh, b.start, b.end));
  const ret = chunkOf === null ? js`return` : js`return -1`;
  const x: Ctx = { prog, sh, ids, chunkOf, chunk, ret, counted: false, rest: 0, helperParam, used, facts: unknownFacts(), ctxRw, loop: -1, reach };
  const none = unknownFacts();
  mine.forEach((blk, m) => {
    const k = ids.get(blk.start) as number;
    assignFacts(x.facts, facts.get(blk.start) ?? none);
    // A block that jumps back to its own start (a one-block loop) is its own inner `for (;;)`:
    // the back edge is a plain `continue` instead of a pass through the block switch. The facts
    // at its start already include those of the back edge (blockFacts is a fixpoint).
    const self = blk.succ.includes(blk.start) && blk.succ.length > 0;
    x.loop = self ? blk.start : -1;
    const body: Code[] = [js`case ${k}:`];
    if (self) body.push(js`for (;;) {`);
    body.push(js`if ((left -= ${blk.count}) < 0) { left += ${blk.count}; sb = ${blk.start}; b = ${slowId}; continue D; }`);
    let i = blk.start;
    let seen = 0;
    let last = -1;
    while (i < blk.end) {
      const op = prog.code.op[i];
      seen++;
      x.rest = blk.count - seen;
      if (opts.lines) body.push(comment(opts, i, op));
      body.push(emitInsn(x, i));
      stepFacts(prog, sh, i, x.facts);
      last = i;
      i += op === Op.LDDW && i + 1 < sh.n ? 2 : 1;
    }
    if (self) body.push(js`break;
}`);
    x.loop = -1;
    // Fallthrough: only when the block does not end in an unconditional transfer.
    const lastOp = last >= 0 ? prog.code.op[last] : -1;
    const terminal = lastOp === Op.JA || lastOp === Op.JA32 || lastOp === Op.EXIT || !KNOWN.has(lastOp) || faultsAlways(prog, sh, last);
    if (!terminal) {
      x.rest = 0;
      if (blk.end >= sh.n) {
        body.push(js`throw X.fault(${F.FELL_OFF}, ${Math.max(sh.n - 1, 0)}, ${prog.code.op[sh.n - 1]}, 0, left);`);
      } else if (m + 1 < mine.length && mine[m + 1].start === blk.end) {
        // falls into the next case
      } else {
        body.push(goTo(x, last, lastOp, blk.end));
      }
    }
    cases.push(joinCode(body));
  });
  // the slow path faults, or returns after an LD_ABS hidden exit: then so does this function
  cases.push(js`case ${slowId}: ${spill(used, 0, 10)} X.slow(P, sb, d, left); ${ret};`);
  cases.push(js`default: throw X.bug();`);
  if (fresh !== undefined) for (let r = 0; r < 10; r++) if (used[r]) fresh.mask |= 1 << r;
  return js`function ${fn}(X, d${chunkOf === null ? (fresh === undefined ? nil : js`, f`) : js`, b`}) {
${prologue(used, ctxRw ? helperParam(prog.ctx) : null, chunkOf !== null, fresh !== undefined)}
let left = X.left;
D: for (;;) switch (b) {
${joinCode(cases)}
}
}`;
}

/** The rewrite of the store at i (a BPF_MEM store not through r10 the program's ctx table covers). */
function ctxStoreRewrite(prog: LinkedProgram, i: number): CtxStore | undefined {
  const c = prog.code;
  const op = c.op[i];
  const cls = opClass(op);
  if ((cls !== Class.ST && cls !== Class.STX) || opMode(op) !== Mode.MEM || c.dst[i] === 10 || prog.ctx === undefined) return undefined;
  return prog.ctx.store(c.off[i], accessBytes(op));
}

/** Instructions whose code is an unconditional throw (the block ends there). */
function faultsAlways(prog: LinkedProgram, sh: Shape, i: number): boolean {
  const c = prog.code;
  const op = c.op[i];
  if (!KNOWN.has(op)) return true;
  if (op === Op.CALL && c.src[i] === CallSrc.BPF_PSEUDO_CALL) {
    const t = i + 1 + c.imm[i];
    return t < 0 || t >= sh.n;
  }
  if (op === Op.CALL) {
    const s = c.src[i];
    if (s === CallSrc.HELPER) return prog.helpers[c.imm[i]] === undefined;
    if (s === CallSrc.BPF_PSEUDO_KFUNC_CALL) return c.imm[i] !== BPF_THROW_ID && prog.kfuncs?.get(c.imm[i]) === undefined;
    return true;
  }
  if (op === Op.JCOND) return c.src[i] !== JcondSrc.BPF_MAY_GOTO;
  return false;
}

/** The counted slow path of one block: each instruction checks the budget first. */
function emitSlow(prog: LinkedProgram, sh: Shape, start: number, helperParam: (fn: unknown) => Name): Code {
  const blk = blockAt(prog, sh, start);
  const used: boolean[] = new Array<boolean>(11).fill(true);
  // The counted slow path assumes nothing about tags (it may start mid-way through a block).
  const ctxRw = hasCtxRewrite(prog, sh, blk.start, blk.end);
  const x: Ctx = { prog, sh, ids: new Map(), chunkOf: null, chunk: 0, ret: js`return`, counted: true, rest: 0, helperParam, used, facts: unknownFacts(), ctxRw, loop: -1, reach: { low: STACK_SIZE } };
  const body: Code[] = [];
  let i = blk.start;
  let k = 0;
  while (i < blk.end) {
    const op = prog.code.op[i];
    k++;
    body.push(js`if (--left < 0) throw X.fault(${F.BUDGET}, ${i}, ${op}, 0, left);`);
    // The last instruction of the block is never reached here (left < count at entry).
    if (k < blk.count) body.push(emitInsn(x, i));
    i += op === Op.LDDW && i + 1 < sh.n ? 2 : 1;
  }
  return js`return function slow(X, d, left) {
${prologue(used, ctxRw ? helperParam(prog.ctx) : null)}
${joinCode(body)}
};`;
}

/** Factory parameters besides the helpers, in order. */
const BASE_PARAMS = ['S', 'mulhi', 'udiv32', 'umod32', 'sdiv32', 'smod32', 'udiv64', 'umod64', 'sdiv64', 'smod64', 'lsh64', 'rsh64', 'arsh64', 'bswap32', 'P'] as const;
const BASE_ARGS = [sem.R, sem.mulhiU32, sem.udiv32, sem.umod32, sem.sdiv32, sem.smod32, sem.udiv64, sem.umod64, sem.sdiv64, sem.smod64, sem.lsh64, sem.rsh64, sem.arsh64, sem.bswap32];

/** A JIT compilation failure: carries the generated source. */
export class JitCompileError extends BpfError {
  readonly source: string;
  constructor(message: string, source: string, cause: unknown) {
    super(ErrorCode.Jit, message, { cause });
    this.source = source;
  }
}

/** Helper parameter allocator: one `hpN` per distinct helper function. */
function helperParams(): { param: (fn: unknown) => Name; names: string[]; fns: unknown[] } {
  const names: string[] = [];
  const fns: unknown[] = [];
  const param = (fn: unknown): Name => {
    let k = fns.indexOf(fn);
    if (k < 0) {
      k = fns.length;
      fns.push(fn);
      names.push(`hp${k}`);
    }
    return name(`hp${k}`);
  };
  return { param, names, fns };
}

function instantiate(source: string, names: string[], fns: unknown[], unit: JitUnit): unknown {
  let factory: (...args: unknown[]) => unknown;
  try {
    factory = new Function(...BASE_PARAMS, ...names, source) as (...args: unknown[]) => unknown;
  } catch (e) {
    throw new JitCompileError(`jit: generated code does not parse: ${(e as Error).message}`, source, e);
  }
  return factory(...BASE_ARGS, unit, ...fns);
}

/**
 * Programs longer than this run under the interpreter: compile time and V8 code space grow with
 * the program (a 1,000,000-instruction program took about 20 s and 2 GB), so that JIT compile
 * stays bounded like everything else. Real tc programs are far below it.
 */
export const JIT_MAX_INSNS = 1 << 16;

/** The compiled form of one LinkedProgram (entry functions, slow paths, source). */
export class JitProgram implements JitUnit {
  source = '';
  /** The JIT does not handle this program (a register field > 10, or over JIT_MAX_INSNS): the interpreter runs it. */
  readonly fallback: boolean;
  /** The program is over JIT_MAX_INSNS instructions (so `fallback`). */
  readonly tooLong: boolean;
  private fns = new Map<number, EntryFn>();
  /** entry(0), the function a run starts in (rebuilt with the others when an entry is added). */
  main!: EntryFn;
  /**
   * Registers entry 0 initialises itself when a run starts in it (`main(X, 0, 1 + argument
   * count)`): each is 0 or its argument whatever the register file holds, so JitRun.begin need
   * not clear them (0 when entry 0 is chunked: its chunks read the register file).
   */
  freshRegs = 0;
  /** stack-reach.ts frame0Reach, with the direct frame stores of the functions built (build). */
  frame0Reach: number;
  readonly regReach: number;
  private slows = new Map<number, SlowFn>();
  private sh!: Shape;

  constructor(
    readonly prog: LinkedProgram,
    private readonly opts: CompileOptions = {},
  ) {
    this.tooLong = prog.code.length > JIT_MAX_INSNS;
    // (Before build: frame 0 may be written anywhere.)
    this.frame0Reach = 0;
    this.regReach = regReach(prog);
    if (this.tooLong) {
      this.fallback = true;
      return;
    }
    this.sh = analyse(prog, [], opts.dynamicFp === true);
    this.fallback = this.sh.badReg;
    if (!this.fallback) this.build();
  }

  private build(): void {
    const sh = this.sh;
    const hp = helperParams();
    const entries = [...sh.entries].sort((a, b) => a - b);
    const fresh = { mask: 0 };
    const reach: FrameReach = { low: STACK_SIZE };
    const fnCodes = entries.map((e) => emitEntry(this.prog, sh, e, this.opts, hp.param, reach, e === 0 ? fresh : undefined));
    this.freshRegs = fresh.mask;
    this.frame0Reach = frame0Reach(this.prog, reach.low);
    const list = joinCode(entries.map((e) => name(`e${e}`)), js`, `);
    const src = js`'use strict';
${joinCode(fnCodes)}
return [${list}];`;
    this.source = src.toString();
    const fns = instantiate(this.source, hp.names, hp.fns, this) as EntryFn[];
    const map = new Map<number, EntryFn>();
    entries.forEach((e, k) => map.set(e, fns[k]));
    this.fns = map;
    this.main = map.get(0) as EntryFn;
  }

  entry(pc: number): EntryFn {
    const f = this.fns.get(pc);
    if (f !== undefined) return f;
    if (this.fallback) throw new BpfError(ErrorCode.Jit, 'jit: this program runs under the interpreter only');
    // A callback target nobody could see statically: recompile with it as an entry.
    this.sh = analyse(this.prog, [...this.sh.entries, pc], this.opts.dynamicFp === true);
    this.slows.clear();
    this.build();
    return this.fns.get(pc) as EntryFn;
  }

  slow(pc: number): SlowFn {
    let f = this.slows.get(pc);
    if (f === undefined) {
      const hp = helperParams();
      const src = emitSlow(this.prog, this.sh, pc, hp.param).toString();
      f = instantiate(src, hp.names, hp.fns, this) as SlowFn;
      this.slows.set(pc, f);
    }
    return f;
  }
}
