#!/usr/bin/env python3
"""Records the kernel's verdict and retval for small raw programs about bpf_throw and RCU
sections (`oracle raw`: a sched_cls program without BTF, license GPL) into raw_cases.out.json.

    TCXLAB_ORACLE=/path/to/oracle python3 test/goldens/exceptions/record-raw.py

Programs are written with the symbolic instructions of CASES (kfuncs by name); their BTF ids come
from the running kernel's /sys/kernel/btf/vmlinux (bpftool), so the recording does not depend on a
kernel build. test/vm/verifier-exceptions.test.ts assembles the same cases with tcxlab's kfunc ids
and checks the verifier's message (the last line of the kernel log) and both engines' retval.
"""
import json, os, re, struct, subprocess

HERE = os.path.dirname(os.path.abspath(__file__))
ORACLE = os.environ.get('TCXLAB_ORACLE')
if not ORACLE:
    raise SystemExit('set TCXLAB_ORACLE to the kernel oracle (docs/kernel-oracle.md)')

# Each case: name, instructions. An instruction is a kfunc name (a call of it) or a tuple
# (op, dst, src, off, imm) or ('lddw', dst, value).
CASES = [
    ('rcu_pair', ['bpf_rcu_read_lock', 'bpf_rcu_read_unlock', (0xb7, 0, 0, 0, 0), (0x95,)]),
    ('rcu_nested', ['bpf_rcu_read_lock', 'bpf_rcu_read_lock', 'bpf_rcu_read_unlock', 'bpf_rcu_read_unlock', (0xb7, 0, 0, 0, 0), (0x95,)]),
    ('rcu_unmatched', ['bpf_rcu_read_unlock', (0xb7, 0, 0, 0, 0), (0x95,)]),
    ('rcu_exit', ['bpf_rcu_read_lock', (0xb7, 0, 0, 0, 0), (0x95,)]),
    ('throw_in_rcu', ['bpf_rcu_read_lock', (0xb7, 1, 0, 0, 0), 'bpf_throw', (0xb7, 0, 0, 0, 0), (0x95,)]),
    ('throw_preempt_off', ['bpf_preempt_disable', (0xb7, 1, 0, 0, 0), 'bpf_throw', (0xb7, 0, 0, 0, 0), (0x95,)]),
    ('throw_stack_cookie', [(0xbf, 1, 10, 0, 0), 'bpf_throw', (0xb7, 0, 0, 0, 0), (0x95,)]),
    ('throw_ctx_cookie', ['bpf_throw', (0xb7, 0, 0, 0, 0), (0x95,)]),
    # main calls f; f throws a 64-bit cookie: the program returns it (retval: its low 32 bits)
    ('throw_from_subprog', [(0x85, 0, 1, 0, 2), (0x07, 0, 0, 0, 1000), (0x95,), ('lddw', 1, 0x1_0000_7005), 'bpf_throw', (0xb7, 0, 0, 0, 9), (0x95,)]),
    # nothing after a throw is checked (r7 is never written)
    ('throw_ends_path', [(0x85, 0, 1, 0, 1), (0x95,), (0xb7, 1, 0, 0, 0), 'bpf_throw', (0xbf, 0, 7, 0, 0), (0x95,)]),
    ('no_throw_uninit', [(0x85, 0, 1, 0, 1), (0x95,), (0xb7, 1, 0, 0, 0), (0xbf, 0, 7, 0, 0), (0x95,)]),
]
PACKET = '000000000000000000000000080045000014000000000040000000000000000000000000000000'

btf = subprocess.run(['bpftool', 'btf', 'dump', 'file', '/sys/kernel/btf/vmlinux'], capture_output=True, text=True, check=True).stdout
ids = {m.group(2): int(m.group(1)) for m in re.finditer(r"^\[(\d+)\] FUNC '([^']+)'", btf, re.M)}

def ins(op, dst=0, src=0, off=0, imm=0):
    return struct.pack('<BBhi', op, (dst & 15) | ((src & 15) << 4), off, imm).hex()

def encode(prog):
    out = ''
    for x in prog:
        if isinstance(x, str):
            out += ins(0x85, 0, 2, 0, ids[x])
        elif x[0] == 'lddw':
            v = x[2]
            out += ins(0x18, x[1], 0, 0, struct.unpack('<i', struct.pack('<I', v & 0xffffffff))[0]) + ins(0, 0, 0, 0, v >> 32)
        else:
            out += ins(*x)
    return out

rows = []
for name, prog in CASES:
    res = json.loads(subprocess.run([ORACLE, 'raw', encode(prog), PACKET], capture_output=True, text=True, check=True).stdout)
    log = [l for l in res.get('verifier_log', '').split('\n') if l]
    errs = [l for l in log if not re.match(r'^\d+: ', l) and not l.startswith('processed ') and not l.startswith('from ')]
    rows.append({'case': name, 'program': [list(x) if not isinstance(x, str) else x for x in prog], 'loaded': res['loaded'],
                 'message': errs[-1] if not res['loaded'] and errs else None, 'retval': res.get('retval')})
with open(os.path.join(HERE, 'raw_cases.out.json'), 'w') as f:
    json.dump({'kernel': os.uname().release, 'command': 'python3 test/goldens/exceptions/record-raw.py', 'packet': PACKET, 'cases': rows}, f, indent=1)
    f.write('\n')
print(f'exceptions: {len(rows)} raw cases ({os.uname().release})')
