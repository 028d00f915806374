/**
 * @fileoverview The interpreter: runs a LinkedProgram with kernel semantics (ISA v1–v4, as in
 * `kernel/bpf/core.c` `___bpf_prog_run` plus the verifier's runtime rewrites in `do_misc_fixups`).
 *
 * Shape: registers are the RegisterFile's lo/hi Int32Arrays, pc and the program's packed
 * instruction words (its InterpCode, made once per program: interp-code.ts) live in locals, and
 * one `switch` on the full opcode has a case per composite opcode. Edge-case
 * arithmetic comes from `semantics.ts` (shared with the JIT).
 *
 * Per run:
 *   - one stack buffer of MAX_CALL_DEPTH × STACK_SIZE bytes, seen as MAX_CALL_DEPTH 'stack'
 *     Regions of STACK_SIZE bytes each (frame k owns bytes [k·512, (k+1)·512) of the buffer and
 *     its own high half); r10 of frame k is the top of its region (stacks grow down), so no
 *     address computed from one frame's r10 reaches another frame:
 *
 *       buffer  0        512       1024            4096
 *              +---------+---------+-- ... --+---------+
 *              | frame 0 | frame 1 |         | frame 7 |
 *              +---------+---------+-- ... --+---------+
 *                        ^ r10 of frame 0 (frame 0's region, offset 512)
 *   - provenance tags beside the registers (memory.ts, "Isolation"); every load, store and
 *     helper memory argument checks them.
 *   - an instruction budget (DEFAULT_INSN_BUDGET unless opts.budget), a tail-call counter
 *     (kernel: one count for the whole chain, `MAX_TAIL_CALL_CNT` = 33) and one may_goto
 *     counter per frame, starting at MAY_GOTO_START (the interpreter's BPF_MAX_LOOPS).
 *
 * Calls:
 *   - helper (call src 0): `prog.helpers[imm]`; afterwards r1–r5 are set to 0 (the kernel makes
 *     them unreadable; zero keeps runs deterministic and equal between engines).
 *   - tail call: a helper sets `call.tailCall`; if fewer than MAX_TAIL_CALLS tail calls were
 *     made in this run, execution continues at the target's insn 0 in the same frame with the
 *     registers as they are (r1 = ctx, r10 unchanged) and a fresh may_goto counter; otherwise
 *     the tail call fails and execution continues after the call (kernel `bpf_tail_call`:
 *     "falls through"). The VM, not the helper, enforces the limit; `call.tailCalls` shows the
 *     count so far.
 *   - bpf-to-bpf (src 1): target pc + 1 + imm, a new zeroed 512-byte frame, r6–r9 saved and
 *     restored by EXIT; at most MAX_CALL_DEPTH frames per program (counted from the frame a
 *     tail call entered it in: a tail call from a subprogram keeps the caller's frames, as the
 *     kernel's does; frames past the first 8 are allocated on first use). r1–r5 after the return are whatever the
 *     callee left (the verifier forbids reading them).
 *   - kfunc (src 2): `prog.kfuncs.get(imm)`, with the helper convention.
 *   - callx (0x8d): calls the *helper* whose id is the low half of dst. This follows
 *     bpf_conformance (`callx.data`: r2 = 5 reaches helper 5 of the conformance plugin, in a
 *     5-instruction program) and uBPF; Linux does not accept 0x8d at all.
 *
 * Faults (bad access, unknown opcode, jump out of range, falling off the end, budget, call
 * depth, unknown helper, a BpfError thrown by a helper) end the run with `RunResult.fault`.
 * Any other exception is a bug and propagates.
 */
import { BpfError, ErrorCode, VmFault } from './errors.js';
import {
  AtomicOp,
  DEFAULT_INSN_BUDGET,
  MAX_CALL_DEPTH,
  MAX_RUN_FRAMES,
  MAX_TAIL_CALLS,
  MAY_GOTO_START,
  NUM_REGS,
  OP_NAMES,
  Op,
  STACK_SIZE,
  accessBytes,
} from './isa.js';
import { BPF_THROW_ID } from './kfuncs.js';
import { RunPool } from './run-pool.js';
import { zeroFrame0 } from './frame-zero.js';
import { interpCode, NO_CTX_RULES, type CtxRules, type InterpCode } from './interp-code.js';
import { BASE_LO, Memory, type CtxAccess, type CtxLoad, type CtxRewrite, type CtxStore, type Region } from './memory.js';
import { hasInvalidRegister, type CallbackArg, type HelperCall, type HelperFn, type LinkedProgram, type RegisterFile, type RunOptions, type RunResult, type StepHook } from './program.js';
import {
  R,
  arsh64,
  bswap,
  lsh64,
  mul64,
  rsh64,
  sdiv32,
  sdiv64,
  smod32,
  smod64,
  sx16,
  sx8,
  toLe,
  udiv32,
  udiv64,
  umod32,
  umod64,
  atomicRmw,
  storeSized,
} from './semantics.js';

/** Result of one run. `r0` is derived from the two halves. */
export class VmRunResult implements RunResult {
  /**
   * r0's halves as int32. RunResult's r0lo/r0hi are unsigned, so a value of 2^31 or more (TCX_NEXT
   * is 0xffffffff) would be a double field, and V8 then allocates a number per stored run
   * (test/bench/allocations.js); the unsigned view is computed when read.
   */
  private lo: number;
  private hi: number;
  insns: number;
  fault?: VmFault;
  constructor(r0lo: number, r0hi: number, insns: number, fault?: VmFault) {
    this.lo = r0lo | 0;
    this.hi = r0hi | 0;
    this.insns = insns;
    this.fault = fault;
  }
  get r0lo(): number {
    return this.lo >>> 0;
  }
  set r0lo(v: number) {
    this.lo = v | 0;
  }
  get r0hi(): number {
    return this.hi >>> 0;
  }
  set r0hi(v: number) {
    this.hi = v | 0;
  }
  get r0(): bigint {
    return (BigInt(this.r0hi) << 32n) | BigInt(this.r0lo);
  }
  /** Overwrite with a finished run's result (runResult). */
  set(r0lo: number, r0hi: number, insns: number, fault: VmFault | undefined): this {
    this.lo = r0lo | 0;
    this.hi = r0hi | 0;
    this.insns = insns;
    this.fault = fault;
    return this;
  }
}

/**
 * The result of a finished run: `opts.result` filled in place when the caller passed one (no
 * allocation per run), a new VmRunResult otherwise. Shared by both engines.
 */
export function runResult(opts: RunOptions, r0lo: number, r0hi: number, insns: number, fault?: VmFault): RunResult {
  const out = opts.result;
  if (out === undefined) return new VmRunResult(r0lo, r0hi, insns, fault);
  if (out instanceof VmRunResult) return out.set(r0lo, r0hi, insns, fault);
  out.r0lo = r0lo >>> 0;
  out.r0hi = r0hi >>> 0;
  out.insns = insns;
  out.fault = fault;
  return out;
}

/** The per-run state a helper sees: HelperCall plus the run's tail-call count. */
interface CallState extends HelperCall {
  run: unknown;
  insnIndex: number;
  tailCall?: LinkedProgram;
  tailCalls: number;
}

/** Make a fresh register file (all zero). */
export function newRegisterFile(): RegisterFile {
  return { lo: new Int32Array(NUM_REGS), hi: new Int32Array(NUM_REGS), tag: new Int32Array(NUM_REGS) };
}

/** int32 words per half or tag array of a run state's register file (NUM_REGS rounded up to even). */
const REG_STRIDE = (NUM_REGS + 1) & ~1;
/** Doubles over a run state's whole register file (zeroRegs). */
const REG_DOUBLES = (3 * REG_STRIDE) / 2;

/**
 * A run state's register file: lo, hi and tag over one buffer, each NUM_REGS long (so a register
 * field above r10 reads undefined, as in newRegisterFile's), and the whole buffer as doubles, so
 * that a run starts by zeroing REG_DOUBLES doubles (zeroRegs) instead of up to 33 int32 entries
 * each bounds-checked (which cost about 30 machine instructions per register in the per-register
 * loop this replaces; callgrind, docs in README "Per-run overhead: interpreter, third pass").
 */
function runRegisterFile(): { regs: RegisterFile; all: Float64Array } {
  const all = new Float64Array(REG_DOUBLES);
  const b = all.buffer;
  const regs = { lo: new Int32Array(b, 0, NUM_REGS), hi: new Int32Array(b, 4 * REG_STRIDE, NUM_REGS), tag: new Int32Array(b, 8 * REG_STRIDE, NUM_REGS) };
  return { regs, all };
}

/** Zero every register (halves and tags) of a run state (runRegisterFile): +0.0 is all zero bits. */
function zeroRegs(z: Float64Array): void {
  // (unrolled: straight stores of constant indices; REG_DOUBLES is 18, checked below)
  z[0] = 0; z[1] = 0; z[2] = 0; z[3] = 0; z[4] = 0; z[5] = 0;
  z[6] = 0; z[7] = 0; z[8] = 0; z[9] = 0; z[10] = 0; z[11] = 0;
  z[12] = 0; z[13] = 0; z[14] = 0; z[15] = 0; z[16] = 0; z[17] = 0;
}
if (REG_DOUBLES !== 18) throw new Error('zeroRegs assumes 18 doubles of registers');

/**
 * The frame regions over one stack buffer (see the file comment): region k is bytes
 * [k·STACK_SIZE, (k+1)·STACK_SIZE) with its slots' provenance tags in `shadow`. Shared by the
 * interpreter and the JIT.
 */
export function allocFrames(mem: Memory, bytes: Uint8Array, shadow: Int32Array): Region[] {
  const frames: Region[] = [];
  for (let k = 0; k < MAX_CALL_DEPTH; k++) {
    const r = mem.alloc('stack', bytes.subarray(k * STACK_SIZE, (k + 1) * STACK_SIZE), { label: `stack frame ${k}` });
    r.shadow = shadow.subarray(k * SLOTS_PER_FRAME, (k + 1) * SLOTS_PER_FRAME);
    frames.push(r);
  }
  return frames;
}

/**
 * The access cache's shadow for regions without one: reading past its end gives undefined (| 0 makes
 * that tag 0) and writing past it is a no-op, so the fast paths need no null test.
 */
const NO_SHADOW = new Int32Array(0);

/** Frame k ≥ MAX_CALL_DEPTH (after tail calls from subprograms): its own bytes and shadow. */
export function allocExtraFrame(mem: Memory, k: number): Region {
  const r = mem.alloc('stack', new Uint8Array(STACK_SIZE), { label: `stack frame ${k}` });
  r.shadow = new Int32Array(SLOTS_PER_FRAME);
  return r;
}

/** 8-byte slots of one frame (stack provenance shadow). */
export const SLOTS_PER_FRAME = STACK_SIZE / 8;

const opName = (op: number): string => OP_NAMES.get(op) ?? `0x${op.toString(16)}`;

/**
 * The fault of a bpf_throw made while a helper runs a callback (bpf_loop...): the kernel's verifier
 * refuses such programs; the engines end the run instead of unwinding through the helper.
 */
export const THROW_IN_CALLBACK = 'bpf_throw inside a callback';

function fault(code: (typeof ErrorCode)[keyof typeof ErrorCode], msg: string, i: number, op: number): VmFault {
  return new VmFault(code, `${opName(op)}: ${msg}`, i, op);
}

function badAccess(i: number, op: number, hi: number, lo: number, size: number, write: boolean): VmFault {
  const address = (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0);
  return new VmFault(
    ErrorCode.BadAccess,
    `${opName(op)}: bad ${write ? 'write' : 'read'} of ${size} bytes at 0x${address.toString(16)}`,
    i,
    op,
    { address, size },
  );
}

/** Scratch for ctx loads (CtxAccess writes lo, hi and, for a pointer field, its tag here). */
const CTX_OUT = new Int32Array(3);
/**
 * Loaded value: LD_LO is the low half, LD_HI the high half (set by `load`). LD_SET says whether the
 * load sets the destination's tag, to LD_TAG: a 64-bit load from memory does (the slot's shadow
 * tag, else a scalar) and so does any ctx load (the field's tag); a narrower load from memory
 * leaves it as it is, as the fast paths of both engines do (docs/memory-isolation.md).
 */
