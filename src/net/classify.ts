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

/** cls_bpf_classify over one instance. */
function classifyProto(
  tp: TcfProto,
  skb: ClassifySkb,
  run: ProgRunner,
  block: Block,
  runs: FilterRun[],
): { verdict: number; classid: number; gotoChain?: number } {
  for (const f of tp.filters) {
    skb.tcClassid = f.classid & 0xffff; // qdisc_skb_cb is a u16
    const r = run(f);
    const rec: FilterRun = { chain: tp.chain.index, prio: tp.prio, handle: f.handle, prog: f.prog.name, progId: f.prog.id, da: f.da, result: 'continue' };
    runs.push(rec);
    if ('fault' in r) {
      // A faulting program cannot exist in the kernel; treat it like "continue" and report it.
      rec.fault = r.fault;
      continue;
    }
    rec.ret = r.ret;
    if (f.da) {
      const classid = ((f.classid & 0xffff0000) | (skb.tcClassid & 0xffff)) >>> 0;
      const v = clsBpfExecOpcode(r.ret);
      if (v === TC_ACT.TC_ACT_UNSPEC) continue;
      rec.result = v;
      rec.classid = classid;
      return { verdict: v, classid };
    }
    if (r.ret === 0) continue;
    const classid = r.ret === -1 ? f.classid : r.ret >>> 0;
    const act = execActions(f.actions, block);
    rec.classid = classid;
    if (act.verdict < 0) continue;
    rec.result = act.verdict;
    return { verdict: act.verdict, classid, gotoChain: act.gotoChain };
  }
  return { verdict: TC_ACT.TC_ACT_UNSPEC, classid: 0 };
}

/**
 * tcf_classify from chain 0 of `block` (not in compat mode: RECLASSIFY restarts). An empty chain
 * 0, or the end of the chain, gives UNSPEC.
 */
export function tcfClassify(block: Block, skb: ClassifySkb, run: ProgRunner): ClassifyResult {
  const runs: FilterRun[] = [];
  let chain = block.chain(0, false);
  const first = chain;
  let limit = 0;
  for (;;) {
    let restartAt: typeof chain | null | undefined;
    for (const tp of chain?.protos ?? []) {
      if (!tp.matches(skb.protocol)) continue;
      const r = classifyProto(tp, skb, run, block, runs);
      if (r.verdict === TC_ACT.TC_ACT_RECLASSIFY) {
        restartAt = first;
      } else if (r.gotoChain !== undefined && isExt(r.verdict, TC_ACT_GOTO_CHAIN)) {
        restartAt = block.chain(r.gotoChain, false) ?? null;
      } else if (r.verdict >= 0) {
        return { verdict: r.verdict, classid: r.classid, runs, restarts: limit };
      } else continue;
      break;
    }
    if (restartAt === undefined) return { verdict: TC_ACT.TC_ACT_UNSPEC, classid: 0, runs, restarts: limit };
    if (limit++ >= MAX_RECLASSIFY_LOOP) {
      return { verdict: TC_ACT.TC_ACT_SHOT, classid: 0, runs, restarts: limit, dropReason: 'TC_RECLASSIFY_LOOP' };
    }
    chain = restartAt ?? undefined;
  }
}
