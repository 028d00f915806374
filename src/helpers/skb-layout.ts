/**
 * @fileoverview Layout-changing helpers (net/core/filter.c): skb_change_proto, skb_change_type,
 * skb_change_head, skb_change_tail, skb_adjust_room, plus skb_set_tstamp. Every layout change
 * rebinds the packet Region (the kernel's bpf_compute_data_pointers). Spec: docs/skb-and-helpers.md §9.
 *
 * bpf_skb_net_hdr_push(off, n) — used by change_proto 4→6 and adjust_room growth:
 *
 *   before:  | mac (14) | L3 ... |                 off = where the zeros go
 *   after:   | first off bytes | n zero bytes | rest |   mac and network header move back by n
 */
import { type HelperFamily } from './family.js';
import { HELPER_IDS } from '../../vm/helpers.js';
import type { HelperFn } from '../../vm/program.js';
import { syncPacket, type SkbRunState } from '../skb/run-state.js';
import {
  BPF_SKB_MAX_LEN,
  CHECKSUM_COMPLETE,
  CHECKSUM_NONE,
  CHECKSUM_PARTIAL,
  CHECKSUM_UNNECESSARY,
  SKB_CLOCK_MONOTONIC,
  SKB_CLOCK_REALTIME,
  SKB_CLOCK_TAI,
  SKB_GSO_DODGY,
  SKB_GSO_TCPV4,
  SKB_GSO_TCPV6,
  SKB_GSO_UDP_L4,
  type Skb,
} from '../skb/skb.js';
import { ERRNO, ETH_HLEN, ETH_P } from '../uapi.js';
import { argS32, argU32, argU64 } from './args.js';
import { argHalves, ret, skbState } from './skb-common.js';

const IPV4_HLEN = 20;
const IPV6_HLEN = 40;
const swap16 = (v: number): number => ((v & 0xff) << 8) | ((v >>> 8) & 0xff);
/** Largest allocation we pretend to satisfy (KMALLOC_MAX_SIZE-ish); beyond it: -ENOMEM. */
const MAX_ALLOC = 4 << 20;

/** `bpf_skb_net_base_len`. */
function netBaseLen(skb: Skb): number {
  return skb.protocol === ETH_P.ETH_P_IP ? IPV4_HLEN : skb.protocol === ETH_P.ETH_P_IPV6 ? IPV6_HLEN : 0xffffffff;
}

/** `bpf_skb_net_hdr_push`. */
function netHdrPush(skb: Skb, off: number, n: number): void {
  const transSame = skb.transportHeader === skb.networkHeader;
  skb.insertZeros(off, n);
  skb.macHeader -= n;
  skb.networkHeader -= n;
  if (transSame) skb.transportHeader = skb.networkHeader;
}

/** `bpf_skb_net_hdr_pop`: -ENOMEM when off + n is past the packet. */
function netHdrPop(skb: Skb, off: number, n: number): number {
  if (off + n > skb.len) return -ERRNO.ENOMEM;
  const transSame = skb.transportHeader === skb.networkHeader;
  skb.removeBytes(off, n);
  skb.macHeader += n;
  skb.networkHeader += n;
  if (transSame) skb.transportHeader = skb.networkHeader;
  return 0;
}

function isGsoTcp(skb: Skb): boolean {
  return (skb.gsoType & (SKB_GSO_TCPV4 | SKB_GSO_TCPV6)) !== 0;
}

