/**
 * @fileoverview Packet builders for tests: a frame is a list of layers, outermost first,
 *
 *   buildPacket(eth({ dst: '02:00:00:00:00:01' }), ipv4({ src: '10.0.0.1', dst: '10.0.0.2' }),
 *               tcp({ sport: 1234, dport: 80, flags: 'S', options: [{ mss: 1460 }] }), payload('hi'))
 *
 * Fields left out are derived from the neighbours: an EtherType / IP protocol / next header /
 * GRE protocol / UDP destination port from the layer that follows, lengths from what follows,
 * and every checksum (IPv4 header, TCP, UDP, ICMP, ICMPv6 with their pseudo-headers, GRE when
 * asked for) computed over the bytes as built. Give a field explicitly to build a wrong packet.
 *
 * Layers: eth, vlan (802.1Q / 802.1ad), arp, ipv4 (options, fragment fields), ipv6 (extension
 * headers: hop-by-hop, routing, fragment, destination options), tcp (flags, options), udp,
 * icmp, icmpv6, gre, gue, vxlan, geneve, payload. IPIP / IPv6-in-IPv4 / 4in6: an IP layer after an
 * IP layer. VXLAN / Geneve / GUE: after a udp layer (ports 4789 / 6081 / 6080 by default).
 */
import { PacketError } from '../../vm/errors.js';
import { ETH_P, IPPROTO } from '../uapi.js';
import { fold, pseudoSum, sum16 } from './checksum.js';

export type Bytes = Uint8Array | number[];
/** A MAC as 'aa:bb:cc:dd:ee:ff' or 6 bytes. */
export type Mac = string | Bytes;
/** An address as text ('10.0.0.1', '2001:db8::1') or bytes. */
export type Addr = string | Bytes;

export interface EthLayer {
  kind: 'eth';
  dst?: Mac;
  src?: Mac;
  type?: number;
}
export interface VlanLayer {
  kind: 'vlan';
  vid: number;
  pcp?: number;
  dei?: boolean;
  /** Tag protocol of this tag, written in the previous layer's type field (default 0x8100; 0x88a8 for 802.1ad). */
  tpid?: number;
  type?: number;
}
export interface ArpLayer {
  kind: 'arp';
  /** 1 request, 2 reply. */
  op?: number;
  sha?: Mac;
  spa?: Addr;
  tha?: Mac;
  tpa?: Addr;
}
export interface Ipv4Layer {
  kind: 'ipv4';
  src: Addr;
  dst: Addr;
  tos?: number;
  id?: number;
  ttl?: number;
  proto?: number;
  /** Don't fragment / more fragments / the reserved (evil) bit. */
  df?: boolean;
  mf?: boolean;
  rf?: boolean;
  /** Fragment offset in bytes (a multiple of 8). */
  fragOffset?: number;
  /** Options, raw (padded with EOL to a multiple of 4). */
  options?: Bytes;
  /** Total length override. */
  totalLength?: number;
  /** Header checksum override. */
  checksum?: number;
}
export type Ipv6Ext =
  | { type: 'hop-by-hop' | 'destination'; options?: Bytes }
  | { type: 'routing'; routingType?: number; segmentsLeft?: number; addresses?: Addr[]; data?: Bytes }
  | { type: 'fragment'; offset?: number; more?: boolean; id?: number };
export interface Ipv6Layer {
  kind: 'ipv6';
  src: Addr;
  dst: Addr;
  trafficClass?: number;
  flowLabel?: number;
  hopLimit?: number;
  /** Next header after the last extension header. */
  nextHeader?: number;
  ext?: Ipv6Ext[];
  payloadLength?: number;
}
export type TcpOption =
  | { mss: number }
  | { wscale: number }
  | { sackPermitted: true }
  | { sack: [number, number][] }
  | { timestamp: [number, number] }
  | 'nop'
  | 'eol'
  | { kind: number; data?: Bytes };
