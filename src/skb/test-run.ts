/**
 * @fileoverview BPF_PROG_TEST_RUN for sched_cls: build the skb from a frame and an optional
 * ctx_in exactly as `bpf_prog_test_run_skb` does, and extract data_out / ctx_out / retval after
 * the run (`net/bpf/test_run.c`: bpf_test_init, bpf_ctx_init, convert___skb_to_skb,
 * convert_skb_to___skb, bpf_test_finish, bpf_ctx_finish; `net/ethernet/eth.c` eth_type_trans).
 * Spec: docs/skb-and-helpers.md §2.
 *
 * Buffer as the kernel builds it (slab_build_skb over a kzalloc'ed area):
 *
 *   | NET_SKB_PAD + NET_IP_ALIGN (64) | frame (data_size_in) | tailroom to the kmalloc bucket | shinfo (320) |
 */
import { ErrnoError, ErrorCode } from '../../vm/errors.js';
import type { Memory, Region } from '../../vm/memory.js';
import { AF_INET, AF_INET6, AF_UNSPEC, ETH_HLEN, ETH_P, type ErrnoName } from '../uapi.js';
import { csumPartial, fold } from './csum.js';
import { findDevice, type SkbDevice, type SkbEnv, type SkbRunState } from './run-state.js';
import { SkBuffCtx, SK_BUFF_SIZE, SKB_OFF, type SkBuffCtxOptions } from './sk-buff-ctx.js';
import { CHECKSUM_COMPLETE, NET_IP_ALIGN, NET_SKB_PAD, Skb, SKB_SHINFO_SIZE } from './skb.js';
import { SockCtx } from './sock-ctx.js';

/** BPF_F_TEST_SKB_CHECKSUM_COMPLETE: the only flag a skb test run accepts. */
export const BPF_F_TEST_SKB_CHECKSUM_COMPLETE = 1 << 2;
/** PAGE_SIZE − NET_SKB_PAD − shinfo: the largest data_size_in (3712). */
export const TEST_RUN_MAX_DATA = 4096 - NET_SKB_PAD - NET_IP_ALIGN - SKB_SHINFO_SIZE;
/** GSO_LEGACY_MAX_SIZE: the largest ctx wire_len. */
const GSO_LEGACY_MAX_SIZE = 65536;
/** AF_* and TCP_CLOSE for the dummy socket. */
const TCP_CLOSE = 7;

/** Inputs of one BPF_PROG_TEST_RUN (the attr fields that shape the skb). */
export interface TestRunInput {
  /** data_in: the frame, from the Ethernet header. */
  data: Uint8Array;
  /** ctx_in (at most 4096 bytes; bytes past 192 must be zero). */
  ctxIn?: Uint8Array;
  /** The caller passes a ctx_out buffer (a zeroed ctx is then used when ctxIn is absent). */
  ctxOut?: boolean;
  /** attr.test.flags. */
  flags?: number;
  /** attr.test.cpu / batch_size (must be 0). */
  cpu?: number;
  batchSize?: number;
  /** data_size_out: the caller's data_out buffer size (0 or absent: unlimited). */
  dataSizeOut?: number;
  /** ctx_size_out: the caller's ctx_out buffer size (absent: 192). */
  ctxSizeOut?: number;
  /** attr.test.repeat (0 means 1); used by runSkbTestRun. */
  repeat?: number;
}

function einval(msg: string): ErrnoError {
  return new ErrnoError(ErrorCode.Skb, 'EINVAL', `test run: ${msg}`);
}

/** Bytes of __sk_buff a ctx_in may set (convert___skb_to_skb); every other byte must be 0. */
const CTX_IN_ALLOWED: Uint8Array = (() => {
  const a = new Uint8Array(SK_BUFF_SIZE);
  const allow = (off: number, n: number): void => {
    a.fill(1, off, off + n);
  };
  allow(SKB_OFF.mark, 4);
  allow(SKB_OFF.priority, 4);
  allow(SKB_OFF.ingress_ifindex, 4);
  allow(SKB_OFF.ifindex, 4);
  allow(SKB_OFF.cb, 20);
  allow(SKB_OFF.tstamp, 8);
  allow(SKB_OFF.wire_len, 4);
  allow(SKB_OFF.gso_segs, 4);
  allow(SKB_OFF.gso_size, 4);
  allow(SKB_OFF.hwtstamp, 8);
  return a;
})();

