/**
 * @fileoverview A dissector for the frames the builders make (and what tc programs turn them
 * into): Ethernet, 802.1Q/802.1ad, ARP, IPv4 (options, fragments), IPv6 and its extension
 * headers, TCP (options), UDP, ICMP, ICMPv6, GRE, GUE, VXLAN, Geneve. Fields are named as
 * Wireshark's display filters name them (`ip.src`, `tcp.flags.syn`, `vxlan.vni`...), so a test can
 * compare with `tshark -T fields -e NAME`. Checksums are verified (`*.checksum.status`:
 * 'good' | 'bad' | 'unverified' (a first fragment) | 'none' (UDP over IPv4 with 0)).
 *
 * Never throws: a header cut short ends the dissection with `truncated` naming the layer.
 */
import { fold, pseudoSum, sum16 } from './checksum.js';
import { ETH_P, IPPROTO } from '../uapi.js';
import { UDP_PORT } from './build.js';

export type FieldValue = string | number | boolean;

export interface DissectedLayer {
  /** Wireshark's protocol name: eth, vlan, arp, ip, ipv6, ipv6.hopopts, ..., tcp, udp, data. */
  name: string;
  offset: number;
  length: number;
  fields: Record<string, FieldValue>;
}

export interface Dissection {
  layers: DissectedLayer[];
  /** The layer whose header was cut short, if any. */
  truncated?: string;
}

export function formatMac(b: Uint8Array): string {
  return [...b].map((x) => x.toString(16).padStart(2, '0')).join(':');
}

