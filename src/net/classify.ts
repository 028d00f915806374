/**
 * @fileoverview tcf_classify over a block's chains with cls_bpf filters and gact-style actions
 * (net/sched/cls_api.c __tcf_classify, net/sched/cls_bpf.c cls_bpf_classify /
 * cls_bpf_exec_opcode, net/sched/act_api.c tcf_action_exec). Spec: docs/tcx-and-classic.md §7.
 *
 *   chain 0: prio 1 [f3 f1]  → prio 5 [f2] → end: UNSPEC
 *            │ per filter: tc_classid := filter classid; run; da → verdict (UNSPEC = next)
 *            │                                         non-da → 0 no match / -1 or classid → actions
 *            └ RECLASSIFY: restart chain 0 · GOTO_CHAIN n: restart at chain n · >16 restarts: SHOT
 */
import type { BpfError } from '../../vm/errors.js';
import { TC_ACT, TC_ACT_EXT_VAL_MASK, TC_ACT_GOTO_CHAIN, TC_ACT_JUMP } from '../uapi.js';
import type { Block, ClsBpfFilter, TcAction, TcfProto } from './cls-bpf.js';

/** __tcf_classify's max_reclassify_loop. */
export const MAX_RECLASSIFY_LOOP = 16;
/** tcf_action_exec: REPEAT and JUMP budgets. */
export const ACT_REPEAT_TTL = 32;
export const ACT_JUMP_TTL = 32;
/** TC_ACT_VALUE_MAX in 6.6–6.18 (TC_ACT_TRAP). */
export const TC_ACT_VALUE_MAX = TC_ACT.TC_ACT_TRAP;

/** The part of the skb classification reads and writes. */
export interface ClassifySkb {
  /** Host-order ethertype (skb_protocol). */
  protocol: number;
  /** qdisc_skb_cb tc_classid (u16). */
  tcClassid: number;
}

/** One filter run, for the trace. */
export interface FilterRun {
  chain: number;
  prio: number;
  handle: number;
  prog: string;
  progId: number;
  da: boolean;
  /** The program's return value (s32); absent when it faulted. */
  ret?: number;
  /** What the filter made of it: a verdict, 'continue' (UNSPEC / no match), or 'fault'. */
  result: number | 'continue';
  /** Result classid after the filter (matches only). */
  classid?: number;
  /**
   * The program faulted (a bug tcxlab reports; the kernel's verifier would have refused it): the
   * run's VmFault (code, instruction index), or a UsageError when the handle has no executable.
   */
  fault?: BpfError;
}

export interface ClassifyResult {
  /** The tc verdict (TC_ACT_*); UNSPEC when nothing decided. */
  verdict: number;
  /** tcf_result.classid of the deciding filter (valid for OK/RECLASSIFY). */
  classid: number;
  /** The kernel drop reason name for SHOT decided here (else undefined). */
  dropReason?: string;
  runs: FilterRun[];
  /** Restarts taken (RECLASSIFY / GOTO_CHAIN). */
  restarts: number;
}

/** Runs a filter's program on the skb and gives r0 as s32 (or the fault). */
export type ProgRunner = (filter: ClsBpfFilter) => { ret: number } | { fault: BpfError };

/**
 * The run path's program runner (no object per run): r0 as s32, or the fault that ended the run.
 * A BpfError is an object, so `typeof outcome === 'number'` tells them apart. `ctx` is what the
 * caller of classifyInto passed along (the netdev's hook: one runner for every hook, no closure).
 */
export type FilterRunner<C = undefined> = (filter: ClsBpfFilter, ctx: C) => number | BpfError;

/** cls_bpf_exec_opcode: only these da verdicts survive; every other value means UNSPEC. */
export function clsBpfExecOpcode(code: number): number {
  switch (code) {
    case TC_ACT.TC_ACT_OK:
    case TC_ACT.TC_ACT_SHOT:
    case TC_ACT.TC_ACT_STOLEN:
    case TC_ACT.TC_ACT_TRAP:
    case TC_ACT.TC_ACT_REDIRECT:
    case TC_ACT.TC_ACT_UNSPEC:
      return code;
    default:
      return TC_ACT.TC_ACT_UNSPEC;
  }
}

const isExt = (v: number, op: number): boolean => (v & ~TC_ACT_EXT_VAL_MASK) === op;

interface ActResult {
  verdict: number;
  gotoChain?: number;
  dropReason?: string;
}

/** tcf_action_exec over gact-style actions. */
export function execActions(actions: readonly TcAction[], block: Block): ActResult {
  if (actions.length === 0) return { verdict: TC_ACT.TC_ACT_OK }; // tcf_exts_exec without actions
  let jumpTtl = ACT_JUMP_TTL;
  let skip = 0;
  let ret: number = TC_ACT.TC_ACT_OK;
  let gotoChain: number | undefined;
  restart: for (;;) {
    for (let i = 0; i < actions.length; i++) {
      if (skip > 0) {
        skip--;
        continue;
      }
      const a = actions[i];
      // A gact verdict is constant, so REPEAT repeats 32 times and gives up with OK.
      ret = 'verdict' in a ? a.verdict : 'gotoChain' in a ? TC_ACT_GOTO_CHAIN | a.gotoChain : TC_ACT_JUMP | a.jump;
      if (ret === TC_ACT.TC_ACT_REPEAT) return { verdict: TC_ACT.TC_ACT_OK };
      if (isExt(ret, TC_ACT_JUMP)) {
        skip = ret & TC_ACT_EXT_VAL_MASK;
        if (!skip || skip > actions.length) return { verdict: TC_ACT.TC_ACT_OK };
        if (--jumpTtl > 0) continue restart;
        return { verdict: TC_ACT.TC_ACT_OK };
      }
      if (isExt(ret, TC_ACT_GOTO_CHAIN)) {
        gotoChain = ret & TC_ACT_EXT_VAL_MASK;
        // tcf_action_goto_chain_init created the chain when the action was made
        block.chain(gotoChain);
      }
      if (ret !== TC_ACT.TC_ACT_PIPE) break;
    }
    break;
  }
  return { verdict: ret, gotoChain };
}