/** kmalloc size classes (x86-64 SLUB): how much room kzalloc really gives. */
function kmallocBucket(n: number): number {
  for (const b of [8, 16, 32, 64, 96, 128, 192, 256, 512, 1024, 2048, 4096, 8192]) if (n <= b) return b;
  return 1 << Math.ceil(Math.log2(n));
}

/** `eth_skb_pkt_type`. */
function macEq(a: Uint8Array, b: Uint8Array): boolean {
  for (let i = 0; i < 6; i++) if (a[i] !== b[i]) return false;
  return true;
}
function pktTypeFor(dst: Uint8Array, dev: SkbDevice): number {
  if (macEq(dst, dev.addr)) return 0; // PACKET_HOST
  if (dst[0] & 1) return macEq(dst, dev.broadcast) ? 1 : 2; // BROADCAST : MULTICAST
  return 3; // OTHERHOST
}

const u32 = (dv: DataView, off: number): number => dv.getUint32(off, true);

/**
 * `eth_type_trans(skb, dev)` as an L2 program sees its result: skb->dev = dev, mac header at
 * data, pkt_type from the destination MAC, protocol from the ethertype (802.3/802.2 below
 * 0x0600), network header 14 bytes in; data stays at the mac header (the 14 bytes pushed back).
 * VLAN tags are not stripped. Usable by the netdev for frames arriving on a device.
 */
export function ethTypeTrans(skb: Skb, dev: SkbDevice): void {
  const d = skb.bytes();
  skb.ifindex = dev.ifindex;
  skb.macHeader = skb.data;
  skb.pktType = pktTypeFor(d.subarray(0, 6), dev);
  const ethertype = (d[12] << 8) | d[13];
  if (ethertype >= 0x0600) skb.protocol = ethertype;
  else if (d.length >= 16 && d[14] === 0xff && d[15] === 0xff) skb.protocol = ETH_P.ETH_P_802_3;
  else skb.protocol = 0x0004; // ETH_P_802_2
  skb.networkHeader = skb.data + ETH_HLEN;
}

/**
 * Build the skb a sched_cls BPF_PROG_TEST_RUN gives the program, or throw the syscall's error as
 * an ErrnoError (errno names: EINVAL, E2BIG, ENODEV), checking in the kernel's order.
 */
