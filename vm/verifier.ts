/**
 * @fileoverview The verifier-lite: the static checks of the kernel verifier that need no type
 * information, in the kernel's order and with the kernel's messages.
 *
 * What it checks (kernel function in brackets; phases run in this order, like `bpf_check`):
 *  1. subprograms [add_subprog_and_kfunc, check_subprogs]: bpf-to-bpf call and callback targets
 *     in range ("call to invalid destination"), kfunc ids allowed, every jump stays inside its
 *     subprogram ("jump out of range from insn A to B"), every subprogram ends with exit or an
 *     unconditional jump ("last insn is not an exit or jmp", which also catches a program that
 *     can fall off its end);
 *  2. opcodes [resolve_pseudo_ldimm64]: LDX modes and imm, known opcode bytes
 *     (verifier-table.ts), lddw pairs ("invalid bpf_ld_imm64 insn") and lddw src values;
 *  3. control flow [check_cfg]: jump targets in range, no unreachable instruction, no jump into
 *     the second slot of an lddw;
 *  4. every instruction the kernel would visit [do_check_insn and callees] (a constant-folding
 *     dataflow skips branches decided by constants, as the kernel's path walk does; so dead
 *     code, such as libbpf's `call 0xbad2310` CO-RE poison behind a failed field check, passes): reserved fields zero, register
 *     numbers ≤ 10, r10 never written, immediate shifts < width, no immediate division by zero,
 *     END immediates 16/32/64, MOVSX offsets, atomic operations and sizes, LD_ABS/IND forms,
 *     helper ids known and allowed for the program type (callback), GPL-only helpers, and the
 *     alignment and bounds of accesses made directly through r10;
 *  5. call depth and stack [check_func_call, check_max_stack_depth]: at most 8 frames along the
 *     static call graph (recursion ends here too), and the frames' stack (each rounded up to 16,
 *     as for the JIT) at most 512 bytes along any call chain;
 *  6. with the `ctxAccess` option, ctx accesses of the main function [check_ctx_access,
 *     check_atomic]: a small dataflow pass follows the ctx pointer from r1 through register
 *     copies and constant offsets (and scalar constants, to skip branches the kernel proves
 *     dead); where a register holds ctx on every path, its loads and stores must be allowed
 *     fields, through an unmodified pointer, and never atomic. With `packet` too, the same pass
 *     follows `data + constant` pointers and their comparisons with data_end
 *     [try_match_pkt_pointers, find_good_pkt_pointers, mark_pkt_end, check_packet_access]:
 *     packet loads and stores must lie inside the proven range ("R2 offset is outside of the
 *     packet"), and are never atomic.
 * The kernel checks instructions in execution order (do_check walks paths); we check them in
 * program order, so with several errors the one reported first may differ.
 *
 * What it does NOT check (the kernel does, so a program we accept may still be rejected):
 *  - register types and initialisation: reading an uninitialised register ("R0 !read_ok"),
 *    pointer arithmetic, pointer comparisons, returning a pointer; ctx accesses in subprograms,
 *    after the ctx pointer was spilled to the stack, or where only some paths bring ctx;
 *  - memory safety of accesses other than `r10 + constant`, ctx (with `ctxAccess`) and
 *    `data + constant` (with `packet`): packet pointers with a variable offset, data_meta,
 *    pointers kept on the stack, map value bounds, NULL checks after map lookups, stack accesses
 *    through a copy of r10 (these also don't count toward the stack depth here);
 *  - helper argument types and sizes, reference tracking (sk_release, ringbuf), spin locks;
 *  - termination: infinite loops, the 1M-instruction complexity limit, may_goto budgets;
 *  - dead code beyond what constant folding proves: the kernel also prunes branches using value
 *    ranges, so it may skip (and accept) code that we check;
 *  - map fds and BTF: pseudo lddw values are trusted; BTF func_info (needed by the kernel for
 *    callbacks and global functions), kfunc signatures, CO-RE;
 *  - tail calls mixed with bpf-to-bpf calls (256-byte frame limit), the program type's context.
 *
 * It never modifies the program.
 */
import type { SourceLine } from './disasm.js';
import { formatInsn } from './disasm.js';
import { VerifierError } from './errors.js';
import { BPF_FUNC_MAX_ID, helperName } from './helper-ids.js';
import { AtomicOp, CallSrc, Class, JmpOp, MAX_CALL_DEPTH, MAX_INSNS, Mode, Op, PseudoSrc, STACK_SIZE, opClass, opCode, opMode } from './isa.js';
import { decode, type DecodedProgram } from './program.js';
import {
  GPL_ONLY_HELPER_IDS,
  OPCODE_TABLE,
  SCHED_CLS_HELPER_IDS,
  fieldError,
  isDivMod,
  isShift,
  shiftWidth,
  writesDst,
  type OpcodeRow,
} from './verifier-table.js';

