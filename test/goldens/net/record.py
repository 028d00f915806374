#!/usr/bin/env python3
"""Run a `tcxlab net` scenario on the real kernel and print what happened as JSON.

    sudo python3 test/goldens/net/record.py SCENARIO.net > SCENARIO.kernel.json

Needs root, iproute2 (ip, tc), bpftool, strace, a kernel with tcx (6.6+). Everything happens in
a network namespace created for the run (tcxlab-rec-PID) with a bpffs directory of the same name;
both are removed at the end. Only addresses inside that namespace are used.

How each scenario line is carried out:
  ip ...                          `ip -n NS ...`
  load FILE as NAME               `bpftool prog loadall FILE DIR/NAME/progs pinmaps DIR/NAME/maps`
  tc ...                          `tc ...` inside NS, program references turned into
                                  `object-pinned DIR/NAME/progs/PROG`; the netlink errno is read
                                  from strace's decoding of the NLMSG_ERROR answer
  bpftool net attach|detach tcx_* raw bpf(2) (BPF_PROG_ATTACH / BPF_LINK_CREATE / BPF_PROG_DETACH)
                                  from this process, which joins NS (bpftool 7.1 has no tcx)
  map write OBJ/MAP OFF TYPE VAL  read-modify-write of key 0 with bpftool map update
  map dump OBJ/MAP                every value in key order, concatenated, as hex
  send DEV DIR FRAME              AF_PACKET send: DIR egress sends on DEV; DIR ingress sends on
                                  DEV's veth peer, so the frame arrives on DEV. A UDP socket bound
                                  to the frame's destination port reports local delivery; with
                                  tracefs at /sys/kernel/tracing (mounted for the run if needed),
                                  skb:kfree_skb events give the drop reasons
                                  ("drops": [[reason, function], ...]).
Output: {"kernel": uname -r, "tools": ..., "steps": [{"line", "cmd", "rc", "errno"?, "msg"?, ...}]}
"""
import contextlib
import ctypes
import json
import os
import re
import socket
import struct
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, '..', '..', '..'))
libc = ctypes.CDLL(None, use_errno=True)
CLONE_NEWNET = 0x40000000
NR_BPF = 321
BPF_OBJ_GET, BPF_PROG_ATTACH, BPF_PROG_DETACH, BPF_LINK_CREATE = 7, 8, 9, 28
BPF_TCX_INGRESS, BPF_TCX_EGRESS = 46, 47
BPF_F_BEFORE, BPF_F_AFTER = 1 << 3, 1 << 4
TRACE = '/sys/kernel/tracing'  # skb:kfree_skb gives drop reasons when tracefs is mounted
ERRNAMES = {v: k for k, v in vars(__import__('errno')).items() if k.startswith('E') and isinstance(v, int)}


def bpf(cmd, attr):
    buf = ctypes.create_string_buffer(bytes(attr), 128)
    r = libc.syscall(NR_BPF, cmd, buf, 128)
    if r < 0:
        return -ctypes.get_errno()
    return r


def obj_get(path):
    p = ctypes.create_string_buffer(path.encode())
    attr = struct.pack('<QII', ctypes.addressof(p), 0, 0)
    return bpf(BPF_OBJ_GET, attr)


def parse_frame(words):
    """HEX | udp SRC:PORT DST:PORT [smac MAC] [dmac MAC] [len N] -> bytes."""
    if words[0] != 'udp':
        return bytes.fromhex(''.join(words))
    src, sport = words[1].split(':')
    dst, dport = words[2].split(':')
    opts = dict(zip(words[3::2], words[4::2]))
    smac = bytes.fromhex(opts.get('smac', '02:00:00:00:00:02').replace(':', ''))
    dmac = bytes.fromhex(opts.get('dmac', '02:00:00:00:00:01').replace(':', ''))
    total = int(opts.get('len', '64'))
    payload = bytes(max(0, total - 14 - 28))
    udp = struct.pack('!HHHH', int(sport), int(dport), 8 + len(payload), 0) + payload
    ip = bytearray(struct.pack('!BBHHHBBH4s4s', 0x45, 0, 20 + len(udp), 0, 0x4000, 64, 17, 0,
                               socket.inet_aton(src), socket.inet_aton(dst)))
    s = sum(struct.unpack('!10H', bytes(ip)))
    s = (s & 0xffff) + (s >> 16)
    s = (s & 0xffff) + (s >> 16)
    ip[10:12] = struct.pack('!H', (~s) & 0xffff)
    return dmac + smac + b'\x08\x00' + bytes(ip) + udp