export function buildTestRunSkb(input: TestRunInput, env: SkbEnv = {}): Skb {
  const { data } = input;
  const flags = input.flags ?? 0;
  if ((flags & ~BPF_F_TEST_SKB_CHECKSUM_COMPLETE) !== 0 || (input.cpu ?? 0) !== 0 || (input.batchSize ?? 0) !== 0) {
    throw einval('flags, cpu or batch_size not allowed for a skb test run');
  }
  if (data.length < ETH_HLEN) throw einval(`data_size_in ${data.length} < ETH_HLEN`);
  if (data.length > TEST_RUN_MAX_DATA) throw einval(`data_size_in ${data.length} > ${TEST_RUN_MAX_DATA}`);

  // bpf_ctx_init: up to a page; bytes past the struct must be zero.
  let ctx: Uint8Array | undefined;
  if (input.ctxIn !== undefined) {
    if (input.ctxIn.length > 4096) throw new ErrnoError(ErrorCode.Skb, 'E2BIG', 'test run: ctx_size_in > 4096');
    for (let i = SK_BUFF_SIZE; i < input.ctxIn.length; i++) {
      if (input.ctxIn[i] !== 0) throw new ErrnoError(ErrorCode.Skb, 'E2BIG', 'test run: nonzero ctx bytes past struct __sk_buff');
    }
    ctx = new Uint8Array(SK_BUFF_SIZE);
    ctx.set(input.ctxIn.subarray(0, SK_BUFF_SIZE));
  } else if (input.ctxOut) {
    ctx = new Uint8Array(SK_BUFF_SIZE);
  }
  const cdv = ctx ? new DataView(ctx.buffer) : undefined;

  const ctxIfindex = cdv ? u32(cdv, SKB_OFF.ifindex) : 0;
  let dev: SkbDevice | undefined;
  if (ctxIfindex > 1) {
    dev = findDevice(env, ctxIfindex);
    if (!dev) throw new ErrnoError(ErrorCode.Skb, 'ENODEV', `test run: no device with ifindex ${ctxIfindex}`);
  } else {
    dev = findDevice(env, 1);
    if (!dev) throw new ErrnoError(ErrorCode.Skb, 'ENODEV', 'test run: no loopback device');
  }

  // Measured on 6.18.44: the L3 header must fit for IPv4 and IPv6 frames.
  const ethertype = (data[12] << 8) | data[13];
  if (ethertype === ETH_P.ETH_P_IP && data.length < ETH_HLEN + 20) throw einval('IPv4 frame shorter than 34 bytes');
  if (ethertype === ETH_P.ETH_P_IPV6 && data.length < ETH_HLEN + 40) throw einval('IPv6 frame shorter than 54 bytes');

  // convert___skb_to_skb: only these fields may be nonzero.
  if (ctx) {
    for (let i = 0; i < SK_BUFF_SIZE; i++) if (ctx[i] !== 0 && !CTX_IN_ALLOWED[i]) throw einval(`ctx_in byte ${i} must be zero`);
  }

  // bpf_test_init + slab_build_skb: headroom 64, tailroom up to the kmalloc bucket.
  const headroom = NET_SKB_PAD + NET_IP_ALIGN;
  const total = kmallocBucket(headroom + data.length + SKB_SHINFO_SIZE);
  const skb = Skb.create(data, { headroom, tailroom: total - SKB_SHINFO_SIZE - headroom - data.length });

  ethTypeTrans(skb, dev);
  skb.macLen = 0; // nothing sets it in a test run

  // The dummy socket (always present in a test run).
  const sk = {
    boundDevIf: 0,
    family: AF_UNSPEC,
    srcIp: new Uint8Array(0),
    dstIp: new Uint8Array(0),
    srcPort: 0,
    dstPort: 0,
    state: TCP_CLOSE,
    rxQueueMapping: -1,
  };
  if (skb.protocol === ETH_P.ETH_P_IP) {
    sk.family = AF_INET;
    sk.srcIp = data.slice(26, 30);
    sk.dstIp = data.slice(30, 34);
  } else if (skb.protocol === ETH_P.ETH_P_IPV6) {
    sk.family = AF_INET6;
    sk.srcIp = data.slice(22, 38);
    sk.dstIp = data.slice(38, 54);
  }
  skb.sk = sk;

  if (ctx && cdv) {
    skb.mark = u32(cdv, SKB_OFF.mark);
    skb.priority = u32(cdv, SKB_OFF.priority);
    skb.skbIif = u32(cdv, SKB_OFF.ingress_ifindex);
    skb.tstamp = cdv.getBigUint64(SKB_OFF.tstamp, true);
    skb.cb.set(ctx.subarray(SKB_OFF.cb, SKB_OFF.cb + 20));
    const wire = u32(cdv, SKB_OFF.wire_len);
    if (wire === 0) skb.pktLen = skb.len;
    else if (wire < skb.len || wire > GSO_LEGACY_MAX_SIZE) throw einval(`wire_len ${wire} out of [len, 65536]`);
    else skb.pktLen = wire;
    const segs = u32(cdv, SKB_OFF.gso_segs);
    if (segs > 0xffff) throw einval(`gso_segs ${segs} > 65535`);
    skb.gsoSegs = segs;
    skb.gsoSize = u32(cdv, SKB_OFF.gso_size) & 0xffff;
    skb.hwtstamp = cdv.getBigUint64(SKB_OFF.hwtstamp, true);
  }

  if (flags & BPF_F_TEST_SKB_CHECKSUM_COMPLETE) {
    skb.csum = csumPartial(data.subarray(ETH_HLEN));
    skb.ipSummed = CHECKSUM_COMPLETE;
  }
  return skb;
}

/** Options of `createSkbRunState`. */
export interface SkbRunStateOptions extends SkBuffCtxOptions {
  env?: SkbEnv;
}

/**
 * Allocate the packet, ctx (and, when skb.sk is set, bpf_sock) regions for `skb` in `mem` and
 * return the run state to pass as `RunOptions.run`; r1 is `Memory.address(state.ctx)`.
 */
