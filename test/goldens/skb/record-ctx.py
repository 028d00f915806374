#!/usr/bin/env python3
"""Record the kernel's answers for __sk_buff access rules and BPF_PROG_TEST_RUN skb construction.

Run as root on a Linux 6.18 machine with the oracle built:
    python3 test/goldens/skb/record-ctx.py [ORACLE]
(ORACLE defaults to $TCXLAB_ORACLE, the kernel oracle: docs/kernel-oracle.md.)
Writes ctx-access.json, ctx-values.json, ctx-stores.json and test-run-build.json next to this file.
Each case stores the raw program (hex) and inputs with the oracle's JSON answer, so the tests can
replay the same accesses through our model.
"""
import json, os, struct, subprocess, sys
from concurrent.futures import ThreadPoolExecutor

sys.path.insert(0, os.path.dirname(__file__))
from bpfasm import *  # noqa
import packets as P

ORACLE = sys.argv[1] if len(sys.argv) > 1 else os.environ.get('TCXLAB_ORACLE')
HERE = os.path.dirname(os.path.abspath(__file__))


def oracle_raw(prog_hex, pkt_hex, ctx=None, ctx_out=False):
    if not ORACLE:
        sys.exit('record-ctx.py: set TCXLAB_ORACLE to the kernel oracle (docs/kernel-oracle.md)')
    cmd = [ORACLE, 'raw', prog_hex, pkt_hex]
    if ctx is not None:
        cmd += ['--ctx', ctx]
    elif ctx_out:
        cmd += ['--ctx-out']
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    j = json.loads(out)
    j.pop('verifier_log', None) if j.get('loaded') else None
    if 'verifier_log' in j:
        # keep only the last line: the reason
        lines = [l for l in j['verifier_log'].splitlines() if l.strip()]
        j['verifier_log'] = '\n'.join(lines[-3:-1])
    return j


def run_all(cases):
    with ThreadPoolExecutor(8) as ex:
        res = list(ex.map(lambda c: oracle_raw(c['prog'], c['packet'], c.get('ctx'), c.get('ctxOut', False)), cases))
    for c, r in zip(cases, res):
        c['kernel'] = r
    return cases


def dump(name, obj):
    for c in obj:
        k = c['kernel']
        # data_out equal to the input frame says nothing: keep the file small.
        if k.get('data_out') == c['packet']:
            del k['data_out']
            k['data_out_unchanged'] = True
    with open(os.path.join(HERE, name), 'w') as f:
        f.write('[\n' + ',\n'.join(json.dumps(c, sort_keys=True) for c in obj) + '\n]')
        f.write('\n')


def ctx_hex(fields):
    b = bytearray(192)
    for off, size, val in fields:
        b[off:off + size] = (val & ((1 << (8 * size)) - 1)).to_bytes(size, 'little')
    return b.hex()


def access_matrix():
    cases = []
    for size in (1, 2, 4, 8):
        for off in range(0, 192, size):
            # load
            cases.append({'kind': 'ldx', 'off': off, 'size': size, 'packet': P.IPV4_TCP,
                          'prog': prog(ldx(0, 1, off, size), mov(0, 0), exit_())})
            cases.append({'kind': 'stx', 'off': off, 'size': size, 'packet': P.IPV4_TCP,
                          'prog': prog(mov(2, 0), stx(1, 2, off, size), mov(0, 0), exit_())})
            cases.append({'kind': 'st', 'off': off, 'size': size, 'packet': P.IPV4_TCP,
                          'prog': prog(st(1, off, size, 0), mov(0, 0), exit_())})
            if size != 8:
                cases.append({'kind': 'ldsx', 'off': off, 'size': size, 'packet': P.IPV4_TCP,
                              'prog': prog(ldsx(0, 1, off, size), mov(0, 0), exit_())})
    return run_all(cases)


# A ctx_in with every settable field set to a distinctive value.
FULL_CTX = ctx_hex([
    (8, 4, 0x80818283), (32, 4, 0x91929394), (36, 4, 7), (48, 4, 0xa0a1a2a3), (52, 4, 0xb0b1b2b3),
    (56, 4, 0xc0c1c2c3), (60, 4, 0xd0d1d2d3), (64, 4, 0xe0e1e2e3), (152, 8, 0x1122334455667788),
    (160, 4, 1500), (164, 4, 0x8182), (176, 4, 0xfffffff0), (184, 8, 0x99aabbccddeeff00),
])