/** bpf_skb_change_proto(skb, __be16 proto, u64 flags). */
export const skbChangeProto: HelperFn = (call) => {
  const st = skbState(call, 'bpf_skb_change_proto');
  const { skb } = st;
  const to = swap16(argU32(call, 2) & 0xffff);
  const [flo, fhi] = argHalves(call, 3);
  if (flo !== 0 || fhi !== 0) return ret(call, -ERRNO.EINVAL);
  const off = skb.macHeaderLen();
  let r: number;
  if (skb.protocol === ETH_P.ETH_P_IP && to === ETH_P.ETH_P_IPV6) {
    netHdrPush(skb, off, IPV6_HLEN - IPV4_HLEN);
    if (skb.isGso() && skb.gsoType & SKB_GSO_TCPV4) skb.gsoType = (skb.gsoType & ~SKB_GSO_TCPV4) | SKB_GSO_TCPV6;
    skb.protocol = ETH_P.ETH_P_IPV6;
    skb.clearHash();
    r = 0;
  } else if (skb.protocol === ETH_P.ETH_P_IPV6 && to === ETH_P.ETH_P_IP) {
    r = netHdrPop(skb, off, IPV6_HLEN - IPV4_HLEN);
    if (r === 0) {
      if (skb.isGso() && skb.gsoType & SKB_GSO_TCPV6) skb.gsoType = (skb.gsoType & ~SKB_GSO_TCPV6) | SKB_GSO_TCPV4;
      skb.protocol = ETH_P.ETH_P_IP;
      skb.clearHash();
    }
  } else r = -ERRNO.ENOTSUPP;
  syncPacket(st);
  ret(call, r);
};

/** bpf_skb_change_type(skb, u32 type): only among HOST..OTHERHOST. */
export const skbChangeType: HelperFn = (call) => {
  const { skb } = skbState(call, 'bpf_skb_change_type');
  const t = argU32(call, 2);
  if (skb.pktType > 3 || t > 3) return ret(call, -ERRNO.EINVAL);
  skb.pktType = t;
  ret(call, 0);
};

/** bpf_skb_change_head(skb, u32 head_room, u64 flags): push zeros, reset the mac header. */
export const skbChangeHead: HelperFn = (call) => {
  const st = skbState(call, 'bpf_skb_change_head');
  const { skb } = st;
  const room = argU32(call, 2);
  const [flo, fhi] = argHalves(call, 3);
  const newLen = (skb.len + room) >>> 0;
  if (flo !== 0 || fhi !== 0 || (!skb.isGso() && newLen > BPF_SKB_MAX_LEN) || newLen < skb.len) {
    syncPacket(st);
    return ret(call, -ERRNO.EINVAL);
  }
  if (room > MAX_ALLOC) return ret(call, -ERRNO.ENOMEM);
  skb.push(room);
  skb.buf.fill(0, skb.data, skb.data + room);
  skb.macHeader = skb.data;
  skb.macLen = skb.networkHeader - skb.macHeader;
  syncPacket(st);
  ret(call, 0);
};

/** `__bpf_skb_min_len`: later rules override earlier ones (not a max). */
function minLen(skb: Skb): number {
  let m = 0;
  let o = skb.networkOffset();
  if (o > 0) m = o;
  if (skb.transportHeader >= 0) {
    o = skb.transportOffset();
    if (o > 0) m = o;
  }
  if (skb.ipSummed === CHECKSUM_PARTIAL) {
    o = skb.csumStart - skb.data + skb.csumOffset + 2;
    if (o > 0) m = o;
  }
  return m;
}

/** bpf_skb_change_tail(skb, u32 new_len, u64 flags). */
export const skbChangeTail: HelperFn = (call) => {
  const st = skbState(call, 'bpf_skb_change_tail');
  const { skb } = st;
  const newLen = argU32(call, 2);
  const [flo, fhi] = argHalves(call, 3);
  let r = 0;
  if (flo !== 0 || fhi !== 0 || newLen > BPF_SKB_MAX_LEN || newLen < minLen(skb)) r = -ERRNO.EINVAL;
  else if (skb.encapsulation) r = -ERRNO.ENOTSUPP;
  else {
    if (newLen > skb.len) skb.putZero(newLen - skb.len);
    else if (newLen < skb.len) {
      // pskb_trim_rcsum: a trimmed COMPLETE checksum is given up (skb->csum left stale).
      if (skb.ipSummed === CHECKSUM_COMPLETE) skb.ipSummed = CHECKSUM_NONE;
      skb.trim(newLen);
    }
    if (skb.isGso()) skb.gsoReset();
  }
  syncPacket(st);
  ret(call, r);
};

