/**
 * @fileoverview Verifier state: call frames (registers and stack), acquired references and the
 * spin lock (struct bpf_verifier_state / bpf_func_state).
 *
 * The stack is tracked per byte (STACK_INVALID / SPILL / MISC / ZERO, the kernel's slot_type),
 * with the spilled register of each 8-byte slot beside it (spilled_ptr).
 */
import type { InsnHistory } from './precision.js';
import { RT, Reg, pointer } from './reg.js';

export const enum Slot {
  INVALID = 0,
  SPILL = 1,
  MISC = 2,
  ZERO = 3,
}

export const STACK_BYTES = 512;
export const SLOTS = STACK_BYTES / 8;

/** Whether all eight bytes of stack slot `k` are STACK_INVALID (never written, or cleaned). */
export function isInvalidSlot(slots: readonly number[], k: number): boolean {
  return slots[k] === 0;
}

/**
 * For the tests: freeze every register a clone shares, so that an in-place change of a shared
 * register (a missing mutReg) throws instead of silently changing another state.
 */
export const SHARED_CHECK = { on: false };

/**
 * `r`, about to be placed in a second register or stack slot: registers are never changed in
 * place once shared (Frame.clone), so a move, spill or fill can share one instead of copying it.
 */
export function share(r: Reg): Reg {
  if (SHARED_CHECK.on) Object.freeze(r);
  return r;
}

/**
 * The uninitialised register (NOT_INIT): one instance for every frame and state, as registers
 * are never changed in place once shared (Frame.clone) and nothing selects an uninitialised one
 * for a change (its ids, reference and flags are zero).
 */
export const UNINIT = new Reg();

/** The dynptr arrays of a frame that has none (shared: ownDyn copies before a write). */
const NO_PKT_DYN = new Uint8Array(SLOTS);
const NO_REF_DYN = new Int32Array(SLOTS);
const NO_ITER = new Int32Array(SLOTS);

/**
 * An open-coded iterator's state on its stack slots (the kernel's iter.state and iter.depth in
 * the STACK_ITER slots' spilled_ptr): `iterInfo` = depth << 2 | kind << 1 | drained.
 */
export const ITER_DRAINED = 1;
export const ITER_BITS = 2;

export class Frame {
  regs: Reg[];
  /**
   * The slot type of each byte, eight 2-bit fields per 8-byte slot (byte 512 + off is field
   * (512 + off) & 7 of slot (512 + off) >> 3; read with byte, written with setByte). A plain
   * array of 64 small integers: a copy (own) is 512 bytes, not the 4 KB of one number per byte,
   * and V8 would keep a typed array's storage off the heap, which makes each copy costly.
   */
  slots: number[];
  /** spilled register per 8-byte slot; index = (512 + off) >> 3 */
  spilled: (Reg | undefined)[];
  /** Instruction of the call that created this frame (-1 for the main frame). */
  callsite: number;
  /** First instruction of the subprogram. */
  subprog: number;
  frameno: number;
  /** Callback frame: where to return and what to do then. */
  callback?: CallbackInfo;
  /**
   * 1 on the first slot of a 16-byte dynptr made by bpf_dynptr_from_skb/xdp (the kernel keeps the
   * dynptr's type in the slot's spilled_ptr): slices of it point into the packet.
   */
  pktDyn: Uint8Array;
  /**
   * The reference id of a referenced dynptr (bpf_ringbuf_reserve_dynptr) on each of its two
   * slots, 0 elsewhere: such slots may not be overwritten before the dynptr is submitted or
   * discarded (the kernel's ref_obj_id on STACK_DYNPTR slots).
   */
  refDyn: Int32Array;
  /**
   * Open-coded iterators (bpf_iter_num, bpf_iter_bits; the kernel's STACK_ITER slots): the
   * reference id on an iterator's first slot, -1 on its further slots, 0 elsewhere. Their bytes
   * are MISC: nothing else reads them as iterator slots.
   */
  iterRef: Int32Array;
  /** Per iterator slot: depth << 2 | ITER_BITS for a bits iterator | ITER_DRAINED. */
  iterInfo: Int32Array;
  /** Lowest slot ever written (64: none); every slot below it is invalid and holds no spilled register (the kernel's allocated_stack). */
  minSlot: number;
  /**
   * Callback iterations this frame has queued since it last went past its callback-calling
   * helper (the kernel's callback_depth): bpf_loop stops queueing at its bound, and a saved
   * state covers only states at least as deep in the iteration (func_states_equal).
   */
  callbackDepth = 0;
  /**
   * Precision marks of a saved state (the kernel's `precise` on each bpf_reg_state): registers
   * r0-r9 (bit r), spilled registers of slots 0-31 and 32-63. Kept per frame, not on the shared
   * registers, so that marking a saved state changes no register another state holds (the
   * current state's marks are always clear).
   */
  precRegs = 0;
  precLo = 0;
  precHi = 0;

