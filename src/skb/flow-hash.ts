/**
 * @fileoverview skb->hash as the kernel computes it (net/core/flow_dissector.c
 * __skb_get_hash_net): dissect the packet into a `struct flow_keys` with the kernel's
 * flow_keys_dissector (control, basic, IPv4/IPv6 addresses, ports, VLAN, flow label, GRE key id),
 * order the addresses and the ports so that both directions of a flow agree
 * (__flow_hash_consistentify), then SipHash-2-4 the keys from `basic` on, up to the end of the
 * address family's addresses, with a 128-bit key (__flow_hash_from_keys); 0 becomes 1.
 *
 * The kernel's key is random per boot (hashrnd), so its values cannot be reproduced unless you
 * know it: `SkbEnv.flowHashKey` sets it (default DEFAULT_FLOW_HASH_KEY). Which packets share a hash
 * does not depend on the key and matches the kernel (test/goldens/flowhash). Layout: docs/flow-hash.md.
 *
 * Dissected: from the network header with skb->protocol (or the hw-accel VLAN tag first), 802.1Q /
 * 802.1AD tags (the first one fills the vlan key), IPv4 (fragments: no ports), IPv6 (a non-zero
 * flow label ends the dissection, as FLOW_DISSECTOR_F_STOP_AT_FLOW_LABEL does; hop-by-hop, routing,
 * destination and fragment headers), IPv4/IPv6-in-IP (the inner header's keys), and the ports of
 * TCP, UDP, UDP-Lite, DCCP, SCTP, ESP (SPI) and AH (SPI). Not dissected (the keys stop at the
 * outer header; the kernel goes on): GRE, MPLS, PPPoE, TIPC, batman-adv, and flow dissector BPF
 * programs.
 */
import { siphash24 } from '../helpers/syncookie.js';
import type { Skb } from './skb.js';
import { ETH_P, IPPROTO } from '../uapi.js';

/** A SipHash key as two u64 words (siphash_key_t). */
export type FlowHashKey = readonly [bigint, bigint];
/** tcxlab's fixed default key (the kernel draws one at random per boot). */
export const DEFAULT_FLOW_HASH_KEY: FlowHashKey = [0x0706050403020100n, 0x0f0e0d0c0b0a0908n];

/** sizeof(struct flow_keys) and the offsets of its members (6.18 BTF). */
export const FLOW_KEYS = {
  SIZE: 80,
  control: 0, // thoff u16, addr_type u16, flags u32
  basic: 8, // n_proto be16, ip_proto u8, padding u8
  tags: 12, // flow_label u32 (host order)
  vlan: 16, // id:12 dei:1 prio:3 (u16), tpid be16, eth_type be16, padding u16
  cvlan: 24,
  keyid: 32,
  ports: 36, // src be16, dst be16
  icmp: 40,
  addrs: 44, // v4: src, dst (8) | v6: src, dst (32)
} as const;
/** FLOW_KEYS_HASH_OFFSET: hashing starts at `basic`. */
const HASH_OFFSET = FLOW_KEYS.basic;
/** enum flow_dissector_key_id values used as control.addr_type. */
export const FLOW_DISSECTOR_KEY_IPV4_ADDRS = 2;
export const FLOW_DISSECTOR_KEY_IPV6_ADDRS = 3;

/** MAX_FLOW_DISSECT_HDRS */
const MAX_HDRS = 15;

/** proto_ports_offset (include/linux/in.h): where the 4 port bytes sit in the L4 header, or -1. */
function portsOffset(proto: number): number {
  switch (proto) {
    case IPPROTO.IPPROTO_TCP:
    case IPPROTO.IPPROTO_UDP:
    case IPPROTO.IPPROTO_DCCP:
    case IPPROTO.IPPROTO_ESP:
    case IPPROTO.IPPROTO_SCTP:
    case IPPROTO.IPPROTO_UDPLITE:
      return 0;
    case IPPROTO.IPPROTO_AH:
      return 4;
    default:
      return -1;
  }
}

/** The dissected keys: `bytes` is a struct flow_keys, plus whether it carries L4 information. */
export interface FlowKeys {
  bytes: Uint8Array;
  addrType: number;
  /** flow_keys_have_l4: ports or a flow label were found (skb->l4_hash). */
  hasL4: boolean;
}