/** Options of `verify`. */
export interface VerifierOptions {
  /** Whether the program type may call helper `id` (default: the sched_cls set of Linux 6.18). */
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
  /** LD_ABS/LD_IND are allowed for the program type (default true, as for sched_cls). */
  allowLdAbs?: boolean;
  /** Maximum program length in slots (default 1,000,000, the kernel's limit for root). */
  maxInsns?: number;
  /** Source line of an instruction; adds `file:line` to the error. */
  lineInfo?: (insnIndex: number) => SourceLine | undefined;
  /**
   * Whether the program type may access ctx bytes [off, off+size) (load or store), like the
   * kernel's `is_valid_access` (for sched_cls: `checkCtxAccess` in src/skb/sk-buff-ctx.ts).
   * When given, accesses through registers that certainly hold the ctx pointer are checked
   * (see accessChecks below); when absent, ctx accesses are not checked.
   */
  ctxAccess?: (off: number, size: number, write: boolean, opts: { signed?: boolean }) => boolean;
  /**
   * With `ctxAccess`: the ctx offsets of the packet's data and data_end pointers (sched_cls:
   * `{ data: 76, dataEnd: 80 }`). Packet accesses through `data + constant` pointers are then
   * checked against the range proven by comparisons with data_end ("R2 offset is outside of
   * the packet").
   */
  packet?: { data: number; dataEnd: number };
}

/** What `verify` found out about an accepted program. */
export interface VerifierResult {
  /** First slot of each subprogram, ascending (0 is the main program). */
  readonly subprogs: readonly number[];
  /** Deepest static call chain, in frames (1 = no bpf-to-bpf calls). */
  readonly maxCallFrames: number;
  /** Stack bytes of each subprogram seen through r10 + constant accesses (before rounding). */
  readonly stackDepth: readonly number[];
}

/** Kernel's JIT rounding of a frame's stack (round_up_stack_depth with jit_requested). */
const roundStack = (depth: number): number => (depth + 15) & ~15;

class Verifier {
  readonly p: DecodedProgram;
  readonly log: string[] = [];

  constructor(
    p: DecodedProgram,
    readonly opts: VerifierOptions,
  ) {
    this.p = p;
  }

  fail(insnIndex: number, message: string): never {
    const p = this.p;
    const op = insnIndex < p.length ? p.op[insnIndex] : 0;
    if (insnIndex < p.length && OPCODE_TABLE.has(op) && !(op === Op.LDDW && insnIndex + 1 >= p.length)) {
      this.log.push(`${insnIndex}: (${op.toString(16).padStart(2, '0')}) ${formatInsn(p, insnIndex)}`);
    }
    this.log.push(message);
    const src = this.opts.lineInfo?.(insnIndex);
    throw new VerifierError(message, insnIndex, op, [...this.log], src ? `${src.file}:${src.line}` : undefined);
  }

  /** Target of a jump at `i` (JMP32 JA takes its offset from imm). */
  jumpTarget(i: number): number {
    const p = this.p;
    return p.op[i] === Op.JA32 ? i + p.imm[i] + 1 : i + p.off[i] + 1;
  }

  isPseudoCall(i: number): boolean {
    return this.p.op[i] === Op.CALL && this.p.src[i] === CallSrc.BPF_PSEUDO_CALL;
  }

  isPseudoFunc(i: number): boolean {
    return this.p.op[i] === Op.LDDW && this.p.src[i] === PseudoSrc.BPF_PSEUDO_FUNC;
  }

  /** Phase 1: subprogram starts, then jumps and ends per subprogram (check_subprogs). */
  subprograms(): number[] {
    const p = this.p;
    const starts = new Set<number>([0]);
    for (let i = 0; i < p.length; i++) {
      if (this.isPseudoCall(i) || this.isPseudoFunc(i)) {
        const t = i + p.imm[i] + 1;
        if (t < 0 || t >= p.length) this.fail(i, 'call to invalid destination');
        starts.add(t);
      } else if (p.op[i] === Op.CALL && p.src[i] === CallSrc.BPF_PSEUDO_KFUNC_CALL) {
        if (this.opts.kfuncRefusal) {
          const why = this.opts.kfuncRefusal(p.imm[i]);
          if (why !== undefined) this.fail(i, why);
        } else if (!(this.opts.kfuncAllowed?.(p.imm[i]) ?? false)) this.fail(i, `kernel btf_id ${p.imm[i]} is not a function`);
      }
    }
    const subs = [...starts].sort((a, b) => a - b);
    for (let s = 0; s < subs.length; s++) {
      const start = subs[s];
      const end = s + 1 < subs.length ? subs[s + 1] : p.length;
      for (let i = start; i < end; i++) {
        const op = p.op[i];
        const cls = opClass(op);
        if (cls === Class.JMP || cls === Class.JMP32) {
          const code = opCode(op);
          if (code !== JmpOp.CALL && code !== JmpOp.EXIT) {
            const t = this.jumpTarget(i);
            if (t < start || t >= end) this.fail(i, `jump out of range from insn ${i} to ${t}`);
          }
        }
        if (i === end - 1 && op !== Op.EXIT && op !== Op.JA && op !== Op.JA32) this.fail(i, 'last insn is not an exit or jmp');
      }
    }
    return subs;
  }