export interface TcpLayer {
  kind: 'tcp';
  sport: number;
  dport: number;
  seq?: number;
  ack?: number;
  /** Flags as letters (F S R P A U E C, e.g. 'SA') or a number. */
  flags?: string | number;
  window?: number;
  urgent?: number;
  options?: TcpOption[];
  checksum?: number;
}
export interface UdpLayer {
  kind: 'udp';
  sport: number;
  dport?: number;
  length?: number;
  /** A number overrides; false leaves it zero (allowed over IPv4). */
  checksum?: number | false;
}
export interface IcmpLayer {
  kind: 'icmp';
  /** Default 8 (echo request). */
  type?: number;
  code?: number;
  id?: number;
  seq?: number;
  /** The 4 bytes after the checksum for types other than echo (overrides id/seq). */
  rest?: Bytes;
  checksum?: number;
}
export interface Icmpv6Layer {
  kind: 'icmpv6';
  /** Default 128 (echo request). */
  type?: number;
  code?: number;
  id?: number;
  seq?: number;
  rest?: Bytes;
  checksum?: number;
}
export interface GreLayer {
  kind: 'gre';
  protocol?: number;
  /** Present the checksum field (computed). */
  checksum?: boolean;
  key?: number;
  seq?: number;
}
export interface GueLayer {
  kind: 'gue';
  /** IP protocol of the payload (derived from the next layer). */
  proto?: number;
  flags?: number;
  /** Extension fields (a multiple of 4 bytes). */
  ext?: Bytes;
}
export interface VxlanLayer {
  kind: 'vxlan';
  vni: number;
}
export interface GeneveLayer {
  kind: 'geneve';
  vni: number;
  protocol?: number;
  /** Options, raw (a multiple of 4 bytes). */
  options?: Bytes;
  oam?: boolean;
  critical?: boolean;
}
export interface PayloadLayer {
  kind: 'payload';
  data: Uint8Array;
}
export type Layer =
  | EthLayer
  | VlanLayer
  | ArpLayer
  | Ipv4Layer
  | Ipv6Layer
  | TcpLayer
  | UdpLayer
  | IcmpLayer
  | Icmpv6Layer
  | GreLayer
  | GueLayer
  | VxlanLayer
  | GeneveLayer
  | PayloadLayer;

export const eth = (o: Omit<EthLayer, 'kind'> = {}): EthLayer => ({ kind: 'eth', ...o });
export const vlan = (o: Omit<VlanLayer, 'kind'>): VlanLayer => ({ kind: 'vlan', ...o });
export const arp = (o: Omit<ArpLayer, 'kind'> = {}): ArpLayer => ({ kind: 'arp', ...o });
export const ipv4 = (o: Omit<Ipv4Layer, 'kind'>): Ipv4Layer => ({ kind: 'ipv4', ...o });
export const ipv6 = (o: Omit<Ipv6Layer, 'kind'>): Ipv6Layer => ({ kind: 'ipv6', ...o });
export const tcp = (o: Omit<TcpLayer, 'kind'>): TcpLayer => ({ kind: 'tcp', ...o });
export const udp = (o: Omit<UdpLayer, 'kind'>): UdpLayer => ({ kind: 'udp', ...o });
export const icmp = (o: Omit<IcmpLayer, 'kind'> = {}): IcmpLayer => ({ kind: 'icmp', ...o });
export const icmpv6 = (o: Omit<Icmpv6Layer, 'kind'> = {}): Icmpv6Layer => ({ kind: 'icmpv6', ...o });
export const gre = (o: Omit<GreLayer, 'kind'> = {}): GreLayer => ({ kind: 'gre', ...o });
export const gue = (o: Omit<GueLayer, 'kind'> = {}): GueLayer => ({ kind: 'gue', ...o });
export const vxlan = (o: Omit<VxlanLayer, 'kind'>): VxlanLayer => ({ kind: 'vxlan', ...o });
export const geneve = (o: Omit<GeneveLayer, 'kind'>): GeneveLayer => ({ kind: 'geneve', ...o });
/** Raw bytes (a string is taken as UTF-8). */
export const payload = (d: Bytes | string): PayloadLayer => ({ kind: 'payload', data: typeof d === 'string' ? new TextEncoder().encode(d) : Uint8Array.from(d) });

/** Well-known UDP ports the builders fill in (IANA). */
export const UDP_PORT = { VXLAN: 4789, GENEVE: 6081, GUE: 6080 } as const;

// ---- addresses --------------------------------------------------------------------------------

export function parseMac(m: Mac): Uint8Array {
  if (typeof m !== 'string') {
    if (m.length !== 6) throw new PacketError(`MAC of ${m.length} bytes`);
    return Uint8Array.from(m);
  }
  const p = m.split(/[:-]/);
  if (p.length !== 6 || p.some((x) => !/^[0-9a-fA-F]{1,2}$/.test(x))) throw new PacketError(`bad MAC address ${JSON.stringify(m)}`);
  return Uint8Array.from(p.map((x) => parseInt(x, 16)));
}

