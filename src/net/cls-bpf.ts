/**
 * @fileoverview cls_bpf filters and the tcf_proto instances that hold them, inside the chains of
 * a qdisc's block (net/sched/cls_api.c tc_new_tfilter/tc_del_tfilter/tcf_chain_tp_find/
 * tcf_auto_prio, net/sched/cls_bpf.c cls_bpf_change/cls_bpf_delete).
 *
 *   Block ─ chains: Map<index, Chain>
 *   Chain ─ protos: TcfProto[] sorted by prio (lower first)
 *   TcfProto { prio, protocol, filters: ClsBpfFilter[] }   newest filter first (list_add_rcu)
 *
 * Errnos (measured on 6.18 with iproute2 6.1, see test/goldens/net/tc-errors.*):
 * - add an existing handle (NLM_F_EXCL): EEXIST; replace keeps the filter's list position;
 * - same prio with another protocol: EINVAL;
 * - delete of a missing prio or handle, or of a prio in a missing chain: ENOENT;
 * - chain index > 2^28-1: EINVAL; skip_sw without offload: EOPNOTSUPP;
 * - delete without prio (a chain flush) of a missing chain: success.
 */
import { UsageError } from '../../vm/errors.js';
import { ETH_P, TC_ACT, TC_ACT_EXT_VAL_MASK } from '../uapi.js';
import { errno } from './mprog.js';
import type { ProgHandle } from './prog-handle.js';

/** The highest chain index (TC_ACT_EXT_VAL_MASK). */
export const TC_CHAIN_MAX = TC_ACT_EXT_VAL_MASK;

/**
 * A gact-style action for non-direct-action filters (act_gact / act_api verdicts):
 * a TC_ACT_* value, or { gotoChain }, or { jump }.
 */
export type TcAction = { verdict: number } | { gotoChain: number } | { jump: number };

/** tc's spelling of gact verdicts (tc/m_gact.c, tc/tc_util.c action_a2n). */
export const GACT_NAMES: Readonly<Record<string, number>> = {
  continue: TC_ACT.TC_ACT_UNSPEC,
  drop: TC_ACT.TC_ACT_SHOT,
  shot: TC_ACT.TC_ACT_SHOT,
  pass: TC_ACT.TC_ACT_OK,
  ok: TC_ACT.TC_ACT_OK,
  reclassify: TC_ACT.TC_ACT_RECLASSIFY,
  pipe: TC_ACT.TC_ACT_PIPE,
  stolen: TC_ACT.TC_ACT_STOLEN,
  trap: TC_ACT.TC_ACT_TRAP,
};

/** Options of `tc filter add|replace ... bpf`. */
export interface ClsBpfOptions {
  /** The program (a sched_cls ProgHandle). */
  prog: ProgHandle;
  /** prio (tcm_info major); 0 = auto (tcf_auto_prio). */
  prio?: number;
  /** Filter handle; 0 = the lowest free handle ≥ 1. */
  handle?: number;
  /** Chain index, default 0. */
  chain?: number;
  /** Ethertype (host order); default ETH_P_ALL, as tc filter add uses. */
  protocol?: number;
  /** Direct-action mode ("da"). */
  da?: boolean;
  /** TCA_BPF_CLASSID ("classid 1:10" = 0x0001000a). */
  classid?: number;
  /** Actions (non-da only; a da filter keeps them but never runs them). */
  actions?: TcAction[];
  /** skip_hw (accepted, meaningless in software) / skip_sw (EOPNOTSUPP: no offload, measured). */
  skipHw?: boolean;
  skipSw?: boolean;
  /** Name shown in `tc filter show` (tc: "x.bpf.o:[sec]"); default the program's name. */
  name?: string;
}

/** One cls_bpf filter (struct cls_bpf_prog). */
export interface ClsBpfFilter {
  handle: number;
  prog: ProgHandle;
  da: boolean;
  classid: number;
  actions: TcAction[];
  name: string;
  skipHw: boolean;
}

