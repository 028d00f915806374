/**
 * @fileoverview The verifier's checks before the path walk, in the kernel's order (bpf_check):
 * subprograms [add_subprog_and_kfunc, check_subprogs], opcodes and lddw pairs
 * [resolve_pseudo_ldimm64], control flow [check_cfg]; and, after the walk, the call chain's
 * frames and stack [check_max_stack_depth].
 */
import { KF, KFUNCS_BY_ID } from '../kfuncs.js';
import { HELPER_IDS } from '../helpers.js';
import { CallSrc, Class, JmpOp, MAX_CALL_DEPTH, Mode, Op, PseudoSrc, STACK_SIZE, opClass, opCode, opMode } from '../isa.js';
import type { DecodedProgram } from '../program.js';
import { OPCODE_TABLE } from './opcodes.js';

export type Fail = (insn: number, message: string) => never;

/** Target of a jump at `i` (JMP32 JA takes its offset from imm). */
export function jumpTarget(p: DecodedProgram, i: number): number {
  return p.op[i] === Op.JA32 ? i + p.imm[i] + 1 : i + p.off[i] + 1;
}
/**
 * The instructions that may run next after `i` within its subprogram (bpf_insn_successors):
 * a call falls through, an exit has none; targets outside the program are left out.
 */
export function successors(p: DecodedProgram, i: number): number[] {
  const op = p.op[i];
  const cls = opClass(op);
  let out: number[];
  if (op === Op.LDDW) out = [i + 2];
  else if (cls !== Class.JMP && cls !== Class.JMP32) out = [i + 1];
  else if (op === Op.EXIT) out = [];
  else if (op === Op.JA || op === Op.JA32) out = [jumpTarget(p, i)];
  else if (opCode(op) === JmpOp.CALL) out = [i + 1];
  else out = [i + 1, jumpTarget(p, i)];
  return out.filter((t) => t >= 0 && t < p.length);
}
export const isPseudoCall = (p: DecodedProgram, i: number): boolean => p.op[i] === Op.CALL && p.src[i] === CallSrc.BPF_PSEUDO_CALL;
export const isPseudoFunc = (p: DecodedProgram, i: number): boolean => p.op[i] === Op.LDDW && p.src[i] === PseudoSrc.BPF_PSEUDO_FUNC;

/**
 * Subprogram starts, then jumps and ends per subprogram (check_subprogs). `extraStart` runs after
 * the calls and kfuncs are checked and may add a start nothing calls: the exception callback
 * (add_subprog_and_kfunc, after bpf_find_exception_callback_insn_off).
 */
export function subprograms(p: DecodedProgram, fail: Fail, kfuncRefusal: (id: number) => string | undefined, extraStart?: () => number | undefined): number[] {
  const starts = new Set<number>([0]);
  for (let i = 0; i < p.length; i++) {
    if (isPseudoCall(p, i) || isPseudoFunc(p, i)) {
      const t = i + p.imm[i] + 1;
      if (t < 0 || t >= p.length) fail(i, 'call to invalid destination');
      starts.add(t);
    } else if (p.op[i] === Op.CALL && p.src[i] === CallSrc.BPF_PSEUDO_KFUNC_CALL) {
      const why = kfuncRefusal(p.imm[i]);
      if (why !== undefined) fail(i, why);
    }
  }
  const extra = extraStart?.();
  if (extra !== undefined) starts.add(extra);
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
          const t = jumpTarget(p, i);
          if (t < start || t >= end) fail(i, `jump out of range from insn ${i} to ${t}`);
        }
      }
      if (i === end - 1 && op !== Op.EXIT && op !== Op.JA && op !== Op.JA32) fail(i, 'last insn is not an exit or jmp');
    }
  }
  return subs;
}

