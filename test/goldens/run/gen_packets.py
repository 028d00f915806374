#!/usr/bin/env python3
"""Writes the packet files in packets/ (one hex Ethernet frame per line, '#'
comments). Checksums are computed here (RFC 1071), so the kernel sees valid
IPv4/TCP/UDP/ICMP/ICMPv6 packets unless a line says otherwise.

    python3 test/goldens/run/gen_packets.py      # rewrites packets/*.txt
"""
import os
import struct

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "packets")

MAC_A = bytes.fromhex("020000000001")
MAC_B = bytes.fromhex("020000000002")
BCAST = b"\xff" * 6


def csum(data: bytes) -> int:
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def ip4(a: str) -> bytes:
    return bytes(int(x) for x in a.split("."))


def ip6(a: str) -> bytes:
    import ipaddress
    return ipaddress.IPv6Address(a).packed


def eth(dst, src, ethertype, payload, vlans=()):
    hdr = dst + src
    for tpid, tci in vlans:
        hdr += struct.pack("!HH", tpid, tci)
    return hdr + struct.pack("!H", ethertype) + payload


def ipv4(src, dst, proto, payload, ttl=64, tos=0, ident=1, frag=0, options=b""):
    ihl = 5 + len(options) // 4
    tot = ihl * 4 + len(payload)
    h = struct.pack("!BBHHHBBH4s4s", 0x40 | ihl, tos, tot, ident, frag, ttl, proto, 0,
                    ip4(src), ip4(dst)) + options
    h = h[:10] + struct.pack("!H", csum(h)) + h[12:]
    return h + payload


def pseudo4(src, dst, proto, length):
    return ip4(src) + ip4(dst) + struct.pack("!BBH", 0, proto, length)


def pseudo6(src, dst, proto, length):
    return ip6(src) + ip6(dst) + struct.pack("!IxxxB", length, proto)


def udp(src, dst, sport, dport, payload, v6=False, zero_csum=False):
    ln = 8 + len(payload)
    h = struct.pack("!HHHH", sport, dport, ln, 0) + payload
    if zero_csum:
        return h
    ph = (pseudo6 if v6 else pseudo4)(src, dst, 17, ln)
    c = csum(ph + h) or 0xFFFF
    return h[:6] + struct.pack("!H", c) + h[8:]


def tcp(src, dst, sport, dport, flags, payload=b"", seq=1, ack=0, v6=False):
    h = struct.pack("!HHIIBBHHH", sport, dport, seq, ack, 5 << 4, flags, 8192, 0, 0) + payload
    ph = (pseudo6 if v6 else pseudo4)(src, dst, 6, len(h))
    c = csum(ph + h)
    return h[:16] + struct.pack("!H", c) + h[18:]


def icmp_echo(ident, seq, payload=b"ping", typ=8):
    h = struct.pack("!BBHHH", typ, 0, 0, ident, seq) + payload
    return h[:2] + struct.pack("!H", csum(h)) + h[4:]


def ipv6(src, dst, nh, payload, hlim=64):
    return struct.pack("!IHBB16s16s", 6 << 28, len(payload), nh, hlim, ip6(src), ip6(dst)) + payload


def icmp6_echo(src, dst, ident, seq, payload=b"ping"):
    h = struct.pack("!BBHHH", 128, 0, 0, ident, seq) + payload
    c = csum(pseudo6(src, dst, 58, len(h)) + h)
    return h[:2] + struct.pack("!H", c) + h[4:]


A, B, C = "10.0.0.1", "10.0.0.2", "10.1.2.3"
A6, B6 = "fd00::1", "fd00::2"
UDP4 = lambda s=A, d=B, sp=1234, dp=5678, pl=b"ping", **kw: \
    eth(MAC_B, MAC_A, 0x0800, ipv4(s, d, 17, udp(s, d, sp, dp, pl, **kw)))
TCP4 = lambda s=A, d=B, sp=40000, dp=80, fl=0x02, pl=b"": \
    eth(MAC_B, MAC_A, 0x0800, ipv4(s, d, 6, tcp(s, d, sp, dp, fl, pl)))
ICMP4 = lambda s=A, d=B, ident=0x1234, seq=1: \
    eth(MAC_B, MAC_A, 0x0800, ipv4(s, d, 1, icmp_echo(ident, seq)))
