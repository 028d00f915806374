/**
 * @fileoverview What the verifier is told about a program's environment: its program type
 * (context layout and rules, passed in from src/ — the generic core knows no __sk_buff), the maps
 * its lddw instructions name, and the kfuncs it may call.
 */
import type { SourceLine } from '../disasm.js';

/** What a valid context load yields (the kernel's bpf_insn_access_aux.reg_type). */
export type CtxLoad = 'scalar' | 'pkt' | 'pkt_end' | 'pkt_meta' | 'sock_common_or_null';

/** A program type as the verifier needs it (the kernel's bpf_verifier_ops). */
export interface ProgramTypeDesc {
  readonly name: string;
  /**
   * is_valid_access: whether ctx bytes [off, off+size) may be loaded (write=false) or stored, and
   * what a load yields. undefined = "invalid bpf_context access".
   */
  ctxAccess(off: number, size: number, write: boolean, opts: { signed?: boolean }): CtxLoad | undefined;
  /** get_func_proto returns a prototype for helper `id`. */
  helperAllowed(id: number): boolean;
  /** LD_ABS / LD_IND are allowed (bpf_prog_type may_access_skb). */
  readonly allowLdAbs: boolean;
  /** Direct packet writes are allowed (may_access_direct_pkt_data for BPF_WRITE). */
  readonly packetWrite: boolean;
}

/** A map as the verifier needs it (struct bpf_map's key/value sizes, flags and BTF record). */
export interface MapDesc {
  readonly name?: string;
  /** BPF_MAP_TYPE_* */
  readonly type: number;
  readonly keySize: number;
  readonly valueSize: number;
  readonly maxEntries: number;
  readonly flags: number;
  /** Frozen and BPF_F_RDONLY_PROG (libbpf's .rodata): loads at constant offsets are constants. */
  readonly frozenReadOnly?: boolean;
  /** The value of key 0 when frozenReadOnly (bpf_map_direct_read reads from it). */
  readonly frozenValue?: Uint8Array;
  /** Offset of a struct bpf_spin_lock in the value (from BTF). */
  readonly spinLockOff?: number;
  /** Offset of a struct bpf_timer in the value (from BTF). */
  readonly timerOff?: number;
  /** Inner map template of a map-in-map. */
  readonly inner?: MapDesc;
}

/** Options of `verify`. */
export interface VerifierOptions {
  /** The program type (default: no context fields, every helper with a prototype, LD_ABS allowed). */
  progType?: ProgramTypeDesc;
  /** Maps by index, for lddw src=BPF_PSEUDO_MAP_IDX / _IDX_VALUE (loader/spec.ts). */
  maps?: readonly MapDesc[];
  /** Override of progType.helperAllowed. */
  helperAllowed?: (id: number) => boolean;
  /** Whether kfunc `btfId` exists and may be called (default: none). */
  kfuncAllowed?: (btfId: number) => boolean;
  /**
   * Instead of `kfuncAllowed`: undefined when kfunc `id` may be called, else the verifier's
   * message (vm/kfuncs.ts kfuncCallRefusal).
   */
  kfuncRefusal?: (id: number) => string | undefined;
  /** The program's license is GPL-compatible (default true); GPL-only helpers need it. */
  gplCompatible?: boolean;
  /** Override of progType.allowLdAbs. */
  allowLdAbs?: boolean;
  /** Maximum program length in slots (default 1,000,000, the kernel's limit for root). */
  maxInsns?: number;
  /** Processed-instruction limit (BPF_COMPLEXITY_LIMIT_INSNS, default 1,000,000). */
  complexityLimit?: number;
  /** Source line of an instruction; adds `file:line` to the error and `; line` to the log. */
  lineInfo?: (insnIndex: number) => SourceLine | undefined;
  /** The program came with BTF func_info (needed for callbacks: lddw src=BPF_PSEUDO_FUNC). */
  hasFuncInfo?: boolean;
  /** Build a kernel-style log: 1 = instructions and branch states, 2 = state after every insn. */
  logLevel?: 0 | 1 | 2;
  /**
   * Global functions (BTF `linkage global`) by their first instruction: verified once on their
   * own from their BTF prototype, and calls to them checked against it (btf_prepare_func_args).
   */
  globalFuncs?: ReadonlyMap<number, GlobalFunc>;
  /**
   * First instructions of subprograms whose BTF return type is not a scalar: they may not use
   * LD_ABS or tail calls (check_btf_func).
   */
  nonScalarReturns?: ReadonlySet<number>;
  /**
   * The program's exception callback (BTF decl tag `exception_callback:NAME` on the main
   * program): its first instruction, verified like a called global function with one integer
   * argument, or the kernel's refusal of the tag (src/exception-cb.ts).
   */
  exceptionCallback?: ExceptionCallback;
}

/** An exception callback's first instruction, or why the kernel refuses the program's tag. */
export type ExceptionCallback = number | { readonly error: string };

/** What a global function's BTF prototype gives the verifier (btf_prepare_func_args). */
export interface GlobalFunc {
  readonly name: string;
  /** r1.. in order. */
  readonly args: readonly GlobalArg[];
  /** Why the prototype is not usable (the kernel's message), refused at the first call. */
  readonly error?: string;
}

/**
 * One argument: a scalar (int or enum), the program's context, or memory of `size` bytes that
 * may be NULL unless tagged `arg:nonnull`.
 */
export type GlobalArg =
  | { readonly kind: 'scalar' }
  | { readonly kind: 'ctx' }
  | { readonly kind: 'mem'; readonly size: number; readonly nullable: boolean };

/** What `verify` found out about an accepted program. */
export interface VerifierResult {
  /** First slot of each subprogram, ascending (0 is the main program). */
  readonly subprogs: readonly number[];
  /** Deepest static call chain, in frames (1 = no bpf-to-bpf calls). */
  readonly maxCallFrames: number;
  /** Stack bytes each subprogram uses (before rounding). */
  readonly stackDepth: readonly number[];
  /** Instructions processed by the path walk (the kernel's insn_processed). */
  readonly processed: number;
  /** Checkpoints stored for pruning (total_states). */
  readonly states: number;
  /** The log when logLevel was given (also on VerifierError.log). */
  readonly log: readonly string[];
  /** Whether the program reads ctx byte 180 of __sk_buff-like types with a 1-byte load (tstamp_type). */
  readonly ctxLoads: ReadonlySet<string>;
}
