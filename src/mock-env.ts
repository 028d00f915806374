/**
 * @fileoverview The world a program sees, declared: clock, random seed, FIB routes and
 * neighbours, a socket table and helper overrides by name. One format for the library
 * (`loadObject(o, { mock })`, `mockRunState`) and the CLI (`--env FILE`, JSON; `--mock-time`,
 * `--seed`); README "Mocks: --env, --mock-time, --seed" and docs/mock-env.md describe it.
 *
 * What each part drives (the engine's hooks it fills):
 * - `time_ns` / `time_step_ns`: the VirtualClock behind bpf_ktime_get_ns / _boot_ns / _tai_ns
 *   / _coarse_ns and bpf_jiffies64 (BaseRunState.clock);
 * - `seed`: the SeededRandom behind bpf_get_prandom_u32 (BaseRunState.random), one sequence
 *   for all the runs of a collection or a CLI command;
 * - `routes` / `neighbours`: SkbEnv.fib, answering bpf_fib_lookup as bpf_ipv4_fib_lookup /
 *   bpf_ipv6_fib_lookup do (net/core/filter.c; docs/mock-env.md);
 * - `sockets`: SkbEnv.socketLookup for bpf_sk_lookup_tcp/udp and bpf_skc_lookup_tcp;
 * - `helpers`: a helper (by name) that returns a constant (or, in the library, a function).
 */
import { UsageError } from '../vm/errors.js';
import { HELPER_PROTOS, helperId, helperName } from '../vm/helpers.js';
import type { HelperFn } from '../vm/program.js';
import { SeededRandom, VirtualClock, defaultBaseState, type BaseRunState } from './helpers/base.js';
import { setR0Big } from './helpers/args.js';
import type { SocketLookup, SocketQuery } from './helpers/sk-lookup.js';
import { BPF_FIB_LKUP_RET } from './helpers/skb-route.js';
import { parseAddr, parseMac } from './packet/build.js';
import type { FibResult, SkbEnv } from './skb/run-state.js';
import type { SkbSock } from './skb/skb.js';

/** A route of the emulated FIB (one table: main). */
export interface MockRoute {
  /** Destination prefix, `10.0.0.0/24`, `2001:db8::/64`, `0.0.0.0/0`; a bare address is /32 or /128. */
  dst: string;
  /** What the route does: forward (default), or the error routes of `ip route add blackhole|unreachable|prohibit`. */
  type?: 'unicast' | 'blackhole' | 'unreachable' | 'prohibit';
  /** Output device ifindex (unicast routes). */
  ifindex?: number;
  /** Next hop; without one the destination itself is the neighbour (an on-link route). */
  gateway?: string;
  /** The output device's MAC (bpf_fib_lookup's smac). Default 00:00:00:00:00:00. */
  smac?: string;
  /** Preferred source (BPF_FIB_LOOKUP_SRC); without one that flag writes 0.0.0.0 (IPv4) or gives NO_SRC_ADDR (IPv6). */
  src?: string;
  /** Route MTU for the tot_len check. Default 1500. */
  mtu?: number;
  /** Metric (rt_metric). Default 0. */
  metric?: number;
}

/** A neighbour (ARP / NDP entry in state REACHABLE). */
export interface MockNeighbour {
  ip: string;
  mac: string;
  /** Device it was learnt on; default: any. */
  ifindex?: number;
}

/** A socket of the emulated host's table. */
export interface MockSocket {
  protocol: 'tcp' | 'udp';
  /** Local address and port: `10.0.0.2:80`, `[2001:db8::2]:80`; address `0.0.0.0` / `::` is any. */
  local: string;
  /** Remote address and port of a connected socket; absent: listening (tcp) or unconnected (udp). */
  remote?: string;
  /** SO_BINDTODEVICE ifindex. Default 0. */
  bound_dev_if?: number;
}

/** The declared world (the `--env` JSON; numbers over 2^53 as decimal strings). */
export interface MockEnv {
  /** CLOCK_MONOTONIC at the start, ns (bpf_ktime_get_ns's first value). */
  time_ns?: number | bigint | string;
  /** ns the clock moves after each read (0: time stands still). */
  time_step_ns?: number | bigint | string;
  /** Seed of bpf_get_prandom_u32's generator. */
  seed?: number | bigint | string;
  routes?: MockRoute[];
  neighbours?: MockNeighbour[];
  sockets?: MockSocket[];
  /** Helpers by name (`bpf_get_smp_processor_id`, `get_smp_processor_id`) returning a constant; the library also takes a HelperFn. */
  helpers?: Record<string, number | bigint | string | HelperFn>;
}

