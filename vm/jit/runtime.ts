/**
 * @fileoverview The JIT's run-time support: the per-run state object (`X` in generated code) with
 * the slow paths generated code calls (memory through Memory.resolve, ctx access, atomics,
 * LD_ABS, faults, tail calls, callbacks). Everything here mirrors `vm/interpreter.ts` so that a
 * run under the JIT gives the same RunResult, fault code and fault index as the interpreter.
 */
import { BpfError, ErrorCode, VmFault } from '../errors.js';
import { AtomicOp, CallSrc, Op, DEFAULT_INSN_BUDGET, accessBytes, MAX_CALL_DEPTH, MAX_RUN_FRAMES, MAX_TAIL_CALLS, MAY_GOTO_START, NUM_REGS, OP_NAMES, STACK_SIZE } from '../isa.js';
import { allocExtraFrame, allocFrames, atomicUntag, SLOTS_PER_FRAME, THROW_IN_CALLBACK } from '../interpreter.js';
import { BASE_LO, Memory, type CtxAccess, type CtxRewrite, type Region } from '../memory.js';
import { touchesArgRegsOnly, type CallbackArg, type HelperCall, type HelperFn, type LinkedProgram, type PacketProvider, type RunOptions } from '../program.js';
import { atomicRmw, storeSized, sx16, sx8 } from '../semantics.js';
import { zeroFrame0 } from '../frame-zero.js';
import { ALL_REGS, clearRegs } from '../reg-reach.js';

/** A compiled entry point: runs from its pc in frame `d` until EXIT of that frame. */
export type EntryFn = (x: JitRun, d: number, f?: number) => void;
/** A compiled budget-exhaustion path for one block (always throws). */
/** A counted slow path: faults, or returns true after an LD_ABS/LD_IND hidden exit. */
export type SlowFn = (x: JitRun, d: number, left: number) => boolean | void;

/** What the run state needs from a compiled program (implemented in compile.ts). */
export interface JitUnit {
  readonly prog: LinkedProgram;
  /** The entry function for `pc` (compiling it on first use). */
  entry(pc: number): EntryFn;
  /** The counted slow path of the block starting at `pc`. */
  slow(pc: number): SlowFn;
  /** The program names a register above r10: the interpreter runs it, the JIT cannot. */
  readonly fallback?: boolean;
  /** Registers entry 0 initialises itself at a run's start (compile.ts JitProgram.freshRegs). */
  readonly freshRegs: number;
  /** frame0Reach of `prog`, computed once: a chain alternates programs on one run state every run. */
  readonly frame0Reach: number;
  /** regReach of `prog`, computed once. */
  readonly regReach: number;
}

/** Fault kinds generated code passes to `JitRun.fault` (small integers, no strings in the source). */
export const F = {
  UNKNOWN_OPCODE: 0,
  BAD_DIV_OFF: 1,
  BAD_MOVSX_OFF: 2,
  BAD_BSWAP: 3,
  BAD_LE: 4,
  BAD_BE: 5,
  JUMP_OUT: 6,
  FELL_OFF: 7,
  BUDGET: 8,
  CALL_DEPTH: 9,
  UNKNOWN_HELPER: 10,
  UNKNOWN_KFUNC: 11,
  BAD_CALL_SRC: 12,
  BAD_JCOND_SRC: 13,
  UNLINKED_LDDW: 14,
  LDDW_NO_SLOT: 15,
  NO_PACKET: 16,
  TAIL_INVALID_REG: 17,
  THROW_IN_CALLBACK: 18,
} as const;

const opName = (op: number): string => OP_NAMES.get(op) ?? `0x${op.toString(16)}`;

/** A frame's bytes as int32 words (frames start on a 4-byte boundary: interpreter.ts allocFrames). */
const frameWords = (f: Region): Int32Array => new Int32Array(f.bytes.buffer, f.bytes.byteOffset, f.bytes.length >> 2);

