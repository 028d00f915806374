#!/usr/bin/env python3
"""Record the kernel's answers for the skb helpers (raw programs through `oracle raw`).

Run as root on Linux 6.18 with the oracle built:
    python3 test/goldens/skb/record-helpers.py [ORACLE]
(ORACLE defaults to $TCXLAB_ORACLE, the kernel oracle: docs/kernel-oracle.md.)
Writes helpers.json next to this file. Every case is one raw program:

    r6 = r1                      (ctx kept in r6)
    <body: stack setup and one or more helper calls; r7 = r0 after the call under test>
    <epilogue: copy skb fields (or a stack buffer) into cb[0..4] so ctx_out shows them>
    r0 = r7; exit

and its recorded answer: retval, data_out, ctx_out. The tests replay the same program through the
skb model and helper table and compare all three.
"""
import json, os, struct, sys
sys.path.insert(0, os.path.dirname(__file__))
from bpfasm import *  # noqa
import packets as P
import importlib
rc = importlib.import_module('record-ctx')

# helper ids (uapi enum bpf_func_id)
H = dict(store_bytes=9, l3=10, l4=11, clone_redirect=13, cgroup_classid=17, vlan_push=18, vlan_pop=19,
         get_tkey=20, set_tkey=21, redirect=23, route_realm=24, load_bytes=26, csum_diff=28, get_topt=29,
         set_topt=30, change_proto=31, change_type=32, hash_recalc=34, change_tail=38, pull_data=39,
         csum_update=40, set_hash_invalid=41, change_head=43, socket_uid=47, set_hash=48, adjust_room=50,
         load_bytes_rel=68, fib_lookup=69, cgroup_id=79, ancestor_cgroup_id=83, sk_lookup_tcp=84,
         sk_lookup_udp=85, sk_release=86, ecn_set_ce=97, csum_level=135, skb_cgroup_classid=151,
         redirect_neigh=152, redirect_peer=155, check_mtu=163, set_tstamp=192)

# default epilogue: skb fields into cb
META = [(48, 16), (52, 24), (56, 28), (60, 68), (64, 20)]   # protocol, vlan_tci, vlan_proto, hash, vlan_present
META2 = [(48, 4), (52, 0), (56, 8)]   # pkt_type, len, mark; then tstamp (8 bytes) into cb[3], cb[4]


def set_reg(r, v):
    v &= (1 << 64) - 1
    if v < (1 << 31):
        return mov(r, v)
    return lddw(r, v)


def ptr(r, off):
    return movr(r, 10) + insn(0x07, r, 0, 0, off)


def fill_stack(off, data):
    """Write bytes `data` at r10+off using 4-byte stores (len padded to 4)."""
    data = bytes(data) + b'\0' * (-len(data) % 4)
    out = b''
    for i in range(0, len(data), 4):
        w = struct.unpack('<i', data[i:i + 4])[0]
        out += st(10, off + i, 4, w)
    return out


def call_h(name, *args):
    """Set r1..rN (r1 = ctx when the first arg is 'ctx'; ('stack', off) = r10+off) and call."""
    code = b''
    for i, a in enumerate(args, start=1):
        if a == 'ctx':
            code += movr(i, 6)
        elif isinstance(a, tuple) and a[0] == 'stack':
            code += ptr(i, a[1])
        else:
            code += set_reg(i, a)
    return code + call(H[name])


def epilogue(kind):
    code = b''
    if kind in ('meta', 'meta2'):
        for cb, off in (META if kind == 'meta' else META2):
            code += ldx(2, 6, off, 4) + stx(6, 2, cb, 4)
        if kind == 'meta2':
            code += ldx(2, 6, 152, 8) + stx(6, 2, 60, 4) + rsh(2, 32) + stx(6, 2, 64, 4)
    elif kind == 'dlen':
        code += ldx(2, 6, 76, 4) + ldx(3, 6, 80, 4) + subr(3, 2) + stx(6, 3, 48, 4)
        for cb, off in META[1:]:
            code += ldx(2, 6, off, 4) + stx(6, 2, cb, 4)
    elif isinstance(kind, tuple) and kind[0] == 'buf':
        base = kind[1]
        for i in range(5):
            code += ldx(2, 10, base + 4 * i, 4) + stx(6, 2, 48 + 4 * i, 4)
    return code