const fail = (field: string, msg: string): never => {
  throw new UsageError(`env: ${field}: ${msg}`);
};

const FIELDS = ['time_ns', 'time_step_ns', 'seed', 'routes', 'neighbours', 'sockets', 'helpers'];

function u64(field: string, v: unknown): bigint {
  if (typeof v === 'bigint') return v >= 0n && v < 1n << 64n ? v : fail(field, `${v} is not a u64`);
  if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0) return BigInt(v);
  if (typeof v === 'string' && /^(0x[0-9a-f]+|\d+)$/i.test(v) && BigInt(v) < 1n << 64n) return BigInt(v);
  return fail(field, `expected a non-negative integer (a decimal or 0x string beyond 2^53), got ${JSON.stringify(v)}`);
}

function int(field: string, v: unknown, lo: number, hi: number): number {
  if (typeof v === 'number' && Number.isInteger(v) && v >= lo && v <= hi) return v;
  return fail(field, `expected an integer ${lo}..${hi}, got ${JSON.stringify(v)}`);
}

function obj(field: string, v: unknown, keys: readonly string[]): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return fail(field, `expected an object, got ${JSON.stringify(v)?.slice(0, 40)}`);
  for (const k of Object.keys(v)) if (!keys.includes(k)) fail(`${field}.${k}`, `unknown field (have: ${keys.join(', ')})`);
  return v as Record<string, unknown>;
}

function list(field: string, v: unknown, max: number): unknown[] {
  if (!Array.isArray(v)) return fail(field, 'expected an array');
  if (v.length > max) fail(field, `${v.length} entries, at most ${max}`);
  return v;
}

function ip(field: string, v: unknown): Uint8Array {
  if (typeof v !== 'string') return fail(field, `expected an IPv4 or IPv6 address, got ${JSON.stringify(v)}`);
  try {
    return parseAddr(v);
  } catch {
    return fail(field, `${JSON.stringify(v)} is not an IPv4 or IPv6 address`);
  }
}

function mac(field: string, v: unknown): Uint8Array {
  try {
    if (typeof v === 'string') return parseMac(v);
  } catch {
    // reported below
  }
  return fail(field, `${JSON.stringify(v)} is not a MAC address (aa:bb:cc:dd:ee:ff)`);
}

/** `addr:port` / `[v6]:port` → address bytes and host-order port. */
function endpoint(field: string, v: unknown): { addr: Uint8Array; port: number } {
  const m = typeof v === 'string' ? /^(?:\[([^\]]+)\]|([^:]+)):(\d+)$/.exec(v) : null;
  if (!m) return fail(field, `expected ADDRESS:PORT ([v6]:PORT for IPv6), got ${JSON.stringify(v)}`);
  const port = Number(m[3]);
  if (port > 0xffff) fail(field, `port ${port} is over 65535`);
  return { addr: ip(field, m[1] ?? m[2]), port };
}

/** Limits: the JSON is small by nature; these keep a hostile file from costing much. */
const MAX_ROUTES = 4096;
const MAX_SOCKETS = 4096;

/** A validated environment: each part ready for the run state. */
export interface ResolvedMockEnv {
  timeNs?: bigint;
  timeStepNs?: bigint;
  seed?: bigint;
  fib?: SkbEnv['fib'];
  socketLookup?: SocketLookup;
  helpers: Record<number, HelperFn>;
}

/**
 * Check `env` (parsed JSON or a library object) and build what runs need. Errors are one
 * line, `env: FIELD: problem` (UsageError, E_USAGE).
 */