const EMPTY_VIEW = new DataView(new ArrayBuffer(0));

/** Per-run state handed to generated code as `X`. Reused between runs of the same program. */
export class JitRun {
  readonly lo = new Int32Array(NUM_REGS);
  readonly hi = new Int32Array(NUM_REGS);
  /** Provenance tags of the registers (memory.ts, "Isolation"). */
  readonly tg = new Int32Array(NUM_REGS);
  readonly mg = new Int32Array(MAX_RUN_FRAMES);
  /** Frame in which the program running in each frame was entered (see interpreter.ts). */
  readonly pb = new Int32Array(MAX_RUN_FRAMES);
  /** The buffer of the first MAX_CALL_DEPTH frames (frame k at k·STACK_SIZE) and their shadows. */
  private readonly sb = new Uint8Array(MAX_CALL_DEPTH * STACK_SIZE);
  private readonly ss = new Int32Array(MAX_CALL_DEPTH * SLOTS_PER_FRAME);
  /**
   * Frame regions on the current Memory: their high halves (fh), views (fv), the same bytes as
   * int32 words (fw: the generated code's aligned 4- and 8-byte frame accesses) and shadows (fs).
   */
  readonly fh = new Int32Array(MAX_RUN_FRAMES);
  fv: DataView[] = [];
  fw: Int32Array[] = [];
  fs: Int32Array[] = [];
  private frames: Region[] = [];
  mem!: Memory;
  packet: PacketProvider | undefined;
  left = 0;
  budget = 0;
  /** Depth of the frame making the current helper call. */
  d = 0;
  /** Program of the frame making the current helper call (callbacks run in it). */
  cur!: JitUnit;
  /** Region cache refilled by the slow paths (ch/cv/cn/cw/cs), and the high half and tag of a load. */
  ch = 0;
  cv!: DataView;
  cn = 0;
  cw = true;
  cs: Int32Array | null = null;
  /**
   * The generated code's two-entry region cache handed from one chunk of a function to the next
   * (compile.ts CHUNK_CACHE_IN/OUT): entry k (kh...) and entry j (jh...).
   */
  kh = 0;
  kv: DataView = EMPTY_VIEW;
  kn = -1;
  kw = false;
  ks: Int32Array | null = null;
  jh = 0;
  jv: DataView = EMPTY_VIEW;
  jn = -1;
  jw = false;
  js: Int32Array | null = null;
  ldhi = 0;
  ldtag = 0;
  /** Whether the last slow-path load sets the destination's tag (see interpreter.ts LD_SET). */
  ldset = false;
  busy = false;
  /**
   * Lowest byte of frame 0 this run (or, between runs, the last one) may have written: the
   * program's static reach (stack-reach.ts) lowered by the frame-0 writes of the slow paths;
   * STACK_SIZE when frame 0 is untouched. The next run zeroes [lw, STACK_SIZE) and its shadow.
   */
  lw = STACK_SIZE;
  /** Frame 0's bytes as int32 words (zeroing a few slots in a loop beats a fill() call). */
  private readonly s32 = new Int32Array(this.sb.buffer, 0, STACK_SIZE / 4);
  /** Registers that may be non-zero in lo/hi/tg (a bit mask; all of them before the first run). */
  private rz = ALL_REGS;
  /** 1 + the number of arguments begin stored: entry 0's `f` for this run (compile.ts freshRegs). */
  fa = 1;
  /**
   * The run's ctx (the region r1 points at on entry, when it routes through a CtxAccess): its
   * rewrite table (xt), high half (xh) and CtxAccess (xc). Compiled ctx accesses take their
   * direct path only when xt is the table their program was linked with (compile.ts, emitLdSt).
   */
  xt: CtxRewrite | undefined = undefined;
  /** The region xt, xh and xc were taken from (see begin). */
  private xr: Region | undefined = undefined;
  xh = -1;
  xc: CtxAccess | undefined = undefined;
  readonly call: HelperCall & { insnIndex: number; tailCalls: number; tailCall?: LinkedProgram };
  /**
   * bpf_throw (docs/exceptions.md): the frame an exception unwinds to (-1: none), the frame whose
   * exception callback is running (-1: none), and the frame of the innermost helper callback
   * (0 outside them: a throw below it faults, as in the interpreter).
   */
  thr = -1;
  catching = -1;
  cbd = 0;

