/**
 * @fileoverview The path walk (the kernel's do_check): every path from the entry is followed with
 * abstract register and stack state, branches the bounds decide are not followed, states at prune
 * points are compared with earlier verified ones (is_state_visited / states_equal), and every
 * instruction is checked against its operands' types with the kernel's messages.
 */
import { checkSockAccess } from '../bpf-sock.js';
import { formatInsn } from '../disasm.js';
import { BPF_F_RDONLY_PROG, BPF_F_WRONLY_PROG, BPF_MAP_TYPE as MT, S64_MAX, S64_MIN, U64_MAX } from '../uapi.js';
import { VerifierError } from '../errors.js';
import { BPF_FUNC_MAX_ID, HELPER_IDS, HELPER_PROTOS, helperName, type ArgKind, type HelperProto } from '../helpers.js';
import { AluOp, AtomicOp, CallSrc, Class, JmpOp, MAX_CALL_DEPTH, Mode, Op, PseudoSrc, Source, opClass, opCode, opMode, opSource } from '../isa.js';
import { BPF_THROW_ID, KF, KFUNCS_BY_ID, makesPktDynptr, type KfuncRecord } from '../kfuncs.js';
import type { DecodedProgram } from '../program.js';
import { SYNC_CALLBACK_HELPERS, callDepth, controlFlow, isIterNextCall, jumpTarget, opcodes, subprograms, successors } from './cfg.js';
import { frameStr, padInsn, regStr, stateStr, typeName } from './log.js';
import { checkExceptionRules, hasThrowCall } from './exceptions.js';
import { OPCODE_TABLE, fieldError, isDivMod, isShift, shiftWidth, type OpcodeRow } from './opcodes.js';
import { mapStructName } from './map-structs.js';
import { StackLiveness } from './liveness.js';
import { copyHistory, loopComponents, visitOf, type SccVisit } from './scc.js';
import { HF_DST_REG_STACK, HF_SRC_REG_STACK, InsnHistory, Precision, stackAccessFlags } from './precision.js';
import { exactForWiden, noteMiss, quickFails, regsafeStates, type Miss } from './prune.js';
import { RT, Reg, clearScalarId, constScalar, sameBounds, isConst32, isPkt, markKnown, markKnown32, markUnbounded, pointer, unknownScalar } from './reg.js';
import { JNSET, coerce, coerceSx, flipCond, negateCond, refine, scalarAlu, scalarBranch, scalarEnd, scalarNeg, sync, zext32 } from './scalar.js';
import { Frame, ITER_BITS, ITER_DRAINED, Slot, State, UNINIT, isInvalidSlot, share, type CallbackInfo } from './state.js';
import { tAdd, tAddConstMaybeOnes32, tSub, tStr, tIsConst } from './tnum.js';
import type { GlobalFunc, MapDesc, ProgramTypeDesc, VerifierOptions, VerifierResult } from './types.js';

/** Size given to kfunc results whose bounds the runtime enforces (see kfuncResult). */
const UNBOUNDED_MEM = 1 << 29;
/** Ids of NULL-able kfunc results: one per call site, above any id the verifier hands out. */
const KFUNC_RESULT_ID = 1 << 30;

const BPF_MAX_VAR_OFF = 1n << 29n;
const BPF_MAX_VAR_SIZ = 1n << 29n;
const MAX_PACKET_OFF = 0xffffn;
/** Packet pointer ranges that say where it sits against pkt_end (the kernel's values). */
/** condJump's refined copies of an immediate operand, taken and fall-through side. */
const IMM_TAKEN = new Reg();
const IMM_FALL = new Reg();

const AT_PKT_END = -1;
const BEYOND_PKT_END = -2;

/** Default program type: no context fields, every helper with a prototype. */
const GENERIC_TYPE: ProgramTypeDesc = {
  name: 'generic',
  ctxAccess: () => undefined,
  helperAllowed: (id) => HELPER_PROTOS.has(id),
  allowLdAbs: true,
  packetWrite: true,
};

/** A checkpoint: a state verified (or being verified) from a prune point (bpf_verifier_state_list). */
interface Checkpoint extends Miss {
  readonly st: State;
  readonly insn: number;
  readonly parent: Checkpoint | null;
  /** Paths and child checkpoints still being explored below it (the kernel's branches). */
  pending: number;
  /** Its dead stack slots were made invalid (clean_verifier_state): done once, when first compared. */
  cleaned: boolean;
  /** Prune hits and misses (the kernel evicts states that keep missing). */
  hit: number;
  miss: number;
  /** Equal to the checker's visitStamp while this checkpoint is on the current path. */
  stamp: number;
  /** The loop visit it belongs to (scc.ts visitOf), if it is in a loop. */
  scc: SccVisit | undefined;
}

interface Pending {
  st: State;
  insn: number;
  prev: number;
  leaf: Checkpoint | null;
}

/** Thrown to end a path: one preallocated value, as a fresh Error would capture a stack each time. */
export class Checker {
  readonly p: DecodedProgram;
  readonly opts: VerifierOptions;
  readonly type: ProgramTypeDesc;
  readonly maps: readonly MapDesc[];
  readonly log: string[] = [];
  readonly logLevel: number;
  readonly helperAllowed: (id: number) => boolean;
  subs: number[] = [];
  subIndexOf: Int32Array = new Int32Array(0);
  stackDepth: number[] = [];
  prunePoints: Uint8Array = new Uint8Array(0);
  jmpPoints: Uint8Array = new Uint8Array(0);
  /** Saved states per instruction (the kernel's explored_states), oldest first. */
  explored: (Checkpoint[] | undefined)[];
  processed = 0;
  /** Jump-class instructions walked, and both counters when the last checkpoint was added. */
  jmps = 0;
  prevJmps = 0;
  prevInsns = 0;
  visitStamp = 0;
  totalStates = 0;
  idGen = 0;
  /** Current path. */
  st!: State;
  insn = 0;
  leaf: Checkpoint | null = null;
  work: Pending[] = [];
  /** ctx loads seen, as off * 16 + size (made into the result's `off:size` strings at the end). */
  ctxLoadKeys = new Set<number>();
  tailCallSubs = new Set<number>();
  /** Static liveness: registers read before written from each insn (bit per register). */
  live!: Uint16Array;
  /** The walk's instruction history, shared by the states of the current depth-first path. */
  readonly hist = new InsnHistory();
  /** Precision backtracking over that history and the saved states (precision.ts). */
  prec!: Precision;
  /** Stack-slot liveness per call chain (liveness.ts). */
  sl!: StackLiveness;
  /** Global functions by first instruction, those called, those verified on their own. */
  globals: ReadonlyMap<number, GlobalFunc> = new Map();
  readonly calledGlobals = new Set<number>();
  /** Callbacks scheduled to run later (bpf_timer_set_callback): roots of their own call chains. */
  readonly asyncRoots = new Set<number>();
  /** Reached calls of a kfunc left unresolved (imm 0: a __weak kfunc tcxlab lacks). */
  readonly unresolvedKfuncCalls = new Set<number>();
  readonly verifiedGlobals = new Set<number>();
  /** The exception callback's first instruction (-1: none), and the subprograms run as callbacks (is_cb). */
  excCb = -1;
  readonly cbSubs = new Set<number>();
  /** Per subprogram: it (or one it calls) may change packet data. */
  pktChanging: Uint8Array = new Uint8Array(0);
  /** The instruction being checked, and the one checked before it on this path. */
  atInsn = 0;
  prevInsn = -1;
  /**
   * The immediate of each ALU or jump instruction as a constant scalar, made on first use: the
   * operand is only read, and building one (a register, its tnum and bounds as bigints) on each
   * visit was a good part of the walk's allocations.
   */
  private immRegs: (Reg | undefined)[];
  /** Each instruction's opcode row, once its reserved fields passed (step). */
  private rows: (OpcodeRow | undefined)[] = [];

  constructor(p: DecodedProgram, opts: VerifierOptions) {
    this.p = p;
    this.opts = opts;
    this.type = opts.progType ?? GENERIC_TYPE;
    this.maps = opts.maps ?? [];
    this.logLevel = opts.logLevel ?? 0;
    const t = this.type;
    this.helperAllowed = opts.helperAllowed ?? ((id) => t.helperAllowed(id));
    // per-instruction tables written out of order: sized once, so that V8 keeps them arrays
    // (a write far past the end makes a dictionary of one)
    const n = p.op.length;
    this.explored = new Array(n);
    this.insnPtrType = new Array(n);
    this.immRegs = new Array(n);
  }

  // ---------- errors and log ----------

  insnText(i: number): string {
    const p = this.p;
    const op = i < p.length ? p.op[i] : 0;
    if (i < p.length && OPCODE_TABLE.has(op) && !(op === Op.LDDW && i + 1 >= p.length)) return `${i}: (${op.toString(16).padStart(2, '0')}) ${formatInsn(p, i)}`;
    return '';
  }

  readonly fail: (i: number, message: string) => never = (i: number, message: string): never => {
    const p = this.p;
    const op = i < p.length ? p.op[i] : 0;
    const lines = message.split('\n');
    let log: string[];
    if (this.logLevel > 0) {
      this.log.push(...lines);
      log = this.log.slice();
    } else {
      const t = this.insnText(i);
      log = t ? [t, ...lines] : lines;
    }
    const src = this.opts.lineInfo?.(i);
    // the error is the kernel's first error line; the lines after it (context) are in the log
    const e = new VerifierError(lines[0], i, op, log, src ? `${src.file}:${src.line}` : undefined);
    if (this.processed > 0) e.processed = this.processed;
    throw e;
  };

  mapInfo = (i: number) => this.maps[i];

  // ---------- entry ----------

  run(): VerifierResult {
    const p = this.p;
    if (p.length === 0) this.fail(0, 'program is empty');
    const max = this.opts.maxInsns ?? 1_000_000;
    if (p.length > max) this.fail(0, `program is too large (${p.length} insns, at most ${max})`);
    const allowed = this.opts.kfuncAllowed ?? (() => false);
    const refusal = this.opts.kfuncRefusal ?? ((id: number) => (allowed(id) ? undefined : `kernel btf_id ${id} is not a function`));
    this.subs = subprograms(p, this.fail, refusal, () => this.exceptionStart());
    opcodes(p, this.fail);
    const cfg = controlFlow(p, this.fail, this.excCb > 0 ? [this.excCb] : []);
    this.prunePoints = cfg.prune;
    this.jmpPoints = cfg.jmp;
    this.loops = loopComponents(
      p,
      (i) => successors(p, i),
      (i) => p.op[i] === Op.CALL && p.src[i] === CallSrc.HELPER && SYNC_CALLBACK_HELPERS.has(p.imm[i]),
    );
    this.subIndexOf = new Int32Array(p.length);
    for (let k = 0, s = 0; k < p.length; k++) {
      while (s + 1 < this.subs.length && this.subs[s + 1] <= k) s++;
      this.subIndexOf[k] = s;
    }
    this.stackDepth = this.subs.map(() => 0);
    // a subprogram that does not return a scalar may not use LD_ABS or tail calls (check_btf_func);
    // two scans, as the kernel reports a subprogram's LD_ABS before its tail call wherever they are
    for (let k = 1; k < this.subs.length; k++) {
      if (!this.opts.nonScalarReturns?.has(this.subs[k])) continue;
      const end = k + 1 < this.subs.length ? this.subs[k + 1] : p.length;
      for (let i = this.subs[k]; i < end; i++) {
        const mode = opMode(p.op[i]);
        if (opClass(p.op[i]) === Class.LD && (mode === Mode.ABS || mode === Mode.IND)) this.fail(i, "LD_ABS is only allowed in functions that return 'int'.");
      }
      for (let i = this.subs[k]; i < end; i++) {
        if (p.op[i] === Op.CALL && p.src[i] === CallSrc.HELPER && p.imm[i] === HELPER_IDS.bpf_tail_call) this.fail(i, "tail_call is only allowed in functions that return 'int'.");
      }
    }
    this.live = liveness(p);
    if (this.opts.globalFuncs) this.globals = this.opts.globalFuncs;
    this.prec = new Precision(p, this.hist, this.logLevel > 1 ? (l) => this.log.push(l) : undefined, (i) => this.insnText(i), (s) => this.globals.has(s));
    this.pktChanging = changesPacketData(p, this.subs, this.subIndexOf);
    this.sl = stackLiveness(p, this.subs, this.subIndexOf);
    const main = new Frame(0, -1, 0);
    main.regs[1] = pointer(RT.CTX);
    this.walkAll(new State([main]), 0);
    // then each global function the walk called, on its own, until no new one is called
    // (do_check_subprogs); the exception callback counts as called
    if (this.excCb > 0) this.calledGlobals.add(this.excCb);
    for (let again = true; again; ) {
      again = false;
      for (const start of this.subs) {
        if (!this.calledGlobals.has(start) || this.verifiedGlobals.has(start)) continue;
        this.verifiedGlobals.add(start);
        again = true;
        this.walkAll(this.globalEntry(start), start);
        if (this.logLevel > 0) this.log.push(`Func#${this.subIndexOf[start]} ('${this.globals.get(start)?.name ?? ''}') is safe for any args that match its prototype`);
      }
    }
    if (this.excCb > 0 || hasThrowCall(p)) {
      const async = new Set(this.asyncRoots);
      if (this.excCb > 0) async.add(this.excCb);
      checkExceptionRules(p, { subs: this.subs, callbacks: this.cbSubs, async, exceptionCb: this.excCb, tailCalls: this.tailCallSubs }, this.fail);
    }
    const frames = callDepth(p, this.subs, this.stackDepth, this.fail, this.tailCallSubs, this.asyncRoots);
    // dead code is removed, then the kfunc calls are fixed up in program order (do_misc_fixups)
    if (this.unresolvedKfuncCalls.size) this.fail(Math.min(...this.unresolvedKfuncCalls), 'invalid kernel function call not eliminated in verifier pass');
    if (this.logLevel > 0) this.log.push(`processed ${this.processed} insns (limit ${this.limit()}) max_states_per_insn 0 total_states ${this.totalStates} peak_states ${this.totalStates} mark_read 0`);
    return {
      subprogs: this.subs,
      maxCallFrames: frames,
      stackDepth: this.stackDepth,
      processed: this.processed,
      states: this.totalStates,
      log: this.log,
      ctxLoads: new Set([...this.ctxLoadKeys].map((k) => `${Math.floor(k / 16)}:${k & 15}`)),
    };
  }

  /**
   * The exception callback's start, checked as bpf_find_exception_callback_insn_off does (its
   * refusals come before any subprogram check); it becomes a subprogram and a callback.
   */
  exceptionStart(): number | undefined {
    const exc = this.opts.exceptionCallback;
    if (exc === undefined) return undefined;
    if (typeof exc !== 'number') return this.fail(0, exc.error);
    if (exc <= 0 || exc >= this.p.length) this.fail(0, `invalid exception callback insn_off in func_info: ${exc}`);
    this.excCb = exc;
    this.cbSubs.add(exc);
    return exc;
  }

  limit(): number {
    return this.opts.complexityLimit ?? 1_000_000;
  }

  walkAll(st: State, insn: number): void {
    this.work.push({ st, insn, prev: -1, leaf: null });
    while (this.work.length) {
      const w = this.work.pop()!;
      this.st = w.st;
      this.insn = w.insn;
      this.leaf = w.leaf;
      this.prevInsn = w.prev;
      this.stopped = false;
      this.sl.resetChain();
      if (this.logLevel > 0 && w.prev >= 0) this.log.push(`from ${w.prev} to ${w.insn}: ${stateStr(this.st, this.mapInfo)}`);
      else if (this.logLevel > 0) this.log.push(`${w.insn}: ${stateStr(this.st, this.mapInfo)}`);
      this.walkPath();
    }
  }

  /**
   * The current path ended (endPath): the walk loop stops at the end of the instruction. A flag,
   * not an exception: paths end thousands of times per verify, and unwinding was a few percent
   * of it; every caller of endPath returns straight after it.
   */
  stopped = false;

  /**
   * The path ended (exit or pruned): release the checkpoints that were waiting for it
   * (update_branch_counts). The caller returns at once, and so does the walk loop (stopped).
   */
  endPath(): void {
    // the path's reads and writes are final: solve the liveness of its call chain
    this.sl.update(this.st.frames);
    let c = this.leaf;
    while (c) {
      c.pending--;
      if (c.pending > 0) break;
      // every path from the first saved state of a loop visit is done (maybe_exit_scc)
      if (c.scc !== undefined && c.scc.entry === c) this.exitLoop(c.scc);
      c = c.parent;
    }
    this.stopped = true;
  }

  /** The instruction's loop component (scc.ts loopComponents), 0 outside loops. */
  loops: Int32Array = new Int32Array(0);
  /** The loop visits, by call chain (env->scc_info). */
  readonly visits = new Map<string, SccVisit>();

  /**
   * A loop visit is done: replay its backedges, each taking the precision of the state it
   * converged on, until no new mark is set (propagate_backedges); past 64 rounds, every scalar
   * of their saved states is made precise.
   */
  exitLoop(v: SccVisit): void {
    v.entry = null;
    for (let round = 0; v.backedges.length; round++) {
      if (round > 64) {
        for (const b of v.backedges) this.prec.markAll(b.leaf);
        break;
      }
      this.prec.marked = 0;
      for (const b of v.backedges) this.propagatePrecision(b.equal.st, b.insn, b.st, b.leaf as Checkpoint | null);
      if (this.prec.marked === 0) break;
    }
    v.backedges = [];
  }

  /**
   * The current state converged on the saved `cp` of a loop whose walk is not finished: keep a
   * copy, with its own history, to replay when the loop visit is done (add_scc_backedge).
   */
  addBackedge(cp: Checkpoint, i: number): void {
    const v = cp.scc;
    if (v === undefined) return;
    const st = this.ownHistory(this.st.clone());
    v.backedges.push({ st, insn: i, equal: cp, leaf: this.leaf });
  }

  /** `st` with its own copy of its part of the walk's history (State.hist). */
  ownHistory(st: State): State {
    const n = st.histEnd - st.histStart;
    const h = new InsnHistory(n);
    copyHistory(this.hist, st.histStart, st.histEnd, h);
    st.hist = h;
    st.histStart = 0;
    st.histEnd = n;
    return st;
  }

  /**
   * `x s>> 31` gives 0 or -1, and clang follows it with an AND or OR of a constant to select a
   * value without a branch (the "gzip trick"). One range cannot hold {0, K}, so when an AND/OR
   * with a constant meets a destination in [-1, 0] (64- or else 32-bit), the path splits: this
   * one goes on with -1, and a queued one runs the same instruction again with 0
   * (maybe_fork_scalars, with the fix that re-runs the instruction so OR is right too).
   */
  maybeForkScalars(i: number, dst: number, d: Reg): void {
    let alu32: boolean;
    if (d.smin === -1n && d.smax === 0n) alu32 = false;
    else if (d.s32min === -1 && d.s32max === 0) alu32 = true;
    else return;
    const branch = this.st.clone();
    const z = branch.cur.mutReg(dst);
    if (alu32) {
      markKnown32(z, 0);
      markKnown32(d, -1);
    } else {
      markKnown(z, 0n);
      clearScalarId(z);
      markKnown(d, -1n);
    }
    this.pushBranch(branch, i, i);
  }

  /** Queue the other side of a branch (push_stack). */
  pushBranch(st: State, insn: number, prev: number): void {
    if (this.leaf) this.leaf.pending++;
    this.work.push({ st, insn, prev, leaf: this.leaf });
    if (this.work.length > 8192) this.fail(prev, 'The sequence of 8193 jumps is too complex.');
  }

  lastLine = '';

  /** The processed-instruction count at which this path's history last grew. */
  histAt = -1;

