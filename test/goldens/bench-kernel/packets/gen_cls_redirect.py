#!/usr/bin/env python3
"""Writes the frames for test/bench/data/test_cls_redirect.bpf.o (program `cls_redirect`):

    python3 test/goldens/bench-kernel/packets/gen_cls_redirect.py

cls_redirect.txt: every path the golden test covers, one frame per line (each line is its own
test run). cr_*.txt: the single frames the per-packet benchmark times (measure.py runs the first
frame of a file REPEAT times on the same skb, so a timed frame must take the same path on every
run; see the comment on each).

The frames follow the selftest's layout (prog_tests/cls_redirect.c, build_input): Ethernet,
outer IPv4 to ENCAP_IP, UDP to ENCAP_PORT, a GUE header (hlen = 1 + hop_count, proto_ctype
IPIP or IPv6), the 4-byte unigue header, hop_count next-hop addresses, then the inner packet.
The program's .rodata must be set to the same ENCAP_IP/ENCAP_PORT (ENCAP_SET below).
"""
import os
import struct

HERE = os.path.dirname(os.path.abspath(__file__))
ENCAP_IP = bytes([127, 0, 0, 1])   # the selftest's INADDR_LOOPBACK
ENCAP_PORT = 1234
# .rodata: ENCAPSULATION_IP (be32) at 0, ENCAPSULATION_PORT (be16) at 4 (BTF DATASEC order)
ENCAP_SET = (ENCAP_IP + struct.pack(">H", ENCAP_PORT)).hex()

MAC_A = bytes.fromhex("020000000001")
MAC_B = bytes.fromhex("020000000002")
SRC = bytes([192, 0, 2, 1])
INNER_SRC = bytes([198, 51, 100, 7])
INNER_DST = bytes([203, 0, 113, 9])
HOP = bytes([198, 18, 0, 2])
INNER6_SRC = bytes.fromhex("20010db8000000000000000000000007")
INNER6_DST = bytes.fromhex("20010db8000000000000000000000009")

IPPROTO_ICMP, IPPROTO_IPIP, IPPROTO_TCP, IPPROTO_UDP, IPPROTO_IPV6 = 1, 4, 6, 17, 41
IPPROTO_ROUTING, IPPROTO_ICMPV6 = 43, 58


def csum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def ipv4(proto, src, dst, payload, ttl=64, frag=0):
    h = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(payload), 1, frag, ttl, proto, 0, src, dst)
    return h[:10] + struct.pack("!H", csum(h)) + h[12:] + payload


def ipv6(nexthdr, src, dst, payload, hop_limit=64):
    return struct.pack("!IHBB16s16s", 6 << 28, len(payload), nexthdr, hop_limit, src, dst) + payload


def tcp(sport, dport, flags, payload=b""):
    # checksum left 0: cls_redirect never checks it
    return struct.pack("!HHIIBBHHH", sport, dport, 1, 0, 5 << 4, flags, 8192, 0, 0) + payload


def udp(sport, dport, payload=b""):
    return struct.pack("!HHHH", sport, dport, 8 + len(payload), 0) + payload


def icmp(typ, code, rest=b""):
    return struct.pack("!BBHI", typ, code, 0, 0) + rest


SYN, ACK = 0x02, 0x10


def encap(inner, proto_ctype, hops=(), next_hop=0, last_hop_gre=False, forward_syn=False,
          variant=0, dport=ENCAP_PORT, daddr=ENCAP_IP, frag=0):
    hlen = 1 + len(hops)
    gue = struct.pack("!BBH", (variant << 6) | hlen, proto_ctype, 0)
    unigue = struct.pack("!BBBB", (last_hop_gre << 2) | (forward_syn << 3), 0, next_hop, len(hops))
    body = gue + unigue + b"".join(hops) + inner
    return MAC_B + MAC_A + b"\x08\x00" + ipv4(IPPROTO_UDP, SRC, daddr, udp(40000, dport, body), frag=frag)


def eth4(ip):
    return MAC_B + MAC_A + b"\x08\x00" + ip


PAY = b"payload!"
TCP4_ACK = ipv4(IPPROTO_TCP, INNER_SRC, INNER_DST, tcp(40001, 443, ACK, PAY))
TCP4_SYN = ipv4(IPPROTO_TCP, INNER_SRC, INNER_DST, tcp(40001, 443, SYN))
UDP4 = ipv4(IPPROTO_UDP, INNER_SRC, INNER_DST, udp(40002, 53, PAY))

