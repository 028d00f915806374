/**
 * @fileoverview `tcxlab net` scenarios: a line-oriented file in the spelling of ip, tc and
 * bpftool, run on an emulated host. The same file runs on the real kernel through
 * test/goldens/net/record.py, which is how the goldens are made.
 *
 *   ip link add NAME type veth peer name PEER | ip link add NAME type dummy
 *   ip link set [dev] NAME up|down | address MAC | mtu N      ip link del [dev] NAME
 *   ip addr add A.B.C.D/N dev NAME          (local address + connected route, for "delivered"
 *                                            and redirect_neigh)
 *   ip neigh add A.B.C.D lladdr MAC dev NAME [nud permanent]   (for redirect_neigh)
 *   load FILE as NAME                       (tcxlab: bpftool prog loadall; one set of maps)
 *   tc qdisc add|replace|del dev D clsact|ingress
 *   tc filter add|replace dev D ingress|egress [protocol all|ip|ipv6|arp|0xNNNN] [pref|prio N]
 *        [handle H] [chain N] bpf [da|direct-action] [classid MAJ:MIN] [skip_hw|skip_sw] PROG
 *        [action gact VERDICT|goto chain N|jump N ...]      (gact: ok pass pipe continue drop
 *                                                           shot reclassify stolen trap)
 *   tc filter del dev D ingress|egress [chain N] [pref|prio N [handle H]] [bpf]
 *   (instead of ingress|egress: parent ffff:MINOR — fff2 ingress, fff3 egress under clsact)
 *   tc filter show dev D ingress|egress      tc qdisc show [dev D]
 *   bpftool net attach tcx_ingress|tcx_egress PROG dev D [before PROG|after PROG|before|after]
 *        [link]                              bpftool net detach tcx_ingress|tcx_egress PROG dev D
 *   bpftool net show [dev D]
 *   map write OBJ/MAP OFFSET u8|u16|u32|s32|u64 VALUE      (key 0 of an array map)
 *   map dump OBJ/MAP                        (every value in key order, concatenated, hex)
 *   send DEV ingress|egress (HEX | pcap FILE | udp SRC:PORT DST:PORT [smac M] [dmac M] [len N])
 *        (pcap FILE: pcap or pcapng, frames converted to Ethernet; a capture that breaks off
 *        sends the frames before the fault, then the step fails with EINVAL)
 *
 *   ip netns add NS | ip -n NS ... | tc -n NS ... | ip netns exec NS COMMAND...
 *   ip link set DEV netns NS                (Host.moveDevice: down, qdisc gone, tcx kept)
 *
 *   PROG := pinned NAME/FUNC | obj FILE [sec SEC] prog FUNC | name FUNC
 *
 * `obj FILE` loads FILE once per scenario (its maps are shared by every program taken from it;
 * tc would load the object again for every filter). `send DEV ingress` makes the frame arrive
 * on DEV; the recorder does it by sending on DEV's veth peer, so that peer must not have egress
 * hooks in a recorded scenario.
 */
import { dirname, resolve } from 'node:path';
import { BpfError, ErrnoError, UsageError } from '../../vm/errors.js';
import type { Engine } from '../../vm/engine.js';
import type { CollectionOptions } from '../collection.js';
import type { MockEnv } from '../mock-env.js';
import { toHex } from '../maps/index.js';
import { ETH_P, TC_ACT, type ErrnoName } from '../uapi.js';
import { GACT_NAMES, type TcAction } from './cls-bpf.js';
import type { LoadedObject } from './datapath.js';
import { addAddress, addNeighbour, type NetDevice } from './device.js';
import { Host } from './host.js';
import type { ProgHandle } from './prog-handle.js';
import type { Direction } from './tcx.js';
import type { TcxAsClassic } from './classic-view.js';
import { fmtClassid, formatNetTrace, type NetTrace } from './trace.js';
import { parseFrames } from '../pcap/input.js';
import { captureFormat } from '../pcap/reader.js';

/** One executed scenario line (the JSON the recorder writes for the kernel has the same keys). */
export interface ScenarioStep {
  line: number;
  cmd: string;
  /** 0 = success. */
  rc: number;
  errno?: ErrnoName;
  msg?: string;
  /** send: how many UDP datagrams reached a local socket (IPv4/UDP frames only). */
  delivered?: number;
  /** send: the frame sent, hex. */
  frame?: string;
  /** send egress: the packet socket's errno for the transmit status (ENOBUFS = NET_XMIT_DROP). */
  sendErrno?: ErrnoName;
  /** map dump: key 0's value, hex. */
  value?: string;
  /** send: the trace (of the last frame when several were sent). */
  trace?: NetTrace;
  /** send: every frame's trace, in order (pcap files send several). */
  traces?: NetTrace[];
  /** send: every frame sent, in order. */
  frames?: Uint8Array[];
  /** show commands, send traces: readable text. */
  text?: string;
}

