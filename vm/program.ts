/**
 * @fileoverview The decoded program form and the execution contract shared by the interpreter,
 * the JIT, the helper table and the runtime.
 *
 * Decode once, run many times: bytes become five parallel typed arrays indexed by slot. An
 * LD_IMM64 occupies two slots; the second slot keeps opcode 0 and carries the high imm.
 */
import { DecodeError } from './errors.js';
import { isLdImm64, namesInvalidRegister } from './isa.js';
import type { Memory } from './memory.js';

/** A program as parallel arrays, one entry per 8-byte slot. */
export interface DecodedProgram {
  readonly length: number;
  readonly op: Uint8Array;
  readonly dst: Uint8Array;
  readonly src: Uint8Array;
  readonly off: Int16Array;
  readonly imm: Int32Array;
}

/** Decode little-endian instruction bytes. Only structural problems are errors here. */
export function decode(bytes: Uint8Array): DecodedProgram {
  if (bytes.length % 8 !== 0) throw new DecodeError(`length ${bytes.length} is not a multiple of 8`, bytes.length >> 3);
  const n = bytes.length >> 3;
  const p = {
    length: n,
    op: new Uint8Array(n),
    dst: new Uint8Array(n),
    src: new Uint8Array(n),
    off: new Int16Array(n),
    imm: new Int32Array(n),
  };
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = 0; i < n; i++) {
    const b = i * 8;
    p.op[i] = bytes[b];
    p.dst[i] = bytes[b + 1] & 0x0f;
    p.src[i] = bytes[b + 1] >> 4;
    p.off[i] = dv.getInt16(b + 2, true);
    p.imm[i] = dv.getInt32(b + 4, true);
  }
  for (let i = 0; i < n; i++) {
    if (isLdImm64(p.op[i])) {
      if (i + 1 >= n) throw new DecodeError('lddw is missing its second slot', i);
      i++;
    }
  }
  return p;
}

/** Encode back to bytes (round-trips `decode`). */
export function encode(p: DecodedProgram): Uint8Array {
  const out = new Uint8Array(p.length * 8);
  const dv = new DataView(out.buffer);
  for (let i = 0; i < p.length; i++) {
    const b = i * 8;
    out[b] = p.op[i];
    out[b + 1] = (p.dst[i] & 0x0f) | ((p.src[i] & 0x0f) << 4);
    dv.setInt16(b + 2, p.off[i], true);
    dv.setInt32(b + 4, p.imm[i], true);
  }
  return out;
}

/**
 * The 11 registers as int32 halves. Register n is (hi[n] << 32) | (lo[n] >>> 0).
 * Helpers read their arguments from r1..r5 and write r0 here.
 */
export interface RegisterFile {
  readonly lo: Int32Array;
  readonly hi: Int32Array;
  /**
   * Provenance of each register (memory.ts, "Isolation"): the high half of the region the value
   * was derived from, or anything else for a scalar. A register is a usable pointer only while
   * hi[n] === tag[n].
   */
  readonly tag: Int32Array;
}

/** Everything a helper may touch during a call. */
export interface HelperCall {
  readonly regs: RegisterFile;
  readonly mem: Memory;
  /** Index of the `call` instruction (for faults). */
  readonly insnIndex: number;
  /** Runtime state of this run (the skb, redirect state, ...), opaque to the VM. */
  readonly run: unknown;
  /** Set by bpf_tail_call on success: the VM jumps to this program's first instruction. */
  tailCall?: LinkedProgram;
  /**
   * Tail calls already made in this run (kernel: one count per run, MAX_TAIL_CALL_CNT = 33).
   * Informational for helpers: the engine enforces MAX_TAIL_CALLS and ignores `tailCall` beyond
   * it (the tail call then falls through, as in the kernel).
   */
  readonly tailCalls?: number;
  /**
   * Run the subprogram at instruction `pc` of the current program as a callback (bpf_loop,
   * bpf_for_each_map_elem) with r1..r5 = `args` ([lo, hi] pairs) in a new frame, and return its
   * r0 as [lo, hi]. Provided by the engines. A function pointer (LD_IMM64 BPF_PSEUDO_FUNC) is the
   * 64-bit value CODE_HI:pc.
   */
  callback?: (pc: number, args: ReadonlyArray<CallbackArg>) => [number, number];
}

