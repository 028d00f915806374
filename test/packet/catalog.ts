/**
 * Frames made with the packet builders, by name: the recorder (test/goldens/packet/record.ts)
 * has tshark check them, and test/packet/build.test.ts checks the builders still make the same
 * bytes and the dissector reads what tshark read.
 */
import {
  arp,
  buildPacket,
  eth,
  fragmentIpv4,
  geneve,
  gre,
  gue,
  icmp,
  icmpv6,
  ipv4,
  ipv6,
  payload,
  tcp,
  udp,
  vlan,
  vxlan,
} from '../../src/packet/index.js';

const A = '02:00:00:00:00:0a';
const B = '02:00:00:00:00:0b';

function fragments(): Record<string, Uint8Array> {
  const whole = buildPacket(ipv4({ src: '10.0.0.1', dst: '10.0.0.2', id: 0x1234, options: [0x07, 7, 4, 0, 0, 0, 0] }), udp({ sport: 5000, dport: 6000 }), payload(new Array(40).fill(0x61)));
  const out: Record<string, Uint8Array> = {};
  fragmentIpv4(whole, 24).forEach((f, i) => {
    out[`ipv4_frag_${i}`] = buildPacket(eth({ dst: B, src: A, type: 0x0800 }), payload(f));
  });
  return out;
}