/** One classifier instance (struct tcf_proto) of kind bpf at a priority. */
export class TcfProto {
  /** Newest first: cls_bpf_change puts a new filter at the head of the list. */
  readonly filters: ClsBpfFilter[] = [];
  constructor(
    readonly chain: Chain,
    readonly prio: number,
    readonly protocol: number,
  ) {}

  /** Whether the instance runs for an skb of this protocol (__tcf_classify). */
  matches(protocol: number): boolean {
    return this.protocol === ETH_P.ETH_P_ALL || this.protocol === protocol;
  }
}

/** A filter chain: tcf_proto instances in ascending prio. */
export class Chain {
  readonly protos: TcfProto[] = [];
  constructor(
    readonly block: Block,
    readonly index: number,
  ) {}
}

/** A filter block (one per clsact direction, one for ingress). */
export class Block {
  readonly chains = new Map<number, Chain>();

  constructor() {
    // tcf_block_get_ext: chain 0 always exists while the block does
    this.chain(0);
  }

  /** The chain with this index, created on demand (tcf_chain_get with create). */
  chain(index: number, create = true): Chain | undefined {
    // chain 0, which every classification starts from, without a map lookup
    if (index === 0 && this.c0 !== undefined) return this.c0;
    let c = this.chains.get(index);
    if (!c && create) {
      c = new Chain(this, index);
      this.chains.set(index, c);
      if (index === 0) this.c0 = c;
    }
    return c;
  }
  /** chains.get(0), once made (it stays while the block does; flush() makes a new one). */
  private c0: Chain | undefined = undefined;

  /** Chain 0's first instance (the mini-qdisc's filter_list); null when chain 0 is empty. */
  get filterList(): TcfProto | null {
    return this.chains.get(0)?.protos[0] ?? null;
  }

  /** Every filter, chain by chain (ascending index), prio by prio, in list order. */
  *entries(): Generator<{ chain: Chain; proto: TcfProto; filter: ClsBpfFilter }> {
    for (const idx of [...this.chains.keys()].sort((a, b) => a - b)) {
      const chain = this.chains.get(idx)!;
      for (const proto of chain.protos) for (const filter of proto.filters) yield { chain, proto, filter };
    }
  }

  /** Drop every filter (qdisc destroy). Programs lose the filter's reference. */
  flush(): void {
    for (const { filter } of this.entries()) filter.prog.put();
    this.chains.clear();
    this.c0 = undefined;
    this.chain(0);
  }
}

/**
 * prio 0 with NLM_F_CREATE (tc_new_tfilter + tcf_chain_tp_find with prio_allocate +
 * tcf_auto_prio): look up 0x8000 as if it were the prio; an instance exactly there is EINVAL;
 * the new prio is one below the first instance at or above 0x8000, or 0xC000 if there is none.
 * So auto prios sit behind every explicit prio below 0x8000 (measured: after prio 1 and 3 the
 * auto prio is 49152 and runs last; the next auto one is 49151).
 */
function autoPrio(chain: Chain): number {
  const at = chain.protos.find((t) => t.prio >= 0x8000);
  if (at?.prio === 0x8000) throw errno('EINVAL', 'prio 0x8000 taken: cannot allocate a priority');
  return at ? at.prio - 1 : 0xc000;
}

function checkChain(index: number): void {
  if (!Number.isInteger(index) || index < 0 || index > TC_CHAIN_MAX) throw errno('EINVAL', `chain index ${index} exceeds upper limit`);
}

/**
 * tc_new_tfilter for cls_bpf. `exclusive` = NLM_F_EXCL (tc filter add); replace clears it.
 * Returns the filter (with its allocated handle and prio).
 */