CASES = []


def case(name, body, pkt=P.IPV4_TCP, epi='meta', ctx=None, prefill=None):
    pre = b''
    if prefill:
        pre = fill_stack(prefill[0], prefill[1])
    code = movr(6, 1) + pre + body + movr(7, 0) + epilogue(epi) + movr(0, 7) + exit_()
    c = {'name': name, 'prog': code.hex(), 'packet': pkt}
    if ctx:
        c['ctx'] = ctx
    else:
        c['ctxOut'] = True
    CASES.append(c)


def with_chk(pkt_hex, off, val):
    b = bytearray(bytes.fromhex(pkt_hex))
    b[off:off + 2] = val.to_bytes(2, 'big')
    return b.hex()


def set_byte(pkt_hex, off, val):
    b = bytearray(bytes.fromhex(pkt_hex))
    b[off] = val
    return b.hex()


AA = bytes([0xaa]) * 48

# ---- load_bytes / load_bytes_relative / store_bytes / pull_data
for off, ln in ((0, 20), (39, 20), (40, 20), (0x80000000, 4), (58, 1), (0xffffffff, 4)):
    case(f'load_bytes off={off} len={ln}', call_h('load_bytes', 'ctx', off, ('stack', -48), ln), epi=('buf', -48), prefill=(-48, AA))
for start, off, ln in ((1, 0, 20), (0, 0, 20), (1, 25, 20), (1, 26, 20), (2, 0, 4), (1, 0x10000, 4), (0, 39, 20), (0, 40, 20)):
    case(f'load_bytes_relative start={start} off={off} len={ln}',
         call_h('load_bytes_rel', 'ctx', off, ('stack', -48), ln, start), epi=('buf', -48), prefill=(-48, AA))
DATA8 = bytes(range(0x11, 0x19))
for off, ln, fl in ((0, 4, 0), (55, 4, 0), (56, 4, 0), (12, 8, 0), (0, 4, 4), (0, 4, 1), (0x80000000, 4, 0), (30, 4, 1 << 32)):
    case(f'store_bytes off={off} len={ln} flags={fl}', fill_stack(-16, DATA8) + call_h('store_bytes', 'ctx', off, ('stack', -16), ln, fl))
case('set_hash then store_bytes INVALIDATE_HASH', call_h('set_hash', 'ctx', 0x1234) + fill_stack(-16, DATA8) + call_h('store_bytes', 'ctx', 0, ('stack', -16), 4, 2))
case('set_hash then store_bytes no flag', call_h('set_hash', 'ctx', 0x1234) + fill_stack(-16, DATA8) + call_h('store_bytes', 'ctx', 0, ('stack', -16), 4, 0))
for ln in (0, 14, 59, 60, 0xffffffff):
    case(f'pull_data {ln}', call_h('pull_data', 'ctx', ln), epi='dlen')

# ---- checksums
IP_OK = '000000000000020000000001' '0800' '4500002d000100004006' '7ccb' '0a0000010a000002' + P.IPV4_TCP[68:]
for size, frm, to in ((2, 0x4006, 0x3f06), (2, 0x1_0000_4006, 0x3f06), (4, 0x0100000a, 0x0200000a), (4, 0xffffffff, 0), (0, 0, 0x1234),
                      (0, 0, 0xfffffffe), (0, 5, 1), (3, 1, 2), (2, 0xffff, 0), (4, 0, 0xffffffff)):
    case(f'l3_csum_replace size={size} from={frm:#x} to={to:#x}', call_h('l3', 'ctx', 24, frm, to, size), pkt=IP_OK)
for off, fl in ((25, 2), (58, 2), (57, 2), (0x10000, 2), (24, 0x12), (24, 0x100000002)):
    case(f'l3_csum_replace off={off} flags={fl:#x}', call_h('l3', 'ctx', off, 1, 2, fl), pkt=IP_OK)