/** Opcode bytes and lddw pairs (resolve_pseudo_ldimm64). */
export function opcodes(p: DecodedProgram, fail: Fail): void {
  for (let i = 0; i < p.length; i++) {
    const op = p.op[i];
    if (opClass(op) === Class.LDX && ((opMode(op) !== Mode.MEM && opMode(op) !== Mode.MEMSX) || p.imm[i] !== 0)) fail(i, 'BPF_LDX uses reserved fields');
    if (op === Op.LDDW) {
      const j = i + 1;
      if (j >= p.length || p.op[j] !== 0 || p.dst[j] !== 0 || p.src[j] !== 0 || p.off[j] !== 0) fail(i, 'invalid bpf_ld_imm64 insn');
      const src = p.src[i];
      const mapRef = src === PseudoSrc.BPF_PSEUDO_MAP_FD || src === PseudoSrc.BPF_PSEUDO_MAP_IDX;
      const known = src <= PseudoSrc.BPF_PSEUDO_MAP_IDX_VALUE;
      if (!known || (mapRef && p.imm[j] !== 0)) fail(i, 'unrecognized bpf_ld_imm64 insn');
      i++;
      continue;
    }
    if (!OPCODE_TABLE.has(op)) fail(i, `unknown opcode ${op.toString(16).padStart(2, '0')}`);
  }
}

/**
 * Reachability from insn 0 (check_cfg). Returns the prune points: jump targets and the
 * instructions after conditional jumps and calls (mark_prune_point), and the back-edge targets.
 */
/** Whether insn i calls a kfunc that advances an iterator (KF_ITER_NEXT: bpf_iter_*_next). */
export function isIterNextCall(p: DecodedProgram, i: number): boolean {
  return p.op[i] === Op.CALL && p.src[i] === CallSrc.BPF_PSEUDO_KFUNC_CALL && ((KFUNCS_BY_ID.get(p.imm[i])?.flags ?? 0) & KF.ITER_NEXT) !== 0;
}

/** Helpers that call a callback before they return (is_sync_callback_calling_insn). */
export const SYNC_CALLBACK_HELPERS: ReadonlySet<number> = new Set([
  HELPER_IDS.bpf_loop,
  HELPER_IDS.bpf_for_each_map_elem,
  HELPER_IDS.bpf_find_vma,
  HELPER_IDS.bpf_user_ringbuf_drain,
]);

/** Helpers that schedule a callback to run later (is_async_callback_calling_insn). */
const ASYNC_CALLBACK_HELPERS: ReadonlySet<number> = new Set([HELPER_IDS.bpf_timer_set_callback]);

/**
 * The CFG walk's facts for state pruning: `prune` marks where states are compared and saved
 * (mark_prune_point); `jmp` marks where the path's history records a non-linear step
 * (mark_jmp_point: jump targets, the instruction after a call, calls of sync callbacks).
 */
export interface ControlFlow {
  readonly prune: Uint8Array;
  readonly jmp: Uint8Array;
}

/** `roots`: where the walk starts besides insn 0 (the exception callback, which check_cfg walks from too). */
export function controlFlow(p: DecodedProgram, fail: Fail, roots: readonly number[] = []): ControlFlow {
  const seen = new Uint8Array(p.length);
  const prune = new Uint8Array(p.length);
  const jmp = new Uint8Array(p.length);
  const stack: number[] = [0];
  seen[0] = 1;
  for (const r of roots) {
    if (seen[r]) continue;
    seen[r] = 1;
    stack.push(r);
  }
  const push = (from: number, to: number) => {
    if (to < 0 || to >= p.length) fail(from, `jump out of range from insn ${from} to ${to}`);
    if (!seen[to]) {
      seen[to] = 1;
      stack.push(to);
    }
  };
  while (stack.length) {
    const i = stack.pop()!;
    const op = p.op[i];
    const cls = opClass(op);
    if (isPseudoCall(p, i) || isPseudoFunc(p, i)) {
      // the call (or callback address) itself, the instruction after it and the callee's entry
      // (visit_func_call_insn with visit_callee, push_insn of the BRANCH edge)
      const next = i + (op === Op.LDDW ? 2 : 1);
      const entry = i + p.imm[i] + 1;
      push(i, entry);
      push(i, next);
      prune[i] = 1;
      prune[next] = 1;
      prune[entry] = 1;
      jmp[entry] = 1;
      jmp[next] = 1;
    } else if (cls !== Class.JMP && cls !== Class.JMP32) {
      push(i, i + (op === Op.LDDW ? 2 : 1));
    } else if (op === Op.EXIT) {
      // no successor
    } else if (op === Op.JA || op === Op.JA32) {
      const t = jumpTarget(p, i);
      push(i, t);
      prune[t] = 1;
      jmp[t] = 1;
    } else if (opCode(op) === JmpOp.CALL) {
      push(i, i + 1);
      prune[i + 1] = 1;
      jmp[i + 1] = 1;
      // a helper that calls back is a checkpoint of its own: the callback's iterations meet
      // there (is_sync_callback_calling_insn: mark_force_checkpoint), and so is one that
      // schedules an asynchronous callback (is_async_callback_calling_insn)
      if (p.src[i] === CallSrc.HELPER && SYNC_CALLBACK_HELPERS.has(p.imm[i])) {
        jmp[i] = 1;
        prune[i] = 1;
      }
      if (p.src[i] === CallSrc.HELPER && ASYNC_CALLBACK_HELPERS.has(p.imm[i])) prune[i] = 1;
      // An iterator's next call is a checkpoint of its own: the loop around it converges there
      // (the kernel's mark_force_checkpoint for is_iter_next_insn).
      if (isIterNextCall(p, i)) prune[i] = 1;
    } else {
      const t = jumpTarget(p, i);
      push(i, i + 1);
      push(i, t);
      prune[t] = 1;
      prune[i] = 1;
      jmp[t] = 1;
    }
  }
  for (let i = 0; i < p.length; i++) {
    if (!seen[i]) fail(i, `unreachable insn ${i}`);
    if (p.op[i] === Op.LDDW) {
      if (seen[i + 1]) fail(i, `jump into the middle of ldimm64 insn ${i}`);
      i++;
    }
  }
  return { prune, jmp };
}