export const CATALOG: Record<string, Uint8Array> = {
  tcp_syn_options: buildPacket(
    eth({ dst: B, src: A }),
    ipv4({ src: '10.0.0.1', dst: '10.0.0.2', df: true, ttl: 63, tos: 0x10 }),
    tcp({ sport: 40000, dport: 80, seq: 0x01020304, flags: 'S', window: 64240, options: [{ mss: 1460 }, { sackPermitted: true }, { timestamp: [123456, 0] }, 'nop', { wscale: 7 }] }),
  ),
  tcp_psh_ack_payload: buildPacket(eth({ dst: B, src: A }), ipv4({ src: '192.168.1.10', dst: '192.168.1.20' }), tcp({ sport: 443, dport: 51000, seq: 1000, ack: 2000, flags: 'PA', window: 501 }), payload('GET / HTTP/1.1\r\n\r\n')),
  tcp_rst_urg_odd: buildPacket(eth({ dst: B, src: A }), ipv4({ src: '1.2.3.4', dst: '5.6.7.8' }), tcp({ sport: 1, dport: 2, flags: 'RUF', urgent: 3 }), payload([1, 2, 3])),
  ipv4_options_udp: buildPacket(eth({ dst: B, src: A }), ipv4({ src: '10.1.0.1', dst: '10.1.0.2', options: [0x94, 4, 0, 0] }), udp({ sport: 53, dport: 33000 }), payload('abc')),
  udp_zero_checksum: buildPacket(eth({ dst: B, src: A }), ipv4({ src: '10.1.0.1', dst: '10.1.0.2' }), udp({ sport: 7001, dport: 9001, checksum: false }), payload('zz')),
  icmp_echo: buildPacket(eth({ dst: B, src: A }), ipv4({ src: '10.0.0.1', dst: '10.0.0.2' }), icmp({ type: 8, id: 0x4242, seq: 7 }), payload(new Array(56).fill(0x5a))),
  icmp_unreachable: buildPacket(
    eth({ dst: B, src: A }),
    ipv4({ src: '10.0.0.254', dst: '10.0.0.1' }),
    icmp({ type: 3, code: 4, rest: [0, 0, 0x05, 0xdc] }),
    ipv4({ src: '10.0.0.1', dst: '10.0.0.9', df: true }),
    udp({ sport: 1111, dport: 2222, checksum: false }),
  ),
  vlan_ipv4_udp: buildPacket(eth({ dst: B, src: A }), vlan({ vid: 100, pcp: 5 }), ipv4({ src: '10.10.0.1', dst: '10.10.0.2' }), udp({ sport: 1234, dport: 5678 }), payload('vlan')),
  qinq_ipv6_tcp: buildPacket(eth({ dst: B, src: A }), vlan({ vid: 10, tpid: 0x88a8 }), vlan({ vid: 20, dei: true }), ipv6({ src: '2001:db8::1', dst: '2001:db8::2' }), tcp({ sport: 22, dport: 50000, flags: 'A', ack: 5 })),
  arp_request: buildPacket(eth({ dst: 'ff:ff:ff:ff:ff:ff', src: A }), arp({ op: 1, sha: A, spa: '10.0.0.1', tpa: '10.0.0.2' })),
  arp_reply: buildPacket(eth({ dst: A, src: B }), arp({ op: 2, sha: B, spa: '10.0.0.2', tha: A, tpa: '10.0.0.1' })),
  ipv6_udp: buildPacket(eth({ dst: B, src: A }), ipv6({ src: 'fd00::1', dst: 'fd00::2', flowLabel: 0x12345, trafficClass: 0xb8 }), udp({ sport: 546, dport: 547 }), payload('dhcp6')),
  ipv6_ext_tcp: buildPacket(
    eth({ dst: B, src: A }),
    ipv6({ src: '2001:db8::1', dst: '2001:db8::2', ext: [{ type: 'hop-by-hop', options: [5, 2, 0, 0] }, { type: 'destination' }] }),
    tcp({ sport: 1000, dport: 2000, flags: 'S' }),
  ),
  ipv6_srh_udp: buildPacket(
    eth({ dst: B, src: A }),
    ipv6({ src: '2001:db8::1', dst: '2001:db8::100', ext: [{ type: 'routing', routingType: 4, addresses: ['2001:db8::3', '2001:db8::100'], segmentsLeft: 1 }] }),
    udp({ sport: 4000, dport: 4001 }),
    payload('srh'),
  ),
  ipv6_fragment_first: buildPacket(
    eth({ dst: B, src: A }),
    ipv6({ src: '2001:db8::1', dst: '2001:db8::2', ext: [{ type: 'fragment', offset: 0, more: true, id: 0xabcdef }] }),
    udp({ sport: 1, dport: 2, length: 100, checksum: 0x1234 }),
    payload(new Array(16).fill(1)),
  ),
  icmpv6_echo: buildPacket(eth({ dst: B, src: A }), ipv6({ src: 'fe80::1', dst: 'fe80::2', hopLimit: 255 }), icmpv6({ type: 128, id: 0x77, seq: 3 }), payload('ping6')),
  icmpv6_ns: buildPacket(
    eth({ dst: '33:33:ff:00:00:02', src: A }),
    ipv6({ src: 'fe80::1', dst: 'ff02::1:ff00:2', hopLimit: 255 }),
    icmpv6({ type: 135, rest: [0, 0, 0, 0] }),
    payload([0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 1, 1, 2, 0, 0, 0, 0, 0x0a]),
  ),
  gre_ipv4_icmp: buildPacket(eth({ dst: B, src: A }), ipv4({ src: '172.16.0.1', dst: '172.16.0.2' }), gre(), ipv4({ src: '10.0.0.1', dst: '10.0.0.2' }), icmp({ id: 1, seq: 1 })),
  gre_csum_key_seq_eth: buildPacket(
    eth({ dst: B, src: A }),
    ipv4({ src: '172.16.0.1', dst: '172.16.0.2' }),
    gre({ checksum: true, key: 0x1000, seq: 42 }),
    eth({ dst: A, src: B }),
    ipv6({ src: 'fd00::a', dst: 'fd00::b' }),
    udp({ sport: 9, dport: 10 }),
    payload('teb'),
  ),
  ipip_tcp: buildPacket(eth({ dst: B, src: A }), ipv4({ src: '198.51.100.1', dst: '198.51.100.2' }), ipv4({ src: '10.0.0.1', dst: '10.0.0.2' }), tcp({ sport: 5, dport: 6, flags: 'SA', ack: 1 })),
  sit_ipv6_in_ipv4: buildPacket(eth({ dst: B, src: A }), ipv4({ src: '198.51.100.1', dst: '198.51.100.2' }), ipv6({ src: '2001:db8::1', dst: '2001:db8::2' }), udp({ sport: 5, dport: 6 }), payload('6in4')),
  ip4in6: buildPacket(eth({ dst: B, src: A }), ipv6({ src: '2001:db8::1', dst: '2001:db8::2' }), ipv4({ src: '10.0.0.1', dst: '10.0.0.2' }), udp({ sport: 5, dport: 6 }), payload('4in6')),
  vxlan_inner_tcp: buildPacket(
    eth({ dst: B, src: A }),
    ipv4({ src: '192.0.2.1', dst: '192.0.2.2' }),
    udp({ sport: 49152 }),
    vxlan({ vni: 0x123456 }),
    eth({ dst: '02:00:00:00:01:01', src: '02:00:00:00:01:02' }),
    ipv4({ src: '10.200.0.1', dst: '10.200.0.2' }),
    tcp({ sport: 8080, dport: 9090, flags: 'S' }),
  ),
  geneve_options_ipv6: buildPacket(
    eth({ dst: B, src: A }),
    ipv6({ src: '2001:db8::a', dst: '2001:db8::b' }),
    udp({ sport: 50000 }),
    geneve({ vni: 0xabc, options: [0x01, 0x02, 0x03, 0x01, 0xde, 0xad, 0xbe, 0xef] }),
    eth({ dst: '02:00:00:00:01:01', src: '02:00:00:00:01:02' }),
    ipv4({ src: '10.0.0.1', dst: '10.0.0.2' }),
    icmp({ id: 9, seq: 9 }),
  ),
  geneve_ip_payload: buildPacket(eth({ dst: B, src: A }), ipv4({ src: '192.0.2.1', dst: '192.0.2.2' }), udp({ sport: 50001 }), geneve({ vni: 7, oam: true }), ipv4({ src: '10.0.0.1', dst: '10.0.0.2' }), udp({ sport: 1, dport: 2 }), payload('g')),
  gue_ipv4_udp: buildPacket(eth({ dst: B, src: A }), ipv4({ src: '192.0.2.1', dst: '192.0.2.2' }), udp({ sport: 40000 }), gue(), ipv4({ src: '10.0.0.1', dst: '10.0.0.2' }), udp({ sport: 3, dport: 4 }), payload('gue')),
  bad_ip_checksum: buildPacket(eth({ dst: B, src: A }), ipv4({ src: '10.0.0.1', dst: '10.0.0.2', checksum: 0xbeef }), udp({ sport: 1, dport: 2 })),
  bad_tcp_checksum: buildPacket(eth({ dst: B, src: A }), ipv4({ src: '10.0.0.1', dst: '10.0.0.2' }), tcp({ sport: 1, dport: 2, checksum: 0x0001 })),
  ...fragments(),
};