export const BPF_ADJ_ROOM_NET = 0;
export const BPF_ADJ_ROOM_MAC = 1;
export const BPF_F_ADJ_ROOM_FIXED_GSO = 1 << 0;
export const BPF_F_ADJ_ROOM_ENCAP_L3_IPV4 = 1 << 1;
export const BPF_F_ADJ_ROOM_ENCAP_L3_IPV6 = 1 << 2;
export const BPF_F_ADJ_ROOM_ENCAP_L4_GRE = 1 << 3;
export const BPF_F_ADJ_ROOM_ENCAP_L4_UDP = 1 << 4;
export const BPF_F_ADJ_ROOM_NO_CSUM_RESET = 1 << 5;
export const BPF_F_ADJ_ROOM_ENCAP_L2_ETH = 1 << 6;
export const BPF_F_ADJ_ROOM_DECAP_L3_IPV4 = 1 << 7;
export const BPF_F_ADJ_ROOM_DECAP_L3_IPV6 = 1 << 8;
/** BPF_F_ADJ_ROOM_ENCAP_L2(len): inner L2 length in bits 56..63 of flags. */
export const BPF_ADJ_ROOM_ENCAP_L2_SHIFT = 56;
const ENCAP_L3_MASK = BPF_F_ADJ_ROOM_ENCAP_L3_IPV4 | BPF_F_ADJ_ROOM_ENCAP_L3_IPV6;
const DECAP_L3_MASK = BPF_F_ADJ_ROOM_DECAP_L3_IPV4 | BPF_F_ADJ_ROOM_DECAP_L3_IPV6;
const LOW_MASK =
  BPF_F_ADJ_ROOM_FIXED_GSO | ENCAP_L3_MASK | BPF_F_ADJ_ROOM_ENCAP_L4_GRE | BPF_F_ADJ_ROOM_ENCAP_L4_UDP |
  BPF_F_ADJ_ROOM_NO_CSUM_RESET | BPF_F_ADJ_ROOM_ENCAP_L2_ETH | DECAP_L3_MASK;
/** SKB_GSO_* bits adjust_room adds for encapsulation. */
const SKB_GSO_GRE = 1 << 7;
const SKB_GSO_IPXIP4 = 1 << 9;
const SKB_GSO_IPXIP6 = 1 << 10;
const SKB_GSO_UDP_TUNNEL = 1 << 11;