function parseV4(s: string): Uint8Array | undefined {
  const p = s.split('.');
  if (p.length !== 4 || p.some((x) => !/^\d{1,3}$/.test(x) || Number(x) > 255)) return undefined;
  return Uint8Array.from(p.map(Number));
}

function parseV6(s: string): Uint8Array | undefined {
  let text = s;
  const tail: number[] = [];
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4) {
    const b = parseV4(v4[1]);
    if (!b) return undefined;
    tail.push((b[0] << 8) | b[1], (b[2] << 8) | b[3]);
    text = text.slice(0, -v4[1].length) + (text.endsWith('::' + v4[1]) ? '' : '0');
    if (text.endsWith(':0')) text = text.slice(0, -2);
  }
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const words = (h: string): number[] | undefined => {
    if (h === '') return [];
    const out = h.split(':').map((w) => (/^[0-9a-fA-F]{1,4}$/.test(w) ? parseInt(w, 16) : NaN));
    return out.some(Number.isNaN) ? undefined : out;
  };
  const a = words(halves[0]);
  const b = halves.length === 2 ? words(halves[1]) : [];
  if (!a || !b) return undefined;
  const have = a.length + b.length + tail.length;
  if (halves.length === 1 ? have !== 8 : have > 7) return undefined;
  const all = [...a, ...new Array<number>(8 - have).fill(0), ...b, ...tail];
  const out = new Uint8Array(16);
  all.forEach((w, i) => {
    out[2 * i] = w >> 8;
    out[2 * i + 1] = w & 0xff;
  });
  return out;
}

/** IPv4 or IPv6 address text (or bytes) to bytes. */
export function parseAddr(a: Addr, want?: 4 | 16): Uint8Array {
  let b: Uint8Array | undefined;
  if (typeof a !== 'string') b = Uint8Array.from(a);
  else b = a.includes(':') ? parseV6(a) : parseV4(a);
  if (!b || (b.length !== 4 && b.length !== 16)) throw new PacketError(`bad IP address ${JSON.stringify(a)}`);
  if (want && b.length !== want) throw new PacketError(`${JSON.stringify(typeof a === 'string' ? a : [...a])}: expected an IPv${want === 4 ? 4 : 6} address`);
  return b;
}

// ---- encoding ---------------------------------------------------------------------------------

function cat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

function u16(v: number, what: string): number {
  if (!Number.isInteger(v) || v < 0 || v > 0xffff) throw new PacketError(`${what} ${v} is not a 16-bit value`);
  return v;
}

function put16(b: Uint8Array, at: number, v: number): void {
  b[at] = (v >> 8) & 0xff;
  b[at + 1] = v & 0xff;
}

function put32(b: Uint8Array, at: number, v: number): void {
  new DataView(b.buffer, b.byteOffset).setUint32(at, v >>> 0, false);
}

/** The EtherType that announces `l`. */
function etherTypeOf(l: Layer | undefined): number | undefined {
  switch (l?.kind) {
    case 'vlan':
      return l.tpid ?? ETH_P.ETH_P_8021Q;
    case 'arp':
      return ETH_P.ETH_P_ARP;
    case 'ipv4':
      return ETH_P.ETH_P_IP;
    case 'ipv6':
      return ETH_P.ETH_P_IPV6;
    case 'eth':
      return ETH_P.ETH_P_TEB;
    default:
      return undefined;
  }
}

/** The IP protocol number that announces `l`. */
function ipProtoOf(l: Layer | undefined): number | undefined {
  switch (l?.kind) {
    case 'tcp':
      return IPPROTO.IPPROTO_TCP;
    case 'udp':
      return IPPROTO.IPPROTO_UDP;
    case 'icmp':
      return IPPROTO.IPPROTO_ICMP;
    case 'icmpv6':
      return IPPROTO.IPPROTO_ICMPV6;
    case 'gre':
      return IPPROTO.IPPROTO_GRE;
    case 'ipv4':
      return IPPROTO.IPPROTO_IPIP;
    case 'ipv6':
      return IPPROTO.IPPROTO_IPV6;
    case undefined:
      return IPPROTO.IPPROTO_NONE;
    default:
      return undefined;
  }
}

