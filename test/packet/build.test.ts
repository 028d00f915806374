/**
 * The packet builders make the bytes tshark checked (test/goldens/packet/record.ts), tshark found
 * every checksum right (wrong only where a test asked for it), and the dissector reads the
 * fields tshark reads.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PacketError } from '../../vm/errors.js';
import { buildPacket, dissect, eth, field, fragmentIpv4, inetChecksum, ipv4, ipv6, parseAddr, payload, tcp, udp, formatAddr } from '../../src/packet/index.js';
import { CATALOG } from './catalog.js';

interface GoldenFrame {
  name: string;
  hex: string;
  tshark: Record<string, string>;
}
const golden = JSON.parse(readFileSync(join(__dirname, '..', 'goldens', 'packet', 'catalog.tshark.json'), 'utf8')) as { fields: string[]; frames: GoldenFrame[] };

/** Wireshark's checksum status numbers (proto_checksum_enum_e). */
const STATUS: Record<string, string> = { bad: '0', good: '1', unverified: '2', none: '3' };

/** Our dissection as tshark -T fields -E occurrence=a -E aggregator=, prints it. */
function asTshark(bytes: Uint8Array): Record<string, string> {
  const out: Record<string, string[]> = {};
  for (const l of dissect(bytes).layers) {
    for (const [k, v] of Object.entries(l.fields)) {
      const s = typeof v === 'boolean' ? (v ? '1' : '0') : k.endsWith('.checksum.status') ? STATUS[v as string] : String(v);
      (out[k] ??= []).push(s);
    }
  }
  return Object.fromEntries(Object.entries(out).map(([k, v]) => [k, v.join(',')]));
}

const partial = (name: string): boolean => name.startsWith('ipv4_frag_') || name.startsWith('ipv6_fragment') || name.startsWith('gue_');

/** Frames where tshark legitimately sees something else, and which fields are compared there. */
function compared(name: string, fieldName: string): boolean {
  // tshark gives the option's bytes, we give true
  if (fieldName === 'tcp.options.sack_perm') return false;
  // tshark reassembles fragments (and leaves a lone first fragment undissected): compare L2/L3
  if (name.startsWith('ipv4_frag_') || name === 'ipv6_fragment_first') return /^(eth|ip|ipv6)\./.test(fieldName) && !fieldName.startsWith('ip.version');
  // tshark 4.0 has no GUE dissector: it stops at UDP
  if (name.startsWith('gue_')) return /^(eth|udp)\./.test(fieldName);
  return true;
}

describe('packet builders: the bytes tshark checked', () => {
  it('the catalog and the golden name the same frames', () => {
    expect(golden.frames.map((f) => f.name)).toEqual(Object.keys(CATALOG));
  });
  for (const g of golden.frames) {
    it(`${g.name}: same bytes; tshark found its checksums ${g.name.startsWith('bad_') ? 'wrong where asked' : 'right'}`, () => {
      expect(Buffer.from(CATALOG[g.name]).toString('hex')).toBe(g.hex);
      const statuses = Object.entries(g.tshark).filter(([k]) => k.endsWith('checksum.status'));
      // ARP has no checksum; tshark leaves a lone first fragment undissected
      if (!/^arp_|^ipv6_fragment_first$/.test(g.name)) expect(statuses.length).toBeGreaterThan(0);
      const all = statuses.flatMap(([, v]) => v.split(','));
      if (g.name.startsWith('bad_')) expect(all).toContain('0');
      // 1 good, 3 not present (UDP over IPv4 with checksum 0)
      else for (const s of all) expect(['1', '3']).toContain(s);
    });
  }
});

describe('dissector: the fields tshark reads', () => {
  for (const g of golden.frames) {
    it(g.name, () => {
      const ours = asTshark(CATALOG[g.name]);
      let n = 0;
      for (const [k, v] of Object.entries(g.tshark)) {
        if (k === 'frame.protocols' || !compared(g.name, k)) continue;
        // where tshark sees less (or more) than we do, the outermost occurrence is compared
        const first = (x: string | undefined): string | undefined => (partial(g.name) ? x?.split(',')[0] : x);
        expect({ field: k, value: first(ours[k]) }).toEqual({ field: k, value: first(v) });
        n++;
      }
      expect(n).toBeGreaterThan(5);
      if (!partial(g.name)) {
        // tshark names application protocols (http, dns, dhcpv6) where we stop at data
        const ourNames = dissect(CATALOG[g.name]).layers.map((l) => l.name).filter((p) => p !== 'data');
        const known = new Set([...ourNames, 'data', 'ethertype']);
        const theirs = g.tshark['frame.protocols'].split(':');
        expect(theirs.filter((p) => p !== 'ethertype' && p !== 'data' && known.has(p))).toEqual(ourNames);
        // and every protocol tshark saw that we do not name is an application protocol on top
        const extra = theirs.filter((p) => !known.has(p));
        expect(extra.length <= 1 && (extra.length === 0 || theirs.indexOf(extra[0]) === theirs.length - 1)).toBe(true);
      }
    });
  }
});