  /** A new frame, or with `from` a clone of it (see clone). */
  constructor(frameno: number, callsite: number, subprog: number, from?: Frame) {
    this.callsite = callsite;
    this.subprog = subprog;
    this.frameno = frameno;
    if (from !== undefined) {
      if (SHARED_CHECK.on) {
        for (const r of from.regs) Object.freeze(r);
        for (const r of from.spilled) if (r) Object.freeze(r);
      }
      this.regs = from.regs.slice();
      // spilled registers are shared even when owned (State.updateRegs copies one before changing it)
      this.slots = from.slots;
      this.spilled = from.spilled;
      this.pktDyn = from.pktDyn;
      this.refDyn = from.refDyn;
      this.iterRef = from.iterRef;
      this.iterInfo = from.iterInfo;
      this.typesShared = this.spillShared = this.dynShared = true;
      from.typesShared = from.spillShared = from.dynShared = true;
      this.minSlot = from.minSlot;
      this.callback = from.callback;
      this.callbackDepth = from.callbackDepth;
      this.precRegs = from.precRegs;
      this.precLo = from.precLo;
      this.precHi = from.precHi;
      return;
    }
    this.regs = [];
    for (let i = 0; i < 11; i++) this.regs.push(UNINIT);
    const fp = pointer(RT.STACK);
    fp.frame = frameno;
    this.regs[10] = fp;
    this.slots = new Array<number>(SLOTS).fill(0);
    this.spilled = new Array(SLOTS).fill(undefined);
    this.pktDyn = NO_PKT_DYN;
    this.refDyn = NO_REF_DYN;
    this.iterRef = NO_ITER;
    this.iterInfo = NO_ITER;
    this.dynShared = true;
    this.minSlot = SLOTS;
  }

  /** The slot type of stack byte `b` (512 + off). */
  byte(b: number): Slot {
    return (this.slots[b >> 3] >> ((b & 7) << 1)) & 3;
  }

  /** Set the slot type of byte `b` (the slots must be this frame's own: ownTypes). */
  setByte(b: number, t: Slot): void {
    const sh = (b & 7) << 1;
    this.slots[b >> 3] = (this.slots[b >> 3] & ~(3 << sh)) | (t << sh);
  }

  /** Whether register r is marked precise. */
  preciseReg(r: number): boolean {
    return ((this.precRegs >>> r) & 1) === 1;
  }

  /** Whether the register spilled in slot k is marked precise. */
  preciseSlot(k: number): boolean {
    return ((k < 32 ? this.precLo >>> k : this.precHi >>> (k - 32)) & 1) === 1;
  }

  markPreciseReg(r: number): void {
    this.precRegs |= 1 << r;
  }

  markPreciseSlot(k: number): void {
    if (k < 32) this.precLo |= 1 << k;
    else this.precHi |= 1 << (k - 32);
  }

  /** Byte `b` (512 + off) is about to be written. */
  touch(b: number): void {
    if (b >> 3 < this.minSlot) this.minSlot = b >> 3;
  }

  /**
   * The stack arrays may be shared with a clone: both sides copy them before their first change.
   * Most saved states are never changed again, so most clones never copy their stack. Slot types
   * and spilled registers are owned together (own), spilled registers alone (ownSpilled: the
   * precision marks of saved states) and the dynptr arrays apart (ownDyn: rarely non-zero).
   */
  typesShared = false;
  spillShared = false;
  dynShared = false;

  /**
   * Register `r`, copied into this frame to be changed in place (it may be shared with other
   * states, see clone).
   */
  mutReg(r: number): Reg {
    const c = this.regs[r].clone();
    this.regs[r] = c;
    return c;
  }

  /** Make the slot types and spilled registers this frame's own before changing them. */
  own(): void {
    this.ownTypes();
    this.ownSpilled();
  }

  /** Make the slot types this frame's own before changing them. */
  ownTypes(): void {
    if (!this.typesShared) return;
    this.slots = this.slots.slice();
    this.typesShared = false;
  }

  /** Make the spilled-register array this frame's own before changing it. */
  ownSpilled(): void {
    if (!this.spillShared) return;
    this.spilled = this.spilled.slice();
    this.spillShared = false;
  }

  /** Make pktDyn, refDyn and the iterator arrays this frame's own before changing them. */
  ownDyn(): void {
    if (!this.dynShared) return;
    this.pktDyn = this.pktDyn.slice();
    this.refDyn = this.refDyn.slice();
    this.iterRef = this.iterRef.slice();
    this.iterInfo = this.iterInfo.slice();
    this.dynShared = false;
  }