for chk in (0x0000, 0xffff, 0x1234, 0x0001):
    pkt = with_chk(P.IPV4_TCP, 50, chk)
    for size, frm, to, fl in ((4, 0, 0xffff, 0), (4, 0x0a000001, 0x0a000003, 0x10), (2, 0x1234, 0x4321, 0), (2, 0xffff, 0, 0),
                              (0, 0, 0x12345678, 0x10), (4, 0, 0xffff, 0x20), (4, 0, 0xffff, 0x60), (2, 0x1, 0x1, 0x20),
                              (4, 0x12, 0x34, 0x80), (2, 0x1_0000_1234, 0x4321, 0x10)):
        case(f'l4_csum_replace chk={chk:#06x} size={size} from={frm:#x} to={to:#x} flags={fl:#x}',
             call_h('l4', 'ctx', 50, frm, to, size | fl), pkt=pkt)
for fl in (0x100, 0x3, 1 << 32):
    case(f'l4_csum_replace flags={fl:#x}', call_h('l4', 'ctx', 50, 0, 1, fl))
case('l4_csum_replace odd offset', call_h('l4', 'ctx', 51, 0, 1, 2))
case('l4_csum_replace size0 from!=0', call_h('l4', 'ctx', 50, 1, 1, 0))
STK = bytes([0x45, 0x00, 0x00, 0x2d, 0x0a, 0x00, 0x00, 0x01, 0xde, 0xad, 0xbe, 0xef, 0xff, 0xff, 0xff, 0xff, 0x12, 0x34, 0x56])
for fs, ts, seed in ((4, 4, 0), (4, 4, 0x12345678), (8, 8, 0), (12, 4, 0xffffffff), (4, 0, 0), (0, 4, 0), (0, 4, 0xffff0000),
                     (4, 0, 0xdeadbeef), (0, 0, 0x12345678), (0, 0, 0xffffffff), (3, 5, 0), (1, 7, 1), (16, 16, 0), (4, 8, 0x80000000)):
    # from = stack[-32..], to = stack[-32+4..] (overlapping windows of STK)
    a1 = ('stack', -32) if fs else 0
    a3 = ('stack', -28) if ts else 0
    case(f'csum_diff from_size={fs} to_size={ts} seed={seed:#x}',
         fill_stack(-32, STK) + call_h('csum_diff', a1, fs, a3, ts, seed))
case('csum_update', call_h('csum_update', 'ctx', 0x1234))
levels = {'query': [0], 'inc,query': [1, 0], 'inc*4,query': [1, 1, 1, 1, 0], 'inc,dec,query': [1, 2, 0],
          'inc,inc,dec,query': [1, 1, 2, 0], 'inc,reset,query': [1, 3, 0], 'level 4': [4], 'dec': [2], 'reset': [3], 'inc': [1]}
for name, seq in levels.items():
    case(f'csum_level {name}', b''.join(call_h('csum_level', 'ctx', lv) for lv in seq))
# CHECKSUM_UNNECESSARY (via csum_level INC) is reset by a successful adjust_room unless NO_CSUM_RESET
for name, body in (('adjust_room', call_h('adjust_room', 'ctx', 8, 0, 0)), ('adjust_room NO_CSUM_RESET', call_h('adjust_room', 'ctx', 8, 0, 32)),
                   ('failed adjust_room', call_h('adjust_room', 'ctx', 8, 2, 0)), ('change_tail', call_h('change_tail', 'ctx', 80, 0)),
                   ('change_proto', call_h('change_proto', 'ctx', 0xdd86, 0)), ('vlan_push', call_h('vlan_push', 'ctx', 0x0081, 1))):
    case(f'csum_level inc, inc, {name}, query', call_h('csum_level', 'ctx', 1) + call_h('csum_level', 'ctx', 1) + body + call_h('csum_level', 'ctx', 0))

