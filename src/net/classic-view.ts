/**
 * @fileoverview The classic side of `compare`: a hook's tcx programs seen as clsact cls_bpf
 * filters, as if each had been attached with `tc filter add dev D DIR prio P bpf [da]
 * [classid C] PROG` instead of through tcx.
 *
 *   tcx [p1 p2 p3] + real chain 0 [prio 1 f] ─► view chain 0: prio P [p1] → P+1 [p2] → P+2 [p3]
 *                                                             → the real chain-0 instances
 *   other chains: the real block's (goto chain targets are unchanged)
 *
 * One program per prio, protocol all, handle 1: each program is its own tcf_proto instance, so
 * "next filter" and "next prio" are the same step and the trace names prios, like the prio N
 * lines a user would write. The view is built per hook run and never stored: the device's real
 * qdisc, filters and program references are untouched.
 */
import { ETH_P } from '../uapi.js';
import { Block, Chain, TcfProto, type ClsBpfFilter } from './cls-bpf.js';
import type { ProgHandle } from './prog-handle.js';

/** How the tcx programs become classic filters. */
export interface TcxAsClassic {
  /** Direct-action filters (`bpf da`), as libbpf's bpf_tc_attach makes them; else non-da. */
  da: boolean;
  /** TCA_BPF_CLASSID of every filter (`classid MAJ:MIN`); default 0. */
  classid?: number;
  /** The first program's prio (default 1); the next program's filter gets the next prio. */
  prio?: number;
}

/**
 * The block a hook would classify on if its tcx programs were cls_bpf filters; null when there
 * is nothing to classify with (no programs and no classic filters: tc_run's "no mini-qdisc").
 */
export function classicViewOf(progs: readonly ProgHandle[], real: Block | null, view: TcxAsClassic): Block | null {
  if (progs.length === 0) return real;
  const block = new Block();
  if (real) for (const [idx, c] of real.chains) if (idx !== 0) block.chains.set(idx, c);
  const chain0 = block.chain(0)!;
  const first = view.prio ?? 1;
  progs.forEach((prog, i) => {
    const tp = new TcfProto(chain0, first + i, ETH_P.ETH_P_ALL);
    const f: ClsBpfFilter = { handle: 1, prog, da: view.da, classid: (view.classid ?? 0) >>> 0, actions: [], name: prog.name, skipHw: false };
    tp.filters.push(f);
    chain0.protos.push(tp);
  });
  const realChain0: Chain | undefined = real?.chain(0, false);
  if (realChain0) chain0.protos.push(...realChain0.protos);
  return block;
}