  constructor(private readonly compiled: (p: LinkedProgram, dynamicFp: boolean) => JitUnit) {
    const regs = { lo: this.lo, hi: this.hi, tag: this.tg };
    this.call = {
      regs,
      mem: undefined as unknown as Memory,
      insnIndex: 0,
      run: undefined,
      tailCall: undefined,
      tailCalls: 0,
      callback: (pc, args) => this.runCallback(pc, args),
    };
  }

  /** Prepare a run: stack region, registers, counters. */
  begin(mem: Memory, opts: RunOptions, unit: JitUnit): void {
    this.busy = true;
    // The interpreter starts every run on a zeroed stack. Only frame 0 can hold anything from
    // the last run (deeper frames are zeroed when entered, and no pointer to one outlives its
    // run), and only from `lw` up: a run that touched no stack leaves nothing to zero.
    if (this.lw < STACK_SIZE) this.zeroFrame0(this.lw);
    this.lw = unit.frame0Reach;
    mem.enterRun();
    // One set of frame regions per Memory, kept between runs (as the interpreter's pooled run states).
    const f0 = this.frames[0];
    if (f0 === undefined || this.mem !== mem || mem.regionOf(f0.hi) !== f0) {
      this.sb.fill(0);
      this.ss.fill(0);
      this.frames = allocFrames(mem, this.sb, this.ss);
      this.fv = this.frames.map((f) => f.view);
      this.fw = this.frames.map(frameWords);
      this.fs = this.frames.map((f) => f.shadow as Int32Array);
      this.fh.fill(0);
      for (let k = 0; k < MAX_CALL_DEPTH; k++) this.fh[k] = this.frames[k].hi;
    }
    this.pb[0] = 0;
    this.mem = mem;
    this.packet = opts.packet;
    this.budget = opts.budget ?? DEFAULT_INSN_BUDGET;
    this.left = this.budget;
    this.cur = unit;
    this.d = 0;
    const L = this.lo;
    const H = this.hi;
    const T = this.tg;
    // Every run starts with zero registers. Cleared here: those the last runs may have left
    // non-zero (rz) that this run may read (its program's reach, vm/reg-reach.ts) before writing,
    // i.e. not those its entry function initialises itself (freshRegs). The others stay in rz.
    const rg = unit.regReach;
    const nz = rg & ~unit.freshRegs;
    clearRegs(L, H, T, this.rz & nz);
    let rz = (this.rz & ~nz) | rg;
    let fa = 1;
    const args = opts.args;
    if (args !== undefined) {
      // The caller's arguments are trusted: a pointer among them is a pointer.
      for (let k = 0; k < args.length && k < 5; k++) {
        L[k + 1] = args[k][0] | 0;
        H[k + 1] = args[k][1] | 0;
        T[k + 1] = H[k + 1];
        rz |= 2 << k;
        fa++;
      }
    }
    this.fa = fa;
    this.rz = rz & ~(1 << 10); // r10 is set below, every run
    L[10] = (BASE_LO + STACK_SIZE) | 0;
    H[10] = T[10] = this.fh[0];
    // The ctx r1 names (its table is checked against the program's by the generated code). -1 is
    // no region's high half and no register's tag, so without a ctx no access matches.
    const cr = H[1] !== 0 ? mem.regionOf(H[1]) : undefined;
    // (A repeated run finds the same region: its ctx fields are those of the last run.)
    if (cr !== this.xr || cr === undefined) {
      this.xr = cr;
      const cx = cr?.ctx;
      if (cx !== undefined && cx.rewrite !== undefined) {
        this.xt = cx.rewrite;
        this.xh = (cr as Region).hi;
        this.xc = cx;
      } else {
        this.xt = undefined;
        this.xh = -1;
        this.xc = undefined;
      }
    }
    this.mg[0] = MAY_GOTO_START;
    this.thr = -1;
    this.catching = -1;
    this.cbd = 0;
    const c = this.call as { mem: Memory; run: unknown; tailCalls: number; tailCall?: LinkedProgram; insnIndex: number };
    c.mem = mem;
    c.run = opts.run;
    c.tailCalls = 0;
    c.tailCall = undefined;
    c.insnIndex = 0;
    this.noCache();
  }