export interface ScenarioOptions {
  /** Reads files named in the scenario (objects, pcaps). */
  readFile: (path: string) => Uint8Array;
  /** Where relative paths are tried first (default: the current directory). */
  cwd?: string;
  /** The scenario file's path: relative paths are tried there second. */
  file?: string;
  host?: Host;
  /** Engine for every program run (default: the interpreter). */
  engine?: Engine;
  /** Compare mode: run tcx programs as classic filters (see SendOptions.tcxAsClassic). */
  tcxAsClassic?: TcxAsClassic;
  /** Record each hook's tcx program list in the traces (SendOptions.listPrograms). */
  listPrograms?: boolean;
  /** Called after every frame a `send` line runs (with HookEvent.frame filled in: --pcap-out). */
  onSend?: (trace: NetTrace, info: { line: number; frame: number; dev: string; dir: Direction; timestampNs?: bigint }) => void;
  /** Load-time verification of the objects the scenario loads (Collection's `verify`, default true). */
  verify?: CollectionOptions['verify'];
  /** With `verify: 'warn'`: each rejection let through. */
  onVerifierWarning?: CollectionOptions['onVerifierWarning'];
  /** The mocked world of every namespace the scenario makes (HostOptions.mock; `tcxlab net --env`). */
  mock?: MockEnv;
}

/**
 * A scenario stopped at a line it cannot run (unknown syntax, a file it cannot read): the
 * message names the line, and `steps` holds what ran before it, so callers can still show it.
 */
export class ScenarioError extends UsageError {
  constructor(
    message: string,
    readonly line: number,
    readonly steps: ScenarioStep[],
  ) {
    super(message);
  }
}

export interface ScenarioResult {
  host: Host;
  steps: ScenarioStep[];
}

const PROTOCOLS: Record<string, number> = { all: ETH_P.ETH_P_ALL, ip: ETH_P.ETH_P_IP, ipv6: ETH_P.ETH_P_IPV6, arp: ETH_P.ETH_P_ARP, '802.1q': ETH_P.ETH_P_8021Q };

function parseMac(s: string | undefined): Uint8Array {
  if (s === undefined) throw new UsageError('missing MAC address');
  const parts = s.split(':');
  if (parts.length !== 6 || parts.some((p) => !/^[0-9a-fA-F]{1,2}$/.test(p))) throw new UsageError(`bad MAC address ${s}`);
  return Uint8Array.from(parts.map((p) => parseInt(p, 16)));
}

function parseIp4(s: string | undefined): Uint8Array {
  if (s === undefined) throw new UsageError('missing IPv4 address');
  const p = s.split('.').map(Number);
  if (p.length !== 4 || p.some((x) => !Number.isInteger(x) || x < 0 || x > 255)) throw new UsageError(`bad IPv4 address ${s}`);
  return Uint8Array.from(p);
}

function num(s: string | undefined, what: string): number {
  if (s === undefined) throw new UsageError(`${what}: missing value`);
  const v = Number(s);
  if (!Number.isFinite(v) || !Number.isInteger(v)) throw new UsageError(`${what}: not a number: ${s}`);
  return v;
}

/** tc's handle notation: hex ("1", "0x1", "a"). */
function tcHandle(s: string | undefined): number {
  if (s === undefined || !/^(0x)?[0-9a-fA-F]+$/.test(s)) throw new UsageError(`bad handle ${String(s)}`);
  return parseInt(s.replace(/^0x/, ''), 16) >>> 0;
}

/** tc's classid "MAJ:MIN" (hex), or a plain hex number. */
export function parseClassid(s: string): number {
  const m = /^([0-9a-fA-F]*):([0-9a-fA-F]*)$/.exec(s);
  if (m) return ((parseInt(m[1] || '0', 16) << 16) | parseInt(m[2] || '0', 16)) >>> 0;
  return tcHandle(s);
}

