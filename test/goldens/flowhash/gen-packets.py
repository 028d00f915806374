#!/usr/bin/env python3
"""Writes packets.txt: frames whose flow hashes the kernel is asked about (record.sh). Each line is
one frame with a comment naming its flow; the test compares which frames share a hash."""
import struct

MAC = bytes.fromhex('020000000002') + bytes.fromhex('020000000001')

def ip4(src, dst, proto, payload, ttl=64, ident=1, frag=0):
    h = struct.pack('!BBHHHBBH4s4s', 0x45, 0, 20 + len(payload), ident, frag, ttl, proto, 0,
                    bytes(map(int, src.split('.'))), bytes(map(int, dst.split('.'))))
    return h + payload

def ip6(src, dst, nh, payload, label=0, hlim=64):
    import ipaddress
    h = struct.pack('!IHBB', (6 << 28) | label, len(payload), nh, hlim)
    return h + ipaddress.IPv6Address(src).packed + ipaddress.IPv6Address(dst).packed + payload

def udp(sp, dp, data=b'ping'):
    return struct.pack('!HHHH', sp, dp, 8 + len(data), 0) + data

def tcp(sp, dp):
    return struct.pack('!HHIIBBHHH', sp, dp, 1, 0, 0x50, 0x02, 65535, 0, 0)

def eth(proto, payload, vlan=None):
    if vlan is not None:
        tpid, tci = vlan
        return MAC + struct.pack('!HHH', tpid, tci, proto) + payload
    return MAC + struct.pack('!H', proto) + payload