ARP = eth(BCAST, MAC_A, 0x0806, bytes.fromhex("0001080006040001") + MAC_A + ip4(A) + bytes(6) + ip4(B))

FILES = {}

FILES["mixed"] = [
    ("IPv4/UDP 10.0.0.1:1234 -> 10.0.0.2:5678, 4-byte payload", UDP4()),
    ("IPv4/TCP SYN 10.0.0.1:40000 -> 10.0.0.2:80", TCP4()),
    ("IPv4/ICMP echo request id 0x1234 seq 1", ICMP4()),
    ("IPv4/UDP DNS query to port 53", UDP4(sp=33333, dp=53, pl=bytes.fromhex("abcd01000001000000000000") + b"\x07example\x03com\x00\x00\x01\x00\x01")),
    ("IPv4/UDP with checksum 0 (no checksum)", UDP4(sp=7, dp=9, zero_csum=True)),
    ("IPv4/UDP ttl 1, tos 0xb8 (DSCP EF)", eth(MAC_B, MAC_A, 0x0800, ipv4(A, B, 17, udp(A, B, 1, 2, b"ef"), ttl=1, tos=0xB8))),
    ("IPv4 with 4 bytes of options (ihl 6), UDP", eth(MAC_B, MAC_A, 0x0800, ipv4(A, B, 17, udp(A, B, 1000, 2000, b"opt!"), options=b"\x01\x01\x01\x00"))),
    ("IPv4 fragment (offset 8, MF), UDP payload bytes", eth(MAC_B, MAC_A, 0x0800, ipv4(A, B, 17, b"fragment", frag=0x2001))),
    ("IPv4/TCP ACK with 11-byte payload (odd length frame)", TCP4(fl=0x10, pl=b"hello world")),
    ("IPv6/UDP fd00::1:1234 -> fd00::2:5678", eth(MAC_B, MAC_A, 0x86DD, ipv6(A6, B6, 17, udp(A6, B6, 1234, 5678, b"ping", v6=True)))),
    ("IPv6/TCP SYN fd00::1:40000 -> fd00::2:443", eth(MAC_B, MAC_A, 0x86DD, ipv6(A6, B6, 6, tcp(A6, B6, 40000, 443, 0x02, v6=True)))),
    ("IPv6/ICMPv6 echo request", eth(MAC_B, MAC_A, 0x86DD, ipv6(A6, B6, 58, icmp6_echo(A6, B6, 7, 1)))),
    ("ARP request, broadcast destination", ARP),
    ("802.1Q VLAN 100 prio 3, IPv4/UDP", eth(MAC_B, MAC_A, 0x0800, ipv4(A, B, 17, udp(A, B, 1234, 5678, b"vlan")), vlans=[(0x8100, (3 << 13) | 100)])),
    ("QinQ 802.1ad 10 / 802.1Q 20, IPv4/UDP", eth(MAC_B, MAC_A, 0x0800, ipv4(A, B, 17, udp(A, B, 1234, 5678, b"qinq")), vlans=[(0x88A8, 10), (0x8100, 20)])),
    ("LLDP to 01:80:c2:00:00:0e (multicast)", eth(bytes.fromhex("0180c200000e"), MAC_A, 0x88CC, bytes.fromhex("0207040200000000010403020001060200780000"))),
    ("802.3 length field 0x0026 with LLC (protocol becomes ETH_P_802_2)", eth(MAC_B, MAC_A, 0x0026, bytes.fromhex("424203") + bytes(35))),
    ("IPv4/UDP to the loopback MAC 00:00:00:00:00:00 (pkt_type HOST on lo)", eth(bytes(6), MAC_A, 0x0800, ipv4(A, B, 17, udp(A, B, 1, 2, b"lo")))),
    ("IPIP: outer 192.0.2.1 -> 192.0.2.2 proto 4, inner IPv4/UDP", eth(MAC_B, MAC_A, 0x0800, ipv4("192.0.2.1", "192.0.2.2", 4, ipv4(A, B, 17, udp(A, B, 1234, 5678, b"tun"))))),
    ("IPv4/UDP 1514-byte frame", UDP4(pl=bytes(i & 0xFF for i in range(1514 - 42)))),
    ("Ethernet header only, ethertype 0x88b5 (local experimental): 14 bytes", eth(MAC_B, MAC_A, 0x88B5, b"")),
    ("15 bytes, ethertype 0x88b5 and one byte", eth(MAC_B, MAC_A, 0x88B5, b"\x01")),
    ("Ethernet header only, ethertype IPv4: 14 bytes (kernel: EINVAL, < 34)", eth(MAC_B, MAC_A, 0x0800, b"")),
    ("IPv4 header only, no L4: 34 bytes, proto UDP", eth(MAC_B, MAC_A, 0x0800, ipv4(A, B, 17, b"")[:20])),
    ("13 bytes: shorter than ETH_HLEN (kernel: EINVAL)", eth(MAC_B, MAC_A, 0x0800, b"")[:13]),
]