/** An IPv4/UDP frame with a correct IPv4 header checksum (UDP checksum 0), like record.py. */
export function udpFrame(src: string, dst: string, opts: { smac?: string; dmac?: string; len?: number } = {}): Uint8Array {
  const [sip, sport] = src.split(':');
  const [dip, dport] = dst.split(':');
  const total = opts.len ?? 64;
  if (!(total >= 0 && total <= 65535)) throw new UsageError(`send udp: len ${total} is not 0..65535`);
  const payload = Math.max(0, total - 14 - 28);
  const f = new Uint8Array(14 + 28 + payload);
  f.set(parseMac(opts.dmac ?? '02:00:00:00:00:01'), 0);
  f.set(parseMac(opts.smac ?? '02:00:00:00:00:02'), 6);
  f[12] = 0x08;
  const dv = new DataView(f.buffer);
  dv.setUint8(14, 0x45);
  dv.setUint16(16, 28 + payload);
  dv.setUint16(20, 0x4000);
  f[22] = 64;
  f[23] = 17;
  f.set(parseIp4(sip), 26);
  f.set(parseIp4(dip), 30);
  let s = 0;
  for (let i = 14; i < 34; i += 2) s += dv.getUint16(i);
  while (s > 0xffff) s = (s & 0xffff) + (s >>> 16);
  dv.setUint16(24, ~s & 0xffff);
  dv.setUint16(34, num(sport, 'udp source port'));
  dv.setUint16(36, num(dport, 'udp destination port'));
  dv.setUint16(38, 8 + payload);
  return f;
}

/** Frames of a pcap or pcapng file as Ethernet frames (src/pcap); a malformed file throws its PcapError. */
export function readPcap(bytes: Uint8Array): Uint8Array[] {
  if (captureFormat(bytes) === undefined) throw new UsageError('pcap: not a pcap or pcapng file');
  const r = parseFrames(bytes);
  if (r.error) throw r.error;
  return r.frames.map((f) => f.data);
}

/** The scenario interpreter (one Host). */
export class ScenarioRunner {
  /** The scenario's main namespace. */
  readonly host: Host;
  /** Named namespaces (`ip netns add NAME`), sharing the main host's kernel. */
  readonly namespaces = new Map<string, Host>();
  /** The namespace the current line runs in (`ip -n NAME`, `ip netns exec NAME ...`). */
  private cur: Host;
  private readonly objects = new Map<string, LoadedObject>();
  private readonly addrs = new Map<NetDevice, Uint8Array[]>();
  /** How tc names the program last parsed ("f:[*fsobj]" when pinned, "x.bpf.o:[sec]" from a file). */
  private progLabel = '';

  constructor(private readonly opts: ScenarioOptions) {
    this.host = opts.host ?? new Host({ mock: opts.mock });
    this.cur = this.host;
  }

  private ns(name: string | undefined): Host {
    const h = name === undefined ? undefined : this.namespaces.get(name);
    if (!h) throw new ErrnoError('E_NET', 'ENOENT', `Cannot open network namespace "${String(name)}"`);
    return h;
  }