  /**
   * Enter frame k from frame k - 1 (a bpf-to-bpf call or a callback): allocated on first use,
   * zeroed (bytes and provenance), same program as its caller.
   */
  enter(k: number): void {
    if (k >= this.frames.length) {
      const f = allocExtraFrame(this.mem, k);
      this.frames[k] = f;
      this.fv[k] = f.view;
      this.fw[k] = frameWords(f);
      this.fs[k] = f.shadow as Int32Array;
      this.fh[k] = f.hi;
    }
    this.frames[k].bytes.fill(0);
    this.fs[k].fill(0);
    this.pb[k] = this.pb[k - 1];
  }

  /** Zero frame 0 from byte `from` (rounded down to its 8-byte slot) and the shadow of those slots. */
  private zeroFrame0(from: number): void {
    zeroFrame0(this.s32, this.sb, this.ss, from);
  }

  /**
   * `unit`'s entry for `pc` during a run. Adding an entry rebuilds the program, whose direct frame
   * stores then bound frame0Reach anew: this run's `lw` takes the lower of the two.
   */
  private entryOf(unit: JitUnit, pc: number): EntryFn {
    const fn = unit.entry(pc);
    if (unit.frame0Reach < this.lw) this.lw = unit.frame0Reach;
    return fn;
  }

  /** A slow path wrote `rg` at `o`: lower `lw` when that is frame 0. */
  private wrote(rg: Region, o: number): void {
    if (rg.hi === this.fh[0] && o < this.lw) this.lw = o;
  }

  /** The run is over (the frame regions stay allocated for the next run on this Memory). */
  end(): void {
    if (this.busy) this.mem.leaveRun();
    this.busy = false;
  }

  get executed(): number {
    return Math.min(this.budget, this.budget - this.left);
  }

  /**
   * Empty the region cache (no access matches high half 0 with no room). Generated code refills
   * its cache from here after every slow path.
   */
  private noCache(): void {
    this.ch = 0;
    this.cn = -1;
    this.cw = false;
    this.cs = null;
  }

  /**
   * Cache `rg` for the generated code. Frame 0 is cached read-only: a store into it then comes
   * back here (st), which lowers `lw` (the generated code's own cache starts so on depth 0 too:
   * compile.ts RESET_CACHE).
   */
  private cache(h: number, rg: Region): void {
    this.ch = h;
    this.cv = rg.view;
    this.cn = rg.bytes.length;
    this.cw = rg.writable && h !== this.fh[0];
    this.cs = rg.shadow ?? null;
  }

  /**
   * Cache the byte-backed region whose high half is `h` (a helper's tagged r0) for the generated
   * code's next refill; false for a ctx region or none.
   */
  take(h: number): boolean {
    const r = this.mem.regionOf(h);
    if (r === undefined || r.ctx !== undefined) return false;
    this.cache(h, r);
    return true;
  }

  // ------------------------------------------------------------------------------- faults