  /** Phase 2: opcode bytes and lddw pairs (resolve_pseudo_ldimm64). */
  opcodes(): void {
    const p = this.p;
    for (let i = 0; i < p.length; i++) {
      const op = p.op[i];
      if (opClass(op) === Class.LDX && ((opMode(op) !== Mode.MEM && opMode(op) !== Mode.MEMSX) || p.imm[i] !== 0))
        this.fail(i, 'BPF_LDX uses reserved fields');
      if (op === Op.LDDW) {
        const j = i + 1;
        if (j >= p.length || p.op[j] !== 0 || p.dst[j] !== 0 || p.src[j] !== 0 || p.off[j] !== 0) this.fail(i, 'invalid bpf_ld_imm64 insn');
        const src = p.src[i];
        const mapRef = src === PseudoSrc.BPF_PSEUDO_MAP_FD || src === PseudoSrc.BPF_PSEUDO_MAP_IDX;
        const known = src <= PseudoSrc.BPF_PSEUDO_MAP_IDX_VALUE;
        if (!known || (mapRef && p.imm[j] !== 0)) this.fail(i, 'unrecognized bpf_ld_imm64 insn');
        i++;
        continue;
      }
      if (!OPCODE_TABLE.has(op)) this.fail(i, `unknown opcode ${op.toString(16).padStart(2, '0')}`);
    }
  }

  /** Phase 3: reachability from insn 0 (check_cfg). */
  controlFlow(): void {
    const p = this.p;
    const seen = new Uint8Array(p.length);
    const stack: number[] = [0];
    seen[0] = 1;
    const push = (from: number, to: number) => {
      if (to < 0 || to >= p.length) this.fail(from, `jump out of range from insn ${from} to ${to}`);
      if (!seen[to]) {
        seen[to] = 1;
        stack.push(to);
      }
    };
    while (stack.length) {
      const i = stack.pop()!;
      const op = p.op[i];
      const cls = opClass(op);
      if (this.isPseudoCall(i) || this.isPseudoFunc(i)) {
        push(i, i + p.imm[i] + 1);
        push(i, i + (op === Op.LDDW ? 2 : 1));
      } else if (cls !== Class.JMP && cls !== Class.JMP32) {
        push(i, i + (op === Op.LDDW ? 2 : 1));
      } else if (op === Op.EXIT) {
        // no successor
      } else if (op === Op.JA || op === Op.JA32) {
        push(i, this.jumpTarget(i));
      } else if (opCode(op) === JmpOp.CALL) {
        push(i, i + 1);
      } else {
        push(i, i + 1);
        push(i, this.jumpTarget(i));
      }
    }
    for (let i = 0; i < p.length; i++) {
      if (!seen[i]) this.fail(i, `unreachable insn ${i}`);
      if (p.op[i] === Op.LDDW) {
        if (seen[i + 1]) this.fail(i, `jump into the middle of ldimm64 insn ${i}`);
        i++;
      }
    }
  }