function netGrow(skb: Skb, off: number, n: number, flo: number, innerMacLen: number): number {
  const encap = (flo & ENCAP_L3_MASK) !== 0;
  if (skb.isGso() && !isGsoTcp(skb)) {
    if (!(skb.gsoType & SKB_GSO_UDP_L4) || !(flo & BPF_F_ADJ_ROOM_FIXED_GSO)) return -ERRNO.ENOTSUPP;
  }
  let macLen = 0;
  let innerNet = 0;
  let innerTrans = 0;
  if (encap) {
    if (skb.protocol !== ETH_P.ETH_P_IP && skb.protocol !== ETH_P.ETH_P_IPV6) return -ERRNO.ENOTSUPP;
    if ((flo & ENCAP_L3_MASK) === ENCAP_L3_MASK) return -ERRNO.EINVAL;
    if (flo & BPF_F_ADJ_ROOM_ENCAP_L4_GRE && flo & BPF_F_ADJ_ROOM_ENCAP_L4_UDP) return -ERRNO.EINVAL;
    if (flo & BPF_F_ADJ_ROOM_ENCAP_L2_ETH && innerMacLen < ETH_HLEN) return -ERRNO.EINVAL;
    if (skb.encapsulation) return -ERRNO.EALREADY;
    macLen = skb.networkHeader - skb.macHeader;
    // Kept relative to data: a reallocation inside the push must not skew them.
    innerNet = skb.networkHeader - skb.data;
    if (innerMacLen > n) return -ERRNO.EINVAL;
    innerTrans = skb.transportHeader < 0 ? -1 : skb.transportHeader - skb.data;
  }
  netHdrPush(skb, off, n);
  let gsoType = SKB_GSO_DODGY;
  if (encap) {
    // inner_* are the pre-push head offsets, as in the kernel: data moved back by n, so they are
    // n further from the new data.
    skb.innerMacHeader = skb.data + n + innerNet - innerMacLen;
    skb.innerNetworkHeader = skb.data + n + innerNet;
    skb.innerTransportHeader = innerTrans < 0 ? -1 : skb.data + n + innerTrans;
    skb.innerProtocol = flo & BPF_F_ADJ_ROOM_ENCAP_L2_ETH ? ETH_P.ETH_P_TEB : skb.protocol;
    skb.encapsulation = true;
    skb.networkHeader = skb.data + macLen;
    if (flo & BPF_F_ADJ_ROOM_ENCAP_L4_UDP) gsoType |= SKB_GSO_UDP_TUNNEL;
    else if (flo & BPF_F_ADJ_ROOM_ENCAP_L4_GRE) gsoType |= SKB_GSO_GRE;
    else if (flo & BPF_F_ADJ_ROOM_ENCAP_L3_IPV6) gsoType |= SKB_GSO_IPXIP6;
    else if (flo & BPF_F_ADJ_ROOM_ENCAP_L3_IPV4) gsoType |= SKB_GSO_IPXIP4;
    if (flo & (BPF_F_ADJ_ROOM_ENCAP_L4_GRE | BPF_F_ADJ_ROOM_ENCAP_L4_UDP)) {
      const nh = flo & BPF_F_ADJ_ROOM_ENCAP_L3_IPV6 ? IPV6_HLEN : IPV4_HLEN;
      skb.transportHeader = skb.data + macLen + nh;
    }
    if (skb.protocol === ETH_P.ETH_P_IP && flo & BPF_F_ADJ_ROOM_ENCAP_L3_IPV6) skb.protocol = ETH_P.ETH_P_IPV6;
    else if (skb.protocol === ETH_P.ETH_P_IPV6 && flo & BPF_F_ADJ_ROOM_ENCAP_L3_IPV4) skb.protocol = ETH_P.ETH_P_IP;
  }
  if (skb.isGso()) {
    if (!(flo & BPF_F_ADJ_ROOM_FIXED_GSO)) skb.gsoSize = (skb.gsoSize - n) & 0xffff;
    skb.gsoType |= gsoType;
    skb.gsoSegs = 0;
  }
  return 0;
}

function netShrink(skb: Skb, off: number, n: number, flo: number, fhi: number): number {
  if (fhi !== 0 || (flo & ~(BPF_F_ADJ_ROOM_FIXED_GSO | DECAP_L3_MASK | BPF_F_ADJ_ROOM_NO_CSUM_RESET)) !== 0) return -ERRNO.EINVAL;
  if (skb.isGso() && !isGsoTcp(skb)) {
    if (!(skb.gsoType & SKB_GSO_UDP_L4) || !(flo & BPF_F_ADJ_ROOM_FIXED_GSO)) return -ERRNO.ENOTSUPP;
  }
  const r = netHdrPop(skb, off, n);
  if (r < 0) return r;
  if (skb.protocol === ETH_P.ETH_P_IP && flo & BPF_F_ADJ_ROOM_DECAP_L3_IPV6) skb.protocol = ETH_P.ETH_P_IPV6;
  else if (skb.protocol === ETH_P.ETH_P_IPV6 && flo & BPF_F_ADJ_ROOM_DECAP_L3_IPV4) skb.protocol = ETH_P.ETH_P_IP;
  if (skb.isGso()) {
    if (!(flo & BPF_F_ADJ_ROOM_FIXED_GSO)) skb.gsoSize = (skb.gsoSize + n) & 0xffff;
    skb.gsoType |= SKB_GSO_DODGY;
    skb.gsoSegs = 0;
  }
  return 0;
}