# ---- redirect family
for ifi, fl in ((5, 0), (5, 1), (5, 2), (999, 0), (5, 8), (5, 1 << 32)):
    case(f'redirect ifindex={ifi} flags={fl:#x}', call_h('redirect', ifi, fl))
for fl in (0, 1):
    case(f'redirect_peer flags={fl}', call_h('redirect_peer', 5, fl))
case('redirect_neigh plen=0', call_h('redirect_neigh', 5, 0, 0, 0))
case('redirect_neigh plen=20', fill_stack(-24, bytes(20)) + call_h('redirect_neigh', 5, ('stack', -24), 20, 0))
case('redirect_neigh plen=8', fill_stack(-24, bytes(20)) + call_h('redirect_neigh', 5, ('stack', -24), 8, 0))
case('redirect_neigh flags=1', call_h('redirect_neigh', 5, 0, 0, 1))
for ifi, fl in ((1, 0), (999, 0), (1, 2)):
    case(f'clone_redirect ifindex={ifi} flags={fl}', call_h('clone_redirect', 'ctx', ifi, fl))
case('clone_redirect gso ctx', call_h('clone_redirect', 'ctx', 1, 0), ctx=rc.ctx_hex([(176, 4, 1000)]))

# ---- vlan
QINQ = '000000000000020000000001' '88a80007' '81000005' '0800' + P.IPV4_TCP[28:]
case('vlan_push 8100/5', call_h('vlan_push', 'ctx', 0x0081, 5))
case('vlan_push bad proto', call_h('vlan_push', 'ctx', 0x3412, 0xffff))
case('vlan_push 88a8/0', call_h('vlan_push', 'ctx', 0xa888, 0))
case('vlan_push twice', call_h('vlan_push', 'ctx', 0x0081, 5) + call_h('vlan_push', 'ctx', 0xa888, 9))
case('vlan_push thrice', call_h('vlan_push', 'ctx', 0x0081, 5) + call_h('vlan_push', 'ctx', 0xa888, 9) + call_h('vlan_push', 'ctx', 0x0081, 0x1234))
case('vlan_pop tagged', call_h('vlan_pop', 'ctx'), pkt=P.VLAN)
case('vlan_pop qinq', call_h('vlan_pop', 'ctx'), pkt=QINQ)
case('vlan_pop plain', call_h('vlan_pop', 'ctx'))
case('vlan_push then pop', call_h('vlan_push', 'ctx', 0x0081, 5) + call_h('vlan_pop', 'ctx'))
case('vlan_push twice then pop', call_h('vlan_push', 'ctx', 0x0081, 5) + call_h('vlan_push', 'ctx', 0xa888, 9) + call_h('vlan_pop', 'ctx'))
case('vlan_push on tagged', call_h('vlan_push', 'ctx', 0x0081, 3), pkt=P.VLAN)
case('vlan_pop short tagged', call_h('vlan_pop', 'ctx'), pkt='000000000000020000000001810000050800')

# ---- layout
case('change_proto 4->6', call_h('change_proto', 'ctx', 0xdd86, 0))
case('change_proto 6->4', call_h('change_proto', 'ctx', 0x0008, 0), pkt=P.IPV6_UDP)
case('change_proto 4->6->4', call_h('change_proto', 'ctx', 0xdd86, 0) + call_h('change_proto', 'ctx', 0x0008, 0))
case('change_proto 4->4', call_h('change_proto', 'ctx', 0x0008, 0))
case('change_proto flags', call_h('change_proto', 'ctx', 0xdd86, 1))
case('change_proto arp', call_h('change_proto', 'ctx', 0xdd86, 0), pkt=P.ARP)
case('change_proto 4->6 after set_hash', call_h('set_hash', 'ctx', 77) + call_h('change_proto', 'ctx', 0xdd86, 0))
for pkt_name in ('IPV4_TCP', 'IPV4_OTHER', 'IPV4_MCAST'):
    for t in (0, 1, 3, 4):
        case(f'change_type {pkt_name} -> {t}', call_h('change_type', 'ctx', t), pkt=getattr(P, pkt_name), epi='meta2')