/**
 * __skb_flow_dissect with flow_keys_dissector and FLOW_DISSECTOR_F_STOP_AT_FLOW_LABEL, on the
 * skb's linear data from its network header.
 */
export function dissectFlowKeys(skb: Skb): FlowKeys {
  const k = new Uint8Array(FLOW_KEYS.SIZE);
  const dv = new DataView(k.buffer);
  const pkt = skb.buf.subarray(skb.data, skb.data + skb.len);
  const u8 = (o: number): number | undefined => (o >= 0 && o < pkt.length ? pkt[o] : undefined);
  const be16 = (o: number): number | undefined => (o >= 0 && o + 2 <= pkt.length ? (pkt[o] << 8) | pkt[o + 1] : undefined);
  const has = (o: number, n: number): boolean => o >= 0 && o + n <= pkt.length;

  let nhoff = skb.networkHeader - skb.data;
  let proto = skb.vlanPresent() ? skb.vlanProto : skb.protocol;
  let ipProto = 0;
  let addrType = 0;
  let fragment = false;
  let vlanSeen = 0;
  let hdrs = 0;
  const again = (): boolean => ++hdrs <= MAX_HDRS; // skb_flow_dissect_allowed

  // `proto_again` / `ip_proto_again` as one loop: 'l3' parses `proto`, 'l4' parses `ipProto`.
  let stage: 'l3' | 'l4' | 'out' = 'l3';
  while (stage !== 'out') {
    if (stage === 'l3') {
      stage = 'out';
      if (proto === ETH_P.ETH_P_IP) {
        const ihl = (u8(nhoff) ?? 0) & 0xf;
        if (!has(nhoff, 20) || ihl < 5) break;
        const ip = nhoff;
        nhoff += ihl * 4;
        ipProto = pkt[ip + 9];
        k.set(pkt.subarray(ip + 12, ip + 20), FLOW_KEYS.addrs);
        addrType = FLOW_DISSECTOR_KEY_IPV4_ADDRS;
        const frag = be16(ip + 6)!;
        if (frag & 0x3fff) {
          // ip_is_fragment: a later fragment stops; a first one too (no F_PARSE_1ST_FRAG).
          fragment = true;
          break;
        }
        stage = 'l4';
      } else if (proto === ETH_P.ETH_P_IPV6) {
        if (!has(nhoff, 40)) break;
        const ip = nhoff;
        ipProto = pkt[ip + 6];
        nhoff += 40;
        k.set(pkt.subarray(ip + 8, ip + 40), FLOW_KEYS.addrs);
        addrType = FLOW_DISSECTOR_KEY_IPV6_ADDRS;
        const label = ((pkt[ip + 1] & 0x0f) << 16) | (pkt[ip + 2] << 8) | pkt[ip + 3];
        if (label !== 0) {
          dv.setUint32(FLOW_KEYS.tags, label, true);
          break; // FLOW_DISSECTOR_F_STOP_AT_FLOW_LABEL
        }
        stage = 'l4';
      } else if (proto === ETH_P.ETH_P_8021Q || proto === ETH_P.ETH_P_8021AD) {
        const tpid = proto;
        let tci: number;
        if (vlanSeen === 0 && skb.vlanPresent()) {
          proto = skb.protocol;
          tci = skb.vlanTci;
        } else {
          const t = be16(nhoff);
          const inner = be16(nhoff + 2);
          if (t === undefined || inner === undefined) break;
          tci = t;
          proto = inner;
          nhoff += 4;
        }
        vlanSeen++;
        // Only the outer tag fills a key (the second would be cvlan, which flow_keys_dissector lacks).
        if (vlanSeen === 1) {
          // vlan_id (12 bits) | vlan_priority << 13 in the u16 bitfield; tpid and eth_type raw.
          dv.setUint16(FLOW_KEYS.vlan, (tci & 0x0fff) | (((tci >> 13) & 7) << 13), true);
          dv.setUint16(FLOW_KEYS.vlan + 2, tpid, false);
          dv.setUint16(FLOW_KEYS.vlan + 4, proto, false);
        }
        if (again()) stage = 'l3';
      }
      continue;
    }
    // stage === 'l4'
    stage = 'out';
    let next: 'l3' | 'l4' | 'out' = 'out';
    switch (ipProto) {
      case IPPROTO.IPPROTO_HOPOPTS:
      case IPPROTO.IPPROTO_ROUTING:
      case IPPROTO.IPPROTO_DSTOPTS: {
        if (proto !== ETH_P.ETH_P_IPV6) break;
        const nh = u8(nhoff);
        const len = u8(nhoff + 1);
        if (nh === undefined || len === undefined) break;
        ipProto = nh;
        nhoff += (len + 1) << 3;
        next = 'l4';
        break;
      }
      case IPPROTO.IPPROTO_FRAGMENT: {
        if (proto !== ETH_P.ETH_P_IPV6) break;
        if (!has(nhoff, 8)) break;
        fragment = true;
        ipProto = pkt[nhoff];
        nhoff += 8;
        break;
      }
      case IPPROTO.IPPROTO_IPIP:
        proto = ETH_P.ETH_P_IP;
        next = 'l3';
        break;
      case IPPROTO.IPPROTO_IPV6:
        proto = ETH_P.ETH_P_IPV6;
        next = 'l3';
        break;
      default:
        break;
    }
    if (!fragment) {
      const poff = portsOffset(ipProto);
      // __skb_flow_dissect_ports: zero when the 4 bytes are not all there.
      if (poff >= 0 && has(nhoff + poff, 4)) k.set(pkt.subarray(nhoff + poff, nhoff + poff + 4), FLOW_KEYS.ports);
      else k.fill(0, FLOW_KEYS.ports, FLOW_KEYS.ports + 4);
    }
    if (next !== 'out' && again()) stage = next;
  }
  dv.setUint16(FLOW_KEYS.control + 2, addrType, true);
  dv.setUint16(FLOW_KEYS.basic, proto, false);
  k[FLOW_KEYS.basic + 2] = ipProto;
  const hasL4 = dv.getUint32(FLOW_KEYS.ports, true) !== 0 || dv.getUint32(FLOW_KEYS.tags, true) !== 0;
  return { bytes: k, addrType, hasL4 };
}