  /** Run every line; errno failures are steps (rc 1), usage errors abort with line context. */
  run(text: string): ScenarioResult {
    const steps: ScenarioStep[] = [];
    text.split('\n').forEach((raw, i) => {
      const line = raw.replace(/#.*/, '').trim();
      if (!line) return;
      const step: ScenarioStep = { line: i + 1, cmd: line, rc: 0 };
      try {
        this.exec(line.split(/\s+/), step);
      } catch (e) {
        if (e instanceof ErrnoError) {
          step.rc = 1;
          step.errno = e.errno;
          step.msg = e.message;
        } else if (e instanceof BpfError) {
          throw new ScenarioError(`line ${i + 1}: ${e.message}`, i + 1, steps);
        } else throw e;
      }
      steps.push(step);
    });
    return { host: this.host, steps };
  }

  private read(path: string): Uint8Array {
    // the current directory, then the scenario's directory and its ancestors (so repo-relative
    // paths in a committed scenario work from anywhere inside the repo)
    const tries = [resolve(this.opts.cwd ?? '.', path)];
    if (this.opts.file) {
      for (let d = resolve(this.opts.cwd ?? '.', dirname(this.opts.file)); ; d = dirname(d)) {
        tries.push(resolve(d, path));
        if (dirname(d) === d) break;
      }
    }
    for (const p of tries) {
      try {
        return this.opts.readFile(p);
      } catch {
        /* try the next */
      }
    }
    throw new UsageError(`cannot read ${path}`);
  }

  private dev(name: string | undefined): NetDevice {
    const d = name === undefined ? undefined : this.cur.device(name);
    if (!d) throw new ErrnoError('E_NET', 'ENODEV', `Cannot find device "${String(name)}"`);
    return d;
  }

  private load(file: string, alias: string): LoadedObject {
    let o = this.objects.get(alias);
    if (!o) {
      const base = file.split('/').pop()!;
      o = this.cur.loadObject(this.read(file), {
        objectName: base.slice(0, base.indexOf('.') > 0 ? base.indexOf('.') : undefined),
        verify: this.opts.verify,
        onVerifierWarning: this.opts.onVerifierWarning,
      });
      this.objects.set(alias, o);
    }
    return o;
  }

  /** PROG at w[i...]: returns the handle and the index after it. */
  private prog(w: string[], i: number): [ProgHandle, number] {
    const kw = w[i];
    if (kw === 'pinned' || kw === 'id') {
      const ref = w[i + 1] ?? '';
      const slash = ref.lastIndexOf('/');
      const o = this.objects.get(ref.slice(0, slash));
      if (slash < 0 || !o) throw new UsageError(`no loaded object for ${ref} (use: load FILE as NAME)`);
      this.progLabel = `${ref.slice(slash + 1)}:[*fsobj]`;
      return [o.program(ref.slice(slash + 1)), i + 2];
    }
    if (kw === 'name') {
      this.progLabel = w[i + 1];
      for (const o of this.objects.values()) if (o.programs.has(w[i + 1])) return [o.program(w[i + 1]), i + 2];
      throw new ErrnoError('E_NET', 'ENOENT', `no program named ${w[i + 1]}`);
    }
    if (kw === 'obj' || kw === 'object-file') {
      const file = w[i + 1];
      const o = this.load(file, file);
      let j = i + 2;
      let name: string | undefined;
      let sec: string | undefined;
      while (w[j] === 'sec' || w[j] === 'section' || w[j] === 'prog') {
        if (w[j] === 'prog') name = w[j + 1];
        else sec = w[j + 1];
        j += 2;
      }
      if (!name) {
        // tc takes the first program of the section
        const p = [...o.collection.programs.values()].find((x) => sec === undefined || x.spec.section === sec);
        if (!p) throw new UsageError(`${file}: no program in section ${String(sec)}`);
        name = p.name;
      }
      this.progLabel = `${file.split('/').pop()}:[${sec ?? o.collection.program(name ?? "").spec.section}]`;
      return [o.program(name), j];
    }
    throw new UsageError(`expected a program (pinned NAME/FUNC | obj FILE ... | name FUNC), got ${String(kw)}`);
  }

  private exec(w: string[], step: ScenarioStep): void {
    if ((w[0] === 'ip' || w[0] === 'tc') && w[1] === '-n') {
      return this.inNs(w[2], () => this.exec([w[0], ...w.slice(3)], step));
    }
    if (w[0] === 'ip' && w[1] === 'netns') {
      if (w[2] === 'exec') return this.inNs(w[3], () => this.exec(w.slice(4), step));
      if (w[2] === 'add' && w[3]) {
        if (this.namespaces.has(w[3])) throw new ErrnoError('E_NET', 'EEXIST', `Cannot create namespace file "/run/netns/${w[3]}": File exists`);
        this.namespaces.set(w[3], new Host({ kernel: this.host.kernel, mock: this.opts.mock }));
        return;
      }
      throw new UsageError('ip netns add NAME | ip netns exec NAME COMMAND...');
    }
    switch (w[0]) {
      case 'ip':
        return this.ip(w);
      case 'load':
        if (w[2] !== 'as' || !w[3]) throw new UsageError('load FILE as NAME');
        this.load(w[1], w[3]);
        return;
      case 'tc':
        return this.tc(w, step);
      case 'bpftool':
        return this.bpftool(w, step);
      case 'map':
        return this.map(w, step);
      case 'send':
        return this.send(w, step);
      default:
        throw new UsageError(`unknown command ${w[0]}`);
    }
  }

  private inNs(name: string | undefined, f: () => void): void {
    const h = this.ns(name);
    const prev = this.cur;
    this.cur = h;
    try {
      f();
    } finally {
      this.cur = prev;
    }
  }

  private ip(w: string[]): void {
    const rest = w.slice(1);
    if (rest[0] === 'link' && rest[1] === 'add') {
      const name = rest[2];
      if (rest[3] !== 'type') throw new UsageError('ip link add NAME type veth|dummy ...');
      if (rest[4] === 'veth') {
        if (rest[5] !== 'peer' || rest[6] !== 'name' || !rest[7]) throw new UsageError('ip link add NAME type veth peer name PEER');
        this.cur.addVeth(name, rest[7]);
      } else if (rest[4] === 'dummy') this.cur.addDummy(name);
      else throw new UsageError(`ip link add: type ${rest[4]} is not supported (veth, dummy)`);
      return;
    }
    if (rest[0] === 'link' && (rest[1] === 'set' || rest[1] === 'del' || rest[1] === 'delete')) {
      let i = 2;
      if (rest[i] === 'dev') i++;
      const d = this.dev(rest[i++]);
      if (rest[1] !== 'set') return this.cur.deleteDevice(d);
      while (i < rest.length) {
        const k = rest[i++];
        if (k === 'up') d.up = true;
        else if (k === 'down') d.up = false;
        else if (k === 'address') d.mac = parseMac(rest[i++]);
        else if (k === 'mtu') d.mtu = num(rest[i++], 'mtu');
        else if (k === 'netns') this.cur.moveDevice(d, this.ns(rest[i++]));
        else throw new UsageError(`ip link set: ${k} is not supported`);
      }
      return;
    }
    if ((rest[0] === 'addr' || rest[0] === 'address') && rest[1] === 'add') {
      const a = parseIp4(rest[2]?.split('/')[0]);
      if (rest[3] !== 'dev') throw new UsageError('ip addr add A.B.C.D/N dev NAME');
      const d = this.dev(rest[4]);
      this.addrs.set(d, [...(this.addrs.get(d) ?? []), a]);
      addAddress(d, rest[2]);
      return;
    }
    if ((rest[0] === 'neigh' || rest[0] === 'neighbor' || rest[0] === 'neighbour') && (rest[1] === 'add' || rest[1] === 'replace')) {
      // ip neigh add A lladdr M dev D [nud permanent]
      const o: Record<string, string> = Object.create(null) as Record<string, string>;
      for (let i = 3; i + 1 < rest.length; i += 2) o[rest[i]] = rest[i + 1];
      if (!o.lladdr || !o.dev) throw new UsageError('ip neigh add A.B.C.D lladdr MAC dev NAME');
      addNeighbour(this.dev(o.dev), rest[2], parseMac(o.lladdr));
      return;
    }
    throw new UsageError(`ip ${rest.slice(0, 2).join(' ')} is not supported`);
  }

  private dirOf(s: string | undefined): Direction {
    if (s === 'ingress' || s === 'egress') return s;
    throw new UsageError(`expected ingress or egress, got ${String(s)}`);
  }

  private tc(w: string[], step: ScenarioStep): void {
    const [obj, verb] = [w[1], w[2]];
    if (w[3] !== 'dev' && !(verb === 'show' && w.length === 3)) throw new UsageError(`tc ${obj} ${verb} dev DEV ...`);
    if (obj === 'qdisc') {
      if (verb === 'show') {
        step.text = this.qdiscShow(w[4] ? this.dev(w[4]) : undefined);
        return;
      }
      const d = this.dev(w[4]);
      const kind = w[5];
      if (kind !== 'clsact' && kind !== 'ingress') throw new UsageError(`tc qdisc: kind ${String(kind)} is not supported (clsact, ingress)`);
      if (verb === 'add') d.tc.qdisc(kind);
      else if (verb === 'replace') d.tc.qdisc(kind, { replace: true });
      else if (verb === 'del' || verb === 'delete') d.tc.delQdisc(kind);
      else throw new UsageError(`tc qdisc ${verb} is not supported`);
      return;
    }
    if (obj !== 'filter') throw new UsageError(`tc ${obj} is not supported`);
    const d = this.dev(w[4]);
    // `ingress` / `egress` keywords, or `parent ffff:MINOR`
    let dir: Direction;
    let parentMinor: number | undefined;
    let i = 6;
    if (w[5] === 'parent') {
      const m = /^ffff:([0-9a-fA-F]*)$/.exec(w[6] ?? '');
      if (!m) throw new UsageError(`tc filter: parent ${String(w[6])} is not supported (ffff:MINOR)`);
      parentMinor = parseInt(m[1] || '0', 16);
      dir = parentMinor === 0xfff3 ? 'egress' : 'ingress';
      i = 7;
    } else dir = this.dirOf(w[5]);
    if (verb === 'show') {
      step.text = this.filterShow(d, dir, parentMinor !== undefined);
      return;
    }
    let prio: number | undefined;
    let handle: number | undefined;
    let chain: number | undefined;
    let protocol: number | undefined;
    for (; i < w.length && w[i] !== 'bpf'; i++) {
      const k = w[i];
      const v = w[++i];
      if (k === 'pref' || k === 'prio' || k === 'priority') prio = num(v, k);
      else if (k === 'handle') handle = tcHandle(v);
      else if (k === 'chain') chain = num(v, 'chain');
      else if (k === 'protocol') protocol = (Object.hasOwn(PROTOCOLS, v) ? PROTOCOLS[v] : undefined) ?? num(v, 'protocol');
      else throw new UsageError(`tc filter: unknown option ${k}`);
    }
    if (verb === 'del' || verb === 'delete') {
      d.tc.delFilter(dir, { prio, handle, chain, protocol, parentMinor });
      return;
    }
    if (verb !== 'add' && verb !== 'replace' && verb !== 'change') throw new UsageError(`tc filter ${verb} is not supported`);
    if (w[i] !== 'bpf') throw new UsageError('tc filter add: only the bpf classifier is supported');
    i++;
    let da = false;
    let classid: number | undefined;
    let prog: ProgHandle | undefined;
    let skipHw = false;
    let skipSw = false;
    const actions: TcAction[] = [];
    while (i < w.length) {
      const k = w[i];
      if (k === 'da' || k === 'direct-action') {
        da = true;
        i++;
      } else if (k === 'classid' || k === 'flowid') {
        classid = parseClassid(w[i + 1]);
        i += 2;
      } else if (k === 'skip_hw' || k === 'skip_sw') {
        if (k === 'skip_hw') skipHw = true;
        else skipSw = true;
        i++;
      } else if (k === 'pinned' || k === 'obj' || k === 'object-file' || k === 'name' || k === 'object-pinned') {
        [prog, i] = this.prog(w, k === 'object-pinned' ? (w.splice(i, 1, 'pinned'), i) : i);
      } else if (k === 'action') {
        i++;
        if (w[i] === 'gact') i++;
        const a = w[i];
        if (a === 'goto' && w[i + 1] === 'chain') {
          actions.push({ gotoChain: num(w[i + 2], 'goto chain') });
          i += 3;
        } else if (a === 'jump') {
          actions.push({ jump: num(w[i + 1], 'jump') });
          i += 2;
        } else if (a !== undefined && Object.hasOwn(GACT_NAMES, a)) {
          actions.push({ verdict: GACT_NAMES[a] });
          i++;
        } else throw new UsageError(`tc filter: unsupported action ${String(a)}`);
      } else throw new UsageError(`tc filter: unknown bpf option ${k}`);
    }
    if (!prog) throw new UsageError('tc filter add ... bpf: no program given');
    d.tc.filter({ dir, parentMinor, prio, handle, chain, protocol, da, classid, prog, actions, skipHw, skipSw, replace: verb !== 'add', name: this.progLabel });
  }

  private bpftool(w: string[], step: ScenarioStep): void {
    if (w[1] !== 'net') throw new UsageError(`bpftool ${w[1]} is not supported (net)`);
    if (w[2] === 'show' || w[2] === 'list') {
      step.text = this.netShow(w[3] === 'dev' ? this.dev(w[4]) : undefined);
      return;
    }
    if (w[2] !== 'attach' && w[2] !== 'detach') throw new UsageError(`bpftool net ${w[2]} is not supported`);
    const dir: Direction = w[3] === 'tcx_ingress' ? 'ingress' : w[3] === 'tcx_egress' ? 'egress' : this.dirOf(undefined);
    const [prog, j] = this.prog(w, 4);
    if (w[j] !== 'dev') throw new UsageError('bpftool net attach|detach tcx_* PROG dev DEV');
    const d = this.dev(w[j + 1]);
    let i = j + 2;
    const opts: { before?: ProgHandle | true; after?: ProgHandle | true } = {};
    let link = false;
    while (i < w.length) {
      const k = w[i];
      if (k === 'before' || k === 'after' || k === 'prepend' || k === 'append') {
        const key = k === 'before' || k === 'prepend' ? 'before' : 'after';
        if (['pinned', 'obj', 'name', 'id'].includes(w[i + 1])) {
          const [a, n] = this.prog(w, i + 1);
          opts[key] = a;
          i = n;
        } else {
          opts[key] = true;
          i++;
        }
      } else if (k === 'link') {
        link = true;
        i++;
      } else throw new UsageError(`bpftool net: unknown option ${k}`);
    }
    if (w[2] === 'detach') d.tcx(dir).detach(prog, opts);
    else if (link) this.cur.linkCreate(d, dir, prog, opts);
    else d.tcx(dir).attach(prog, opts);
  }

  private mapOf(ref: string): ReturnType<LoadedObject['collection']['map']> {
    const slash = ref.lastIndexOf('/');
    const o = this.objects.get(ref.slice(0, slash));
    if (slash < 0 || !o) throw new UsageError(`no loaded object for ${ref}`);
    return o.collection.map(ref.slice(slash + 1));
  }

  private map(w: string[], step: ScenarioStep): void {
    const m = this.mapOf(w[2] ?? '');
    const key = new Uint8Array(4);
    const got = m.lookup(key);
    const cur = Array.isArray(got) ? got[0] : got;
    if (!cur) throw new ErrnoError('E_NET', 'ENOENT', `${m.name}: no key 0`);
    if (w[1] === 'dump') {
      // every value in key order (an array: index order), concatenated
      step.value = m
        .keys()
        .map((k) => {
          const v = m.lookup(k);
          return toHex((Array.isArray(v) ? v[0] : v) ?? new Uint8Array(0));
        })
        .join('');
      return;
    }
    if (w[1] !== 'write') throw new UsageError(`map ${w[1]} is not supported (write, dump)`);
    const off = num(w[3], 'offset');
    const type = w[4];
    if (!/^-?(0x[0-9a-fA-F]+|[0-9]+)$/.test(w[5] ?? '')) throw new UsageError(`map write: value must be an integer, not ${JSON.stringify((w[5] ?? '').slice(0, 40))}`);
    const v = w[5].startsWith('-') ? -BigInt(w[5].slice(1)) : BigInt(w[5]);
    const val = cur.slice();
    const dv = new DataView(val.buffer);
    const sizes: Record<string, number> = { u8: 1, u16: 2, u32: 4, s32: 4, u64: 8 };
    if (!Object.hasOwn(sizes, type) || off < 0 || off + sizes[type] > val.length) throw new UsageError(`map write: bad type or offset`);
    if (type === 'u8') dv.setUint8(off, Number(BigInt.asUintN(8, v)));
    else if (type === 'u16') dv.setUint16(off, Number(BigInt.asUintN(16, v)), true);
    else if (type === 'u64') dv.setBigUint64(off, BigInt.asUintN(64, v), true);
    else dv.setUint32(off, Number(BigInt.asUintN(32, v)), true);
    m.update(key, val, 0);
  }

  private send(w: string[], step: ScenarioStep): void {
    const d = this.dev(w[1]);
    const dir = this.dirOf(w[2]);
    let frames: Uint8Array[];
    let stamps: (bigint | undefined)[] = [];
    let bad: BpfError | undefined;
    if (w[3] === 'pcap') {
      // a capture that breaks off: the frames before the fault are sent, then the step fails
      const input = parseFrames(this.read(w[4]));
      frames = input.frames.map((f) => f.data);
      stamps = input.frames.map((f) => f.timestampNs);
      bad = input.error;
    }
    else if (w[3] === 'udp') {
      if (w.length < 6) throw new UsageError('send: udp SRC:PORT DST:PORT [smac MAC] [dmac MAC] [len N]');
      const o: Record<string, string> = Object.create(null) as Record<string, string>;
      for (let i = 6; i + 1 < w.length; i += 2) o[w[i]] = w[i + 1];
      frames = [udpFrame(w[4], w[5], { smac: o.smac, dmac: o.dmac, len: o.len ? num(o.len, 'len') : undefined })];
    } else {
      const hex = w.slice(3).join('');
      if (!/^([0-9a-fA-F]{2})+$/.test(hex)) throw new UsageError('send: frame must be hex, pcap FILE or udp ...');
      frames = [Uint8Array.from(hex.match(/../g)!.map((x) => parseInt(x, 16)))];
    }
    const texts: string[] = [];
    let delivered: number | undefined;
    for (const [n, f] of frames.entries()) {
      const t = this.cur.send(d, f, { dir, engine: this.opts.engine, tcxAsClassic: this.opts.tcxAsClassic, listPrograms: this.opts.listPrograms, captureFrames: this.opts.onSend !== undefined });
      this.opts.onSend?.(t, { line: step.line, frame: n + 1, dev: d.name, dir, timestampNs: stamps[n] });
      step.trace = t;
      (step.traces ??= []).push(t);
      (step.frames ??= []).push(f);
      texts.push(`packet ${n + 1} (${f.length} bytes) ${d.name} ${dir}:\n${formatNetTrace(t)}`);
      if (t.xmitStatus === 1) step.sendErrno = 'ENOBUFS';
      const dl = this.delivered(f, t);
      if (dl !== undefined) delivered = (delivered ?? 0) + dl;
    }
    if (frames.length === 1) step.frame = toHex(frames[0]);
    if (delivered !== undefined) step.delivered = delivered;
    step.text = texts.join('\n');
    if (bad) {
      step.rc = 1;
      step.errno = 'EINVAL';
      step.msg = `${w[4]}: ${bad.message} (${frames.length} frames before it were sent)`;
    }
  }

  /**
   * How many skbs of an IPv4/UDP frame reached a local socket: fate "stack" on an up device
   * whose MAC (or broadcast) is the destination, with the destination address local to the host
   * (the kernel delivers to any local address whatever the device). undefined for other frames.
   */
  private delivered(frame: Uint8Array, t: NetTrace): number | undefined {
    if (frame.length < 42 || frame[12] !== 0x08 || frame[13] !== 0x00 || frame[23] !== 17) return undefined;
    let n = 0;
    for (const f of t.fates) {
      if (f.kind !== 'stack') continue;
      const d = f.device;
      if (!d || !d.up || !d.registered) continue;
      const local = [...this.addrs.entries()].filter(([x]) => x.host === d.host && x.registered).flatMap(([, a]) => a);
      const dst = f.frame.subarray(0, 6);
      const macOk = dst.every((x, i) => x === d.mac[i]) || dst.every((x) => x === 0xff);
      const ip = f.frame.subarray(30, 34);
      if (macOk && local.some((a) => a.every((x, i) => x === ip[i]))) n++;
    }
    return n;
  }

  /** `tc qdisc show`-style lines. */
  qdiscShow(dev?: NetDevice): string {
    const out: string[] = [];
    for (const d of dev ? [dev] : this.cur.devices()) {
      const q = d.tc.current;
      if (q) out.push(`qdisc ${q.kind} ffff: dev ${d.name} parent ffff:fff1`);
    }
    return out.join('\n');
  }

  /** `tc filter show dev D DIR`-style lines. */
  filterShow(d: NetDevice, dir: Direction, byParent = false): string {
    const out: string[] = [];
    let last = '';
    // tc names the parent when the ingress qdisc is listed through a direction keyword
    const parent = d.tc.current?.kind === 'ingress' && !byParent ? 'parent ffff: ' : '';
    for (const r of d.tc.filters(dir)) {
      const proto = Object.entries(PROTOCOLS).find(([, v]) => v === r.protocol)?.[0] ?? `0x${r.protocol.toString(16)}`;
      const head = `filter ${parent}protocol ${proto} pref ${r.prio} bpf chain ${r.chain} `;
      if (head !== last) out.push(head);
      last = head;
      const f = r.filter;
      const cls = f.classid ? `flowid ${fmtClassid(f.classid)} ` : '';
      const acts = f.actions.length ? ` action ${f.actions.map((a) => ('verdict' in a ? (Object.entries(GACT_NAMES).find(([, v]) => v === a.verdict)?.[0] ?? a.verdict) : 'gotoChain' in a ? `goto chain ${a.gotoChain}` : `jump ${a.jump}`)).join(' action ')}` : '';
      out.push(`${head}handle 0x${f.handle.toString(16)} ${cls}${f.name}${f.da ? ' direct-action' : ''} not_in_hw${f.skipHw ? ' skip_hw' : ''} id ${f.prog.id} name ${f.prog.name}${acts}`);
    }
    return out.join('\n');
  }

  /** `bpftool net show`-style listing (tc section: tcx first, then classic, per device). */
  netShow(dev?: NetDevice): string {
    const out = ['xdp:', '', 'tc:'];
    for (const d of dev ? [dev] : this.cur.devices()) {
      for (const dir of ['ingress', 'egress'] as const) {
        for (const e of d.tcx(dir).query().programs) {
          out.push(`${d.name}(${d.ifindex}) tcx/${dir} ${e.prog.name} prog_id ${e.prog.id}${e.link ? ` link_id ${e.link.id}` : ''}`);
        }
        const q = d.tc.current;
        if (q) for (const r of d.tc.filters(dir)) out.push(`${d.name}(${d.ifindex}) ${q.kind}/${dir} ${r.filter.name} id ${r.filter.prog.id}`);
      }
    }
    out.push('', 'flow_dissector:', '', 'netfilter:', '');
    return out.join('\n');
  }
}

/** Run a scenario text. */
export function runScenario(text: string, opts: ScenarioOptions): ScenarioResult {
  return new ScenarioRunner(opts).run(text);
}