  /**
   * Record the current instruction in the path's history (push_insn_history): where the path
   * came from, the stack slot of a spill or fill, the scalars a branch refined together. One
   * entry per instruction; a second record for it adds its flags.
   */
  pushHist(flags = 0, linked?: readonly number[]): void {
    const st = this.st;
    const h = this.hist;
    if (this.histAt === this.processed) {
      const e = st.histEnd - 1;
      h.flags[e] |= flags;
      if (linked) h.linked[e] = linked;
      return;
    }
    this.histAt = this.processed;
    h.put(st.histEnd, this.atInsn, this.prevInsn, flags, linked);
    st.histEnd++;
  }

  /**
   * Registers and spilled registers of every frame that share scalar id `id`, added to `out` as
   * history entries (collect_linked_regs: frame << 8 | 0x80 | reg, or frame << 8 | slot).
   */
  linkedRegs(id: number, out: number[]): void {
    const frames = this.st.frames;
    for (let fi = 0; fi < frames.length; fi++) {
      const f = frames[fi];
      for (let r = 0; r < 10; r++) {
        const g = f.regs[r];
        if (g.t === RT.SCALAR && g.id === id) out.push((fi << 8) | 0x80 | r);
      }
      for (let k = f.minSlot; k < f.spilled.length; k++) {
        const g = f.spilled[k];
        if (g !== undefined && f.byte(k * 8) === Slot.SPILL && g.t === RT.SCALAR && g.id === id) out.push((fi << 8) | k);
      }
    }
  }

  /**
   * The verifier relies on the value of scalar register `regno` at the current instruction:
   * make it, and everything it came from, precise in the saved states of this path
   * (mark_chain_precision). Pointers need nothing.
   */
  markPrecise(regno: number): void {
    if (this.regs[regno].t !== RT.SCALAR) return;
    const bt = this.prec.bt;
    bt.reset(this.st.frames.length - 1);
    bt.setReg(regno);
    this.prec.backtrack(this.st, this.atInsn, this.leaf);
  }

  /**
   * The current state was found safe by `old`: what old relies on, the current path relies on
   * too (propagate_precision): its live precise scalars become precise along this path.
   */
  propagatePrecision(old: State, i: number, cur = this.st, leaf = this.leaf): void {
    const bt = this.prec.bt;
    const n = old.frames.length;
    bt.reset(cur.frames.length - 1);
    for (let k = 0; k < n; k++) {
      const f = old.frames[k];
      const mask = k === n - 1 ? this.live[i] : this.live[cur.frames[k + 1].callsite + 1] & ~0x3f;
      for (let r = 0; r < 10; r++) {
        if (f.regs[r].t === RT.SCALAR && f.preciseReg(r) && (mask >> r) & 1) bt.setReg(r, k);
      }
      for (let s = f.minSlot; s < 64; s++) {
        const g = f.spilled[s];
        if (g !== undefined && g.t === RT.SCALAR && f.preciseSlot(s) && f.byte(s * 8) === Slot.SPILL) bt.setSlot(k, s);
      }
      if (this.logLevel > 1 && !bt.empty()) this.log.push(`frame ${k}: propagating ${this.prec.masks(k)}`);
    }
    this.prec.backtrack(cur, i, leaf);
  }

  walkPath(): void {
    for (;;) {
      const i = this.insn;
      if (++this.processed > this.limit()) this.fail(i, `BPF program is too large. Processed ${this.processed} insn`);
      this.atInsn = i;
      this.st.last = this.prevInsn;
      if (this.prunePoints[i]) {
        this.visit(i);
        if (this.stopped) return;
      }
      if (this.jmpPoints[i]) this.pushHist();
      const cls = opClass(this.p.op[i]);
      if (cls === Class.JMP || cls === Class.JMP32) this.jmps++;
      if (this.logLevel > 0) {
        // verbose_linfo: the source line when it changes
        const src = this.opts.lineInfo?.(i);
        if (src && src.text) {
          const l = `; ${src.text.trim()} @ ${src.file.split('/').pop()}:${src.line}`;
          if (l !== this.lastLine) this.log.push(l);
          this.lastLine = l;
        }
        this.log.push(this.insnText(i));
      }
      const logAt = this.log.length - 1;
      const frame = this.st.cur;
      this.sl.beginInsn(this.st.frames, i);
      this.step(i);
      if (this.stopped) return;
      this.sl.commitInsn();
      this.prevInsn = i;
      if (this.logLevel > 0 && this.st.cur === frame) {
        const touched = this.logLevel > 1 ? undefined : scratched(this.p, i);
        const text = frameStr(this.st.cur, this.mapInfo, touched);
        if (text) this.log[logAt] = `${padInsn(this.log[logAt])}; ${text}`;
      }
    }
  }

  /**
   * Link the copies of a scalar move (assign_scalar_id_before_mov): a register already offset
   * from its links is unlinked first, as a second delta cannot be tracked. Returns the register
   * now in `regno`.
   */
  linkBeforeMove(regno: number): Reg {
    const s = this.regs[regno];
    if (!s.addConst && (s.id !== 0 || tIsConst(s.v))) return s;
    // the register may be shared with saved states: change a copy (Frame.mutReg)
    const own = this.st.cur.mutReg(regno);
    if (own.addConst) clearScalarId(own);
    if (own.id === 0 && !tIsConst(own.v)) own.id = ++this.idGen;
    return own;
  }

  // ---------- pruning (is_state_visited) ----------

  visit(i: number): void {
    const list = this.explored[i];
    const cur = this.st;
    const live = this.live;
    const op = this.p.op[i];
    const iterNext = isIterNextCall(this.p, i);
    // checkpoints are forced at iterator next calls and may_goto (mark_force_checkpoint); elsewhere
    // a new one is kept only after 2 jumps and 8 instructions since the last (is_state_visited)
    const loopHead = iterNext || op === Op.JCOND;
    // ... and where the path's history has grown past 40 entries since its last checkpoint
    // (a helper that calls back is a forced checkpoint too: mark_force_checkpoint)
    const callsBack = op === Op.CALL && this.p.src[i] === CallSrc.HELPER && SYNC_CALLBACK_HELPERS.has(this.p.imm[i]);
    const force = loopHead || callsBack || cur.histEnd - cur.histStart > 40;
    let addNew = force || (this.jmps - this.prevJmps >= 2 && this.processed - this.prevInsns >= 8);
    if (list) {
      // the checkpoints on this path, marked once per visit (when a pending one is met)
      const stamp = ++this.visitStamp;
      let marked = false;
      // newest first, as the kernel adds states at the head of the list: which state a hit
      // finds first decides the hit and miss counts that evict states
      for (let n = list.length - 1; n >= 0; n--) {
        const cp = list[n];
        if (cp.pending === 0) {
          // a saved state of a loop visit that has converged somewhere but is not done may lack
          // precision marks it will get: compare every live scalar by range (incomplete_read_marks)
          const loop = cp.scc !== undefined && cp.scc.backedges.length > 0;
          // ... and is not cleaned yet, its dead slots still compared (clean_live_states skips a
          // state with incomplete read marks; it is cleaned once its visit is done)
          if (!cp.cleaned && !loop) this.clean(cp, cur);
          // the register or stack slot it missed on last time, alone, usually refuses it again
          // (a refusal without ranges is one with them too)
          if (cp.failFrame !== undefined && quickFails(cp.st, cp, cur, live, i)) {
            // a miss
          } else if (regsafeStates(cp.st, cur, live, i, false, loop)) {
            cp.hit++;
            if (this.logLevel > 1) this.log.push(`${i}: safe`);
            this.pruneHit(cp.st, i);
            if (loop) this.addBackedge(cp, i);
            this.evict(i, list, loopHead);
            return this.endPath();
          } else {
            noteMiss(cp);
          }
          // misses count only when a state would be added, so a loop does not evict the states
          // of its first iterations (is_state_visited's miss_cnt)
          if (addNew) cp.miss++;
        } else {
          if (!marked) {
            for (let c = this.leaf; c; c = c.parent) c.stamp = stamp;
            marked = true;
          }
          if (cp.stamp !== stamp) continue;
          if (iterNext) {
            // An iterator loop back at its next call in a state within the old one, with the
            // iterator still active, has converged: the iterator bounds it. Ranges are compared
            // whatever their precision or liveness (RANGE_WITHIN), as marks inside the loop are
            // not final yet.
            if (regsafeStates(cp.st, cur, live, i, false, true) && this.iterActive(1)) {
              return this.converged(cp, i, list, loopHead);
            }
          } else if (callsBack) {
            // A callback's caller back at the call with a state within the old one: further
            // iterations add nothing (is_state_visited's calls_callback case, RANGE_WITHIN); the
            // helper's own bound, if any, ends the iterations otherwise (no infinite loop check).
            if (regsafeStates(cp.st, cur, live, i, false, true)) {
              return this.converged(cp, i, list, loopHead);
            }
          } else {
            // may_goto: a state that only differs in its may_goto budget is the same loop
            if (op === Op.JCOND && cp.st.mayGoto !== cur.mayGoto && regsafeStates(cp.st, cur, live, i, false, true)) {
              return this.converged(cp, i, list, loopHead);
            }
            if (cp.st.cbUnroll === cur.cbUnroll && maybeLooping(cp.st, cur) && regsafeStates(cp.st, cur, live, i, true, false) && !iterDepthsDiffer(cp.st, cur)) {
              this.fail(
                i,
                `infinite loop detected at insn ${i}\ncur state: ${stateStr(cur, this.mapInfo)}\nold state: ${stateStr(cp.st, this.mapInfo)}`,
              );
            }
          }
          // inside a loop, states are added less often: 20 jumps or 100 instructions
          if (!force && this.jmps - this.prevJmps < 20 && this.processed - this.prevInsns < 100) addNew = false;
          if (addNew) cp.miss++;
        }
      }
      this.evict(i, list, loopHead);
    }
    if (!addNew) return;
    this.prevJmps = this.jmps;
    this.prevInsns = this.processed;
    const scc = visitOf(this.visits, this.loops, cur, i);
    const cp: Checkpoint = { st: cur.clone(), insn: i, parent: this.leaf, pending: 1, cleaned: false, hit: 0, miss: 0, stamp: 0, failAt: -1, failFrame: undefined, failCur: undefined, failWord: -1, scc };
    if (scc !== undefined) {
      // the first saved state of a loop visit (maybe_enter_scc); a state in a loop may be walked
      // back through after later paths reuse its part of the shared history: it keeps a copy
      if (scc.entry === null) scc.entry = cp;
      this.ownHistory(cp.st);
    }
    // the current state starts a new stretch of history below the saved one (its precision
    // marks start clear: the current state's are never set, so mark_all_scalars_imprecise has
    // nothing to do)
    cur.first = i;
    cur.histStart = cur.histEnd;
    this.totalStates++;
    const now = this.explored[i];
    if (now) now.push(cp);
    else this.explored[i] = [cp];
    this.leaf = cp;
  }

  /**
   * The current state at `i` is within `cp`, a saved state on its own path (a loop back at its
   * head): the loop converged (is_state_visited's hit with a loop: the hit counts, the state is
   * kept as a backedge). The states that missed on the way are evicted as on any visit.
   */
  converged(cp: Checkpoint, i: number, list: Checkpoint[], loopHead: boolean): void {
    cp.hit++;
    if (this.logLevel > 1) this.log.push(`${i}: safe`);
    this.pruneHit(cp.st, i);
    this.addBackedge(cp, i);
    this.evict(i, list, loopHead);
    return this.endPath();
  }

  /**
   * The current state at `i` is covered by the saved `old`: record `i` in the history if it is a
   * jump point, then take over old's precision (is_state_visited's hit).
   */
  pruneHit(old: State, i: number): void {
    if (this.jmpPoints[i]) this.pushHist();
    this.propagatePrecision(old, i);
  }

  /**
   * The nearest saved state at instruction `i` on the current path above `from`, in the same
   * call chain (find_prev_entry: the previous visit of a loop head).
   */
  prevEntry(i: number, from: Checkpoint | null): Checkpoint | undefined {
    for (let c = from; c; c = c.parent) if (c.insn === i && c.pending > 0 && sameCallsites(c.st, this.st)) return c;
    return undefined;
  }

  /**
   * Drop the states that keep missing (is_state_visited's miss_cnt > hit_cnt * n + n, n = 3, or
   * 64 for a state still being explored at a forced checkpoint). A dropped state still being
   * explored stays the parent of its paths; it is only no longer compared.
   */
  evict(i: number, list: Checkpoint[], forced = false): void {
    for (let k = 0; k < list.length; k++) {
      if (stays(list[k], forced)) continue;
      this.explored[i] = list.filter((c) => stays(c, forced));
      return;
    }
  }

  /**
   * A saved state whose paths are all done is compared for the first time: its stack slots that
   * no instruction after it may read become invalid (clean_live_states, clean_verifier_state),
   * so any value covers them. Only states of the current call chain are cleaned now.
   */
  /** The live slots of one frame (StackLiveness.aliveMask), kept for clean. */
  private readonly aliveSlots = new Int32Array(2);

  clean(cp: Checkpoint, cur: State): void {
    const st = cp.st;
    if (!sameCallsites(st, cur)) return;
    cp.cleaned = true;
    const alive = this.aliveSlots;
    for (let fi = 0; fi < st.frames.length; fi++) {
      const f = st.frames[fi];
      this.sl.aliveMask(st.frames, cp.insn, fi, alive);
      // below minSlot every slot is invalid already
      for (let k = f.minSlot; k < 64; k++) {
        if (f.spilled[k] === undefined && isInvalidSlot(f.slots, k)) continue;
        // a dynptr's slots stay (the kernel does not clean STACK_DYNPTR)
        if (f.refDyn[k] !== 0 || f.iterRef[k] !== 0) continue;
        if ((k < 32 ? alive[0] >>> k : alive[1] >>> (k - 32)) & 1) continue;
        f.own();
        f.slots[k] = 0;
        f.spilled[k] = undefined;
        if (f.pktDyn[k] !== 0) {
          f.ownDyn();
          f.pktDyn[k] = 0;
        }
      }
    }
  }

  /** The current instruction may read bytes [lo, hi) (offsets below the frame top) of frame `frame` (bpf_mark_stack_read). */
  stackReadRange(frame: number, lo: number, hi: number): void {
    this.sl.markRead(this.st.frames, frame, this.atInsn, Math.max(0, (512 + lo) >> 3), Math.min(63, (512 + hi - 1) >> 3));
  }

  /** An aligned 8-byte store at a constant offset writes its slot whole (bpf_mark_stack_write). */
  stackWritten(frame: number, lo: number, size: number): void {
    const b0 = 512 + lo;
    if ((b0 & 7) === 0 && size === 8) this.sl.markWrite(frame, b0 >> 3);
  }

  // ---------- registers ----------

  get regs(): Reg[] {
    return this.st.cur.regs;
  }

  /**
   * Instruction i's immediate as a constant scalar, zero-extended from 32 bits with `zext` (ALU32,
   * JMP32), else sign-extended. Shared: callers must not change it (clone it to keep it).
   */
  immScalar(i: number, zext: boolean): Reg {
    const r = this.immRegs[i];
    if (r !== undefined) return r;
    const imm = this.p.imm[i];
    return (this.immRegs[i] = constScalar(zext ? BigInt(imm >>> 0) : BigInt(imm)));
  }

  /** check_reg_arg(SRC_OP). */
  readReg(i: number, r: number): Reg {
    if (r > 10) this.fail(i, `R${r} is invalid`);
    const reg = this.regs[r];
    if (reg.t === RT.NOT_INIT) this.fail(i, `R${r} !read_ok`);
    return reg;
  }

  /** check_reg_arg(DST_OP) validity part. */
  checkWrite(i: number, r: number): void {
    if (r > 10) this.fail(i, `R${r} is invalid`);
    if (r === 10) this.fail(i, 'frame pointer is read only');
  }

  setReg(r: number, v: Reg): void {
    this.regs[r] = v;
  }

  // ---------- one instruction ----------

  step(i: number): void {
    const p = this.p;
    const op = p.op[i];
    let row = this.rows[i];
    if (row === undefined) {
      // the reserved-field check depends on the instruction alone: once per instruction
      row = OPCODE_TABLE.get(op) as OpcodeRow;
      const err = fieldError(row, p.dst[i], p.src[i], p.off[i], p.imm[i]);
      if (err) this.fail(i, err);
      this.rows[i] = row;
    }
    switch (row.kind) {
      case 'alu':
      case 'neg':
      case 'end':
      case 'mov':
        this.alu(i, row);
        this.insn = i + 1;
        return;
      case 'ldx':
        this.ldx(i, row);
        this.insn = i + 1;
        return;
      case 'st':
      case 'stx':
        this.store(i, row);
        this.insn = i + 1;
        return;
      case 'atomic':
        this.atomic(i, row);
        this.insn = i + 1;
        return;
      case 'ldabs':
        this.ldAbs(i, row);
        this.insn = i + 1;
        if (this.st.frames.length > 1) {
          // the load's expansion has a hidden `r0 = 0; exit` for out-of-bounds offsets
          // (bpf_gen_ld_abs): in a subprogram that returns 0 to the caller, a path of its own
          // (check_ld_abs)
          this.pushBranch(this.st.clone(), i + 1, i);
          this.regs[0] = constScalar(0n);
          this.exit(i);
        }
        return;
      case 'lddw':
        this.ldImm64(i);
        this.insn = i + 2;
        return;
      case 'ja':
        this.insn = jumpTarget(p, i);
        return;
      case 'jcond':
        this.mayGoto(i);
        return;
      case 'jcc':
        this.condJump(i, row);
        return;
      case 'call':
        this.call(i);
        return;
      case 'exit':
        this.exit(i);
        return;
    }
  }

  // ---------- ALU ----------