/**
 * What one classification decided, filled in place by classifyInto (the run path keeps one per
 * hook depth; tcfClassify makes one per call).
 */
export interface ClassifyOutcome {
  verdict: number;
  classid: number;
  /** GOTO_CHAIN's target (classifyProto's result only). */
  gotoChain: number | undefined;
  /** The kernel drop reason name for SHOT decided here (else undefined). */
  dropReason: string | undefined;
  restarts: number;
}

/** cls_bpf_classify over one instance: the verdict, with classid and gotoChain in `out`. */
function classifyProto<C>(tp: TcfProto, skb: ClassifySkb, run: FilterRunner<C>, ctx: C, block: Block, runs: FilterRun[] | undefined, out: ClassifyOutcome): number {
  const filters = tp.filters;
  for (let i = 0; i < filters.length; i++) {
    const f = filters[i];
    skb.tcClassid = f.classid & 0xffff; // qdisc_skb_cb is a u16
    const r = run(f, ctx);
    let rec: FilterRun | undefined;
    if (runs !== undefined) {
      rec = { chain: tp.chain.index, prio: tp.prio, handle: f.handle, prog: f.prog.name, progId: f.prog.id, da: f.da, result: 'continue' };
      runs.push(rec);
    }
    if (typeof r !== 'number') {
      // A faulting program cannot exist in the kernel; treat it like "continue" and report it.
      if (rec !== undefined) rec.fault = r;
      continue;
    }
    if (rec !== undefined) rec.ret = r;
    if (f.da) {
      const classid = ((f.classid & 0xffff0000) | (skb.tcClassid & 0xffff)) >>> 0;
      const v = clsBpfExecOpcode(r);
      if (v === TC_ACT.TC_ACT_UNSPEC) continue;
      if (rec !== undefined) {
        rec.result = v;
        rec.classid = classid;
      }
      out.classid = classid;
      out.gotoChain = undefined;
      return v;
    }
    if (r === 0) continue;
    const classid = r === -1 ? f.classid : r >>> 0;
    const act = execActions(f.actions, block);
    if (rec !== undefined) rec.classid = classid;
    if (act.verdict < 0) continue;
    if (rec !== undefined) rec.result = act.verdict;
    out.classid = classid;
    out.gotoChain = act.gotoChain;
    return act.verdict;
  }
  out.classid = 0;
  out.gotoChain = undefined;
  return TC_ACT.TC_ACT_UNSPEC;
}

/**
 * tcf_classify from chain 0 of `block` (not in compat mode: RECLASSIFY restarts), into `out`;
 * each filter run is recorded in `runs` when given. An empty chain 0, or the end of the chain,
 * gives UNSPEC.
 */
export function classifyInto<C>(block: Block, skb: ClassifySkb, run: FilterRunner<C>, ctx: C, out: ClassifyOutcome, runs?: FilterRun[]): void {
  let chain = block.chain(0, false);
  const first = chain;
  let limit = 0;
  out.dropReason = undefined;
  for (;;) {
    let restartAt: typeof chain | null | undefined;
    const protos = chain !== undefined ? chain.protos : [];
    for (let i = 0; i < protos.length; i++) {
      const tp = protos[i];
      if (!tp.matches(skb.protocol)) continue;
      const v = classifyProto(tp, skb, run, ctx, block, runs, out);
      if (v === TC_ACT.TC_ACT_RECLASSIFY) {
        restartAt = first;
      } else if (out.gotoChain !== undefined && isExt(v, TC_ACT_GOTO_CHAIN)) {
        restartAt = block.chain(out.gotoChain, false) ?? null;
      } else if (v >= 0) {
        out.verdict = v;
        out.restarts = limit;
        return;
      } else continue;
      break;
    }
    if (restartAt === undefined) {
      out.verdict = TC_ACT.TC_ACT_UNSPEC;
      out.classid = 0;
      out.restarts = limit;
      return;
    }
    if (limit++ >= MAX_RECLASSIFY_LOOP) {
      out.verdict = TC_ACT.TC_ACT_SHOT;
      out.classid = 0;
      out.restarts = limit;
      out.dropReason = 'TC_RECLASSIFY_LOOP';
      return;
    }
    chain = restartAt ?? undefined;
  }
}

/**
 * tcf_classify from chain 0 of `block` (not in compat mode: RECLASSIFY restarts). An empty chain
 * 0, or the end of the chain, gives UNSPEC.
 */
export function tcfClassify(block: Block, skb: ClassifySkb, run: ProgRunner): ClassifyResult {
  const runs: FilterRun[] = [];
  const out: ClassifyOutcome = { verdict: TC_ACT.TC_ACT_UNSPEC, classid: 0, gotoChain: undefined, dropReason: undefined, restarts: 0 };
  classifyInto(
    block,
    skb,
    (f) => {
      const r = run(f);
      return 'fault' in r ? r.fault : r.ret;
    },
    undefined,
    out,
    runs,
  );
  const res: ClassifyResult = { verdict: out.verdict, classid: out.classid, runs, restarts: out.restarts };
  if (out.dropReason !== undefined) res.dropReason = out.dropReason;
  return res;
}