export function addClsBpf(block: Block, opts: ClsBpfOptions, exclusive: boolean): { proto: TcfProto; filter: ClsBpfFilter } {
  const chainIdx = opts.chain ?? 0;
  checkChain(chainIdx);
  const prio = opts.prio ?? 0;
  if (!Number.isInteger(prio) || prio < 0 || prio > 0xffff) throw new UsageError(`tc filter: prio ${prio} out of range`);
  const protocol = opts.protocol ?? ETH_P.ETH_P_ALL;
  if (opts.skipSw) throw errno('EOPNOTSUPP', 'skip_sw: no hardware offload on an emulated device'); // measured
  const prog = opts.prog;
  if (!prog || !prog.alive) throw errno('EBADF', 'tc filter: program was released');
  if (prog.typeName !== 'sched_cls' && prog.typeName !== 'sched_act') throw errno('EINVAL', `tc filter: ${prog} is not sched_cls`);
  const chain = block.chain(chainIdx)!;
  const p = prio === 0 ? autoPrio(chain) : prio;
  let proto = chain.protos.find((t) => t.prio === p);
  if (proto && proto.protocol !== protocol) throw errno('EINVAL', `prio ${p}: filter with another protocol exists`);
  const handle = opts.handle ?? 0;
  if (proto && handle !== 0) {
    const i = proto.filters.findIndex((f) => f.handle === handle);
    if (i >= 0) {
      if (exclusive) throw errno('EEXIST', `prio ${p} handle ${handle.toString(16)}: filter exists`);
      const old = proto.filters[i];
      const filter = makeFilter(opts, handle);
      prog.hold();
      proto.filters[i] = filter; // cls_bpf_change: list_replace_rcu keeps the position
      old.prog.put();
      return { proto, filter };
    }
  }
  let h = handle;
  if (h === 0) {
    // cls_bpf_grab_new_handle: idr_alloc_u32 from 1
    const used = new Set(proto?.filters.map((f) => f.handle));
    h = 1;
    while (used.has(h)) h++;
  }
  if (!proto) {
    proto = new TcfProto(chain, p, protocol);
    const at = chain.protos.findIndex((t) => t.prio > p);
    if (at < 0) chain.protos.push(proto);
    else chain.protos.splice(at, 0, proto);
  }
  const filter = makeFilter(opts, h);
  prog.hold();
  proto.filters.unshift(filter);
  return { proto, filter };
}

function makeFilter(opts: ClsBpfOptions, handle: number): ClsBpfFilter {
  return {
    handle: handle >>> 0,
    prog: opts.prog,
    da: opts.da ?? false,
    classid: (opts.classid ?? 0) >>> 0,
    actions: opts.actions ?? [],
    name: opts.name ?? opts.prog.name,
    skipHw: opts.skipHw ?? false,
  };
}

/** What `tc filter del` names: nothing (flush the chain), a prio, or a prio + handle. */
export interface ClsBpfDelete {
  prio?: number;
  handle?: number;
  chain?: number;
  protocol?: number;
}

/**
 * tc_del_tfilter: no prio = flush the chain; a prio = the whole instance; prio + handle = one
 * filter (the instance goes when it has no filters left).
 */
export function delClsBpf(block: Block, sel: ClsBpfDelete): void {
  const chainIdx = sel.chain ?? 0;
  checkChain(chainIdx);
  const chain = block.chain(chainIdx, false);
  if (!sel.prio) {
    if (sel.handle) throw errno('ENOENT', 'cannot flush filters with a handle');
    if (!chain) return; // tc_del_tfilter: no chain and no prio is not an error (measured)
    for (const t of chain.protos.splice(0)) for (const f of t.filters) f.prog.put();
    return;
  }
  const i = chain ? chain.protos.findIndex((t) => t.prio === sel.prio) : -1;
  if (!chain) throw errno('ENOENT', 'Cannot find specified filter chain');
  if (i < 0) throw errno('ENOENT', `filter with prio ${sel.prio} not found`);
  const proto = chain.protos[i];
  if (sel.protocol !== undefined && sel.protocol !== proto.protocol && sel.protocol !== ETH_P.ETH_P_ALL) {
    throw errno('ENOENT', `filter with prio ${sel.prio} and this protocol not found`);
  }
  if (!sel.handle) {
    chain.protos.splice(i, 1);
    for (const f of proto.filters) f.prog.put();
    return;
  }
  const j = proto.filters.findIndex((f) => f.handle === sel.handle);
  if (j < 0) throw errno('ENOENT', `prio ${sel.prio}: no filter with handle ${sel.handle.toString(16)}`);
  const [f] = proto.filters.splice(j, 1);
  f.prog.put();
  if (proto.filters.length === 0) chain.protos.splice(i, 1);
}