class Recorder:
    def __init__(self, name):
        self.main = name
        self.ns = name      # the namespace the current line runs in
        self.nsnames = {}   # scenario netns name -> real name
        self.devns = {}     # device name -> real netns name (after ip link set DEV netns NS)
        self.dir = '/sys/fs/bpf/' + name
        self.objs = {}      # alias -> pinned dir
        self.links = []     # link fds kept open
        self.peers = {}     # veth name -> peer name
        self.steps = []

    @contextlib.contextmanager
    def in_ns(self, real):
        """Run this process (bpf(2), sockets, if_nametoindex) in netns `real`, then come back."""
        if real == self.main:
            yield
            return
        fd = os.open('/run/netns/' + real, os.O_RDONLY)
        back = os.open('/run/netns/' + self.main, os.O_RDONLY)
        try:
            if libc.setns(fd, CLONE_NEWNET) != 0:
                raise SystemExit('setns failed')
            yield
        finally:
            libc.setns(back, CLONE_NEWNET)
            os.close(fd)
            os.close(back)

    def real_ns(self, name):
        return self.nsnames[name]

    def sh(self, argv, check_errno=False):
        if check_errno:
            argv = ['strace', '-qq', '-f', '-e', 'trace=recvmsg', '-e', 'signal=none', '-s', '300'] + argv
        p = subprocess.run(argv, capture_output=True, text=True)
        out = {'rc': p.returncode}
        err = p.stderr
        if check_errno:
            m = re.findall(r'error=-(E[A-Z0-9]+)', err)
            if m and p.returncode != 0:
                out['errno'] = m[-1]  # the last NLMSG_ERROR (ip looks names up first)
            msgs = [l for l in err.splitlines() if not l.startswith('recvmsg(') and not l.startswith('[pid')]
            err = '\n'.join(msgs)
        if p.returncode != 0:
            out['msg'] = err.strip().splitlines()[0] if err.strip() else ''
        if p.stdout.strip():
            out['stdout'] = p.stdout
        return out

    def nsexec(self, argv, **kw):
        return self.sh(['nsenter', '--net=/run/netns/' + self.ns] + argv, **kw)

    def ns_of(self, dev):
        return self.devns.get(dev, self.main)

    def prog_path(self, ref):
        alias, prog = ref.split('/', 1)
        return os.path.join(self.objs[alias], 'progs', prog)

    def map_path(self, ref):
        alias, m = ref.split('/', 1)
        d = os.path.join(self.objs[alias], 'maps')
        want = m.replace('.', '_')
        for f in sorted(os.listdir(d)):
            if f == want or f.endswith(want):
                return os.path.join(d, f)
        raise SystemExit(f'no map {ref} in {os.listdir(d)}')

    def prog_ref(self, words, i):
        """`pinned ALIAS/PROG` or `obj FILE prog NAME` at words[i:] -> (path, next index)."""
        if words[i] == 'pinned':
            return self.prog_path(words[i + 1]), i + 2
        if words[i] == 'obj':
            f = words[i + 1]
            alias = self.load(f, f)
            j = i + 2
            name = None
            while j < len(words) and words[j] in ('sec', 'prog'):
                if words[j] == 'prog':
                    name = words[j + 1]
                j += 2
            return os.path.join(self.objs[alias], 'progs', name), j
        raise SystemExit(f'bad program reference at {words[i:]}')

    def load(self, f, alias):
        if alias in self.objs:
            return alias
        d = os.path.join(self.dir, 'o%d' % len(self.objs))
        os.makedirs(d)
        r = self.sh(['bpftool', 'prog', 'loadall', os.path.join(ROOT, f), d + '/progs', 'pinmaps', d + '/maps'])
        if r['rc'] != 0:
            # libbpf 1.1 does not know tcx/* section names: load every program as sched_cls
            subprocess.run(['rm', '-rf', d + '/progs', d + '/maps'])
            r = self.sh(['bpftool', 'prog', 'loadall', os.path.join(ROOT, f), d + '/progs', 'type', 'tc', 'pinmaps', d + '/maps'])
        if r['rc'] != 0:
            raise SystemExit(f'load {f}: {r}')
        self.objs[alias] = d
        return alias

    def run_line(self, n, line, step=None, w=None):
        w = w or line.split()
        step = step if step is not None else {'line': n, 'cmd': line}
        if w[0] in ('ip', 'tc') and len(w) > 2 and w[1] == '-n':
            prev, self.ns = self.ns, self.real_ns(w[2])
            try:
                self.run_line(n, line, step, [w[0]] + w[3:])
            finally:
                self.ns = prev
            return
        if w[:3] == ['ip', 'netns', 'exec']:
            prev, self.ns = self.ns, self.real_ns(w[3])
            try:
                self.run_line(n, line, step, w[4:])
            finally:
                self.ns = prev
            return
        if w[:3] == ['ip', 'netns', 'add']:
            real = self.main + '-' + w[3]
            self.nsnames[w[3]] = real
            step.update(self.sh(['ip', 'netns', 'add', real]))
            for k in ('all', 'default'):
                self.sh(['ip', 'netns', 'exec', real, 'sysctl', '-qw', f'net.ipv4.conf.{k}.rp_filter=0',
                         f'net.ipv6.conf.{k}.disable_ipv6=1'])
            self.sh(['ip', '-n', real, 'link', 'set', 'lo', 'up'])
            self.steps.append(step)
            return
        if w[0] == 'ip':
            if w[1:4] == ['link', 'add', w[3]] and 'peer' in w:
                self.peers[w[3]] = w[w.index('name', 4) + 1]
                self.peers[self.peers[w[3]]] = w[3]
            args = list(w[1:])
            if 'netns' in args and args[0] == 'link':
                i = args.index('netns')
                dev = args[args.index('set') + 1] if args[args.index('set') + 1] != 'dev' else args[args.index('set') + 2]
                self.devns[dev] = args[i + 1] = self.real_ns(args[i + 1])
            step.update(self.sh(['ip', '-n', self.ns] + args, check_errno=True))
        elif w[0] == 'load':
            self.load(w[1], w[3])
            step['rc'] = 0
        elif w[0] == 'tc':
            argv = []
            i = 1
            while i < len(w):
                if w[i] in ('pinned', 'obj') and 'bpf' in w[:i]:
                    path, i = self.prog_ref(w, i)
                    argv += ['object-pinned', path]
                    continue
                argv.append(w[i])
                i += 1
            step.update(self.nsexec(['tc'] + argv, check_errno=True))
        elif w[0] == 'bpftool' and w[1] == 'net' and w[2] in ('attach', 'detach'):
            step.update(self.tcx(w))
        elif w[0] == 'bpftool' and w[1] == 'net' and w[2] in ('show', 'list'):
            step.update(self.nsexec(w))  # informational: bpftool 7.1 does not list tcx
        elif w[0] == 'map' and w[1] == 'write':
            path = self.map_path(w[2])
            off, typ, val = int(w[3], 0), w[4], int(w[5], 0)
            cur = bytearray(self.dump(path))  # key 0 (single-entry global data maps)
            fmt = {'u8': '<B', 'u16': '<H', 'u32': '<I', 's32': '<i', 'u64': '<Q'}[typ]
            if typ != 's32':
                val &= (1 << (8 * struct.calcsize(fmt))) - 1
            struct.pack_into(fmt, cur, off, val)
            r = self.sh(['bpftool', 'map', 'update', 'pinned', path, 'key', '0', '0', '0', '0', 'value'] + [str(b) for b in cur])
            step['rc'] = r['rc']
        elif w[0] == 'map' and w[1] == 'dump':
            step['rc'] = 0
            step['value'] = self.dump(self.map_path(w[2])).hex()
        elif w[0] == 'send':
            step.update(self.send(w[1], w[2], w[3:]))
        else:
            raise SystemExit(f'line {n}: unknown command {line}')
        self.steps.append(step)

    def dump(self, path):
        p = subprocess.run(['bpftool', '-j', 'map', 'dump', 'pinned', path], capture_output=True, text=True, check=True)
        out = b''
        for e in json.loads(p.stdout):  # every value in key order (arrays: index order)
            out += bytes(int(x, 16) for x in e['value']) if isinstance(e['value'][0], str) else bytes(e['value'])
        return out

    def tcx(self, w):
        # bpftool net attach|detach tcx_ingress|tcx_egress PROG dev D [before PROG|after PROG] [link]
        attach = w[2] == 'attach'
        atype = {'tcx_ingress': BPF_TCX_INGRESS, 'tcx_egress': BPF_TCX_EGRESS}[w[3]]
        with self.in_ns(self.ns):
            return self.tcx_here(w, attach, atype)

    def tcx_here(self, w, attach, atype):
        path, i = self.prog_ref(w, 4)
        assert w[i] == 'dev'
        ifindex = socket.if_nametoindex(w[i + 1])
        i += 2
        flags, rel, link = 0, 0, False
        while i < len(w):
            if w[i] in ('before', 'after'):
                flags |= BPF_F_BEFORE if w[i] == 'before' else BPF_F_AFTER
                if i + 1 < len(w) and w[i + 1] in ('pinned', 'obj'):
                    rpath, i = self.prog_ref(w, i + 1)
                    rel = obj_get(rpath)
                    continue
                i += 1
            elif w[i] == 'link':
                link = True
                i += 1
            else:
                raise SystemExit(f'bad tcx option {w[i]}')
        fd = obj_get(path)
        if link:
            r = bpf(BPF_LINK_CREATE, struct.pack('<IIIIIIQ', fd, ifindex, atype, flags, rel, 0, 0))
            if r >= 0:
                self.links.append(r)
        else:
            r = bpf(BPF_PROG_ATTACH if attach else BPF_PROG_DETACH, struct.pack('<IIIIIIQ', ifindex, fd, atype, flags, 0, rel, 0))
        os.close(fd)
        if rel > 0:
            os.close(rel)
        if r < 0:
            return {'rc': 1, 'errno': ERRNAMES.get(-r, str(-r))}
        return {'rc': 0}

    def send(self, dev, direction, words):
        frame = parse_frame(words)
        out_dev = dev if direction == 'egress' else self.peers[dev]
        udp = []  # a listener in every namespace: delivery may happen in another one
        for real in [self.main] + list(self.nsnames.values()):
            with self.in_ns(real):
                udp.append(self.listener(frame))
        udp = [u for u in udp if u]
        with self.in_ns(self.ns if direction == 'egress' else self.ns_of(out_dev)):
            s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
        return self.send_on(s, out_dev, frame, udp)

    def listener(self, frame):
        udp = None
        if frame[12:14] == b'\x08\x00' and frame[23] == 17:
            dport = struct.unpack('!H', frame[36:38])[0]
            udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            udp.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            udp.bind(('0.0.0.0', dport))
            udp.setblocking(False)
        return udp

    def send_on(self, s, out_dev, frame, udp):
        s.bind((out_dev, struct.unpack('!H', frame[12:14])[0]))  # skb->protocol = the ethertype
        tracing = os.path.exists(TRACE + '/trace')
        if tracing:
            with open(TRACE + '/trace', 'w') as t:
                t.write('')
        res = {'rc': 0, 'frame': frame.hex()}
        try:
            s.send(frame)
        except OSError as e:  # the transmit status (dev_queue_xmit's NET_XMIT_DROP → ENOBUFS)
            res['send_errno'] = ERRNAMES.get(e.errno, str(e.errno))
        s.close()
        time.sleep(0.1)
        if tracing:
            # skb:kfree_skb events of this send: [reason, function that freed the skb]
            with open(TRACE + '/trace') as t:
                drops = re.findall(r'location=([A-Za-z0-9_.]+)\S* reason: ([A-Z0-9_]+)', t.read())
            res['drops'] = [[r, loc] for loc, r in drops]
        if udp:
            got = 0
            for u in udp:
                try:
                    while True:
                        u.recv(65536)
                        got += 1
                except BlockingIOError:
                    pass
                u.close()
            res['delivered'] = got
        return res


