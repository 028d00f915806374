/**
 * @fileoverview Hash, metadata and small getters on the skb (net/core/filter.c,
 * include/net/inet_ecn.h): get_hash_recalc, set_hash, set_hash_invalid, get_cgroup_classid,
 * skb_cgroup_classid, get_route_realm, skb_ecn_set_ce, get_socket_cookie, get_socket_uid,
 * skb_cgroup_id, skb_ancestor_cgroup_id, get_netns_cookie, skb_get_xfrm_state, sk_fullsock,
 * tcp_sock, get_listener_sock, and the socket lookups (which find nothing: there are no sockets in
 * the emulation besides the test-run dummy socket). Spec: docs/skb-and-helpers.md §11.
 */
import { type HelperFamily } from './family.js';
import { HELPER_IDS } from '../../vm/helpers.js';
import type { HelperFn } from '../../vm/program.js';
import { add16, add32, rd16, sub32, wr16 } from '../skb/csum.js';
import { CHECKSUM_COMPLETE, type Skb } from '../skb/skb.js';
import { skbFlowHash } from '../skb/flow-hash.js';
import { Memory } from '../../vm/memory.js';
import { SockCtx } from '../skb/sock-ctx.js';
import { ERRNO, ETH_HLEN, ETH_P } from '../uapi.js';
import { argMem, argS32, argU32, setR0, setR0Big, setR0Ptr } from './args.js';
import { ret, skbState } from './skb-common.js';

/** overflowuid: what get_socket_uid returns without a full socket. */
const OVERFLOW_UID = 65534;

/** bpf_get_hash_recalc(skb): skb_get_hash. */
export const getHashRecalc: HelperFn = (call) => {
  const st = skbState(call, 'bpf_get_hash_recalc');
  const { skb } = st;
  if (!skb.l4Hash && !skb.swHash) {
    if (st.env.flowHash) {
      skb.hash = st.env.flowHash(skb) >>> 0;
    } else {
      // __skb_get_hash_net: the flow dissector's keys, SipHash with env.flowHashKey.
      const h = skbFlowHash(skb, st.env.flowHashKey);
      skb.hash = h.hash;
      skb.l4Hash = h.l4;
    }
    skb.swHash = true;
  }
  setR0(call, skb.hash >>> 0);
};

/** bpf_set_hash(skb, u32 hash): a software L4 hash. */
export const setHash: HelperFn = (call) => {
  const { skb } = skbState(call, 'bpf_set_hash');
  skb.hash = call.regs.lo[2] >>> 0;
  skb.swHash = true;
  skb.l4Hash = true;
  ret(call, 0);
};

/** bpf_set_hash_invalid(skb): skb_clear_hash. */
export const setHashInvalid: HelperFn = (call) => {
  skbState(call, 'bpf_set_hash_invalid').skb.clearHash();
  ret(call, 0);
};

/** net_cls classids and route realms: no net_cls cgroup and no dst in the emulation. */
export const getCgroupClassid: HelperFn = (call) => ret(call, 0);
export const skbCgroupClassid: HelperFn = (call) => ret(call, 0);
export const getRouteRealm: HelperFn = (call) => ret(call, skbState(call, 'bpf_get_route_realm').skb.routeRealm >>> 0);

/** `vlan_get_protocol`: look through in-packet VLAN tags (mac_len 0 means from ETH_HLEN). */
function protocolSkippingVlan(skb: Skb): number {
  let type = skb.protocol;
  if (type !== ETH_P.ETH_P_8021Q && type !== ETH_P.ETH_P_8021AD) return type;
  let depth = skb.macLen ? skb.macLen - 4 : ETH_HLEN;
  if (skb.macLen && skb.macLen < 4) return 0;
  do {
    if (depth + 4 > skb.len) return 0;
    type = (skb.buf[skb.data + depth + 2] << 8) | skb.buf[skb.data + depth + 3];
    depth += 4;
  } while (type === ETH_P.ETH_P_8021Q || type === ETH_P.ETH_P_8021AD);
  return type;
}

/** bpf_skb_ecn_set_ce(skb): INET_ECN_set_ce on the header at skb's network header. */
export const skbEcnSetCe: HelperFn = (call) => {
  const { skb } = skbState(call, 'bpf_skb_ecn_set_ce');
  const proto = protocolSkippingVlan(skb);
  const nh = skb.networkHeader;
  const tail = skb.data + skb.len;
  const b = skb.buf;
  if (proto === ETH_P.ETH_P_IP && nh + 20 <= tail) {
    // IP_ECN_set_ce: (tos + 1) & 3 is 1 Not-ECT, 2 ECT(1), 3 ECT(0), 0 CE.
    const ecn = (b[nh + 1] + 1) & 3;
    if (!(ecn & 2)) return ret(call, ecn === 0 ? 1 : 0);
    // check += htons(0xFFFB) + htons(ecn), as 16-bit memory values.
    const checkAdd = (0xfbff + (ecn << 8)) & 0xffff;
    wr16(b, nh + 10, add16(rd16(b, nh + 10), checkAdd));
    b[nh + 1] |= 3;
    return ret(call, 1);
  }
  if (proto === ETH_P.ETH_P_IPV6 && nh + 40 <= tail) {
    // IP6_ECN_set_ce: dsfield = bits 4..11 of the first be32 word.
    const ds = ((b[nh] & 0x0f) << 4) | (b[nh + 1] >>> 4);
    if ((ds & 3) === 0) return ret(call, 0);
    const from = (b[nh] | (b[nh + 1] << 8) | (b[nh + 2] << 16) | (b[nh + 3] << 24)) >>> 0;
    b[nh + 1] |= 0x30; // CE << 20 in network order
    const to = (b[nh] | (b[nh + 1] << 8) | (b[nh + 2] << 16) | (b[nh + 3] << 24)) >>> 0;
    if (skb.ipSummed === CHECKSUM_COMPLETE) skb.csum = add32(sub32(skb.csum, from), to);
    return ret(call, 1);
  }
  ret(call, 0);
};