export function createSkbRunState(mem: Memory, skb: Skb, opts: SkbRunStateOptions = {}): SkbRunState {
  const packet = mem.alloc('packet', skb.packetView(), { label: 'packet' });
  const state = {
    skb,
    mem,
    packet,
    ctx: undefined as unknown as SkbRunState['ctx'],
    sock: undefined as SkbRunState['sock'],
    events: [],
    env: opts.env ?? {},
  } satisfies SkbRunState as SkbRunState;
  (state as { ctx: SkbRunState['ctx'] }).ctx = mem.alloc('ctx', new Uint8Array(0), {
    ctx: new SkBuffCtx(state, opts),
    label: '__sk_buff',
    owner: skb,
  });
  if (skb.sk) state.sock = sockRegion(mem, skb.sk);
  return state;
}

/** The bpf_sock view of skb->sk. */
function sockRegion(mem: Memory, sk: NonNullable<Skb['sk']>): Region {
  return mem.alloc('ctx', new Uint8Array(0), { ctx: new SockCtx(sk), label: 'bpf_sock', writable: false });
}

/**
 * Point a run state made by createSkbRunState at another skb, as if it had been created for it:
 * the packet region is rebound (its id stays), the ctx reads the new skb, and what a run leaves
 * behind is cleared (resetSkbRunState). For hot paths that run many skbs (the netdev): no region
 * is allocated unless skb->sk needs one. Only between runs.
 */
export function rebindSkbRunState(state: SkbRunState, skb: Skb): void {
  const st = state as { -readonly [K in keyof SkbRunState]: SkbRunState[K] };
  st.skb = skb;
  (state.ctx.ctx as SkBuffCtx).skb = skb;
  // The packet region already over the same bytes (a reused skb buffer) needs no new view.
  const pv = state.packet.bytes;
  if (pv.buffer !== skb.buf.buffer || pv.byteOffset !== skb.buf.byteOffset + skb.data - skb.metaLen || pv.length !== skb.metaLen + skb.len) {
    state.mem.rebind(state.packet, skb.packetView());
  }
  resetSkbRunState(state);
}

/**
 * Clear what runs on a run state left behind, as on a state just made for its skb: the redirect
 * request, tunnel info, events and request socket; the lazily made full-socket and kernel-ctx
 * regions are released, and the bpf_sock region is made anew for skb->sk. The packet region is
 * left as it is (the caller knows whether the skb's layout moved). Only between runs.
 */
export function resetSkbRunState(state: SkbRunState): void {
  const st = state as { -readonly [K in keyof SkbRunState]: SkbRunState[K] };
  const mem = state.mem;
  // (tests against undefined, not truthiness: V8's ToBoolean on an object is a chain of checks;
  // the netdev runs this at every hook)
  if (st.fullSock !== undefined) {
    mem.release(st.fullSock);
    st.fullSock = undefined;
  }
  if (st.kernCtx !== undefined) {
    mem.release(st.kernCtx);
    st.kernCtx = undefined;
  }
  if (st.sock !== undefined) mem.release(st.sock);
  const sk = state.skb.sk;
  st.sock = sk !== null && sk !== undefined ? sockRegion(mem, sk) : undefined;
  if (st.reqsk !== undefined) st.reqsk = undefined;
  st.redirect = undefined;
  st.tunnel = undefined;
  if (st.events.length !== 0) st.events.length = 0;
}

/** Results of a test run (what the syscall writes back). */
export interface TestRunOutput {
  /** 0 or the syscall's errno name ('EBADMSG' for a broken CHECKSUM_COMPLETE). */
  errno?: ErrnoName;
  /** r0 as u32 (absent with EBADMSG). */
  retval?: number;
  /** skb->data for skb->len bytes (from the mac header for tc); cut to dataSizeOut with ENOSPC. */
  dataOut?: Uint8Array;
  /** data_size_out as the kernel writes it back: skb->len. */
  dataSizeOut?: number;
  /** The 192-byte ctx_out when the caller gave ctx_in or ctx_out. */
  ctxOut?: Uint8Array;
}

/**
 * `bpf_test_finish` + `convert_skb_to___skb`: data_out, ctx_out (ctx_in with the copied-back
 * fields overwritten), retval as u32.
 */
