/**
 * The pcapng writer, read back by the reader (tshark's reading of the writer's files is checked
 * in test/cli/pcap.test.ts against test/goldens/pcap/pcap-out.tshark.json).
 */
import { describe, expect, it } from 'vitest';
import { PacketError } from '../../vm/errors.js';
import * as lib from '../../src/index.js';
import { LINKTYPE, PcapngWriter, readCapture } from '../../src/pcap/index.js';

describe('pcapng writer', () => {
  it('interfaces, comments (UTF-8), direction, timestamps in ns, original length round-trip', () => {
    const w = new PcapngWriter();
    const a = w.addInterface({ name: 'veth0 ingress', description: 'tc ingress hook of veth0' });
    const b = w.addInterface({ name: 'raw', linkType: LINKTYPE.RAW, snaplen: 128 });
    w.addPacket(a, Uint8Array.of(1, 2, 3), { timestampNs: 1_700_000_000_123_456_789n, comments: ['verdict: TC_ACT_SHOT', 'fate: drop — ünïcode'], direction: 'outbound', origLen: 60 });
    w.addPacket(b, Uint8Array.of(0x45, 0, 0, 20), { direction: 'inbound', custom: [{ pen: 32473, text: 'x' }] });
    w.addPacket(a, new Uint8Array(0));
    const c = readCapture(w.bytes());
    expect(c.format).toBe('pcapng');
    expect(c.interfaces).toEqual([
      { linkType: 1, snaplen: 0, name: 'veth0 ingress', description: 'tc ingress hook of veth0' },
      { linkType: 101, snaplen: 128, name: 'raw', description: undefined },
    ]);
    expect(c.frames.map((f) => [f.interfaceId, [...f.data], f.origLen, f.comments, f.direction])).toEqual([
      [0, [1, 2, 3], 60, ['verdict: TC_ACT_SHOT', 'fate: drop — ünïcode'], 'outbound'],
      [1, [0x45, 0, 0, 20], 4, undefined, 'inbound'],
      [0, [], 0, undefined, undefined],
    ]);
    // timestamps: as given, then 1 µs steps
    expect(c.frames.map((f) => f.timestampNs)).toEqual([1_700_000_000_123_456_789n, 1_700_000_000_123_457_789n, 1_700_000_000_123_458_789n]);
    expect(w.packetCount).toBe(3);
    expect(w.interfaceCount).toBe(2);
  });
  it('every block is a multiple of 4 bytes and a comment longer than an option holds is cut at 65535 bytes', () => {
    const w = new PcapngWriter();
    w.addInterface({ name: 'x' });
    w.addPacket(0, Uint8Array.of(1), { comments: ['y'.repeat(70000)] });
    const bytes = w.bytes();
    expect(bytes.length % 4).toBe(0);
    expect(readCapture(bytes).frames[0].comments![0].length).toBe(65535);
  });
  it('a packet on an interface that does not exist is a PacketError', () => {
    const w = new PcapngWriter();
    expect(() => w.addPacket(0, Uint8Array.of(1))).toThrow(PacketError);
  });
  it('the library exports builders, dissector, reader and writer', () => {
    for (const k of ['buildPacket', 'eth', 'ipv4', 'ipv6', 'tcp', 'udp', 'icmp', 'icmpv6', 'arp', 'gre', 'gue', 'vxlan', 'geneve', 'vlan', 'payload', 'fragmentIpv4', 'dissect', 'field', 'parseCapture', 'readCapture', 'parseFrames', 'PcapngWriter', 'toEthernet', 'PcapError', 'PacketError']) {
      expect(typeof (lib as Record<string, unknown>)[k]).toBe('function');
    }
  });
});
