/**
 * @fileoverview BPF exceptions in the verifier's call-graph pass (check_max_stack_depth_subprog's
 * exception rules, run after the path walk): bpf_throw may not run under a callback, nothing
 * may call the exception callback, and the exception callback may not reach a tail call.
 * The path walk's part (bpf_throw as an exit, the callback's entry and return) is in do-check.ts.
 * docs/exceptions.md.
 */
import { BPF_THROW_ID } from '../kfuncs.js';
import { CallSrc, Op } from '../isa.js';
import type { DecodedProgram } from '../program.js';
import { isPseudoCall, isPseudoFunc, type Fail } from './cfg.js';

/** Whether insn i calls bpf_throw (is_bpf_throw_kfunc; off 0: a kfunc of vmlinux). */
export const isThrowCall = (p: DecodedProgram, i: number): boolean =>
  p.op[i] === Op.CALL && p.src[i] === CallSrc.BPF_PSEUDO_KFUNC_CALL && p.imm[i] === BPF_THROW_ID && p.off[i] === 0;

/** Whether the program calls bpf_throw anywhere. */
export function hasThrowCall(p: DecodedProgram): boolean {
  for (let i = 0; i < p.length; i++) if (isThrowCall(p, i)) return true;
  return false;
}

/** What the pass needs to know about the subprograms. */
export interface ExceptionGraph {
  /** First instruction of each subprogram, ascending. */
  readonly subs: readonly number[];
  /** Starts of the subprograms the walk ran as callbacks (is_cb), the exception callback included. */
  readonly callbacks: ReadonlySet<number>;
  /** Starts of the callbacks that run later (is_async_cb): the timer callbacks and the exception callback. */
  readonly async: ReadonlySet<number>;
  /** Start of the exception callback, or -1. */
  readonly exceptionCb: number;
  /** Starts of the subprograms that make a tail call (has_tail_call). */
  readonly tailCalls: ReadonlySet<number>;
}

/**
 * The kernel walks each call-graph root (the main program and every async callback, the last
 * subprogram first) through its static calls and callback references; on that walk:
 *   - bpf_throw inside a callback, or below one: "bpf_throw kfunc (insn I) cannot be called from
 *     callback subprog K";
 *   - a call of the exception callback: "insn I cannot call exception cb directly" (taking its
 *     address is no call: async callbacks are roots of their own);
 *   - a subprogram that tail-calls, called below the exception callback: "cannot tail call within
 *     exception cb".
 */
export function checkExceptionRules(p: DecodedProgram, g: ExceptionGraph, fail: Fail): void {
  const index = new Map(g.subs.map((s, k) => [s, k] as const));
  const endOf = (k: number): number => (k + 1 < g.subs.length ? g.subs[k + 1] : p.length);
  const isCb = (k: number): boolean => g.callbacks.has(g.subs[k]);
  // Each (subprogram, under a callback, under the exception callback) is walked once: what a
  // walk finds depends on nothing else, so the first violation is the kernel's first.
  const seen = new Set<number>();
  const walk = (k: number, underCb: boolean, underExc: boolean, depth: number): void => {
    const key = k * 4 + (underCb ? 1 : 0) + (underExc ? 2 : 0);
    if (seen.has(key)) return;
    seen.add(key);
    const inCb = underCb || isCb(k);
    for (let i = g.subs[k]; i < endOf(k); i++) {
      if (isThrowCall(p, i)) {
        if (inCb) fail(i, `bpf_throw kfunc (insn ${i}) cannot be called from callback subprog ${k}`);
        continue;
      }
      const call = isPseudoCall(p, i);
      if (!call && !isPseudoFunc(p, i)) continue;
      const target = i + p.imm[i] + 1;
      const c = index.get(target);
      if (c === undefined) continue;
      if (g.async.has(target)) {
        if (!call) continue;
        if (target === g.exceptionCb) fail(i, `insn ${i} cannot call exception cb directly`);
      }
      // the exception callback as a caller: a callee that tail-calls makes its chain tail-call reachable
      if (underExc && g.tailCalls.has(target)) fail(g.exceptionCb, 'cannot tail call within exception cb');
      // recursion is the control-flow check's refusal; the depth guard only keeps this walk finite
      if (depth < g.subs.length) walk(c, inCb, underExc, depth + 1);
    }
  };
  for (let k = g.subs.length - 1; k >= 0; k--) {
    if (k !== 0 && !g.async.has(g.subs[k])) continue;
    walk(k, false, g.subs[k] === g.exceptionCb, 0);
  }
}