def main():
    if len(sys.argv) != 2:
        raise SystemExit(__doc__)
    path = sys.argv[1]
    name = 'tcxlab-rec-%d' % os.getpid()
    subprocess.run(['ip', 'netns', 'add', name], check=True)
    rec = Recorder(name)
    os.makedirs(rec.dir)
    mounted = False
    if not os.path.exists(TRACE + '/trace'):  # mount tracefs for the run if it is not there
        mounted = subprocess.run(['mount', '-t', 'tracefs', 'nodev', TRACE], capture_output=True).returncode == 0
    ev = TRACE + '/events/skb/kfree_skb/enable'
    if os.path.exists(ev):
        with open(ev, 'w') as f:
            f.write('1')
    try:
        fd = os.open('/run/netns/' + name, os.O_RDONLY)
        if libc.setns(fd, CLONE_NEWNET) != 0:
            raise SystemExit('setns failed')
        os.close(fd)
        # no rp_filter; no IPv6 (DAD and router solicitations would be extra packets)
        for k in ('all', 'default'):
            subprocess.run(['ip', 'netns', 'exec', name, 'sysctl', '-qw', f'net.ipv4.conf.{k}.rp_filter=0',
                            f'net.ipv6.conf.{k}.disable_ipv6=1'], check=True)
        subprocess.run(['ip', '-n', name, 'link', 'set', 'lo', 'up'], check=True)
        with open(path) as f:
            for n, raw in enumerate(f, 1):
                line = raw.split('#', 1)[0].strip()
                if line:
                    rec.run_line(n, line)
    finally:
        for l in rec.links:
            os.close(l)
        for real in rec.nsnames.values():
            subprocess.run(['ip', 'netns', 'del', real])
        subprocess.run(['ip', 'netns', 'del', name])
        subprocess.run(['rm', '-rf', rec.dir])
        if os.path.exists(ev):
            with open(ev, 'w') as f:
                f.write('0')
        if mounted:
            subprocess.run(['umount', TRACE])
    tools = subprocess.run(['tc', '-V'], capture_output=True, text=True).stdout.strip()
    print(json.dumps({'kernel': os.uname().release, 'tools': tools, 'scenario': os.path.relpath(path, ROOT), 'steps': rec.steps}, indent=1))


if __name__ == '__main__':
    main()