function need<T>(v: T | undefined, what: string): T {
  if (v === undefined) throw new PacketError(`${what}: cannot be derived from the next layer; give it explicitly`);
  return v;
}

/** The IP layer enclosing layer i (for pseudo-headers). */
function enclosingIp(layers: Layer[], i: number): Ipv4Layer | Ipv6Layer | undefined {
  for (let j = i - 1; j >= 0; j--) {
    const l = layers[j];
    if (l.kind === 'ipv4' || l.kind === 'ipv6') return l;
  }
  return undefined;
}

/** The destination the upper layer's pseudo-header uses (RFC 8200 8.1: the final one). */
function finalDst(ip: Ipv4Layer | Ipv6Layer): Uint8Array {
  if (ip.kind === 'ipv4') return parseAddr(ip.dst, 4);
  for (const e of ip.ext ?? []) {
    if (e.type === 'routing' && e.addresses?.length && (e.segmentsLeft ?? e.addresses.length) > 0) {
      // type 4 (segment routing) lists the final segment first; types 0/2 last
      return parseAddr((e.routingType ?? 0) === 4 ? e.addresses[0] : e.addresses[e.addresses.length - 1], 16);
    }
  }
  return parseAddr(ip.dst, 16);
}

/** Sum of the pseudo-header of layer i's enclosing IP layer (0 when there is none). */
function pseudo(layers: Layer[], i: number, proto: number, len: number): number {
  const ip = enclosingIp(layers, i);
  if (!ip) throw new PacketError(`${layers[i].kind} needs an enclosing IP layer for its checksum (or give checksum)`);
  return pseudoSum(parseAddr(ip.src, ip.kind === 'ipv4' ? 4 : 16), finalDst(ip), proto, len);
}

function tcpFlags(f: string | number | undefined): number {
  if (f === undefined) return 0x02;
  if (typeof f === 'number') return f & 0xfff;
  const bits: Record<string, number> = { F: 0x01, S: 0x02, R: 0x04, P: 0x08, A: 0x10, U: 0x20, E: 0x40, C: 0x80, N: 0x100 };
  let v = 0;
  for (const ch of f.toUpperCase()) {
    if (bits[ch] === undefined) throw new PacketError(`tcp flags: unknown flag ${JSON.stringify(ch)} (F S R P A U E C N)`);
    v |= bits[ch];
  }
  return v;
}

function tcpOptions(opts: TcpOption[]): Uint8Array {
  const parts: number[] = [];
  for (const o of opts) {
    if (o === 'nop') parts.push(1);
    else if (o === 'eol') parts.push(0);
    else if ('mss' in o) parts.push(2, 4, (o.mss >> 8) & 0xff, o.mss & 0xff);
    else if ('wscale' in o) parts.push(3, 3, o.wscale & 0xff);
    else if ('sackPermitted' in o) parts.push(4, 2);
    else if ('sack' in o) {
      parts.push(5, 2 + 8 * o.sack.length);
      for (const [l, r] of o.sack) for (const v of [l, r]) parts.push((v >>> 24) & 0xff, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff);
    } else if ('timestamp' in o) {
      parts.push(8, 10);
      for (const v of o.timestamp) parts.push((v >>> 24) & 0xff, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff);
    } else {
      const d = o.data ?? [];
      parts.push(o.kind, 2 + d.length, ...d);
    }
  }
  while (parts.length % 4) parts.push(0);
  if (parts.length > 40) throw new PacketError(`tcp options of ${parts.length} bytes (at most 40)`);
  return Uint8Array.from(parts);
}

/** Pad1/PadN an options area of a hop-by-hop or destination header to 8n - 2 bytes. */
function padOptions(opts: Uint8Array): Uint8Array {
  const pad = (8 - ((opts.length + 2) % 8)) % 8;
  if (pad === 0) return opts;
  if (pad === 1) return cat(opts, Uint8Array.of(0));
  return cat(opts, Uint8Array.of(1, pad - 2), new Uint8Array(pad - 2));
}