  /** Phase 5: frames and stack along the static call graph (check_max_stack_depth). */
  callDepth(subs: number[], stack: number[]): number {
    const p = this.p;
    const index = new Map(subs.map((start, k) => [start, k] as const));
    const callees: number[][] = subs.map((start, k) => {
      const end = k + 1 < subs.length ? subs[k + 1] : p.length;
      const out: number[] = [];
      for (let i = start; i < end; i++) if (this.isPseudoCall(i)) out.push(i);
      return out;
    });
    const calleeOf = (i: number): number => index.get(i + p.imm[i] + 1)!;
    // Per subprogram, the most frames and stack bytes below it (itself included); recursion is
    // unbounded (Infinity). The walk below uses them to skip call sites that cannot fail, so it
    // stays linear while reporting the same first violation as a full walk.
    const frames: number[] = subs.map(() => -1);
    const bytes: number[] = subs.map(() => 0);
    const measure = (k: number): void => {
      frames[k] = Infinity; // in progress: a call back into k is recursion
      bytes[k] = Infinity;
      let f = 0;
      let b = 0;
      for (const i of callees[k]) {
        const c = calleeOf(i);
        if (frames[c] === -1) measure(c);
        f = Math.max(f, frames[c]);
        b = Math.max(b, bytes[c]);
      }
      frames[k] = 1 + f;
      bytes[k] = roundStack(stack[k]) + b;
    };
    measure(0);
    // depth-first walk over calls, as the kernel does, carrying the frame number and stack sum
    const walk = (sub: number, frame: number, depth: number, callSite: number): void => {
      depth += roundStack(stack[sub]);
      if (depth > STACK_SIZE) this.fail(callSite, `combined stack size of ${frame + 1} calls is ${depth}. Too large`);
      for (const i of callees[sub]) {
        if (frame + 1 >= MAX_CALL_DEPTH) this.fail(i, `the call stack of ${frame + 2} frames is too deep`);
        const c = calleeOf(i);
        if (frame + 1 + frames[c] <= MAX_CALL_DEPTH && depth + bytes[c] <= STACK_SIZE) continue;
        walk(c, frame + 1, depth, i);
      }
    };
    walk(0, 0, 0, 0);
    return frames[0];
  }

  /**
   * Which instructions the kernel's do_check would visit, and what the registers hold there.
   * A forward dataflow over the control
   * flow graph with one abstract value per register: the ctx pointer plus a constant offset, a
   * packet pointer `data + constant` with the range proven for it by comparisons with data_end
   * (the kernel's `range`, negative past the end), `data_end`, a 64-bit constant, or unknown.
   * Paths join to "unknown" (packet pointers: to the smaller range) unless they agree, so a register has a type only when it has it on every path: no false alarms from
   * paths the kernel never walks. Conditional jumps on two constants follow only the taken edge,
   * as the kernel does for branches it proves dead (CO-RE relocations turn field checks into such
   * constants, and libbpf poisons unresolvable CO-RE code behind them with `call 0xbad2310`).
   * Instructions it never reaches are dead code: like the kernel, phase 4 does not check them.
   */
  dataflow(subs: number[], packet: VerifierOptions['packet']): (AbsVal[] | undefined)[] {
    const p = this.p;
    const states: (AbsVal[] | undefined)[] = new Array(p.length);
    for (let k = 0; k < subs.length; k++) this.dataflowOf(subs[k], k + 1 < subs.length ? subs[k + 1] : p.length, k === 0, packet, states);
    return states;
  }