  alu(i: number, row: OpcodeRow): void {
    const p = this.p;
    const op = p.op[i];
    const dst = p.dst[i];
    const src = p.src[i];
    const imm = p.imm[i];
    const off = p.off[i];
    const x = opSource(op) === Source.X;
    const alu32 = opClass(op) === Class.ALU;
    if (row.kind === 'neg' || row.kind === 'end') {
      this.readReg(i, dst);
      this.checkWrite(i, dst);
      const d = this.regs[dst].clone();
      if (d.t !== RT.SCALAR) {
        this.setReg(dst, unknownScalar());
        return;
      }
      clearScalarId(d);
      if (row.kind === 'neg') scalarNeg(d, alu32);
      else scalarEnd(d, imm, opSource(op) === Source.X, !alu32);
      this.setReg(dst, d);
      return;
    }
    if (row.kind === 'mov') {
      if (x) this.readReg(i, src);
      this.checkWrite(i, dst);
      if (!x) {
        this.setReg(dst, share(this.immScalar(i, alu32)));
        return;
      }
      const s = this.regs[src];
      if (off !== 0) {
        // movsx: sign-extend the low 8/16/32 bits of a scalar; of a pointer, root gets an unknown
        // scalar (check_alu_op: is_pointer_value is false with allow_ptr_leaks)
        if (s.t !== RT.SCALAR) {
          this.setReg(dst, unknownScalar());
          if (alu32) zext32(this.regs[dst]);
          return;
        }
        // a value the extension cannot change stays linked to its source
        const noSext = s.umax < 1n << BigInt(off - 1);
        const d = (noSext ? this.linkBeforeMove(src) : s).clone();
        if (!noSext) clearScalarId(d);
        coerceSx(d, off / 8, alu32);
        this.setReg(dst, d);
        return;
      }
      if (!alu32) {
        this.setReg(dst, share(s.t === RT.SCALAR ? this.linkBeforeMove(src) : s));
        return;
      }
      // 32-bit move: a pointer's low half is an unknown scalar
      if (s.t !== RT.SCALAR) {
        this.setReg(dst, unknownScalar());
        zext32(this.regs[dst]);
        return;
      }
      // a value that fits 32 bits is the same after the move: the copies stay linked
      const fits32 = s.umax <= 0xffffffffn;
      const d = (fits32 ? this.linkBeforeMove(src) : s).clone();
      if (!fits32) clearScalarId(d);
      // the copy keeps its 32-bit bounds, which become the 64-bit ones (zext_32_to_64 after
      // copy_register_state, not a truncation that would forget a signed 32-bit bound)
      zext32(d);
      this.setReg(dst, d);
      return;
    }
    // binary ALU: src first, then dst (check_alu_op)
    let s: Reg;
    if (x) s = this.readReg(i, src);
    else s = this.immScalar(i, alu32);
    const d0 = this.readReg(i, dst);
    if (!x) {
      if (isDivMod(op) && imm === 0) this.fail(i, 'div by zero');
      if (isShift(op) && (imm < 0 || imm >= shiftWidth(op))) this.fail(i, `invalid shift ${imm}`);
    }
    this.checkWrite(i, dst);
    const code = opCode(op);
    if (d0.t === RT.SCALAR && s.t === RT.SCALAR) {
      const d = d0.clone();
      if ((code === AluOp.AND || code === AluOp.OR) && tIsConst(s.v)) this.maybeForkScalars(i, dst, d);
      clearScalarId(d);
      scalarAlu(code, d, s, alu32);
      // rX += const (or -=) keeps rX linked to its copies with the constant as delta, so a
      // later bound on either reaches the other (adjust_reg_min_max_vals, BPF_ADD_CONST64); a
      // 32-bit one only from a value that fits in 32 bits, and a sync then zero-extends
      // (BPF_ADD_CONST32). The delta is an s32; a second delta is not tracked.
      if ((code === AluOp.ADD || code === AluOp.SUB) && d0.id !== 0 && !d0.addConst && (alu32 ? isConst32(s) : tIsConst(s.v)) && !(x && src === dst)) {
        let off: number | undefined;
        if (alu32) off = d0.umax > 0xffffffffn ? undefined : Number(s.v.v & 0xffffffffn) | 0;
        else {
          const v = BigInt.asIntN(64, s.v.v);
          off = v < -0x80000000n || v > 0x7fffffffn ? undefined : Number(v);
        }
        if (off !== undefined && code === AluOp.SUB) off = off === -0x80000000 ? undefined : -off;
        if (off !== undefined) {
          d.id = d0.id;
          d.addConst = true;
          d.addConst32 = alu32;
          d.delta = off;
        }
      }
      this.setReg(dst, d);
      return;
    }
    // pointer arithmetic (adjust_reg_min_max_vals, adjust_ptr_min_max_vals)
    const opName = ALU_OP_NAMES[code >> 4];
    if (d0.t !== RT.SCALAR && s.t !== RT.SCALAR) {
      if (code === AluOp.SUB) {
        this.setReg(dst, unknownScalar());
        return;
      }
      this.fail(i, `R${dst} pointer ${opName} pointer prohibited`);
    }
    const ptrIsDst = d0.t !== RT.SCALAR;
    // the scalar added to a pointer must keep its bounds (adjust_reg_min_max_vals)
    if (x) this.markPrecise(ptrIsDst ? src : dst);
    // both operands are only read: the result is a copy of the pointer
    const ptr = ptrIsDst ? d0 : s;
    const ofr = ptrIsDst ? s : d0;
    if (alu32) {
      if (code === AluOp.SUB) {
        this.setReg(dst, unknownScalar());
        zext32(this.regs[dst]);
        return;
      }
      this.fail(i, `R${dst} 32-bit pointer arithmetic prohibited`);
    }
    const known = tIsConst(ofr.v);
    if ((known && (ofr.smin !== ofr.smax || ofr.umin !== ofr.umax)) || ofr.smin > ofr.smax || ofr.umin > ofr.umax) {
      this.setReg(dst, unknownScalar());
      return;
    }
    if (ptr.nullable) this.fail(i, `R${dst} pointer arithmetic on ${typeName(ptr)} prohibited, null-check it first`);
    switch (ptr.t) {
      case RT.CTX:
      case RT.MAP_VALUE:
      case RT.MAP_KEY:
      case RT.STACK:
      case RT.PKT_META:
      case RT.PKT:
      case RT.BTF_ID:
      case RT.MEM:
      case RT.FUNC:
        break;
      case RT.MAP_PTR:
        if (known && ofr.smin === 0n && code === AluOp.ADD) break;
        this.fail(i, `R${dst} pointer arithmetic on ${typeName(ptr)} prohibited`);
        break;
      default:
        this.fail(i, `R${dst} pointer arithmetic on ${typeName(ptr)} prohibited`);
    }
    this.saneOffset(i, ofr, ptr.t, ptr);
    this.saneOffset(i, ptr, ptr.t, ptr);
    const res = ptr.clone();
    const fits = (n: bigint): boolean => n === BigInt.asIntN(32, n);
    // a packet pointer known to sit at or past pkt_end is no longer known to after the move
    // (Linux 6.18 gives it range 0)
    if (isPkt(res.t) && res.range < 0) res.range = 0;
    if (code === AluOp.ADD) {
      if (known && fits(BigInt(ptr.off) + ofr.smin)) {
        res.off = ptr.off + Number(ofr.smin);
      } else {
        this.varOffset(res, ptr, ofr, false);
      }
    } else if (code === AluOp.SUB) {
      if (!ptrIsDst) this.fail(i, `R${dst} tried to subtract pointer from scalar`);
      if (ptr.t === RT.STACK) this.fail(i, `R${dst} subtraction from stack pointer prohibited`);
      if (known && fits(BigInt(ptr.off) - ofr.smin)) {
        res.off = ptr.off - Number(ofr.smin);
      } else {
        this.varOffset(res, ptr, ofr, true);
      }
    } else if (code === AluOp.AND || code === AluOp.OR || code === AluOp.XOR) {
      this.fail(i, `R${dst} bitwise operator ${opName} on pointer prohibited`);
    } else {
      this.fail(i, `R${dst} pointer arithmetic with ${opName} operator prohibited`);
    }
    this.saneOffset(i, res, ptr.t, ptr);
    sync(res);
    this.setReg(dst, res);
  }

  /** check_reg_sane_offset. */
  saneOffset(i: number, r: Reg, t: RT, ptr: Reg): void {
    // the name only for a message: building it copies the register
    const name = (): string => typeName({ ...ptr, t, nullable: false } as Reg);
    if (tIsConst(r.v)) {
      const val = BigInt.asIntN(64, r.v.v);
      if (val >= BPF_MAX_VAR_OFF || val <= -BPF_MAX_VAR_OFF) this.fail(i, `math between ${name()} pointer and ${val} is not allowed`);
    }
    if (r.off >= 1 << 29 || r.off <= -(1 << 29)) this.fail(i, `${name()} pointer offset ${r.off} is not allowed`);
    if (r.smin === S64_MIN) this.fail(i, `math between ${name()} pointer and register with unbounded min value is not allowed`);
    if (r.smin >= BPF_MAX_VAR_OFF || r.smin <= -BPF_MAX_VAR_OFF) this.fail(i, `value ${r.smin} makes ${name()} pointer be out of bounds`);
  }

  /** pointer ± variable scalar: the variable part of the pointer grows (adjust_ptr_min_max_vals). */
  varOffset(res: Reg, ptr: Reg, off: Reg, sub: boolean): void {
    if (!sub) {
      const a = ptr.smin + off.smin;
      const b = ptr.smax + off.smax;
      const over = a < S64_MIN || a > S64_MAX || b < S64_MIN || b > S64_MAX;
      res.smin = over ? S64_MIN : a;
      res.smax = over ? S64_MAX : b;
      const c = ptr.umin + off.umin;
      const e = ptr.umax + off.umax;
      const uover = c > U64_MAX || e > U64_MAX;
      res.umin = uover ? 0n : c;
      res.umax = uover ? U64_MAX : e;
      res.v = tAdd(ptr.v, off.v);
    } else {
      const a = ptr.smin - off.smax;
      const b = ptr.smax - off.smin;
      const over = a < S64_MIN || a > S64_MAX || b < S64_MIN || b > S64_MAX;
      res.smin = over ? S64_MIN : a;
      res.smax = over ? S64_MAX : b;
      const under = ptr.umin < off.umax;
      res.umin = under ? 0n : ptr.umin - off.umax;
      res.umax = under ? U64_MAX : ptr.umax - off.umin;
      res.v = tSub(ptr.v, off.v);
    }
    res.s32min = -0x80000000;
    res.s32max = 0x7fffffff;
    res.u32min = 0;
    res.u32max = 0xffffffff;
    if (isPkt(res.t)) {
      res.id = ++this.idGen;
      if (!sub || off.smin < 0n) res.range = 0;
    }
  }

  // ---------- memory ----------

  ldx(i: number, row: OpcodeRow): void {
    const p = this.p;
    const src = p.src[i];
    const dst = p.dst[i];
    this.readReg(i, src);
    this.checkWrite(i, dst);
    const signed = opMode(p.op[i]) === Mode.MEMSX;
    const base = this.regs[src];
    const v = this.access(i, src, p.off[i], row.bytes!, false, -1, signed, false);
    this.samePointerType(i, base);
    this.setReg(dst, v!);
  }

  store(i: number, row: OpcodeRow): void {
    const p = this.p;
    const dst = p.dst[i];
    let val: Reg;
    let valueRegno = -1;
    if (row.kind === 'stx') {
      val = this.readReg(i, p.src[i]);
      valueRegno = p.src[i];
    } else {
      val = constScalar(BigInt(p.imm[i]));
    }
    this.readReg(i, dst);
    const base = this.regs[dst];
    this.access(i, dst, p.off[i], row.bytes!, true, valueRegno, false, false, row.kind === 'st' ? val : undefined);
    this.samePointerType(i, base);
  }

  /** The kernel rewrites ctx and socket accesses per instruction, so one instruction may not see two kinds of pointer (save_aux_ptr_type). */
  insnPtrType: (number | undefined)[];
  samePointerType(i: number, base: Reg): void {
    const key = base.t * 2 + (base.nullable ? 1 : 0);
    const prev = this.insnPtrType[i];
    if (prev === undefined) {
      this.insnPtrType[i] = key;
      return;
    }
    if (prev !== key && (ctxLikePointer(prev >> 1) || ctxLikePointer(key >> 1))) this.fail(i, 'same insn cannot be used with different pointers');
  }

  atomic(i: number, row: OpcodeRow): void {
    const p = this.p;
    const imm = p.imm[i];
    const dst = p.dst[i];
    const src = p.src[i];
    const size = row.bytes!;
    if (imm === AtomicOp.LOAD_ACQ) {
      this.readReg(i, src);
      this.checkWrite(i, dst);
      const v = this.access(i, src, p.off[i], size, false, -1, false, true);
      this.setReg(dst, v!);
      return;
    }
    if (imm === AtomicOp.STORE_REL) {
      this.readReg(i, src);
      this.readReg(i, dst);
      this.access(i, dst, p.off[i], size, true, src, false, true);
      return;
    }
    // read-modify-write (check_atomic_rmw)
    this.readReg(i, src);
    this.readReg(i, dst);
    if (imm === AtomicOp.CMPXCHG) this.readReg(i, 0);
    // root may store pointers (allow_ptr_leaks): no "leaks addr" check
    const base = this.regs[dst];
    const kind = base.t === RT.CTX ? 'ctx' : isPkt(base.t) ? typeName(base) : base.t === RT.SOCKET || base.t === RT.SOCK_COMMON || base.t === RT.TCP_SOCK ? typeName(base) : '';
    if (kind) this.fail(i, `BPF_ATOMIC stores into R${dst} ${kind} is not allowed`);
    const fetch = (imm & AtomicOp.FETCH) !== 0;
    const loadReg = imm === AtomicOp.CMPXCHG ? 0 : src;
    if (fetch) this.checkWrite(i, loadReg);
    // the read, then the write, both strictly aligned
    const old = this.access(i, dst, p.off[i], size, false, -1, false, true);
    this.access(i, dst, p.off[i], size, true, -1, false, true);
    if (fetch) {
      const v = old!.t === RT.SCALAR ? old! : unknownScalar();
      if (size < 8) coerce(v, size);
      this.setReg(loadReg, v);
    }
  }

  ldAbs(i: number, row: OpcodeRow): void {
    const p = this.p;
    if (this.opts.allowLdAbs === false || (this.opts.allowLdAbs === undefined && !this.type.allowLdAbs))
      this.fail(i, 'BPF_LD_[ABS|IND] instructions not allowed for this program type');
    this.readReg(i, 6);
    if (this.st.refs.length) this.fail(i, `${this.unreleased()}\nBPF_LD_[ABS|IND] would lead to reference leak`);
    if (this.st.lockId) this.fail(i, 'BPF_LD_[ABS|IND] cannot be used inside bpf_spin_lock-ed region');
    if (this.st.rcu) this.fail(i, 'BPF_LD_[ABS|IND] cannot be used inside bpf_rcu_read_lock-ed region');
    if (opMode(p.op[i]) === Mode.IND) this.readReg(i, p.src[i]);
    const r6 = this.regs[6];
    if (r6.t !== RT.CTX) this.fail(i, 'at the time of BPF_LD_ABS|IND R6 != pointer to skb');
    this.ptrAtStart(i, 6, r6, 'ctx');
    for (let r = 1; r <= 5; r++) this.regs[r] = UNINIT;
    const v = unknownScalar();
    coerce(v, row.bytes!);
    this.regs[0] = v;
    // the program may have changed the packet before (LD_ABS may reload): packet pointers die
    this.clearPacketPointers();
  }

  ldImm64(i: number): void {
    const p = this.p;
    const dst = p.dst[i];
    this.checkWrite(i, dst);
    const src = p.src[i];
    if (src === PseudoSrc.IMM) {
      this.setReg(dst, constScalar((BigInt(p.imm[i + 1]) << 32n) | BigInt(p.imm[i] >>> 0)));
      return;
    }
    if (src === PseudoSrc.BPF_PSEUDO_FUNC) {
      if (!this.opts.hasFuncInfo) this.fail(i, 'missing btf func_info');
      const r = pointer(RT.FUNC);
      r.frame = i + p.imm[i] + 1;
      this.setReg(dst, r);
      return;
    }
    if (src === PseudoSrc.BPF_PSEUDO_MAP_IDX || src === PseudoSrc.BPF_PSEUDO_MAP_IDX_VALUE) {
      const idx = p.imm[i];
      const m = this.maps[idx];
      if (!m) this.fail(i, `map index ${idx} is not a map of this object`);
      if (src === PseudoSrc.BPF_PSEUDO_MAP_IDX) {
        const r = pointer(RT.MAP_PTR);
        r.map = idx;
        this.setReg(dst, r);
      } else {
        const off = p.imm[i + 1];
        if (off < 0 || off >= m.valueSize) this.fail(i, `invalid access to map value pointer, value_size=${m.valueSize} off=${off}`);
        const r = pointer(RT.MAP_VALUE, off);
        r.map = idx;
        this.setReg(dst, r);
      }
      return;
    }
    if (src === PseudoSrc.BPF_PSEUDO_MAP_FD || src === PseudoSrc.BPF_PSEUDO_MAP_VALUE) this.fail(i, `fd ${p.imm[i]} is not pointing to valid bpf_map`);
    this.fail(i, 'unrecognized bpf_ld_imm64 insn');
  }

  /** Strict alignment (check_ptr_alignment): the stack always, atomics on every pointer. */
  alignment(i: number, reg: Reg, off: number, size: number, strict: boolean): void {
    const isStack = reg.t === RT.STACK;
    if (!isStack && !strict) return;
    if (size === 1) return;
    // the low bits of the variable part plus the fixed offset, on numbers
    if ((tAddConstMaybeOnes32(reg.v, reg.off + off) & (size - 1)) !== 0) {
      // check_ptr_alignment's pointer_desc
      const DESC: Partial<Record<RT, string>> = {
        [RT.STACK]: 'stack ',
        [RT.CTX]: 'context ',
        [RT.MAP_VALUE]: 'value ',
        [RT.MAP_KEY]: 'key ',
        [RT.SOCKET]: 'sock ',
        [RT.SOCK_COMMON]: 'sock_common ',
        [RT.TCP_SOCK]: 'tcp_sock ',
      };
      const desc = DESC[reg.t] ?? '';
      const vt = tIsConst(reg.v) ? String(reg.v.v) : tStr(reg.v);
      if (isPkt(reg.t)) this.fail(i, `misaligned packet access off 2+${vt}+${reg.off}+${off} size ${size}`);
      this.fail(i, `misaligned ${desc}access off ${vt}+${reg.off}+${off} size ${size}`);
    }
  }

  /**
   * A load (write=false, returns the loaded register) or store through register `regno`
   * (check_mem_access). `stImm` is the value of a BPF_ST.
   */
  access(i: number, regno: number, insnOff: number, size: number, write: boolean, valueRegno: number, signed: boolean, strict: boolean, stImm?: Reg): Reg | undefined {
    const reg = this.regs[regno];
    this.alignment(i, reg, insnOff, size, strict);
    const off = insnOff + reg.off;
    let out: Reg | undefined;
    const value = valueRegno >= 0 ? this.regs[valueRegno] : stImm;
    this.storeReg = write ? valueRegno : -1;
    if (reg.nullable) this.fail(i, `R${regno} invalid mem access '${typeName(reg)}'`);
    switch (reg.t) {
      case RT.STACK:
        return this.stackAccess(i, regno, reg, off, size, write, value, signed);
      case RT.CTX: {
        this.ptrAtStart(i, regno, reg, 'ctx');
        const kind = this.type.ctxAccess(off, size, write, { signed });
        if (kind === undefined) this.fail(i, `invalid bpf_context access off=${off} size=${size}`);
        if (!write) {
          this.ctxLoadKeys.add(off * 16 + size);
          switch (kind) {
            case 'pkt': out = pointer(RT.PKT); break;
            case 'pkt_end': out = pointer(RT.PKT_END); break;
            case 'pkt_meta': out = pointer(RT.PKT_META); break;
            case 'sock_common_or_null':
              out = pointer(RT.SOCK_COMMON);
              out.nullable = true;
              out.id = ++this.idGen;
              break;
            default: out = unknownScalar();
          }
        }
        break;
      }
      case RT.PKT:
      case RT.PKT_META:
        if (write && !this.type.packetWrite) this.fail(i, 'cannot write into packet');
        this.packetAccess(i, regno, reg, off, size);
        if (!write) out = unknownScalar();
        break;
      case RT.MAP_VALUE:
        out = this.mapValueAccess(i, regno, reg, off, size, write, signed);
        break;
      case RT.MAP_KEY: {
        if (write) this.fail(i, `write to change key R${regno} not allowed`);
        this.memRegion(i, regno, reg, off, size, this.maps[reg.map].keySize, 'map_key');
        out = unknownScalar();
        break;
      }
      case RT.MEM:
        if (write && reg.rdonly) this.fail(i, `R${regno} cannot write into ${typeName(reg)}`);
        this.memRegion(i, regno, reg, off, size, reg.size, 'mem');
        if (!write) out = unknownScalar();
        break;
      case RT.SOCKET:
      case RT.SOCK_COMMON:
      case RT.TCP_SOCK:
        if (write) this.fail(i, `R${regno} cannot write into ${typeName(reg)}`);
        this.ptrAtStart(i, regno, reg);
        if (!sockAccessOk(reg.t, off, size)) this.fail(i, `R${regno} invalid ${typeName(reg)} access off=${off} size=${size}`);
        out = unknownScalar();
        break;
      case RT.MAP_PTR:
        {
          // struct bpf_map fields through the map type's BTF struct (check_ptr_to_map_access): reads only
          const type = this.maps[reg.map]?.type ?? 0;
          const struct = mapStructName(type);
          if (struct === undefined) this.fail(i, `map_ptr access not supported for map type ${type}`);
          if (off < 0) this.fail(i, `R${regno} is ${struct} invalid negative access: off=${off}`);
          if (write) this.fail(i, `only read from ${struct} is supported`);
        }
        out = unknownScalar();
        break;
      case RT.BTF_ID:
        if (write) this.fail(i, 'only read is supported');
        if (off < 0) this.fail(i, `R${regno} is ptr_${reg.btf} invalid negative access: off=${off}`);
        out = unknownScalar();
        break;
      default:
        this.fail(i, `R${regno} invalid mem access '${typeName(reg)}'`);
    }
    if (out && out.t === RT.SCALAR && size < 8 && !(out.v.m === 0n)) {
      if (signed) coerceSx(out, size, false);
      else coerce(out, size);
    }
    return out;
  }