function ipv6Ext(e: Ipv6Ext, next: number): { proto: number; bytes: Uint8Array } {
  switch (e.type) {
    case 'hop-by-hop':
    case 'destination': {
      const body = padOptions(Uint8Array.from(e.options ?? []));
      const b = cat(Uint8Array.of(next, (body.length + 2) / 8 - 1), body);
      return { proto: e.type === 'hop-by-hop' ? IPPROTO.IPPROTO_HOPOPTS : IPPROTO.IPPROTO_DSTOPTS, bytes: b };
    }
    case 'routing': {
      const addrs = (e.addresses ?? []).map((a) => parseAddr(a, 16));
      // type 4 (SRH) carries Last Entry, Flags, Tag in the 4 bytes types 0/2 keep reserved
      const typeData = (e.routingType ?? 0) === 4 ? Uint8Array.of(Math.max(0, addrs.length - 1), 0, 0, 0) : new Uint8Array(4);
      const body = cat(typeData, ...addrs, Uint8Array.from(e.data ?? []));
      if ((body.length + 4) % 8) throw new PacketError('ipv6 routing header: data must make the header a multiple of 8 bytes');
      const b = cat(Uint8Array.of(next, (body.length + 4) / 8 - 1, e.routingType ?? 0, e.segmentsLeft ?? addrs.length), body);
      return { proto: IPPROTO.IPPROTO_ROUTING, bytes: b };
    }
    case 'fragment': {
      const off = e.offset ?? 0;
      if (off % 8) throw new PacketError(`ipv6 fragment offset ${off} is not a multiple of 8`);
      const b = new Uint8Array(8);
      b[0] = next;
      put16(b, 2, (off & 0xfff8) | (e.more ? 1 : 0));
      put32(b, 4, e.id ?? 0);
      return { proto: IPPROTO.IPPROTO_FRAGMENT, bytes: b };
    }
  }
}

