/**
 * @fileoverview Packet traces: what one `host.send()` did, hook by hook, and a readable rendering.
 *
 *   NetTrace
 *   ├ events: TraceEvent[]     in the order they happened (hook runs, redirects, xmit, rx)
 *   ├ fate:   Fate             of the original skb
 *   └ fates:  Fate[]           of every skb (the original, clones, and packets they spawned)
 */
import type { BpfError } from '../../vm/errors.js';
import type { TimerFiring } from '../helpers/timer.js';
import type { FilterRun } from './classify.js';
import type { NetDevice } from './device.js';
import type { Direction } from './tcx.js';
import { tcActLabel, tcxRetLabel } from '../tc-verdict.js';

/** One tcx program run. */
export interface TcxRun {
  prog: string;
  progId: number;
  /** r0 as s32; absent when the program faulted. */
  ret?: number;
  /** The run's VmFault (code, instruction index), or a UsageError when the handle has no executable. */
  fault?: BpfError;
}

/** One pass through sch_handle_ingress / sch_handle_egress. */
export interface HookEvent {
  kind: 'hook';
  /** Packet number (0 = the original, clones count up). */
  pkt: number;
  dev: string;
  ifindex: number;
  dir: Direction;
  /** tcx programs in array order, up to the one that ended the loop. */
  tcx: TcxRun[];
  /** tcx_action_code of the last return: 'pass' | 'drop' | 'redirect' | 'next'. */
  tcxVerdict: 'pass' | 'drop' | 'redirect' | 'next';
  /** The classic path ran (tcx said NEXT and a clsact/ingress qdisc with chain-0 filters exists). */
  classic?: { runs: FilterRun[]; verdict: number; classid: number; restarts: number };
  /** The hook's verdict as a TC_ACT value. */
  verdict: number;
  /** skb->tc_index after the hook (set by tcx PASS or classic OK/RECLASSIFY). */
  tcIndex: number;
  /**
   * The class the hook chose, when its verdict carries one: tcx PASS the u16 tc_classid it copies
   * to tc_index; classic OK/RECLASSIFY the tcf_result classid (major:minor).
   */
  classid?: number;
  /** The hook's tcx programs at the time, in order (only with SendOptions.listPrograms). */
  tcxPrograms?: string[];
  /** The frame as the hook left it (from the Ethernet header; only with SendOptions.captureFrames). */
  frame?: Uint8Array;
}

/** A redirect being executed (skb_do_redirect) or a clone_redirect. */
export interface RedirectEvent {
  kind: 'redirect';
  pkt: number;
  how: 'redirect' | 'peer' | 'neigh' | 'clone_redirect';
  from: string;
  to: string;
  ifindex: number;
  /** Where the skb goes on the target. */
  dir: Direction;
  /** The clone's packet number (clone_redirect only). */
  clone?: number;
}

/** The driver hands the frame on (veth → peer rx, lo → own rx). */
export interface XmitEvent {
  kind: 'xmit';
  pkt: number;
  dev: string;
  to?: string;
}

export type TraceEvent = HookEvent | RedirectEvent | XmitEvent;

/** How an skb ended. */
export interface Fate {
  pkt: number;
  /**
   * stack: continued past tc ingress into the protocol stack of `dev`;
   * drop: freed with `reason` (kernel drop reason name without SKB_DROP_REASON_);
   * consumed: STOLEN/QUEUED/TRAP (freed silently);
   * transmitted: left through a device with no peer (dummy) — the wire.
   */
  kind: 'stack' | 'drop' | 'consumed' | 'transmitted';
  dev: string;
  /** The device object (its namespace is `device.host`); not serialised by the CLI. */
  device?: NetDevice;
  reason?: string;
  /** The frame at that moment (from the Ethernet header). */
  frame: Uint8Array;
  /** skb metadata at the end. */
  mark: number;
  tcIndex: number;
  priority: number;
}

export interface NetTrace {
  events: TraceEvent[];
  /** The original skb's fate. */
  fate: Fate;
  fates: Fate[];
  /** Egress sends: what dev_queue_xmit returned (0 success, 1 NET_XMIT_DROP, 2 NET_XMIT_CN). */
  xmitStatus?: number;
  /** bpf_trace_printk output of every program run, in order. */
  printk?: string[];
  /** bpf_timer callbacks that ran during the send (each after the program run that made it due). */
  timers?: TimerFiring[];
}

/** A cls_bpf program's return: a verdict in da mode, a class decision otherwise. */
function filterRetLabel(ret: number, da: boolean): string {
  if (da) {
    const act = tcActLabel(ret);
    return act === String(ret) ? act : `${act} (${ret})`;
  }
  if (ret === 0) return '0 (no match)';
  if (ret === -1) return "-1 (match: the filter's classid)";
  return `${hex(ret)} (classid ${fmtClassid(ret)})`;
}

function hex(n: number): string {
  return `0x${(n >>> 0).toString(16)}`;
}

/** A human-readable multi-line trace. */
export function formatNetTrace(t: NetTrace): string {
  const out: string[] = [];
  for (const e of t.events) {
    const p = e.pkt ? `[clone ${e.pkt}] ` : '';
    if (e.kind === 'hook') {
      out.push(`  ${p}${e.dev} ${e.dir}:`);
      for (const r of e.tcx) out.push(`    tcx ${r.prog}#${r.progId} -> ${r.fault ? `fault: ${r.fault.message}` : tcxRetLabel(r.ret!)}`);
      if (e.tcx.length || e.tcxVerdict !== 'next') out.push(`    tcx verdict: TCX_${e.tcxVerdict.toUpperCase()}`);
      if (e.classic) {
        for (const r of e.classic.runs) {
          const res = r.fault ? `fault: ${r.fault.message}` : `${filterRetLabel(r.ret!, r.da)} -> ${r.result === 'continue' ? 'continue' : tcActLabel(r.result)}`;
          out.push(`    cls_bpf chain ${r.chain} pref ${r.prio} handle ${hex(r.handle)} ${r.prog}#${r.progId}${r.da ? ' da' : ''}: ${res}${r.classid !== undefined && r.result !== 'continue' ? ` classid ${fmtClassid(r.classid)}` : ''}`);
        }
        out.push(`    classic verdict: ${tcActLabel(e.classic.verdict)}${e.classic.restarts ? ` after ${e.classic.restarts} restarts` : ''}`);
      }
      out.push(`    => ${tcActLabel(e.verdict)}${e.tcIndex ? ` tc_index ${hex(e.tcIndex)}` : ''}`);
    } else if (e.kind === 'redirect') {
      out.push(`  ${p}${e.how} ${e.from} -> ${e.to} ${e.dir}${e.clone !== undefined ? ` (clone ${e.clone})` : ''}`);
    } else {
      out.push(`  ${p}xmit ${e.dev}${e.to ? ` -> ${e.to} rx` : ''}`);
    }
  }
  for (const l of t.printk ?? []) out.push(`  printk: ${l}`);
  for (const f of t.fates) {
    const who = f.pkt ? `clone ${f.pkt}` : 'packet';
    out.push(`  ${who}: ${f.kind}${f.kind === 'drop' ? ` (${f.reason})` : ''} at ${f.dev}`);
  }
  return out.join('\n');
}

/** tc's classid notation MAJ:MIN in hex. */
export function fmtClassid(c: number): string {
  return `${((c >>> 16) & 0xffff).toString(16)}:${(c & 0xffff).toString(16)}`;
}