  /** Build the fault of `kind` at insn i (same codes as the interpreter) and record `left`. */
  fault(kind: number, i: number, op: number, arg: number, left: number): VmFault {
    this.left = left;
    const f = (code: ErrorCode, msg: string): VmFault => new VmFault(code, `${opName(op)}: ${msg}`, i, op);
    switch (kind) {
      case F.BAD_DIV_OFF:
        return f(ErrorCode.UnknownOpcode, `bad offset ${arg} for division`);
      case F.BAD_MOVSX_OFF:
        return f(ErrorCode.UnknownOpcode, `bad movsx offset ${arg}`);
      case F.BAD_BSWAP:
        return f(ErrorCode.UnknownOpcode, `bad bswap width ${arg}`);
      case F.BAD_LE:
        return f(ErrorCode.UnknownOpcode, `bad le width ${arg}`);
      case F.BAD_BE:
        return f(ErrorCode.UnknownOpcode, `bad be width ${arg}`);
      case F.JUMP_OUT:
        return f(ErrorCode.JumpOutOfRange, `jump to insn ${arg} is outside the program`);
      case F.FELL_OFF:
        return f(ErrorCode.FellOffEnd, 'execution fell off the end of the program');
      case F.BUDGET:
        return f(ErrorCode.BudgetExceeded, `instruction budget of ${this.budget} exhausted`);
      case F.CALL_DEPTH:
        return f(ErrorCode.CallDepth, `call depth exceeds ${MAX_CALL_DEPTH} frames`);
      case F.UNKNOWN_HELPER:
        return f(ErrorCode.UnknownHelper, `unknown helper ${arg >>> 0}`);
      case F.UNKNOWN_KFUNC:
        return f(ErrorCode.UnknownHelper, `unknown kfunc ${arg}`);
      case F.BAD_CALL_SRC:
        return f(ErrorCode.UnknownOpcode, `bad call src ${arg}`);
      case F.BAD_JCOND_SRC:
        return f(ErrorCode.UnknownOpcode, `bad jcond src ${arg}`);
      case F.UNLINKED_LDDW:
        return f(ErrorCode.BadLdImm64, `unlinked lddw (src ${arg})`);
      case F.LDDW_NO_SLOT:
        return f(ErrorCode.BadLdImm64, 'lddw is missing its second slot');
      case F.NO_PACKET:
        return f(ErrorCode.BadAccess, 'LD_ABS/LD_IND without a packet');
      case F.TAIL_INVALID_REG:
        return f(ErrorCode.HelperFault, 'tail call into a program that names a register above r10');
      case F.THROW_IN_CALLBACK:
        return f(ErrorCode.HelperFault, THROW_IN_CALLBACK);
      default:
        return f(ErrorCode.UnknownOpcode, 'unknown opcode');
    }
  }

  private badAccess(i: number, op: number, hi: number, lo: number, size: number, write: boolean, left: number): VmFault {
    this.left = left;
    const address = (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0);
    return new VmFault(
      ErrorCode.BadAccess,
      `${opName(op)}: bad ${write ? 'write' : 'read'} of ${size} bytes at 0x${address.toString(16)}`,
      i,
      op,
      { address, size },
    );
  }

  /** A helper's deliberate BpfError becomes the run's fault at the call instruction. */
  herr(e: unknown, i: number, op: number): unknown {
    if (e instanceof BpfError && !(e instanceof VmFault)) return new VmFault(e.code, e.message, i, op, { cause: e });
    return e;
  }

  /** Generated code reached a state it cannot (a JIT bug, never a program fault). */
  bug(): Error {
    return new BpfError(ErrorCode.Jit, 'jit: internal error (slow path returned)');
  }

  // ------------------------------------------------------------------------------- memory