/** Kernel's JIT rounding of a frame's stack (round_up_stack_depth with jit_requested). */
export const roundStack = (depth: number): number => (depth + 15) & ~15;

/** Frames and stack along the static call graph (check_max_stack_depth). Returns the deepest chain. */
export function callDepth(p: DecodedProgram, subs: number[], stack: number[], fail: Fail, tailCallSubs?: ReadonlySet<number>, asyncRoots: ReadonlySet<number> = new Set()): number {
  const index = new Map(subs.map((start, k) => [start, k] as const));
  // calls, and callbacks a helper runs on the caller's stack; a callback that runs later
  // (bpf_timer_set_callback) is a root of its own (check_max_stack_depth)
  const callees: number[][] = subs.map((start, k) => {
    const end = k + 1 < subs.length ? subs[k + 1] : p.length;
    const out: number[] = [];
    for (let i = start; i < end; i++) {
      if (isPseudoCall(p, i) || (isPseudoFunc(p, i) && !asyncRoots.has(i + p.imm[i] + 1) && index.has(i + p.imm[i] + 1))) out.push(i);
    }
    return out;
  });
  const calleeOf = (i: number): number => index.get(i + p.imm[i] + 1)!;
  // Per subprogram, the most frames and stack bytes below it (itself included); recursion is
  // unbounded (Infinity). The walk below uses them to skip call sites that cannot fail, so it
  // stays linear while reporting the same first violation as a full walk.
  const frames: number[] = subs.map(() => -1);
  const bytes: number[] = subs.map(() => 0);
  const measure = (k: number): void => {
    frames[k] = Infinity;
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
  const walk = (sub: number, frame: number, depth: number, callSite: number): void => {
    depth += roundStack(stack[sub]);
    if (depth > STACK_SIZE) fail(callSite, `combined stack size of ${frame + 1} calls is ${depth}. Too large`);
    // a subprogram that tail-calls may not sit on more than 256 bytes of caller frames
    if (frame > 0 && tailCallSubs?.has(subs[sub]) && depth - roundStack(stack[sub]) >= 256)
      fail(callSite, `tail_calls are not allowed when call stack of previous frames is ${depth - roundStack(stack[sub])} bytes. Too large`);
    for (const i of callees[sub]) {
      // the callee's frame index (check_max_stack_depth_subprog; the walk itself refuses a
      // deeper static call first, with its own message)
      if (frame + 1 >= MAX_CALL_DEPTH) fail(i, `the call stack of ${frame + 1} frames is too deep !`);
      const c = calleeOf(i);
      if (!tailCallSubs?.size && frame + 1 + frames[c] <= MAX_CALL_DEPTH && depth + bytes[c] <= STACK_SIZE) continue;
      walk(c, frame + 1, depth, i);
    }
  };
  walk(0, 0, 0, 0);
  for (const start of asyncRoots) {
    const k = index.get(start);
    if (k === undefined) continue;
    if (frames[k] === -1) measure(k);
    walk(k, 0, 0, start);
  }
  return frames[0];
}