  memRegion(i: number, regno: number, reg: Reg, off: number, size: number, memSize: number, what: 'map_value' | 'mem' | 'map_key'): void {
    const bad = (o: bigint): boolean => o < 0n || o + BigInt(size) > BigInt(memSize) || size <= 0;
    const msg = (o: bigint): string =>
      what === 'map_value'
        ? `invalid access to map value, value_size=${memSize} off=${o} size=${size}`
        : what === 'map_key'
          ? `invalid access to map key, key_size=${memSize} off=${o} size=${size}`
          : `invalid access to memory, mem_size=${memSize} off=${o} size=${size}`;
    const o = BigInt(off);
    if (reg.smin < 0n && (reg.smin === -(1n << 63n) || o + reg.smin < -(1n << 31n) || reg.smin + o < 0n))
      this.fail(i, `R${regno} min value is negative, either use unsigned index or do a if (index >=0) check.`);
    if (bad(reg.smin + o)) {
      if (tIsConst(reg.v)) this.fail(i, msg(reg.smin + o));
      this.fail(i, `${msg(reg.smin + o)}\nR${regno} min value is outside of the allowed memory range`);
    }
    if (reg.umax >= BPF_MAX_VAR_OFF) this.fail(i, `R${regno} unbounded memory access, make sure to bounds check any such access`);
    if (bad(reg.umax + o)) {
      if (tIsConst(reg.v)) this.fail(i, msg(reg.umax + o));
      this.fail(i, `${msg(reg.umax + o)}\nR${regno} max value is outside of the allowed memory range`);
    }
  }

  packetAccess(i: number, regno: number, reg: Reg, off: number, size: number, zeroOk = false): void {
    if (reg.smin < 0n) this.fail(i, `R${regno} min value is negative, either use unsigned index or do a if (index >=0) check.`);
    const ok = reg.range >= 0 && off >= 0 && off + size <= reg.range && (size > 0 || (size === 0 && zeroOk));
    if (!ok) {
      const detail = reg.range < 0 ? '' : `invalid access to packet, off=${off} size=${size}, R${regno}(id=${reg.id},off=${off},r=${reg.range})\n`;
      this.fail(i, `${detail}R${regno} offset is outside of the packet`);
    }
  }

  mapValueAccess(i: number, regno: number, reg: Reg, off: number, size: number, write: boolean, signed: boolean, helper = false): Reg | undefined {
    const m = this.maps[reg.map];
    if (write && (m.flags & BPF_F_RDONLY_PROG)) this.fail(i, `write into map forbidden, value_size=${m.valueSize} off=${off} size=${size}`);
    if (!write && (m.flags & BPF_F_WRONLY_PROG)) this.fail(i, `read from map forbidden, value_size=${m.valueSize} off=${off} size=${size}`);
    this.memRegion(i, regno, reg, off, size, m.valueSize, 'map_value');
    if (!helper) {
      const lo = reg.smin + BigInt(off);
      const hi = reg.umax + BigInt(off) + BigInt(size);
      for (const [fo, fs, name] of [
        [m.spinLockOff, 4, 'bpf_spin_lock'],
        [m.timerOff, 16, 'bpf_timer'],
      ] as const) {
        if (fo !== undefined && lo < BigInt(fo + fs) && BigInt(fo) < hi) this.fail(i, `${name} cannot be accessed directly by load/store`);
      }
    }
    if (write) return undefined;
    if (tIsConst(reg.v) && m.frozenReadOnly && m.frozenValue) {
      // bpf_map_direct_read: a frozen read-only map's bytes are constants
      const at = off + Number(reg.v.v);
      let v = 0n;
      for (let k = size - 1; k >= 0; k--) v = (v << 8n) | BigInt(m.frozenValue[at + k] ?? 0);
      if (signed) v = BigInt.asIntN(size * 8, v);
      return constScalar(v);
    }
    return unknownScalar();
  }

  /** Stack load/store (check_stack_read / check_stack_write), fixed or variable offset. */
  stackAccess(i: number, regno: number, reg: Reg, off: number, size: number, write: boolean, value: Reg | undefined, signed: boolean): Reg | undefined {
    const frame = this.st.frames[reg.frame];
    this.stackBounds(i, regno, reg, off, size, write ? ' write to' : ' read from');
    const sub = this.subIndexOf[frame.subprog];
    if (tIsConst(reg.v)) {
      const o = off + Number(BigInt.asIntN(64, reg.v.v));
      this.stackDepth[sub] = Math.max(this.stackDepth[sub], -o);
      if (write) {
        if (frame !== this.st.cur && value && value.t === RT.STACK) this.fail(i, 'cannot spill pointers to stack into stack frame of the caller');
        this.stackWrite(i, frame, o, size, value);
        this.stackWritten(frame.frameno, o, size);
        return undefined;
      }
      this.stackReadRange(frame.frameno, o, o + size);
      return this.readStack(i, frame, o, size, signed);
    }
    // variable offset: writes scrub every byte they may touch, reads give an unknown scalar
    const lo = Number(reg.smin) + off;
    const hi = Number(reg.smax) + off + size;
    this.stackDepth[sub] = Math.max(this.stackDepth[sub], -lo);
    if (!write) this.stackReadRange(frame.frameno, lo, hi);
    if (write) {
      this.overwriteStack(frame, 512 + lo, hi - lo);
      frame.touch(512 + lo);
      frame.own();
      for (let a = lo; a < hi; a++) {
        const b = 512 + a;
        frame.setByte(b, Slot.MISC);
        frame.spilled[b >> 3] = undefined;
      }
      for (let k = (512 + lo) >> 3; k <= (512 + hi - 1) >> 3; k++) this.scrubSlot(frame, k);
      return undefined;
    }
    const v = unknownScalar();
    return v;
  }

  stackBounds(i: number, regno: number, reg: Reg, off: number, size: number, extra: string): void {
    let min: bigint, max: bigint;
    if (reg.v.m === 0n && reg.v.v === 0n) {
      // the usual stack pointer, at a fixed offset: in numbers
      if (off < -512 || off + size > 0 || size < 0) this.fail(i, `invalid${extra} stack R${regno} off=${off} size=${size}`);
      return;
    }
    if (tIsConst(reg.v)) {
      min = BigInt.asIntN(64, reg.v.v) + BigInt(off);
      max = min + BigInt(size);
    } else {
      if (reg.smax >= BPF_MAX_VAR_OFF || reg.smin <= -BPF_MAX_VAR_OFF) this.fail(i, `invalid unbounded variable-offset${extra} stack R${regno}`);
      min = reg.smin + BigInt(off);
      max = reg.smax + BigInt(off) + BigInt(size);
    }
    if (min < -512n || max > 0n || size < 0) {
      if (tIsConst(reg.v)) this.fail(i, `invalid${extra} stack R${regno} off=${off} size=${size}`);
      this.fail(i, `invalid variable-offset${extra} stack R${regno} var_off=${tStr(reg.v)} off=${off} size=${size}`);
    }
  }

  /** Bytes [b0, b0 + size) of `f` are written: refused over a referenced dynptr (destroy_if_dynptr_stack_slot). */
  /**
   * A write over stack bytes [b0, b0+size): refused over a referenced dynptr; over an iterator,
   * the slot is no longer one (its bytes are then plain data, and the iterator's reference is
   * still held: check_stack_write_fixed_off destroys only dynptrs).
   */
  overwriteStack(f: Frame, b0: number, size: number): void {
    for (let k = Math.max(0, b0 >> 3); k <= Math.min(63, (b0 + size - 1) >> 3); k++) {
      if (f.refDyn[k] !== 0) this.fail(this.atInsn, 'cannot overwrite referenced dynptr');
      if (f.iterRef[k] !== 0) {
        f.ownDyn();
        f.iterRef[k] = 0;
        f.iterInfo[k] = 0;
      }
    }
  }

  /** A slot partly overwritten loses its spilled register; its spill bytes become MISC. */
  scrubSlot(f: Frame, k: number): void {
    f.own();
    for (let b = 0; b < 8; b++) if (f.byte(k * 8 + b) === Slot.SPILL) f.setByte(k * 8 + b, Slot.MISC);
    f.spilled[k] = undefined;
  }

  stackWrite(i: number, f: Frame, o: number, size: number, value: Reg | undefined): void {
    const b0 = 512 + o;
    this.overwriteStack(f, b0, size);
    const k = b0 >> 3;
    clearPktDyn(f, b0, size);
    const aligned = (b0 & 7) === 0;
    // a register spill is recorded in the path's history with its slot (check_stack_write_fixed_off)
    if (value && (aligned || value.t !== RT.SCALAR)) this.pushHist(stackAccessFlags(f.frameno, k));
    if (value && aligned && value.t === RT.SCALAR) {
      // a scalar spill (full or narrow) keeps the register's state, a narrow fill of it is
      // truncated as the load is (save_register_state); when the value fits in the stored bytes
      // the slot keeps the register's links, and an unlinked register is given an id first so
      // the spill and the register stay linked (assign_scalar_id_before_mov on spill).
      const fits = size === 8 || value.umax < 1n << BigInt(size * 8);
      let sp: Reg;
      if (!fits) {
        sp = value.clone();
        clearScalarId(sp);
      } else sp = share(this.storeReg >= 0 ? this.linkBeforeMove(this.storeReg) : value);
      this.saveSpill(f, k, sp, size);
      return;
    }
    if (value && value.t !== RT.SCALAR) {
      if (size !== 8) {
        this.fail(i, 'invalid size of register spill');
      }
      if (!aligned) this.fail(i, 'invalid size of register spill');
      this.saveSpill(f, k, share(value), 8);
      return;
    }
    this.plainWrite(f, o, size, value);
  }

  saveSpill(f: Frame, k: number, r: Reg, size: number): void {
    f.touch(k * 8);
    f.own();
    f.spilled[k] = r;
    for (let b = 0; b < 8; b++) {
      const at = k * 8 + b;
      if (b < size) f.setByte(at, Slot.SPILL);
      else if (f.byte(at) !== Slot.ZERO) f.setByte(at, Slot.MISC);
    }
  }

  plainWrite(f: Frame, o: number, size: number, value: Reg | undefined): void {
    const b0 = 512 + o;
    const zero = value !== undefined && value.t === RT.SCALAR && tIsConst(value.v) && value.v.v === 0n;
    // zero bytes from a register that is not spilled: the register must stay 0 for the bytes to
    // stay zero in a state pruned against this one (check_stack_write_fixed_off)
    if (zero && this.storeReg >= 0) this.markPrecise(this.storeReg);
    for (let k = b0 >> 3; k <= (b0 + size - 1) >> 3; k++) {
      if (f.spilled[k] || f.byte(k * 8) === Slot.SPILL) this.scrubSlot(f, k);
    }
    f.touch(b0);
    f.ownTypes();
    for (let b = b0; b < b0 + size; b++) f.setByte(b, zero ? Slot.ZERO : Slot.MISC);
  }

  readStack(i: number, f: Frame, o: number, size: number, signed: boolean): Reg {
    const b0 = 512 + o;
    const k = b0 >> 3;
    // an iterator's slots are not data (check_stack_read_fixed_off: STACK_ITER)
    for (let b = b0; b < b0 + size; b++) if (f.iterRef[b >> 3] !== 0 || f.pktDyn[b >> 3] !== 0) this.fail(i, `invalid read from stack off ${o}+${b - b0} size ${size}`);
    const sp = f.spilled[k];
    if (sp && f.byte(k * 8) === Slot.SPILL) {
      let spillSize = 0;
      while (spillSize < 8 && f.byte(k * 8 + spillSize) === Slot.SPILL) spillSize++;
      // a fill that restores the spilled register is recorded in the path's history
      // (check_stack_read_fixed_off)
      if (size === 8 && spillSize === 8 && (b0 & 7) === 0) {
        this.pushHist(stackAccessFlags(f.frameno, k));
        return share(sp);
      }
      if (sp.t !== RT.SCALAR) this.fail(i, 'invalid size of register fill');
      if ((b0 & 7) === 0 && size <= spillSize) {
        this.pushHist(stackAccessFlags(f.frameno, k));
        const r = sp.clone();
        if (size < 8) {
          // a narrowing fill unlinks a value that does not fit; a sign-extending one also a
          // value whose sign bit is set in the narrow width (so the copies stay equal)
          if (r.umax >= 1n << BigInt(size * 8 - (signed ? 1 : 0))) clearScalarId(r);
          if (signed) coerceSx(r, size, false);
          else coerce(r, size);
        }
        return r;
      }
    }
    let zeros = 0;
    let spills = 0;
    for (let b = b0; b < b0 + size; b++) {
      const t = f.byte(b);
      if (t === Slot.ZERO) zeros++;
      else if (t === Slot.SPILL) {
        spills++;
        const s = f.spilled[b >> 3];
        if (s && s.t !== RT.SCALAR) this.fail(i, 'invalid size of register fill');
      }
      // STACK_INVALID reads are allowed for root (allow_uninit_stack)
    }
    // any bytes of a spilled constant zero read as zero, and the read is a fill of it
    // (check_stack_read_fixed_off)
    if (spills === size && sp && f.byte(k * 8) === Slot.SPILL && tIsConst(sp.v) && sp.v.v === 0n) {
      this.pushHist(stackAccessFlags(f.frameno, k));
      return constScalar(0n);
    }
    if (zeros === size) return constScalar(0n);
    const r = unknownScalar();
    if (size < 8) {
      if (signed) coerceSx(r, size, false);
      else coerce(r, size);
    }
    return r;
  }

  // ---------- jumps ----------

  condJump(i: number, row: OpcodeRow): void {
    void row;
    const p = this.p;
    const op = p.op[i];
    const x = opSource(op) === Source.X;
    const j32 = opClass(op) === Class.JMP32;
    const dst = p.dst[i];
    const src = p.src[i];
    let code = opCode(op);
    if (x) this.readReg(i, src);
    this.readReg(i, dst);
    const a = this.regs[dst];
    const b = x ? this.regs[src] : this.immScalar(i, j32);
    const target = jumpTarget(p, i);
    // a comparison involving a stack pointer is recorded, so backtracking skips that side
    if (a.t === RT.STACK || (x && b.t === RT.STACK)) this.pushHist((a.t === RT.STACK ? HF_DST_REG_STACK : 0) | (x && b.t === RT.STACK ? HF_SRC_REG_STACK : 0));
    let pred = -1;
    if (a.t === RT.SCALAR && b.t === RT.SCALAR) pred = scalarBranch(code, a, b, j32);
    else if ((a.t !== RT.SCALAR) !== (b.t !== RT.SCALAR)) {
      // pointer vs scalar: a non-null pointer is never 0 (is_branch_taken)
      const ptr = a.t !== RT.SCALAR ? a : b;
      const sc = a.t !== RT.SCALAR ? b : a;
      if (regNotNull(ptr) && tIsConst(sc.v) && (j32 ? (sc.v.v & 0xffffffffn) === 0n : sc.v.v === 0n)) {
        if (code === JmpOp.JEQ) pred = 0;
        else if (code === JmpOp.JNE) pred = 1;
      }
    } else if (!j32) pred = pktBranch(code, a, b);
    if (pred >= 0) {
      // the bounds decided the branch: the scalars compared must keep them (check_cond_jmp_op)
      if (a.t === RT.SCALAR) this.markPrecise(dst);
      if (x && b.t === RT.SCALAR) this.markPrecise(src);
    }
    if (pred === 1) {
      this.insn = target;
      return;
    }
    if (pred === 0) {
      this.insn = i + 1;
      return;
    }
    // an undecided branch on linked scalars records the links, before the other side is queued
    // so both share the entry (check_cond_jmp_op's collect_linked_regs)
    const linked: number[] = [];
    if (x && b.t === RT.SCALAR && b.id !== 0) this.linkedRegs(b.id, linked);
    if (a.t === RT.SCALAR && a.id !== 0) this.linkedRegs(a.id, linked);
    if (linked.length > 1) this.pushHist(0, linked);
    const other = this.st.clone();
    const tRegs = this.regs;
    let takenDead = false;
    let fallDead = false;
    if (a.t === RT.SCALAR && b.t === RT.SCALAR) {
      // the queued state's registers are shared (Frame.clone): refine copies (one if src is
      // dst); an immediate's refined copies are thrown away, so they are two reused scratch
      // registers
      const ta = other.cur.mutReg(dst);
      const tb = x ? (src === dst ? ta : other.cur.mutReg(src)) : IMM_TAKEN.copyFrom(b);
      const fa = tRegs[dst].clone();
      const fb = x ? tRegs[src].clone() : IMM_FALL.copyFrom(b);
      if (!refine(code, ta, tb, j32)) takenDead = true;
      const neg = code === JmpOp.JSET ? JNSET : negateCond(code);
      if (!refine(neg, fa, fb, j32)) fallDead = true;
      tRegs[dst] = fa;
      if (x) tRegs[src] = fb;
      // a side the refined bounds rule out is a decision on the scalars' values, as above
      if (takenDead || fallDead) {
        this.markPrecise(dst);
        if (x) this.markPrecise(src);
      }
      if (!takenDead) this.syncLinked(other, ta, tb, x);
      if (!fallDead) this.syncLinked(this.st, fa, fb, x);
    } else if (code === JmpOp.JEQ || code === JmpOp.JNE) {
      // null checks (mark_ptr_or_null_regs)
      const zeroB = b.t === RT.SCALAR && tIsConst(b.v) && b.v.v === 0n;
      const zeroA = a.t === RT.SCALAR && tIsConst(a.v) && a.v.v === 0n;
      const ptr = zeroB && a.nullable ? a : zeroA && b.nullable ? b : undefined;
      if (ptr && !j32) {
        const id = ptr.id;
        const ref = ptr.ref;
        // taken branch of JEQ / fall-through of JNE is the NULL side
        const nullSide = code === JmpOp.JEQ ? other : this.st;
        const okSide = code === JmpOp.JEQ ? this.st : other;
        markNull(nullSide, id, ref, true);
        markNull(okSide, id, ref, false);
      }
    }
    if (!j32 && a.t !== RT.SCALAR && b.t !== RT.SCALAR) {
      // packet pointer comparisons (try_match_pkt_pointers)
      this.matchPkt(code, dst, src, a, b, this.st, other);
    }
    void flipCond;
    code = 0;
    if (!takenDead && !fallDead) {
      this.pushBranch(other, target, i);
      this.insn = i + 1;
    } else if (!takenDead) {
      this.st = other;
      this.insn = target;
    } else if (!fallDead) {
      this.insn = i + 1;
    } else {
      this.endPath();
    }
  }