function adjustRoom(st: SkbRunState, lenDiff: number, mode: number, flo: number, fhi: number): number {
  const { skb } = st;
  const abs = Math.abs(lenDiff);
  const shrink = lenDiff < 0;
  // Allowed: the low flag bits plus the inner L2 length byte (bits 56..63).
  if ((flo & ~LOW_MASK) !== 0 || (fhi & 0x00ffffff) !== 0) return -ERRNO.EINVAL;
  if (abs > 0xfff) return -ERRNO.EFAULT;
  if (skb.protocol !== ETH_P.ETH_P_IP && skb.protocol !== ETH_P.ETH_P_IPV6) return -ERRNO.ENOTSUPP;
  let off = skb.macHeaderLen();
  if (mode === BPF_ADJ_ROOM_NET) off += netBaseLen(skb);
  else if (mode !== BPF_ADJ_ROOM_MAC) return -ERRNO.ENOTSUPP;
  let lenMin = netBaseLen(skb);
  if (flo & DECAP_L3_MASK) {
    if (!shrink) return -ERRNO.EINVAL;
    const d = flo & DECAP_L3_MASK;
    if (d === BPF_F_ADJ_ROOM_DECAP_L3_IPV4) lenMin = IPV4_HLEN;
    else if (d === BPF_F_ADJ_ROOM_DECAP_L3_IPV6) lenMin = IPV6_HLEN;
    else return -ERRNO.EINVAL;
  }
  const lenCur = skb.len - skb.networkOffset();
  if ((shrink && (abs >= lenCur || lenCur - abs < lenMin)) || (!shrink && skb.len + abs > BPF_SKB_MAX_LEN && !skb.isGso())) {
    return -ERRNO.ENOTSUPP;
  }
  const r = shrink ? netShrink(skb, off, abs, flo, fhi) : netGrow(skb, off, abs, flo, fhi >>> 24);
  if (r === 0 && !(flo & BPF_F_ADJ_ROOM_NO_CSUM_RESET) && skb.ipSummed === CHECKSUM_UNNECESSARY) {
    skb.ipSummed = CHECKSUM_NONE;
    skb.csumLevel = 0;
  }
  return r;
}

/** bpf_skb_adjust_room(skb, s32 len_diff, u32 mode, u64 flags). */
export const skbAdjustRoom: HelperFn = (call) => {
  const st = skbState(call, 'bpf_skb_adjust_room');
  const [flo, fhi] = argHalves(call, 4);
  const r = adjustRoom(st, argS32(call, 2), argU32(call, 3), flo, fhi);
  syncPacket(st);
  ret(call, r);
};

/** bpf_skb_set_tstamp(skb, u64 tstamp, u32 tstamp_type). */
export const skbSetTstamp: HelperFn = (call) => {
  const { skb } = skbState(call, 'bpf_skb_set_tstamp');
  const ts = argU64(call, 2);
  const type = argU32(call, 3);
  if (skb.protocol !== ETH_P.ETH_P_IP && skb.protocol !== ETH_P.ETH_P_IPV6) return ret(call, -ERRNO.EOPNOTSUPP);
  if (type === SKB_CLOCK_REALTIME) {
    skb.tstamp = ts;
    skb.tstampType = SKB_CLOCK_REALTIME;
  } else if (type === SKB_CLOCK_MONOTONIC || type === SKB_CLOCK_TAI) {
    if (ts === 0n) return ret(call, -ERRNO.EINVAL);
    skb.tstamp = ts;
    skb.tstampType = type;
  } else return ret(call, -ERRNO.EINVAL);
  ret(call, 0);
};

export const skbLayoutHelpers: HelperFamily = {
  [HELPER_IDS.bpf_skb_change_proto]: skbChangeProto,
  [HELPER_IDS.bpf_skb_change_type]: skbChangeType,
  [HELPER_IDS.bpf_skb_change_head]: skbChangeHead,
  [HELPER_IDS.bpf_skb_change_tail]: skbChangeTail,
  [HELPER_IDS.bpf_skb_adjust_room]: skbAdjustRoom,
  [HELPER_IDS.bpf_skb_set_tstamp]: skbSetTstamp,
};