/** Socket cookies are assigned once per socket from a counter (kernel: global, from 1). */
const cookies = new WeakMap<object, bigint>();
let nextCookie = 1n;

/** bpf_get_socket_cookie(skb): 0 without a socket. */
export const getSocketCookie: HelperFn = (call) => {
  const st = skbState(call, 'bpf_get_socket_cookie');
  const sk = st.skb.sk;
  if (!sk) return setR0(call, 0);
  let c = cookies.get(sk);
  if (c === undefined) {
    c = st.env.nextSocketCookie ? st.env.nextSocketCookie() : nextCookie++;
    cookies.set(sk, c);
  }
  setR0Big(call, c);
};

/** bpf_get_socket_uid(skb): the test-run socket belongs to uid 0; no socket → overflowuid. */
export const getSocketUid: HelperFn = (call) => ret(call, skbState(call, 'bpf_get_socket_uid').skb.sk ? 0 : OVERFLOW_UID);

/** bpf_skb_cgroup_id(skb): the socket's cgroup, 0 without a socket. */
export const skbCgroupId: HelperFn = (call) => {
  const st = skbState(call, 'bpf_skb_cgroup_id');
  const path = st.env.cgroupPath ?? [1n];
  setR0Big(call, st.skb.sk ? path[path.length - 1] : 0n);
};

/** bpf_skb_ancestor_cgroup_id(skb, int level). */
export const skbAncestorCgroupId: HelperFn = (call) => {
  const st = skbState(call, 'bpf_skb_ancestor_cgroup_id');
  const level = argS32(call, 2);
  const path = st.env.cgroupPath ?? [1n];
  setR0Big(call, st.skb.sk && level >= 0 && level < path.length ? path[level] : 0n);
};

/** bpf_sk_fullsock(sk): the test-run socket is a full socket; its full view is another region. */
export const skFullsock: HelperFn = (call) => {
  const st = skbState(call, 'bpf_sk_fullsock');
  const sk = st.skb.sk;
  if (!sk || !st.sock || call.regs.hi[1] !== st.sock.hi) return setR0(call, 0);
  st.fullSock ??= st.mem.alloc('ctx', new Uint8Array(0), { ctx: new SockCtx(sk, true), label: 'bpf_sock (full)', writable: false });
  setR0Ptr(call, st.fullSock.hi, Memory.lo(0));
};

/** bpf_tcp_sock / bpf_get_listener_sock: the test-run socket is neither TCP nor listening. */
export const tcpSockNull: HelperFn = (call) => setR0(call, 0);

/** bpf_get_netns_cookie(ctx or NULL): the emulated netns's cookie. */
export const getNetnsCookie: HelperFn = (call) => setR0Big(call, skbState(call, 'bpf_get_netns_cookie').env.netnsCookie ?? 1n);

/** bpf_skb_get_xfrm_state(skb, index, to, size, flags): no xfrm state ever: -EINVAL, `to` zeroed. */
export const skbGetXfrmState: HelperFn = (call) => {
  skbState(call, 'bpf_skb_get_xfrm_state');
  argMem(call, 3, argU32(call, 4), true, 'bpf_skb_get_xfrm_state').fill(0);
  ret(call, -ERRNO.EINVAL);
};

// sk_lookup_tcp/udp, skc_lookup_tcp and sk_release live in sk-lookup.ts (configurable table).

export const skbMetaHelpers: HelperFamily = {
  [HELPER_IDS.bpf_get_hash_recalc]: getHashRecalc,
  [HELPER_IDS.bpf_set_hash]: setHash,
  [HELPER_IDS.bpf_set_hash_invalid]: setHashInvalid,
  [HELPER_IDS.bpf_get_cgroup_classid]: getCgroupClassid,
  [HELPER_IDS.bpf_skb_cgroup_classid]: skbCgroupClassid,
  [HELPER_IDS.bpf_get_route_realm]: getRouteRealm,
  [HELPER_IDS.bpf_skb_ecn_set_ce]: skbEcnSetCe,
  [HELPER_IDS.bpf_get_socket_cookie]: getSocketCookie,
  [HELPER_IDS.bpf_get_socket_uid]: getSocketUid,
  [HELPER_IDS.bpf_skb_cgroup_id]: skbCgroupId,
  [HELPER_IDS.bpf_skb_ancestor_cgroup_id]: skbAncestorCgroupId,
  [HELPER_IDS.bpf_sk_fullsock]: skFullsock,
  [HELPER_IDS.bpf_tcp_sock]: tcpSockNull,
  [HELPER_IDS.bpf_get_listener_sock]: tcpSockNull,
  [HELPER_IDS.bpf_get_netns_cookie]: getNetnsCookie,
  [HELPER_IDS.bpf_skb_get_xfrm_state]: skbGetXfrmState,
};