frames = [
    ('v4-udp-a', eth(0x0800, ip4('10.0.0.1', '10.0.0.2', 17, udp(1234, 5678)))),
    ('v4-udp-a other payload, ttl and id', eth(0x0800, ip4('10.0.0.1', '10.0.0.2', 17, udp(1234, 5678, b'other data'), ttl=3, ident=99))),
    ('v4-udp-a reversed', eth(0x0800, ip4('10.0.0.2', '10.0.0.1', 17, udp(5678, 1234)))),
    ('v4-udp-b (other sport)', eth(0x0800, ip4('10.0.0.1', '10.0.0.2', 17, udp(1235, 5678)))),
    ('v4-udp-c (other daddr)', eth(0x0800, ip4('10.0.0.1', '10.0.0.3', 17, udp(1234, 5678)))),
    ('v4-tcp same tuple as v4-udp-a', eth(0x0800, ip4('10.0.0.1', '10.0.0.2', 6, tcp(1234, 5678)))),
    ('v4-udp first fragment (MF)', eth(0x0800, ip4('10.0.0.1', '10.0.0.2', 17, udp(1234, 5678), frag=0x2000))),
    ('v4-udp later fragment (offset 8)', eth(0x0800, ip4('10.0.0.1', '10.0.0.2', 17, udp(9, 9), frag=1))),
    ('v4-udp fragment other ports', eth(0x0800, ip4('10.0.0.1', '10.0.0.2', 17, udp(1111, 2222), frag=0x2000))),
    ('v4-icmp echo id 1', eth(0x0800, ip4('10.0.0.1', '10.0.0.2', 1, bytes.fromhex('0800000000010001') + b'abcd'))),
    ('v4-icmp echo id 2', eth(0x0800, ip4('10.0.0.1', '10.0.0.2', 1, bytes.fromhex('0800000000020001') + b'abcd'))),
    ('v4-sctp ports', eth(0x0800, ip4('10.0.0.1', '10.0.0.2', 132, struct.pack('!HHII', 1234, 5678, 0, 0)))),
    ('v4-esp spi 1', eth(0x0800, ip4('10.0.0.1', '10.0.0.2', 50, struct.pack('!II', 1, 1) + bytes(8)))),
    ('v4-esp spi 2', eth(0x0800, ip4('10.0.0.1', '10.0.0.2', 50, struct.pack('!II', 2, 1) + bytes(8)))),
    ('v4-ipip outer 1.1.1.1>2.2.2.2, inner v4-udp-a', eth(0x0800, ip4('1.1.1.1', '2.2.2.2', 4, ip4('10.0.0.1', '10.0.0.2', 17, udp(1234, 5678))))),
    ('v4-ipip other outer, inner v4-udp-a', eth(0x0800, ip4('3.3.3.3', '4.4.4.4', 4, ip4('10.0.0.1', '10.0.0.2', 17, udp(1234, 5678))))),
    ('vlan 100 prio 0, v4-udp-a', eth(0x8100, ip4('10.0.0.1', '10.0.0.2', 17, udp(1234, 5678)), vlan=(0x8100, 100))),
    ('vlan 100 prio 0, v4-udp-a reversed', eth(0x8100, ip4('10.0.0.2', '10.0.0.1', 17, udp(5678, 1234)), vlan=(0x8100, 100))),
    ('vlan 200, v4-udp-a', eth(0x8100, ip4('10.0.0.1', '10.0.0.2', 17, udp(1234, 5678)), vlan=(0x8100, 200))),
    ('vlan 100 prio 5, v4-udp-a', eth(0x8100, ip4('10.0.0.1', '10.0.0.2', 17, udp(1234, 5678)), vlan=(0x8100, (5 << 13) | 100))),
    ('vlan 100 dei, v4-udp-a', eth(0x8100, ip4('10.0.0.1', '10.0.0.2', 17, udp(1234, 5678)), vlan=(0x8100, (1 << 12) | 100))),
    ('qinq 802.1ad 100 / 802.1q 7, v4-udp-a', MAC + struct.pack('!HHHH', 0x88a8, 100, 0x8100, 7) + struct.pack('!H', 0x0800) + ip4('10.0.0.1', '10.0.0.2', 17, udp(1234, 5678))),
    ('qinq 802.1ad 100 / 802.1q 8, v4-udp-a', MAC + struct.pack('!HHHH', 0x88a8, 100, 0x8100, 8) + struct.pack('!H', 0x0800) + ip4('10.0.0.1', '10.0.0.2', 17, udp(1234, 5678))),
    ('v6-udp-a', eth(0x86dd, ip6('fd00::1', 'fd00::2', 17, udp(1234, 5678)))),
    ('v6-udp-a reversed', eth(0x86dd, ip6('fd00::2', 'fd00::1', 17, udp(5678, 1234)))),
    ('v6-udp-b other dport', eth(0x86dd, ip6('fd00::1', 'fd00::2', 17, udp(1234, 5679)))),
    ('v6 flow label 0x12345, ports 1234>5678', eth(0x86dd, ip6('fd00::1', 'fd00::2', 17, udp(1234, 5678), label=0x12345))),
    ('v6 flow label 0x12345, ports 1>2', eth(0x86dd, ip6('fd00::1', 'fd00::2', 17, udp(1, 2), label=0x12345))),
    ('v6 flow label 0x12345 reversed', eth(0x86dd, ip6('fd00::2', 'fd00::1', 17, udp(2, 1), label=0x12345))),
    ('v6 hop-by-hop + udp-a', eth(0x86dd, ip6('fd00::1', 'fd00::2', 0, bytes([17, 0, 1, 4, 0, 0, 0, 0]) + udp(1234, 5678)))),
    ('v6 fragment header + udp', eth(0x86dd, ip6('fd00::1', 'fd00::2', 44, bytes([17, 0, 0, 1, 0, 0, 0, 9]) + udp(1234, 5678)))),
    ('v6 fragment header + udp other ports', eth(0x86dd, ip6('fd00::1', 'fd00::2', 44, bytes([17, 0, 0, 1, 0, 0, 0, 9]) + udp(4, 5)))),
    ('v6-in-v4 (proto 41), inner v6-udp-a', eth(0x0800, ip4('1.1.1.1', '2.2.2.2', 41, ip6('fd00::1', 'fd00::2', 17, udp(1234, 5678))))),
    ('arp request', MAC + struct.pack('!H', 0x0806) + bytes.fromhex('0001080006040001020000000001') + bytes([10, 0, 0, 1]) + bytes(6) + bytes([10, 0, 0, 2])),
    ('arp other', MAC + struct.pack('!H', 0x0806) + bytes.fromhex('0001080006040002020000000009') + bytes([10, 0, 0, 9]) + bytes(6) + bytes([10, 0, 0, 8])),
    ('unknown ethertype 0x88b5', MAC + struct.pack('!H', 0x88b5) + bytes(40)),
]

with open('packets.txt', 'w') as f:
    f.write('# generated by gen-packets.py: one frame per line, preceded by its name\n')
    for name, fr in frames:
        f.write(f'# {name}\n{fr.hex()}\n')
