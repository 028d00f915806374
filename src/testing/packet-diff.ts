/**
 * @fileoverview Where two frames differ, in a test author's terms: field by field as the
 * dissector (src/packet/dissect.ts) names them ("IPv4 ttl: expected 63, got 64 (offset 22)"), and
 * byte by byte for what no field explains (payload, options the dissector does not name, bytes
 * past the shorter frame).
 *
 * Field offsets come from the dissector itself, so header layouts stay written down once: a
 * differing byte belongs to a field when putting the expected byte into the received frame alone
 * changes that field's dissected value. Only differing bytes are probed (at most PROBE_LIMIT), so a
 * diff costs one dissection per differing byte and nothing when the frames are equal.
 */
import { dissect, type DissectedLayer, type Dissection, type FieldValue } from '../packet/dissect.js';

/** One difference between an expected and a received frame. */
export interface PacketDifference {
  kind: 'field' | 'bytes' | 'length' | 'layers';
  /** First byte of the difference (for a field: its first differing byte), when there is one. */
  offset?: number;
  /** Wireshark field name (kind 'field'). */
  field?: string;
  expected?: FieldValue | string | number;
  received?: FieldValue | string | number;
  /** The line the matcher prints. */
  text: string;
}

/** Differing bytes probed for the fields they belong to; the rest are reported as bytes. */
export const PROBE_LIMIT = 512;
/** Bytes shown per byte range. */
const SHOW_BYTES = 16;

const LAYER_LABELS: Record<string, string> = {
  eth: 'Ethernet',
  vlan: '802.1Q',
  ieee8021ad: '802.1ad',
  arp: 'ARP',
  ip: 'IPv4',
  ipv6: 'IPv6',
  'ipv6.hopopts': 'IPv6 hop-by-hop',
  'ipv6.routing': 'IPv6 routing',
  'ipv6.fraghdr': 'IPv6 fragment',
  'ipv6.dstopts': 'IPv6 destination options',
  tcp: 'TCP',
  udp: 'UDP',
  icmp: 'ICMP',
  icmpv6: 'ICMPv6',
  gre: 'GRE',
  gue: 'GUE',
  vxlan: 'VXLAN',
  geneve: 'Geneve',
  data: 'payload',
};

const labelOf = (name: string): string => LAYER_LABELS[name] ?? name;

/** "IPv4", or "IPv4#2" for the second IPv4 header of the frame (tunnels, ICMP quotes). */
function layerLabels(d: Dissection): string[] {
  const seen = new Map<string, number>();
  return d.layers.map((l) => {
    const n = (seen.get(l.name) ?? 0) + 1;
    seen.set(l.name, n);
    return n === 1 ? labelOf(l.name) : `${labelOf(l.name)}#${n}`;
  });
}

/** "ttl" for ip.ttl in the ip layer; a field named after another layer keeps its whole name. */
function shortField(layer: string, name: string): string {
  return name.startsWith(`${layer}.`) ? name.slice(layer.length + 1) : name;
}

const hexByte = (b: number): string => b.toString(16).padStart(2, '0');
function hexRun(b: Uint8Array, from: number, to: number): string {
  const shown = Array.from(b.subarray(from, Math.min(to, from + SHOW_BYTES)), hexByte).join(' ');
  return to - from > SHOW_BYTES ? `${shown} …` : shown;
}
const show = (v: FieldValue | undefined): string => (v === undefined ? '(absent)' : String(v));

/** The innermost layer of `d` whose header (or payload) holds byte `off`. */
function layerAt(d: Dissection, labels: string[], off: number): string | undefined {
  let at: string | undefined;
  d.layers.forEach((l, i) => {
    if (off >= l.offset && off < l.offset + l.length) at = l.name === 'data' ? labels[i] : `${labels[i]} header`;
  });
  return at;
}