def values():
    cases = []
    readable = [(o, s) for s in (1, 2, 4) for o in range(0, 192, s)] + [(o, 8) for o in range(0, 192, 8)]
    for pkt_name in ('IPV4_TCP', 'IPV4_BCAST', 'IPV4_MCAST', 'IPV4_OTHER', 'ARP', 'VLAN', 'RAW8023', 'LLC', 'IPV6_UDP'):
        pkt = getattr(P, pkt_name)
        for ctx in (None, FULL_CTX) if pkt_name == 'IPV4_TCP' else (None,):
            for off, size in readable:
                if off in (76, 80, 140, 168) or (88 <= off < 140) or (144 <= off < 152):
                    continue  # pointers and rejected ranges: covered by the matrix / below
                base = {'packet': pkt, 'packetName': pkt_name, 'off': off, 'size': size}
                if ctx:
                    base['ctx'] = ctx
                cases.append(dict(base, kind='ldx', prog=prog(ldx(0, 1, off, size), exit_())))
                if size == 8:
                    cases.append(dict(base, kind='ldx_hi', prog=prog(ldx(0, 1, off, size), rsh(0, 32), exit_())))
                elif pkt_name == 'IPV4_TCP':
                    cases.append(dict(base, kind='ldsx_hi', prog=prog(ldsx(0, 1, off, size), rsh(0, 32), exit_())))
                    cases.append(dict(base, kind='ldsx', prog=prog(ldsx(0, 1, off, size), exit_())))
        # pointer facts: data_end - data, data_meta == data, sk != NULL
        base = {'packet': pkt, 'packetName': pkt_name}
        cases.append(dict(base, kind='data_len', prog=prog(ldx(2, 1, 76, 4), ldx(0, 1, 80, 4), subr(0, 2), exit_())))
        cases.append(dict(base, kind='meta_gap', prog=prog(ldx(2, 1, 140, 4), ldx(0, 1, 76, 4), subr(0, 2), exit_())))
        cases.append(dict(base, kind='sk_nonnull', prog=prog(ldx(0, 1, 168, 8), mov(3, 0),
                                                              insn(0x15, 0, 0, 1, 0), mov(3, 1), movr(0, 3), exit_())))
    return run_all(cases)


def stores():
    cases = []
    vals = [0, 1, 0x5678, 0xfffe, 0xffff, 0x10000, 0x12345678, 0x80000000, 0xffffffff, -1, 0x1_0000_0005]
    for off in (8, 12, 32, 44, 72, 48, 52, 64):
        for v in vals:
            for ctx in (None, FULL_CTX):
                base = {'off': off, 'value': v, 'packet': P.IPV4_TCP}
                if ctx:
                    base['ctx'] = ctx
                else:
                    base['ctxOut'] = True
                # STX of a 64-bit register value, then read back 4 bytes
                cases.append(dict(base, kind='stx', prog=prog(lddw(2, v), stx(1, 2, off, 4), ldx(0, 1, off, 4), exit_())))
                if -(1 << 31) <= v < (1 << 31) or v == 0xffffffff or v == 0x80000000:
                    imm = v if v < (1 << 31) else v - (1 << 32)
                    cases.append(dict(base, kind='st', imm=imm, prog=prog(st(1, off, 4, imm), ldx(0, 1, off, 4), exit_())))
    # cb narrow and 8-byte stores
    for off, size in ((48, 1), (49, 1), (50, 2), (48, 8), (56, 8), (66, 2), (67, 1)):
        cases.append({'kind': 'stx', 'off': off, 'size': size, 'value': 0x0102030405060708, 'packet': P.IPV4_TCP,
                      'ctxOut': True,
                      'prog': prog(lddw(2, 0x0102030405060708), stx(1, 2, off, size), mov(0, 0), exit_())})
    # tstamp 8-byte store
    for ctx in (None, FULL_CTX):
        base = {'kind': 'stx', 'off': 152, 'size': 8, 'value': 0x0123456789abcdef, 'packet': P.IPV4_TCP}
        if ctx:
            base['ctx'] = ctx
        else:
            base['ctxOut'] = True
        cases.append(dict(base, prog=prog(lddw(2, 0x0123456789abcdef), stx(1, 2, 152, 8), ldx(0, 1, 152, 8), rsh(0, 32), exit_())))
    return run_all(cases)


