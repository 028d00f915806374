/**
 * @fileoverview VLAN helpers (net/core/filter.c bpf_skb_vlan_push/pop over net/core/skbuff.c
 * skb_vlan_push/skb_vlan_pop and include/linux/if_vlan.h). Spec: docs/skb-and-helpers.md §8.
 *
 * push with no hw-accel tag only sets the tag; with one present, the present tag goes into the
 * packet at offset 12 first:  [dst][src][old proto][old tci][ethertype]...
 */
import { type HelperFamily } from './family.js';
import { HELPER_IDS } from '../../vm/helpers.js';
import type { HelperFn } from '../../vm/program.js';
import { syncPacket } from '../skb/run-state.js';
import type { Skb } from '../skb/skb.js';
import { ERRNO, ETH_HLEN, ETH_P, VLAN_HLEN } from '../uapi.js';
import { argU32 } from './args.js';
import { ret, skbState } from './skb-common.js';

const isVlan = (p: number): boolean => p === ETH_P.ETH_P_8021Q || p === ETH_P.ETH_P_8021AD;
const swap16 = (v: number): number => ((v & 0xff) << 8) | ((v >>> 8) & 0xff);

/** bpf_push_mac_rcsum / bpf_pull_mac_rcsum: only at tc ingress, over the mac_len bytes. */
function pushMacRcsum(skb: Skb): void {
  if (skb.tcAtIngress) skb.postpushRcsum(skb.macHeader, skb.macLen);
}
function pullMacRcsum(skb: Skb): void {
  if (skb.tcAtIngress) skb.postpullRcsum(skb.macHeader, skb.macLen);
}

/** `__skb_vlan_pop`: remove the in-packet tag at offset 12; returns the TCI or an errno (< 0). */
function vlanPopInPacket(skb: Skb): number {
  if (skb.data !== skb.macHeader) return -ERRNO.EINVAL;
  if (skb.len < ETH_HLEN + VLAN_HLEN) return -ERRNO.ENOMEM; // skb_ensure_writable(VLAN_ETH_HLEN)
  const d = skb.data;
  skb.postpullRcsum(d + 12, VLAN_HLEN);
  const tci = (skb.buf[d + 14] << 8) | skb.buf[d + 15];
  // vlan_set_encap_proto
  const inner = (skb.buf[d + 16] << 8) | skb.buf[d + 17];
  if (inner >= 0x0600) skb.protocol = inner;
  else if (skb.len >= 20 && skb.buf[d + 18] === 0xff && skb.buf[d + 19] === 0xff) skb.protocol = ETH_P.ETH_P_802_3;
  else skb.protocol = 0x0004;
  skb.buf.copyWithin(d + VLAN_HLEN, d, d + 12);
  skb.pull(VLAN_HLEN);
  skb.macHeader += VLAN_HLEN;
  if (skb.networkOffset() < ETH_HLEN) skb.networkHeader = skb.data + ETH_HLEN;
  skb.macLen = skb.networkHeader - skb.macHeader;
  return tci;
}

/** bpf_skb_vlan_push(skb, __be16 proto, u16 tci). */
export const skbVlanPush: HelperFn = (call) => {
  const st = skbState(call, 'bpf_skb_vlan_push');
  const { skb } = st;
  let proto = swap16(argU32(call, 2) & 0xffff); // __be16 → host order
  const tci = argU32(call, 3) & 0xffff;
  if (!isVlan(proto)) proto = ETH_P.ETH_P_8021Q;
  pushMacRcsum(skb);
  let r = 0;
  if (skb.vlanPresent()) {
    if (skb.data !== skb.macHeader) r = -ERRNO.EINVAL;
    else {
      // vlan_insert_inner_tag with mac_len ETH_HLEN: push 4, move the 12 address bytes down.
      skb.push(VLAN_HLEN);
      skb.buf.copyWithin(skb.data, skb.data + VLAN_HLEN, skb.data + VLAN_HLEN + 12);
      skb.macHeader -= VLAN_HLEN;
      const d = skb.data;
      skb.buf[d + 12] = skb.vlanProto >>> 8;
      skb.buf[d + 13] = skb.vlanProto & 0xff;
      skb.buf[d + 14] = skb.vlanTci >>> 8;
      skb.buf[d + 15] = skb.vlanTci & 0xff;
      skb.protocol = skb.vlanProto;
      skb.networkHeader -= VLAN_HLEN;
      skb.postpushRcsum(d + 12, VLAN_HLEN);
    }
  }
  if (r === 0) {
    skb.vlanProto = proto;
    skb.vlanTci = tci;
  }
  pullMacRcsum(skb);
  skb.macLen = skb.networkHeader - skb.macHeader;
  syncPacket(st);
  ret(call, r);
};

/** bpf_skb_vlan_pop(skb). */
export const skbVlanPop: HelperFn = (call) => {
  const st = skbState(call, 'bpf_skb_vlan_pop');
  const { skb } = st;
  pushMacRcsum(skb);
  let r = 0;
  done: {
    if (skb.vlanPresent()) {
      skb.vlanProto = 0;
      skb.vlanTci = 0;
    } else {
      if (!isVlan(skb.protocol)) break done;
      const t = vlanPopInPacket(skb);
      if (t < 0) {
        r = t;
        break done;
      }
    }
    // Move the next in-packet tag into the hw-accel slot.
    if (!isVlan(skb.protocol)) break done;
    const proto = skb.protocol;
    const t = vlanPopInPacket(skb);
    if (t < 0) {
      r = t;
      break done;
    }
    skb.vlanProto = proto;
    skb.vlanTci = t;
  }
  pullMacRcsum(skb);
  syncPacket(st);
  ret(call, r);
};

export const skbVlanHelpers: HelperFamily = {
  [HELPER_IDS.bpf_skb_vlan_push]: skbVlanPush,
  [HELPER_IDS.bpf_skb_vlan_pop]: skbVlanPop,
};