for room, fl in ((14, 0), (0, 0), (1, 1), (16005, 0), (16006, 0), (0xffffffff, 0)):
    case(f'change_head {room} flags={fl}', call_h('change_head', 'ctx', room, fl), epi='dlen')
case('change_head then load_bytes_relative NET', call_h('change_head', 'ctx', 14, 0) + call_h('load_bytes_rel', 'ctx', 0, ('stack', -48), 20, 1), epi=('buf', -48))
case('change_head 200 (reallocates) then load_bytes_relative NET', call_h('change_head', 'ctx', 200, 0) + call_h('load_bytes_rel', 'ctx', 0, ('stack', -48), 20, 1), epi=('buf', -48))
case('adjust_room 0xfff then 0xfff then load_bytes_relative NET', call_h('adjust_room', 'ctx', 0xfff, 1, 0) + call_h('adjust_room', 'ctx', 0xfff, 1, 0) + call_h('load_bytes_rel', 'ctx', 0, ('stack', -48), 20, 1), epi=('buf', -48))
case('change_head then load_bytes_relative MAC', call_h('change_head', 'ctx', 14, 0) + call_h('load_bytes_rel', 'ctx', 0, ('stack', -48), 20, 0), epi=('buf', -48))
for nl, fl in ((100, 0), (40, 0), (14, 0), (13, 0), (59, 0), (16065, 0), (60, 1)):
    case(f'change_tail {nl} flags={fl}', call_h('change_tail', 'ctx', nl, fl), epi='dlen')
case('change_tail gso ctx', call_h('change_tail', 'ctx', 80, 0), ctx=rc.ctx_hex([(176, 4, 1000), (164, 4, 3)]))
ADJ = [(8, 0, 0), (8, 1, 0), (-25, 0, 0), (-25, 1, 0), (0x1000, 0, 0), (0xfff, 0, 0), (8, 2, 0), (8, 0, 6), (8, 0, 1 << 9),
       (-24, 0, 0), (-26, 0, 0), (-45, 1, 0), (-44, 1, 0), (0, 0, 0), (-8, 0, 2), (8, 1, 32), (8, 1, 1),
       (20, 1, 2), (28, 1, 2 | 16), (24, 1, 2 | 8), (40, 1, 4), (20, 1, 2 | 8 | 16), (34, 1, 2 | 64 | (14 << 56)),
       (34, 1, 2 | 64 | (13 << 56)), (20, 1, 2 | (30 << 56)), (20, 1, 2 | (20 << 56)), (-20, 1, 128), (-20, 1, 256),
       (20, 1, 128), (-20, 1, 384), (-20, 0, 128)]
for diff, mode, fl in ADJ:
    case(f'adjust_room diff={diff} mode={mode} flags={fl:#x}', call_h('adjust_room', 'ctx', diff & 0xffffffff, mode, fl), epi='dlen')
case('adjust_room encap twice', call_h('adjust_room', 'ctx', 20, 1, 2) + call_h('adjust_room', 'ctx', 20, 1, 2), epi='dlen')
case('adjust_room encap then change_tail', call_h('adjust_room', 'ctx', 20, 1, 2) + call_h('change_tail', 'ctx', 100, 0), epi='dlen')
case('adjust_room arp', call_h('adjust_room', 'ctx', 8, 0, 0), pkt=P.ARP, epi='dlen')
case('adjust_room ipv6 grow net', call_h('adjust_room', 'ctx', 8, 0, 0), pkt=P.IPV6_UDP, epi='dlen')
case('adjust_room ipv6 encap v4', call_h('adjust_room', 'ctx', 20, 1, 2), pkt=P.IPV6_UDP, epi='dlen')
case('adjust_room ipv6 shrink', call_h('adjust_room', 'ctx', (-8) & 0xffffffff, 0, 0), pkt=P.IPV6_UDP, epi='dlen')
case('adjust_room gso ctx', call_h('adjust_room', 'ctx', 8, 0, 0), ctx=rc.ctx_hex([(176, 4, 1000)]), epi='dlen')
case('adjust_room gso ctx fixed', call_h('adjust_room', 'ctx', 8, 0, 1), ctx=rc.ctx_hex([(176, 4, 1000)]), epi='dlen')
for ts, t in ((123, 0), (0, 0), (0, 1), (5, 1), (7, 2), (0, 2), (5, 3)):
    case(f'set_tstamp {ts} type {t}', call_h('set_tstamp', 'ctx', ts, t), epi='meta2')
