/**
 * @fileoverview Stack-slot liveness per call chain (Linux 6.18's kernel/bpf/liveness.c; see
 * docs/verifier.md "Stack liveness").
 *
 * While paths are walked, every instruction records, per call chain (the call sites leading to
 * its subprogram) and per frame, the stack slots it may read (the union over its visits) and
 * the slots it always writes whole (the intersection over its visits). When a path ends, the
 * slots live before each instruction are solved over the subprogram's control-flow graph:
 *   live_before(i) = (union of live_before(successors) minus must_write(i)) plus may_read(i)
 * and what a subprogram reads or always writes in its callers' frames is handed to the call
 * instruction of the caller's chain. A saved state whose paths are all done is "cleaned" once,
 * the first time it is compared: its dead slots become invalid, so any value covers them.
 *
 * Masks are 64-bit (one bit per 8-byte slot, bit k = slot k, 512 + off >> 3) held as two int32
 * halves.
 */

/** Per instruction of an instance, per frame: 4 masks × 2 halves. */
const MAY_READ = 0;
const MUST_WRITE = 2;
const WRITE_ACC = 4;
const LIVE = 6;
const STRIDE = 8;

/** The marks of one subprogram reached by one call chain (struct func_instance). */
class Instance {
  /** Per frame 0..curframe, lazily: STRIDE ints per instruction of the subprogram. */
  readonly frames: (Int32Array | undefined)[];
  /** Whether must_write of an instruction was set by a visit yet. */
  readonly writeSet: Uint8Array;
  updated = false;
  writeDropped = false;

  constructor(
    readonly key: string,
    /** Call instruction of each outer frame, then the subprogram start. */
    readonly callsites: readonly number[],
    readonly start: number,
    readonly len: number,
  ) {
    this.frames = new Array(callsites.length).fill(undefined);
    this.writeSet = new Uint8Array(len);
  }

  get curframe(): number {
    return this.callsites.length - 1;
  }

  masks(frame: number): Int32Array {
    let m = this.frames[frame];
    if (m === undefined) {
      m = new Int32Array(this.len * STRIDE);
      this.frames[frame] = m;
    }
    return m;
  }
}

/** The frames of a state as the analysis needs them: each frame's subprogram start and call site. */
export interface ChainFrame {
  readonly subprog: number;
  readonly callsite: number;
}

export class StackLiveness {
  private readonly instances = new Map<string, Instance>();
  /** The instances of one-frame chains by subprogram start (also in instances). */
  private readonly mainChains = new Map<number, Instance>();
  private cur: Instance | undefined;
  /** Slots written whole by the current instruction, per frame (write_masks_acc). */
  private readonly wLo = new Int32Array(8);
  private readonly wHi = new Int32Array(8);
  /** Whether wLo/wHi hold any bit (most instructions write no stack slot: skip clearing them). */
  private wAny = false;
  private writeInsn = -1;

  /**
   * `subStart(i)` / `subEnd(i)`: the subprogram holding instruction i; `succ(i)` its successors
   * in the control-flow graph (a call falls through; an exit has none); `postorder(start)` the
   * subprogram's instructions in depth-first postorder; `callsCallback(i)` whether instruction i
   * calls a callback synchronously.
   */
  constructor(
    private readonly subStart: (i: number) => number,
    private readonly subLen: (start: number) => number,
    private readonly succ: (i: number) => readonly number[],
    private readonly postorder: (start: number) => readonly number[],
    private readonly callsCallback: (i: number) => boolean,
  ) {}

  private instance(frames: readonly ChainFrame[], depth: number): Instance {
    if (depth === 0) {
      // the main frame's chain is its subprogram alone: found without building a key
      const start = this.subStart(frames[0].subprog);
      return this.mainChains.get(start) ?? this.lookup([start], start);
    }
    const callsites: number[] = [];
    for (let f = 0; f < depth; f++) callsites.push(frames[f + 1].callsite);
    const start = this.subStart(frames[depth].subprog);
    callsites.push(start);
    return this.lookup(callsites, start);
  }

  /** The instance of the call chain `callsites` (its last entry the subprogram's start), made on first use. */
  private lookup(callsites: number[], start: number): Instance {
    const key = callsites.join(',');
    let inst = this.instances.get(key);
    if (inst === undefined) {
      inst = new Instance(key, callsites, start, this.subLen(start));
      this.instances.set(key, inst);
      if (callsites.length === 1) this.mainChains.set(start, inst);
    }
    return inst;
  }

  /** The current state's call chain changed (a call, a return, another path): look it up again. */
  resetChain(): void {
    this.cur = undefined;
  }

  private current(frames: readonly ChainFrame[]): Instance {
    if (this.cur === undefined) this.cur = this.instance(frames, frames.length - 1);
    return this.cur;
  }

  /** Instruction `insn` of the current path may read slots [k0, k1] of frame `frame` (bpf_mark_stack_read). */
  markRead(frames: readonly ChainFrame[], frame: number, insn: number, k0: number, k1: number): void {
    this.read(this.current(frames), frame, insn, rangeLo(k0, k1), rangeHi(k0, k1));
  }