let LD_HI = 0;
let LD_TAG = 0;
let LD_SET = false;

/**
 * Load `size` bytes at (hi, lo) from byte regions or a ctx region; sign-extend when `sx`.
 * Returns the low half (int32) and sets LD_HI; undefined-free: returns null-ish via `ok` flag.
 * Throws the VmFault for a bad access (caught by the run loop).
 */
function load(mem: Memory, hi: number, tag: number, lo: number, size: number, sx: boolean, i: number, op: number): number {
  if (hi !== tag) throw badAccess(i, op, hi, lo, size, false);
  const r = mem.resolve(hi, lo, size, false);
  if (r !== undefined) {
    const o = mem.lastOffset;
    const v = r.view;
    LD_SET = size === 8;
    LD_TAG = LD_SET && r.shadow !== undefined && (o & 7) === 0 ? r.shadow[o >> 3] : 0;
    switch (size) {
      case 1: {
        const x = sx ? v.getInt8(o) : v.getUint8(o);
        LD_HI = sx ? x >> 31 : 0;
        return x;
      }
      case 2: {
        const x = sx ? v.getInt16(o, true) : v.getUint16(o, true);
        LD_HI = sx ? x >> 31 : 0;
        return x;
      }
      case 4: {
        const x = v.getInt32(o, true);
        LD_HI = sx ? x >> 31 : 0;
        return x;
      }
      default:
        LD_HI = v.getInt32(o + 4, true);
        return v.getInt32(o, true);
    }
  }
  const region = mem.regionOf(hi);
  CTX_OUT[2] = 0;
  if (region?.ctx !== undefined && region.ctx.load(Memory.offsetOf(lo), size, CTX_OUT)) {
    LD_TAG = CTX_OUT[2];
    LD_SET = true;
    let x = CTX_OUT[0];
    let h = CTX_OUT[1];
    if (sx) {
      if (size === 1) x = sx8(x);
      else if (size === 2) x = sx16(x);
      if (size < 8) h = x >> 31;
    }
    LD_HI = h;
    return x;
  }
  throw badAccess(i, op, hi, lo, size, false);
}

/**
 * Store `size` bytes of (vhi, vlo), whose provenance is `vtag`, at (hi, lo) of a register tagged
 * `tag`; throws the VmFault for a bad access.
 */
function store(mem: Memory, hi: number, tag: number, lo: number, size: number, vlo: number, vhi: number, vtag: number, i: number, op: number): void {
  if (hi !== tag) throw badAccess(i, op, hi, lo, size, true);
  const r = mem.resolve(hi, lo, size, true);
  if (r !== undefined) {
    const o = mem.lastOffset;
    storeSized(r.view, o, size, vlo, vhi);
    if (size === 8 && r.shadow !== undefined && (o & 7) === 0) r.shadow[o >> 3] = vtag;
    return;
  }
  const region = mem.regionOf(hi);
  if (region?.ctx !== undefined && region.ctx.store(Memory.offsetOf(lo), size, vlo, vhi)) return;
  throw badAccess(i, op, hi, lo, size, true);
}

/** Byte region for an atomic read-modify-write (not ctx, writable). */
function atomicRegion(mem: Memory, hi: number, tag: number, lo: number, size: number, i: number, op: number): Region {
  const r = mem.resolveTagged(hi, tag, lo, size, true);
  if (r === undefined) throw badAccess(i, op, hi, lo, size, true);
  return r;
}

/**
 * An LDX neither the access cache nor a ctx rule (the kernel's convert_ctx_accesses, as the JIT
 * does it: ctxLoad) answered: a load through Memory. Returns the region to cache next: the one
 * loaded from unless it is a ctx.
 */
function ldxSlow(
  mem: Memory,
  s: number,
  d: number,
  a: number,
  size: number,
  sx: boolean,
  i: number,
  op: number,
  L: Int32Array,
  H: Int32Array,
  T: Int32Array,
): Region | undefined {
  const h = H[s];
  L[d] = load(mem, h, T[s], a, size, sx, i, op);
  H[d] = LD_HI;
  if (LD_SET) T[d] = LD_TAG;
  const rg = mem.regionOf(h);
  return rg !== undefined && rg.ctx === undefined ? rg : undefined;
}

/**
 * A rewritten ctx load into register d (as `load` would give it: a ctx load always sets the
 * tag). Returns the region a pointer field names, for the access cache.
 */
function ctxLoad(rw: CtxLoad, xc: CtxAccess, d: number, L: Int32Array, H: Int32Array, T: Int32Array): Region | undefined {
  switch (rw.kind) {
    case 'scalar':
      L[d] = rw.get(xc) | 0;
      H[d] = 0;
      T[d] = 0;
      return undefined;
    case 'scalar64':
      rw.get(xc, CTX_OUT);
      L[d] = CTX_OUT[0];
      H[d] = CTX_OUT[1];
      T[d] = 0;
      return undefined;
    default: {
      const r = rw.region(xc);
      if (r === undefined) {
        L[d] = 0;
        H[d] = 0;
        T[d] = 0;
        return undefined;
      }
      L[d] = (BASE_LO + rw.offset(xc)) | 0;
      H[d] = r.hi;
      T[d] = r.hi;
      return r;
    }
  }
}

/** State of one run, shared by the outer loop and nested callback loops. */
class RunState {
  readonly regs: RegisterFile;
  /** The register file as doubles (zeroRegs). */
  readonly regAll: Float64Array;
  readonly retPc = new Int32Array(MAX_RUN_FRAMES);
  /** Callee-saved r6..r9 (lo, hi, tag) of each caller frame. */
  readonly saved = new Int32Array(MAX_RUN_FRAMES * 12);
  /** Hidden may_goto counter of each frame. */
  readonly mayGoto = new Int32Array(MAX_RUN_FRAMES);
  readonly progs: InterpCode[] = new Array<InterpCode>(MAX_RUN_FRAMES);
  /** Frame in which the program running in each frame was entered (0, or where a tail call landed). */
  readonly progBase = new Int32Array(MAX_RUN_FRAMES);
  /** The stack buffer, its provenance shadow, and one region per frame over them. */
  readonly stackBytes = new Uint8Array(MAX_CALL_DEPTH * STACK_SIZE);
  readonly stackShadow = new Int32Array(MAX_CALL_DEPTH * SLOTS_PER_FRAME);
  /** Frame 0's bytes as int32 words (zeroFrame0). */
  readonly stackWords = new Int32Array(this.stackBytes.buffer, 0, STACK_SIZE / 4);
  readonly frames: Region[];
  /** High half (and tag) of each frame's region (0 for frames not allocated yet). */
  readonly frameHi = new Int32Array(MAX_RUN_FRAMES);
  budget: number;
  /** Instructions left (synced with the loop's local on calls, faults and exit). */
  left: number;
  depth = 0;
  /** Program of the frame making the current helper call (callbacks run in it). */
  cur: InterpCode | undefined;
  /**
   * The run's ctx (the region r1 points at on entry, when its CtxAccess has a rewrite table): its
   * high half (xh, -1 without one: no register's tag), CtxAccess (xc) and table (xt).
   */
  xh = -1;
  xc: CtxAccess | undefined = undefined;
  xt: CtxRewrite | undefined = undefined;
  readonly call: CallState;
  /**
   * Lowest byte of frame 0 this run (between runs: the last one) may have written, STACK_SIZE
   * when none: stores through either access-cache entry (loop's fMin/cMin), slow-path stores,
   * atomics and helpers' pointer arguments lower it. The next run zeroes frame 0 from there.
   */
  lw = STACK_SIZE;
  /** The program of the last run and its InterpCode. */
  rp: LinkedProgram | undefined = undefined;
  ru: InterpCode | undefined = undefined;
  /** The ctx rules of `ru` for the table `xt` (rules are per program and table). */
  rr: CtxRules = NO_CTX_RULES;
  /** The last `opts.result` found to be a VmRunResult (filled in place without instanceof). */
  vr: VmRunResult | undefined = undefined;
  constructor(
    readonly mem: Memory,
    public opts: RunOptions,
  ) {
    const rf = runRegisterFile();
    this.regs = rf.regs;
    this.regAll = rf.all;
    this.frames = allocFrames(mem, this.stackBytes, this.stackShadow);
    for (let k = 0; k < MAX_CALL_DEPTH; k++) this.frameHi[k] = this.frames[k].hi;
    this.budget = opts.budget ?? DEFAULT_INSN_BUDGET;
    this.left = this.budget;
    this.call = {
      regs: this.regs,
      mem,
      insnIndex: 0,
      run: opts.run,
      tailCall: undefined,
      tailCalls: 0,
      callback: undefined,
    };
  }
  get executed(): number {
    // (a compare, not Math.min: V8 gives Math.min a double result, stored boxed in the result)
    const n = this.budget - this.left;
    return n < this.budget ? n : this.budget;
  }
  /** Enter frame k: allocated on first use, zeroed (bytes and provenance) every time. */
  enter(k: number): void {
    let f = this.frames[k];
    if (f === undefined) {
      f = this.frames[k] = allocExtraFrame(this.mem, k);
      this.frameHi[k] = f.hi;
    }
    f.bytes.fill(0);
    (f.shadow as Int32Array).fill(0);
  }
  /** Whether the frame regions are still allocated on the Memory (a host may have reset it). */
  live(): boolean {
    const f = this.frames[0];
    return this.mem.regionOf(f.hi) === f;
  }
  /** Make a pooled state ready for a new run: fresh registers, stack, counters and options. */
  reset(opts: RunOptions): void {
    // (object fields are compared before they are stored: a run state, its options and their
    // run state are made once and, in a loop that allocates nothing, never promoted by a
    // scavenge, so each store of one into another would take the write barrier's slow path)
    if (this.opts !== opts) this.opts = opts;
    this.budget = opts.budget ?? DEFAULT_INSN_BUDGET;
    this.left = this.budget;
    this.depth = 0;
    // All registers (cheaper than the ones the last run may have written: zeroRegs). No frame's
    // may_goto counter needs clearing: each is set when its frame is entered (run start, call,
    // callback, tail call).
    zeroRegs(this.regAll);
    // Only frame 0 needs zeroing here: every deeper frame is zeroed by enter() when a call or
    // callback enters it, and no pointer into it survives the run (registers and frame 0's
    // shadow are cleared), so its old bytes can never be read. Of frame 0, only what the last
    // run wrote (from lw up, rounded down to its 8-byte slot).
    if (this.lw < STACK_SIZE) {
      zeroFrame0(this.stackWords, this.stackBytes, this.stackShadow, this.lw);
      this.lw = STACK_SIZE;
    }
    const run = opts.run;
    if (this.call.run !== run) this.call.run = run;
    this.call.tailCall = undefined;
    this.call.tailCalls = 0;
    this.call.insnIndex = 0;
  }
}

/**
 * Idle run states (with their stack region) per Memory. Allocating a RunState, its typed arrays
 * and a 4 KiB stack region dominated the cost of short runs; a pooled one is reset instead. A
 * state is taken for the whole run, so nested or concurrent runs on one Memory get their own.
 */
const POOL = new WeakMap<Memory, RunPool<RunState>>();
let lastMem: Memory | undefined;
let lastPool: RunPool<RunState> | undefined;

/**
 * Run `prog` on `mem`. r1..r5 come from `opts.args` ([lo, hi] pairs), r10 is the top of frame 0.
 * Never throws for a program fault: the fault is in the result.
 */
export function interpret(prog: LinkedProgram, mem: Memory, opts: RunOptions = NO_OPTS): RunResult {
  return start(prog, undefined, mem, opts);
}

/**
 * interpret() of `unit.prog` with its InterpCode given: a caller that runs several programs in
 * turn on one Memory (a tcx chain, src/tc-run.ts) holds each program's InterpCode instead of
 * having a run look it up (a WeakMap lookup whenever the program differs from the last run's).
 */