export function finishTestRun(skb: Skb, input: TestRunInput, r0lo: number): TestRunOutput {
  // The check does not look at ip_summed: a trim that gave up CHECKSUM_COMPLETE leaves skb->csum
  // stale and fails it (measured).
  if ((input.flags ?? 0) & BPF_F_TEST_SKB_CHECKSUM_COMPLETE) {
    const net = skb.networkOffset();
    const sum = csumPartial(skb.bytes().subarray(Math.max(0, net)));
    if (fold(sum) !== fold(skb.csum)) return { errno: 'EBADMSG' };
  }
  const out: TestRunOutput = { retval: r0lo >>> 0, dataOut: skb.toBytes(), dataSizeOut: skb.len };
  // bpf_test_finish: a short data_out buffer gets a partial copy and ENOSPC (retval and
  // data_size_out are still written, ctx_out is not).
  if (input.dataSizeOut && input.dataSizeOut < skb.len) {
    out.dataOut = out.dataOut!.subarray(0, input.dataSizeOut);
    out.errno = 'ENOSPC';
    return out;
  }
  if (input.ctxIn !== undefined || input.ctxOut) {
    const ctx = new Uint8Array(SK_BUFF_SIZE);
    if (input.ctxIn) ctx.set(input.ctxIn.subarray(0, SK_BUFF_SIZE));
    const dv = new DataView(ctx.buffer);
    dv.setUint32(SKB_OFF.mark, skb.mark >>> 0, true);
    dv.setUint32(SKB_OFF.priority, skb.priority >>> 0, true);
    dv.setUint32(SKB_OFF.ingress_ifindex, skb.skbIif >>> 0, true);
    dv.setUint32(SKB_OFF.ifindex, skb.ifindex >>> 0, true);
    dv.setBigUint64(SKB_OFF.tstamp, BigInt.asUintN(64, skb.tstamp), true);
    ctx.set(skb.cb, SKB_OFF.cb);
    dv.setUint32(SKB_OFF.wire_len, skb.pktLen >>> 0, true);
    dv.setUint32(SKB_OFF.gso_segs, skb.gsoSegs & 0xffff, true);
    dv.setBigUint64(SKB_OFF.hwtstamp, BigInt.asUintN(64, skb.hwtstamp), true);
    out.ctxOut = ctx;
    if (input.ctxSizeOut !== undefined && input.ctxSizeOut < SK_BUFF_SIZE) {
      out.ctxOut = ctx.subarray(0, input.ctxSizeOut);
      out.errno = 'ENOSPC';
    }
  }
  return out;
}

/** One execution of the program on the run state (any engine): r0's low half, or a fault. */
export type SkbExec = (state: SkbRunState) => { r0lo: number; fault?: unknown };

/** Result of runSkbTestRun. */
export interface SkbTestRunResult extends TestRunOutput {
  /** The emulator fault that ended a run (the kernel has none; the run is abandoned). */
  fault?: unknown;
  /** The state after the last run (skb, events, tunnel, last redirect). */
  state: SkbRunState;
}

/**
 * The whole BPF_PROG_TEST_RUN for sched_cls: build the skb (throws ErrnoError like the syscall),
 * run `exec` `repeat` times on the same skb (0 counts as 1; each run gets a fresh redirect info,
 * the kernel's per-run bpf_net_context), then finish with the last run's r0.
 */
export function runSkbTestRun(mem: Memory, input: TestRunInput, exec: SkbExec, opts: SkbRunStateOptions = {}): SkbTestRunResult {
  const skb = buildTestRunSkb(input, opts.env);
  const state = createSkbRunState(mem, skb, opts);
  const n = Math.max(1, input.repeat ?? 1);
  let last: ReturnType<SkbExec> | undefined;
  for (let i = 0; i < n; i++) {
    state.redirect = undefined;
    const r = exec(state);
    if (r.fault !== undefined) return { fault: r.fault, state };
    last = r;
  }
  // r0 is read once, after the loop: an unsigned r0lo above 2^31 (TCX_NEXT's 0xffffffff) is a
  // double, and reading it in a loop V8 has not optimised boxes it anew on every run.
  return { ...finishTestRun(skb, input, (last as ReturnType<SkbExec>).r0lo), state };
}