/** Differences between `received` and `expected`, in frame order; empty when the bytes are equal. */
export function diffPackets(received: Uint8Array, expected: Uint8Array): PacketDifference[] {
  const common = Math.min(received.length, expected.length);
  const differing: number[] = [];
  for (let i = 0; i < common; i++) if (received[i] !== expected[i]) differing.push(i);
  if (differing.length === 0 && received.length === expected.length) return [];

  const de = dissect(expected);
  const dr = dissect(received);
  const labels = layerLabels(de);
  const out: PacketDifference[] = [];

  // Layers are compared while both frames have the same layer at the same place.
  let same = 0;
  while (same < de.layers.length && same < dr.layers.length && de.layers[same].name === dr.layers[same].name && de.layers[same].offset === dr.layers[same].offset) same++;
  const structure = (d: Dissection): string => d.layers.map((l) => labelOf(l.name)).join(' / ') + (d.truncated ? ` (${d.truncated} truncated)` : '');
  if (same < Math.max(de.layers.length, dr.layers.length) || de.truncated !== dr.truncated) {
    const e = structure(de);
    const r = structure(dr);
    if (e !== r) out.push({ kind: 'layers', offset: (de.layers[same] ?? dr.layers[same])?.offset, expected: e, received: r, text: `layers: expected ${e}, got ${r}` });
  }

  // Which fields of the common layers each probed byte changes (keys `${layerIndex} ${field}`).
  const probed = differing.slice(0, PROBE_LIMIT);
  const changes = new Map<number, string[]>();
  const firstByte = new Map<string, number>();
  const patched = received.slice();
  for (const off of probed) {
    patched[off] = expected[off];
    const dp = dissect(patched);
    patched[off] = received[off];
    const keys: string[] = [];
    for (let li = 0; li < same; li++) {
      const pl = dp.layers[li];
      const rl = dr.layers[li];
      if (pl === undefined || pl.name !== rl.name) continue;
      for (const name of new Set([...Object.keys(rl.fields), ...Object.keys(pl.fields)])) {
        if (pl.fields[name] === rl.fields[name]) continue;
        const key = `${li} ${name}`;
        keys.push(key);
        if (!firstByte.has(key)) firstByte.set(key, off);
      }
    }
    changes.set(off, keys);
  }

  const differingFields = new Set<string>();
  for (let li = 0; li < same; li++) {
    const el: DissectedLayer = de.layers[li];
    const rl: DissectedLayer = dr.layers[li];
    for (const name of new Set([...Object.keys(el.fields), ...Object.keys(rl.fields)])) {
      const e = el.fields[name];
      const r = rl.fields[name];
      if (e === r) continue;
      const key = `${li} ${name}`;
      differingFields.add(key);
      // A field changed from outside its own layer (a length, a checksum status) gets no offset.
      const first = firstByte.get(key);
      const offset = first !== undefined && first >= el.offset && first < el.offset + el.length ? first : undefined;
      const where = offset === undefined ? '' : ` (offset ${offset})`;
      out.push({ kind: 'field', offset: offset ?? el.offset, field: name, expected: e, received: r, text: `${labels[li]} ${shortField(el.name, name)}: expected ${show(e)}, got ${show(r)}${where}` });
    }
  }
  // A differing byte is explained when it changes a field reported above.
  const explained = new Set(probed.filter((off) => changes.get(off)?.some((k) => differingFields.has(k))));

  // Bytes no field explains, as runs of consecutive differing bytes.
  const rest = differing.filter((o) => !explained.has(o));
  for (let i = 0; i < rest.length; ) {
    let j = i;
    const from = rest[i];
    const at = layerAt(de, labels, from);
    // a run stops at a gap and where the expected frame's next layer starts
    while (j + 1 < rest.length && rest[j + 1] === rest[j] + 1 && layerAt(de, labels, rest[j + 1]) === at) j++;
    const to = rest[j] + 1;
    const place = to - from === 1 ? `byte ${from}` : `bytes ${from}-${to - 1}`;
    const text =
      to - from === 1
        ? `${place}${at ? ` (${at})` : ''}: expected 0x${hexByte(expected[from])}, got 0x${hexByte(received[from])}`
        : `${place}${at ? ` (${at})` : ''}: expected ${hexRun(expected, from, to)}, got ${hexRun(received, from, to)}`;
    out.push({ kind: 'bytes', offset: from, expected: hexRun(expected, from, to), received: hexRun(received, from, to), text });
    i = j + 1;
  }

  if (received.length !== expected.length) {
    const longer = received.length > expected.length ? received : expected;
    const tail = hexRun(longer, common, longer.length);
    const extra = received.length > expected.length ? `bytes ${common}-${longer.length - 1} only in the received frame: ${tail}` : `bytes ${common}-${longer.length - 1} missing from the received frame: ${tail}`;
    out.push({ kind: 'length', offset: common, expected: expected.length, received: received.length, text: `length: expected ${expected.length} bytes, got ${received.length}; ${extra}` });
  }
  return out.sort((a, b) => (a.offset ?? 0) - (b.offset ?? 0));
}