describe('builders: derived fields and errors', () => {
  it('IPv4 header checksum verifies to zero; TCP over IPv6 with a routing header uses the final destination', () => {
    const f = buildPacket(eth(), ipv4({ src: '10.0.0.1', dst: '10.0.0.2' }), udp({ sport: 1, dport: 2 }));
    expect(inetChecksum(f.subarray(14, 34))).toBe(0);
    const d = dissect(CATALOG.ipv6_srh_udp);
    expect(field(d, 'udp.checksum.status')).toBe('good');
  });
  it('a computed UDP checksum of 0 is sent as 0xffff', () => {
    // search a source port whose checksum comes out 0
    for (let p = 0; p < 65536; p++) {
      const f = buildPacket(ipv4({ src: '10.0.0.1', dst: '10.0.0.2' }), udp({ sport: p, dport: 2 }));
      if (((f[26] << 8) | f[27]) === 0xffff) {
        expect(inetChecksum(f.subarray(20), 0)).not.toBe(0xffff);
        return;
      }
    }
    throw new Error('no port gives a zero checksum');
  });
  it('fragmentIpv4 splits at multiples of 8, sets MF and offsets, NOPs uncopied options in later fragments', () => {
    const whole = buildPacket(ipv4({ src: '10.0.0.1', dst: '10.0.0.2', proto: 17, options: [0x07, 7, 4, 0, 0, 0, 0, 0x94, 4, 0, 0] }), payload(new Array(50).fill(1)));
    const fr = fragmentIpv4(whole, 20);
    expect(fr.map((f) => (((f[6] << 8) | f[7]) & 0x1fff) * 8)).toEqual([0, 16, 32, 48]);
    expect(fr.map((f) => (f[6] & 0x20) !== 0)).toEqual([true, true, true, false]);
    // record route (0x07, not copied) becomes NOPs; router alert (0x94, copied) stays
    expect([...fr[1].subarray(20, 31)]).toEqual([1, 1, 1, 1, 1, 1, 1, 0x94, 4, 0, 0]);
    for (const f of fr) expect(inetChecksum(f.subarray(0, 32))).toBe(0);
    expect(fr.reduce((s, f) => s + f.length - 32, 0)).toBe(50);
  });
  it('addresses: IPv6 text forms round-trip in RFC 5952 form', () => {
    expect(formatAddr(parseAddr('2001:db8:0:0:1:0:0:1'))).toBe('2001:db8::1:0:0:1');
    expect(formatAddr(parseAddr('::ffff:10.0.0.1'))).toBe('::ffff:a00:1');
    expect(formatAddr(parseAddr('::'))).toBe('::');
    expect(formatAddr(parseAddr('fe80::1'))).toBe('fe80::1');
  });
  it('bad fields are PacketErrors', () => {
    expect(() => parseAddr('10.0.0.256')).toThrow(PacketError);
    expect(() => parseAddr('1:2:3:4:5:6:7:8:9')).toThrow(PacketError);
    expect(() => buildPacket(eth(), payload('x'))).toThrow(/eth type/);
    expect(() => buildPacket(ipv4({ src: '1.1.1.1', dst: '2.2.2.2', fragOffset: 3 }))).toThrow(PacketError);
    expect(() => buildPacket(tcp({ sport: 70000, dport: 1 }))).toThrow(PacketError);
    expect(() => buildPacket(tcp({ sport: 1, dport: 1, flags: 'SX' }))).toThrow(/unknown flag/);
    expect(() => buildPacket(ipv6({ src: '10.0.0.1', dst: '::1' }))).toThrow(/IPv6/);
  });
  it('the dissector stops at a cut header and says which', () => {
    const f = CATALOG.tcp_syn_options;
    expect(dissect(f.subarray(0, 40)).truncated).toBe('tcp');
    expect(dissect(f.subarray(0, 20)).truncated).toBe('ip');
    expect(dissect(f.subarray(0, 5)).truncated).toBe('eth');
    expect(dissect(f.subarray(0, 5)).layers).toEqual([]);
  });
});