/** IPv4 dotted quad or RFC 5952 IPv6 text. */
export function formatAddr(b: Uint8Array): string {
  if (b.length === 4) return [...b].join('.');
  const w: number[] = [];
  for (let i = 0; i < 16; i += 2) w.push((b[i] << 8) | b[i + 1]);
  // the longest run (of 2 or more) of zero words becomes ::
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (w[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && w[j] === 0) j++;
    if (j - i > bestLen) {
      best = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = (xs: number[]): string => xs.map((x) => x.toString(16)).join(':');
  if (best < 0) return hex(w);
  return `${hex(w.slice(0, best))}::${hex(w.slice(best + bestLen))}`;
}

const hex16 = (v: number): string => `0x${v.toString(16).padStart(4, '0')}`;

interface Ctx {
  b: Uint8Array;
  out: Dissection;
  /** The innermost IP header seen: for pseudo-headers. */
  ip?: { src: Uint8Array; dst: Uint8Array; fragment: boolean };
}

function be16(b: Uint8Array, o: number): number {
  return (b[o] << 8) | b[o + 1];
}
function be32(b: Uint8Array, o: number): number {
  return ((b[o] << 24) | (b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3]) >>> 0;
}

function layer(c: Ctx, name: string, offset: number, length: number, fields: Record<string, FieldValue>): DissectedLayer {
  const l = { name, offset, length, fields };
  c.out.layers.push(l);
  return l;
}

function cut(c: Ctx, name: string, o: number, need: number): boolean {
  if (o + need <= c.b.length) return false;
  c.out.truncated = name;
  return true;
}

function data(c: Ctx, o: number, end = c.b.length): void {
  if (o < end) layer(c, 'data', o, end - o, { 'data.len': end - o });
}

function byEtherType(c: Ctx, type: number, o: number, end: number): void {
  switch (type) {
    case ETH_P.ETH_P_8021Q:
    case ETH_P.ETH_P_8021AD:
      return vlanAt(c, o, end, type);
    case ETH_P.ETH_P_ARP:
      return arpAt(c, o, end);
    case ETH_P.ETH_P_IP:
      return ipv4At(c, o, end);
    case ETH_P.ETH_P_IPV6:
      return ipv6At(c, o, end);
    case ETH_P.ETH_P_TEB:
      return ethAt(c, o, end);
    default:
      return data(c, o, end);
  }
}

function ethAt(c: Ctx, o: number, end: number): void {
  if (cut(c, 'eth', o, 14)) return;
  const t = be16(c.b, o + 12);
  layer(c, 'eth', o, 14, { 'eth.dst': formatMac(c.b.subarray(o, o + 6)), 'eth.src': formatMac(c.b.subarray(o + 6, o + 12)), 'eth.type': hex16(t) });
  if (t < 0x0600) return data(c, o + 14, Math.min(end, o + 14 + t));
  byEtherType(c, t, o + 14, end);
}

function vlanAt(c: Ctx, o: number, end: number, tpid: number): void {
  if (cut(c, 'vlan', o, 4)) return;
  const tci = be16(c.b, o);
  const t = be16(c.b, o + 2);
  // Wireshark calls an 802.1ad (S-)tag ieee8021ad, an 802.1Q tag vlan
  const n = tpid === ETH_P.ETH_P_8021AD ? 'ieee8021ad' : 'vlan';
  layer(c, n, o, 4, { [`${n}.tpid`]: hex16(tpid), [`${n}.priority`]: tci >> 13, [`${n}.dei`]: (tci & 0x1000) !== 0, [`${n}.id`]: tci & 0xfff, [`${n}.etype`]: hex16(t) });
  byEtherType(c, t, o + 4, end);
}

function arpAt(c: Ctx, o: number, end: number): void {
  if (cut(c, 'arp', o, 8)) return;
  const hl = c.b[o + 4];
  const pl = c.b[o + 5];
  const len = 8 + 2 * hl + 2 * pl;
  if (cut(c, 'arp', o, len)) return;
  const f: Record<string, FieldValue> = { 'arp.hw.type': be16(c.b, o), 'arp.proto.type': hex16(be16(c.b, o + 2)), 'arp.hw.size': hl, 'arp.proto.size': pl, 'arp.opcode': be16(c.b, o + 6) };
  if (hl === 6 && pl === 4) {
    f['arp.src.hw_mac'] = formatMac(c.b.subarray(o + 8, o + 14));
    f['arp.src.proto_ipv4'] = formatAddr(c.b.subarray(o + 14, o + 18));
    f['arp.dst.hw_mac'] = formatMac(c.b.subarray(o + 18, o + 24));
    f['arp.dst.proto_ipv4'] = formatAddr(c.b.subarray(o + 24, o + 28));
  }
  layer(c, 'arp', o, len, f);
  data(c, o + len, end);
}

function ipv4At(c: Ctx, o: number, end: number): void {
  if (cut(c, 'ip', o, 20)) return;
  const b = c.b;
  const ihl = (b[o] & 0x0f) * 4;
  if (ihl < 20 || cut(c, 'ip', o, ihl)) {
    if (ihl < 20) c.out.truncated = 'ip';
    return;
  }
  const total = be16(b, o + 2);
  const fl = be16(b, o + 6);
  const off = (fl & 0x1fff) * 8;
  const mf = (fl & 0x2000) !== 0;
  const ck = be16(b, o + 10);
  const src = b.slice(o + 12, o + 16);
  const dst = b.slice(o + 16, o + 20);
  const proto = b[o + 9];
  layer(c, 'ip', o, ihl, {
    'ip.version': b[o] >> 4,
    'ip.hdr_len': ihl,
    'ip.dsfield': `0x${b[o + 1].toString(16).padStart(2, '0')}`,
    'ip.len': total,
    'ip.id': hex16(be16(b, o + 4)),
    'ip.flags.rb': (fl & 0x8000) !== 0,
    'ip.flags.df': (fl & 0x4000) !== 0,
    'ip.flags.mf': mf,
    // in 8-byte units, as Wireshark shows it
    'ip.frag_offset': off / 8,
    'ip.ttl': b[o + 8],
    'ip.proto': proto,
    'ip.checksum': hex16(ck),
    'ip.checksum.status': fold(sum16(b.subarray(o, o + ihl))) === 0 ? 'good' : 'bad',
    'ip.src': formatAddr(src),
    'ip.dst': formatAddr(dst),
    ...(ihl > 20 ? { 'ip.options.len': ihl - 20 } : {}),
  });
  const stop = Math.min(end, o + Math.max(total, ihl));
  if (off > 0) return data(c, o + ihl, stop);
  c.ip = { src, dst, fragment: mf };
  byIpProto(c, proto, o + ihl, stop);
}

const EXT_NAMES: Record<number, string> = { [IPPROTO.IPPROTO_HOPOPTS]: 'ipv6.hopopts', [IPPROTO.IPPROTO_ROUTING]: 'ipv6.routing', [IPPROTO.IPPROTO_FRAGMENT]: 'ipv6.fraghdr', [IPPROTO.IPPROTO_DSTOPTS]: 'ipv6.dstopts' };

function ipv6At(c: Ctx, o: number, end: number): void {
  if (cut(c, 'ipv6', o, 40)) return;
  const b = c.b;
  const w = be32(b, o);
  const plen = be16(b, o + 4);
  const src = b.slice(o + 8, o + 24);
  let dst = b.slice(o + 24, o + 40);
  layer(c, 'ipv6', o, 40, {
    'ip.version': w >>> 28,
    'ipv6.version': w >>> 28,
    'ipv6.tclass': `0x${((w >>> 20) & 0xff).toString(16).padStart(8, '0')}`,
    'ipv6.flow': `0x${(w & 0xfffff).toString(16).padStart(6, '0')}`,
    'ipv6.plen': plen,
    'ipv6.nxt': b[o + 6],
    'ipv6.hlim': b[o + 7],
    'ipv6.src': formatAddr(src),
    'ipv6.dst': formatAddr(dst),
  });
  const stop = Math.min(end, o + 40 + plen);
  let nh = b[o + 6];
  let p = o + 40;
  let fragment = false;
  while (EXT_NAMES[nh] !== undefined) {
    const name = EXT_NAMES[nh];
    if (cut(c, name, p, 8)) return;
    const len = nh === IPPROTO.IPPROTO_FRAGMENT ? 8 : (b[p + 1] + 1) * 8;
    if (cut(c, name, p, len)) return;
    const f: Record<string, FieldValue> = { [`${name}.nxt`]: b[p] };
    if (nh === IPPROTO.IPPROTO_FRAGMENT) {
      const fo = be16(b, p + 2);
      // offsets in 8-byte units, as Wireshark shows them
      f['ipv6.fraghdr.offset'] = fo >> 3;
      f['ipv6.fraghdr.more'] = (fo & 1) !== 0;
      f['ipv6.fraghdr.ident'] = `0x${be32(b, p + 4).toString(16).padStart(8, '0')}`;
      layer(c, name, p, len, f);
      if ((fo & 0xfff8) !== 0) return data(c, p + 8, stop);
      fragment = (fo & 1) !== 0;
    } else if (nh === IPPROTO.IPPROTO_ROUTING) {
      const type = b[p + 2];
      const left = b[p + 3];
      f['ipv6.routing.len'] = b[p + 1];
      f['ipv6.routing.type'] = type;
      f['ipv6.routing.segleft'] = left;
      const n = Math.floor((len - 8) / 16);
      // the pseudo-header's destination is the final one (RFC 8200 8.1)
      if (left > 0 && n > 0) dst = type === 4 ? b.slice(p + 8, p + 24) : b.slice(p + 8 + 16 * (n - 1), p + 8 + 16 * n);
      layer(c, name, p, len, f);
    } else {
      f[`${name}.len`] = b[p + 1];
      layer(c, name, p, len, f);
    }
    nh = b[p];
    p += len;
  }
  c.ip = { src, dst, fragment };
  byIpProto(c, nh, p, stop);
}

function byIpProto(c: Ctx, proto: number, o: number, end: number): void {
  switch (proto) {
    case IPPROTO.IPPROTO_TCP:
      return tcpAt(c, o, end);
    case IPPROTO.IPPROTO_UDP:
      return udpAt(c, o, end);
    case IPPROTO.IPPROTO_ICMP:
      return icmpAt(c, o, end, false);
    case IPPROTO.IPPROTO_ICMPV6:
      return icmpAt(c, o, end, true);
    case IPPROTO.IPPROTO_GRE:
      return greAt(c, o, end);
    case IPPROTO.IPPROTO_IPIP:
      return ipv4At(c, o, end);
    case IPPROTO.IPPROTO_IPV6:
      return ipv6At(c, o, end);
    default:
      return data(c, o, end);
  }
}

/** good / bad against the pseudo-header; unverified in a first fragment (the rest is elsewhere). */
function l4Status(c: Ctx, proto: number, o: number, end: number): string {
  if (!c.ip) return 'unverified';
  if (c.ip.fragment) return 'unverified';
  return fold(sum16(c.b.subarray(o, end), pseudoSum(c.ip.src, c.ip.dst, proto, end - o))) === 0 ? 'good' : 'bad';
}

function tcpAt(c: Ctx, o: number, end: number): void {
  if (cut(c, 'tcp', o, 20)) return;
  const b = c.b;
  const hl = (b[o + 12] >> 4) * 4;
  if (hl < 20 || cut(c, 'tcp', o, hl)) {
    if (hl < 20) c.out.truncated = 'tcp';
    return;
  }
  const flags = be16(b, o + 12) & 0x0fff;
  const f: Record<string, FieldValue> = {
    'tcp.srcport': be16(b, o),
    'tcp.dstport': be16(b, o + 2),
    'tcp.seq_raw': be32(b, o + 4),
    'tcp.ack_raw': be32(b, o + 8),
    'tcp.hdr_len': hl,
    'tcp.flags': hex16(flags),
    'tcp.flags.fin': (flags & 0x01) !== 0,
    'tcp.flags.syn': (flags & 0x02) !== 0,
    'tcp.flags.reset': (flags & 0x04) !== 0,
    'tcp.flags.push': (flags & 0x08) !== 0,
    'tcp.flags.ack': (flags & 0x10) !== 0,
    'tcp.flags.urg': (flags & 0x20) !== 0,
    'tcp.flags.ece': (flags & 0x40) !== 0,
    'tcp.flags.cwr': (flags & 0x80) !== 0,
    'tcp.window_size_value': be16(b, o + 14),
    'tcp.checksum': hex16(be16(b, o + 16)),
    'tcp.checksum.status': l4Status(c, IPPROTO.IPPROTO_TCP, o, end),
    'tcp.urgent_pointer': be16(b, o + 18),
  };
  for (let p = o + 20; p < o + hl; ) {
    const kind = b[p];
    if (kind === 0) break;
    if (kind === 1) {
      p++;
      continue;
    }
    const len = b[p + 1];
    if (len < 2 || p + len > o + hl) break;
    if (kind === 2 && len === 4) f['tcp.options.mss_val'] = be16(b, p + 2);
    else if (kind === 3 && len === 3) f['tcp.options.wscale.shift'] = b[p + 2];
    else if (kind === 4) f['tcp.options.sack_perm'] = true;
    else if (kind === 5) f['tcp.options.sack.count'] = Math.floor((len - 2) / 8);
    else if (kind === 8 && len === 10) {
      f['tcp.options.timestamp.tsval'] = be32(b, p + 2);
      f['tcp.options.timestamp.tsecr'] = be32(b, p + 6);
    }
    p += len;
  }
  layer(c, 'tcp', o, hl, f);
  data(c, o + hl, end);
}

function udpAt(c: Ctx, o: number, end: number): void {
  if (cut(c, 'udp', o, 8)) return;
  const b = c.b;
  const len = be16(b, o + 4);
  const ck = be16(b, o + 6);
  const stop = Math.min(end, o + Math.max(len, 8));
  const v4 = c.ip?.src.length === 4;
  const status = ck === 0 && v4 ? 'none' : l4Status(c, IPPROTO.IPPROTO_UDP, o, stop);
  const dport = be16(b, o + 2);
  layer(c, 'udp', o, 8, { 'udp.srcport': be16(b, o), 'udp.dstport': dport, 'udp.length': len, 'udp.checksum': hex16(ck), 'udp.checksum.status': status });
  if (dport === UDP_PORT.VXLAN) return vxlanAt(c, o + 8, stop);
  if (dport === UDP_PORT.GENEVE) return geneveAt(c, o + 8, stop);
  if (dport === UDP_PORT.GUE) return gueAt(c, o + 8, stop);
  data(c, o + 8, stop);
}

function icmpAt(c: Ctx, o: number, end: number, v6: boolean): void {
  const name = v6 ? 'icmpv6' : 'icmp';
  if (cut(c, name, o, 8)) return;
  const b = c.b;
  const type = b[o];
  const status = v6 ? l4Status(c, IPPROTO.IPPROTO_ICMPV6, o, end) : c.ip?.fragment ? 'unverified' : fold(sum16(b.subarray(o, end))) === 0 ? 'good' : 'bad';
  const f: Record<string, FieldValue> = { [`${name}.type`]: type, [`${name}.code`]: b[o + 1], [`${name}.checksum`]: hex16(be16(b, o + 2)), [`${name}.checksum.status`]: status };
  const echo = v6 ? type === 128 || type === 129 : type === 0 || type === 8;
  if (echo && !v6) {
    f['icmp.ident'] = be16(b, o + 4);
    f['icmp.seq'] = be16(b, o + 6);
  } else if (echo) {
    f['icmpv6.echo.identifier'] = hex16(be16(b, o + 4));
    f['icmpv6.echo.sequence_number'] = be16(b, o + 6);
  }
  layer(c, name, o, 8, f);
  // errors quote the offending packet: ICMP destination unreachable, source quench, redirect,
  // time exceeded, parameter problem; ICMPv6 types 1-4
  const quotes = v6 ? type >= 1 && type <= 4 : [3, 4, 5, 11, 12].includes(type);
  if (quotes && o + 8 < end) {
    const saved = c.ip;
    if (v6) ipv6At(c, o + 8, end);
    else ipv4At(c, o + 8, end);
    c.ip = saved;
    return;
  }
  data(c, o + 8, end);
}

function greAt(c: Ctx, o: number, end: number): void {
  if (cut(c, 'gre', o, 4)) return;
  const b = c.b;
  const fl = be16(b, o);
  const len = 4 + (fl & 0x8000 ? 4 : 0) + (fl & 0x2000 ? 4 : 0) + (fl & 0x1000 ? 4 : 0);
  if (cut(c, 'gre', o, len)) return;
  const proto = be16(b, o + 2);
  const f: Record<string, FieldValue> = { 'gre.flags_and_version': hex16(fl), 'gre.proto': hex16(proto) };
  let p = o + 4;
  if (fl & 0x8000) {
    f['gre.checksum'] = hex16(be16(b, p));
    f['gre.checksum.status'] = fold(sum16(b.subarray(o, end))) === 0 ? 'good' : 'bad';
    p += 4;
  }
  if (fl & 0x2000) {
    f['gre.key'] = `0x${be32(b, p).toString(16).padStart(8, '0')}`;
    p += 4;
  }
  if (fl & 0x1000) f['gre.sequence_number'] = be32(b, p);
  layer(c, 'gre', o, len, f);
  byEtherType(c, proto, o + len, end);
}

function vxlanAt(c: Ctx, o: number, end: number): void {
  if (cut(c, 'vxlan', o, 8)) return;
  const b = c.b;
  layer(c, 'vxlan', o, 8, { 'vxlan.flags': `0x${((b[o] << 8) | b[o + 1]).toString(16).padStart(4, '0')}`, 'vxlan.vni': (b[o + 4] << 16) | (b[o + 5] << 8) | b[o + 6] });
  ethAt(c, o + 8, end);
}

function geneveAt(c: Ctx, o: number, end: number): void {
  if (cut(c, 'geneve', o, 8)) return;
  const b = c.b;
  const optLen = (b[o] & 0x3f) * 4;
  if (cut(c, 'geneve', o, 8 + optLen)) return;
  const proto = be16(b, o + 2);
  layer(c, 'geneve', o, 8 + optLen, {
    'geneve.version': b[o] >> 6,
    'geneve.options_len': optLen,
    'geneve.flags.oam': (b[o + 1] & 0x80) !== 0,
    'geneve.flags.critical': (b[o + 1] & 0x40) !== 0,
    'geneve.proto_type': hex16(proto),
    'geneve.vni': `0x${((b[o + 4] << 16) | (b[o + 5] << 8) | b[o + 6]).toString(16).padStart(6, '0')}`,
  });
  byEtherType(c, proto, o + 8 + optLen, end);
}

function gueAt(c: Ctx, o: number, end: number): void {
  if (cut(c, 'gue', o, 1)) return;
  const b = c.b;
  const ver = b[o] >> 6;
  if (ver === 1) {
    // GUE version 1: no header, the payload is IPv4 or IPv6 (draft-ietf-intarea-gue 4.1)
    layer(c, 'gue', o, 0, { 'gue.version': 1 });
    return byIpProto(c, b[o] >> 4 === 4 ? IPPROTO.IPPROTO_IPIP : IPPROTO.IPPROTO_IPV6, o, end);
  }
  if (cut(c, 'gue', o, 4)) return;
  const hlen = 4 + (b[o] & 0x1f) * 4;
  if (cut(c, 'gue', o, hlen)) return;
  const ctl = (b[o] & 0x20) !== 0;
  layer(c, 'gue', o, hlen, { 'gue.version': ver, 'gue.control': ctl, 'gue.hlen': hlen, 'gue.proto': b[o + 1], 'gue.flags': hex16(be16(b, o + 2)) });
  if (ctl) return data(c, o + hlen, end);
  byIpProto(c, b[o + 1], o + hlen, end);
}

/** Dissect an Ethernet frame. */
export function dissect(frame: Uint8Array): Dissection {
  const c: Ctx = { b: frame, out: { layers: [] } };
  ethAt(c, 0, frame.length);
  return c.out;
}

/** One value by Wireshark field name (first layer that has it). */
export function field(d: Dissection, name: string): FieldValue | undefined {
  for (const l of d.layers) if (name in l.fields) return l.fields[name];
  return undefined;
}

/** Readable lines: `eth: eth.dst=... eth.src=...` per layer. */
export function formatDissection(d: Dissection): string {
  const lines = d.layers.map((l) => `${l.name} @${l.offset}+${l.length}: ${Object.entries(l.fields).map(([k, v]) => `${k}=${v}`).join(' ')}`);
  if (d.truncated) lines.push(`(${d.truncated} header truncated)`);
  return lines.join('\n');
}