  /**
   * Slow-path load (any region, ctx included) through a register tagged `g`. Returns the low
   * half, sets `ldhi` and `ldtag`, refills the cache. `d` is the running frame.
   */
  ld(h: number, g: number, a: number, size: number, sx: number, i: number, op: number, left: number, d: number): number {
    if (h !== g) throw this.badAccess(i, op, h, a, size, false, left);
    const mem = this.mem;
    const region = mem.regionOf(h);
    const r = region === undefined || region.ctx !== undefined ? undefined : mem.resolve(h, a, size, false);
    let x: number;
    if (r !== undefined) {
      const o = mem.lastOffset;
      const v = r.view;
      this.ldset = size === 8;
      this.ldtag = size === 8 && r.shadow !== undefined && (o & 7) === 0 ? r.shadow[o >> 3] : 0;
      switch (size) {
        case 1:
          x = sx ? v.getInt8(o) : v.getUint8(o);
          this.ldhi = sx ? x >> 31 : 0;
          break;
        case 2:
          x = sx ? v.getInt16(o, true) : v.getUint16(o, true);
          this.ldhi = sx ? x >> 31 : 0;
          break;
        case 4:
          x = v.getInt32(o, true);
          this.ldhi = sx ? x >> 31 : 0;
          break;
        default:
          this.ldhi = v.getInt32(o + 4, true);
          x = v.getInt32(o, true);
      }
      this.cache(h, r);
      return x | 0;
    }
    const out = this.ctxOut;
    out[2] = 0;
    if (region?.ctx !== undefined && region.ctx.load(Memory.offsetOf(a), size, out)) {
      this.ldtag = out[2];
      this.ldset = true;
      x = out[0];
      let hh = out[1];
      if (sx) {
        if (size === 1) x = sx8(x);
        else if (size === 2) x = sx16(x);
        if (size < 8) hh = x >> 31;
      }
      this.ldhi = hh | 0;
      this.noCache();
      return x | 0;
    }
    throw this.badAccess(i, op, h, a, size, false, left);
  }
  private readonly ctxOut = new Int32Array(3);

  /**
   * Slow-path store (any region, ctx included) of a value tagged `vg` through a register tagged
   * `g`; refills the cache. `d` is the running frame.
   */
  st(h: number, g: number, a: number, size: number, vlo: number, vhi: number, vg: number, i: number, op: number, left: number, d: number): void {
    if (h !== g) throw this.badAccess(i, op, h, a, size, true, left);
    const mem = this.mem;
    const r = mem.resolve(h, a, size, true);
    if (r !== undefined) {
      const o = mem.lastOffset;
      storeSized(r.view, o, size, vlo, vhi);
      if (r.shadow !== undefined) {
        if ((o & 7) === 0 && size === 8) r.shadow[o >> 3] = vg;
        this.wrote(r, o);
      }
      this.cache(h, r);
      return;
    }
    const region = mem.regionOf(h);
    if (region?.ctx !== undefined && region.ctx.store(Memory.offsetOf(a), size, vlo, vhi)) {
      this.noCache();
      return;
    }
    throw this.badAccess(i, op, h, a, size, true, left);
  }

  /**
   * Atomics on the spilled registers (RL/RH hold r0, dst and src): kernel `___bpf_prog_run`
   * STX_ATOMIC_*, exactly as the interpreter's `atomic`.
   */
  atomic(op: number, d: number, s: number, off: number, imm: number, i: number, left: number, fd: number): void {
    const L = this.lo;
    const H = this.hi;
    const T = this.tg;
    const size = accessBytes(op);
    if (imm === AtomicOp.LOAD_ACQ) {
      const x = this.ld(H[s], T[s], (L[s] + off) | 0, size, 0, i, op, left, fd);
      L[d] = x;
      H[d] = this.ldhi;
      if (this.ldset) T[d] = this.ldtag;
      return;
    }
    if (imm === AtomicOp.STORE_REL) {
      this.st(H[d], T[d], (L[d] + off) | 0, size, L[s], H[s], T[s], i, op, left, fd);
      return;
    }
    if (size < 4) throw this.fault(F.UNKNOWN_OPCODE, i, op, 0, left);
    const mem = this.mem;
    const a = (L[d] + off) | 0;
    const r = mem.resolveTagged(H[d], T[d], a, size, true);
    if (r === undefined) throw this.badAccess(i, op, H[d], a, size, true, left);
    if (r.shadow !== undefined) this.wrote(r, mem.lastOffset);
    if (!atomicRmw(r.view, mem.lastOffset, size, imm, L, H, s)) throw this.atomicBad(i, op, imm, left);
    atomicUntag(T, s, imm);
  }