  private read(inst: Instance, frame: number, insn: number, lo: number, hi: number): void {
    if ((lo | hi) === 0) return;
    const m = inst.masks(frame);
    const at = (insn - inst.start) * STRIDE;
    const nlo = m[at + MAY_READ] | lo;
    const nhi = m[at + MAY_READ + 1] | hi;
    if ((nlo !== m[at + MAY_READ] || nhi !== m[at + MAY_READ + 1]) && ((nlo | m[at + LIVE]) !== m[at + LIVE] || (nhi | m[at + LIVE + 1]) !== m[at + LIVE + 1])) inst.updated = true;
    m[at + MAY_READ] = nlo;
    m[at + MAY_READ + 1] = nhi;
  }

  /** Start recording the whole-slot writes of instruction `insn` (bpf_reset_stack_write_marks). */
  beginInsn(frames: readonly ChainFrame[], insn: number): void {
    this.current(frames);
    this.writeInsn = insn;
    this.clearWrites();
  }

  private clearWrites(): void {
    if (!this.wAny) return;
    this.wLo.fill(0);
    this.wHi.fill(0);
    this.wAny = false;
  }

  /** The current instruction writes slot `k` of frame `frame` whole (bpf_mark_stack_write). */
  markWrite(frame: number, k: number): void {
    this.wAny = true;
    if (k < 32) this.wLo[frame] |= 1 << k;
    else this.wHi[frame] |= 1 << (k - 32);
  }

  /**
   * The instruction ran to its end: merge its writes (bpf_commit_stack_write_marks). After a
   * call or a return the chain was reset and nothing is merged, as in the kernel.
   */
  commitInsn(): void {
    if (this.writeInsn < 0 || this.cur === undefined) return;
    this.commit(this.cur, this.writeInsn);
  }

  private commit(inst: Instance, insn: number): void {
    const idx = insn - inst.start;
    for (let f = 0; f <= inst.curframe; f++) {
      let lo = this.wLo[f];
      let hi = this.wHi[f];
      if ((lo | hi) === 0 && !inst.writeSet[idx]) continue;
      const m = inst.masks(f);
      const at = idx * STRIDE;
      const olo = m[at + MUST_WRITE];
      const ohi = m[at + MUST_WRITE + 1];
      if (inst.writeSet[idx]) {
        lo &= olo;
        hi &= ohi;
      }
      if (olo !== lo || ohi !== hi) {
        m[at + MUST_WRITE] = lo;
        m[at + MUST_WRITE + 1] = hi;
        inst.updated = true;
      }
      if ((olo & ~lo) | (ohi & ~hi)) inst.writeDropped = true;
    }
    inst.writeSet[idx] = 1;
    this.writeInsn = -1;
  }

  /**
   * A path left a subprogram or ended: solve the instances of its call chain, innermost first,
   * handing each callee's effect on its callers' frames to the call instruction
   * (bpf_update_live_stack).
   */
  update(frames: readonly ChainFrame[]): void {
    this.cur = undefined;
    for (let d = frames.length - 1; d >= 0; d--) {
      const inst = this.instance(frames, d);
      if (!inst.updated) continue;
      this.solve(inst);
      inst.updated = false;
      inst.writeDropped = false;
    }
  }

  private solve(inst: Instance): void {
    if (inst.writeDropped) {
      for (const m of inst.frames) if (m) for (let at = 0; at < m.length; at += STRIDE) m[at + WRITE_ACC] = m[at + WRITE_ACC + 1] = 0;
    }
    const g = this.flow(inst.start);
    let changed = true;
    while (changed) {
      changed = false;
      for (let f = 0; f <= inst.curframe; f++) {
        const m = inst.frames[f];
        if (m === undefined) continue;
        if (solvePass(m, g)) changed = true;
      }
    }
    if (inst.curframe > 0) this.toCaller(inst);
  }

  private readonly flows = new Map<number, Flow>();

  /** The subprogram at `start` as solve walks it: postorder, each instruction's successors. */
  private flow(start: number): Flow {
    let g = this.flows.get(start);
    if (g !== undefined) return g;
    const order = this.postorder(start);
    const at = new Int32Array(order.length);
    const offs = new Int32Array(order.length + 1);
    const succAt: number[] = [];
    for (let j = 0; j < order.length; j++) {
      at[j] = (order[j] - start) * STRIDE;
      offs[j] = succAt.length;
      for (const t of this.succ(order[j])) succAt.push((t - start) * STRIDE);
    }
    offs[order.length] = succAt.length;
    g = { at, offs, succAt: Int32Array.from(succAt) };
    this.flows.set(start, g);
    return g;
  }

