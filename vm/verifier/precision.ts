/**
 * @fileoverview Scalar precision by backtracking (the kernel's __mark_chain_precision,
 * backtrack_insn and propagate_precision; see docs/verifier.md "Precision").
 *
 * States saved at prune points compare a scalar register or spilled scalar by value only when it
 * is marked precise. A scalar becomes precise when the verifier relies on its value (a branch
 * the bounds decide, pointer arithmetic, a size or constant argument, ...): the instructions of
 * the current path are walked backwards, through the path's saved states, to find every register
 * and stack slot that value came from, and each saved state on the way marks those it holds.
 * The walk needs to know where the path came from: every instruction reached other than by
 * falling through, and every spill or fill, is recorded in the path's instruction history
 * (push_insn_history), shared by the states of one depth-first walk.
 */
import { AluOp, AtomicOp, CallSrc, Class, JmpOp, MAX_CALL_DEPTH, Mode, Op, Source, opClass, opCode, opMode, opSource } from '../isa.js';
import type { DecodedProgram } from '../program.js';
import { SYNC_CALLBACK_HELPERS } from './cfg.js';
import { RT } from './reg.js';
import { Slot, type State } from './state.js';

/** History entry flags (the kernel's INSN_F_*): which stack slot a spill or fill used. */
export const HF_STACK_ACCESS = 1 << 9;
export const HF_SRC_REG_STACK = 1 << 10;
export const HF_DST_REG_STACK = 1 << 11;
/** Flags of a spill or fill of slot `slot` (0..63, 512 + off >> 3) in frame `frame`. */
export const stackAccessFlags = (frame: number, slot: number): number => HF_STACK_ACCESS | (frame << 6) | slot;

/** Registers r1-r5: arguments, clobbered by calls. */
const ARGS = 0x3e;

/**
 * The instruction history of the walk: for each entry, the instruction, the one before it on
 * the path, flags, and the linked scalars a branch refined together. A state owns the entries
 * [histStart, histEnd); a state taken from the work stack truncates what later paths wrote.
 */
export class InsnHistory {
  idx: Int32Array<ArrayBuffer>;
  prev: Int32Array<ArrayBuffer>;
  flags: Int32Array<ArrayBuffer>;
  constructor(size = 1024) {
    this.idx = new Int32Array(Math.max(1, size));
    this.prev = new Int32Array(Math.max(1, size));
    this.flags = new Int32Array(Math.max(1, size));
  }
  /** Linked scalars of a branch: frame << 8 | 0x80 | reg, or frame << 8 | slot. */
  linked: (readonly number[] | undefined)[] = [];

  /** Write entry `at` (the state's histEnd), growing the arrays as needed. */
  put(at: number, idx: number, prev: number, flags: number, linked: readonly number[] | undefined): void {
    if (at >= this.idx.length) {
      const grow = (a: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> => {
        const b = new Int32Array(a.length * 2);
        b.set(a);
        return b;
      };
      this.idx = grow(this.idx);
      this.prev = grow(this.prev);
      this.flags = grow(this.flags);
    }
    this.idx[at] = idx;
    this.prev[at] = prev;
    this.flags[at] = flags;
    this.linked[at] = linked;
  }
}

/** Registers and stack slots still to be made precise, per frame (struct backtrack_state). */
export class Backtrack {
  frame = 0;
  readonly regs = new Int32Array(MAX_CALL_DEPTH);
  /** Stack slots 0..31 and 32..63 of each frame. */
  readonly lo = new Int32Array(MAX_CALL_DEPTH);
  readonly hi = new Int32Array(MAX_CALL_DEPTH);