/** __flow_hash_consistentify: order the addresses and the ports (compared as raw LE words). */
function consistentify(keys: FlowKeys): void {
  const k = keys.bytes;
  const dv = new DataView(k.buffer, k.byteOffset, k.byteLength);
  const swap = (a: number, b: number, n: number): void => {
    const t = k.slice(a, a + n);
    k.copyWithin(a, b, b + n);
    k.set(t, b);
  };
  const a = FLOW_KEYS.addrs;
  if (keys.addrType === FLOW_DISSECTOR_KEY_IPV4_ADDRS) {
    if (dv.getUint32(a + 4, true) < dv.getUint32(a, true)) swap(a, a + 4, 4);
  } else if (keys.addrType === FLOW_DISSECTOR_KEY_IPV6_ADDRS) {
    // memcmp(dst, src) < 0: bytewise
    let diff = 0;
    for (let i = 0; i < 16 && diff === 0; i++) diff = k[a + 16 + i] - k[a + i];
    if (diff < 0) swap(a, a + 16, 16);
  } else {
    return;
  }
  const p = FLOW_KEYS.ports;
  if (dv.getUint16(p + 2, true) < dv.getUint16(p, true)) swap(p, p + 2, 2);
}

/** flow_keys_hash_length: from `basic` to the end of the family's addresses. */
function hashLength(addrType: number): number {
  const v = addrType === FLOW_DISSECTOR_KEY_IPV4_ADDRS ? 8 : addrType === FLOW_DISSECTOR_KEY_IPV6_ADDRS ? 32 : 0;
  return FLOW_KEYS.SIZE - (HASH_OFFSET + 32 - v);
}

/** __flow_hash_from_keys: consistentify, SipHash-2-4 (low 32 bits), never 0. */
export function flowHashFromKeys(keys: FlowKeys, key: FlowHashKey = DEFAULT_FLOW_HASH_KEY): number {
  consistentify(keys);
  const n = hashLength(keys.addrType);
  const h = Number(siphash24(keys.bytes.subarray(HASH_OFFSET, HASH_OFFSET + n), key[0], key[1]) & 0xffffffffn);
  return h === 0 ? 1 : h;
}

/** skb_get_hash's computation (__skb_get_hash_net): the hash and whether it is an L4 hash. */
export function skbFlowHash(skb: Skb, key: FlowHashKey = DEFAULT_FLOW_HASH_KEY): { hash: number; l4: boolean } {
  const keys = dissectFlowKeys(skb);
  return { hash: flowHashFromKeys(keys, key), l4: keys.hasL4 };
}