export function resolveMockEnv(env: unknown): ResolvedMockEnv {
  const e = obj('(top level)', env, FIELDS);
  const out: ResolvedMockEnv = { helpers: {} };
  if (e.time_ns !== undefined) out.timeNs = u64('time_ns', e.time_ns);
  if (e.time_step_ns !== undefined) out.timeStepNs = u64('time_step_ns', e.time_step_ns);
  if (e.seed !== undefined) out.seed = u64('seed', e.seed);
  const neighbours = e.neighbours === undefined ? [] : list('neighbours', e.neighbours, MAX_ROUTES).map((n, i) => {
    const f = `neighbours[${i}]`;
    const o = obj(f, n, ['ip', 'mac', 'ifindex']);
    return { ip: ip(`${f}.ip`, o.ip), mac: mac(`${f}.mac`, o.mac), ifindex: o.ifindex === undefined ? undefined : int(`${f}.ifindex`, o.ifindex, 1, 0x7fffffff) };
  });
  if (e.routes !== undefined) {
    const routes = list('routes', e.routes, MAX_ROUTES).map((r, i) => resolveRoute(`routes[${i}]`, r));
    out.fib = fibFrom(routes, neighbours);
  } else if (neighbours.length > 0) fail('neighbours', 'neighbours are used by bpf_fib_lookup through routes: give `routes` too');
  if (e.sockets !== undefined) out.socketLookup = socketsFrom(list('sockets', e.sockets, MAX_SOCKETS).map((s, i) => resolveSocket(`sockets[${i}]`, s)));
  if (e.helpers !== undefined) {
    if (typeof e.helpers !== 'object' || e.helpers === null || Array.isArray(e.helpers)) fail('helpers', 'expected an object of helper names');
    for (const [name, v] of Object.entries(e.helpers as Record<string, unknown>)) {
      const f = `helpers.${name}`;
      const id = helperId(name);
      if (id === undefined) fail(f, 'no helper of that name');
      const proto = HELPER_PROTOS.get(id as number);
      if (typeof v === 'function') {
        out.helpers[id as number] = v as HelperFn;
        continue;
      }
      // A constant can only stand in for a helper whose result the verifier treats as a number.
      if (proto !== undefined && proto.ret !== 'int' && proto.ret !== 'void') fail(f, `${helperName(id as number)} returns a pointer (${proto.ret}): only integer-returning helpers take a constant`);
      const n = typeof v === 'number' && Number.isSafeInteger(v) ? BigInt(v) : typeof v === 'bigint' ? v : typeof v === 'string' && /^-?(0x[0-9a-f]+|\d+)$/i.test(v) ? BigInt(v.replace(/^-/, '')) * (v.startsWith('-') ? -1n : 1n) : fail(f, `expected an integer return value, got ${JSON.stringify(v)}`);
      if (n < -(1n << 63n) || n >= 1n << 64n) fail(f, `${n} does not fit 64 bits`);
      const r0 = BigInt.asUintN(64, n);
      out.helpers[id as number] = (call) => setR0Big(call, r0);
    }
  }
  return out;
}

interface Route {
  family: 4 | 6;
  prefix: Uint8Array;
  len: number;
  type: number;
  ifindex: number;
  gateway?: Uint8Array;
  smac: Uint8Array;
  src?: Uint8Array;
  mtu: number;
  metric: number;
}

const ROUTE_TYPES: Record<string, number> = {
  unicast: BPF_FIB_LKUP_RET.SUCCESS,
  blackhole: BPF_FIB_LKUP_RET.BLACKHOLE,
  unreachable: BPF_FIB_LKUP_RET.UNREACHABLE,
  prohibit: BPF_FIB_LKUP_RET.PROHIBIT,
};