  /** The dataflow of one function [start, end); r1 is the ctx pointer in the main function only. */
  dataflowOf(start: number, end: number, main: boolean, packet: VerifierOptions['packet'], states: (AbsVal[] | undefined)[]): void {
    const p = this.p;
    const work: number[] = [];
    const entryRegs: AbsVal[] = Array.from({ length: 11 }, () => UNKNOWN);
    if (main) entryRegs[1] = { k: 'ctx', off: 0 };
    const flow = (to: number, st: AbsVal[]) => {
      if (to < start || to >= end) return;
      if (st.length > 11) st = st.slice(0, 11);
      const old = states[to];
      if (!old) {
        states[to] = st;
        work.push(to);
        return;
      }
      let changed = false;
      const regs = old.map((v, r) => {
        const j = joinVal(v, st[r]);
        if (!sameVal(j, v)) changed = true;
        return j;
      });
      if (changed) {
        states[to] = regs;
        work.push(to);
      }
    };
    flow(start, entryRegs);
    while (work.length) {
      const i = work.pop()!;
      const st = states[i]!;
      const op = p.op[i];
      const row = OPCODE_TABLE.get(op);
      if (!row) continue;
      const regs = st.slice();
      const out = regs;
      // registers past r10 are rejected by phase 4; here they read as unknown and writes vanish
      const dst = p.dst[i] <= 10 ? p.dst[i] : 11;
      const src = p.src[i] <= 10 ? p.src[i] : 11;
      regs[11] = UNKNOWN;
      const imm = p.imm[i];
      const next = op === Op.LDDW ? i + 2 : i + 1;
      switch (row.kind) {
        case 'mov':
        case 'alu':
        case 'neg':
        case 'end':
          regs[dst] = aluValue(op, regs[dst], (op & 0x08) !== 0 ? regs[src] : { k: 'c', v: BigInt(imm) }, p.off[i]);
          flow(next, out);
          break;
        case 'ldx': {
          // data / data_end loaded from the ctx become packet pointers (sched_cls: __sk_buff)
          const base = regs[src];
          let v: AbsVal = UNKNOWN;
          if (packet && base.k === 'ctx' && base.off === 0 && op === Op.LDXW) {
            if (p.off[i] === packet.data) v = { k: 'pkt', off: 0, range: 0 };
            else if (p.off[i] === packet.dataEnd) v = { k: 'end' };
          }
          regs[dst] = v;
          flow(next, out);
          break;
        }
        case 'atomic':
          if (imm === AtomicOp.CMPXCHG) regs[0] = UNKNOWN;
          else if (imm === AtomicOp.LOAD_ACQ) regs[dst] = UNKNOWN;
          else if ((imm & AtomicOp.FETCH) !== 0) regs[src] = UNKNOWN;
          flow(next, out);
          break;
        case 'lddw':
          regs[dst] = src === PseudoSrc.IMM ? { k: 'c', v: BigInt.asIntN(64, (BigInt(p.imm[i + 1]) << 32n) | BigInt(imm >>> 0)) } : UNKNOWN;
          flow(next, out);
          break;
        case 'ldabs':
        case 'call': {
          for (let r = 0; r <= 5; r++) regs[r] = UNKNOWN;
          // helpers that may move packet data, and bpf-to-bpf calls (which may call them),
          // leave no usable packet pointer behind (bpf_helper_changes_pkt_data)
          if (row.kind === 'ldabs' || src !== CallSrc.HELPER || PKT_CHANGING_HELPERS.has(imm)) {
            for (let r = 0; r < 11; r++) if (regs[r].k === 'pkt' || regs[r].k === 'end') regs[r] = UNKNOWN;
          }
          flow(next, out);
          break;
        }
        case 'exit':
          break;
        case 'ja':
          flow(this.jumpTarget(i), out);
          break;
        case 'jcc': {
          const x = (op & 0x08) !== 0;
          const b = x ? regs[src] : ({ k: 'c', v: BigInt(imm) } as AbsVal);
          const taken = branchTaken(op, regs[dst], b);
          const [fall, jump] = packetRefine(op, regs, dst, x ? src : -1);
          if (taken !== true) flow(i + 1, fall);
          if (taken !== false) flow(this.jumpTarget(i), jump);
          break;
        }
        default:
          // st, stx, jcond
          flow(next, out);
          if (row.kind === 'jcond') flow(this.jumpTarget(i), regs.slice());
      }
    }
  }

  /** Phase 6: ctx and packet accesses, from the dataflow's fixpoint, in program order. */
  accessChecks(states: (AbsVal[] | undefined)[], allowed: NonNullable<VerifierOptions['ctxAccess']>, packet: VerifierOptions['packet']): void {
    const p = this.p;
    for (let i = 0; i < p.length; i++) {
      const st = states[i];
      if (!st) continue;
      const op = p.op[i];
      const row = OPCODE_TABLE.get(op);
      if (!row || row.bytes === undefined || row.kind === 'ldabs') continue;
      const imm = p.imm[i];
      const load = row.kind === 'ldx';
      if (row.kind === 'atomic' && (imm === AtomicOp.LOAD_ACQ || imm === AtomicOp.STORE_REL)) continue; // not modelled
      const reg = load ? p.src[i] : p.dst[i];
      const v = st[reg];
      const off = p.off[i];
      if (v.k === 'ctx') {
        if (row.kind === 'atomic') this.fail(i, `BPF_ATOMIC stores into R${reg} ctx is not allowed`);
        if (v.off !== 0) this.fail(i, `dereference of modified ctx ptr R${reg} off=${v.off} disallowed`);
        if (!allowed(off, row.bytes, !load, { signed: load && opMode(op) === Mode.MEMSX }))
          this.fail(i, `invalid bpf_context access off=${off} size=${row.bytes}`);
      } else if (v.k === 'pkt' && packet) {
        if (row.kind === 'atomic') this.fail(i, `BPF_ATOMIC stores into R${reg} pkt is not allowed`);
        const at = v.off + off;
        if (at < 0 || at + row.bytes > v.range) this.fail(i, `R${reg} offset is outside of the packet`);
      }
    }
  }

  /** Direct r10 + off accesses: alignment and bounds (check_ptr_alignment, check_stack_access_within_bounds). */
  stackAccess(i: number, off: number, size: number, write: boolean): void {
    if (off % size !== 0) this.fail(i, `misaligned stack access off 0+0+${off} size ${size}`);
    if (off < -STACK_SIZE || off + size > 0) this.fail(i, `invalid ${write ? 'write to' : 'read from'} stack R10 off=${off} size=${size}`);
  }