case('set_tstamp arp', call_h('set_tstamp', 'ctx', 5, 1), pkt=P.ARP, epi='meta2')

# ---- hash and getters
case('set_hash then recalc', call_h('set_hash', 'ctx', 0x1234) + call_h('hash_recalc', 'ctx'))
case('set_hash 0 then recalc', call_h('set_hash', 'ctx', 0) + call_h('hash_recalc', 'ctx'))
case('set_hash then invalid', call_h('set_hash', 'ctx', 0x1234) + call_h('set_hash_invalid', 'ctx'))
for name in ('cgroup_classid', 'skb_cgroup_classid', 'route_realm', 'socket_uid'):
    case(name, call_h(name, 'ctx'))
case('ancestor_cgroup_id 0', call_h('ancestor_cgroup_id', 'ctx', 0))
case('ancestor_cgroup_id 50', call_h('ancestor_cgroup_id', 'ctx', 50))
for tos in (0, 1, 2, 3, 0xfc, 0xfd):
    case(f'ecn_set_ce ipv4 tos={tos:#x}', call_h('ecn_set_ce', 'ctx'), pkt=set_byte(IP_OK, 15, tos))
for tc in (0, 1, 2, 3):
    b = bytearray(bytes.fromhex(P.IPV6_UDP))
    b[14] = 0x60 | (tc >> 4)
    b[15] = (tc & 0xf) << 4
    case(f'ecn_set_ce ipv6 tc={tc}', call_h('ecn_set_ce', 'ctx'), pkt=b.hex())
case('ecn_set_ce arp', call_h('ecn_set_ce', 'ctx'), pkt=P.ARP)
case('ecn_set_ce vlan', call_h('ecn_set_ce', 'ctx'), pkt=set_byte(P.VLAN, 19, 1))
case('ecn_set_ce short ipv4', call_h('ecn_set_ce', 'ctx'), pkt=set_byte(IP_OK, 15, 1)[:68])

# ---- tunnel metadata
# struct bpf_tunnel_key: id u32, remote[4], tos, ttl, ext u16, label u32, local[4] (44 bytes)
KEY = struct.pack('<IIIIIBBHIIIII', 42, 0x0a000001, 0, 0, 0, 7, 64, 0, 0, 0x0a000002, 0, 0, 0)
KEY6 = struct.pack('<IIIIIBBHIIIII', 43, 1, 2, 3, 4, 5, 6, 0, 0xabcde, 9, 10, 11, 12)
case('get_tunnel_key unset', call_h('get_tkey', 'ctx', ('stack', -48), 44, 0), epi=('buf', -48), prefill=(-48, AA))
for size in (44, 48, 8, 22, 24, 28, 40, 43, 1):
    case(f'set_tunnel_key size={size}', fill_stack(-48, KEY) + call_h('set_tkey', 'ctx', ('stack', -48), size, 0))
for fl in (1 << 5, 0x1f):
    case(f'set_tunnel_key flags={fl:#x}', fill_stack(-48, KEY) + call_h('set_tkey', 'ctx', ('stack', -48), 44, fl))