  /** What the subprogram reads and always writes in outer frames happens at its call (propagate_to_outer_instance). */
  private toCaller(inst: Instance): void {
    const outerSites = inst.callsites.slice(0, inst.curframe);
    const callsite = outerSites[inst.curframe - 1];
    const outerStart = this.subStart(callsite);
    outerSites[inst.curframe - 1] = outerStart;
    const outer = this.lookup(outerSites, outerStart);
    this.writeInsn = callsite;
    this.clearWrites();
    this.wAny = true;
    const at = 0;
    for (let f = 0; f < inst.curframe; f++) {
      const m = inst.frames[f];
      if (m === undefined) continue;
      this.wLo[f] = m[at + WRITE_ACC];
      this.wHi[f] = m[at + WRITE_ACC + 1];
      this.read(outer, f, callsite, m[at + LIVE], m[at + LIVE + 1]);
    }
    this.commit(outer, callsite);
  }

  /**
   * The slots of frame `frame` that may still be read by a state at `insn` whose frames are
   * `frames` (bpf_stack_slot_alive, for every slot at once), into out[0] (slots 0-31) and out[1]
   * (32-63): live before the state's instruction in its innermost chain, or, for an outer
   * frame, live after the call site of the chain above it (before it, if the call site calls a
   * callback, which may run again).
   */
  aliveMask(frames: readonly ChainFrame[], insn: number, frame: number, out: Int32Array): void {
    const depth = frames.length - 1;
    const insts = this.query(frames);
    out[0] = out[1] = 0;
    this.liveBefore(insts[depth], insn, frame, out);
    for (let d = frame; d < depth; d++) {
      const callsite = frames[d + 1].callsite;
      this.liveBefore(insts[d], this.callsCallback(callsite) ? callsite : callsite + 1, frame, out);
    }
  }

  private qFrames: readonly ChainFrame[] | undefined;
  private qInsts: Instance[] = [];

  /** The instances of every depth of `frames`, kept for the queries about one state (bpf_live_stack_query_init). */
  private query(frames: readonly ChainFrame[]): Instance[] {
    if (frames !== this.qFrames) {
      this.qFrames = frames;
      this.qInsts = frames.map((_, d) => this.instance(frames, d));
    }
    return this.qInsts;
  }

  /** Add the slots of frame `frame` live before `insn` in `inst` to out[0], out[1]. */
  private liveBefore(inst: Instance, insn: number, frame: number, out: Int32Array): void {
    const m = inst.frames[frame];
    if (m === undefined) return;
    const at = (insn - inst.start) * STRIDE + LIVE;
    out[0] |= m[at];
    out[1] |= m[at + 1];
  }
}

/**
 * A subprogram's control flow for solve: its instructions in postorder (`at`: mask offset,
 * (insn - start) * STRIDE) and the mask offsets of each one's successors,
 * succAt[offs[j]..offs[j + 1]).
 */
interface Flow {
  readonly at: Int32Array;
  readonly offs: Int32Array;
  readonly succAt: Int32Array;
}

/**
 * One pass of the data-flow equations over the instructions of `g` in postorder, on the masks
 * `m` of one frame: live before = (live after minus must_write) plus may_read; written on every
 * path from here = (the intersection over the successors) plus must_write. An instruction without
 * successors (exit) keeps its masks. Whether anything changed.
 */
function solvePass(m: Int32Array, g: Flow): boolean {
  const { at: ats, offs, succAt } = g;
  let changed = false;
  for (let j = 0; j < ats.length; j++) {
    const s0 = offs[j];
    const s1 = offs[j + 1];
    if (s0 === s1) continue;
    const at = ats[j];
    let afterLo = 0;
    let afterHi = 0;
    let accLo = -1;
    let accHi = -1;
    for (let k = s0; k < s1; k++) {
      const b = succAt[k];
      afterLo |= m[b + LIVE];
      afterHi |= m[b + LIVE + 1];
      accLo &= m[b + WRITE_ACC];
      accHi &= m[b + WRITE_ACC + 1];
    }
    accLo |= m[at + MUST_WRITE];
    accHi |= m[at + MUST_WRITE + 1];
    const liveLo = (afterLo & ~m[at + MUST_WRITE]) | m[at + MAY_READ];
    const liveHi = (afterHi & ~m[at + MUST_WRITE + 1]) | m[at + MAY_READ + 1];
    if (liveLo !== m[at + LIVE] || liveHi !== m[at + LIVE + 1] || accLo !== m[at + WRITE_ACC] || accHi !== m[at + WRITE_ACC + 1]) changed = true;
    m[at + LIVE] = liveLo;
    m[at + LIVE + 1] = liveHi;
    m[at + WRITE_ACC] = accLo;
    m[at + WRITE_ACC + 1] = accHi;
  }
  return changed;
}

function rangeLo(k0: number, k1: number): number {
  let m = 0;
  for (let k = Math.max(k0, 0); k <= Math.min(k1, 31); k++) m |= 1 << k;
  return m;
}

function rangeHi(k0: number, k1: number): number {
  let m = 0;
  for (let k = Math.max(k0, 32); k <= Math.min(k1, 63); k++) m |= 1 << (k - 32);
  return m;
}