  /** Phase 4: every instruction's fields (do_check_insn), in program order. */
  fields(subs: number[], visited: (AbsVal[] | undefined)[]): number[] {
    const p = this.p;
    const stack = subs.map(() => 0);
    let sub = 0;
    const helperAllowed = this.opts.helperAllowed ?? ((id: number) => SCHED_CLS_HELPER_IDS.has(id));
    for (let i = 0; i < p.length; i++) {
      while (sub + 1 < subs.length && subs[sub + 1] <= i) sub++;
      const op = p.op[i];
      if (!visited[i]) {
        if (op === Op.LDDW) i++;
        continue; // dead code: do_check never gets there
      }
      const row = OPCODE_TABLE.get(op) as OpcodeRow;
      const dst = p.dst[i];
      const src = p.src[i];
      const off = p.off[i];
      const imm = p.imm[i];
      const err = fieldError(row, dst, src, off, imm);
      if (err) this.fail(i, err);
      // registers: the kernel checks src before dst (check_reg_arg)
      const readsSrc =
        ((row.kind === 'alu' || row.kind === 'mov' || row.kind === 'jcc') && (op & 0x08) !== 0) ||
        row.kind === 'ldx' ||
        row.kind === 'stx' ||
        row.kind === 'atomic' ||
        (row.kind === 'ldabs' && opMode(op) === Mode.IND);
      if (readsSrc && src > 10) this.fail(i, `R${src} is invalid`);
      const usesDst = row.kind !== 'ldabs' && row.kind !== 'ja' && row.kind !== 'jcond' && row.kind !== 'call' && row.kind !== 'exit';
      if (usesDst && dst > 10) this.fail(i, `R${dst} is invalid`);
      if (row.kind === 'alu' && (op & 0x08) === 0) {
        if (isDivMod(op) && imm === 0) this.fail(i, 'div by zero');
        if (isShift(op) && (imm < 0 || imm >= shiftWidth(op))) this.fail(i, `invalid shift ${imm}`);
      }
      if (usesDst && dst === 10 && writesDst(row, imm)) this.fail(i, 'frame pointer is read only');
      // stack through r10 + constant
      if (row.bytes !== undefined && row.kind !== 'ldabs') {
        const base = row.kind === 'ldx' || (row.kind === 'atomic' && imm === AtomicOp.LOAD_ACQ) ? src : dst;
        if (base === 10) {
          // read-modify-write atomics read first (check_atomic_rmw)
          const write = row.kind === 'st' || row.kind === 'stx' || (row.kind === 'atomic' && imm === AtomicOp.STORE_REL);
          this.stackAccess(i, off, row.bytes, write);
          stack[sub] = Math.max(stack[sub], -off);
        }
      }
      // a fetching atomic loads the old value into src (cmpxchg into r0), after its memory access
      if (row.kind === 'atomic' && src === 10 && (imm & AtomicOp.FETCH) !== 0 && imm !== AtomicOp.CMPXCHG)
        this.fail(i, 'frame pointer is read only');
      if (row.kind === 'ldabs' && this.opts.allowLdAbs === false)
        this.fail(i, 'BPF_LD_[ABS|IND] instructions not allowed for this program type');
      if (row.kind === 'call' && src === CallSrc.HELPER) {
        if (imm < 0 || imm >= BPF_FUNC_MAX_ID) this.fail(i, `invalid func unknown#${imm}`);
        if (!helperAllowed(imm)) this.fail(i, `program of this type cannot use helper ${helperName(imm)}#${imm}`);
        if (this.opts.gplCompatible === false && GPL_ONLY_HELPER_IDS.has(imm))
          this.fail(i, 'cannot call GPL-restricted function from non-GPL compatible program');
      }
      if (op === Op.LDDW) i++;
    }
    return stack;
  }

  run(): VerifierResult {
    const p = this.p;
    if (p.length === 0) this.fail(0, 'program is empty');
    const max = this.opts.maxInsns ?? MAX_INSNS;
    if (p.length > max) this.fail(0, `program is too large (${p.length} insns, at most ${max})`);
    const subs = this.subprograms();
    this.opcodes();
    this.controlFlow();
    const states = this.dataflow(subs, this.opts.ctxAccess ? this.opts.packet : undefined);
    const stack = this.fields(subs, states);
    const maxCallFrames = this.callDepth(subs, stack);
    if (this.opts.ctxAccess) this.accessChecks(states, this.opts.ctxAccess, this.opts.packet);
    return { subprogs: subs, maxCallFrames, stackDepth: stack };
  }
}