/**
 * One callback argument: [lo, hi] and its provenance tag (memory.ts, "Isolation"). Without a tag
 * the argument is a scalar; helpers pass a region's `hi` for pointers they made, and the
 * caller's own tag for a pointer they pass through.
 */
export type CallbackArg = readonly [lo: number, hi: number, tag?: number];

/** High half of a function pointer (LD_IMM64 BPF_PSEUDO_FUNC); the low half is the insn index. */
export const CODE_HI = 0x0000_0fff;

/**
 * A helper implementation. It reads r1..r5 from `call.regs` and writes r0 there; r1..r5 are
 * clobbered by the VM afterwards. It throws a BpfError (HelperFault) for a fault.
 */
export type HelperFn = (call: HelperCall) => void;

/**
 * Helpers marked by their implementer as never writing through a pointer argument (a map lookup
 * reads its key, bpf_skb_store_bytes reads its source and writes the packet): a call of one
 * cannot write the caller's stack, which lets the engines bound how much of frame 0 a run may
 * have dirtied (vm/jit/stack-reach.ts, interpreter.ts RunState.lw). Unmarked helpers are
 * assumed to write anywhere they get a pointer to.
 */
const READS_ARGS_ONLY = new WeakSet<HelperFn>();

/** Mark `fn` as writing through none of its pointer arguments (see READS_ARGS_ONLY); returns it. */
export function readsArgsOnly<T extends HelperFn>(fn: T): T {
  READS_ARGS_ONLY.add(fn);
  return fn;
}

/** Whether `fn` was marked with readsArgsOnly. */
export function writesNoArgs(fn: HelperFn): boolean {
  return READS_ARGS_ONLY.has(fn);
}

/**
 * Helpers marked by their implementer as using the register file only as the calling convention
 * says: they read r1..r5 (values and provenance) and write r0 through `call.regs`, and neither
 * set `call.tailCall` nor run `call.callback` (which would run code on the register file). r6–r10
 * are callee-saved (kernel: BPF_REG_6..9 survive a helper call, and r10 is read-only), so around
 * a call of one the JIT keeps them in its locals instead of storing them to the register file
 * and reading them back, and a run of a program whose calls are all to such helpers leaves only
 * the registers it names non-zero (vm/reg-reach.ts). JitRun.tail and JitRun.runCallback refuse a
 * marked helper (a marking bug, reported as an internal error rather than a wrong result).
 */
const ARG_REGS_ONLY = new WeakSet<HelperFn>();

/** Mark `fn` as touching only r1..r5 and r0 of the register file (see ARG_REGS_ONLY); returns it. */
export function argRegsOnly<T extends HelperFn>(fn: T): T {
  ARG_REGS_ONLY.add(fn);
  return fn;
}

/** Whether `fn` was marked with argRegsOnly. */
export function touchesArgRegsOnly(fn: HelperFn): boolean {
  return ARG_REGS_ONLY.has(fn);
}

/**
 * A map lookup helper's direct form for the JIT, as the kernel's verifier inlines array lookups
 * (`map_gen_lookup`: array_map_gen_lookup, percpu_array_map_gen_lookup): called instead of the
 * helper when r1 is a map pointer (tagged, offset 0, high half `mapHi`) and r2 points into the
 * caller's own stack frame, from which the generated code read the 4-byte key `key`. Returns r0's
 * high half (the element region's, its low half being the region's first byte), 0 for NULL, or -1
 * when that map has no direct lookup, and the generated code then makes the ordinary call. It must
 * give exactly the helper's result and side effects for such arguments (it is a helper's own
 * fast path, registered by its implementer: test/vm/jit-map-lookup.test.ts runs both).
 */
export type IndexLookup = (call: HelperCall, mapHi: number, key: number) => number;

const INDEX_LOOKUP = new WeakMap<HelperFn, IndexLookup>();

/** Register `direct` as `fn`'s direct form (see IndexLookup); returns `fn`. */
export function withIndexLookup<T extends HelperFn>(fn: T, direct: IndexLookup): T {
  INDEX_LOOKUP.set(fn, direct);
  return fn;
}