# one flow repeated plus new flows: state machines (LRU eviction, conntrack)
FILES["flows"] = [
    ("flow 1: TCP SYN 10.0.0.1:40000 -> 10.0.0.2:80", TCP4()),
    ("flow 1: TCP ACK", TCP4(fl=0x10)),
    ("flow 2: UDP 10.0.0.1:1234 -> 10.0.0.2:5678", UDP4()),
    ("flow 3: UDP from 10.1.2.3", UDP4(s=C)),
    ("flow 4: TCP SYN from 172.16.0.9", TCP4(s="172.16.0.9", sp=50000)),
    ("flow 5: UDP from 192.168.1.7", UDP4(s="192.168.1.7", sp=999)),
    ("flow 6: ICMP from 10.0.0.1", ICMP4()),
    ("flow 1 again: TCP FIN", TCP4(fl=0x11)),
    ("flow 2 reply: UDP 10.0.0.2:5678 -> 10.0.0.1:1234", UDP4(s=B, d=A, sp=5678, dp=1234)),
    ("flow 7: TCP SYN from 10.9.9.9", TCP4(s="10.9.9.9", sp=1)),
    ("flow 3 again", UDP4(s=C)),
    ("IPv6 UDP (not tracked)", eth(MAC_B, MAC_A, 0x86DD, ipv6(A6, B6, 17, udp(A6, B6, 1, 2, b"x", v6=True)))),
]

# NAT: frames that hit the DNAT rules (10.0.0.2:80/tcp, 10.0.0.2:5678/udp) and ones that miss
FILES["nat"] = [
    ("TCP SYN to 10.0.0.2:80 (rule hit)", TCP4()),
    ("TCP ACK with payload to 10.0.0.2:80 (rule hit)", TCP4(fl=0x18, pl=b"GET / HTTP/1.0\r\n")),
    ("UDP to 10.0.0.2:5678 (rule hit)", UDP4()),
    ("UDP to 10.0.0.2:5678 with checksum 0 (rule hit, must stay 0)", UDP4(zero_csum=True)),
    ("UDP to 10.0.0.2:5679 (miss)", UDP4(dp=5679)),
    ("TCP SYN to 10.0.0.3:80 (miss)", TCP4(d="10.0.0.3")),
    ("ICMP echo request id 0x1234", ICMP4()),
    ("ICMP echo reply id 0xffff", eth(MAC_B, MAC_A, 0x0800, ipv4(A, B, 1, icmp_echo(0xFFFF, 9, typ=0)))),
    ("IPv6/UDP (ignored)", eth(MAC_B, MAC_A, 0x86DD, ipv6(A6, B6, 17, udp(A6, B6, 1234, 5678, b"ping", v6=True)))),
    ("IPv4 ihl 6 (ignored)", eth(MAC_B, MAC_A, 0x0800, ipv4(A, B, 17, udp(A, B, 1000, 2000, b"opt!"), options=b"\x01\x01\x01\x00"))),
]

FILES["one_ipv4"] = [FILES["mixed"][0]]
FILES["one_arp"] = [("ARP request, broadcast destination", ARP)]
FILES["one_vlan"] = [FILES["mixed"][13]]


def write(name, frames):
    path = os.path.join(OUT, name + ".txt")
    with open(path, "w") as f:
        f.write("# generated by gen_packets.py; one hex Ethernet frame per line\n")
        for comment, frame in frames:
            f.write("# %s (%d bytes)\n%s\n" % (comment, len(frame), frame.hex()))


def main():
    os.makedirs(OUT, exist_ok=True)
    for name, frames in FILES.items():
        write(name, frames)


if __name__ == "__main__":
    main()