  private atomicBad(i: number, op: number, imm: number, left: number): VmFault {
    this.left = left;
    return new VmFault(ErrorCode.UnknownOpcode, `${opName(op)}: bad atomic op 0x${imm.toString(16)}`, i, op);
  }

  /**
   * LD_ABS/LD_IND (kernel bpf_skb_load_helper_*): the value, or 0 with `ldabsOut` set when out of
   * bounds, where the compiled code runs the expansion's hidden `r0 = 0; exit` (bpf_gen_ld_abs).
   */
  ldabs(offset: number, size: number, i: number, op: number, left: number): number {
    const packet = this.packet;
    if (packet === undefined) throw this.fault(F.NO_PACKET, i, op, 0, left);
    const v = packet.loadAbs(offset, size);
    if (v === undefined) {
      this.ldabsOut = true;
      return 0;
    }
    return v | 0;
  }

  /** The last ldabs was out of bounds (read and cleared by the compiled code). */
  ldabsOut = false;

  // ------------------------------------------------------------------------------- calls

  /** callx: the helper whose id is the low half of dst (see interpreter.ts). */
  helperOf(unit: JitUnit, id: number, i: number, op: number, left: number): HelperFn {
    const fn = unit.prog.helpers[id];
    if (fn === undefined) throw this.fault(F.UNKNOWN_HELPER, i, op, id, left);
    return fn;
  }

  /**
   * bpf_throw at frame d: unwind to the frame the running program was entered in (as the
   * interpreter does: the kernel's bpf_stack_walker stops at the first frame of a whole program)
   * with r1 = the cookie, r10 that frame's top and the other registers zero; the generated code
   * then returns up to it, which runs the callback (catch).
   */
  exc(d: number, lo: number, hi: number, i: number, op: number): void {
    const base = this.pb[d];
    if (base < this.cbd) throw this.fault(F.THROW_IN_CALLBACK, i, op, 0, this.left);
    const L = this.lo;
    const H = this.hi;
    const T = this.tg;
    L.fill(0, 0, 10);
    H.fill(0, 0, 10);
    T.fill(0, 0, 10);
    L[1] = lo;
    H[1] = hi;
    L[10] = (BASE_LO + STACK_SIZE) | 0;
    H[10] = T[10] = this.fh[base];
    this.thr = base;
  }

  /**
   * In the frame an exception unwound to: run `unit`'s exception callback there, on that frame's
   * stack (no fresh frame: the kernel's callback reuses it), or without one return the cookie
   * (the kernel's default callback, r0 = r1). A throw from the running callback itself (the
   * verifier refuses it) returns here and runs the callback again, as the interpreter does.
   */
  catch(unit: JitUnit, d: number): void {
    if (this.catching === d) return;
    const outer = this.catching;
    this.catching = d;
    try {
      while (this.thr === d) {
        this.thr = -1;
        const cb = unit.prog.exceptionCb;
        if (cb === undefined) {
          this.lo[0] = this.lo[1];
          this.hi[0] = this.hi[1];
          this.tg[0] = 0;
        } else {
          this.mg[d] = MAY_GOTO_START;
          this.entryOf(unit, cb)(this, d);
        }
      }
    } finally {
      this.catching = outer;
    }
  }

