#!/usr/bin/env python3
"""Record BPF_PROG_TEST_RUN with flags = BPF_F_TEST_SKB_CHECKSUM_COMPLETE (the oracle cannot pass
test-run flags, so this calls bpf(2) directly through ctypes). Run as root on Linux 6.18:
    python3 test/goldens/skb/record-csum-complete.py
Writes csum-complete.json: per case the raw program, the packet, and the syscall's errno, retval
and data_out.
"""
import ctypes, json, os, struct, sys
sys.path.insert(0, os.path.dirname(__file__))
from bpfasm import *  # noqa
import packets as P
import importlib
rh = importlib.import_module('record-helpers')

libc = ctypes.CDLL(None, use_errno=True)
SYS_BPF = 321
BPF_PROG_LOAD, BPF_PROG_TEST_RUN = 5, 10


def bpf(cmd, attr):
    buf = ctypes.create_string_buffer(bytes(attr), len(attr))
    r = libc.syscall(SYS_BPF, cmd, buf, len(attr))
    return r, (ctypes.get_errno() if r < 0 else 0), buf.raw


def load(prog_hex):
    insns = ctypes.create_string_buffer(bytes.fromhex(prog_hex))
    lic = ctypes.create_string_buffer(b'GPL')
    attr = bytearray(144)
    struct.pack_into('<IIQQ', attr, 0, 3, len(bytes.fromhex(prog_hex)) // 8, ctypes.addressof(insns), ctypes.addressof(lic))
    fd, err, _ = bpf(BPF_PROG_LOAD, attr)
    if fd < 0:
        raise SystemExit(f'load failed errno {err}')
    return fd


def test_run(fd, pkt_hex, flags):
    data = ctypes.create_string_buffer(bytes.fromhex(pkt_hex))
    out = ctypes.create_string_buffer(20000)
    attr = bytearray(80)
    struct.pack_into('<IIIIQQ', attr, 0, fd, 0, len(bytes.fromhex(pkt_hex)), 20000, ctypes.addressof(data), ctypes.addressof(out))
    struct.pack_into('<I', attr, 32, 1)  # repeat
    struct.pack_into('<I', attr, 64, flags)
    r, err, raw = bpf(BPF_PROG_TEST_RUN, attr)
    retval, size_out = struct.unpack_from('<II', raw, 4)[0], struct.unpack_from('<I', raw, 12)[0]
    res = {'err': err}
    if r == 0:
        res['retval'] = retval
        res['data_out'] = out.raw[:size_out].hex()
    return res


def direct_write(off, val):
    # r2 = data; r3 = data_end; if (r2 + off + 1 > r3) exit; *(u8 *)(r2 + off) = val
    return (movr(6, 1) + ldx(2, 6, 76, 4) + ldx(3, 6, 80, 4) + movr(4, 2) + insn(0x07, 4, 0, 0, off + 1)
            + insn(0x2d, 4, 3, 1, 0) + st(2, off, 1, val) + mov(0, 0) + exit_())


CASES = []


def case(name, prog, pkt=P.IPV4_TCP):
    CASES.append({'name': name, 'prog': prog if isinstance(prog, str) else prog.hex(), 'packet': pkt})


def helper(body):
    return (movr(6, 1) + body + exit_()).hex()


c = rh.call_h
D8 = rh.fill_stack(-16, bytes(range(0x11, 0x19)))
case('noop', prog(mov(0, 7), exit_()))
case('direct write in L3', direct_write(20, 0x55))
case('direct write in L2', direct_write(2, 0x55))
case('store_bytes L3 no flag', helper(D8 + c('store_bytes', 'ctx', 20, ('stack', -16), 4, 0)))
case('store_bytes L3 recompute', helper(D8 + c('store_bytes', 'ctx', 20, ('stack', -16), 4, 1)))
case('store_bytes L3 odd recompute', helper(D8 + c('store_bytes', 'ctx', 21, ('stack', -16), 3, 1)))
case('store_bytes L2 recompute', helper(D8 + c('store_bytes', 'ctx', 2, ('stack', -16), 4, 1)))
case('store_bytes L2 no flag', helper(D8 + c('store_bytes', 'ctx', 2, ('stack', -16), 4, 0)))
case('change_tail shrink', helper(c('change_tail', 'ctx', 40, 0)))
case('change_tail grow', helper(c('change_tail', 'ctx', 80, 0)))
case('adjust_room grow', helper(c('adjust_room', 'ctx', 8, 0, 0)))
case('adjust_room shrink', helper(c('adjust_room', 'ctx', (-8) & 0xffffffff, 0, 0)))
case('adjust_room mac grow', helper(c('adjust_room', 'ctx', 8, 1, 0)))
case('csum_update 0', helper(c('csum_update', 'ctx', 0)))
case('csum_update 0x1234', helper(c('csum_update', 'ctx', 0x1234)))
case('csum_level query', helper(c('csum_level', 'ctx', 0)))
case('csum_level inc query', helper(c('csum_level', 'ctx', 1) + c('csum_level', 'ctx', 0)))
case('l4 pseudo size4', helper(c('l4', 'ctx', 50, 0x0a000001, 0x0a000003, 4 | 0x10)))
case('l4 size4 no pseudo', helper(c('l4', 'ctx', 50, 0x0a000001, 0x0a000003, 4)))
case('l4 pseudo diff', helper(c('l4', 'ctx', 50, 0, 0x1234, 0x10)))
case('l3 size2', helper(c('l3', 'ctx', 24, 0x4006, 0x3f06, 2)))
case('store recompute then l3', helper(D8 + c('store_bytes', 'ctx', 22, ('stack', -16), 2, 1) + c('l3', 'ctx', 24, 0x4006, 0x1108, 2)))
case('vlan_push twice', helper(c('vlan_push', 'ctx', 0x0081, 5) + c('vlan_push', 'ctx', 0xa888, 9)))
case('vlan_pop tagged', helper(c('vlan_pop', 'ctx')), pkt=P.VLAN)
case('change_proto 4->6', helper(c('change_proto', 'ctx', 0xdd86, 0)))
case('change_head 14', helper(c('change_head', 'ctx', 14, 0)))
case('ecn_set_ce ipv6', helper(c('ecn_set_ce', 'ctx')), pkt=P.IPV6_UDP[:28] + '61' + P.IPV6_UDP[30:])

if __name__ == '__main__':
    for cs in CASES:
        fd = load(cs['prog'])
        cs['kernel'] = test_run(fd, cs['packet'], 4)
        os.close(fd)
    with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), 'csum-complete.json'), 'w') as f:
        f.write('[\n' + ',\n'.join(json.dumps(c, sort_keys=True) for c in CASES) + '\n]\n')
    for cs in CASES:
        print(cs['name'], cs['kernel'].get('err'), cs['kernel'].get('retval'))