export function interpretCode(unit: InterpCode, mem: Memory, opts: RunOptions = NO_OPTS): RunResult {
  return start(unit.prog, unit, mem, opts);
}

/** Options of a run given none (never written: every field stays undefined). */
const NO_OPTS: RunOptions = {};

/** interpret / interpretCode: `given` is prog's InterpCode when the caller has it. */
function start(prog: LinkedProgram, given: InterpCode | undefined, mem: Memory, opts: RunOptions): RunResult {
  // The pool of the Memory of the last run (repeated runs skip the WeakMap; lastMem keeps at
  // most that one Memory alive after its last run).
  let pool = lastPool;
  if (mem !== lastMem || pool === undefined) {
    pool = POOL.get(mem);
    if (pool === undefined) POOL.set(mem, (pool = new RunPool()));
    lastMem = mem;
    lastPool = pool;
  }
  let st = pool.take();
  mem.enterRun();
  if (st === undefined || !st.live()) {
    const fresh = new RunState(mem, opts);
    fresh.call.callback = (pc, args) => runCallback(fresh, fresh.cur as InterpCode, pc, args);
    st = fresh;
  } else {
    st.reset(opts);
  }
  try {
    const L = st.regs.lo;
    const H = st.regs.hi;
    const T = st.regs.tag;
    let unit = st.ru;
    let newUnit = false;
    if (st.rp !== prog || unit === undefined) {
      unit = given ?? interpCode(prog);
      st.rp = prog;
      st.ru = unit;
      newUnit = true;
    }
    const args = opts.args;
    if (args !== undefined) {
      // The caller's arguments are trusted: a pointer among them is a pointer.
      const n = args.length < 5 ? args.length : 5;
      for (let k = 0; k < n; k++) {
        const a = args[k];
        const hi = a[1] | 0;
        L[k + 1] = a[0] | 0;
        H[k + 1] = hi;
        T[k + 1] = hi;
      }
    }
    L[10] = (BASE_LO + STACK_SIZE) | 0;
    H[10] = T[10] = st.frameHi[0];
    const cr = H[1] !== 0 ? mem.regionOf(H[1]) : undefined;
    const cx = cr?.ctx;
    if (cx !== undefined && cx.rewrite !== undefined) {
      st.xh = (cr as Region).hi;
      if (st.xc !== cx) st.xc = cx;
      if (st.xt !== cx.rewrite) {
        st.xt = cx.rewrite;
        newUnit = true;
      }
    } else {
      st.xh = -1;
      if (st.xc !== undefined) {
        st.xc = undefined;
        st.xt = undefined;
        newUnit = true;
      }
    }
    if (newUnit) st.rr = unit.ctxRules(st.xt);
    st.mayGoto[0] = MAY_GOTO_START;
    if (st.cur !== unit) st.cur = unit;
    try {
      loop(st, unit, st.rr, 0, 0);
      const out = opts.result;
      const vr = st.vr;
      if (out !== undefined && out === vr) return vr.set(L[0], H[0], st.executed, undefined);
      if (out instanceof VmRunResult) st.vr = out;
      return runResult(opts, L[0], H[0], st.executed);
    } catch (e) {
      if (e instanceof VmFault) return runResult(opts, 0, 0, st.executed, e);
      throw e;
    }
  } finally {
    mem.leaveRun();
    pool.give(st);
  }
}

/**
 * HelperCall.callback: run the subprogram at `pc` of `prog` in a new frame with r1..r5 = args
 * (bpf_loop, for_each_map_elem). Every register of the calling frame is restored afterwards;
 * the helper then sets r0 itself.
 */
function runCallback(st: RunState, unit: InterpCode, pc: number, args: ReadonlyArray<CallbackArg>): [number, number] {
  const prog = unit.prog;
  const L = st.regs.lo;
  const H = st.regs.hi;
  const T = st.regs.tag;
  const i = st.call.insnIndex;
  const op = prog.code.op[i] ?? 0;
  if (pc >>> 0 >= prog.code.length) throw jumpOut(i, op, pc);
  if (st.depth + 1 - st.progBase[st.depth] >= MAX_CALL_DEPTH) throw fault(ErrorCode.CallDepth, `call depth exceeds ${MAX_CALL_DEPTH} frames`, i, op);
  const keepLo = L.slice();
  const keepHi = H.slice();
  const keepTag = T.slice();
  const call = st.call;
  const keepTail = call.tailCall;
  const base = st.depth;
  st.depth = base + 1;
  st.mayGoto[st.depth] = MAY_GOTO_START;
  st.progBase[st.depth] = st.progBase[base];
  st.enter(st.depth);
  for (let k = 1; k <= 5; k++) {
    L[k] = args[k - 1]?.[0] ?? 0;
    H[k] = args[k - 1]?.[1] ?? 0;
    T[k] = args[k - 1]?.[2] ?? 0;
  }
  L[10] = (BASE_LO + STACK_SIZE) | 0;
  H[10] = T[10] = st.frameHi[st.depth];
  try {
    loop(st, unit, unit.ctxRules(st.xt), pc, st.depth);
    return [L[0], H[0]];
  } finally {
    st.depth = base;
    L.set(keepLo);
    H.set(keepHi);
    T.set(keepTag);
    call.insnIndex = i;
    call.tailCall = keepTail;
  }
}

/**
 * The dispatch loop: runs from `startPc` of `prog` until EXIT at frame `baseDepth`.
 */