  /** Copy refined bounds to every scalar with the same id (sync_linked_regs). */
  syncLinked(st: State, a: Reg, b: Reg, x: boolean): void {
    if (a.t === RT.SCALAR && a.id !== 0) st.updateRegs(linkedTo, copyLinked, a);
    if (x && b.t === RT.SCALAR && b.id !== 0) st.updateRegs(linkedTo, copyLinked, b);
  }

  matchPkt(code: number, dst: number, src: number, a: Reg, b: Reg, fall: State, taken: State): void {
    const good = (st: State, reg: Reg, open: boolean) => findGoodPkt(st, reg, open);
    const end = (st: State, regno: number, open: boolean) => {
      st.cur.mutReg(regno).range = open ? BEYOND_PKT_END : AT_PKT_END;
    };
    const pktEnd = (r: Reg) => r.t === RT.PKT_END;
    let pkt: number;
    let other: Reg;
    let flipped = false;
    if ((a.t === RT.PKT && pktEnd(b)) || (a.t === RT.PKT_META && b.t === RT.PKT && b.range === 0 && tIsConst(b.v) && b.off === 0)) {
      pkt = dst;
      other = b;
    } else if ((b.t === RT.PKT && pktEnd(a)) || (b.t === RT.PKT_META && a.t === RT.PKT && a.range === 0 && tIsConst(a.v) && a.off === 0)) {
      pkt = src;
      other = a;
      flipped = true;
    } else return;
    const c = flipped ? flipCond(code) : code;
    const withEnd = pktEnd(other);
    const pr = (st: State) => st.cur.regs[pkt];
    switch (c) {
      case JmpOp.JGT: // pkt > end: taken beyond, fall-through pkt <= end
        good(fall, pr(fall), false);
        if (withEnd) end(taken, pkt, true);
        break;
      case JmpOp.JLT: // pkt < end
        good(taken, pr(taken), true);
        if (withEnd) end(fall, pkt, false);
        break;
      case JmpOp.JGE: // pkt >= end
        good(fall, pr(fall), true);
        if (withEnd) end(taken, pkt, false);
        break;
      case JmpOp.JLE: // pkt <= end
        good(taken, pr(taken), false);
        if (withEnd) end(fall, pkt, true);
        break;
    }
  }

  mayGoto(i: number): void {
    const target = jumpTarget(this.p, i);
    // as the kernel: the fall-through (loop body) is queued one may_goto level deeper, the walk
    // goes on at the target (taken when the budget is exhausted)
    const body = this.st.clone();
    body.mayGoto++;
    // only the queued body has the scalars that changed since the previous visit of this
    // may_goto on the path widened (check_cond_jmp_op's BPF_JCOND: find_prev_entry from the
    // checkpoint just saved here, widen_imprecise_scalars on the pushed state), so a running sum
    // does not keep the loop going; the path to the target keeps its values
    const prev = this.prevEntry(i, this.leaf && this.leaf.insn === i ? this.leaf.parent : this.leaf);
    if (prev) widen(prev.st, body);
    this.pushBranch(body, i + 1, i);
    this.insn = target;
  }

  clearPacketPointers(): void {
    this.st.updateRegs(
      (r) => r.t === RT.PKT || r.t === RT.PKT_META || r.t === RT.PKT_END || r.pktSlice,
      (r) => Object.assign(r, unknownScalar()),
    );
  }

  // ---------- calls ----------

  call(i: number): void {
    const p = this.p;
    const src = p.src[i];
    const imm = p.imm[i];
    if (src === CallSrc.BPF_PSEUDO_CALL) {
      const g = this.globals.get(i + imm + 1);
      if (g) return this.globalCall(i, i + imm + 1, g);
      if (this.st.lockId) this.fail(i, 'function calls are not allowed while holding a lock');
      this.bpfCall(i, i + imm + 1);
      return;
    }
    if (src === CallSrc.BPF_PSEUDO_KFUNC_CALL && imm === 0) {
      // an unresolved kfunc is passed over (no argument check, no register clobbered) and the
      // program refused after the walk if a path reached it (check_kfunc_call, fixup_kfunc_call)
      this.unresolvedKfuncCalls.add(i);
      this.insn = i + 1;
      return;
    }
    if (src === CallSrc.BPF_PSEUDO_KFUNC_CALL) {
      // kfunc arguments are not checked against their prototypes yet (docs/verifier.md). The
      // result follows the record's return kind (vm/kfuncs.ts), so programs may use it.
      const rec = KFUNCS_BY_ID.get(imm);
      // under a spin lock, of tcxlab's kfuncs only the numeric iterator's may be called (do_check_insn, kfunc_spin_allowed)
      if (this.st.lockId && !(rec?.args[0]?.kind === 'iter' && rec.args[0].iter === 'num')) this.fail(i, 'function calls are not allowed while holding a lock');
      if (imm === BPF_THROW_ID) return this.throwExit(i);
      const iter = rec ? this.kfuncArgs(i, rec) : undefined;
      // an RCU read-side section per path, not nested (check_kfunc_call, active_rcu_lock)
      if (rec?.name === 'bpf_rcu_read_lock') {
        if (this.st.rcu) this.fail(i, 'nested rcu read lock (kernel function bpf_rcu_read_lock)');
        this.st.rcu = true;
      }
      if (rec?.name === 'bpf_rcu_read_unlock') {
        if (!this.st.rcu) this.fail(i, 'unmatched rcu read unlock (kernel function bpf_rcu_read_unlock)');
        this.st.rcu = false;
      }
      // preemption off and on again, counted per path (active_preempt_locks)
      if (rec?.name === 'bpf_preempt_disable') this.st.preempt++;
      if (rec?.name === 'bpf_preempt_enable') {
        if (this.st.preempt === 0) this.fail(i, 'unmatched attempt to enable preemption (kernel function bpf_preempt_enable)');
        this.st.preempt--;
      }
      const ret = this.kfuncResult(i, rec);
      // a pointer an iterator hands out belongs to the iterator's reference (meta.ref_obj_id)
      if (iter && ret.t !== RT.SCALAR) ret.ref = iter.f.iterRef[iter.k];
      this.pktDynptr(rec, ret);
      for (let r = 1; r <= 5; r++) this.regs[r] = UNINIT;
      this.regs[0] = ret;
      this.insn = i + 1;
      if (iter && rec && (rec.flags & KF.ITER_NEXT) !== 0) this.iterNext(i, iter);
      return;
    }
    if (imm < 0 || imm >= BPF_FUNC_MAX_ID) this.fail(i, `invalid func unknown#${imm}`);
    if (!this.helperAllowed(imm)) this.fail(i, `program of this type cannot use helper ${helperName(imm)}#${imm}`);
    if (this.opts.gplCompatible === false && HELPER_PROTOS.get(imm)?.gplOnly) this.fail(i, 'cannot call GPL-restricted function from non-GPL compatible program');
    const proto = HELPER_PROTOS.get(imm);
    if (!proto) this.fail(i, `program of this type cannot use helper ${helperName(imm)}#${imm}`);
    if (this.st.lockId && imm !== 94 /* spin_unlock */) this.fail(i, 'function calls are not allowed while holding a lock');
    this.helperCall(i, proto);
  }

  /**
   * r0 after a kfunc call (the kernel's check_kfunc_call return handling, simplified): a dynptr
   * slice is memory of its constant size, an iterator's next value a 4-byte int, both NULL-able;
   * a cast result is a pointer whose accesses the verifier does not bound. Where the kernel's
   * rule is not modelled (the cast's BTF type, the slice's size when not constant) the bound is
   * left to the runtime, whose memory isolation faults on any access outside the region the
   * pointer came from (docs/memory-isolation.md), as the issue's rule for unmodelled kernel
   * rules requires. A NULL-able result gets an id fixed by its call site, so the states of a
   * loop around an iterator compare equal from one iteration to the next.
   */
  kfuncResult(i: number, rec: KfuncRecord | undefined): Reg {
    const ret = rec?.ret;
    if (ret === undefined || ret.kind === 'void' || ret.kind === 'scalar') return unknownScalar();
    const r = pointer(RT.MEM);
    switch (ret.kind) {
      case 'mem': {
        const size = this.regs[ret.sizeArg + 1]; // sizeArg counts parameters from 0: r1 is parameter 0
        r.size = size.t === RT.SCALAR && tIsConst(size.v) && size.v.v <= BigInt(UNBOUNDED_MEM) ? Number(size.v.v) : UNBOUNDED_MEM;
        r.rdonly = ret.rdonly;
        break;
      }
      case 'iter_int':
        // a pointer to a scalar the kfunc owns: read only (check_kfunc_call, r0_rdonly)
        r.size = 4;
        r.rdonly = true;
        break;
      case 'rdonly_cast':
        r.size = UNBOUNDED_MEM;
        r.rdonly = true;
        break;
      case 'kern_ctx':
        r.size = UNBOUNDED_MEM;
        r.rdonly = true;
        break;
    }
    if (ret.kind === 'iter_int' || ((rec as KfuncRecord).flags & KF.RET_NULL) !== 0) {
      r.nullable = true;
      r.id = KFUNC_RESULT_ID + i;
    }
    return r;
  }

  /**
   * Dynptrs over the packet: bpf_dynptr_from_skb/xdp mark the dynptr's stack slot, and a slice
   * of such a dynptr points into the packet (the kernel's dynptr type on the slot and
   * DYNPTR_TYPE_SKB/XDP on the slice), so clearPacketPointers invalidates it.
   */
  /**
   * A pointer that must point at its object's start (__check_ptr_off_reg): a negative fixed
   * offset, then any fixed offset, then a variable part are refused, in the kernel's order.
   */
  ptrAtStart(i: number, regno: number, reg: Reg, what = typeName(reg)): void {
    if (reg.off < 0) this.fail(i, `negative offset ${what} ptr R${regno} off=${reg.off} disallowed`);
    if (reg.off !== 0) this.fail(i, `dereference of modified ${what} ptr R${regno} off=${reg.off} disallowed`);
    if (!tIsConst(reg.v) || reg.v.v !== 0n) this.fail(i, `variable ${what} access var_off=${tStr(reg.v)} disallowed`);
  }

  /** One line per reference still held (check_reference_leak). */
  unreleased(): string {
    return this.st.refs.map((r) => `Unreleased reference id=${r.id} alloc_insn=${r.insn}`).join('\n');
  }

  /** A dynptr argument on the stack sits at a constant, slot-aligned offset (dynptr_get_spi). */
  /** Mark the two slots of a dynptr made at `at` (mark_stack_slots_dynptr). */
  markDynptr(at: StackSlot | undefined, first: number): void {
    if (at === undefined) return;
    at.f.ownDyn();
    at.f.pktDyn[at.k] = first;
    at.f.pktDyn[at.k + 1] = DYN_SECOND;
  }

  /**
   * A dynptr argument that must be initialized: both of its slots hold one dynptr
   * (process_dynptr_func, is_dynptr_reg_valid_init); the slots count as read.
   */
  initializedDynptr(i: number, regno: number, reg: Reg): void {
    const at = this.dynptrAt(reg);
    const m = at?.f.pktDyn[at.k];
    if (at === undefined || (m !== DYN_PKT && m !== DYN_OTHER) || at.f.pktDyn[at.k + 1] !== DYN_SECOND) this.fail(i, `Expected an initialized dynptr as arg #${regno - 1}`);
    this.stackReadRange(at.frame, at.k * 8 - 512, at.k * 8 - 496);
  }

  dynptrSlot(i: number, reg: Reg): void {
    if (!tIsConst(reg.v)) this.fail(i, 'dynptr has to be at a constant offset');
    const off = reg.off + Number(BigInt.asIntN(64, reg.v.v));
    // slot-aligned, with both of its slots below the frame pointer (stack_slot_obj_get_spi)
    if (off % 8 !== 0 || Math.trunc((-off - 1) / 8) + 1 < 2) this.fail(i, `cannot pass in dynptr at an offset=${off}`);
  }

  /**
   * The kfunc argument rules modelled so far (check_kfunc_args): a dynptr on the stack at a
   * constant offset (an uninitialised one is written), and memory with its size: the size is
   * bounded and the memory writable over it (check_kfunc_mem_size_reg), a __szk size a known
   * constant. The other kinds are left to the runtime, which checks what it is given.
   */
  kfuncArgs(i: number, rec: KfuncRecord): StackSlot | undefined {
    let iter: StackSlot | undefined;
    rec.args.forEach((a, k) => {
      const regno = k + 1;
      const reg = this.regs[regno];
      if (a.kind === 'iter') {
        iter = this.iterArg(i, rec, k, a.iter);
      } else if (a.kind === 'dynptr' && reg.t === RT.STACK) {
        this.dynptrSlot(i, reg);
        if (!a.uninit) this.initializedDynptr(i, regno, reg);
        if (a.uninit) {
          this.helperMem(i, regno, 16n, true, false, false, true);
          // a new dynptr takes an id of its own (mark_dynptr_stack_regs)
          this.idGen++;
        }
      } else if (a.kind === 'mem_size') {
        const mem = rec.args[k - 1];
        const buf = this.regs[regno - 1];
        const optionalNull = mem?.kind === 'mem' && mem.nullable === true && buf.t === RT.SCALAR && tIsConst(buf.v) && buf.v.v === 0n;
        if (!optionalNull) this.sizeArg(i, regno, 'umem', true);
        if (a.const && !(reg.t === RT.SCALAR && tIsConst(reg.v))) this.fail(i, `R${regno} must be a known constant`);
        if (a.const) this.markPrecise(regno);
      }
    });
    return iter;
  }

  /**
   * An iterator argument (process_iter_arg): a stack pointer at a constant, slot-aligned offset.
   * A constructor (KF_ITER_NEW) needs slots that hold no iterator, writes them and makes them an
   * active iterator holding a new reference (mark_stack_slots_iter); every other kfunc needs an
   * iterator of its kind there (is_iter_reg_valid_init), and a destructor releases it and
   * leaves the slots invalid (unmark_stack_slots_iter).
   */
  iterArg(i: number, rec: KfuncRecord, k: number, kind: 'num' | 'bits'): StackSlot {
    const regno = k + 1;
    const reg = this.regs[regno];
    if (reg.t !== RT.STACK) this.fail(i, `arg#${k} expected pointer to an iterator on stack`);
    if (!tIsConst(reg.v)) this.fail(i, 'iter has to be at a constant offset');
    const off = reg.off + Number(BigInt.asIntN(64, reg.v.v));
    const nr = kind === 'bits' ? 2 : 1;
    if (off % 8 !== 0 || off > -8 * nr) this.fail(i, `cannot pass in iter at an offset=${off}`);
    const f = this.st.frames[reg.frame];
    const slot = (512 + off) >> 3;
    const kindBit = kind === 'bits' ? ITER_BITS : 0;
    if ((rec.flags & KF.ITER_NEW) !== 0) {
      for (let j = 0; j < nr && slot >= 0; j++) if (f.iterRef[slot + j] !== 0) this.fail(i, `expected uninitialized iter_${kind} as arg #${k}`);
      for (let j = 0; j < nr; j++) this.stackAccess(i, regno, reg, reg.off + 8 * j, 8, true, undefined, false);
      const id = ++this.idGen;
      this.st.refs = [...this.st.refs, { id, insn: i, kind: 'iter' }];
      f.ownDyn();
      for (let j = 0; j < nr; j++) {
        f.iterRef[slot + j] = j === 0 ? id : -1;
        f.iterInfo[slot + j] = kindBit;
      }
      return { f, k: slot, frame: reg.frame };
    }
    let ok = slot >= 0 && f.iterRef[slot] > 0 && (f.iterInfo[slot] & ITER_BITS) === kindBit;
    for (let j = 1; j < nr; j++) ok &&= f.iterRef[slot + j] === -1;
    if (!ok) this.fail(i, `expected an initialized iter_${kind} as arg #${k}`);
    this.stackReadRange(reg.frame, off, off + 8 * nr);
    if ((rec.flags & KF.ITER_DESTROY) !== 0) {
      const id = f.iterRef[slot];
      this.st.refs = this.st.refs.filter((r) => r.id !== id);
      // the iterator's element pointers go with it (release_reference)
      this.st.updateRegs((r) => r.ref === id, (r) => Object.assign(r, unknownScalar()));
      f.own();
      f.ownDyn();
      for (let j = 0; j < nr; j++) {
        f.iterRef[slot + j] = 0;
        f.iterInfo[slot + j] = 0;
        f.spilled[slot + j] = undefined;
        for (let b = 0; b < 8; b++) f.setByte((slot + j) * 8 + b, Slot.INVALID);
      }
    }
    return { f, k: slot, frame: reg.frame };
  }

  /**
   * An iterator's next call (process_iter_next_call): an active iterator may go on, so a state
   * with it still active one level deeper and r0 not NULL is queued after the call, widened
   * against the previous visit of this call (find_prev_entry, widen_imprecise_scalars); this
   * path goes on with the iterator drained and r0 = 0.
   */
  iterNext(i: number, at: StackSlot): void {
    const info = at.f.iterInfo[at.k];
    if ((info & ITER_DRAINED) === 0) {
      const queued = this.st.clone();
      const qf = queued.frames[at.frame];
      qf.ownDyn();
      qf.iterInfo[at.k] = info + 4;
      const prev = this.prevEntry(i, this.leaf && this.leaf.insn === i ? this.leaf.parent : this.leaf);
      if (prev) widen(prev.st, queued);
      queued.cur.mutReg(0).nullable = false;
      this.pushBranch(queued, i + 1, i);
    }
    at.f.ownDyn();
    at.f.iterInfo[at.k] = info | ITER_DRAINED;
    this.regs[0] = constScalar(0n);
  }

  /** Register `regno` points at an iterator that is still active. */
  iterActive(regno: number): boolean {
    const at = this.stackSlotAt(this.regs[regno], 1);
    return at !== undefined && at.f.iterRef[at.k] > 0 && (at.f.iterInfo[at.k] & ITER_DRAINED) === 0;
  }

  /** r points at a dynptr over the packet. */
  pktDynAt(r: Reg): boolean {
    const at = this.dynptrAt(r);
    return at !== undefined && at.f.pktDyn[at.k] === DYN_PKT;
  }

  /** The frame and first slot of the 16-byte dynptr a stack pointer points at, or undefined. */
  dynptrAt(r: Reg): StackSlot | undefined {
    return this.stackSlotAt(r, 2);
  }

  /**
   * The frame and first slot of `slots` 8-byte slots a stack pointer at a constant offset points
   * at, when they are all inside the frame; undefined otherwise.
   */
  stackSlotAt(r: Reg, slots: number): StackSlot | undefined {
    if (r.t !== RT.STACK || !tIsConst(r.v)) return undefined;
    const k = (512 + r.off + Number(BigInt.asIntN(64, r.v.v))) >> 3;
    return k >= 0 && k <= 64 - slots ? { f: this.st.frames[r.frame], k, frame: r.frame } : undefined;
  }

  pktDynptr(rec: KfuncRecord | undefined, ret: Reg): void {
    if (rec === undefined) return;
    const at = (n: number) => (n < 0 ? undefined : this.dynptrAt(this.regs[n + 1]));
    const src = at(rec.args.findIndex((a) => a.kind === 'dynptr' && a.uninit !== true));
    const made = at(rec.args.findIndex((a) => a.kind === 'dynptr' && a.uninit === true));
    if (made) {
      // a new dynptr (bpf_dynptr_from_*), or a clone of `src` with its type (bpf_dynptr_clone)
      made.f.touch(made.k * 8);
      made.f.ownDyn();
      this.markDynptr(made, makesPktDynptr(rec) || (src !== undefined && src.f.pktDyn[src.k] === DYN_PKT) ? DYN_PKT : DYN_OTHER);
      // a clone shares its source's reference, released with it (mark_stack_slots_dynptr's clone_ref_obj_id)
      const ref = src !== undefined ? src.f.refDyn[src.k] : 0;
      made.f.refDyn[made.k] = ref;
      made.f.refDyn[made.k + 1] = ref;
    } else if (src && ret.t === RT.MEM && src.f.pktDyn[src.k] === DYN_PKT) {
      this.stackReadRange(src.frame, src.k * 8 - 512, src.k * 8 - 504);
      ret.pktSlice = true;
    }
  }

