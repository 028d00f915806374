#!/usr/bin/env python3
"""Record BPF_PROG_TEST_RUN attribute behaviour the oracle does not expose: repeat on one skb,
short data_out / ctx_out buffers (ENOSPC), with bpf(2) through ctypes. Root, Linux 6.18:
    python3 test/goldens/skb/record-test-run-attrs.py
Writes test-run-attrs.json.
"""
import ctypes, json, os, struct, sys
sys.path.insert(0, os.path.dirname(__file__))
from bpfasm import *  # noqa
import packets as P
import importlib
cc = importlib.import_module('record-csum-complete')
rh = importlib.import_module('record-helpers')


def test_run(fd, pkt_hex, repeat=1, data_size_out=20000, ctx_in=None, ctx_size_out=None):
    data = ctypes.create_string_buffer(bytes.fromhex(pkt_hex))
    out = ctypes.create_string_buffer(20000)
    ctx_out = ctypes.create_string_buffer(192)
    cin = ctypes.create_string_buffer(bytes.fromhex(ctx_in)) if ctx_in else None
    attr = bytearray(80)
    struct.pack_into('<IIIIQQ', attr, 0, fd, 0, len(bytes.fromhex(pkt_hex)), data_size_out, ctypes.addressof(data), ctypes.addressof(out))
    struct.pack_into('<I', attr, 32, repeat)
    if cin is not None:
        struct.pack_into('<IQ', attr, 40, len(bytes.fromhex(ctx_in)), 0)
        struct.pack_into('<Q', attr, 48, ctypes.addressof(cin))
    if ctx_size_out is not None:
        struct.pack_into('<I', attr, 44, ctx_size_out)
        struct.pack_into('<Q', attr, 56, ctypes.addressof(ctx_out))
    r, err, raw = cc.bpf(cc.BPF_PROG_TEST_RUN, attr)
    retval, size_out = struct.unpack_from('<I', raw, 4)[0], struct.unpack_from('<I', raw, 12)[0]
    csize = struct.unpack_from('<I', raw, 44)[0]
    res = {'err': err, 'retval': retval, 'data_size_out': size_out, 'ctx_size_out': csize,
           'data_out': out.raw[:min(size_out, data_size_out or size_out)].hex()}
    if ctx_size_out is not None:
        res['ctx_out'] = ctx_out.raw[:min(ctx_size_out, 192)].hex()
    return res


c = rh.call_h
# *(u8 *)(data + 20) += 1; cb[0] += 1; return cb[0]
INC = (movr(6, 1) + ldx(2, 6, 76, 4) + ldx(3, 6, 80, 4) + movr(4, 2) + insn(0x07, 4, 0, 0, 21) + insn(0x2d, 4, 3, 3, 0)
       + ldx(5, 2, 20, 1) + insn(0x07, 5, 0, 0, 1) + stx(2, 5, 20, 1)
       + ldx(0, 6, 48, 4) + insn(0x07, 0, 0, 0, 1) + stx(6, 0, 48, 4) + exit_())
KEY = rh.KEY
# if (get_tunnel_key(...) == 0) return 1; set_tunnel_key(...); return 0
TUN = (movr(6, 1) + movr(1, 6) + rh.ptr(2, -48) + mov(3, 44) + mov(4, 0) + call(20) + mov(7, 1) + insn(0x15, 0, 0, 1, 0)
       + insn(0x05, 0, 0, 0x7fff, 0))  # placeholder, patched below
TUN_SET = rh.fill_stack(-48, KEY) + c('set_tkey', 'ctx', ('stack', -48), 44, 0) + mov(7, 0)
n_set = len(TUN_SET) // 8
TUN = (movr(6, 1) + rh.fill_stack(-48, bytes(44)) + movr(1, 6) + rh.ptr(2, -48) + mov(3, 44) + mov(4, 0) + call(20)
       + mov(7, 1) + insn(0x15, 0, 0, n_set, 0) + TUN_SET + movr(0, 7) + exit_())
CASES = [
    {'name': 'inc byte and cb repeat 5', 'prog': INC.hex(), 'packet': P.IPV4_TCP, 'repeat': 5, 'ctx_size_out': 192},
    {'name': 'inc repeat 0', 'prog': INC.hex(), 'packet': P.IPV4_TCP, 'repeat': 0, 'ctx_size_out': 192},
    {'name': 'vlan_push repeat 3', 'prog': (movr(6, 1) + c('vlan_push', 'ctx', 0x0081, 5) + exit_()).hex(), 'packet': P.IPV4_TCP, 'repeat': 3},
    {'name': 'adjust_room repeat 3', 'prog': (movr(6, 1) + c('adjust_room', 'ctx', 8, 0, 0) + exit_()).hex(), 'packet': P.IPV4_TCP, 'repeat': 3},
    {'name': 'tunnel key persists across repeats', 'prog': TUN.hex(), 'packet': P.IPV4_TCP, 'repeat': 2},
    {'name': 'tunnel key single run', 'prog': TUN.hex(), 'packet': P.IPV4_TCP, 'repeat': 1},
    {'name': 'data_size_out 10', 'prog': INC.hex(), 'packet': P.IPV4_TCP, 'data_size_out': 10, 'ctx_size_out': 192},
    {'name': 'data_size_out 59', 'prog': INC.hex(), 'packet': P.IPV4_TCP, 'data_size_out': 59},
    {'name': 'ctx_size_out 100', 'prog': INC.hex(), 'packet': P.IPV4_TCP, 'ctx_size_out': 100},
    {'name': 'grow with data_size_out 59', 'prog': (movr(6, 1) + c('change_tail', 'ctx', 80, 0) + exit_()).hex(), 'packet': P.IPV4_TCP, 'data_size_out': 59},
]

if __name__ == '__main__':
    for cs in CASES:
        fd = cc.load(cs['prog'])
        cs['kernel'] = test_run(fd, cs['packet'], repeat=cs.get('repeat', 1), data_size_out=cs.get('data_size_out', 20000),
                                ctx_size_out=cs.get('ctx_size_out'))
        os.close(fd)
    with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), 'test-run-attrs.json'), 'w') as f:
        f.write('[\n' + ',\n'.join(json.dumps(c, sort_keys=True) for c in CASES) + '\n]\n')
    for cs in CASES:
        k = cs['kernel']
        print(cs['name'], k['err'], k['retval'], k['data_size_out'], k['ctx_size_out'], k['data_out'][:60], k.get('ctx_out', '')[96:112])