function resolveRoute(f: string, r: unknown): Route {
  const o = obj(f, r, ['dst', 'type', 'ifindex', 'gateway', 'smac', 'src', 'mtu', 'metric']);
  if (typeof o.dst !== 'string') fail(`${f}.dst`, 'expected a prefix such as 10.0.0.0/24');
  const [a, l] = (o.dst as string).split('/');
  const prefix = ip(`${f}.dst`, a);
  const bits = prefix.length * 8;
  const len = l === undefined ? bits : /^\d+$/.test(l) && Number(l) <= bits ? Number(l) : fail(`${f}.dst`, `prefix length ${JSON.stringify(l)} is not 0..${bits}`);
  const type = o.type === undefined ? 0 : ROUTE_TYPES[o.type as string] ?? fail(`${f}.type`, `expected one of ${Object.keys(ROUTE_TYPES).join(', ')}`);
  if (type === 0 && o.ifindex === undefined) fail(`${f}.ifindex`, 'a unicast route needs its output device');
  const gateway = o.gateway === undefined ? undefined : ip(`${f}.gateway`, o.gateway);
  if (gateway && gateway.length !== prefix.length) fail(`${f}.gateway`, 'not of the route\'s address family');
  const src = o.src === undefined ? undefined : ip(`${f}.src`, o.src);
  if (src && src.length !== prefix.length) fail(`${f}.src`, 'not of the route\'s address family');
  return {
    family: prefix.length === 4 ? 4 : 6,
    prefix,
    len,
    type,
    ifindex: o.ifindex === undefined ? 0 : int(`${f}.ifindex`, o.ifindex, 1, 0x7fffffff),
    gateway,
    smac: o.smac === undefined ? new Uint8Array(6) : mac(`${f}.smac`, o.smac),
    src,
    mtu: o.mtu === undefined ? 1500 : int(`${f}.mtu`, o.mtu, 1, 0xffff),
    metric: o.metric === undefined ? 0 : int(`${f}.metric`, o.metric, 0, 0xffffffff),
  };
}

function prefixMatch(addr: Uint8Array, prefix: Uint8Array, len: number): boolean {
  for (let i = 0; i < len; i++) {
    const bit = 0x80 >> (i & 7);
    if ((addr[i >> 3] & bit) !== (prefix[i >> 3] & bit)) return false;
  }
  return true;
}

const same = (a: Uint8Array, b: Uint8Array): boolean => a.length === b.length && a.every((x, i) => x === b[i]);

/** bpf_fib_lookup flags (uapi bpf.h). */
const BPF_FIB_LOOKUP_SKIP_NEIGH = 1 << 2;
const BPF_FIB_LOOKUP_SRC = 1 << 4;

/**
 * struct bpf_fib_lookup offsets: family 0, tot_len/mtu_result 6, ifindex 8, rt_metric 12,
 * ipv4_src/ipv6_src 16, ipv4_dst/ipv6_dst 32, h_vlan_proto 48, h_vlan_TCI 50, smac 52, dmac 58.
 */
function fibFrom(routes: readonly Route[], neighbours: readonly { ip: Uint8Array; mac: Uint8Array; ifindex?: number }[]): (p: Uint8Array, flags: number) => FibResult {
  return (p, flags): FibResult => {
    const dv = new DataView(p.buffer, p.byteOffset, p.byteLength);
    const v4 = p[0] === 2;
    const alen = v4 ? 4 : 16;
    const dst = p.slice(32, 32 + alen);
    // fib_table_lookup: the longest matching prefix (the first of equal length wins).
    let best: Route | undefined;
    for (const r of routes) if (r.prefix.length === alen && prefixMatch(dst, r.prefix, r.len) && (best === undefined || r.len > best.len)) best = r;
    if (best === undefined) return { ret: BPF_FIB_LKUP_RET.NOT_FWDED };
    if (best.type !== 0) return { ret: best.type };
    // The order of bpf_ipv4_fib_lookup / bpf_ipv6_fib_lookup: MTU check, then the result.
    const totLen = dv.getUint16(6, true);
    if (totLen !== 0 && totLen > best.mtu) {
      dv.setUint16(6, best.mtu, true);
      return { ret: BPF_FIB_LKUP_RET.FRAG_NEEDED, mtuResult: best.mtu };
    }
    dv.setUint32(12, best.metric, true);
    dv.setUint32(8, best.ifindex, true);
    if (flags & BPF_FIB_LOOKUP_SRC) {
      // IPv4 always writes a source (0.0.0.0 when the device has none); IPv6 fails without one.
      if (best.src === undefined && !v4) return { ret: BPF_FIB_LKUP_RET.NO_SRC_ADDR };
      p.set(best.src ?? new Uint8Array(4), 16);
    }
    if (best.gateway) p.set(best.gateway, 32);
    // bpf_fib_set_fwd_params, on success only: no VLAN; mtu_result when the check was asked for.
    const done = (): FibResult => {
      dv.setUint32(48, 0, true);
      if (totLen !== 0) dv.setUint16(6, best.mtu, true);
      return { ret: BPF_FIB_LKUP_RET.SUCCESS, ifindex: best.ifindex };
    };
    if (flags & BPF_FIB_LOOKUP_SKIP_NEIGH) return done();
    const nh = best.gateway ?? dst;
    const n = neighbours.find((x) => same(x.ip, nh) && (x.ifindex === undefined || x.ifindex === best.ifindex));
    if (n === undefined) return { ret: BPF_FIB_LKUP_RET.NO_NEIGH, ifindex: best.ifindex };
    p.set(best.smac, 52);
    p.set(n.mac, 58);
    return done();
  };
}