# (description, frame)
GOLDEN = [
    ("plain IPv4/UDP not addressed to ENCAP_IP: TC_ACT_OK (early return)",
     eth4(ipv4(IPPROTO_UDP, SRC, INNER_DST, udp(40000, ENCAP_PORT, PAY)))),
    ("GUE to ENCAP_IP but another UDP port: TC_ACT_OK",
     encap(TCP4_ACK, IPPROTO_IPIP, hops=[HOP], dport=ENCAP_PORT + 1)),
    ("no hops, inner IPv4/TCP SYN: last hop, decapsulated (adjust_room MAC), TC_ACT_REDIRECT",
     encap(TCP4_SYN, IPPROTO_IPIP)),
    ("one hop, inner IPv4/TCP SYN: SYN accepted locally, decapsulated, TC_ACT_REDIRECT",
     encap(TCP4_SYN, IPPROTO_IPIP, hops=[HOP])),
    ("one hop, inner IPv4/TCP ACK, no socket: forwarded by GUE (MACs swapped, addresses rewritten, l3_csum_replace)",
     encap(TCP4_ACK, IPPROTO_IPIP, hops=[HOP])),
    ("one hop, inner IPv4/UDP, no socket: forwarded by GUE",
     encap(UDP4, IPPROTO_IPIP, hops=[HOP])),
    ("one hop, SYN with forward_syn: forwarded by GUE",
     encap(TCP4_SYN, IPPROTO_IPIP, hops=[HOP], forward_syn=True)),
    ("last hop by GRE, inner IPv4/TCP ACK: TTL decremented, re-encapsulated in GRE (check_mtu, adjust_room NET)",
     encap(TCP4_ACK, IPPROTO_IPIP, hops=[HOP], last_hop_gre=True)),
    ("last hop by GRE, inner TTL 0: forwarding loop, TC_ACT_SHOT",
     encap(ipv4(IPPROTO_TCP, INNER_SRC, INNER_DST, tcp(40001, 443, ACK, PAY), ttl=0), IPPROTO_IPIP,
           hops=[HOP], last_hop_gre=True)),
    ("one hop, inner IPv6/UDP behind a routing header, no socket: forwarded by GUE",
     encap(ipv6(IPPROTO_ROUTING, INNER6_SRC, INNER6_DST,
                struct.pack("!BB6x", IPPROTO_UDP, 0) + udp(40003, 53, PAY)), IPPROTO_IPV6, hops=[HOP])),
    ("last hop by GRE, inner IPv6/TCP ACK: hop limit decremented, GRE",
     encap(ipv6(IPPROTO_TCP, INNER6_SRC, INNER6_DST, tcp(40001, 443, ACK, PAY)), IPPROTO_IPV6,
           hops=[HOP], last_hop_gre=True)),
    ("last hop by GRE, inner IPv6/UDP behind a routing header, hop limit 0: forwarding loop, TC_ACT_SHOT",
     encap(ipv6(IPPROTO_ROUTING, INNER6_SRC, INNER6_DST,
                struct.pack("!BB6x", IPPROTO_UDP, 0) + udp(40003, 53, PAY), hop_limit=0), IPPROTO_IPV6,
           hops=[HOP], last_hop_gre=True)),
    ("one hop, inner ICMP echo request: accepted locally, decapsulated",
     encap(ipv4(IPPROTO_ICMP, INNER_SRC, INNER_DST, icmp(8, 0, PAY)), IPPROTO_IPIP, hops=[HOP])),
    ("one hop, inner ICMP echo reply: TC_ACT_SHOT",
     encap(ipv4(IPPROTO_ICMP, INNER_SRC, INNER_DST, icmp(0, 0, PAY)), IPPROTO_IPIP, hops=[HOP])),
    ("one hop, ICMP fragmentation needed quoting IPv4/UDP, no socket: forwarded by GUE",
     encap(ipv4(IPPROTO_ICMP, INNER_DST, INNER_SRC,
                icmp(3, 4, ipv4(IPPROTO_UDP, INNER_SRC, INNER_DST, udp(40002, 53)))), IPPROTO_IPIP, hops=[HOP])),
    ("outer IPv4 fragment: TC_ACT_SHOT", encap(TCP4_ACK, IPPROTO_IPIP, hops=[HOP], frag=0x2000)),
    ("GUE variant 1: malformed encapsulation, TC_ACT_SHOT", encap(TCP4_ACK, IPPROTO_IPIP, hops=[HOP], variant=1)),
    ("unknown inner protocol (GRE): TC_ACT_SHOT", encap(TCP4_ACK, 47, hops=[HOP])),
]



def pick(prefix):
    """The GOLDEN entry whose description starts with prefix (exactly one)."""
    hits = [g for g in GOLDEN if g[0].startswith(prefix)]
    assert len(hits) == 1, prefix
    return hits[0]


# Timed frames: each takes the same path on every run on the same skb.
TIMED = {
    # Full parse (outer headers, next hop, inner IPv4/TCP), bpf_skc_lookup_tcp (no socket),
    # forward_to_next_hop's MAC swap (its own inverse: the frame alternates between two states),
    # forward_with_gre's TTL read: TTL 0, TC_ACT_SHOT. Nothing else changes the frame.
    "cr_gre_ttl0": pick("last hop by GRE, inner TTL 0"),
    # The same through IPv6: the extension header walk (a routing header, read with
    # bpf_skb_load_bytes), bpf_sk_lookup_udp with a 36-byte tuple, hop limit 0: TC_ACT_SHOT.
    "cr_gre6_hl0": pick("last hop by GRE, inner IPv6/UDP behind a routing header, hop limit 0"),
    # Outer headers and next hop, inner IPv4 and ICMP header read with bpf_skb_load_bytes; an
    # echo reply is refused (TC_ACT_SHOT), the frame is left as is.
    "cr_icmp_reply": pick("one hop, inner ICMP echo reply"),
    # The early return: not addressed to ENCAP_IP (TC_ACT_OK).
    "cr_pass": pick("plain IPv4/UDP not addressed"),
}


def write(name, frames):
    with open(os.path.join(HERE, name + ".txt"), "w") as f:
        f.write("# generated by gen_cls_redirect.py (test_cls_redirect.bpf.o, .rodata %s); one hex Ethernet frame per line\n" % ENCAP_SET)
        for what, frame in frames:
            f.write("# %s (%d bytes)\n%s\n" % (what, len(frame), frame.hex()))


if __name__ == "__main__":
    write("cls_redirect", GOLDEN)
    for name, frame in TIMED.items():
        write(name, [frame])