  /**
   * A call of a global function (check_func_call): its arguments are checked against its BTF
   * prototype, it is queued to be verified on its own, and the caller goes on with r0 an unknown
   * scalar and r1-r5 unreadable.
   */
  globalCall(i: number, target: number, g: GlobalFunc): void {
    const k = this.subIndexOf[target];
    if (this.st.lockId) this.fail(i, 'global function calls are not allowed while holding a lock,\nuse static function instead');
    const refused = `Caller passes invalid args into func#${k} ('${g.name}')`;
    // a prototype the kernel cannot use is a note before the refusal; an argument that does not
    // match is the error itself, the refusal its context (the kernel's log lines)
    if (g.error) this.fail(i, `${refused}\n${g.error}`);
    const bad = this.globalArgsError(i, g);
    if (bad !== undefined) this.fail(i, `${bad}\n${refused}`);
    if (this.logLevel > 0) this.log.push(`Func#${k} ('${g.name}') is global and assumed valid.`);
    this.calledGlobals.add(target);
    if (this.pktChanging[k]) this.clearPacketPointers();
    const regs = this.regs;
    for (let r = 1; r <= 5; r++) regs[r] = UNINIT;
    regs[0] = unknownScalar();
    this.insn = i + 1;
  }

  /** Why the argument registers do not match the prototype (btf_check_func_arg_match), or undefined. */
  globalArgsError(i: number, g: GlobalFunc): string | undefined {
    for (let a = 0; a < g.args.length; a++) {
      const regno = a + 1;
      const reg = this.readReg(i, regno);
      const arg = g.args[a];
      if (arg.kind === 'scalar') {
        if (reg.t !== RT.SCALAR) return `R${regno} is not a scalar`;
        continue;
      }
      if (arg.kind === 'ctx') {
        if (reg.t !== RT.CTX) return `arg#${a} expects pointer to ctx`;
        if (reg.off !== 0 || !tIsConst(reg.v) || reg.v.v !== 0n) return `dereference of modified ctx ptr R${regno} off=${reg.off} disallowed`;
        continue;
      }
      // memory of the prototype's size, readable and writable; NULL passes (check_mem_reg)
      if (reg.t === RT.SCALAR && tIsConst(reg.v) && reg.v.v === 0n) continue;
      const saved = reg;
      const r = reg.clone();
      r.nullable = false;
      this.regs[regno] = r;
      try {
        this.helperMem(i, regno, BigInt(arg.size), false, true, false);
        if (r.t !== RT.STACK) this.helperMem(i, regno, BigInt(arg.size), true, true, false);
      } catch (e) {
        if (e instanceof VerifierError) return e.reason;
        throw e;
      } finally {
        this.regs[regno] = saved;
      }
      if (!arg.nullable && saved.nullable) return `arg#${a} is expected to be non-NULL`;
    }
    return undefined;
  }

  /**
   * bpf_throw (check_kfunc_call, then process_bpf_exit_full with exception_exit): the path ends at
   * any depth, with nothing held (check_resource_leak, "bpf_throw" as the prefix: references,
   * then RCU, then preemption) and no return value check; the cookie is a scalar.
   */
  throwExit(i: number): void {
    if (this.readReg(i, 1).t !== RT.SCALAR) this.fail(i, 'R1 is not a scalar');
    const st = this.st;
    if (st.refs.length) this.fail(i, this.unreleased());
    if (st.rcu) this.fail(i, 'bpf_throw cannot be used inside bpf_rcu_read_lock-ed region');
    if (st.preempt) this.fail(i, 'bpf_throw cannot be used inside bpf_preempt_disable-ed region');
    return this.endPath();
  }

  /** The state a global function is verified from: its arguments as its prototype types them. */
  globalEntry(start: number): State {
    const g = this.globals.get(start) ?? { name: '', args: [{ kind: 'scalar' }] };
    if (g.error) this.fail(start, g.error);
    // the exception callback runs with the cookie as its only argument (do_check_common)
    if (start === this.excCb && (g.args.length !== 1 || g.args[0].kind !== 'scalar')) this.fail(start, 'exception cb only supports single integer argument');
    const f = new Frame(0, -1, start);
    g.args.forEach((arg, a) => {
      if (arg.kind === 'scalar') f.regs[a + 1] = unknownScalar();
      else if (arg.kind === 'ctx') f.regs[a + 1] = pointer(RT.CTX);
      else {
        const m = pointer(RT.MEM);
        m.size = arg.size;
        m.nullable = arg.nullable;
        m.id = ++this.idGen;
        f.regs[a + 1] = m;
      }
    });
    const st = new State([f]);
    st.first = start;
    return st;
  }

  bpfCall(i: number, target: number, cb?: CallbackInfo, args?: Reg[]): void {
    if (this.st.frames.length >= MAX_CALL_DEPTH) this.fail(i, `the call stack of ${this.st.frames.length + 1} frames is too deep`);
    const caller = this.st.cur;
    const f = new Frame(this.st.frames.length, i, target);
    for (let r = 1; r <= 5; r++) f.regs[r] = args ? args[r].clone() : caller.regs[r].clone();
    f.callback = cb;
    this.st.frames.push(f);
    this.sl.resetChain();
    this.insn = target;
  }

  exit(i: number): void {
    const st = this.st;
    const f = st.cur;
    // a static subprogram's r0 is checked where the caller reads it (prepare_func_exit copies it)
    if (st.frames.length === 1 || f.callback) this.readReg(i, 0);
    // a lock may be held over a subprogram's exit, back to its caller; only the main program's
    // exit must be outside it (check_resource_leak with check_lock for the outermost frame)
    if (st.lockId && st.frames.length === 1) this.fail(i, 'BPF_EXIT instruction in main prog cannot be used inside bpf_spin_lock-ed region');
    if (st.frames.length > 1) {
      // return to the caller (prepare_func_exit)
      const r0 = f.regs[0];
      if (r0.t === RT.STACK && r0.frame === f.frameno) this.fail(i, 'cannot return stack pointer to the caller');
      // a callback's return value is checked against its range: relied on (prepare_func_exit)
      if (f.callback) this.markPrecise(0);
      // the callee's reads and writes are final for this call: solve them (bpf_update_live_stack)
      this.sl.update(st.frames);
      st.frames.pop();
      const caller = st.cur;
      const cb = f.callback;
      if (cb) {
        if (r0.t !== RT.SCALAR) this.fail(i, `At callback return the register R0 is not a known value (${typeName(r0)})`);
        if (r0.smin < cb.retMin || r0.smax > cb.retMax) {
          this.fail(i, `At callback return the register R0 has smin=${r0.smin} smax=${r0.smax} should have been in [${cb.retMin}, ${cb.retMax}]`);
        }
        // Back to the helper call itself with the caller's registers as they were there: the
        // call is checked again and queues the next iteration, until the states converge at the
        // call site or the helper's bound is reached (prepare_func_exit). Scalars that changed
        // since the previous visit of the call on this path, and that nothing relied on, are
        // widened so the iterations converge (widen_imprecise_scalars).
        this.insn = f.callsite;
        for (let c = this.leaf; c; c = c.parent) {
          if (c.insn === f.callsite && c.pending > 0 && sameCallsites(c.st, st)) {
            widen(c.st, st);
            break;
          }
        }
        return;
      }
      caller.regs[0] = r0;
      for (let r = 1; r <= 5; r++) caller.regs[r] = UNINIT;
      this.insn = f.callsite + 1;
      return;
    }
    // a global function returns a scalar to its callers (check_return_code for a subprogram)
    if (f.subprog !== 0 && f.subprog !== this.excCb && !f.callback && f.regs[0].t !== RT.SCALAR) this.fail(i, `At subprogram exit the register R0 is not a scalar value (${typeName(f.regs[0])})`);
    const cb = f.callback;
    if (cb) {
      const r0 = f.regs[0];
      if (r0.t !== RT.SCALAR) this.fail(i, `At async callback return the register R0 is not a known value (${typeName(r0)})`);
      this.markPrecise(0);
      if (r0.smin < cb.retMin || r0.smax > cb.retMax)
        this.fail(i, `At async callback the register R0 has smin=${r0.smin} smax=${r0.smax} should have been in [${cb.retMin}, ${cb.retMax}]`);
    }
    if (st.refs.length) this.fail(i, this.unreleased());
    // the outermost exit (check_resource_leak with check_lock)
    if (st.rcu) this.fail(i, 'BPF_EXIT instruction in main prog cannot be used inside bpf_rcu_read_lock-ed region');
    if (st.preempt) this.fail(i, 'BPF_EXIT instruction in main prog cannot be used inside bpf_preempt_disable-ed region');
    this.endPath();
  }

  argError(i: number, regno: number, reg: Reg, expected: string): never {
    return this.fail(i, `R${regno} type=${typeName(reg)} expected=${expected}`);
  }

  /**
   * Memory a helper reads or writes through register `regno` (check_helper_mem_access). `raw`:
   * uninitialised memory the helper only writes (MEM_UNINIT, the kernel's raw mode), which reads
   * no stack slot.
   */
  helperMem(i: number, regno: number, size: bigint, write: boolean, zeroOk: boolean, nullOk: boolean, raw = false): void {
    const reg = this.regs[regno];
    const n = Number(size);
    if (nullOk && n === 0 && reg.t === RT.SCALAR && tIsConst(reg.v) && reg.v.v === 0n) return;
    switch (reg.t) {
      case RT.PKT:
      case RT.PKT_META:
        if (write && !this.type.packetWrite) this.fail(i, 'helper access to the packet is not allowed');
        this.packetAccess(i, regno, reg, reg.off, n, zeroOk);
        return;
      case RT.MAP_KEY:
        this.memRegion(i, regno, reg, reg.off, n, this.maps[reg.map].keySize, 'map_key');
        return;
      case RT.MAP_VALUE:
        if (n === 0 && zeroOk) return;
        this.mapValueAccess(i, regno, reg, reg.off, n, write, false, true);
        return;
      case RT.MEM:
        if (write && reg.rdonly) this.fail(i, `R${regno} cannot write into ${typeName(reg)}`);
        if (n === 0 && zeroOk) return;
        this.memRegion(i, regno, reg, reg.off, n, reg.size, 'mem');
        return;
      case RT.STACK: {
        if (n === 0 && !zeroOk) this.fail(i, 'invalid zero-sized read');
        // a helper's access is named by its direction, as a load's or store's is (check_stack_access_within_bounds)
        this.stackBounds(i, regno, reg, reg.off, n, write ? ' write to' : ' read from');
        if (n === 0) return;
        const f = this.st.frames[reg.frame];
        const sub = this.subIndexOf[f.subprog];
        const lo = tIsConst(reg.v) ? reg.off + Number(BigInt.asIntN(64, reg.v.v)) : reg.off + Number(reg.smin);
        const hi = tIsConst(reg.v) ? lo + n : reg.off + Number(reg.smax) + n;
        this.stackDepth[sub] = Math.max(this.stackDepth[sub], -lo);
        // the slots count as read (and not as written: which bytes the helper writes is not
        // known), except for memory the helper only fills (check_stack_range_initialized)
        if (!raw) this.stackReadRange(reg.frame, lo, hi);
        if (write) {
          this.overwriteStack(f, 512 + lo, hi - lo);
          f.touch(512 + lo);
        }
        for (let a = lo; a < hi; a++) {
          const b = 512 + a;
          // an iterator's or dynptr's slots are not data for a helper to read (check_stack_range_initialized)
          if (!write && !raw && (f.iterRef[b >> 3] !== 0 || f.pktDyn[b >> 3] !== 0)) {
            this.fail(i, tIsConst(reg.v) ? `invalid read from stack R${regno} off ${lo}+${a - lo} size ${n}` : `invalid read from stack R${regno} var_off ${tStr(reg.v)}+${a - lo} size ${n}`);
          }
          const sp = f.spilled[b >> 3];
          if (f.byte(b) === Slot.SPILL && sp && sp.t !== RT.SCALAR && !write) {
            // root may pass spilled pointers to helpers (allow_ptr_leaks); they become scalars only when written
          }
          if (write) {
            clearPktDyn(f, b, 1);
            if (f.byte(b) === Slot.SPILL) this.scrubSlot(f, b >> 3);
            f.ownTypes();
            f.setByte(b, Slot.MISC);
          }
        }
        return;
      }
      default:
        // a NULL allowed by the argument type but with a size that may be non-zero: the memory
        // check's own message (check_helper_mem_access)
        if (nullOk) this.fail(i, `R${regno} type=${typeName(reg)} expected=fp`);
        this.argError(i, regno, reg, 'fp, pkt, pkt_meta, map_key, map_value, mem, ringbuf_mem, buf, trusted_ptr_');
    }
  }

  /** A size argument (check_mem_size_reg) for the memory argument before it. */
  sizeArg(i: number, regno: number, memKind: ArgKind, zeroOk: boolean): void {
    const reg = this.regs[regno];
    if (reg.t !== RT.SCALAR) this.argError(i, regno, reg, 'scalar');
    if (reg.smin < 0n) this.fail(i, `R${regno} min value is negative, either use unsigned or 'var &= const'`);
    if (reg.umin === 0n && !zeroOk) this.fail(i, `R${regno} invalid zero-sized read: u64=[${reg.umin},${reg.umax}]`);
    if (reg.umax >= BPF_MAX_VAR_SIZ) this.fail(i, `R${regno} unbounded memory access, use 'var &= const' or 'if (var < const)'`);
    const write = memKind === 'umem' || memKind === 'umem?' || memKind === 'rwmem';
    this.helperMem(i, regno - 1, reg.umax, write, zeroOk, memKind === 'mem?' || memKind === 'umem?', memKind === 'umem' || memKind === 'umem?');
    this.markPrecise(regno);
  }

  curProto: HelperProto | undefined;

  /**
   * The key a stack pointer points at when the verifier knows it (get_constant_map_key): zero
   * bytes over the whole key, or a spilled constant of exactly the key's size; the spilled
   * constant is then relied on (precise). -1n when not known.
   */
  constMapKey(reg: Reg, keySize: number): bigint {
    if (reg.t !== RT.STACK || !tIsConst(reg.v)) return -1n;
    const at = 512 + reg.off + Number(BigInt.asIntN(64, reg.v.v));
    if (at < 0 || at >= 512) return -1n;
    const f = this.st.frames[reg.frame];
    const k = at >> 3;
    let zeros = 0;
    for (let b = at & 7; b < 8 && f.byte(k * 8 + b) === Slot.ZERO; b++) zeros++;
    if (zeros >= keySize) return 0n;
    const sp = f.spilled[k];
    if (sp === undefined || f.byte(k * 8) !== Slot.SPILL || sp.t !== RT.SCALAR) return -1n;
    let spill = 0;
    for (let b = at & 7; b < 8 && f.byte(k * 8 + b) === Slot.SPILL; b++) spill++;
    if (spill !== keySize || !tIsConst(sp.v)) return -1n;
    const bt = this.prec.bt;
    bt.reset(this.st.frames.length - 1);
    bt.setSlot(reg.frame, k);
    this.prec.backtrack(this.st, this.atInsn, this.leaf);
    return sp.v.v;
  }

  /** The register a store through `access` writes (-1 for BPF_ST and loads). */
  storeReg = -1;

