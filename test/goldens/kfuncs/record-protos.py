#!/usr/bin/env python3
"""Records the BTF prototypes of the kfuncs tcxlab implements, from the running kernel's BTF.

    python3 record-protos.py > kfunc-protos.json

Reads `bpftool btf dump file /sys/kernel/btf/vmlinux` (raw format) and renders each FUNC's
FUNC_PROTO C-like: return type and (name, type) parameters, with typedef names kept as written
(u32, __u64) and qualifiers spelled out. The kfunc names are those of vm/kfuncs.ts, listed
in kfunc-names.txt (one per line). test/kfuncs/kfuncs-goldens.test.ts compares every record with this file.
"""
import json, os, re, subprocess, sys

here = os.path.dirname(os.path.abspath(__file__))
names = [l.strip() for l in open(os.path.join(here, 'kfunc-names.txt')) if l.strip() and not l.startswith('#')]
raw = subprocess.run(['bpftool', 'btf', 'dump', 'file', '/sys/kernel/btf/vmlinux'], capture_output=True, text=True, check=True).stdout

types = {}
cur = None
for line in raw.split('\n'):
    m = re.match(r"\[(\d+)\] (\w+) '([^']*)'(.*)", line)
    if m:
        cur = {'kind': m.group(2), 'name': m.group(3), 'rest': m.group(4), 'members': []}
        types[int(m.group(1))] = cur
        continue
    m = re.match(r"\t'([^']*)' type_id=(\d+)", line)
    if m and cur is not None:
        cur['members'].append((m.group(1), int(m.group(2))))

def attr(t, key):
    m = re.search(key + r'=(\d+)', t['rest'])
    return int(m.group(1)) if m else None

def render(tid):
    if tid == 0:
        return 'void'
    t = types[tid]
    k = t['kind']
    if k in ('INT', 'TYPEDEF', 'FLOAT'):
        return t['name']
    if k in ('STRUCT', 'UNION', 'ENUM', 'ENUM64', 'FWD'):
        kw = {'STRUCT': 'struct', 'UNION': 'union', 'ENUM': 'enum', 'ENUM64': 'enum'}.get(k)
        if k == 'FWD':
            kw = 'union' if 'fwd_kind=union' in t['rest'] else 'struct'
        return f"{kw} {t['name']}"
    if k == 'PTR':
        return render(attr(t, 'type_id')) + ' *'
    if k in ('CONST', 'VOLATILE', 'RESTRICT'):
        return k.lower() + ' ' + render(attr(t, 'type_id'))
    if k == 'TYPE_TAG':
        return render(attr(t, 'type_id'))
    raise SystemExit(f'unexpected kind {k} for type {tid}')

out = {}
byname = {t['name']: t for t in types.values() if t['kind'] == 'FUNC'}
for n in names:
    f = byname.get(n)
    if f is None:
        out[n] = None
        continue
    proto = types[attr(f, 'type_id')]
    out[n] = {'ret': render(attr(proto, 'ret_type_id')), 'params': [[pn, render(pt)] for pn, pt in proto['members']]}
kernel = subprocess.run(['uname', '-r'], capture_output=True, text=True).stdout.strip()
json.dump({'kernel': kernel, 'protos': out}, sys.stdout, indent=1)
print()