case('set_tunnel_key label without ipv6', fill_stack(-48, KEY6) + call_h('set_tkey', 'ctx', ('stack', -48), 44, 0))
case('set_tunnel_key tunnel_ext', fill_stack(-48, KEY[:22] + b'\1\0' + KEY[24:]) + call_h('set_tkey', 'ctx', ('stack', -48), 44, 0))
SETK = fill_stack(-48, KEY) + call_h('set_tkey', 'ctx', ('stack', -48), 44, 0)
SETK6 = fill_stack(-48, KEY6) + call_h('set_tkey', 'ctx', ('stack', -48), 44, 1)
for base in (-96, -76, -56):
    for gfl in (0, 16):
        case(f'set then get_tunnel_key window={base + 96} flags={gfl}', SETK + fill_stack(-96, AA) + call_h('get_tkey', 'ctx', ('stack', -96), 44, gfl), epi=('buf', base))
        case(f'set6 then get_tunnel_key window={base + 96} flags={gfl | 1}', SETK6 + fill_stack(-96, AA) + call_h('get_tkey', 'ctx', ('stack', -96), 44, gfl | 1), epi=('buf', base))
for sf, gfl in ((0x6, 16), (0x8, 16), (0x10, 16), (0x2, 16)):
    case(f'set flags={sf:#x} then get flags={gfl}', fill_stack(-48, KEY) + call_h('set_tkey', 'ctx', ('stack', -48), 44, sf) + fill_stack(-96, AA) + call_h('get_tkey', 'ctx', ('stack', -96), 44, gfl), epi=('buf', -76))
for size in (8, 22, 24, 28, 40, 48):
    case(f'set then get_tunnel_key size={size}', SETK + fill_stack(-96, AA) + call_h('get_tkey', 'ctx', ('stack', -96), size, 0), epi=('buf', -96))
case('set v4 then get ipv6', SETK + call_h('get_tkey', 'ctx', ('stack', -96), 44, 1))
case('set v6 then get size 8', SETK6 + fill_stack(-96, AA) + call_h('get_tkey', 'ctx', ('stack', -96), 8, 1), epi=('buf', -96))
case('set then get flags 4', SETK + call_h('get_tkey', 'ctx', ('stack', -96), 44, 4))
OPT = bytes(range(1, 9))
case('get_tunnel_opt unset', call_h('get_topt', 'ctx', ('stack', -48), 8), epi=('buf', -48), prefill=(-48, AA))
case('set_tunnel_opt without key', fill_stack(-16, OPT) + call_h('set_topt', 'ctx', ('stack', -16), 8))
case('set_tunnel_opt size 6', SETK + fill_stack(-16, OPT) + call_h('set_topt', 'ctx', ('stack', -16), 6))
case('set key, opt, get opt 16', SETK + fill_stack(-16, OPT) + call_h('set_topt', 'ctx', ('stack', -16), 8) + fill_stack(-48, AA[:16]) + call_h('get_topt', 'ctx', ('stack', -48), 16), epi=('buf', -48))
case('set key, opt, get opt 4', SETK + fill_stack(-16, OPT) + call_h('set_topt', 'ctx', ('stack', -16), 8) + fill_stack(-48, AA[:16]) + call_h('get_topt', 'ctx', ('stack', -48), 4), epi=('buf', -48))
case('set key, get opt', SETK + fill_stack(-48, AA[:16]) + call_h('get_topt', 'ctx', ('stack', -48), 16), epi=('buf', -48))

# ---- fib_lookup / check_mtu
def fib(family, ifindex, tot_len=0):
    b = bytearray(64)
    b[0] = family
    b[6:8] = tot_len.to_bytes(2, 'little')
    b[8:12] = ifindex.to_bytes(4, 'little')
    b[16:20] = bytes([10, 0, 0, 1])
    b[32:36] = bytes([10, 0, 0, 2])
    return bytes(b)
for fam, ifi, plen, fl in ((2, 1, 64, 0), (10, 1, 64, 0), (0, 1, 64, 0), (2, 999, 64, 0), (2, 1, 63, 0), (2, 1, 64, 0x40), (2, 1, 64, 2), (2, 0, 64, 0)):
    case(f'fib_lookup family={fam} ifindex={ifi} plen={plen} flags={fl:#x}', fill_stack(-64, fib(fam, ifi)) + call_h('fib_lookup', 'ctx', ('stack', -64), plen, fl), epi=('buf', -64))
