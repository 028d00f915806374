#!/usr/bin/env python3
"""Record LD_ABS / LD_IND on a sched_cls test-run skb (oracle raw). Writes ld-abs.json.
    python3 test/goldens/skb/record-ld-abs.py [ORACLE]
(ORACLE defaults to $TCXLAB_ORACLE, the kernel oracle: docs/kernel-oracle.md.)
"""
import os, sys
sys.path.insert(0, os.path.dirname(__file__))
from bpfasm import *  # noqa
import packets as P
import importlib
rc = importlib.import_module('record-ctx')

NET, LL = -0x100000, -0x200000
CASES = []
for size, op in ((1, 0x30), (2, 0x28), (4, 0x20)):
    for off in (0, 1, 12, 14, 55, 57, 58, 59, 60, NET, NET + 9, NET + 44, NET + 45, NET - 1, LL, LL + 12, LL - 1, -1, 0x7fffffff):
        for pkt in ('IPV4_TCP', 'VLAN'):
            # r6 = ctx; r0 = ld_abs; r0 += 1 (so a fall-out exit with 0 is told apart); exit
            code = movr(6, 1) + insn(op, 0, 0, 0, off) + insn(0x07, 0, 0, 0, 1) + exit_()
            CASES.append({'name': f'ld_abs size={size} off={off} {pkt}', 'prog': code.hex(), 'packet': getattr(P, pkt), 'ctxOut': True})
    for base, off in ((10, 2), (NET, 9), (0x7ffffff0, 0x20), (-5, 5)):
        code = movr(6, 1) + lddw(7, base & 0xffffffff) + insn(op | 0x40 & ~0x20 if False else (0x40 | (op & 0x18)), 0, 7, 0, off) + insn(0x07, 0, 0, 0, 1) + exit_()
        CASES.append({'name': f'ld_ind size={size} base={base} off={off}', 'prog': code.hex(), 'packet': P.IPV4_TCP, 'ctxOut': True})

if __name__ == '__main__':
    if len(sys.argv) > 1:
        rc.ORACLE = sys.argv[1]
    rc.run_all(CASES)
    rc.dump('ld-abs.json', CASES)
    print(len(CASES), 'cases;', sum(1 for c in CASES if not c['kernel'].get('loaded')), 'not loaded')