/** Helpers after which packet pointers are invalid (filter.c bpf_helper_changes_pkt_data). */
const PKT_CHANGING_HELPERS: ReadonlySet<number> = new Set([9, 10, 11, 12, 13, 18, 19, 31, 38, 39, 43, 44, 50, 54, 63, 65, 73, 74, 75, 76, 90, 91]);

/** Kernel markers for a packet pointer known to be past / at data_end (BEYOND_PKT_END, AT_PKT_END). */
const BEYOND_PKT_END = -1;
const AT_PKT_END = -2;

/**
 * Register states after a 64-bit comparison of a packet pointer `data + off` with data_end, for
 * [fall-through, taken] (try_match_pkt_pointers): on the branch where `data + off <= data_end`
 * every `data + constant` pointer gets range ≥ off (find_good_pkt_pointers), where
 * `data + off < data_end` range ≥ off + 1 (not for off 0); on the other branch the compared
 * register is marked past (>) or at (>=) the end (mark_pkt_end), so it cannot be dereferenced.
 */
function packetRefine(op: number, st: AbsVal[], dst: number, src: number): [AbsVal[], AbsVal[]] {
  const same = (): [AbsVal[], AbsVal[]] => [st, st.slice()];
  if (opClass(op) !== Class.JMP || src < 0) return same();
  const a = st[dst];
  const b = st[src];
  let reg: number;
  let code = opCode(op);
  if (a.k === 'pkt' && b.k === 'end') reg = dst;
  else if (a.k === 'end' && b.k === 'pkt') {
    reg = src;
    // "end OP pkt" is "pkt OP' end"
    code = code === JmpOp.JGT ? JmpOp.JLT : code === JmpOp.JLT ? JmpOp.JGT : code === JmpOp.JGE ? JmpOp.JLE : code === JmpOp.JLE ? JmpOp.JGE : code;
  } else return same();
  const off = (st[reg] as { off: number }).off;
  const good = (rightOpen: boolean): AbsVal[] => {
    if (off < 0 || (off === 0 && rightOpen)) return st.slice();
    const r = rightOpen ? off + 1 : off;
    return st.map((v) => (v.k === 'pkt' && v.range >= 0 && v.range < r ? { k: 'pkt', off: v.off, range: r } : v));
  };
  const atEnd = (rangeOpen: boolean): AbsVal[] => {
    const out = st.slice();
    out[reg] = { k: 'pkt', off, range: rangeOpen ? BEYOND_PKT_END : AT_PKT_END };
    return out;
  };
  switch (code) {
    case JmpOp.JGT: return [good(false), atEnd(true)]; // taken: pkt > end
    case JmpOp.JGE: return [good(true), atEnd(false)]; // taken: pkt >= end
    case JmpOp.JLT: return [atEnd(false), good(true)]; // fall: pkt >= end
    case JmpOp.JLE: return [atEnd(true), good(false)]; // fall: pkt > end
    default: return same();
  }
}

/** Abstract register value of the ctx pass: unknown, ctx + offset, or a 64-bit constant. */
type AbsVal =
  | { readonly k: 'u' }
  | { readonly k: 'ctx'; readonly off: number }
  | { readonly k: 'pkt'; readonly off: number; readonly range: number }
  | { readonly k: 'end' }
  | { readonly k: 'c'; readonly v: bigint };
const UNKNOWN: AbsVal = { k: 'u' };

function sameVal(a: AbsVal, b: AbsVal): boolean {
  if (a.k !== b.k) return false;
  if (a.k === 'ctx') return a.off === (b as { off: number }).off;
  if (a.k === 'pkt') return a.off === (b as { off: number }).off && a.range === (b as { range: number }).range;
  if (a.k === 'c') return a.v === (b as { v: bigint }).v;
  return true;
}

/** Join of two paths: equal values stay, packet pointers at the same offset keep the smaller range. */
function joinVal(a: AbsVal, b: AbsVal): AbsVal {
  if (sameVal(a, b)) return a;
  if (a.k === 'pkt' && b.k === 'pkt' && a.off === b.off) return a.range <= b.range ? a : b;
  return UNKNOWN;
}