for ifi, mtu_in, diff, fl in ((0, 0, 0, 0), (1, 0, 0, 0), (999, 0, 0, 0), (0, 0, 0, 2), (0, 0, 8, 1), (0, 1500, 0, 0), (0, 0, 65536 + 14 - 59, 0),
                              (0, 0, 65536 + 15 - 59, 0), (0, 65536, 0, 0), (0, 65537, 0, 0), (0, 0, (-100) & 0xffffffff, 0)):
    case(f'check_mtu ifindex={ifi} mtu_in={mtu_in} diff={diff} flags={fl}',
         fill_stack(-24, AA[:16] + mtu_in.to_bytes(4, 'little') + AA[:4]) + call_h('check_mtu', 'ctx', ifi, ('stack', -8), diff, fl), epi=('buf', -24))

# ---- socket lookups and the test-run socket
TUP = bytes([10, 0, 0, 1, 10, 0, 0, 2, 0, 80, 0x1f, 0x90])
for name in ('sk_lookup_tcp', 'sk_lookup_udp'):
    body = fill_stack(-16, TUP) + call_h(name, 'ctx', ('stack', -16), 12, 0xffffffff, 0)
    body += insn(0x15, 0, 0, 2, 0) + movr(1, 0) + call(H['sk_release'])  # if (sk) release(sk)
    case(name, body)
for off, size in ((0, 4), (4, 4), (24, 4), (24, 1), (25, 1), (26, 2), (28, 4), (40, 4), (44, 4), (48, 4), (48, 2), (49, 1), (52, 4), (56, 4), (72, 4), (76, 4)):
    body = ldx(2, 6, 168, 8) + mov(0, 0xdead) + insn(0x15, 2, 0, 1, 0) + ldx(0, 2, off, size)
    case(f'sk field off={off} size={size}', body)
for pkt in ('IPV6_UDP', 'ARP', 'VLAN'):
    for off, size in ((4, 4), (24, 4), (28, 4), (32, 4), (36, 4), (40, 4), (41, 1), (42, 2), (52, 4), (56, 4), (60, 4), (64, 4), (68, 4), (70, 2), (72, 4)):
        body = ldx(2, 6, 168, 8) + mov(0, 0xdead) + insn(0x15, 2, 0, 1, 0) + ldx(0, 2, off, size)
        case(f'sk field {pkt} off={off} size={size}', body, pkt=getattr(P, pkt))

for off in (0, 4, 8, 12, 16, 20, 24, 72, 76):
    for pkt in ('IPV4_TCP', 'IPV6_UDP', 'ARP'):
        # sk = skb->sk; if (sk) { full = sk_fullsock(sk); if (full) r7 = *(u32 *)(full + off) }
        body = (mov(7, 0xdead) + ldx(1, 6, 168, 8) + insn(0x15, 1, 0, 4, 0) + call(95) + insn(0x15, 0, 0, 2, 0)
                + ldx(7, 0, off, 4) + insn(0x05, 0, 0, 0, 0) + movr(0, 7))
        case(f'sk_fullsock {pkt} off={off}', body, pkt=getattr(P, pkt))
for h in (96, 98):
    body = mov(7, 0xdead) + ldx(1, 6, 168, 8) + insn(0x15, 1, 0, 3, 0) + call(h) + mov(7, 0) + insn(0x15, 0, 0, 1, 0) + mov(7, 1) + movr(0, 7)
    case(f'sock_helper {h} (tcp_sock / get_listener_sock) is NULL', body)
case('skb_get_xfrm_state', fill_stack(-24, AA[:24]) + movr(1, 6) + mov(2, 0) + ptr(3, -24) + mov(4, 20) + mov(5, 0) + call(66), epi=('buf', -24))


if __name__ == '__main__':
    ORACLE = sys.argv[1] if len(sys.argv) > 1 else os.environ.get('TCXLAB_ORACLE')
    rc.ORACLE = ORACLE
    rc.run_all(CASES)
    rc.dump('helpers.json', CASES)
    bad = [c['name'] for c in CASES if not c['kernel'].get('loaded')]
    print(len(CASES), 'cases;', len(bad), 'not loaded:', bad)
