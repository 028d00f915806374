/**
 * @fileoverview Redirect helpers (net/core/filter.c): redirect, redirect_peer, redirect_neigh
 * record the request in the run state (the kernel's per-CPU bpf_redirect_info, consumed by
 * skb_do_redirect when the program returns TC_ACT_REDIRECT); clone_redirect transmits a clone at
 * once, so it is recorded as an event the netdev carries out (and may answer through
 * `env.cloneRedirect`). Spec: docs/skb-and-helpers.md §7.
 */
import { type HelperFamily } from './family.js';
import { HELPER_IDS } from '../../vm/helpers.js';
import type { HelperFn } from '../../vm/program.js';
import { findDevice } from '../skb/run-state.js';
import type { Skb } from '../skb/skb.js';
import { BPF_F_INGRESS, ERRNO, TC_ACT } from '../uapi.js';
import { argMem, argS32, argU32 } from './args.js';
import { argHalves, ret, skbState } from './skb-common.js';

/** sizeof(struct bpf_redir_neigh). */
const BPF_REDIR_NEIGH_SIZE = 20;

/** bpf_redirect(u32 ifindex, u64 flags): any flag but BPF_F_INGRESS gives TC_ACT_SHOT. */
export const redirect: HelperFn = (call) => {
  const st = skbState(call, 'bpf_redirect');
  const [flo, fhi] = argHalves(call, 2);
  if (fhi !== 0 || (flo & ~BPF_F_INGRESS) !== 0) return ret(call, TC_ACT.TC_ACT_SHOT);
  st.redirect = { kind: 'redirect', ifindex: argU32(call, 1), flags: flo };
  ret(call, TC_ACT.TC_ACT_REDIRECT);
};

/** bpf_redirect_peer(u32 ifindex, u64 flags): flags must be 0. */
export const redirectPeer: HelperFn = (call) => {
  const st = skbState(call, 'bpf_redirect_peer');
  const [flo, fhi] = argHalves(call, 2);
  if (flo !== 0 || fhi !== 0) return ret(call, TC_ACT.TC_ACT_SHOT);
  st.redirect = { kind: 'peer', ifindex: argU32(call, 1), flags: 0 };
  ret(call, TC_ACT.TC_ACT_REDIRECT);
};

/** bpf_redirect_neigh(u32 ifindex, params, int plen, u64 flags). */
export const redirectNeigh: HelperFn = (call) => {
  const st = skbState(call, 'bpf_redirect_neigh');
  const plen = argS32(call, 3);
  const [flo, fhi] = argHalves(call, 4);
  if ((plen !== 0 && plen < BPF_REDIR_NEIGH_SIZE) || flo !== 0 || fhi !== 0) return ret(call, TC_ACT.TC_ACT_SHOT);
  const neigh = plen ? argMem(call, 2, BPF_REDIR_NEIGH_SIZE, false, 'bpf_redirect_neigh').slice() : undefined;
  st.redirect = { kind: 'neigh', ifindex: argU32(call, 1), flags: 0, neigh };
  ret(call, TC_ACT.TC_ACT_REDIRECT);
};

/** A deep copy of an skb (the clone clone_redirect sends). */
export function cloneSkb(skb: Skb): Skb {
  return skb.clone();
}

/** bpf_clone_redirect(skb, u32 ifindex, u64 flags). */
export const cloneRedirect: HelperFn = (call) => {
  const st = skbState(call, 'bpf_clone_redirect');
  const { skb } = st;
  const ifindex = argU32(call, 2);
  const [flo, fhi] = argHalves(call, 3);
  if (fhi !== 0 || (flo & ~BPF_F_INGRESS) !== 0) return ret(call, -ERRNO.EINVAL);
  // A test-run ctx with gso_size makes a type-less GSO skb, which is refused.
  if (skb.isGso() && skb.gsoType === 0) return ret(call, -ERRNO.EBADMSG);
  if (!findDevice(st.env, ifindex)) return ret(call, -ERRNO.EINVAL);
  // __bpf_redirect_common: no L2 header or an empty skb.
  if (skb.macHeader >= skb.networkHeader || skb.len === 0) return ret(call, -ERRNO.ERANGE);
  const clone = cloneSkb(skb);
  const ev = { kind: 'clone_redirect' as const, ifindex, flags: flo, frame: skb.toBytes(), skb: clone };
  st.events.push(ev);
  ret(call, st.env.cloneRedirect ? st.env.cloneRedirect(ev) : 0);
};

export const skbRedirectHelpers: HelperFamily = {
  [HELPER_IDS.bpf_redirect]: redirect,
  [HELPER_IDS.bpf_redirect_peer]: redirectPeer,
  [HELPER_IDS.bpf_redirect_neigh]: redirectNeigh,
  [HELPER_IDS.bpf_clone_redirect]: cloneRedirect,
};