function encode(layers: Layer[], i: number, inner: Uint8Array): Uint8Array {
  const l = layers[i];
  const next = layers[i + 1];
  switch (l.kind) {
    case 'payload':
      return cat(l.data, inner);
    case 'eth': {
      const h = new Uint8Array(14);
      h.set(parseMac(l.dst ?? 'ff:ff:ff:ff:ff:ff'), 0);
      h.set(parseMac(l.src ?? '02:00:00:00:00:01'), 6);
      put16(h, 12, u16(l.type ?? need(etherTypeOf(next), 'eth type'), 'eth type'));
      return cat(h, inner);
    }
    case 'vlan': {
      if (!Number.isInteger(l.vid) || l.vid < 0 || l.vid > 0xfff) throw new PacketError(`vlan id ${l.vid} is not 0..4095`);
      const h = new Uint8Array(4);
      put16(h, 0, ((l.pcp ?? 0) & 7) << 13 | (l.dei ? 0x1000 : 0) | l.vid);
      put16(h, 2, u16(l.type ?? need(etherTypeOf(next), 'vlan type'), 'vlan type'));
      return cat(h, inner);
    }
    case 'arp': {
      const h = new Uint8Array(28);
      put16(h, 0, 1); // ARPHRD_ETHER
      put16(h, 2, ETH_P.ETH_P_IP);
      h[4] = 6;
      h[5] = 4;
      put16(h, 6, l.op ?? 1);
      h.set(parseMac(l.sha ?? '02:00:00:00:00:01'), 8);
      h.set(parseAddr(l.spa ?? '0.0.0.0', 4), 14);
      h.set(parseMac(l.tha ?? '00:00:00:00:00:00'), 18);
      h.set(parseAddr(l.tpa ?? '0.0.0.0', 4), 24);
      return cat(h, inner);
    }
    case 'ipv4': {
      const opts = Uint8Array.from(l.options ?? []);
      const optLen = (opts.length + 3) & ~3;
      if (optLen > 40) throw new PacketError(`ipv4 options of ${opts.length} bytes (at most 40)`);
      const h = new Uint8Array(20 + optLen);
      h[0] = 0x40 | (h.length / 4);
      h[1] = l.tos ?? 0;
      put16(h, 2, u16(l.totalLength ?? h.length + inner.length, 'ipv4 total length'));
      put16(h, 4, l.id ?? 1);
      const off = l.fragOffset ?? 0;
      if (off % 8 || off > 0xfff8) throw new PacketError(`ipv4 fragment offset ${off} is not a multiple of 8 below 65536`);
      put16(h, 6, (l.rf ? 0x8000 : 0) | (l.df ? 0x4000 : 0) | (l.mf ? 0x2000 : 0) | (off / 8));
      h[8] = l.ttl ?? 64;
      h[9] = l.proto ?? need(ipProtoOf(next), 'ipv4 proto');
      h.set(parseAddr(l.src, 4), 12);
      h.set(parseAddr(l.dst, 4), 16);
      h.set(opts, 20);
      put16(h, 10, l.checksum ?? fold(sum16(h)));
      return cat(h, inner);
    }
    case 'ipv6': {
      let proto = l.nextHeader ?? need(ipProtoOf(next), 'ipv6 next header');
      const exts: Uint8Array[] = [];
      for (const e of [...(l.ext ?? [])].reverse()) {
        const r = ipv6Ext(e, proto);
        proto = r.proto;
        exts.unshift(r.bytes);
      }
      const extBytes = cat(...exts);
      const h = new Uint8Array(40);
      put32(h, 0, (6 << 28) | (((l.trafficClass ?? 0) & 0xff) << 20) | ((l.flowLabel ?? 0) & 0xfffff));
      put16(h, 4, u16(l.payloadLength ?? extBytes.length + inner.length, 'ipv6 payload length'));
      h[6] = proto;
      h[7] = l.hopLimit ?? 64;
      h.set(parseAddr(l.src, 16), 8);
      h.set(parseAddr(l.dst, 16), 24);
      return cat(h, extBytes, inner);
    }
    case 'tcp': {
      const opts = tcpOptions(l.options ?? []);
      const h = new Uint8Array(20 + opts.length);
      put16(h, 0, u16(l.sport, 'tcp sport'));
      put16(h, 2, u16(l.dport, 'tcp dport'));
      put32(h, 4, l.seq ?? 0);
      put32(h, 8, l.ack ?? 0);
      const flags = tcpFlags(l.flags);
      put16(h, 12, ((h.length / 4) << 12) | flags);
      put16(h, 14, l.window ?? 65535);
      put16(h, 18, l.urgent ?? 0);
      h.set(opts, 20);
      const seg = cat(h, inner);
      put16(seg, 16, l.checksum ?? fold(sum16(seg, pseudo(layers, i, IPPROTO.IPPROTO_TCP, seg.length))));
      return seg;
    }
    case 'udp': {
      const h = new Uint8Array(8);
      const dport = l.dport ?? need(next?.kind === 'vxlan' ? UDP_PORT.VXLAN : next?.kind === 'geneve' ? UDP_PORT.GENEVE : next?.kind === 'gue' ? UDP_PORT.GUE : undefined, 'udp dport');
      put16(h, 0, u16(l.sport, 'udp sport'));
      put16(h, 2, u16(dport, 'udp dport'));
      put16(h, 4, u16(l.length ?? 8 + inner.length, 'udp length'));
      const seg = cat(h, inner);
      if (typeof l.checksum === 'number') put16(seg, 6, l.checksum);
      else if (l.checksum !== false) {
        // RFC 768: a computed 0 is sent as all ones (0 means "no checksum")
        const c = fold(sum16(seg, pseudo(layers, i, IPPROTO.IPPROTO_UDP, seg.length)));
        put16(seg, 6, c === 0 ? 0xffff : c);
      }
      return seg;
    }
    case 'icmp':
    case 'icmpv6': {
      const h = new Uint8Array(8);
      h[0] = l.type ?? (l.kind === 'icmp' ? 8 : 128);
      h[1] = l.code ?? 0;
      if (l.rest) h.set(Uint8Array.from(l.rest).subarray(0, 4), 4);
      else {
        put16(h, 4, l.id ?? 0);
        put16(h, 6, l.seq ?? 0);
      }
      const seg = cat(h, inner);
      const init = l.kind === 'icmpv6' ? pseudo(layers, i, IPPROTO.IPPROTO_ICMPV6, seg.length) : 0;
      put16(seg, 2, l.checksum ?? fold(sum16(seg, init)));
      return seg;
    }
    case 'gre': {
      const len = 4 + (l.checksum ? 4 : 0) + (l.key !== undefined ? 4 : 0) + (l.seq !== undefined ? 4 : 0);
      const h = new Uint8Array(len);
      put16(h, 0, (l.checksum ? 0x8000 : 0) | (l.key !== undefined ? 0x2000 : 0) | (l.seq !== undefined ? 0x1000 : 0));
      put16(h, 2, u16(l.protocol ?? need(etherTypeOf(next), 'gre protocol'), 'gre protocol'));
      let o = 4 + (l.checksum ? 4 : 0);
      if (l.key !== undefined) {
        put32(h, o, l.key);
        o += 4;
      }
      if (l.seq !== undefined) put32(h, o, l.seq);
      const seg = cat(h, inner);
      if (l.checksum) put16(seg, 4, fold(sum16(seg)));
      return seg;
    }
    case 'gue': {
      const ext = Uint8Array.from(l.ext ?? []);
      if (ext.length % 4 || ext.length > 124) throw new PacketError('gue extension fields must be a multiple of 4 bytes, at most 124');
      const h = new Uint8Array(4 + ext.length);
      // version 0, C = 0, Hlen in 32-bit words of the extension fields
      h[0] = ext.length / 4;
      h[1] = l.proto ?? need(ipProtoOf(next), 'gue proto');
      put16(h, 2, l.flags ?? 0);
      h.set(ext, 4);
      return cat(h, inner);
    }
    case 'vxlan': {
      const h = new Uint8Array(8);
      h[0] = 0x08; // I flag: the VNI is valid
      h[4] = (l.vni >> 16) & 0xff;
      h[5] = (l.vni >> 8) & 0xff;
      h[6] = l.vni & 0xff;
      return cat(h, inner);
    }
    case 'geneve': {
      const opts = Uint8Array.from(l.options ?? []);
      if (opts.length % 4 || opts.length > 252) throw new PacketError('geneve options must be a multiple of 4 bytes, at most 252');
      const h = new Uint8Array(8 + opts.length);
      h[0] = opts.length / 4; // version 0
      h[1] = (l.oam ? 0x80 : 0) | (l.critical ? 0x40 : 0);
      put16(h, 2, u16(l.protocol ?? need(etherTypeOf(next), 'geneve protocol'), 'geneve protocol'));
      h[4] = (l.vni >> 16) & 0xff;
      h[5] = (l.vni >> 8) & 0xff;
      h[6] = l.vni & 0xff;
      h.set(opts, 8);
      return cat(h, inner);
    }
  }
}