/** TCP states (include/net/tcp_states.h). */
const TCP_ESTABLISHED = 1;
const TCP_CLOSE = 7;
const TCP_LISTEN = 10;

interface Sock {
  protocol: 'tcp' | 'udp';
  local: { addr: Uint8Array; port: number };
  remote?: { addr: Uint8Array; port: number };
  boundDevIf: number;
}

function resolveSocket(f: string, s: unknown): Sock {
  const o = obj(f, s, ['protocol', 'local', 'remote', 'bound_dev_if']);
  if (o.protocol !== 'tcp' && o.protocol !== 'udp') fail(`${f}.protocol`, `expected "tcp" or "udp", got ${JSON.stringify(o.protocol)}`);
  const local = endpoint(`${f}.local`, o.local);
  const remote = o.remote === undefined ? undefined : endpoint(`${f}.remote`, o.remote);
  if (remote && remote.addr.length !== local.addr.length) fail(`${f}.remote`, 'not of the local address\'s family');
  return { protocol: o.protocol as 'tcp' | 'udp', local, remote, boundDevIf: o.bound_dev_if === undefined ? 0 : int(`${f}.bound_dev_if`, o.bound_dev_if, 0, 0x7fffffff) };
}

const isAny = (a: Uint8Array): boolean => a.every((x) => x === 0);

/**
 * The socket table: a connected socket matching the whole tuple first (the established hash),
 * then a listening / unconnected one on the destination address (or the wildcard) and port, an
 * exact address before the wildcard (__inet_lookup, and udp's scoring in the same order).
 */
function socketsFrom(socks: readonly Sock[]): SocketLookup {
  const asSkbSock = (s: Sock): SkbSock => ({
    boundDevIf: s.boundDevIf,
    family: s.local.addr.length === 4 ? 2 : 10,
    srcIp: s.local.addr,
    dstIp: s.remote?.addr ?? new Uint8Array(s.local.addr.length),
    srcPort: s.local.port,
    dstPort: s.remote?.port ?? 0,
    state: s.remote ? TCP_ESTABLISHED : s.protocol === 'tcp' ? TCP_LISTEN : TCP_CLOSE,
    rxQueueMapping: -1,
  });
  return (q: SocketQuery) => {
    const mine = socks.filter((s) => s.protocol === q.protocol && s.local.addr.length === q.daddr.length && s.local.port === q.dport);
    const est = mine.find((s) => s.remote && same(s.local.addr, q.daddr) && same(s.remote.addr, q.saddr) && s.remote.port === q.sport);
    if (est) return asSkbSock(est);
    const open = mine.filter((s) => !s.remote);
    const hit = open.find((s) => same(s.local.addr, q.daddr)) ?? open.find((s) => isAny(s.local.addr));
    return hit && asSkbSock(hit);
  };
}

/** The base run state an environment asks for (a fresh default one where it says nothing). */
export function mockBaseState(env: ResolvedMockEnv, base: BaseRunState = defaultBaseState()): BaseRunState {
  if (env.timeNs !== undefined || env.timeStepNs !== undefined) base.clock = new VirtualClock(env.timeNs ?? base.clock.monoNs, env.timeStepNs ?? 0n);
  if (env.seed !== undefined) base.random = new SeededRandom(env.seed);
  return base;
}

/** The SkbEnv parts of an environment, over `env` (what the caller already has). */
export function mockSkbEnv(env: ResolvedMockEnv, over: SkbEnv = {}): SkbEnv {
  return { ...over, ...(env.fib ? { fib: env.fib } : {}), ...(env.socketLookup ? { socketLookup: env.socketLookup } : {}) };
}