function loop(st: RunState, unit: InterpCode, rules: CtxRules, startPc: number, baseDepth: number): void {
  // (what only calls, exits and faults use is read from st where it is used: each value
  // loaded here is loaded on every run, before the first instruction)
  const regs = st.regs;
  const L = regs.lo;
  const H = regs.hi;
  const T = regs.tag;
  const mem = st.mem;
  const frameHi = st.frameHi;
  const step = st.opts.step;
  const stepping = step !== undefined;
  const call = st.call;
  // (`| 0` on the values read from an object field or parameter: V8 then keeps depth, pc and N
  // as int32 in the loop instead of tagged values it checks and re-tags per instruction)
  // Instructions left: `left` (an int32, at most LEFT_SLICE) + `more` (the rest of a budget
  // beyond it, handed to `left` a slice at a time); st.left = left + more.
  // A run with a step hook counts with empty slices (left 0), so that every instruction takes
  // the slice branch at the loop top, which calls the hook: no per-instruction test otherwise.
  const slice = stepping ? 0 : LEFT_SLICE;
  let more = st.left;
  let left = (more > slice ? slice : more) | 0;
  more -= left;
  let depth = st.depth | 0;

  // The running program (cur) and its InterpCode (cu: packed words CW, interp-code.ts).
  let cu = unit;
  let cur = cu.prog;
  // ctx rewriting: the run's ctx (high half xh, access xc) and cur's rules.
  const xh = st.xh;
  const xc = st.xc;
  let XL = rules.loads;
  let XS = rules.stores;
  let code = cur.code;
  let CW = cu.words;
  let N = code.length | 0;

  let pc = startPc | 0;
  let i = 0;
  // ix = 2·i: the index of instruction i's first word in CW (its imm is at ix + 1)
  let ix = 0;
  let w = 0;
  let op = 0;

  // Two-region access cache: the running frame (fHi/fView/fSh, switched with the frame) and the
  // last other region an access resolved (cRg: packet, map value, another frame...). Frame
  // regions never change during a run; only helpers can rebind or release the others, so the
  // second entry is checked against its region after every call (cacheStale).
  let fHi = frameHi[depth];
  let fView = st.frames[depth].view;
  let fSh = st.frames[depth].shadow as Int32Array;
  let cRg: Region | undefined = undefined;
  let cHi = 0; // no region (high half 0 is a scalar's), with no room: nothing matches
  let cView = fView;
  let cLen = 0;
  // bytes of the cached region a store may write (0 when it is read-only)
  let cWLen = 0;
  let cSh: Int32Array = NO_SHADOW;
  // Lowest offset a store through each entry wrote, folded into st.lw when the entry held frame
  // 0 and changes (and when the loop ends): the next run zeroes frame 0 from there (reset).
  let fMin = STACK_SIZE;
  let cMin = STACK_SIZE;

  try {
    for (;;) {
      // Falling off the end (pc === N: jumps are range-checked where they are taken) reads past
      // OP, whose undefined lands in the switch's default case; no per-instruction test here.
      if (--left < 0) {
        if (more <= 0) {
          // falling off is no instruction: it does not count against the budget (as in the JIT)
          if (pc >= N) {
            left++;
            throw fellOff(N, code.op);
          }
          throw fault(ErrorCode.BudgetExceeded, `instruction budget of ${st.budget} exhausted`, pc, code.op[pc]);
        }
        // this instruction counts against `more`; then the next slice of a large budget
        more--;
        left = (more > slice ? slice : more) | 0;
        more -= left;
        if (stepping) {
          if (pc >= N) {
            more++;
            throw fellOff(N, code.op);
          }
          (step as StepHook)(pc, regs, depth);
        }
      }
      i = pc;
      ix = i << 1;
      w = CW[ix];
      op = w & 0xff;
      const d = (w >> 8) & 15;
      pc = i + 1;
      // Case labels are numeric literals (named in comments, values from isa.ts `Op`): V8 builds a
      // jump table only for Smi-literal labels; `case Op.X:` compiles to a chain of compares
      // (measured: 9 → 6 ns per instruction). test/vm/interpreter-opcodes.test.ts checks the names.
      switch (op) {
        // ---------------------------------------------------------------- BPF_ALU64 | BPF_K/X
        case 0x07: // ADD64_IMM
        case 0x0f: { // ADD64_REG
          let blo: number, bhi: number;
          if (op === Op.ADD64_IMM) {
            blo = CW[ix + 1];
            bhi = blo >> 31;
          } else {
            blo = L[((w >> 12) & 15)];
            bhi = H[((w >> 12) & 15)];
          }
          const s = (L[d] >>> 0) + (blo >>> 0);
          L[d] = s | 0;
          H[d] = (H[d] + bhi + (s > 0xffffffff ? 1 : 0)) | 0;
          break;
        }
        case 0x17: // SUB64_IMM
        case 0x1f: { // SUB64_REG
          let blo: number, bhi: number;
          if (op === Op.SUB64_IMM) {
            blo = CW[ix + 1];
            bhi = blo >> 31;
          } else {
            blo = L[((w >> 12) & 15)];
            bhi = H[((w >> 12) & 15)];
          }
          const s = (L[d] >>> 0) - (blo >>> 0);
          L[d] = s | 0;
          H[d] = (H[d] - bhi - (s < 0 ? 1 : 0)) | 0;
          break;
        }
        case 0x27: // MUL64_IMM
          mul64(L[d], H[d], CW[ix + 1], CW[ix + 1] >> 31);
          L[d] = R[0];
          H[d] = R[1];
          break;
        case 0x2f: // MUL64_REG
          mul64(L[d], H[d], L[((w >> 12) & 15)], H[((w >> 12) & 15)]);
          L[d] = R[0];
          H[d] = R[1];
          break;
        case 0x37: // DIV64_IMM
        case 0x3f: // DIV64_REG
        case 0x97: // MOD64_IMM
        case 0x9f: { // MOD64_REG
          let blo: number, bhi: number;
          if ((op & 0x08) === 0) {
            blo = CW[ix + 1];
            bhi = blo >> 31;
          } else {
            blo = L[((w >> 12) & 15)];
            bhi = H[((w >> 12) & 15)];
          }
          const signed = (w >> 16);
          const isDiv = (op & 0xf0) === 0x30;
          if (signed === 0) {
            if (isDiv) udiv64(L[d], H[d], blo, bhi);
            else umod64(L[d], H[d], blo, bhi);
          } else if (signed === 1) {
            if (isDiv) sdiv64(L[d], H[d], blo, bhi);
            else smod64(L[d], H[d], blo, bhi);
          } else {
            throw fault(ErrorCode.UnknownOpcode, `bad offset ${signed} for division`, i, op);
          }
          L[d] = R[0];
          H[d] = R[1];
          break;
        }
        case 0x47: // OR64_IMM
          L[d] |= CW[ix + 1];
          H[d] |= CW[ix + 1] >> 31;
          break;
        case 0x4f: // OR64_REG
          L[d] |= L[((w >> 12) & 15)];
          H[d] |= H[((w >> 12) & 15)];
          break;
        case 0x57: // AND64_IMM
          L[d] &= CW[ix + 1];
          H[d] &= CW[ix + 1] >> 31;
          break;
        case 0x5f: // AND64_REG
          L[d] &= L[((w >> 12) & 15)];
          H[d] &= H[((w >> 12) & 15)];
          break;
        case 0xa7: // XOR64_IMM
          L[d] ^= CW[ix + 1];
          H[d] ^= CW[ix + 1] >> 31;
          break;
        case 0xaf: // XOR64_REG
          L[d] ^= L[((w >> 12) & 15)];
          H[d] ^= H[((w >> 12) & 15)];
          break;
        case 0x67: // LSH64_IMM
          lsh64(L[d], H[d], CW[ix + 1] & 63);
          L[d] = R[0];
          H[d] = R[1];
          break;
        case 0x6f: // LSH64_REG
          lsh64(L[d], H[d], L[((w >> 12) & 15)] & 63);
          L[d] = R[0];
          H[d] = R[1];
          break;
        case 0x77: // RSH64_IMM
          rsh64(L[d], H[d], CW[ix + 1] & 63);
          L[d] = R[0];
          H[d] = R[1];
          break;
        case 0x7f: // RSH64_REG
          rsh64(L[d], H[d], L[((w >> 12) & 15)] & 63);
          L[d] = R[0];
          H[d] = R[1];
          break;
        case 0xc7: // ARSH64_IMM
          arsh64(L[d], H[d], CW[ix + 1] & 63);
          L[d] = R[0];
          H[d] = R[1];
          break;
        case 0xcf: // ARSH64_REG
          arsh64(L[d], H[d], L[((w >> 12) & 15)] & 63);
          L[d] = R[0];
          H[d] = R[1];
          break;
        case 0x87: { // NEG64
          const lo = L[d];
          L[d] = -lo | 0;
          H[d] = (~H[d] + (lo === 0 ? 1 : 0)) | 0;
          break;
        }
        case 0xb7: // MOV64_IMM
          L[d] = CW[ix + 1];
          H[d] = CW[ix + 1] >> 31;
          break;
        case 0xbf: { // MOV64_REG
          const s = ((w >> 12) & 15);
          switch ((w >> 16)) {
            case 0:
              L[d] = L[s];
              H[d] = H[s];
              T[d] = T[s];
              break;
            case 8:
              L[d] = sx8(L[s]);
              H[d] = L[d] >> 31;
              break;
            case 16:
              L[d] = sx16(L[s]);
              H[d] = L[d] >> 31;
              break;
            case 32:
              L[d] = L[s];
              H[d] = L[s] >> 31;
              break;
            default:
              throw fault(ErrorCode.UnknownOpcode, `bad movsx offset ${(w >> 16)}`, i, op);
          }
          break;
        }
        case 0xd7: // BSWAP
          if (!bswap(L[d], H[d], CW[ix + 1])) throw fault(ErrorCode.UnknownOpcode, `bad bswap width ${CW[ix + 1]}`, i, op);
          L[d] = R[0];
          H[d] = R[1];
          break;

        // ---------------------------------------------------------------- BPF_ALU | BPF_K/X
        // Every result is zero-extended (H[d] = 0).
        case 0x04: // ADD32_IMM
          L[d] = (L[d] + CW[ix + 1]) | 0;
          H[d] = 0;
          break;
        case 0x0c: // ADD32_REG
          L[d] = (L[d] + L[((w >> 12) & 15)]) | 0;
          H[d] = 0;
          break;
        case 0x14: // SUB32_IMM
          L[d] = (L[d] - CW[ix + 1]) | 0;
          H[d] = 0;
          break;
        case 0x1c: // SUB32_REG
          L[d] = (L[d] - L[((w >> 12) & 15)]) | 0;
          H[d] = 0;
          break;
        case 0x24: // MUL32_IMM
          L[d] = Math.imul(L[d], CW[ix + 1]);
          H[d] = 0;
          break;
        case 0x2c: // MUL32_REG
          L[d] = Math.imul(L[d], L[((w >> 12) & 15)]);
          H[d] = 0;
          break;
        case 0x34: // DIV32_IMM
        case 0x3c: // DIV32_REG
        case 0x94: // MOD32_IMM
        case 0x9c: { // MOD32_REG
          const b = (op & 0x08) === 0 ? CW[ix + 1] : L[((w >> 12) & 15)];
          const signed = (w >> 16);
          const isDiv = (op & 0xf0) === 0x30;
          if (signed === 0) L[d] = isDiv ? udiv32(L[d], b) : umod32(L[d], b);
          else if (signed === 1) L[d] = isDiv ? sdiv32(L[d], b) : smod32(L[d], b);
          else throw fault(ErrorCode.UnknownOpcode, `bad offset ${signed} for division`, i, op);
          H[d] = 0;
          break;
        }
        case 0x44: // OR32_IMM
          L[d] |= CW[ix + 1];
          H[d] = 0;
          break;
        case 0x4c: // OR32_REG
          L[d] |= L[((w >> 12) & 15)];
          H[d] = 0;
          break;
        case 0x54: // AND32_IMM
          L[d] &= CW[ix + 1];
          H[d] = 0;
          break;
        case 0x5c: // AND32_REG
          L[d] &= L[((w >> 12) & 15)];
          H[d] = 0;
          break;
        case 0xa4: // XOR32_IMM
          L[d] ^= CW[ix + 1];
          H[d] = 0;
          break;
        case 0xac: // XOR32_REG
          L[d] ^= L[((w >> 12) & 15)];
          H[d] = 0;
          break;
        // JS masks 32-bit shift counts with & 31, as the ISA does.
        case 0x64: // LSH32_IMM
          L[d] <<= CW[ix + 1];
          H[d] = 0;
          break;
        case 0x6c: // LSH32_REG
          L[d] <<= L[((w >> 12) & 15)];
          H[d] = 0;
          break;
        case 0x74: // RSH32_IMM
          L[d] = L[d] >>> CW[ix + 1];
          H[d] = 0;
          break;
        case 0x7c: // RSH32_REG
          L[d] = L[d] >>> L[((w >> 12) & 15)];
          H[d] = 0;
          break;
        case 0xc4: // ARSH32_IMM
          L[d] >>= CW[ix + 1];
          H[d] = 0;
          break;
        case 0xcc: // ARSH32_REG
          L[d] >>= L[((w >> 12) & 15)];
          H[d] = 0;
          break;
        case 0x84: // NEG32
          L[d] = -L[d] | 0;
          H[d] = 0;
          break;
        case 0xb4: // MOV32_IMM
          L[d] = CW[ix + 1];
          H[d] = 0;
          break;
        case 0xbc: { // MOV32_REG
          const s = ((w >> 12) & 15);
          switch ((w >> 16)) {
            case 0:
              L[d] = L[s];
              break;
            case 8:
              L[d] = sx8(L[s]);
              break;
            case 16:
              L[d] = sx16(L[s]);
              break;
            default:
              throw fault(ErrorCode.UnknownOpcode, `bad movsx offset ${(w >> 16)}`, i, op);
          }
          H[d] = 0;
          break;
        }
        case 0xd4: // LE
          if (!toLe(L[d], H[d], CW[ix + 1])) throw fault(ErrorCode.UnknownOpcode, `bad le width ${CW[ix + 1]}`, i, op);
          L[d] = R[0];
          H[d] = R[1];
          break;
        case 0xdc: // BE
          if (!bswap(L[d], H[d], CW[ix + 1])) throw fault(ErrorCode.UnknownOpcode, `bad be width ${CW[ix + 1]}`, i, op);
          L[d] = R[0];
          H[d] = R[1];
          break;

        // ---------------------------------------------------------------- BPF_JMP | BPF_K/X
        case 0x05: // JA
          pc += (w >> 16);
          if (pc >>> 0 >= N) throw jumpOut(i, op, pc);
          break;
        case 0x06: // JA32
          pc += CW[ix + 1];
          if (pc >>> 0 >= N) throw jumpOut(i, op, pc);
          break;
        // One case per opcode: K compares with the sign-extended imm (docs/isa-semantics.md §3).
        case 0x15: // JEQ_IMM
          if (L[d] === CW[ix + 1] && H[d] === (CW[ix + 1] >> 31)) {
            pc += (w >> 16);
            if (pc >>> 0 >= N) throw jumpOut(i, op, pc);
          }
          break;
        case 0x1d: { // JEQ_REG
          const s = ((w >> 12) & 15);
          if (L[d] === L[s] && H[d] === H[s]) {
            pc += (w >> 16);
            if (pc >>> 0 >= N) throw jumpOut(i, op, pc);
          }
          break;
        }
        case 0x55: // JNE_IMM
          if (L[d] !== CW[ix + 1] || H[d] !== (CW[ix + 1] >> 31)) {
            pc += (w >> 16);
            if (pc >>> 0 >= N) throw jumpOut(i, op, pc);
          }
          break;
        case 0x5d: { // JNE_REG
          const s = ((w >> 12) & 15);
          if (L[d] !== L[s] || H[d] !== H[s]) {
            pc += (w >> 16);
            if (pc >>> 0 >= N) throw jumpOut(i, op, pc);
          }
          break;
        }
        case 0x45: // JSET_IMM
          if ((L[d] & CW[ix + 1]) !== 0 || (H[d] & (CW[ix + 1] >> 31)) !== 0) {
            pc += (w >> 16);
            if (pc >>> 0 >= N) throw jumpOut(i, op, pc);
          }
          break;
        case 0x4d: { // JSET_REG
          const s = ((w >> 12) & 15);
          if ((L[d] & L[s]) !== 0 || (H[d] & H[s]) !== 0) {
            pc += (w >> 16);
            if (pc >>> 0 >= N) throw jumpOut(i, op, pc);
          }
          break;
        }
        case 0x25: // JGT_IMM
          if (H[d] >>> 0 > (CW[ix + 1] >> 31) >>> 0 || (H[d] === (CW[ix + 1] >> 31) && L[d] >>> 0 > CW[ix + 1] >>> 0)) {
            pc += (w >> 16);
            if (pc >>> 0 >= N) throw jumpOut(i, op, pc);
          }
          break;
        case 0x2d: { // JGT_REG
          const s = ((w >> 12) & 15);
          if (H[d] >>> 0 > H[s] >>> 0 || (H[d] === H[s] && L[d] >>> 0 > L[s] >>> 0)) {
            pc += (w >> 16);
            if (pc >>> 0 >= N) throw jumpOut(i, op, pc);
          }
          break;
        }
        case 0x35: // JGE_IMM
          if (H[d] >>> 0 > (CW[ix + 1] >> 31) >>> 0 || (H[d] === (CW[ix + 1] >> 31) && L[d] >>> 0 >= CW[ix + 1] >>> 0)) {
            pc += (w >> 16);
            if (pc >>> 0 >= N) throw jumpOut(i, op, pc);
          }
          break;
        case 0x3d: { // JGE_REG
          const s = ((w >> 12) & 15);
          if (H[d] >>> 0 > H[s] >>> 0 || (H[d] === H[s] && L[d] >>> 0 >= L[s] >>> 0)) {
            pc += (w >> 16);
            if (pc >>> 0 >= N) throw jumpOut(i, op, pc);
          }
          break;
        }
        case 0xa5: // JLT_IMM
          if (H[d] >>> 0 < (CW[ix + 1] >> 31) >>> 0 || (H[d] === (CW[ix + 1] >> 31) && L[d] >>> 0 < CW[ix + 1] >>> 0)) {
            pc += (w >> 16);
            if (pc >>> 0 >= N) throw jumpOut(i, op, pc);
          }
          break;
        case 0xad: { // JLT_REG
          const s = ((w >> 12) & 15);
          if (H[d] >>> 0 < H[s] >>> 0 || (H[d] === H[s] && L[d] >>> 0 < L[s] >>> 0)) {
            pc += (w >> 16);
            if (pc >>> 0 >= N) throw jumpOut(i, op, pc);
          }
          break;
        }
        case 0xb5: // JLE_IMM
          if (H[d] >>> 0 < (CW[ix + 1] >> 31) >>> 0 || (H[d] === (CW[ix + 1] >> 31) && L[d] >>> 0 <= CW[ix + 1] >>> 0)) {
            pc += (w >> 16);
            if (pc >>> 0 >= N) throw jumpOut(i, op, pc);
          }
          break;
        case 0xbd: { // JLE_REG
          const s = ((w >> 12) & 15);
          if (H[d] >>> 0 < H[s] >>> 0 || (H[d] === H[s] && L[d] >>> 0 <= L[s] >>> 0)) {
            pc += (w >> 16);
            if (pc >>> 0 >= N) throw jumpOut(i, op, pc);
          }
          break;
        }
        case 0x65: // JSGT_IMM
          if (H[d] > (CW[ix + 1] >> 31) || (H[d] === (CW[ix + 1] >> 31) && L[d] >>> 0 > CW[ix + 1] >>> 0)) {
            pc += (w >> 16);
            if (pc >>> 0 >= N) throw jumpOut(i, op, pc);
          }
          break;
        case 0x6d: { // JSGT_REG
          const s = ((w >> 12) & 15);
          if (H[d] > H[s] || (H[d] === H[s] && L[d] >>> 0 > L[s] >>> 0)) {
            pc += (w >> 16);
            if (pc >>> 0 >= N) throw jumpOut(i, op, pc);
          }
          break;
        }
        case 0x75: // JSGE_IMM
          if (H[d] > (CW[ix + 1] >> 31) || (H[d] === (CW[ix + 1] >> 31) && L[d] >>> 0 >= CW[ix + 1] >>> 0)) {
            pc += (w >> 16);
            if (pc >>> 0 >= N) throw jumpOut(i, op, pc);
          }
          break;
        case 0x7d: { // JSGE_REG
          const s = ((w >> 12) & 15);
          if (H[d] > H[s] || (H[d] === H[s] && L[d] >>> 0 >= L[s] >>> 0)) {
            pc += (w >> 16);
            if (pc >>> 0 >= N) throw jumpOut(i, op, pc);
          }
          break;
        }
        case 0xc5: // JSLT_IMM
          if (H[d] < (CW[ix + 1] >> 31) || (H[d] === (CW[ix + 1] >> 31) && L[d] >>> 0 < CW[ix + 1] >>> 0)) {
            pc += (w >> 16);
            if (pc >>> 0 >= N) throw jumpOut(i, op, pc);
          }
          break;
        case 0xcd: { // JSLT_REG
          const s = ((w >> 12) & 15);
          if (H[d] < H[s] || (H[d] === H[s] && L[d] >>> 0 < L[s] >>> 0)) {
            pc += (w >> 16);
            if (pc >>> 0 >= N) throw jumpOut(i, op, pc);
          }
          break;
        }
        case 0xd5: // JSLE_IMM
          if (H[d] < (CW[ix + 1] >> 31) || (H[d] === (CW[ix + 1] >> 31) && L[d] >>> 0 <= CW[ix + 1] >>> 0)) {
            pc += (w >> 16);
            if (pc >>> 0 >= N) throw jumpOut(i, op, pc);
          }
          break;
        case 0xdd: { // JSLE_REG
          const s = ((w >> 12) & 15);
          if (H[d] < H[s] || (H[d] === H[s] && L[d] >>> 0 <= L[s] >>> 0)) {
            pc += (w >> 16);
            if (pc >>> 0 >= N) throw jumpOut(i, op, pc);
          }
          break;
        }

        // ---------------------------------------------------------------- BPF_JMP32 | BPF_K/X
        case 0x16: // JEQ32_IMM
          if (L[d] === CW[ix + 1]) {
            pc += (w >> 16);
            if (pc >>> 0 >= N) throw jumpOut(i, op, pc);
          }
          break;
        case 0x1e: // JEQ32_REG
          if (L[d] === L[((w >> 12) & 15)]) {
            pc += (w >> 16);
            if (pc >>> 0 >= N) throw jumpOut(i, op, pc);
          }
          break;
        case 0x56: // JNE32_IMM
          if (L[d] !== CW[ix + 1]) {
            pc += (w >> 16);
            if (pc >>> 0 >= N) throw jumpOut(i, op, pc);
          }
          break;
        case 0x5e: // JNE32_REG
          if (L[d] !== L[((w >> 12) & 15)]) {
            pc += (w >> 16);
            if (pc >>> 0 >= N) throw jumpOut(i, op, pc);
          }
          break;
        case 0x46: // JSET32_IMM
          if ((L[d] & CW[ix + 1]) !== 0) {
            pc += (w >> 16);
            if (pc >>> 0 >= N) throw jumpOut(i, op, pc);
          }
          break;
        case 0x4e: // JSET32_REG
          if ((L[d] & L[((w >> 12) & 15)]) !== 0) {
            pc += (w >> 16);
            if (pc >>> 0 >= N) throw jumpOut(i, op, pc);
          }
          break;
        case 0x26: // JGT32_IMM
          if (L[d] >>> 0 > CW[ix + 1] >>> 0) {
            pc += (w >> 16);
            if (pc >>> 0 >= N) throw jumpOut(i, op, pc);
          }
          break;
        case 0x2e: // JGT32_REG
          if (L[d] >>> 0 > L[((w >> 12) & 15)] >>> 0) {
            pc += (w >> 16);
            if (pc >>> 0 >= N) throw jumpOut(i, op, pc);
          }
          break;
        case 0x36: // JGE32_IMM
          if (L[d] >>> 0 >= CW[ix + 1] >>> 0) {
            pc += (w >> 16);
            if (pc >>> 0 >= N) throw jumpOut(i, op, pc);
          }
          break;
        case 0x3e: // JGE32_REG
          if (L[d] >>> 0 >= L[((w >> 12) & 15)] >>> 0) {
            pc += (w >> 16);
            if (pc >>> 0 >= N) throw jumpOut(i, op, pc);
          }
          break;
        case 0xa6: // JLT32_IMM
          if (L[d] >>> 0 < CW[ix + 1] >>> 0) {
            pc += (w >> 16);
            if (pc >>> 0 >= N) throw jumpOut(i, op, pc);
          }
          break;
        case 0xae: // JLT32_REG
          if (L[d] >>> 0 < L[((w >> 12) & 15)] >>> 0) {
            pc += (w >> 16);
            if (pc >>> 0 >= N) throw jumpOut(i, op, pc);
          }
          break;
        case 0xb6: // JLE32_IMM
          if (L[d] >>> 0 <= CW[ix + 1] >>> 0) {
            pc += (w >> 16);
            if (pc >>> 0 >= N) throw jumpOut(i, op, pc);
          }
          break;
        case 0xbe: // JLE32_REG
          if (L[d] >>> 0 <= L[((w >> 12) & 15)] >>> 0) {
            pc += (w >> 16);
            if (pc >>> 0 >= N) throw jumpOut(i, op, pc);
          }
          break;
        case 0x66: // JSGT32_IMM
          if (L[d] > CW[ix + 1]) {
            pc += (w >> 16);
            if (pc >>> 0 >= N) throw jumpOut(i, op, pc);
          }
          break;
        case 0x6e: // JSGT32_REG
          if (L[d] > L[((w >> 12) & 15)]) {
            pc += (w >> 16);
            if (pc >>> 0 >= N) throw jumpOut(i, op, pc);
          }
          break;
        case 0x76: // JSGE32_IMM
          if (L[d] >= CW[ix + 1]) {
            pc += (w >> 16);
            if (pc >>> 0 >= N) throw jumpOut(i, op, pc);
          }
          break;
        case 0x7e: // JSGE32_REG
          if (L[d] >= L[((w >> 12) & 15)]) {
            pc += (w >> 16);
            if (pc >>> 0 >= N) throw jumpOut(i, op, pc);
          }
          break;
        case 0xc6: // JSLT32_IMM
          if (L[d] < CW[ix + 1]) {
            pc += (w >> 16);
            if (pc >>> 0 >= N) throw jumpOut(i, op, pc);
          }
          break;
        case 0xce: // JSLT32_REG
          if (L[d] < L[((w >> 12) & 15)]) {
            pc += (w >> 16);
            if (pc >>> 0 >= N) throw jumpOut(i, op, pc);
          }
          break;
        case 0xd6: // JSLE32_IMM
          if (L[d] <= CW[ix + 1]) {
            pc += (w >> 16);
            if (pc >>> 0 >= N) throw jumpOut(i, op, pc);
          }
          break;
        case 0xde: // JSLE32_REG
          if (L[d] <= L[((w >> 12) & 15)]) {
            pc += (w >> 16);
            if (pc >>> 0 >= N) throw jumpOut(i, op, pc);
          }
          break;

        case 0xe5: { // JCOND
          // may_goto (kernel do_misc_fixups): at 0 jump, else decrement and fall through.
          if (((w >> 12) & 15) !== 0) throw fault(ErrorCode.UnknownOpcode, `bad jcond src ${((w >> 12) & 15)}`, i, op);
          if (st.mayGoto[depth] === 0) {
            pc += (w >> 16);
            if (pc >>> 0 >= N) throw jumpOut(i, op, pc);
          } else {
            st.mayGoto[depth]--;
          }
          break;
        }

        // ---------------------------------------------------------------- calls and exit
        case 0x85: // CALL
        // @ts-expect-error TS7029: this case falls through to EXIT, on purpose (`break thrown` below)
        case 0x8d: // CALLX
          // `break thrown` leaves a bpf_throw with no exception callback: op becomes EXIT and the
          // case falls through to EXIT's frame exit with r0 = the cookie.
          thrown: {
          const s = op === Op.CALLX ? 0 : ((w >> 12) & 15);
          if (s === 1) {
            // bpf-to-bpf call
            const target = pc + CW[ix + 1];
            if (target >>> 0 >= N) throw jumpOut(i, op, target);
            if (depth + 1 - st.progBase[depth] >= MAX_CALL_DEPTH) {
              throw fault(ErrorCode.CallDepth, `call depth exceeds ${MAX_CALL_DEPTH} frames`, i, op);
            }
            st.retPc[depth] = pc;
            // (compared first: see RunState.reset on storing objects)
            if (st.progs[depth] !== cu) st.progs[depth] = cu;
            const b = depth * 12;
            for (let k = 0; k < 4; k++) {
              st.saved[b + k * 3] = L[6 + k];
              st.saved[b + k * 3 + 1] = H[6 + k];
              st.saved[b + k * 3 + 2] = T[6 + k];
            }
            depth++;
            st.mayGoto[depth] = MAY_GOTO_START;
            st.progBase[depth] = st.progBase[depth - 1];
            // A fresh frame reads as zero (the kernel's is garbage the verifier forbids reading).
            st.enter(depth);
            L[10] = (BASE_LO + STACK_SIZE) | 0;
            H[10] = T[10] = frameHi[depth];
            if (fHi === frameHi[0] && fMin < st.lw) st.lw = fMin;
            fMin = STACK_SIZE;
            fHi = frameHi[depth];
            fView = st.frames[depth].view;
            fSh = st.frames[depth].shadow as Int32Array;
            pc = target;
            break;
          }
          let fn: HelperFn | undefined;
          if (s === 0) {
            const id = op === Op.CALLX ? L[d] : CW[ix + 1];
            fn = cur.helpers[id];
            if (fn === undefined) throw fault(ErrorCode.UnknownHelper, `unknown helper ${id >>> 0}`, i, op);
          } else if (s === 2) {
            if (CW[ix + 1] === BPF_THROW_ID) {
              // bpf_throw: unwind to the frame the current program was entered in (the kernel's
              // bpf_stack_walker stops at the first frame of a whole program) and run the program's
              // exception callback there, with the cookie as r1, reusing that frame's stack (the x86
              // JIT's exception-cb prologue takes the frame's rsp and rbp); its EXIT is the frame's.
              const base = st.progBase[depth];
              if (base < baseDepth) throw fault(ErrorCode.HelperFault, THROW_IN_CALLBACK, i, op);
              const lo = L[1];
              const hi = H[1];
              L.fill(0, 0, 10);
              H.fill(0, 0, 10);
              T.fill(0, 0, 10);
              L[1] = lo;
              H[1] = hi;
              // (the second cache entry may keep a deeper frame: every access checks its tag)
              depth = base;
              L[10] = (BASE_LO + STACK_SIZE) | 0;
              H[10] = T[10] = frameHi[depth];
              if (fHi === frameHi[0] && fMin < st.lw) st.lw = fMin;
              fMin = STACK_SIZE;
              fHi = frameHi[depth];
              fView = st.frames[depth].view;
              fSh = st.frames[depth].shadow as Int32Array;
              const cb = cur.exceptionCb;
              if (cb !== undefined) {
                st.mayGoto[depth] = MAY_GOTO_START;
                pc = cb | 0;
                break;
              }
              // the default callback the kernel adds (r0 = r1; exit): the program returns the cookie
              L[0] = lo;
              H[0] = hi;
              op = Op.EXIT;
              break thrown;
            }
            fn = cur.kfuncs?.get(CW[ix + 1]);
            if (fn === undefined) throw fault(ErrorCode.UnknownHelper, `unknown kfunc ${CW[ix + 1]}`, i, op);
          } else {
            throw fault(ErrorCode.UnknownOpcode, `bad call src ${s}`, i, op);
          }
          if (cu.siteFn[i] !== fn) cu.site(i, fn);
          // A map lookup with a direct form (program.ts IndexLookup, as the JIT inlines it:
          // jit/compile.ts inlineLookup, after the kernel's map_gen_lookup) when r1 is a tagged
          // pointer at offset 0 and r2 points at 4 bytes of the running frame: the key read from
          // there, no register marshalling. The form answers -1 for a map it does not cover (the
          // ordinary call then runs), else r0's high half (0: NULL); it writes nothing and
          // releases no region, so neither st.lw nor the access cache changes.
          const direct = cu.siteDirect[i];
          if (direct !== undefined && H[1] === T[1] && L[1] === BASE_LO && H[2] === fHi && T[2] === fHi) {
            const ko = (L[2] - BASE_LO) | 0;
            if (ko >= 0 && ko <= STACK_SIZE - 4) {
              const t = direct(call, H[1], fView.getInt32(ko, true));
              if (t !== -1) {
                L[0] = t === 0 ? 0 : BASE_LO;
                H[0] = t;
                T[0] = t;
                L[1] = L[2] = L[3] = L[4] = L[5] = 0;
                H[1] = H[2] = H[3] = H[4] = H[5] = 0;
                T[1] = T[2] = T[3] = T[4] = T[5] = 0;
                break;
              }
            }
          }
          call.insnIndex = i;
          call.tailCall = undefined;
          st.left = left + more;
          st.depth = depth;
          if (st.cur !== cu) st.cur = cu;
          // r0 is a scalar unless the helper returns a pointer (setR0Ptr tags it).
          T[0] = 0;
          // What the helper may write of frame 0 (its pointer arguments into it, from there up;
          // nothing when it is marked readsArgsOnly).
          if (cu.siteRo[i] === 0) st.lw = helperWriteLow(L, T, frameHi[0], st.lw);
          try {
            fn(call);
          } catch (e) {
            // A callback run by the helper may have executed instructions (st.left is current).
            left = st.left;
            more = 0;
            throw e;
          }
          more = st.left;
          left = (more > slice ? slice : more) | 0;
          more -= left;
          if (cRg !== undefined && cacheStale(mem, cRg, cHi, cView, cLen, cWLen, cSh)) {
            if (cHi === frameHi[0] && cMin < st.lw) st.lw = cMin;
            cMin = STACK_SIZE;
            cRg = undefined;
            cHi = 0;
            cLen = 0;
            cWLen = 0;
            cSh = NO_SHADOW;
          }
          const tail = call.tailCall;
          if (tail !== undefined) {
            call.tailCall = undefined;
            if (call.tailCalls < MAX_TAIL_CALLS) {
              // As the JIT must (it cannot hand a run to the interpreter midway): a fault, not a run.
              if (hasInvalidRegister((tail as LinkedProgram).code)) throw fault(ErrorCode.HelperFault, 'tail call into a program that names a register above r10', i, op);
              call.tailCalls++;
              cu = interpCode(tail as LinkedProgram);
              cur = cu.prog;
              ({ loads: XL, stores: XS } = cu.ctxRules(st.xt));
              code = cur.code;
              CW = cu.words;
              N = code.length | 0;
              st.mayGoto[depth] = MAY_GOTO_START;
              // The target is a whole program of its own from this frame on (its 8 frames count
              // from here; when it exits, the caller of this frame resumes).
              st.progBase[depth] = depth;
              pc = 0;
              break;
            }
          }
          // r1..r5 are scratched by every call.
          L[1] = L[2] = L[3] = L[4] = L[5] = 0;
          H[1] = H[2] = H[3] = H[4] = H[5] = 0;
          T[1] = T[2] = T[3] = T[4] = T[5] = 0;
          break;
          }
        // (a bpf_throw without exception callback)
        case 0x20: // LDABSW
        case 0x28: // LDABSH
        case 0x30: // LDABSB
        case 0x40: // LDINDW
        case 0x48: // LDINDH
        case 0x50: // LDINDB
        case 0x95: // EXIT
          if (op !== 0x95) {
            // Kernel bpf_gen_ld_abs + bpf_skb_load_helper_*: big-endian value in host order,
            // r1..r5 clobbered. Out of bounds runs the expansion's hidden `r0 = 0; exit`: the
            // EXIT below, which in a subprogram returns 0 to the caller and in the main
            // program ends the run.
            if (st.opts.packet === undefined) throw fault(ErrorCode.BadAccess, 'LD_ABS/LD_IND without a st.opts.packet', i, op);
            const size = op === Op.LDABSW || op === Op.LDINDW ? 4 : op === Op.LDABSH || op === Op.LDINDH ? 2 : 1;
            const offset = (op & 0xe0) === 0x20 ? CW[ix + 1] : (L[((w >> 12) & 15)] + CW[ix + 1]) | 0;
            const v = st.opts.packet.loadAbs(offset, size);
            L[1] = L[2] = L[3] = L[4] = L[5] = 0;
            H[1] = H[2] = H[3] = H[4] = H[5] = 0;
            T[1] = T[2] = T[3] = T[4] = T[5] = 0;
            L[0] = v === undefined ? 0 : v | 0;
            H[0] = 0;
            T[0] = 0;
            if (v !== undefined) break;
          }
          if (depth === baseDepth) {
            st.left = left + more;
            fold(st, fHi, fMin, cHi, cMin);
            return;
          }
          depth--;
          {
            const b = depth * 12;
            for (let k = 0; k < 4; k++) {
              L[6 + k] = st.saved[b + k * 3];
              H[6 + k] = st.saved[b + k * 3 + 1];
              T[6 + k] = st.saved[b + k * 3 + 2];
            }
          }
          L[10] = (BASE_LO + STACK_SIZE) | 0;
          H[10] = T[10] = frameHi[depth];
          if (fHi === frameHi[0] && fMin < st.lw) st.lw = fMin;
          fMin = STACK_SIZE;
          fHi = frameHi[depth];
          fView = st.frames[depth].view;
          fSh = st.frames[depth].shadow as Int32Array;
          pc = st.retPc[depth];
          if (st.progs[depth] !== cu) {
            cu = st.progs[depth];
            cur = cu.prog;
            ({ loads: XL, stores: XS } = cu.ctxRules(st.xt));
            code = cur.code;
            CW = cu.words;
            N = code.length | 0;
          }
          break;

        // ---------------------------------------------------------------- BPF_LD
        case 0x18: // LDDW
          if (((w >> 12) & 15) !== 0) throw fault(ErrorCode.BadLdImm64, `unlinked lddw (src ${((w >> 12) & 15)})`, i, op);
          if (pc >= N) throw fault(ErrorCode.BadLdImm64, 'lddw is missing its second slot', i, op);
          L[d] = CW[ix + 1];
          H[d] = CW[(pc << 1) + 1];
          T[d] = cur.pointers !== undefined && cur.pointers[i] === 1 ? H[d] : 0;
          pc++;
          break;
        // ---------------------------------------------------------------- BPF_LDX
        // Fast paths: the running frame (fHi/fView/fSh), then the second cache entry
        // (cHi/cView/cLen/cWLen/cSh); anything else goes through Memory.resolve or a ctx region,
        // then refills the second entry. Either way the address's high half must equal its
        // register's tag (memory.ts, "Isolation"): a pointer carried into another region by
        // arithmetic faults.
        case 0x61: { // LDXW
          const s = ((w >> 12) & 15);
          const h = H[s];
          const a = (L[s] + (w >> 16)) | 0;
          const o = (a - BASE_LO) | 0;
          if (h === fHi && h === T[s] && o >= 0 && o <= STACK_SIZE - 4) {
            L[d] = fView.getInt32(o, true);
            H[d] = 0;
          } else if (h === cHi && h === T[s] && o >= 0 && o <= cLen - 4) {
            L[d] = cView.getInt32(o, true);
            H[d] = 0;
          } else {
            const xl = XL[i];
            const rg = xl !== undefined && h === xh && T[s] === xh && L[s] === BASE_LO ? ctxLoad(xl, xc as CtxAccess, d, L, H, T) : ldxSlow(mem, s, d, a, 4, false, i, op, L, H, T);
            if (rg !== undefined && rg.hi !== fHi) {
              if (cHi === frameHi[0] && cMin < st.lw) st.lw = cMin;
              cMin = STACK_SIZE;
              cRg = rg;
              cHi = rg.hi;
              cView = rg.view;
              cLen = rg.bytes.length;
              cWLen = rg.writable ? cLen : 0;
              cSh = rg.shadow ?? NO_SHADOW;
            }
          }
          break;
        }
        case 0x69: { // LDXH
          const s = ((w >> 12) & 15);
          const h = H[s];
          const a = (L[s] + (w >> 16)) | 0;
          const o = (a - BASE_LO) | 0;
          if (h === fHi && h === T[s] && o >= 0 && o <= STACK_SIZE - 2) {
            L[d] = fView.getUint16(o, true);
            H[d] = 0;
          } else if (h === cHi && h === T[s] && o >= 0 && o <= cLen - 2) {
            L[d] = cView.getUint16(o, true);
            H[d] = 0;
          } else {
            const xl = XL[i];
            const rg = xl !== undefined && h === xh && T[s] === xh && L[s] === BASE_LO ? ctxLoad(xl, xc as CtxAccess, d, L, H, T) : ldxSlow(mem, s, d, a, 2, false, i, op, L, H, T);
            if (rg !== undefined && rg.hi !== fHi) {
              if (cHi === frameHi[0] && cMin < st.lw) st.lw = cMin;
              cMin = STACK_SIZE;
              cRg = rg;
              cHi = rg.hi;
              cView = rg.view;
              cLen = rg.bytes.length;
              cWLen = rg.writable ? cLen : 0;
              cSh = rg.shadow ?? NO_SHADOW;
            }
          }
          break;
        }
        case 0x71: { // LDXB
          const s = ((w >> 12) & 15);
          const h = H[s];
          const a = (L[s] + (w >> 16)) | 0;
          const o = (a - BASE_LO) | 0;
          if (h === fHi && h === T[s] && o >= 0 && o <= STACK_SIZE - 1) {
            L[d] = fView.getUint8(o);
            H[d] = 0;
          } else if (h === cHi && h === T[s] && o >= 0 && o <= cLen - 1) {
            L[d] = cView.getUint8(o);
            H[d] = 0;
          } else {
            const xl = XL[i];
            const rg = xl !== undefined && h === xh && T[s] === xh && L[s] === BASE_LO ? ctxLoad(xl, xc as CtxAccess, d, L, H, T) : ldxSlow(mem, s, d, a, 1, false, i, op, L, H, T);
            if (rg !== undefined && rg.hi !== fHi) {
              if (cHi === frameHi[0] && cMin < st.lw) st.lw = cMin;
              cMin = STACK_SIZE;
              cRg = rg;
              cHi = rg.hi;
              cView = rg.view;
              cLen = rg.bytes.length;
              cWLen = rg.writable ? cLen : 0;
              cSh = rg.shadow ?? NO_SHADOW;
            }
          }
          break;
        }
        case 0x79: { // LDXDW
          const s = ((w >> 12) & 15);
          const h = H[s];
          const a = (L[s] + (w >> 16)) | 0;
          const o = (a - BASE_LO) | 0;
          if (h === fHi && h === T[s] && o >= 0 && o <= STACK_SIZE - 8) {
            L[d] = fView.getInt32(o, true);
            H[d] = fView.getInt32(o + 4, true);
            T[d] = (o & 7) === 0 ? fSh[o >> 3] | 0 : 0;
          } else if (h === cHi && h === T[s] && o >= 0 && o <= cLen - 8) {
            L[d] = cView.getInt32(o, true);
            H[d] = cView.getInt32(o + 4, true);
            T[d] = (o & 7) === 0 ? cSh[o >> 3] | 0 : 0;
          } else {
            const xl = XL[i];
            const rg = xl !== undefined && h === xh && T[s] === xh && L[s] === BASE_LO ? ctxLoad(xl, xc as CtxAccess, d, L, H, T) : ldxSlow(mem, s, d, a, 8, false, i, op, L, H, T);
            if (rg !== undefined && rg.hi !== fHi) {
              if (cHi === frameHi[0] && cMin < st.lw) st.lw = cMin;
              cMin = STACK_SIZE;
              cRg = rg;
              cHi = rg.hi;
              cView = rg.view;
              cLen = rg.bytes.length;
              cWLen = rg.writable ? cLen : 0;
              cSh = rg.shadow ?? NO_SHADOW;
            }
          }
          break;
        }
        case 0x81: { // LDXSW
          const s = ((w >> 12) & 15);
          const h = H[s];
          const a = (L[s] + (w >> 16)) | 0;
          const o = (a - BASE_LO) | 0;
          if (h === fHi && h === T[s] && o >= 0 && o <= STACK_SIZE - 4) {
            L[d] = fView.getInt32(o, true);
            H[d] = L[d] >> 31;
          } else if (h === cHi && h === T[s] && o >= 0 && o <= cLen - 4) {
            L[d] = cView.getInt32(o, true);
            H[d] = L[d] >> 31;
          } else {
            const rg = ldxSlow(mem, s, d, a, 4, true, i, op, L, H, T);
            if (rg !== undefined && rg.hi !== fHi) {
              if (cHi === frameHi[0] && cMin < st.lw) st.lw = cMin;
              cMin = STACK_SIZE;
              cRg = rg;
              cHi = rg.hi;
              cView = rg.view;
              cLen = rg.bytes.length;
              cWLen = rg.writable ? cLen : 0;
              cSh = rg.shadow ?? NO_SHADOW;
            }
          }
          break;
        }
        case 0x89: { // LDXSH
          const s = ((w >> 12) & 15);
          const h = H[s];
          const a = (L[s] + (w >> 16)) | 0;
          const o = (a - BASE_LO) | 0;
          if (h === fHi && h === T[s] && o >= 0 && o <= STACK_SIZE - 2) {
            L[d] = fView.getInt16(o, true);
            H[d] = L[d] >> 31;
          } else if (h === cHi && h === T[s] && o >= 0 && o <= cLen - 2) {
            L[d] = cView.getInt16(o, true);
            H[d] = L[d] >> 31;
          } else {
            const rg = ldxSlow(mem, s, d, a, 2, true, i, op, L, H, T);
            if (rg !== undefined && rg.hi !== fHi) {
              if (cHi === frameHi[0] && cMin < st.lw) st.lw = cMin;
              cMin = STACK_SIZE;
              cRg = rg;
              cHi = rg.hi;
              cView = rg.view;
              cLen = rg.bytes.length;
              cWLen = rg.writable ? cLen : 0;
              cSh = rg.shadow ?? NO_SHADOW;
            }
          }
          break;
        }
        case 0x91: { // LDXSB
          const s = ((w >> 12) & 15);
          const h = H[s];
          const a = (L[s] + (w >> 16)) | 0;
          const o = (a - BASE_LO) | 0;
          if (h === fHi && h === T[s] && o >= 0 && o <= STACK_SIZE - 1) {
            L[d] = fView.getInt8(o);
            H[d] = L[d] >> 31;
          } else if (h === cHi && h === T[s] && o >= 0 && o <= cLen - 1) {
            L[d] = cView.getInt8(o);
            H[d] = L[d] >> 31;
          } else {
            const rg = ldxSlow(mem, s, d, a, 1, true, i, op, L, H, T);
            if (rg !== undefined && rg.hi !== fHi) {
              if (cHi === frameHi[0] && cMin < st.lw) st.lw = cMin;
              cMin = STACK_SIZE;
              cRg = rg;
              cHi = rg.hi;
              cView = rg.view;
              cLen = rg.bytes.length;
              cWLen = rg.writable ? cLen : 0;
              cSh = rg.shadow ?? NO_SHADOW;
            }
          }
          break;
        }

        // ---------------------------------------------------------------- BPF_ST / BPF_STX
        case 0x62: { // STW
          const vlo = CW[ix + 1];
          const vhi = vlo >> 31;
          const h = H[d];
          const a = (L[d] + (w >> 16)) | 0;
          const o = (a - BASE_LO) | 0;
          if (h === fHi && h === T[d] && o >= 0 && o <= STACK_SIZE - 4) {
            fView.setInt32(o, vlo, true);
            if (o < fMin) fMin = o;
          } else if (h === cHi && h === T[d] && o >= 0 && o <= cWLen - 4) {
            cView.setInt32(o, vlo, true);
            if (o < cMin) cMin = o;
          } else if (XS[i] !== undefined && h === xh && T[d] === xh && L[d] === BASE_LO) {
            (XS[i] as CtxStore).set(xc as CtxAccess, vlo, vhi);
          } else {
            store(mem, h, T[d], a, 4, vlo, vhi, 0, i, op);
            if (h === frameHi[0] && o < st.lw) st.lw = o;
            const rg = mem.regionOf(h);
            if (rg !== undefined && rg.hi !== fHi) {
              if (cHi === frameHi[0] && cMin < st.lw) st.lw = cMin;
              cMin = STACK_SIZE;
              cRg = rg;
              cHi = rg.hi;
              cView = rg.view;
              cLen = rg.bytes.length;
              cWLen = rg.writable ? cLen : 0;
              cSh = rg.shadow ?? NO_SHADOW;
            }
          }
          break;
        }
        case 0x6a: { // STH
          const vlo = CW[ix + 1];
          const vhi = vlo >> 31;
          const h = H[d];
          const a = (L[d] + (w >> 16)) | 0;
          const o = (a - BASE_LO) | 0;
          if (h === fHi && h === T[d] && o >= 0 && o <= STACK_SIZE - 2) {
            fView.setUint16(o, vlo & 0xffff, true);
            if (o < fMin) fMin = o;
          } else if (h === cHi && h === T[d] && o >= 0 && o <= cWLen - 2) {
            cView.setUint16(o, vlo & 0xffff, true);
            if (o < cMin) cMin = o;
          } else if (XS[i] !== undefined && h === xh && T[d] === xh && L[d] === BASE_LO) {
            (XS[i] as CtxStore).set(xc as CtxAccess, vlo, vhi);
          } else {
            store(mem, h, T[d], a, 2, vlo, vhi, 0, i, op);
            if (h === frameHi[0] && o < st.lw) st.lw = o;
            const rg = mem.regionOf(h);
            if (rg !== undefined && rg.hi !== fHi) {
              if (cHi === frameHi[0] && cMin < st.lw) st.lw = cMin;
              cMin = STACK_SIZE;
              cRg = rg;
              cHi = rg.hi;
              cView = rg.view;
              cLen = rg.bytes.length;
              cWLen = rg.writable ? cLen : 0;
              cSh = rg.shadow ?? NO_SHADOW;
            }
          }
          break;
        }
        case 0x72: { // STB
          const vlo = CW[ix + 1];
          const vhi = vlo >> 31;
          const h = H[d];
          const a = (L[d] + (w >> 16)) | 0;
          const o = (a - BASE_LO) | 0;
          if (h === fHi && h === T[d] && o >= 0 && o <= STACK_SIZE - 1) {
            fView.setUint8(o, vlo & 0xff);
            if (o < fMin) fMin = o;
          } else if (h === cHi && h === T[d] && o >= 0 && o <= cWLen - 1) {
            cView.setUint8(o, vlo & 0xff);
            if (o < cMin) cMin = o;
          } else if (XS[i] !== undefined && h === xh && T[d] === xh && L[d] === BASE_LO) {
            (XS[i] as CtxStore).set(xc as CtxAccess, vlo, vhi);
          } else {
            store(mem, h, T[d], a, 1, vlo, vhi, 0, i, op);
            if (h === frameHi[0] && o < st.lw) st.lw = o;
            const rg = mem.regionOf(h);
            if (rg !== undefined && rg.hi !== fHi) {
              if (cHi === frameHi[0] && cMin < st.lw) st.lw = cMin;
              cMin = STACK_SIZE;
              cRg = rg;
              cHi = rg.hi;
              cView = rg.view;
              cLen = rg.bytes.length;
              cWLen = rg.writable ? cLen : 0;
              cSh = rg.shadow ?? NO_SHADOW;
            }
          }
          break;
        }
        case 0x7a: { // STDW
          const vlo = CW[ix + 1];
          const vhi = vlo >> 31;
          const h = H[d];
          const a = (L[d] + (w >> 16)) | 0;
          const o = (a - BASE_LO) | 0;
          if (h === fHi && h === T[d] && o >= 0 && o <= STACK_SIZE - 8) {
            fView.setInt32(o, vlo, true);
            fView.setInt32(o + 4, vhi, true);
            // A 64-bit spill keeps the value's provenance for the matching fill.
            if ((o & 7) === 0) fSh[o >> 3] = 0;
            if (o < fMin) fMin = o;
          } else if (h === cHi && h === T[d] && o >= 0 && o <= cWLen - 8) {
            cView.setInt32(o, vlo, true);
            cView.setInt32(o + 4, vhi, true);
            // A 64-bit spill keeps the value's provenance for the matching fill.
            if ((o & 7) === 0) cSh[o >> 3] = 0;
            if (o < cMin) cMin = o;
          } else if (XS[i] !== undefined && h === xh && T[d] === xh && L[d] === BASE_LO) {
            (XS[i] as CtxStore).set(xc as CtxAccess, vlo, vhi);
          } else {
            store(mem, h, T[d], a, 8, vlo, vhi, 0, i, op);
            if (h === frameHi[0] && o < st.lw) st.lw = o;
            const rg = mem.regionOf(h);
            if (rg !== undefined && rg.hi !== fHi) {
              if (cHi === frameHi[0] && cMin < st.lw) st.lw = cMin;
              cMin = STACK_SIZE;
              cRg = rg;
              cHi = rg.hi;
              cView = rg.view;
              cLen = rg.bytes.length;
              cWLen = rg.writable ? cLen : 0;
              cSh = rg.shadow ?? NO_SHADOW;
            }
          }
          break;
        }
        case 0x63: { // STXW
          const s = ((w >> 12) & 15);
          const vlo = L[s];
          const h = H[d];
          const a = (L[d] + (w >> 16)) | 0;
          const o = (a - BASE_LO) | 0;
          if (h === fHi && h === T[d] && o >= 0 && o <= STACK_SIZE - 4) {
            fView.setInt32(o, vlo, true);
            if (o < fMin) fMin = o;
          } else if (h === cHi && h === T[d] && o >= 0 && o <= cWLen - 4) {
            cView.setInt32(o, vlo, true);
            if (o < cMin) cMin = o;
          } else if (XS[i] !== undefined && h === xh && T[d] === xh && L[d] === BASE_LO) {
            (XS[i] as CtxStore).set(xc as CtxAccess, vlo, H[s]);
          } else {
            store(mem, h, T[d], a, 4, vlo, H[s], T[s], i, op);
            if (h === frameHi[0] && o < st.lw) st.lw = o;
            const rg = mem.regionOf(h);
            if (rg !== undefined && rg.hi !== fHi) {
              if (cHi === frameHi[0] && cMin < st.lw) st.lw = cMin;
              cMin = STACK_SIZE;
              cRg = rg;
              cHi = rg.hi;
              cView = rg.view;
              cLen = rg.bytes.length;
              cWLen = rg.writable ? cLen : 0;
              cSh = rg.shadow ?? NO_SHADOW;
            }
          }
          break;
        }
        case 0x6b: { // STXH
          const s = ((w >> 12) & 15);
          const vlo = L[s];
          const h = H[d];
          const a = (L[d] + (w >> 16)) | 0;
          const o = (a - BASE_LO) | 0;
          if (h === fHi && h === T[d] && o >= 0 && o <= STACK_SIZE - 2) {
            fView.setUint16(o, vlo & 0xffff, true);
            if (o < fMin) fMin = o;
          } else if (h === cHi && h === T[d] && o >= 0 && o <= cWLen - 2) {
            cView.setUint16(o, vlo & 0xffff, true);
            if (o < cMin) cMin = o;
          } else if (XS[i] !== undefined && h === xh && T[d] === xh && L[d] === BASE_LO) {
            (XS[i] as CtxStore).set(xc as CtxAccess, vlo, H[s]);
          } else {
            store(mem, h, T[d], a, 2, vlo, H[s], T[s], i, op);
            if (h === frameHi[0] && o < st.lw) st.lw = o;
            const rg = mem.regionOf(h);
            if (rg !== undefined && rg.hi !== fHi) {
              if (cHi === frameHi[0] && cMin < st.lw) st.lw = cMin;
              cMin = STACK_SIZE;
              cRg = rg;
              cHi = rg.hi;
              cView = rg.view;
              cLen = rg.bytes.length;
              cWLen = rg.writable ? cLen : 0;
              cSh = rg.shadow ?? NO_SHADOW;
            }
          }
          break;
        }
        case 0x73: { // STXB
          const s = ((w >> 12) & 15);
          const vlo = L[s];
          const h = H[d];
          const a = (L[d] + (w >> 16)) | 0;
          const o = (a - BASE_LO) | 0;
          if (h === fHi && h === T[d] && o >= 0 && o <= STACK_SIZE - 1) {
            fView.setUint8(o, vlo & 0xff);
            if (o < fMin) fMin = o;
          } else if (h === cHi && h === T[d] && o >= 0 && o <= cWLen - 1) {
            cView.setUint8(o, vlo & 0xff);
            if (o < cMin) cMin = o;
          } else if (XS[i] !== undefined && h === xh && T[d] === xh && L[d] === BASE_LO) {
            (XS[i] as CtxStore).set(xc as CtxAccess, vlo, H[s]);
          } else {
            store(mem, h, T[d], a, 1, vlo, H[s], T[s], i, op);
            if (h === frameHi[0] && o < st.lw) st.lw = o;
            const rg = mem.regionOf(h);
            if (rg !== undefined && rg.hi !== fHi) {
              if (cHi === frameHi[0] && cMin < st.lw) st.lw = cMin;
              cMin = STACK_SIZE;
              cRg = rg;
              cHi = rg.hi;
              cView = rg.view;
              cLen = rg.bytes.length;
              cWLen = rg.writable ? cLen : 0;
              cSh = rg.shadow ?? NO_SHADOW;
            }
          }
          break;
        }
        case 0x7b: { // STXDW
          const s = ((w >> 12) & 15);
          const vlo = L[s];
          const vhi = H[s];
          const h = H[d];
          const a = (L[d] + (w >> 16)) | 0;
          const o = (a - BASE_LO) | 0;
          if (h === fHi && h === T[d] && o >= 0 && o <= STACK_SIZE - 8) {
            fView.setInt32(o, vlo, true);
            fView.setInt32(o + 4, vhi, true);
            // A 64-bit spill keeps the value's provenance for the matching fill.
            if ((o & 7) === 0) fSh[o >> 3] = T[s];
            if (o < fMin) fMin = o;
          } else if (h === cHi && h === T[d] && o >= 0 && o <= cWLen - 8) {
            cView.setInt32(o, vlo, true);
            cView.setInt32(o + 4, vhi, true);
            // A 64-bit spill keeps the value's provenance for the matching fill.
            if ((o & 7) === 0) cSh[o >> 3] = T[s];
            if (o < cMin) cMin = o;
          } else if (XS[i] !== undefined && h === xh && T[d] === xh && L[d] === BASE_LO) {
            (XS[i] as CtxStore).set(xc as CtxAccess, vlo, vhi);
          } else {
            store(mem, h, T[d], a, 8, vlo, vhi, T[s], i, op);
            if (h === frameHi[0] && o < st.lw) st.lw = o;
            const rg = mem.regionOf(h);
            if (rg !== undefined && rg.hi !== fHi) {
              if (cHi === frameHi[0] && cMin < st.lw) st.lw = cMin;
              cMin = STACK_SIZE;
              cRg = rg;
              cHi = rg.hi;
              cView = rg.view;
              cLen = rg.bytes.length;
              cWLen = rg.writable ? cLen : 0;
              cSh = rg.shadow ?? NO_SHADOW;
            }
          }
          break;
        }

        // ---------------------------------------------------------------- BPF_STX | BPF_ATOMIC
        case 0xc3: // ATOMIC32
        case 0xdb: // ATOMIC64
        case 0xd3: // ATOMIC8 (LOAD_ACQ/STORE_REL only)
        case 0xcb: // ATOMIC16 (LOAD_ACQ/STORE_REL only)
          // (recorded before: an atomic may overwrite its address register)
          if (T[d] === frameHi[0]) st.lw = frame0Low(L[d] + (w >> 16), st.lw);
          if (op === 0xc3 || op === 0xdb) {
            // A read-modify-write through either access-cache entry (the frame, or a writable
            // second region): atomicRmw on its view, as `atomic` would after resolving it.
            const imm = CW[ix + 1];
            const size = op === 0xdb ? 8 : 4;
            const h = H[d];
            const o = ((L[d] + (w >> 16)) - BASE_LO) | 0;
            const v = h !== T[d] || o < 0 ? undefined : h === fHi && o <= STACK_SIZE - size ? fView : h === cHi && o <= cWLen - size ? cView : undefined;
            if (v !== undefined && imm !== AtomicOp.LOAD_ACQ && imm !== AtomicOp.STORE_REL) {
              const s = (w >> 12) & 15;
              if (!atomicRmw(v, o, size, imm, L, H, s)) throw fault(ErrorCode.UnknownOpcode, `bad atomic op 0x${imm.toString(16)}`, i, op);
              atomicUntag(T, s, imm);
              break;
            }
          }
          atomic(mem, regs, op, d, ((w >> 12) & 15), (w >> 16), CW[ix + 1], i);
          break;

        default:
          if (i >= N) {
            left++;
            throw fellOff(N, code.op);
          }
          throw fault(ErrorCode.UnknownOpcode, 'unknown opcode', i, op);
      }
    }
  } catch (e) {
    st.left = left + more;
    st.depth = depth;
    fold(st, fHi, fMin, cHi, cMin);
    if (e instanceof BpfError && !(e instanceof VmFault)) {
      // A helper's deliberate error: the run's fault, at the call instruction.
      throw new VmFault(e.code, e.message, i, op, { cause: e });
    }
    throw e;
  }
}