def build():
    noop = prog(mov(0, 0), exit_())
    cases = []
    ipv4 = P.IPV4_TCP
    # lengths
    for n in (13, 14, 15, 33, 34):
        cases.append({'what': f'ipv4 len {n}', 'packet': ipv4[:2 * n] if n <= 59 else ipv4})
    v6 = P.IPV6_UDP
    for n in (53, 54):
        cases.append({'what': f'ipv6 len {n}', 'packet': v6[:2 * n]})
    cases.append({'what': 'arp len 14', 'packet': P.ARP[:28]})
    big = ipv4 + '00' * (3712 - 59)
    cases.append({'what': 'len 3712', 'packet': big})
    cases.append({'what': 'len 3713', 'packet': big + '00'})
    # every ctx byte nonzero, one at a time
    for i in range(192):
        b = bytearray(192)
        b[i] = 1
        cases.append({'what': f'ctx byte {i}', 'packet': ipv4, 'ctx': b.hex()})
    # ctx sizes and trailers
    cases.append({'what': 'ctx 8 bytes', 'packet': ipv4, 'ctx': '00000000' + '05000000'})
    cases.append({'what': 'ctx 200 zero', 'packet': ipv4, 'ctx': '00' * 200})
    cases.append({'what': 'ctx 200 trailer', 'packet': ipv4, 'ctx': '00' * 199 + '01'})
    cases.append({'what': 'ctx 4096', 'packet': ipv4, 'ctx': '00' * 4096})
    cases.append({'what': 'ctx 4097', 'packet': ipv4, 'ctx': '00' * 4097})
    for w in (1, 58, 59, 60, 65536, 65537):
        cases.append({'what': f'wire_len {w}', 'packet': ipv4, 'ctx': ctx_hex([(160, 4, w)])})
    for g in (65535, 65536):
        cases.append({'what': f'gso_segs {g}', 'packet': ipv4, 'ctx': ctx_hex([(164, 4, g)])})
    for i in (1, 999):
        cases.append({'what': f'ifindex {i}', 'packet': ipv4, 'ctx': ctx_hex([(40, 4, i)])})
    cases.append({'what': 'full ctx', 'packet': ipv4, 'ctx': FULL_CTX})
    cases.append({'what': 'ctx-out only', 'packet': ipv4, 'ctxOut': True})
    for c in cases:
        c['prog'] = noop
    return run_all(cases)


def sock_matrix():
    # r2 = skb->sk; if (!r2) return 0xdead; r0 = *(size *)(r2 + off) (or the full view with sk_fullsock)
    cases = []
    for full in (False, True):
        for size in (1, 2, 4, 8):
            for off in range(0, 80, size):
                if full:
                    code = (movr(6, 1) + mov(0, 0xdead) + ldx(1, 6, 168, 8) + insn(0x15, 1, 0, 4, 0) + call(95)
                            + insn(0x15, 0, 0, 2, 0) + movr(2, 0) + ldx(0, 2, off, size) + exit_())
                else:
                    code = ldx(2, 1, 168, 8) + mov(0, 0xdead) + insn(0x15, 2, 0, 1, 0) + ldx(0, 2, off, size) + exit_()
                for pkt in ('IPV4_TCP', 'IPV6_UDP'):
                    cases.append({'kind': 'full' if full else 'common', 'off': off, 'size': size, 'packet': getattr(P, pkt),
                                  'packetName': pkt, 'prog': code.hex()})
    return run_all(cases)


if __name__ == '__main__':
    dump('sock-access.json', sock_matrix())
    dump('test-run-build.json', build())
    dump('ctx-stores.json', stores())
    dump('ctx-values.json', values())
    dump('ctx-access.json', access_matrix())