  reset(frame: number): void {
    this.frame = frame;
    this.regs.fill(0);
    this.lo.fill(0);
    this.hi.fill(0);
  }
  empty(): boolean {
    for (let f = 0; f <= this.frame; f++) if (this.regs[f] | this.lo[f] | this.hi[f]) return false;
    return true;
  }
  isReg(r: number, f = this.frame): boolean {
    return ((this.regs[f] >> r) & 1) === 1;
  }
  setReg(r: number, f = this.frame): void {
    this.regs[f] |= 1 << r;
  }
  clearReg(r: number, f = this.frame): void {
    this.regs[f] &= ~(1 << r);
  }
  isSlot(f: number, k: number): boolean {
    return (((k < 32 ? this.lo[f] : this.hi[f]) >>> (k & 31)) & 1) === 1;
  }
  setSlot(f: number, k: number): void {
    if (k < 32) this.lo[f] |= 1 << k;
    else this.hi[f] |= 1 << (k - 32);
  }
  clearSlot(f: number, k: number): void {
    if (k < 32) this.lo[f] &= ~(1 << k);
    else this.hi[f] &= ~(1 << (k - 32));
  }
  stackEmpty(f = this.frame): boolean {
    return (this.lo[f] | this.hi[f]) === 0;
  }
}

/** A saved state and the one saved before it on its path (the kernel's parent chain). */
export interface SavedLink {
  readonly st: State;
  readonly parent: SavedLink | null;
}

/**
 * Precision marking over one program's walk: `request` backtracks from the current state.
 */
export class Precision {
  readonly bt = new Backtrack();
  /**
   * The history being walked: the walk's shared one, or a saved state's own copy (a state kept
   * past the end of its path, whose part of the shared history later paths overwrite: scc.ts).
   */
  private h: InsnHistory;
  /** Precision marks set on saved states since the caller last reset it (propagate_backedges' changed). */
  marked = 0;

  /**
   * `log` receives the kernel's level-2 lines (mark_precise: ...), `insnText` formats an
   * instruction as the log does.
   */
  constructor(
    readonly p: DecodedProgram,
    readonly hist: InsnHistory,
    readonly log?: (line: string) => void,
    readonly insnText: (i: number) => string = String,
    /** Whether the subprogram starting at an instruction is a global function (verified apart). */
    readonly isGlobal: (start: number) => boolean = () => false,
  ) {
    this.h = hist;
  }

  /** The kernel's `regs=r1,r2 stack=-8,-16` of frame `f`. */
  masks(f: number): string {
    const bt = this.bt;
    const regs: string[] = [];
    for (let r = 0; r < 11; r++) if (bt.isReg(r, f)) regs.push(`r${r}`);
    const stack: number[] = [];
    for (let k = 63; k >= 0; k--) if (bt.isSlot(f, k)) stack.push((k - 64) * 8);
    return `regs=${regs.join(',')} stack=${stack.join(',')}`;
  }

  /**
   * Make the registers and slots set in `bt` precise in every saved state of the path
   * (__mark_chain_precision): `cur` is at instruction `insn`, not yet run, and `leaf` is the
   * last state saved on its path. The current state itself is never marked: only saved states
   * are compared.
   */
  backtrack(cur: State, insn: number, leaf: SavedLink | null): void {
    try {
      this.backtrackFrom(cur, insn, leaf);
    } finally {
      this.h = this.hist;
    }
  }

  private backtrackFrom(cur: State, insn: number, leaf: SavedLink | null): void {
    const bt = this.bt;
    const p = this.p;
    let h = (this.h = cur.hist ?? this.hist);
    if (bt.empty()) return;
    let st = cur;
    let last = insn;
    let first = st.first;
    let hStart = st.histStart;
    let hEnd = st.histEnd;
    let subseq = -1;
    let skipFirst = true;
    let link = leaf;
    for (;;) {
      this.log?.(`mark_precise: frame${bt.frame}: last_idx ${last} first_idx ${first} subseq_idx ${subseq} `);
      if (last < 0) return this.markAll(leaf);
      for (let i = last; ; ) {
        if (skipFirst) skipFirst = false;
        else {
          const e = hEnd > hStart && h.idx[hEnd - 1] === i ? hEnd - 1 : -1;
          if (!this.backtrackInsn(i, subseq, e)) return this.markAll(leaf);
        }
        if (bt.empty()) return;
        subseq = i;
        // get_prev_insn_idx: a history entry for i says where the path came from
        const cnt = hEnd - hStart;
        if (i === first && (cnt === 0 || (cnt === 1 && h.idx[hStart] === i))) break;
        if (cnt !== 0 && h.idx[hEnd - 1] === i) {
          hEnd--;
          i = h.prev[hEnd];
        } else i = i - 1;
        if (i < 0 || i >= p.length) return this.markAll(leaf);
      }
      if (!link) break;
      st = link.st;
      h = this.h = st.hist ?? this.hist;
      if (bt.frame >= st.frames.length) return this.markAll(leaf);
      for (let fr = bt.frame; fr >= 0; fr--) {
        this.marked += markFrame(bt, st, fr);
        this.log?.(`mark_precise: frame${fr}: parent state ${this.masks(fr)}: `);
      }
      if (bt.empty()) return;
      subseq = first;
      last = st.last;
      first = st.first;
      hStart = st.histStart;
      hEnd = st.histEnd;
      link = link.parent;
    }
    // something was not found on the path (e.g. a slot written through another pointer)
    if (!bt.empty()) this.markAll(leaf);
  }