  helperCall(i: number, proto: HelperProto): void {
    const id = proto.id;
    this.curProto = proto;
    // bpf_dynptr_write into an skb dynptr changes packet data (check_helper_call's dynptr_write case)
    const dynWritesPkt = id === BPF_FUNC_DYNPTR_WRITE && this.pktDynAt(this.regs[1]);
    let mapIdx = -1;
    let release = 0;
    let allocSize = 0n;
    let funcTarget = -1;
    let lockReg = -1;
    let timerReg = -1;
    /** The stack location of a dynptr argument (frame, first slot). */
    let dynAt: { f: Frame; k: number } | undefined;
    /** An initialized dynptr argument (the source of a slice). */
    let srcDyn: { f: Frame; k: number } | undefined;
    /** A constant key of an array map (get_constant_map_key), or -1. */
    let constKey = -1n;
    for (let a = 0; a < proto.args.length; a++) {
      const regno = a + 1;
      const kind = proto.args[a];
      const reg = this.readReg(i, regno);
      if (isPkt(reg.t) && !proto.pktAccess && kind !== 'any') this.fail(i, 'helper access to the packet is not allowed');
      // NULL for a pointer that may be NULL: it must stay NULL (check_func_arg)
      if (kind.endsWith('?') && reg.t === RT.SCALAR && tIsConst(reg.v) && reg.v.v === 0n) this.markPrecise(regno);
      switch (kind) {
        case 'any':
          break;
        case 'map':
          if (reg.t !== RT.MAP_PTR || reg.nullable) this.argError(i, regno, reg, 'map_ptr');
          mapIdx = reg.map;
          this.mapCompat(i, proto, this.maps[mapIdx]);
          break;
        case 'key':
        case 'value':
        case 'uval':
        case 'value?': {
          if (mapIdx < 0) this.fail(i, `invalid map_ptr to access map->${kind === 'key' ? 'key' : 'value'}`);
          const m = this.maps[mapIdx];
          if (kind === 'value?' && reg.t === RT.SCALAR && tIsConst(reg.v) && reg.v.v === 0n) break;
          if (kind === 'value' && (m.type === MT.BPF_MAP_TYPE_SOCKMAP || m.type === MT.BPF_MAP_TYPE_SOCKHASH)) {
            // a sockmap's value is a socket (resolve_map_arg_type: ARG_PTR_TO_BTF_ID_SOCK_COMMON)
            // a NULL-able pointer matches none of the accepted types (check_reg_type)
            if ((reg.t !== RT.SOCKET && reg.t !== RT.SOCK_COMMON && reg.t !== RT.TCP_SOCK && reg.t !== RT.BTF_ID) || reg.nullable)
              this.argError(i, regno, reg, 'sock_common, sock, tcp_sock, xdp_sock, ptr_, trusted_ptr_');
            break;
          }
          if (reg.t !== RT.STACK && reg.t !== RT.PKT && reg.t !== RT.PKT_META && reg.t !== RT.MAP_KEY && reg.t !== RT.MAP_VALUE && reg.t !== RT.MEM)
            this.argError(i, regno, reg, 'fp, pkt, pkt_meta, map_key, map_value, mem, ringbuf_mem, buf, trusted_ptr_');
          this.helperMem(i, regno, BigInt(kind === 'key' ? m.keySize : m.valueSize), kind === 'uval', false, false, kind === 'uval');
          if (kind === 'key' && (m.type === MT.BPF_MAP_TYPE_ARRAY || m.type === MT.BPF_MAP_TYPE_PERCPU_ARRAY)) constKey = this.constMapKey(reg, m.keySize);
          break;
        }
        case 'ctx':
        case 'ctx?':
          if (kind === 'ctx?' && reg.t === RT.SCALAR && tIsConst(reg.v) && reg.v.v === 0n) break;
          if (reg.t !== RT.CTX) this.argError(i, regno, reg, 'ctx');
          this.ptrAtStart(i, regno, reg, 'ctx');
          break;
        case 'mem':
        case 'umem':
        case 'mem?':
        case 'umem?':
        case 'rwmem': {
          const nullOk = kind === 'mem?' || kind === 'umem?';
          if (nullOk && reg.t === RT.SCALAR && tIsConst(reg.v) && reg.v.v === 0n) break;
          if (reg.t !== RT.STACK && reg.t !== RT.PKT && reg.t !== RT.PKT_META && reg.t !== RT.MAP_KEY && reg.t !== RT.MAP_VALUE && reg.t !== RT.MEM)
            this.argError(i, regno, reg, 'fp, pkt, pkt_meta, map_key, map_value, mem, ringbuf_mem, buf, trusted_ptr_');
          if (reg.nullable) this.argError(i, regno, reg, 'fp, pkt, pkt_meta, map_key, map_value, mem, ringbuf_mem, buf, trusted_ptr_');
          break; // checked with the size argument
        }
        case 'size':
        case 'size0':
          this.sizeArg(i, regno, proto.args[a - 1], kind === 'size0');
          break;
        case 'asize':
          if (reg.t !== RT.SCALAR) this.argError(i, regno, reg, 'scalar');
          if (!tIsConst(reg.v)) this.fail(i, `R${regno} is not a known constant'`);
          allocSize = reg.v.v;
          this.markPrecise(regno);
          break;
        case 'skc':
          // ARG_PTR_TO_SOCK_COMMON: the socket types only (check_reg_type's sock_types)
          if ((reg.t !== RT.SOCKET && reg.t !== RT.SOCK_COMMON && reg.t !== RT.TCP_SOCK) || reg.nullable)
            this.argError(i, regno, reg, 'sock_common, sock, tcp_sock, xdp_sock');
          break;
        case 'sk':
        case 'skrel':
          // a NULL-able pointer matches none of the accepted types (check_reg_type)
          if ((reg.t !== RT.SOCKET && reg.t !== RT.SOCK_COMMON && reg.t !== RT.TCP_SOCK && reg.t !== RT.BTF_ID) || reg.nullable)
            this.argError(i, regno, reg, 'sock_common, sock, tcp_sock, xdp_sock, ptr_, trusted_ptr_');
          if (kind === 'skrel') {
            if (!reg.ref) this.fail(i, `R${regno} must be referenced when passed to release function`);
            release = reg.ref;
          }
          break;
        case 'alloc':
          if (reg.t !== RT.MEM || !reg.ringbuf) this.argError(i, regno, reg, 'ringbuf_mem');
          if (!reg.ref) this.fail(i, `R${regno} must be referenced when passed to release function`);
          if (reg.off !== 0 || !tIsConst(reg.v)) this.fail(i, `R${regno} must have zero offset when passed to release func or trusted arg to kfunc`);
          release = reg.ref;
          break;
        case 'lock':
          if (reg.t !== RT.MAP_VALUE || reg.nullable) this.argError(i, regno, reg, 'map_value, ptr_');
          lockReg = regno;
          break;
        case 'timer': {
          if (reg.t !== RT.MAP_VALUE || reg.nullable) this.argError(i, regno, reg, 'map_value');
          const m = this.maps[reg.map];
          if (m.timerOff === undefined) this.fail(i, `map '${m.name ?? ''}' has no valid bpf_timer`);
          if (!tIsConst(reg.v) || reg.off + Number(reg.v.v) !== m.timerOff)
            this.fail(i, `off ${reg.off + Number(reg.v.v)} doesn't point to 'struct bpf_timer' that is at ${m.timerOff}`);
          timerReg = regno;
          break;
        }
        case 'func':
          if (reg.t !== RT.FUNC) this.argError(i, regno, reg, 'func');
          funcTarget = reg.frame;
          break;
        case 'stk?':
          if (reg.t === RT.SCALAR && tIsConst(reg.v) && reg.v.v === 0n) break;
          if (reg.t !== RT.STACK) this.argError(i, regno, reg, 'fp');
          break;
        case 'long':
          if (reg.t !== RT.STACK && reg.t !== RT.PKT && reg.t !== RT.PKT_META && reg.t !== RT.MAP_KEY && reg.t !== RT.MAP_VALUE)
            this.argError(i, regno, reg, 'fp, pkt, pkt_meta, map_key, map_value');
          this.helperMem(i, regno, 8n, true, false, false, true);
          // MEM_ALIGNED: after the access check, strictly aligned whatever the pointer (check_func_arg)
          this.alignment(i, reg, 0, 8, true);
          break;
        case 'fix20':
        case 'fix40':
          if (reg.t !== RT.STACK && reg.t !== RT.PKT && reg.t !== RT.PKT_META && reg.t !== RT.MAP_KEY && reg.t !== RT.MAP_VALUE && reg.t !== RT.MEM)
            this.argError(i, regno, reg, 'fp, pkt, pkt_meta, map_key, map_value, mem, ringbuf_mem, buf, trusted_ptr_');
          this.helperMem(i, regno, kind === 'fix20' ? 20n : 40n, false, false, false);
          break;
        case 'u32p':
          if (reg.t !== RT.STACK && reg.t !== RT.PKT && reg.t !== RT.PKT_META && reg.t !== RT.MAP_KEY && reg.t !== RT.MAP_VALUE && reg.t !== RT.MEM)
            this.argError(i, regno, reg, 'fp, pkt, pkt_meta, map_key, map_value, mem, ringbuf_mem, buf, trusted_ptr_');
          this.helperMem(i, regno, 4n, true, false, false);
          break;
        case 'str':
          if (reg.t !== RT.MAP_VALUE) this.argError(i, regno, reg, 'map_value');
          {
            const m = this.maps[reg.map];
            if (!m.frozenReadOnly) this.fail(i, `R${regno} does not point to a readonly map'`);
            if (!tIsConst(reg.v)) this.fail(i, `R${regno} is not a constant address'`);
            const at = reg.off + Number(reg.v.v);
            const bytes = m.frozenValue;
            if (!bytes || at < 0 || at >= m.valueSize || !bytes.subarray(at).includes(0)) this.fail(i, 'string is not zero-terminated');
          }
          break;
        case 'dyn':
        case 'udyn':
        case 'reldyn':
          // dynptrs live in 16 stack bytes; their kind is not tracked here (the runtime checks
          // the dynptr it is given); a callback's CONST_PTR_TO_DYNPTR is not modelled
          if (reg.t !== RT.STACK) this.argError(i, regno, reg, 'fp, dynptr_ptr');
          this.dynptrSlot(i, reg);
          if (kind === 'reldyn') {
            // only a dynptr holding a reference may be released (check_func_arg, OBJ_RELEASE)
            const at = this.dynptrAt(reg);
            if (at && at.f.refDyn[at.k] === 0) this.fail(i, `arg ${regno} is an unacquired reference`);
          }
          if (kind === 'udyn') {
            this.helperMem(i, regno, 16n, true, false, false, true);
            // a new dynptr takes an id of its own, before any reference (mark_dynptr_stack_regs)
            this.idGen++;
            this.markDynptr(this.dynptrAt(reg), DYN_OTHER);
          } else this.initializedDynptr(i, regno, reg);
          if (kind !== 'dyn') dynAt = this.dynptrAt(reg);
          else srcDyn = this.dynptrAt(reg);
          break;
        case 'btf':
          this.argError(i, regno, reg, 'ptr_');
      }
    }
    // helpers that hold a lock
    if (id === 93 || id === 94) {
      let r = this.regs[lockReg];
      const m = this.maps[r.map];
      if (m.spinLockOff === undefined) this.fail(i, `map '${m.name ?? ''}' has no valid bpf_spin_lock`);
      const at = r.off + (tIsConst(r.v) ? Number(r.v.v) : -1);
      if (!tIsConst(r.v)) this.fail(i, `R1 doesn't have constant offset. bpf_spin_lock has to be at the constant offset`);
      if (at !== m.spinLockOff) this.fail(i, `off ${at} doesn't point to 'struct bpf_spin_lock' that is at ${m.spinLockOff}`);
      if (id === 93) {
        if (this.st.lockId) this.fail(i, 'Locking two bpf_spin_locks are not allowed');
        if (!r.id) {
          // a copy: the register may be shared with saved states (Frame.mutReg)
          r = this.st.cur.mutReg(lockReg);
          r.id = ++this.idGen;
        }
        this.st.lockId = r.id;
        this.st.lockMap = r.map;
      } else {
        if (!this.st.lockId) this.fail(i, 'bpf_spin_unlock without taking a lock');
        if (this.st.lockId !== r.id) this.fail(i, 'bpf_spin_unlock of different lock');
        this.st.lockId = 0;
        this.st.lockMap = -1;
      }
    }
    if (id === 12 /* tail_call */) {
      if (this.st.refs.length) this.fail(i, `${this.unreleased()}\ntail_call would lead to reference leak`);
      if (this.st.rcu) this.fail(i, 'tail_call cannot be used inside bpf_rcu_read_lock-ed region');
      if (this.st.preempt) this.fail(i, 'tail_call cannot be used inside bpf_preempt_disable-ed region');
      // a constant index within the array is relied on (record_func_key)
      const key = this.regs[3];
      if (mapIdx >= 0 && key.t === RT.SCALAR && tIsConst(key.v) && key.v.v < BigInt(this.maps[mapIdx].maxEntries)) this.markPrecise(3);
      this.tailCallSubs.add(this.st.cur.subprog);
    }
    // a ring buffer dynptr holds a reference until it is submitted or discarded, even when the
    // reservation failed (process_dynptr_func, mark_stack_slots_dynptr)
    if (id === HELPER_IDS.bpf_ringbuf_reserve_dynptr && dynAt) {
      const ref = ++this.idGen;
      this.st.refs = [...this.st.refs, { id: ref, insn: i, kind: 'ringbuf' }];
      dynAt.f.ownDyn();
      dynAt.f.refDyn[dynAt.k] = ref;
      dynAt.f.refDyn[dynAt.k + 1] = ref;
    }
    if ((id === HELPER_IDS.bpf_ringbuf_submit_dynptr || id === HELPER_IDS.bpf_ringbuf_discard_dynptr) && dynAt && dynAt.f.refDyn[dynAt.k] !== 0) {
      const ref = dynAt.f.refDyn[dynAt.k];
      this.st.refs = this.st.refs.filter((r) => r.id !== ref);
      // every dynptr holding the reference (the released one and its clones) is released with it
      // (release_reference)
      for (const f of this.st.frames) {
        if (!f.refDyn.includes(ref)) continue;
        f.ownDyn();
        for (let k = 0; k < 64; k++) {
          if (f.refDyn[k] !== ref) continue;
          f.refDyn[k] = 0;
          f.pktDyn[k] = 0;
        }
      }
      // ... and so is every slice of them (release_reference: their registers become unknown scalars)
      this.st.updateRegs((r) => r.ref === ref, (r) => Object.assign(r, unknownScalar()));
    }
    if (release) {
      const k = this.st.refs.findIndex((r) => r.id === release);
      if (k < 0) this.fail(i, `R1 must be referenced when passed to release function`);
      this.st.refs = this.st.refs.filter((_, j) => j !== k);
      // every copy of the released pointer becomes an unknown scalar (release_reference)
      this.st.updateRegs((r) => r.ref === release, (r) => Object.assign(r, unknownScalar()));
    }
    // callbacks
    if (funcTarget >= 0) this.callbackCall(i, id, funcTarget, mapIdx, timerReg);
    // pointer casts (sk_fullsock, tcp_sock, skc_to_*) keep their argument's reference (is_ptr_cast_function)
    const castRef = proto.ptrCast ? this.regs[1].ref : 0;
    // clobber the argument registers, set r0
    const regs = this.regs;
    for (let r = 1; r <= 5; r++) regs[r] = UNINIT;
    let r0: Reg;
    let acquires = proto.acquires;
    switch (proto.ret) {
      case 'int':
        r0 = unknownScalar();
        break;
      case 'void':
        r0 = new Reg();
        break;
      case 'value?': {
        const m = this.maps[mapIdx];
        if (m && (m.type === MT.BPF_MAP_TYPE_SOCKMAP || m.type === MT.BPF_MAP_TYPE_SOCKHASH) && id === 1) {
          // a sockmap lookup returns a referenced socket (check_helper_call, is_acquire_function)
          r0 = pointer(RT.SOCKET);
          acquires = true;
        } else if (m && (m.type === MT.BPF_MAP_TYPE_ARRAY_OF_MAPS || m.type === MT.BPF_MAP_TYPE_HASH_OF_MAPS) && id === 1) {
          r0 = pointer(RT.MAP_PTR);
          r0.map = this.innerMapIndex(mapIdx);
        } else {
          r0 = pointer(RT.MAP_VALUE);
          r0.map = mapIdx;
        }
        break;
      }
      case 'sock?':
        r0 = pointer(RT.SOCKET);
        break;
      case 'skc?':
        r0 = pointer(RT.SOCK_COMMON);
        break;
      case 'tcp?':
        r0 = pointer(RT.TCP_SOCK);
        break;
      case 'rbmem?':
        r0 = pointer(RT.MEM);
        r0.ringbuf = true;
        r0.size = Number(allocSize);
        break;
      case 'btf?':
        r0 = pointer(RT.BTF_ID);
        r0.btf = proto.name.replace(/^bpf_(skc_to_)?/, '');
        break;
      case 'dmem?':
        r0 = pointer(RT.MEM);
        r0.size = Number(allocSize);
        // a slice of a ring buffer dynptr holds the dynptr's reference: it ends when the dynptr
        // is submitted or discarded (check_helper_call's dynptr_data case, ref_obj_id)
        if (srcDyn !== undefined) r0.ref = srcDyn.f.refDyn[srcDyn.k];
        break;
    }
    // a lookup in an array map with a constant key inside it cannot fail (check_helper_call,
    // can_elide_value_nullness)
    const elided = id === HELPER_IDS.bpf_map_lookup_elem && constKey >= 0n && mapIdx >= 0 && constKey < BigInt(this.maps[mapIdx].maxEntries) && r0.t === RT.MAP_VALUE;
    if (proto.ret.endsWith('?') && !elided) {
      // a NULL-able result gets the id its NULL check resolves (mark_ptr_or_null_regs)
      r0.nullable = true;
      r0.id = ++this.idGen;
    } else if (r0.t === RT.MAP_VALUE && this.maps[r0.map]?.spinLockOff !== undefined) {
      // a map value that cannot be NULL gets its id now when it holds a lock: the lock and unlock
      // calls on its copies name the same lock (check_helper_call's RET_PTR_TO_MAP_VALUE case)
      r0.id = ++this.idGen;
    }
    if (acquires) {
      // the reference takes an id of its own after the NULL-check id (acquire_reference_state)
      r0.id = ++this.idGen;
      r0.ref = r0.id;
      this.st.refs = [...this.st.refs, { id: r0.id, insn: i, kind: proto.ret === 'rbmem?' ? 'ringbuf' : 'sock' }];
    } else if (castRef) r0.ref = castRef;
    regs[0] = r0;
    this.insn = i + 1;
    if (id === HELPER_IDS.bpf_tail_call) return this.afterTailCall(i);
    if (proto.changesPktData || dynWritesPkt) this.clearPacketPointers();
  }

  /**
   * After bpf_tail_call (check_helper_call in 6.18): a call that fails goes on at the next
   * instruction with the packet as it was, and one that succeeds never comes back, so in the main
   * program nothing changes. In a subprogram a successful call returns from it with what the
   * called program returned (an unknown r0) and the packet possibly changed by it: that path is
   * walked now (prepare_func_exit), the failed call's is queued.
   */
  afterTailCall(i: number): void {
    if (this.st.frames.length === 1) return;
    this.pushBranch(this.st.clone(), i + 1, i);
    this.clearPacketPointers();
    this.regs[0] = unknownScalar();
    this.exit(i);
  }

  innerMapIndex(outer: number): number {
    const m = this.maps[outer];
    if (!m.inner) return outer;
    // inner map templates are appended to the map table on first use
    const list = this.maps as MapDesc[];
    let k = list.indexOf(m.inner);
    if (k < 0) {
      (this as { maps: readonly MapDesc[] }).maps = [...list, m.inner];
      k = this.maps.length - 1;
    }
    return k;
  }

  /** check_map_func_compatibility, both directions. */
  mapCompat(i: number, proto: HelperProto, m: MapDesc): void {
    const bad = (): never => this.fail(i, `cannot pass map_type ${m.type} into func ${proto.name}#${proto.id}`);
    if (proto.mapTypes && !proto.mapTypes.includes(m.type)) bad();
    const id: number = proto.id;
    const H = HELPER_IDS;
    const is = (...ids: number[]): boolean => ids.includes(id);
    switch (m.type) {
      case MT.BPF_MAP_TYPE_PROG_ARRAY:
        if (id !== H.bpf_tail_call) bad();
        break;
      case MT.BPF_MAP_TYPE_PERF_EVENT_ARRAY:
        if (!is(H.bpf_perf_event_read, H.bpf_perf_event_output, H.bpf_perf_event_read_value, H.bpf_skb_output, H.bpf_xdp_output)) bad();
        break;
      case MT.BPF_MAP_TYPE_RINGBUF:
        if (!is(H.bpf_ringbuf_output, H.bpf_ringbuf_reserve, H.bpf_ringbuf_query, H.bpf_ringbuf_reserve_dynptr)) bad();
        break;
      case MT.BPF_MAP_TYPE_USER_RINGBUF:
        if (id !== H.bpf_user_ringbuf_drain) bad();
        break;
      case MT.BPF_MAP_TYPE_STACK_TRACE:
        if (id !== H.bpf_get_stackid) bad();
        break;
      case MT.BPF_MAP_TYPE_CGROUP_ARRAY:
        if (!is(H.bpf_skb_under_cgroup, H.bpf_current_task_under_cgroup)) bad();
        break;
      case MT.BPF_MAP_TYPE_CGROUP_STORAGE:
      case MT.BPF_MAP_TYPE_PERCPU_CGROUP_STORAGE:
        if (id !== H.bpf_get_local_storage) bad();
        break;
      case MT.BPF_MAP_TYPE_ARRAY_OF_MAPS:
      case MT.BPF_MAP_TYPE_HASH_OF_MAPS:
        if (id !== H.bpf_map_lookup_elem) bad();
        break;
      case MT.BPF_MAP_TYPE_REUSEPORT_SOCKARRAY:
        if (id !== H.bpf_sk_select_reuseport) bad();
        break;
      case MT.BPF_MAP_TYPE_DEVMAP:
      case MT.BPF_MAP_TYPE_DEVMAP_HASH:
      case MT.BPF_MAP_TYPE_CPUMAP:
      case MT.BPF_MAP_TYPE_XSKMAP:
        if (!is(H.bpf_map_lookup_elem, H.bpf_redirect_map)) bad();
        break;
      case MT.BPF_MAP_TYPE_SOCKMAP:
      case MT.BPF_MAP_TYPE_SOCKHASH:
        if (!is(H.bpf_map_lookup_elem, H.bpf_map_update_elem, H.bpf_map_delete_elem, H.bpf_sk_redirect_map, H.bpf_sock_map_update, H.bpf_msg_redirect_map, H.bpf_sock_hash_update, H.bpf_msg_redirect_hash, H.bpf_sk_redirect_hash, H.bpf_sk_select_reuseport)) bad();
        break;
      case MT.BPF_MAP_TYPE_QUEUE:
      case MT.BPF_MAP_TYPE_STACK:
        if (!is(H.bpf_map_push_elem, H.bpf_map_pop_elem, H.bpf_map_peek_elem)) bad();
        break;
      case MT.BPF_MAP_TYPE_SK_STORAGE:
        if (!is(H.bpf_sk_storage_get, H.bpf_sk_storage_delete)) bad();
        break;
      case MT.BPF_MAP_TYPE_BLOOM_FILTER:
        if (!is(H.bpf_map_push_elem, H.bpf_map_peek_elem)) bad();
        break;
    }
  }