/** The direct form registered for `fn`, if any. */
export function indexLookupOf(fn: HelperFn): IndexLookup | undefined {
  return INDEX_LOOKUP.get(fn);
}

/** Helper table indexed by helper id (kernel numbering). */
export type HelperTable = ReadonlyArray<HelperFn | undefined>;

/** Resolves LD_IMM64 with a pseudo src (1..6) to a 64-bit value [lo, hi], once, at link time. */
export type LdImm64Resolver = (src: number, imm: number, nextImm: number, insnIndex: number) => [lo: number, hi: number];

/**
 * A program ready to run: decoded, with pseudo lddw already resolved (src 0 everywhere), plus
 * the tables it needs. Produced by `link()`; shared by both engines.
 */
export interface LinkedProgram {
  readonly code: DecodedProgram;
  readonly name: string;
  readonly helpers: HelperTable;
  /** kfunc calls (call src=2) by BTF id → implementation. */
  readonly kfuncs?: ReadonlyMap<number, HelperFn>;
  /**
   * 1 at each LD_IMM64 that was a relocated pointer (map, map value, kernel symbol): its value is
   * tagged as a pointer into the region its high half names (memory.ts, "Isolation").
   */
  readonly pointers?: Uint8Array;
  /**
   * The program type's ctx rewrite table (memory.ts CtxRewrite): the JIT compiles each
   * constant-offset access through an exact ctx pointer into a direct field read or write.
   */
  readonly ctx?: import('./memory.js').CtxRewrite;
  /**
   * First instruction of the exception callback bpf_throw runs (the `exception_callback:` decl
   * tag); without one, bpf_throw makes the program return its cookie (the kernel's default
   * callback, r0 = r1). docs/exceptions.md.
   */
  readonly exceptionCb?: number;
}

/** Provider of packet bytes for LD_ABS/LD_IND (kernel bpf_skb_load_helper_*). */
export interface PacketProvider {
  /**
   * Load `size` (1, 2 or 4) bytes at `offset` relative to skb->data, with the kernel's
   * negative-offset rules (SKF_NET_OFF, SKF_LL_OFF), big-endian, as an unsigned number;
   * undefined when out of bounds or invalid (the program then exits with r0 = 0).
   */
  loadAbs(offset: number, size: number): number | undefined;
}

/** Hook called before every executed instruction when set (traces, coverage). */
export type StepHook = (pc: number, regs: RegisterFile, frameDepth: number) => void;

/** Options of one run. */
export interface RunOptions {
  /** Max executed instructions (default DEFAULT_INSN_BUDGET). */
  budget?: number;
  /** Initial r1..r5 as [lo, hi] pairs. */
  args?: ReadonlyArray<readonly [number, number]>;
  packet?: PacketProvider;
  step?: StepHook;
  /** Opaque runtime state handed to helpers as `call.run`. */
  run?: unknown;
  /**
   * A result object the engine fills and returns instead of allocating one (hot loops that run
   * the same program many times: test-run repeats, the netdev). Overwritten by every run.
   */
  result?: RunResult;
}

/** Result of a run: r0 as two halves, or a fault. */
export interface RunResult {
  /** r0 low half (unsigned) */
  r0lo: number;
  /** r0 high half (unsigned) */
  r0hi: number;
  /** r0 as a bigint (convenience; not used on hot paths). */
  readonly r0: bigint;
  /** Executed instruction count. */
  insns: number;
  fault?: import('./errors.js').VmFault;
}

const invalidRegs = new WeakMap<DecodedProgram, boolean>();
/**
 * Whether any instruction of `code` names a register above r10 (see namesInvalidRegister). The
 * JIT leaves such programs to the interpreter, and both engines refuse to tail-call into one
 * (a JIT run cannot switch engines midway; the kernel's verifier never loads such a program).
 */
export function hasInvalidRegister(code: DecodedProgram): boolean {
  let v = invalidRegs.get(code);
  if (v === undefined) {
    v = false;
    for (let i = 0; i < code.length && !v; i++) {
      if (namesInvalidRegister(code.op[i], code.dst[i], code.src[i])) v = true;
      if (isLdImm64(code.op[i])) i++;
    }
    invalidRegs.set(code, v);
  }
  return v;
}