/** Build a frame (or packet, when the first layer is not eth) from layers, outermost first. */
export function buildPacket(...layers: Layer[]): Uint8Array {
  let inner = new Uint8Array(0);
  for (let i = layers.length - 1; i >= 0; i--) inner = encode(layers, i, inner) as Uint8Array<ArrayBuffer>;
  return inner;
}

/**
 * Split an IPv4 packet (header + payload, as buildPacket makes it without eth) into fragments
 * whose payloads are at most `size` bytes (rounded down to a multiple of 8). As Linux does
 * (ip_options_fragment), later fragments keep the header length and have every option without
 * the copied bit overwritten with NOP.
 */
export function fragmentIpv4(packet: Uint8Array, size: number): Uint8Array[] {
  const ihl = (packet[0] & 0x0f) * 4;
  if (packet.length < 20 || packet[0] >> 4 !== 4 || ihl < 20 || ihl > packet.length) throw new PacketError('fragmentIpv4: not an IPv4 packet');
  const step = size & ~7;
  if (step < 8) throw new PacketError('fragmentIpv4: fragment size below 8');
  const hdr = packet.subarray(0, ihl);
  const body = packet.subarray(ihl);
  const baseOff = (((packet[6] << 8) | packet[7]) & 0x1fff) * 8;
  const baseMf = (packet[6] & 0x20) !== 0;
  const later = Uint8Array.from(hdr);
  for (let p = 20; p < ihl; ) {
    const t = later[p];
    if (t === 0) break;
    if (t === 1) {
      p++;
      continue;
    }
    const len = later[p + 1];
    if (len < 2 || p + len > ihl) break;
    if (!(t & 0x80)) later.fill(1, p, p + len);
    p += len;
  }
  const out: Uint8Array[] = [];
  for (let o = 0; o < body.length || o === 0; o += step) {
    const part = body.subarray(o, o + step);
    const f = cat(o === 0 ? hdr : later, part);
    put16(f, 2, f.length);
    const last = o + step >= body.length;
    put16(f, 6, (packet[6] & 0x40 ? 0x4000 : 0) | (!last || baseMf ? 0x2000 : 0) | ((baseOff + o) / 8));
    put16(f, 10, 0);
    put16(f, 10, fold(sum16(f.subarray(0, ihl))));
    out.push(f);
    if (last) break;
  }
  return out;
}