  /**
   * A helper that calls back into the program (bpf_loop, for_each_map_elem, timers): the callback
   * is verified as a call with the arguments the helper passes; for synchronous callbacks the
   * caller's state after it flows back, and the callback runs again until its state repeats.
   */
  callbackCall(i: number, id: number, target: number, mapIdx: number, timerReg: number): void {
    const caller = this.st.cur;
    const args: Reg[] = [];
    for (let r = 0; r <= 5; r++) args.push(new Reg());
    let cb: CallbackInfo | undefined;
    if (id === 181 /* loop */) {
      // the number of iterations decides when the loop is done, and a zero flags argument is
      // relied on too (check_helper_call, loop_flag_is_zero)
      this.markPrecise(1);
      const flags = caller.regs[4];
      if (flags.t === RT.SCALAR && tIsConst(flags.v) && flags.v.v === 0n) this.markPrecise(4);
      const idx = unknownScalar();
      idx.umax = 0xffffffffn;
      idx.smin = 0n;
      idx.smax = 0xffffffffn;
      sync(idx);
      args[1] = idx;
      args[2] = caller.regs[3].clone();
      cb = { helper: id, retMin: 0n, retMax: 1n, async: false };
    } else if (id === 164 /* for_each_map_elem */ || id === 170 /* timer_set_callback */) {
      const m = id === 164 ? mapIdx : this.regs[timerReg].map;
      const mp = pointer(RT.MAP_PTR);
      mp.map = m;
      args[1] = mp;
      const key = pointer(RT.MAP_KEY);
      key.map = m;
      args[2] = key;
      const val = pointer(RT.MAP_VALUE);
      val.map = m;
      args[3] = val;
      if (id === 164) args[4] = caller.regs[3].clone();
      cb = { helper: id, retMin: 0n, retMax: id === 164 ? 1n : 0n, async: id === 170 };
    } else {
      // find_vma, user_ringbuf_drain: not modelled for tc
      return this.fail(i, `callback of ${helperName(id)} is not supported`);
    }
    this.cbSubs.add(target);
    if (cb.async) {
      this.asyncRoots.add(target);
      // verified on its own, from an empty frame chain (push_async_cb)
      const st = new State([new Frame(0, i, target)]);
      const f = st.frames[0];
      for (let r = 1; r <= 5; r++) f.regs[r] = args[r];
      f.callback = cb;
      const saved = { st: this.st, insn: this.insn, leaf: this.leaf };
      this.pushAsync(st, target, i);
      this.st = saved.st;
      return;
    }
    // bpf_loop runs its callback at most nr_loops times: past that many queued iterations on
    // this path, only "the loop is done" goes on (check_helper_call, BPF_FUNC_loop)
    if (id === 181 && !(BigInt(caller.callbackDepth) < caller.regs[1].umax)) {
      caller.callbackDepth = 0;
      if (this.logLevel > 1) this.log.push(`frame${this.st.frames.length - 1} bpf_loop iteration limit reached`);
      return;
    }
    // synchronous: queue "the callback runs (once more)" with the callback frame pushed; the
    // caller continues after the helper as if the callback never ran too (nr_loops may be 0).
    // The callback returns to this call, which queues the next iteration (push_callback_call).
    const withCb = this.st.clone();
    withCb.cbUnroll++;
    withCb.cur.callbackDepth++;
    const f = new Frame(withCb.frames.length, i, target);
    for (let r = 1; r <= 5; r++) f.regs[r] = args[r];
    f.callback = cb;
    withCb.frames.push(f);
    if (withCb.frames.length > MAX_CALL_DEPTH) this.fail(i, `the call stack of ${withCb.frames.length} frames is too deep`);
    caller.callbackDepth = 0;
    this.pushBranch(withCb, target, i);
  }

  pushAsync(st: State, target: number, i: number): void {
    // an async callback is an exit of main with a different return rule: walk it as a separate
    // path root, returning via exit() with frames.length == 1 and callback info set
    st.cur.callsite = -1;
    this.pushBranch(st, target, i);
  }
}

const ALU_OP_NAMES = ['+=', '-=', '*=', '/=', '|=', '&=', '<<=', '>>=', 'neg', '%=', '^=', '=', 's>>=', 'end'];


/** Registers an instruction reads or writes (the kernel prints these after it at log level 1). */
function scratched(p: DecodedProgram, i: number): Set<number> {
  const row = OPCODE_TABLE.get(p.op[i]);
  const out = new Set<number>();
  if (!row) return out;
  const x = (p.op[i] & 0x08) !== 0;
  switch (row.kind) {
    case 'call':
      out.add(0);
      break;
    case 'exit':
    case 'ja':
    case 'jcond':
      break;
    case 'ldabs':
      out.add(0);
      break;
    default:
      out.add(p.dst[i]);
      if (x || row.kind === 'ldx' || row.kind === 'stx' || row.kind === 'atomic') out.add(p.src[i]);
  }
  return out;
}

/** reg_not_null: pointer types that are never NULL (ctx, stack and packet pointers are not among them). */
/** A saved state is kept while its misses stay within its hits (evict). */
function stays(c: Checkpoint, forced: boolean): boolean {
  const n = forced && c.pending > 0 ? 64 : 3;
  return c.miss <= c.hit * n + n;
}

function regNotNull(r: Reg): boolean {
  if (r.nullable) return false;
  return r.t === RT.SOCKET || r.t === RT.TCP_SOCK || r.t === RT.MAP_VALUE || r.t === RT.MAP_KEY || r.t === RT.SOCK_COMMON || r.t === RT.MEM;
}

/** mark_ptr_or_null_regs: after a NULL check, every copy becomes NULL (a 0 scalar) or non-NULL. */
function markNull(st: State, id: number, ref: number, isNull: boolean): void {
  if (!id) return;
  st.updateRegs((r) => r.id === id && r.nullable, (r) => {
    if (isNull) {
      const z = constScalar(0n);
      Object.assign(r, z);
    } else {
      r.nullable = false;
      if (r.t !== RT.MAP_VALUE && r.t !== RT.SOCKET && r.t !== RT.SOCK_COMMON && r.t !== RT.TCP_SOCK && r.t !== RT.MEM) r.id = 0;
    }
  });
  if (isNull && ref && ref === id) st.refs = st.refs.filter((r) => r.id !== ref);
}

/** find_good_pkt_pointers: a proven `pkt + off <= end` gives range off to every copy. */
function findGoodPkt(st: State, reg: Reg, open: boolean): void {
  if (reg.off < 0 || (reg.off === 0 && open)) return;
  if (reg.umax > MAX_PACKET_OFF || reg.umax + BigInt(reg.off) > MAX_PACKET_OFF) return;
  const range = open ? reg.off + 1 : reg.off;
  const t = reg.t;
  const id = reg.id;
  // keep the largest range proven (a marker for at / beyond pkt_end is below any)
  st.updateRegs((r) => r.t === t && r.id === id && r.range < range, (r) => (r.range = range));
}

/** is_pkt_ptr_branch_taken: a pointer known to be at or past data_end. */
function pktBranch(code: number, a: Reg, b: Reg): number {
  let pkt: Reg;
  if (b.t === RT.PKT_END && a.t === RT.PKT) pkt = a;
  else if (a.t === RT.PKT_END && b.t === RT.PKT) {
    pkt = b;
    code = flipCond(code);
  } else return -1;
  if (pkt.range >= 0) return -1;
  switch (code) {
    case JmpOp.JLE:
    case JmpOp.JGT:
      if (pkt.range === BEYOND_PKT_END) return code === JmpOp.JGT ? 1 : 0;
      break;
    case JmpOp.JLT:
    case JmpOp.JGE:
      if (pkt.range === BEYOND_PKT_END || pkt.range === AT_PKT_END) return code === JmpOp.JGE ? 1 : 0;
      break;
  }
  return -1;
}

/**
 * A cheap test before the exact comparison (states_maybe_looping): the current frame's
 * registers hold the same types and values.
 */
/** Stack slots a pointer points at: the frame, its number and the first slot. */
interface StackSlot {
  readonly f: Frame;
  readonly k: number;
  readonly frame: number;
}

/**
 * An active iterator of `old` is at another depth in `cur` (iter_active_depths_differ): the two
 * states are different iterations, not an infinite loop.
 */
function iterDepthsDiffer(old: State, cur: State): boolean {
  for (let k = 0; k < old.frames.length; k++) {
    const a = old.frames[k];
    const b = cur.frames[k];
    for (let s = 0; s < 64; s++) {
      if (a.iterRef[s] <= 0 || (a.iterInfo[s] & ITER_DRAINED) !== 0) continue;
      if (a.iterInfo[s] >> 2 !== b.iterInfo[s] >> 2) return true;
    }
  }
  return false;
}

/** Both states are in the same call chain (same_callsites). */
function sameCallsites(a: State, b: State): boolean {
  if (a.frames.length !== b.frames.length) return false;
  for (let k = 0; k < a.frames.length; k++) if (a.frames[k].callsite !== b.frames[k].callsite) return false;
  return true;
}

function maybeLooping(old: State, cur: State): boolean {
  if (old.frames.length !== cur.frames.length) return false;
  const a = old.cur.regs;
  const b = cur.cur.regs;
  for (let r = 0; r < 10; r++) {
    const x = a[r];
    const y = b[r];
    if (x.t !== y.t || x.off !== y.off || x.v.v !== y.v.v || x.v.m !== y.v.m) return false;
  }
  return true;
}

const BPF_FUNC_DYNPTR_WRITE = HELPER_IDS.bpf_dynptr_write;

/** Pointers whose loads and stores the kernel rewrites per instruction (save_aux_ptr_type). */
function ctxLikePointer(t: RT): boolean {
  return t === RT.CTX || t === RT.SOCKET || t === RT.SOCK_COMMON || t === RT.TCP_SOCK || t === RT.BTF_ID;
}

/** Another scalar linked to `r` (same id). */
function linkedTo(o: Reg, r: Reg): boolean {
  return o !== r && o.t === RT.SCALAR && o.id === r.id;
}

/** Give linked scalar `o` the refined bounds of `r` (sync_linked_regs). */
function copyLinked(o: Reg, r: Reg): void {
  o.v = r.v;
  o.smin = r.smin;
  o.smax = r.smax;
  o.umin = r.umin;
  o.umax = r.umax;
  o.s32min = r.s32min;
  o.s32max = r.s32max;
  o.u32min = r.u32min;
  o.u32max = r.u32max;
  // linked with a different constant delta: theirs is ours plus the difference (sync_linked_regs)
  const dd = (o.addConst ? o.delta : 0) - (r.addConst ? r.delta : 0);
  if ((o.addConst || r.addConst) && dd !== 0) {
    scalarAlu(AluOp.ADD, o, constScalar(BigInt(dd)), false);
    // a register linked by a 32-bit add holds the zero-extended sum
    if (o.addConst32) zext32(o);
  }
}

/**
 * A write over bytes [b0, b0+size) of the frame's stack ends any dynptr there, both of its slots
 * (destroy_if_dynptr_stack_slot; a referenced one was refused before).
 */
function clearPktDyn(f: Frame, b0: number, size: number): void {
  const first = b0 >> 3;
  const last = (b0 + size - 1) >> 3;
  for (let k = Math.max(0, first - 1); k <= Math.min(63, last + 1); k++) {
    const m = f.pktDyn[k];
    if (m === 0 || (m === DYN_SECOND ? k - 1 > last || k < first : k + 1 < first || k > last)) continue;
    f.ownDyn();
    f.pktDyn[k] = 0;
  }
}

/**
 * Frame.pktDyn marks a dynptr's two stack slots (the kernel's STACK_DYNPTR): the first holds
 * DYN_PKT for a dynptr over the packet (bpf_dynptr_from_skb, its clones) or DYN_OTHER, the
 * second DYN_SECOND. Their bytes are not data, and only a marked dynptr is initialized.
 */
const DYN_PKT = 1;
const DYN_OTHER = 2;
const DYN_SECOND = 3;

/**
 * Widen the imprecise scalars of `cur` that differ from the earlier visit `old`
 * (widen_imprecise_scalars, maybe_widen_reg): a loop counter whose value decided a branch or an
 * access so far is precise in `old` and keeps its value, so the loop is walked iteration by
 * iteration as the kernel does; the others become unknown so the loop converges.
 */
function widen(old: State, cur: State): void {
  if (old.frames.length !== cur.frames.length) return;
  const n = cur.frames.length;
  // ids are paired across the whole state (widen_imprecise_scalars resets the idmap once)
  let first = true;
  const widens = (x: Reg, y: Reg, precise: boolean): boolean => {
    if (x.t !== RT.SCALAR || y.t !== RT.SCALAR || precise) return false;
    const exact = exactForWiden(x, y, first);
    first = false;
    return !exact;
  };
  // in the kernel's order, for the id pairing: innermost frame first, registers then the stack
  // from fp-8 down
  for (let k = n - 1; k >= 0; k--) {
    const a = old.frames[k];
    const b = cur.frames[k];
    for (let r = 0; r < 10; r++) if (widens(a.regs[r], b.regs[r], a.preciseReg(r) || b.preciseReg(r))) b.regs[r] = unknownScalar();
    for (let s = 63; s >= 0; s--) {
      const x = a.spilled[s];
      const y = b.spilled[s];
      if (x && y && a.byte(s * 8) === Slot.SPILL && b.byte(s * 8) === Slot.SPILL && widens(x, y, a.preciseSlot(s) || b.preciseSlot(s))) {
        b.ownSpilled();
        b.spilled[s] = unknownScalar();
      }
    }
  }
}


/** bpf_sock_is_valid_access, bpf_sock_common_is_valid_access (vm/bpf-sock.ts), bpf_tcp_sock_is_valid_access (reads). */
function sockAccessOk(t: RT, off: number, size: number): boolean {
  if (t !== RT.TCP_SOCK) return checkSockAccess(off, size, t !== RT.SOCK_COMMON);
  if (off < 0 || off % size !== 0 || off >= 96) return false;
  return off === 80 || off === 88 ? size === 8 : size === 4;
}

/**
 * Registers read before written from each instruction, over every path (a static liveness
 * pass): pruning ignores registers that are dead (the kernel's REG_LIVE_READ marks).
 */
function liveness(p: DecodedProgram): Uint16Array {
  const n = p.length;
  const live = new Uint16Array(n);
  const ALL = 0x3ff; // r0..r9
  let changed = true;
  const useDef = (i: number): [number, number] => {
    const op = p.op[i];
    const row = OPCODE_TABLE.get(op);
    const d = p.dst[i] & 0xf;
    const s = p.src[i] & 0xf;
    const bit = (r: number) => (r < 10 ? 1 << r : 0);
    if (!row) return [ALL, 0];
    const x = opSource(op) === Source.X;
    switch (row.kind) {
      case 'alu':
        return [bit(d) | (x ? bit(s) : 0), bit(d)];
      case 'neg':
      case 'end':
        return [bit(d), bit(d)];
      case 'mov':
        return [x ? bit(s) : 0, bit(d)];
      case 'ldx':
        return [bit(s), bit(d)];
      case 'st':
        return [bit(d), 0];
      case 'stx':
        return [bit(d) | bit(s), 0];
      case 'atomic':
        return [bit(d) | bit(s) | (p.imm[i] === AtomicOp.CMPXCHG ? 1 : 0), p.imm[i] & AtomicOp.FETCH ? bit(p.imm[i] === AtomicOp.CMPXCHG ? 0 : s) : 0];
      case 'ldabs':
        return [bit(6) | (opMode(op) === Mode.IND ? bit(s) : 0), 0x3f];
      case 'lddw':
        return [0, bit(d)];
      case 'ja':
      case 'jcond':
        return [0, 0];
      case 'jcc':
        return [bit(d) | (x ? bit(s) : 0), 0];
      case 'call': {
        // a call defines r0-r5 and reads its parameters: a helper's or kfunc's from its
        // prototype, a bpf-to-bpf call r1-r5 (compute_insn_live_regs, get_call_summary)
        let nargs = 5;
        if (p.src[i] === CallSrc.HELPER) nargs = HELPER_PROTOS.get(p.imm[i])?.args.length ?? 5;
        else if (p.src[i] === CallSrc.BPF_PSEUDO_KFUNC_CALL) nargs = KFUNCS_BY_ID.get(p.imm[i])?.args.length ?? 5;
        return [((1 << (nargs + 1)) - 1) & 0x3e, 0x3f];
      }
      case 'exit':
        return [1, 0]; // the caller's registers are checked with the caller's liveness
    }
    return [ALL, 0];
  };
  const info: ([number, number] | null)[] = new Array(n).fill(null);
  const succ: number[][] = new Array(n);
  for (let i = 0; i < n; i++) {
    info[i] = useDef(i);
    succ[i] = successors(p, i);
    if (p.op[i] === Op.LDDW) i++;
  }
  while (changed) {
    changed = false;
    for (let i = n - 1; i >= 0; i--) {
      const u = info[i];
      if (!u) continue;
      let out = 0;
      for (const t of succ[i]) out |= live[t];
      const v = (u[0] | (out & ~u[1])) & ALL;
      if (v !== live[i]) {
        live[i] = v;
        changed = true;
      }
    }
  }
  return live;
}

export { regStr };

/**
 * The liveness analysis of a program (liveness.ts) with its control-flow facts: each
 * subprogram's instructions in depth-first postorder, and each instruction's successors within
 * its subprogram (bpf_insn_successors: a call falls through, an exit has none).
 */
function stackLiveness(p: DecodedProgram, subs: readonly number[], subIndexOf: Int32Array): StackLiveness {
  const n = p.length;
  const succ: number[][] = new Array(n);
  for (let i = 0; i < n; i++) succ[i] = successors(p, i);
  const orders = new Map<number, number[]>();
  const postorder = (start: number): number[] => {
    let order = orders.get(start);
    if (order) return order;
    order = [];
    const seen = new Uint8Array(n);
    const stack: [number, number][] = [[start, 0]];
    seen[start] = 1;
    while (stack.length) {
      const top = stack[stack.length - 1];
      const next = succ[top[0]];
      if (top[1] < next.length) {
        const t = next[top[1]++];
        if (!seen[t]) {
          seen[t] = 1;
          stack.push([t, 0]);
        }
      } else {
        order.push(top[0]);
        stack.pop();
      }
    }
    orders.set(start, order);
    return order;
  };
  const subStart = (i: number): number => subs[subIndexOf[i]];
  const subLen = (start: number): number => {
    const k = subIndexOf[start];
    return (k + 1 < subs.length ? subs[k + 1] : n) - start;
  };
  const callsCallback = (i: number): boolean => p.op[i] === Op.CALL && p.src[i] === CallSrc.HELPER && SYNC_CALLBACK_HELPERS.has(p.imm[i]);
  return new StackLiveness(subStart, subLen, (i) => succ[i], postorder, callsCallback);
}

/**
 * Per subprogram, whether it may change packet data: it calls such a helper, or a subprogram
 * that does (mark_subprog_changes_pkt_data, merged into callers as calls are found).
 */
function changesPacketData(p: DecodedProgram, subs: readonly number[], subIndexOf: Int32Array): Uint8Array {
  const out = new Uint8Array(subs.length);
  const calls: [number, number][] = [];
  for (let i = 0; i < p.length; i++) {
    if (p.op[i] !== Op.CALL) continue;
    const k = subIndexOf[i];
    if (p.src[i] === CallSrc.HELPER && HELPER_PROTOS.get(p.imm[i])?.changesPktData) out[k] = 1;
    else if (p.src[i] === CallSrc.BPF_PSEUDO_CALL && i + p.imm[i] + 1 < p.length) calls.push([k, subIndexOf[i + p.imm[i] + 1]]);
  }
  for (let changed = true; changed; ) {
    changed = false;
    for (const [from, to] of calls) {
      if (out[to] && !out[from]) {
        out[from] = 1;
        changed = true;
      }
    }
  }
  return out;
}

