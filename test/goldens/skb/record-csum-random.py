#!/usr/bin/env python3
"""Random differential cases for the checksum arithmetic (csum_diff over random buffers, sizes and
seeds; l3/l4_csum_replace over random field values), recorded with `oracle raw`.
Deterministic (seeded), so re-running gives the same programs.
    python3 test/goldens/skb/record-csum-random.py [ORACLE]
(ORACLE defaults to $TCXLAB_ORACLE, the kernel oracle: docs/kernel-oracle.md.)
Writes csum-random.json in the helpers.json format (replayed by test/helpers/skb-helpers.test.ts).
"""
import os, random, sys
sys.path.insert(0, os.path.dirname(__file__))
from bpfasm import *  # noqa
import packets as P
import importlib
rc = importlib.import_module('record-ctx')
rh = importlib.import_module('record-helpers')

rng = random.Random(6180)
rh.CASES.clear()
for i in range(80):
    buf = bytes(rng.randrange(256) for _ in range(64))
    fs = rng.choice([0, 1, 2, 3, 4, 5, 7, 8, 12, 16, 20, 31, 32])
    ts = rng.choice([0, 1, 2, 3, 4, 6, 8, 12, 16, 20, 27, 32])
    seed = rng.choice([0, 0xffffffff, 0x80000000, rng.getrandbits(32), rng.getrandbits(16)])
    a1 = ('stack', -64) if fs else 0
    a3 = ('stack', -32) if ts else 0
    rh.case(f'csum_diff random #{i} from_size={fs} to_size={ts} seed={seed:#x}',
            rh.fill_stack(-64, buf) + rh.call_h('csum_diff', a1, fs, a3, ts, seed))
for i in range(60):
    chk = rng.getrandbits(16)
    frm, to = rng.getrandbits(32), rng.getrandbits(32)
    size = rng.choice([0, 2, 4])
    if size == 0:
        frm = 0
    pkt = rh.with_chk(rh.IP_OK, 24, chk)
    rh.case(f'l3_csum_replace random #{i} chk={chk:#06x} size={size} from={frm:#x} to={to:#x}', rh.call_h('l3', 'ctx', 24, frm, to, size), pkt=pkt)
for i in range(60):
    chk = rng.getrandbits(16)
    frm, to = rng.getrandbits(32), rng.getrandbits(32)
    size = rng.choice([0, 2, 4])
    fl = rng.choice([0, 0x10, 0x20, 0x60, 0x80, 0x90])
    if size == 0:
        frm = 0
    pkt = rh.with_chk(P.IPV4_TCP, 50, chk)
    rh.case(f'l4_csum_replace random #{i} chk={chk:#06x} size={size} from={frm:#x} to={to:#x} flags={fl:#x}',
            rh.call_h('l4', 'ctx', 50, frm, to, size | fl), pkt=pkt)

if __name__ == '__main__':
    if len(sys.argv) > 1:
        rc.ORACLE = sys.argv[1]
    rc.run_all(rh.CASES)
    rc.dump('csum-random.json', rh.CASES)
    print(len(rh.CASES), 'cases;', sum(1 for c in rh.CASES if not c['kernel'].get('loaded')), 'not loaded')