/** The most instructions the loop counts down in its int32 `left` before taking more from `more`. */
const LEFT_SLICE = 1 << 30;

/** The loop ends: lower st.lw by the frame-0 stores of its two cache entries (fHi/fMin, cHi/cMin). */
function fold(st: RunState, fHi: number, fMin: number, cHi: number, cMin: number): void {
  const f0 = st.frameHi[0];
  if (fHi === f0 && fMin < st.lw) st.lw = fMin;
  if (cHi === f0 && cMin < st.lw) st.lw = cMin;
}

/**
 * Whether the cached region `rg` (high half cHi, with the view, lengths and shadow cached from
 * it) changed under a helper: released (its slot empty or reused), rebound to other bytes
 * (bpf_skb_change_head and the like: Memory.rebind), or made read-only.
 */
function cacheStale(mem: Memory, rg: Region, cHi: number, cView: DataView, cLen: number, cWLen: number, cSh: Int32Array): boolean {
  return mem.regionOf(cHi) !== rg || rg.view !== cView || rg.bytes.length !== cLen || (rg.writable ? cLen : 0) !== cWLen || (rg.shadow ?? NO_SHADOW) !== cSh;
}

/**
 * st.lw lowered by what a helper not marked readsArgsOnly (program.ts) may write of frame 0
 * (high half f0) given r1..r5: a helper writes only through its pointer arguments, each from
 * where it points up (the kernel's ARG_PTR_TO_MEM / ARG_PTR_TO_UNINIT_MEM regions start at the
 * pointer).
 */