  /** After a helper set call.tailCall: the target's entry, or null when the limit is reached. */
  tail(): EntryFn | null {
    const c = this.call;
    const t = c.tailCall;
    c.tailCall = undefined;
    if (t === undefined) return null;
    this.runsCode();
    if (c.tailCalls >= MAX_TAIL_CALLS) return null;
    c.tailCalls++;
    // The target may write frame 0 anywhere (stack-reach.ts).
    this.lw = 0;
    // The target counts its frames from here (see interpreter.ts).
    this.pb[this.d] = this.d;
    // The target runs in this frame with r10 as it is: if the program moved r10, the target
    // must not assume the frame top (its variant compiled with dynamicFp).
    const d = this.d;
    const canonical = this.lo[10] === ((BASE_LO + STACK_SIZE) | 0) && this.hi[10] === this.fh[d] && this.tg[10] === this.fh[d];
    const unit = this.compiled(t, !canonical);
    // A program the JIT leaves to the interpreter cannot continue this run: a fault in both engines.
    if (unit.fallback) throw this.fault(F.TAIL_INVALID_REG, c.insnIndex, this.cur.prog.code.op[c.insnIndex], 0, this.left);
    return unit.entry(0);
  }

  /**
   * Run the block at `pc` of `unit` with per-instruction budget checks: it faults, or returns true
   * after an LD_ABS/LD_IND hidden exit (registers spilled, X.left set), which ends the function.
   */
  slow(unit: JitUnit, pc: number, d: number, left: number): void {
    if (unit.slow(pc)(this, d, left) === true) return;
    throw this.bug();
  }

  /**
   * The helper being called runs program code (a tail call or a callback): refused when it is
   * marked argRegsOnly, since the generated code then kept r6-r10 out of the register file.
   */
  private runsCode(): void {
    const prog = this.cur.prog;
    const c = prog.code;
    const i = this.call.insnIndex;
    const fn = c.op[i] === Op.CALL && c.src[i] === CallSrc.HELPER ? prog.helpers[c.imm[i]] : undefined;
    if (fn !== undefined && touchesArgRegsOnly(fn)) throw new BpfError(ErrorCode.Jit, 'jit: a helper marked argRegsOnly ran program code');
  }

  /** HelperCall.callback (bpf_loop, for_each_map_elem): as the interpreter's runCallback. */
  private runCallback(pc: number, args: ReadonlyArray<CallbackArg>): [number, number] {
    this.runsCode();
    const L = this.lo;
    const H = this.hi;
    const T = this.tg;
    const call = this.call;
    const unit = this.cur;
    const prog = unit.prog;
    const i = call.insnIndex;
    const op = prog.code.op[i] ?? 0;
    if (pc >>> 0 >= prog.code.length) throw this.fault(F.JUMP_OUT, i, op, pc, this.left);
    if (this.d + 1 - this.pb[this.d] >= MAX_CALL_DEPTH) throw this.fault(F.CALL_DEPTH, i, op, 0, this.left);
    const keepLo = L.slice();
    const keepHi = H.slice();
    const keepTag = T.slice();
    const keepTail = call.tailCall;
    const base = this.d;
    const depth = base + 1;
    const keepCbd = this.cbd;
    this.cbd = depth;
    this.mg[depth] = MAY_GOTO_START;
    this.enter(depth);
    for (let k = 1; k <= 5; k++) {
      L[k] = args[k - 1]?.[0] ?? 0;
      H[k] = args[k - 1]?.[1] ?? 0;
      T[k] = args[k - 1]?.[2] ?? 0;
    }
    L[10] = (BASE_LO + STACK_SIZE) | 0;
    H[10] = T[10] = this.fh[depth];
    try {
      this.entryOf(unit, pc)(this, depth);
      return [L[0], H[0]];
    } finally {
      this.d = base;
      this.cur = unit;
      this.cbd = keepCbd;
      L.set(keepLo);
      H.set(keepHi);
      T.set(keepTag);
      call.insnIndex = i;
      call.tailCall = keepTail;
    }
  }
}