  /**
   * What instruction `i` needs precise before it, given what is needed after it
   * (backtrack_insn). `subseq` is the instruction the path ran next, `e` the history entry of
   * `i` (or -1). False when the walk cannot follow: the caller marks everything precise.
   */
  backtrackInsn(i: number, subseq: number, e: number): boolean {
    const p = this.p;
    const bt = this.bt;
    const op = p.op[i];
    if (op === 0) return true; // second half of an LD_IMM64
    const cls = opClass(op);
    const code = opCode(op);
    const d = p.dst[i];
    const s = p.src[i];
    const x = opSource(op) === Source.X;
    const flags = e >= 0 ? this.h.flags[e] : 0;
    this.log?.(`mark_precise: frame${bt.frame}: ${this.masks(bt.frame)} before ${this.insnText(i)}`);
    this.syncLinked(e);
    if (cls === Class.ALU || cls === Class.ALU64) {
      if (!bt.isReg(d)) return true;
      if (code === AluOp.NEG || code === AluOp.END) return true;
      if (code === AluOp.MOV) {
        bt.clearReg(d);
        if (x && s !== 10) bt.setReg(s);
      } else if (x && s !== 10) bt.setReg(s);
    } else if (cls === Class.LDX || (cls === Class.STX && opMode(op) === Mode.ATOMIC && ((p.imm[i] & AtomicOp.FETCH) !== 0 || p.imm[i] === AtomicOp.LOAD_ACQ) && p.imm[i] !== AtomicOp.STORE_REL)) {
      // a load, a load-acquire, or an atomic that loads the old value (into src, or r0 for cmpxchg)
      const imm = p.imm[i];
      const load = cls === Class.LDX || imm === AtomicOp.LOAD_ACQ ? d : imm === AtomicOp.CMPXCHG ? 0 : s;
      if (!bt.isReg(load)) return true;
      bt.clearReg(load);
      // only a fill from the stack carries a value on; other memory gives an unknown scalar
      if (!(flags & HF_STACK_ACCESS)) return true;
      bt.setSlot((flags >> 6) & 7, flags & 63);
    } else if (cls === Class.STX || cls === Class.ST) {
      if (bt.isReg(d)) return false; // a scalar used as an address: pointer subtraction
      if (!(flags & HF_STACK_ACCESS)) return true;
      const fr = (flags >> 6) & 7;
      const k = flags & 63;
      if (!bt.isSlot(fr, k)) return true;
      bt.clearSlot(fr, k);
      if (cls === Class.STX) bt.setReg(s);
    } else if (cls === Class.JMP || cls === Class.JMP32) {
      if (op === Op.CALL && s === CallSrc.BPF_PSEUDO_CALL && this.isGlobal(i + p.imm[i] + 1)) {
        // a global function is not walked: it sets r0, and r1-r5 are dead after it
        if (bt.regs[bt.frame] & ARGS) return false;
        bt.clearReg(0);
        return true;
      }
      if (op === Op.CALL && s === CallSrc.BPF_PSEUDO_CALL) {
        // entering the subprogram backwards means leaving it: r1-r5 go to the caller
        if (bt.regs[bt.frame] & ~ARGS || !bt.stackEmpty()) return false;
        if (bt.frame === 0) return false;
        for (let r = 1; r <= 5; r++) {
          if (bt.isReg(r)) {
            bt.clearReg(r);
            bt.setReg(r, bt.frame - 1);
          }
        }
        bt.frame--;
        return true;
      }
      if (op === Op.CALL && s === CallSrc.HELPER && SYNC_CALLBACK_HELPERS.has(p.imm[i]) && i !== subseq - 1) {
        // the start of a callback, reached from the helper that called it: nothing it needs
        // comes from the helper's arguments
        if (bt.regs[bt.frame] & ~ARGS || !bt.stackEmpty()) return false;
        if (bt.frame === 0) return false;
        bt.regs[bt.frame] = 0;
        bt.frame--;
        return true;
      }
      if (op === Op.CALL) {
        if (s === CallSrc.BPF_PSEUDO_KFUNC_CALL && p.imm[i] === 0) return false;
        bt.clearReg(0);
        // arguments are clobbered by the call: whatever needed them was found after it
        if (bt.regs[bt.frame] & ARGS) return false;
        return true;
      }
      if (op === Op.EXIT) {
        // back into the subprogram (or callback) that returned here
        const fromCall = subseq - 1 >= 0 && p.op[subseq - 1] === Op.CALL && p.src[subseq - 1] === CallSrc.BPF_PSEUDO_CALL;
        const r0 = fromCall && bt.isReg(0);
        if (fromCall && bt.regs[bt.frame] & ARGS) return false;
        bt.clearReg(0);
        if (bt.frame === MAX_CALL_DEPTH - 1) return false;
        bt.frame++;
        bt.regs[bt.frame] = 0;
        bt.lo[bt.frame] = 0;
        bt.hi[bt.frame] = 0;
        if (r0) bt.setReg(0);
        return true;
      }
      if (x && code !== JmpOp.JA) {
        if (!bt.isReg(d) && !bt.isReg(s)) return true;
        // both sides of a register comparison (unless one is a stack pointer)
        if (!(flags & HF_SRC_REG_STACK)) bt.setReg(s);
        if (!(flags & HF_DST_REG_STACK)) bt.setReg(d);
      }
    } else if (cls === Class.LD) {
      const mode = opMode(op);
      if (mode === Mode.IMM) {
        bt.clearReg(d);
        return true;
      }
      if (mode === Mode.ABS || mode === Mode.IND) {
        if (bt.isReg(d)) return false;
        return true;
      }
    }
    this.syncLinked(e);
    return true;
  }