  clone(): Frame {
    // Registers are shared with the clone: a register in a frame is never changed in place once
    // another state may hold it. Code that changes one copies it first (mutReg, updateRegs, the
    // precision marks), so a clone costs an array of 11 references, and most registers of a
    // saved or queued state are never copied at all. Made by the constructor, so that clones
    // have the same shape as new frames, with every field in the object (an Object.create
    // copy keeps only four there and the rest in a separate, growing array).
    return new Frame(this.frameno, this.callsite, this.subprog, this);
  }
}

/** A callback invocation (bpf_loop, for_each_map_elem, timer): what r0 must be, how to return. */
export interface CallbackInfo {
  /** Helper id that calls the callback. */
  readonly helper: number;
  /** Accepted return range [min, max]. */
  readonly retMin: bigint;
  readonly retMax: bigint;
  /** Asynchronous (timer): verified on its own, nothing flows back to the caller. */
  readonly async: boolean;
}

export interface RefState {
  readonly id: number;
  readonly insn: number;
  readonly kind: 'sock' | 'ringbuf' | 'iter';
}

export class State {
  frames: Frame[];
  /** Never changed in place, only replaced: clones share it. */
  refs: readonly RefState[];
  /** Active spin lock: id of the map value pointer holding it (0 = none). */
  lockId: number;
  lockMap: number;
  /** may_goto nesting on this path (kernel: may_goto_depth). */
  mayGoto: number;
  /** Synchronous callback visits queued on this path (callback_unroll_depth): the infinite loop check compares it. */
  cbUnroll: number;
  /** bpf_preempt_disable calls not yet matched by bpf_preempt_enable (active_preempt_locks). */
  preempt: number;
  /** Inside bpf_rcu_read_lock / bpf_rcu_read_unlock (active_rcu_lock; 6.18 does not nest them). */
  rcu: boolean;
  /**
   * This state's part of the walk's instruction history (precision.ts InsnHistory): the entries
   * recorded since its last checkpoint (push_insn_history: jump points, spills and fills,
   * branches on stack pointers or linked scalars); past 40 a checkpoint is forced
   * (is_state_visited).
   */
  histStart: number;
  histEnd: number;
  /**
   * A saved state's own copy of its part of the history (scc.ts), where the walk's shared
   * history would be overwritten by later paths before the state is walked back through.
   */
  hist?: InsnHistory;
  /** First instruction since the last checkpoint, and the instruction before the current one. */
  first: number;
  last: number;

  /** A new state, or with `from` a clone of it with these frames (see clone). */
  constructor(frames: Frame[], from?: State) {
    this.frames = frames;
    if (from !== undefined) {
      this.refs = from.refs;
      this.lockId = from.lockId;
      this.lockMap = from.lockMap;
      this.mayGoto = from.mayGoto;
      this.cbUnroll = from.cbUnroll;
      this.preempt = from.preempt;
      this.rcu = from.rcu;
      this.histStart = from.histStart;
      this.histEnd = from.histEnd;
      this.first = from.first;
      this.last = from.last;
      return;
    }
    this.refs = [];
    this.lockId = 0;
    this.lockMap = -1;
    this.mayGoto = 0;
    this.cbUnroll = 0;
    this.preempt = 0;
    this.rcu = false;
    this.histStart = 0;
    this.histEnd = 0;
    this.first = 0;
    this.last = -1;
  }

  get cur(): Frame {
    return this.frames[this.frames.length - 1];
  }

  clone(): State {
    const frames = new Array<Frame>(this.frames.length);
    for (let k = 0; k < frames.length; k++) frames[k] = this.frames[k].clone();
    return new State(frames, this);
  }

  /**
   * Change every register and spilled register of every frame that `match` selects
   * (bpf_for_each_reg_in_vstate). Registers and spilled registers are shared between the states
   * cloned from one another, so a selected one is copied into this state before `change` sees it.
   */
  updateRegs<T>(match: (r: Reg, arg: T) => boolean, change: (r: Reg, arg: T) => void, arg: T): void;
  updateRegs(match: (r: Reg) => boolean, change: (r: Reg) => void): void;
  /** `arg` is passed on to match and change (a hot caller then needs no closures). */
  updateRegs<T>(match: (r: Reg, arg?: T) => boolean, change: (r: Reg, arg?: T) => void, arg?: T): void {
    for (const f of this.frames) {
      for (let i = 0; i < 11; i++) {
        if (match(f.regs[i], arg)) change(f.mutReg(i), arg);
      }
      // below minSlot no register is spilled
      for (let k = f.minSlot; k < SLOTS; k++) {
        const r = f.spilled[k];
        if (r && f.byte(k * 8) === Slot.SPILL && match(r, arg)) {
          f.ownSpilled();
          const own = r.clone();
          f.spilled[k] = own;
          change(own, arg);
        }
      }
    }
  }
}