function helperWriteLow(L: Int32Array, T: Int32Array, f0: number, lw: number): number {
  for (let k = 1; k <= 5; k++) {
    if (T[k] === f0) lw = frame0Low(L[k], lw);
  }
  return lw;
}

/** `lw` lowered to the frame offset of address low half `lo` (0 below the frame). */
function frame0Low(lo: number, lw: number): number {
  const o = Memory.offsetOf(lo);
  return o < lw ? (o < 0 ? 0 : o) : lw;
}

function fellOff(n: number, ops: Uint8Array): VmFault {
  return fault(ErrorCode.FellOffEnd, 'execution fell off the end of the program', Math.max(n - 1, 0), n > 0 ? ops[n - 1] : 0);
}

function jumpOut(i: number, op: number, target: number): VmFault {
  return fault(ErrorCode.JumpOutOfRange, `jump to insn ${target} is outside the program`, i, op);
}

/**
 * Atomic operations (kernel `___bpf_prog_run` STX_ATOMIC_W/DW): imm selects the operation.
 * Without FETCH only memory changes; with FETCH src gets the old value (zero-extended for W);
 * XCHG swaps; CMPXCHG compares with r0 and always leaves the old value in r0.
 */
function atomic(mem: Memory, regs: RegisterFile, op: number, d: number, s: number, off: number, imm: number, i: number): void {
  const L = regs.lo;
  const H = regs.hi;
  const T = regs.tag;
  const size = accessBytes(op);
  if (imm === AtomicOp.LOAD_ACQ) {
    // dst = *(src + off), zero-extended
    L[d] = load(mem, H[s], T[s], (L[s] + off) | 0, size, false, i, op);
    H[d] = LD_HI;
    if (LD_SET) T[d] = LD_TAG;
    return;
  }
  if (imm === AtomicOp.STORE_REL) {
    store(mem, H[d], T[d], (L[d] + off) | 0, size, L[s], H[s], T[s], i, op);
    return;
  }
  if (size < 4) throw fault(ErrorCode.UnknownOpcode, `atomic op 0x${imm.toString(16)} on ${size} bytes`, i, op);
  const r = atomicRegion(mem, H[d], T[d], (L[d] + off) | 0, size, i, op);
  if (!atomicRmw(r.view, mem.lastOffset, size, imm, L, H, s)) {
    throw fault(ErrorCode.UnknownOpcode, `bad atomic op 0x${imm.toString(16)}`, i, op);
  }
  atomicUntag(T, s, imm);
}

/** The registers an atomic read-modify-write loaded from memory hold scalars (r0 for CMPXCHG, src for FETCH ops). */
export function atomicUntag(T: Int32Array, s: number, imm: number): void {
  if (imm === AtomicOp.CMPXCHG) T[0] = 0;
  else if (imm & AtomicOp.FETCH) T[s] = 0;
}