/** Result of an ALU instruction on abstract values: moves, pointer ± constant, and constant folding. */
function aluValue(op: number, d: AbsVal, s: AbsVal, off: number): AbsVal {
  const is64 = opClass(op) === Class.ALU64;
  const code = opCode(op);
  const wrap = (v: bigint): AbsVal => ({ k: 'c', v: is64 ? BigInt.asIntN(64, v) : BigInt.asUintN(32, v) });
  if (code === 0xb0 /* MOV */) {
    if (off !== 0) return UNKNOWN; // movsx
    if (s.k === 'c') return wrap(s.v);
    return is64 ? s : UNKNOWN;
  }
  if (d.k === 'c' && (s.k === 'c' || code === 0x80 /* NEG */)) {
    // constant folding, so that branches on CO-RE results are decided as the kernel decides them
    const bits = is64 ? 64 : 32;
    const u = (v: bigint) => BigInt.asUintN(bits, v);
    const i = (v: bigint) => BigInt.asIntN(bits, v);
    const a = d.v;
    const b = s.k === 'c' ? s.v : 0n;
    const signed = off === 1;
    switch (code) {
      case 0x00: return wrap(a + b);
      case 0x10: return wrap(a - b);
      case 0x20: return wrap(u(a) * u(b));
      case 0x30: return u(b) === 0n ? wrap(0n) : wrap(signed ? i(a) / i(b) : u(a) / u(b));
      case 0x90: return u(b) === 0n ? wrap(u(a)) : wrap(signed ? i(a) % i(b) : u(a) % u(b));
      case 0x40: return wrap(a | b);
      case 0x50: return wrap(a & b);
      case 0xa0: return wrap(a ^ b);
      case 0x60: return wrap(u(a) << (u(b) & BigInt(bits - 1)));
      case 0x70: return wrap(u(a) >> (u(b) & BigInt(bits - 1)));
      case 0xc0: return wrap(i(a) >> (u(b) & BigInt(bits - 1)));
      case 0x80: return wrap(-a);
      default: return UNKNOWN;
    }
  }
  if (code === 0x00 /* ADD */ || code === 0x10 /* SUB */) {
    const sign = code === 0x00 ? 1n : -1n;
    if (is64 && (d.k === 'ctx' || d.k === 'pkt') && s.k === 'c') {
      const o = BigInt(d.off) + sign * s.v;
      if (o < -(1n << 29n) || o >= 1n << 29n) return UNKNOWN;
      return d.k === 'ctx' ? { k: 'ctx', off: Number(o) } : { k: 'pkt', off: Number(o), range: d.range };
    }
  }
  return UNKNOWN;
}

/** Outcome of a conditional jump on abstract values: true/false when both sides are constants. */
function branchTaken(op: number, d: AbsVal, s: AbsVal): boolean | undefined {
  if (d.k !== 'c' || s.k !== 'c') return undefined;
  const is32 = opClass(op) === Class.JMP32;
  const u = (v: bigint) => (is32 ? BigInt.asUintN(32, v) : BigInt.asUintN(64, v));
  const i = (v: bigint) => (is32 ? BigInt.asIntN(32, v) : BigInt.asIntN(64, v));
  const a = d.v;
  const b = s.v;
  switch (opCode(op)) {
    case JmpOp.JEQ: return u(a) === u(b);
    case JmpOp.JNE: return u(a) !== u(b);
    case JmpOp.JGT: return u(a) > u(b);
    case JmpOp.JGE: return u(a) >= u(b);
    case JmpOp.JLT: return u(a) < u(b);
    case JmpOp.JLE: return u(a) <= u(b);
    case JmpOp.JSGT: return i(a) > i(b);
    case JmpOp.JSGE: return i(a) >= i(b);
    case JmpOp.JSLT: return i(a) < i(b);
    case JmpOp.JSLE: return i(a) <= i(b);
    case JmpOp.JSET: return (u(a) & u(b)) !== 0n;
    default: return undefined;
  }
}

/**
 * Check a program with the verifier-lite. Returns what it learned, or throws VerifierError
 * (insnIndex, opcode, the kernel's message as the last `log` line, `source` from lineInfo).
 * Bytes that are not a whole number of instructions throw DecodeError; everything else that is
 * wrong with a program is a VerifierError.
 */
export function verify(code: DecodedProgram | Uint8Array, opts: VerifierOptions = {}): VerifierResult {
  const p = code instanceof Uint8Array ? decodeForVerifier(code) : code;
  return new Verifier(p, opts).run();
}

/**
 * decode() refuses a trailing half lddw; the kernel reports it as a verifier error ("last insn is
 * not an exit or jmp"), so decode with a padding slot and cut it off again.
 */
function decodeForVerifier(bytes: Uint8Array): DecodedProgram {
  if (bytes.length % 8 !== 0) return decode(bytes); // DecodeError: not whole instructions
  const padded = new Uint8Array(bytes.length + 8);
  padded.set(bytes);
  const p = decode(padded);
  const n = bytes.length >> 3;
  return { length: n, op: p.op.subarray(0, n), dst: p.dst.subarray(0, n), src: p.src.subarray(0, n), off: p.off.subarray(0, n), imm: p.imm.subarray(0, n) };
}