  /** If any of a branch's linked scalars is needed, all are (bt_sync_linked_regs). */
  syncLinked(e: number): void {
    if (e < 0) return;
    const list = this.h.linked[e];
    if (list === undefined) return;
    const bt = this.bt;
    let any = false;
    for (const v of list) {
      const f = v >> 8;
      if (v & 0x80 ? bt.isReg(v & 0x7f, f) : bt.isSlot(f, v & 63)) {
        any = true;
        break;
      }
    }
    if (!any) return;
    for (const v of list) {
      const f = v >> 8;
      if (v & 0x80) bt.setReg(v & 0x7f, f);
      else bt.setSlot(f, v & 63);
    }
  }

  /** The walk cannot follow: every scalar of every saved state on the path is precise (mark_all_scalars_precise). */
  markAll(leaf: SavedLink | null): void {
    this.log?.(`mark_precise: frame${this.bt.frame}: falling back to forcing all scalars precise`);
    for (let c = leaf; c; c = c.parent) {
      for (const f of c.st.frames) {
        for (let r = 0; r < 10; r++) {
          if (f.regs[r].t === RT.SCALAR && !f.preciseReg(r)) {
            f.markPreciseReg(r);
            this.marked++;
          }
        }
        for (let k = f.minSlot; k < 64; k++) {
          const g = f.spilled[k];
          if (g !== undefined && f.byte(k * 8) === Slot.SPILL && g.t === RT.SCALAR && !f.preciseSlot(k)) {
            f.markPreciseSlot(k);
            this.marked++;
          }
        }
      }
    }
    this.bt.reset(0);
  }
}

/**
 * Mark frame `fr` of saved state `st` as `bt` asks, dropping what is not a scalar or already
 * precise; returns how many marks were new.
 */
function markFrame(bt: Backtrack, st: State, fr: number): number {
  const f = st.frames[fr];
  let marked = 0;
  let m = bt.regs[fr];
  for (let r = 0; m !== 0; r++, m >>>= 1) {
    if (!(m & 1)) continue;
    const g = f.regs[r];
    if (g === undefined || g.t !== RT.SCALAR || f.preciseReg(r)) bt.clearReg(r, fr);
    else {
      f.markPreciseReg(r);
      marked++;
    }
  }
  if (bt.stackEmpty(fr)) return marked;
  for (let k = 0; k < 64; k++) {
    if (!bt.isSlot(fr, k)) continue;
    const g = f.spilled[k];
    if (g === undefined || f.byte(k * 8) !== Slot.SPILL || g.t !== RT.SCALAR || f.preciseSlot(k)) bt.clearSlot(fr, k);
    else {
      f.markPreciseSlot(k);
      marked++;
    }
  }
  return marked;
}
