/**
 * @fileoverview The per-packet path through emulated devices: tc ingress and egress (tcx programs
 * first, then the classic clsact/ingress path when tcx says NEXT), verdict execution (deliver,
 * drop, consume, redirect), veth and loopback hand-over, and a trace of everything.
 *
 * Kernel functions mirrored (net/core/dev.c, net/core/filter.c; spec §5):
 *
 *   receive(dev)  = __netif_receive_skb_core → sch_handle_ingress
 *                     tcx_run: programs in order, stop at the first r0 ≠ -1
 *                       0 PASS (tc_index := tc_classid) · 2 DROP · 7 REDIRECT · anything else NEXT
 *                     NEXT → tc_run: tcf_classify on chain 0 when the entry's miniq is set
 *                     REDIRECT → skb_do_redirect (peer: another round on the peer)
 *                     SHOT → drop · STOLEN/QUEUED/TRAP → consumed · other → the stack
 *   xmit(dev)     = __dev_queue_xmit → sch_handle_egress (same, no L2 push/pull), then the driver:
 *                     veth: __dev_forward_skb to the peer (backlog) · lo: back into lo (backlog)
 *                     dummy: onto the wire ("transmitted")
 *
 * Receive rounds that the kernel defers (netif_rx: veth, dev_forward_skb, clone redirects with
 * BPF_F_INGRESS) go through a backlog queue processed after the current packet, as softirq would.
 * Redirects to egress nest (__bpf_tx_skb) and are limited by the xmit recursion counter.
 *
 * Every program runs through the run core testRun uses (src/tc-run.ts): the same r1, helper
 * state, timer context and LD_ABS view; each run takes `virtualRunNs` on the machine's clock
 * (the kernel memory's), and the bpf_timers due by then fire (NetTrace.timers). A fault stays
 * the VmFault of the run (TcxRun.fault, FilterRun.fault).
 *
 * This module is the behaviour on top of the model (device, tcx, qdisc, kernel): it sees a
 * namespace only as a DeviceNamespace and never imports host.ts or the text front ends.
 */
import { ErrnoError, UsageError, type BpfError } from '../../vm/errors.js';
import { Collection, type CollectionOptions } from '../collection.js';
import type { Engine } from '../../vm/engine.js';
import type { Memory } from '../../vm/memory.js';
import { defaultBaseState, type BaseRunState, type SeededRandom } from '../helpers/base.js';
import type { ResolvedMockEnv } from '../mock-env.js';
import { cloneSkb } from '../helpers/skb-redirect.js';
import { timerHost, type TimerFiring } from '../helpers/timer.js';
import { createSkbRunState, rebindSkbRunState, syncPacket, Skb, NET_SKB_PAD, type RedirectInfo, type SkbDevice, type SkbEnv, type SkbEvent } from '../skb/index.js';
import { skbPacketProvider } from '../skb/ld-abs.js';
import { runTc, TC_RUN_VIRTUAL_NS, tcRunElapsed, tcRunOptions, type TcExecutable, type TcRunOptions } from '../tc-run.js';
import type { LinkedProgram } from '../../vm/program.js';
import { AF_INET, BPF_F_INGRESS, ERRNO, ETH_HLEN, ETH_P, PACKET, TC_ACT, VLAN_HLEN } from '../uapi.js';
import { tcfClassify } from './classify.js';
import { classicViewOf, type TcxAsClassic } from './classic-view.js';
import type { ClsBpfFilter } from './cls-bpf.js';
import type { DeviceNamespace, NetDevice } from './device.js';
import type { NetProgram, ProgHandle } from './prog-handle.js';
import type { Direction } from './tcx.js';
import type { Fate, HookEvent, NetTrace, TcxRun, TraceEvent } from './trace.js';

/** XMIT_RECURSION_LIMIT (netdevice.h): nested redirected transmits deeper than this are dropped. */
export const XMIT_RECURSION_LIMIT = 8;
/**
 * Receive rounds one send may cause. The kernel has no such limit: a redirect loop through
 * backlogs spins forever. tcxlab stops and reports a drop with reason TCXLAB_LOOP_LIMIT.
 */
export const MAX_RX_ROUNDS = 256;
/** dev_queue_xmit return codes (netdevice.h). */
export const NET_XMIT_SUCCESS = 0;
export const NET_XMIT_DROP = 1;
export const NET_XMIT_CN = 2;
/** netif_rx / dev_forward_skb failure. */
const NET_RX_DROP = 1;

export interface SendOptions {
  /** ingress: the frame arrives on `dev` from the wire; egress: it is sent through `dev`. */
  dir?: Direction;
  /** Initial skb metadata. */
  mark?: number;
  priority?: number;
  /** Engine for every program run (default: each program's own, else the interpreter). */
  engine?: Engine;
  /** Instruction budget per program run. */
  budget?: number;
  /**
   * Virtual monotonic time one program run takes (default 1 µs, as in testRun): the machine's
   * clock moves by it after each run and the timers due by then fire. 0: time stands still.
   */
  virtualRunNs?: bigint | number;
  /**
   * Compare mode (net/compare.ts): run every hook's tcx programs as if each had been attached as
   * a clsact cls_bpf filter instead, in tcx order, in front of the device's own classic filters.
   */
  tcxAsClassic?: TcxAsClassic;
  /** Record each hook's tcx program list in `HookEvent.tcxPrograms` (compare's "never ran"). */
  listPrograms?: boolean;
  /** Keep a copy of the frame as each hook left it (HookEvent.frame; for --pcap-out). */
  captureFrames?: boolean;
  /** The mocked world's FIB and socket table (Host({ mock }); Host.send passes the host's). */
  mock?: ResolvedMockEnv;
  /** bpf_get_prandom_u32's generator (Host.send passes the host's seeded one: one sequence across sends). */
  random?: SeededRandom;
  /**
   * 'full' (default): every hook run, redirect and transmission is in `NetTrace.events`, and
   * each Fate.frame is a copy of the frame. 'off' (throughput mode): `events` stays empty and
   * Fate.frame is a view of the skb's bytes (valid until the next send); fates, verdicts,
   * printk, timers and every effect on maps and devices are the same.
   */
  trace?: 'full' | 'off';
}

/**
 * The run options (and so the run state) for the programs of one Memory in one hook run, kept
 * between hooks and sends (pooled per Memory, see hookRunOf): regions, ctx view, options and
 * env are made once and pointed at each hook's skb (rebindSkbRunState), as the kernel reuses
 * its per-CPU state.
 */
interface HookRun {
  opts: TcRunOptions;
  env: SkbEnv;
  /** The hook it serves (read by env.cloneRedirect); cleared when it goes back to the pool. */
  dp: Datapath | undefined;
  dev: NetDevice | undefined;
  pkt: Pkt | undefined;
}

/** Idle hook run states per Memory (several when hooks nest: clone_redirect, neigh redirect). */
const hookPool = new WeakMap<Memory, HookRun[]>();

/** An idle hook run state of `mem` bound to `skb` and `base` (made on first use). */
function hookRunOf(mem: Memory, skb: Skb, base: BaseRunState, budget: number | undefined): HookRun {
  let pool = hookPool.get(mem);
  if (pool === undefined) hookPool.set(mem, (pool = []));
  const idle = pool.pop();
  if (idle !== undefined) {
    const o = idle.opts;
    rebindSkbRunState(o.run, skb);
    Object.assign(o.run, base);
    o.packet = skbPacketProvider(skb);
    o.budget = budget;
    return idle;
  }
  const env: SkbEnv = {};
  const r: HookRun = { opts: tcRunOptions(createSkbRunState(mem, skb, { env }), base, { budget }), env, dp: undefined, dev: undefined, pkt: undefined };
  env.cloneRedirect = (ev) => (r.dp as Datapath).cloneRedirect(r.dev as NetDevice, r.pkt as Pkt, ev);
  return r;
}

/** The skb helpers' view of a device (live: reads the device's current settings). */
class SkbDeviceView implements SkbDevice {
  readonly broadcast = new Uint8Array(6).fill(0xff);
  readonly hardHeaderLen = ETH_HLEN;
  constructor(private readonly d: NetDevice) {}
  get ifindex(): number {
    return this.d.ifindex;
  }
  get name(): string {
    return this.d.name;
  }
  get addr(): Uint8Array {
    return this.d.mac;
  }
  get mtu(): number {
    return this.d.mtu;
  }
}
const deviceViews = new WeakMap<NetDevice, SkbDevice>();

/**
 * The devices of a namespace by ifindex as the skb helpers look them up (SkbEnv.devices): the
 * namespace's registered devices at the time of the lookup, one view object per device.
 */
class NamespaceDevices implements ReadonlyMap<number, SkbDevice> {
  constructor(private readonly ns: DeviceNamespace) {}
  get(ifindex: number): SkbDevice | undefined {
    const d = this.ns.device(ifindex);
    if (d === undefined) return undefined;
    let v = deviceViews.get(d);
    if (v === undefined) deviceViews.set(d, (v = new SkbDeviceView(d)));
    return v;
  }
  has(ifindex: number): boolean {
    return this.ns.device(ifindex) !== undefined;
  }
  private snapshot(): Map<number, SkbDevice> {
    const m = new Map<number, SkbDevice>();
    for (const d of this.ns.devices()) m.set(d.ifindex, this.get(d.ifindex) as SkbDevice);
    return m;
  }
  get size(): number {
    return this.ns.devices().length;
  }
  forEach(f: (v: SkbDevice, k: number, m: ReadonlyMap<number, SkbDevice>) => void): void {
    this.snapshot().forEach((v, k) => f(v, k, this));
  }
  entries(): MapIterator<[number, SkbDevice]> {
    return this.snapshot().entries();
  }
  keys(): MapIterator<number> {
    return this.snapshot().keys();
  }
  values(): MapIterator<SkbDevice> {
    return this.snapshot().values();
  }
  [Symbol.iterator](): MapIterator<[number, SkbDevice]> {
    return this.entries();
  }
}
const namespaceDevices = new WeakMap<DeviceNamespace, NamespaceDevices>();

/** The hook whose classic filters are running (see Datapath.hookRuns). */
let classifying: { dp: Datapath; pkt: Pkt; dev: NetDevice; pending: { redirect?: RedirectInfo }; runs: HookRun[] } | undefined;
/** tcfClassify's program runner: one function for every hook (no closure per packet). */
function runFilter(f: ClsBpfFilter): ProgOutcome {
  const c = classifying as NonNullable<typeof classifying>;
  return c.dp.runProg(f.prog, c.pkt, c.dev, c.pending, c.runs);
}

/** What runTc runs for a program under an engine, made once (not per run). */
const executables = new WeakMap<LinkedProgram, Map<Engine, TcExecutable>>();
function executableOf(prog: LinkedProgram, engine: Engine): TcExecutable {
  let m = executables.get(prog);
  if (m === undefined) executables.set(prog, (m = new Map()));
  let x = m.get(engine);
  if (x === undefined) m.set(engine, (x = { prog, engine }));
  return x;
}

/** Room around a sent frame. */
const SEND_SKB = { headroom: NET_SKB_PAD, tailroom: 64 } as const;
/** Per namespace, the skb of the last throughput-mode send, reused by the next one (Skb.recreate). */
const spareSkbs = new WeakMap<DeviceNamespace, Skb>();

/** A program run's outcome: r0 as s32, or the fault that ended it. */
type ProgOutcome = { ret: number } | { fault: BpfError };

interface Pkt {
  skb: Skb;
  id: number;
}


/** `eth_type_trans` (pkt_type and protocol; the pull is implicit: data stays at L2 here). */
function ethTypeTrans(skb: Skb, dev: NetDevice): void {
  // Bytes past the frame's end read as 0, which no comparison below mistakes for a header.
  const b = skb.buf;
  const o = skb.data;
  const n = skb.len;
  const mac = dev.mac;
  let host = true;
  let bcast = true;
  for (let i = 0; i < 6 && i < n; i++) {
    if (b[o + i] !== mac[i]) host = false;
    if (b[o + i] !== 0xff) bcast = false;
  }
  if (host) skb.pktType = PACKET.PACKET_HOST;
  else if (n > 0 && b[o] & 1) skb.pktType = bcast ? PACKET.PACKET_BROADCAST : PACKET.PACKET_MULTICAST;
  else skb.pktType = PACKET.PACKET_OTHERHOST;
  const et = n >= ETH_HLEN ? (b[o + 12] << 8) | b[o + 13] : 0;
  if (et >= 0x0600) skb.protocol = et;
  else skb.protocol = n >= 16 && b[o + 14] === 0xff && b[o + 15] === 0xff ? ETH_P.ETH_P_802_3 : 0x0004;
  skb.macHeader = skb.data;
  skb.networkHeader = skb.data + ETH_HLEN;
  skb.macLen = ETH_HLEN;
}

/** One send: the state of the emulated softirq while a packet and its offspring are processed. */
export class Datapath {
  readonly events: TraceEvent[] = [];
  readonly fates: Fate[] = [];
  private readonly backlog: Array<{ dev: NetDevice; pkt: Pkt }> = [];
  private xmitRecursion = 0;
  private nextPkt = 0;
  private rounds = 0;
  private readonly base: BaseRunState;
  /** SendOptions.trace is not 'off'. */
  private readonly tracing: boolean;
  /** bpf_timer callbacks that ran during this send. */
  private readonly timers: TimerFiring[] = [];
  private readonly runNs: bigint;

  constructor(
    readonly host: DeviceNamespace,
    private readonly opts: SendOptions = {},
  ) {
    // the programs read the machine's clock, the one their timers run on (as Collection.run)
    this.base = { ...defaultBaseState(), clock: timerHost(host.kernel.memory).clock, ...(opts.random ? { random: opts.random } : {}) };
    this.runNs = BigInt(opts.virtualRunNs ?? TC_RUN_VIRTUAL_NS);
    this.tracing = opts.trace !== 'off';
  }

  /** The helpers' view of a namespace's devices (by ifindex). */
  private devicesOf(ns: DeviceNamespace): NamespaceDevices {
    let d = namespaceDevices.get(ns);
    if (d === undefined) namespaceDevices.set(ns, (d = new NamespaceDevices(ns)));
    return d;
  }

  /** bpf_trace_printk lines of every program run during this send. */
  get printk(): string[] {
    return this.base.trace;
  }

  /** Process one frame and everything it causes; returns the trace. `dir` as in Host.send (default: the options', else ingress). */
  send(dev: NetDevice, frame: Uint8Array, opts: Pick<SendOptions, 'dir'> = {}): NetTrace {
    const dir = opts.dir ?? this.opts.dir ?? 'ingress';
    if (!dev.registered) throw new ErrnoError('E_NET', 'ENODEV', `send: ${dev.name} is not registered`);
    if (frame.length < ETH_HLEN) throw new ErrnoError('E_NET', 'EINVAL', `send: frame of ${frame.length} bytes is shorter than an Ethernet header`);
    // Throughput mode: the last send's skb is free again (nothing of it is kept without a trace).
    const spare = this.tracing ? undefined : spareSkbs.get(this.host);
    let skb: Skb;
    if (spare !== undefined) {
      spareSkbs.delete(this.host);
      spare.recreate(frame, SEND_SKB);
      skb = spare;
    } else skb = Skb.create(frame, SEND_SKB);
    skb.mark = this.opts.mark ?? 0;
    skb.priority = this.opts.priority ?? 0;
    const pkt = { skb, id: this.nextPkt++ };
    let xmitStatus: number | undefined;
    // a down device receives nothing (tcxlab's reading; a veth peer would have no carrier)
    if (dir === 'ingress' && !dev.up) this.end(pkt, 'drop', dev, 'DEV_READY');
    else if (dir === 'ingress') this.receive(dev, pkt);
    else {
      skb.macHeader = skb.data;
      skb.networkHeader = skb.data + ETH_HLEN;
      skb.protocol = (frame[12] << 8) | frame[13];
      xmitStatus = this.xmit(dev, pkt);
    }
    this.drain();
    if (!this.tracing) spareSkbs.set(this.host, skb);
    let fate = this.fates[0];
    for (let k = 0; k < this.fates.length; k++) {
      if (this.fates[k].pkt === 0) {
        fate = this.fates[k];
        break;
      }
    }
    const trace: NetTrace = { events: this.events, fate, fates: this.fates, xmitStatus, printk: this.base.trace };
    if (this.timers.length) trace.timers = this.timers;
    return trace;
  }

  private drain(): void {
    while (this.backlog.length) {
      const { dev, pkt } = this.backlog.shift()!;
      this.receive(dev, pkt);
    }
  }

  private end(pkt: Pkt, kind: Fate['kind'], dev: NetDevice, reason?: string): void {
    const frame = this.tracing ? pkt.skb.toBytes() : pkt.skb.bytes();
    this.fates.push({ pkt: pkt.id, kind, dev: dev.name, device: dev, reason, frame, mark: pkt.skb.mark >>> 0, tcIndex: pkt.skb.tcIndex, priority: pkt.skb.priority >>> 0 });
  }

  /** __netif_receive_skb_core up to the end of tc ingress. */
  private receive(dev0: NetDevice, pkt: Pkt): void {
    if (++this.rounds > MAX_RX_ROUNDS) return this.end(pkt, 'drop', dev0, 'TCXLAB_LOOP_LIMIT');
    const { skb } = pkt;
    let dev = dev0;
    ethTypeTrans(skb, dev);
    for (;;) {
      // another_round
      skb.ifindex = dev.ifindex;
      skb.skbIif = dev.ifindex;
      const entry = dev.tcxEntry('ingress');
      if (!entry) return this.end(pkt, 'stack', dev);
      // qdisc_pkt_len: the L2 header is already pulled at ingress
      skb.pktLen = skb.len - ETH_HLEN;
      skb.tcAtIngress = true;
      const hook = this.hook(dev, 'ingress', pkt);
      switch (hook.verdict) {
        case TC_ACT.TC_ACT_REDIRECT: {
          const r = this.doRedirect(dev, pkt, true, hook.redirect);
          if (r && r !== 'done') {
            dev = r;
            continue;
          }
          return;
        }
        case TC_ACT.TC_ACT_SHOT:
          return this.end(pkt, 'drop', dev, hook.dropReason ?? 'TC_INGRESS');
        case TC_ACT.TC_ACT_STOLEN:
        case TC_ACT.TC_ACT_QUEUED:
        case TC_ACT.TC_ACT_TRAP:
          return this.end(pkt, 'consumed', dev);
        default:
          return this.end(pkt, 'stack', dev);
      }
    }
  }

  /**
   * __dev_queue_xmit: tc egress, then the driver. Returns the transmit status the caller of
   * dev_queue_xmit sees (a packet socket turns NET_XMIT_DROP into ENOBUFS; measured).
   */
  private xmit(dev: NetDevice, pkt: Pkt): number {
    const { skb } = pkt;
    skb.ifindex = dev.ifindex;
    skb.tcAtIngress = false;
    skb.macHeader = skb.data;
    if (dev.tcxEntry('egress')) {
      skb.pktLen = skb.len;
      const hook = this.hook(dev, 'egress', pkt);
      switch (hook.verdict) {
        case TC_ACT.TC_ACT_SHOT:
          this.end(pkt, 'drop', dev, hook.dropReason ?? 'TC_EGRESS');
          return NET_XMIT_DROP;
        case TC_ACT.TC_ACT_STOLEN:
        case TC_ACT.TC_ACT_QUEUED:
        case TC_ACT.TC_ACT_TRAP:
          this.end(pkt, 'consumed', dev);
          return NET_XMIT_SUCCESS;
        case TC_ACT.TC_ACT_REDIRECT:
          // sch_handle_egress reports success whatever the redirect does
          this.doRedirect(dev, pkt, false, hook.redirect);
          return NET_XMIT_SUCCESS;
        default:
      }
    }
    // A down device, or a veth whose peer is down (no carrier), has the noop qdisc: it drops
    // (QDISC_DROP, measured) and reports congestion, which is not an error for the sender.
    const peer = dev.kind === 'veth' ? dev.peer : null;
    if (!dev.up || (dev.kind === 'veth' && (!peer || !peer.registered || !peer.up))) {
      this.end(pkt, 'drop', dev, 'QDISC_DROP');
      return NET_XMIT_CN;
    }
    if (peer) {
      if (this.tracing) this.events.push({ kind: 'xmit', pkt: pkt.id, dev: dev.name, to: peer.name });
      // veth_xmit → __dev_forward_skb2 → is_skb_forwardable: up to MTU + L2 header + a VLAN tag
      if (skb.len > peer.mtu + ETH_HLEN + VLAN_HLEN) {
        this.end(pkt, 'drop', dev, 'NOT_SPECIFIED');
        return NET_XMIT_DROP;
      }
      this.forward(peer, pkt, dev.host !== peer.host);
      return NET_XMIT_SUCCESS;
    }
    if (dev.kind === 'loopback') {
      if (this.tracing) this.events.push({ kind: 'xmit', pkt: pkt.id, dev: dev.name, to: dev.name });
      this.backlog.push({ dev, pkt });
      return NET_XMIT_SUCCESS;
    }
    if (this.tracing) this.events.push({ kind: 'xmit', pkt: pkt.id, dev: dev.name });
    this.end(pkt, 'transmitted', dev);
    return NET_XMIT_SUCCESS;
  }

  /** ____dev_forward_skb: scrub, then netif_rx on `to` (a later receive round). */
  private forward(to: NetDevice, pkt: Pkt, xnet: boolean): void {
    const { skb } = pkt;
    // skb_scrub_packet: skb_iif and pkt_type reset; mark and tstamp only across namespaces
    skb.skbIif = 0;
    if (xnet) {
      skb.mark = 0;
      skb.tstamp = 0n;
    }
    skb.priority = 0;
    this.backlog.push({ dev: to, pkt });
  }

  /**
   * sch_handle_ingress / sch_handle_egress up to the verdict. The programs of one hook run share
   * one run state per Memory (regions, ctx view, run options), released when the hook is done.
   */
  private hook(dev: NetDevice, dir: Direction, pkt: Pkt): { verdict: number; dropReason?: string; redirect?: RedirectInfo } {
    const runs: HookRun[] = [];
    try {
      return this.hookRuns(dev, dir, pkt, runs);
    } finally {
      for (const r of runs) {
        r.dp = undefined;
        r.dev = undefined;
        r.pkt = undefined;
        (hookPool.get(r.opts.run.mem) as HookRun[]).push(r);
      }
    }
  }

  private hookRuns(dev: NetDevice, dir: Direction, pkt: Pkt, runs: HookRun[]): { verdict: number; dropReason?: string; redirect?: RedirectInfo } {
    const { skb } = pkt;
    const ev: HookEvent = { kind: 'hook', pkt: pkt.id, dev: dev.name, ifindex: dev.ifindex, dir, tcx: [], tcxVerdict: 'next', verdict: TC_ACT.TC_ACT_UNSPEC, tcIndex: 0 };
    if (this.opts.listPrograms) ev.tcxPrograms = dev.tcx(dir).programs().map((p) => p.name);
    if (this.tracing) this.events.push(ev);
    const pending: { redirect?: RedirectInfo } = {};
    // tcx_run (skipped in compare mode: the programs run as classic filters below)
    let ret = -1;
    const view = this.opts.tcxAsClassic;
    for (const prog of view ? [] : dev.tcx(dir).programs()) {
      const r = this.runProg(prog, pkt, dev, pending, runs);
      if ('fault' in r) {
        if (this.tracing) ev.tcx.push({ prog: prog.name, progId: prog.id, fault: r.fault } satisfies TcxRun);
        ret = -1;
        continue;
      }
      if (this.tracing) ev.tcx.push({ prog: prog.name, progId: prog.id, ret: r.ret } satisfies TcxRun);
      ret = r.ret;
      if (ret !== -1) break;
    }
    let verdict: number;
    let dropReason: string | undefined;
    if (ret === TC_ACT.TC_ACT_OK) {
      ev.tcxVerdict = 'pass';
      skb.tcIndex = skb.tcClassid & 0xffff; // tcx_action_code
      ev.classid = skb.tcIndex;
      verdict = TC_ACT.TC_ACT_OK;
    } else if (ret === TC_ACT.TC_ACT_SHOT) {
      ev.tcxVerdict = 'drop';
      verdict = TC_ACT.TC_ACT_SHOT;
    } else if (ret === TC_ACT.TC_ACT_REDIRECT) {
      ev.tcxVerdict = 'redirect';
      verdict = TC_ACT.TC_ACT_REDIRECT;
    } else {
      // tc_run
      const real = dev.tcxEntry(dir)?.miniq ?? null;
      const block = view ? classicViewOf(dev.tcx(dir).programs(), real, view) : real;
      verdict = TC_ACT.TC_ACT_UNSPEC;
      if (block) {
        // The classifier's program runner (made once) reads the hook from `classifying`; a hook
        // nested inside a filter run (clone_redirect) saves and restores it.
        const outer = classifying;
        classifying = { dp: this, pkt, dev, pending, runs };
        let res;
        try {
          res = tcfClassify(block, skb, runFilter);
        } finally {
          classifying = outer;
        }
        ev.classic = { runs: res.runs, verdict: res.verdict, classid: res.classid, restarts: res.restarts };
        verdict = res.verdict;
        if (verdict === TC_ACT.TC_ACT_SHOT) dropReason = res.dropReason;
        if (verdict === TC_ACT.TC_ACT_OK || verdict === TC_ACT.TC_ACT_RECLASSIFY) {
          skb.tcIndex = res.classid & 0xffff;
          ev.classid = res.classid;
        }
      }
    }
    ev.verdict = verdict;
    ev.tcIndex = skb.tcIndex;
    if (this.opts.captureFrames) ev.frame = skb.toBytes();
    return { verdict, dropReason, redirect: pending.redirect };
  }

  /**
   * Run one program on the skb (data at the Ethernet header, as both hooks present it), through
   * the run core testRun uses (tc-run.ts).
   */
  runProg(prog: ProgHandle, pkt: Pkt, dev: NetDevice, pending: { redirect?: RedirectInfo }, runs: HookRun[]): ProgOutcome {
    const np: NetProgram | undefined = prog.program;
    if (np === undefined) return { fault: new UsageError(`${prog} has no executable program bound (load it with host.loadObject)`) };
    const { skb } = pkt;
    let hr: HookRun | undefined;
    for (let k = 0; k < runs.length; k++) if (runs[k].opts.run.mem === np.mem) hr = runs[k];
    let r: TcRunOptions;
    if (hr === undefined) {
      hr = hookRunOf(np.mem, skb, this.base, this.opts.budget);
      hr.env.devices = this.devicesOf(dev.host);
      // set on every use: the env is pooled per Memory across sends, mocked or not
      hr.env.fib = this.opts.mock?.fib;
      hr.env.socketLookup = this.opts.mock?.socketLookup;
      hr.dp = this;
      hr.dev = dev;
      hr.pkt = pkt;
      runs.push(hr);
      r = hr.opts;
    } else {
      r = hr.opts;
      // Each program starts as on a fresh run state: no redirect request, no tunnel info, no
      // events; the packet region follows the skb if anything outside a helper moved it.
      const st = r.run;
      st.redirect = undefined;
      st.tunnel = undefined;
      if (st.events.length !== 0) st.events.length = 0;
      const pv = st.packet.bytes;
      if (pv.buffer !== skb.buf.buffer || pv.byteOffset !== skb.buf.byteOffset + skb.data - skb.metaLen || pv.length !== skb.metaLen + skb.len) syncPacket(st);
    }
    const res = runTc(executableOf(np.linked, this.opts.engine ?? np.engine ?? 'interp'), np.mem, r);
    tcRunElapsed(np.mem, res, this.runNs, this.timers);
    if (r.run.redirect) pending.redirect = r.run.redirect;
    if (res.fault) return { fault: res.fault };
    return { ret: res.r0lo | 0 };
  }

  /**
   * bpf_clone_redirect, carried out inside the helper call as the kernel does (__bpf_redirect on
   * a clone): the clone's egress hooks run nested, an ingress clone goes to the backlog. The
   * helper returns what __bpf_rx_skb / __bpf_tx_skb return: 0, NET_RX_DROP / NET_XMIT_DROP (1),
   * NET_XMIT_CN (2) or -ENETDOWN at the recursion limit.
   */
  cloneRedirect(from: NetDevice, pkt: Pkt, ev: SkbEvent): number {
    const target = from.host.device(ev.ifindex);
    if (!target) return -ERRNO.EINVAL;
    const clone: Pkt = { skb: cloneSkb(ev.skb), id: this.nextPkt++ };
    const ingress = (ev.flags & BPF_F_INGRESS) !== 0;
    if (this.tracing) this.events.push({ kind: 'redirect', pkt: pkt.id, how: 'clone_redirect', from: from.name, to: target.name, ifindex: target.ifindex, dir: ingress ? 'ingress' : 'egress', clone: clone.id });
    return this.plainRedirect(target, clone, ingress);
  }

  /**
   * skb_do_redirect with the hook's pending redirect. Returns the peer device for "another
   * round" (redirect_peer at ingress), else 'done' (the skb went somewhere or was dropped).
   */
  private doRedirect(dev: NetDevice, pkt: Pkt, atIngress: boolean, info: RedirectInfo | undefined): NetDevice | 'done' {
    // dev_get_by_index_rcu in the skb's current namespace
    const target = info ? dev.host.device(info.ifindex) : undefined;
    if (!info || !target) {
      this.end(pkt, 'drop', dev, 'NOT_SPECIFIED');
      return 'done';
    }
    const how = info.kind;
    if (how === 'peer') {
      const peer = target.kind === 'veth' ? target.peer : null;
      if (this.tracing) this.events.push({ kind: 'redirect', pkt: pkt.id, how, from: dev.name, to: peer?.name ?? target.name, ifindex: target.ifindex, dir: 'ingress' });
      // skb_do_redirect: ingress only; ndo_get_peer_dev; the peer forwardable (up, MTU) and in
      // another netns; then skb_scrub_packet(skb, false): mark and tstamp are kept
      if (!atIngress || !peer || !peer.registered || !peer.up || peer.host === target.host || pkt.skb.len - ETH_HLEN > peer.mtu) {
        this.end(pkt, 'drop', dev, 'NOT_SPECIFIED');
        return 'done';
      }
      pkt.skb.skbIif = 0;
      return peer;
    }
    const ingress = how === 'redirect' && (info.flags & BPF_F_INGRESS) !== 0;
    if (this.tracing) this.events.push({ kind: 'redirect', pkt: pkt.id, how, from: dev.name, to: target.name, ifindex: target.ifindex, dir: ingress ? 'ingress' : 'egress' });
    if (how === 'neigh') this.neighRedirect(target, pkt, info);
    else this.plainRedirect(target, pkt, ingress);
    return 'done';
  }

  /**
   * __bpf_redirect_neigh (IPv4): strip the Ethernet header (multicast destinations are dropped),
   * find the next hop (the params' IPv4 gateway, else the destination: tcxlab has no gateway
   * routes, and a lookup bound to the target device falls back to on-link), then neighbour output: a neighbour entry on the target gives the new
   * destination MAC, the source is the target's MAC, and the frame goes through the target's
   * transmit path (egress hooks included). tcxlab has no ARP: without an entry
   * (`addNeighbour`, `ip neigh add`) the packet is dropped with NEIGH_FAILED.
   */
  private neighRedirect(target: NetDevice, pkt: Pkt, info: RedirectInfo): void {
    const { skb } = pkt;
    const b = skb.bytes();
    if (b[0] & 1) return this.end(pkt, 'drop', target, 'NOT_SPECIFIED');
    if (skb.protocol !== ETH_P.ETH_P_IP || b.length < ETH_HLEN + 20) return this.end(pkt, 'drop', target, 'NOT_SPECIFIED');
    let nexthop: number;
    const nh = info.neigh;
    if (nh && new DataView(nh.buffer, nh.byteOffset).getUint32(0, true) === AF_INET) {
      nexthop = new DataView(nh.buffer, nh.byteOffset).getUint32(4, false);
    } else {
      // ip_route_output_flow with oif = target: without a better route the destination is
      // taken as on-link on the target ("routing tables are wrong, assume on link")
      if (!target.up) return this.end(pkt, 'drop', target, 'NOT_SPECIFIED');
      nexthop = new DataView(b.buffer, b.byteOffset).getUint32(ETH_HLEN + 16, false);
    }
    const mac = target.neighbours.get(nexthop);
    if (!mac) return this.end(pkt, 'drop', target, 'NEIGH_FAILED');
    if (this.xmitRecursion > XMIT_RECURSION_LIMIT) return this.end(pkt, 'drop', target, 'NOT_SPECIFIED');
    b.set(mac, 0);
    b.set(target.mac, 6);
    b[12] = 0x08;
    b[13] = 0x00;
    skb.tstamp = 0n;
    this.xmitRecursion++;
    try {
      this.xmit(target, pkt);
    } finally {
      this.xmitRecursion--;
    }
  }

  /**
   * __bpf_redirect_common: BPF_F_INGRESS → dev_forward_skb (backlog), else __bpf_tx_skb.
   * Returns the status clone_redirect hands back (see cloneRedirect).
   */
  private plainRedirect(target: NetDevice, pkt: Pkt, ingress: boolean): number {
    const { skb } = pkt;
    if (skb.len === 0) {
      this.end(pkt, 'drop', target, 'NOT_SPECIFIED');
      return -ERRNO.ERANGE;
    }
    if (ingress) {
      // __dev_forward_skb2: not forwardable (down) → NOT_SPECIFIED (measured), NET_RX_DROP
      if (!target.up) {
        this.end(pkt, 'drop', target, 'NOT_SPECIFIED');
        return NET_RX_DROP;
      }
      this.forward(target, pkt, false);
      return 0;
    }
    if (this.xmitRecursion > XMIT_RECURSION_LIMIT) {
      this.end(pkt, 'drop', target, 'NOT_SPECIFIED');
      return -ERRNO.ENETDOWN;
    }
    skb.tstamp = 0n;
    this.xmitRecursion++;
    try {
      return this.xmit(target, pkt);
    } finally {
      this.xmitRecursion--;
    }
  }
}

/** Send one frame through `dev` (see Host.send). */
export function sendFrame(host: DeviceNamespace, dev: NetDevice | string, frame: Uint8Array, opts: SendOptions = {}): NetTrace {
  const d = typeof dev === 'string' ? host.device(dev) : dev;
  if (!d) throw new ErrnoError('E_NET', 'ENODEV', `send: no device ${String(dev)}`);
  return new Datapath(d.host, opts).send(d, frame);
}

/** A loaded object: its Collection and one ProgHandle per program (by function name). */
export interface LoadedObject {
  collection: Collection;
  programs: Map<string, ProgHandle>;
  /** The handle of program `name`, or a UsageError listing the ones there are. */
  program(name: string): ProgHandle;
}

/**
 * Load an ELF object on the host's kernel (like `bpftool prog loadall`): maps are created once
 * and shared by all its programs; each program gets a sched_cls ProgHandle with the executable
 * bound, ready for `dev.tcx(dir).attach()`, links and `dev.tc.filter()`. Pinned maps (iproute2
 * PIN_GLOBAL_NS / PIN_OBJECT_NS, libbpf pinning by name) are shared with every other object
 * loaded on the same kernel. Programs tcxlab refuses (unsupported kfunc or map type) get no
 * handle; `collection.refused` says why.
 */
export function loadObjectOnHost(host: DeviceNamespace, bytes: Uint8Array, opts: CollectionOptions = {}): LoadedObject {
  // a private copy (not Buffer#slice, a view): the loader relocates in place, callers reuse buffers
  // Unknown section names are sched_cls, as in `tcxlab run` and the library's loadObject.
  const collection = Collection.load(new Uint8Array(bytes), {
    ifindexExists: (ifindex) => host.device(ifindex) !== undefined,
    ...opts,
    programType: opts.programType ?? 'sched_cls',
    mem: opts.mem ?? host.kernel.memory,
  });
  const progs = new Map<string, ProgHandle>();
  for (const p of collection.programs.values()) {
    const program: NetProgram = { linked: p.linked, mem: collection.mem, engine: collection.engine };
    progs.set(p.name, host.kernel.loadProg({ name: p.name, type: 'sched_cls', program }));
  }
  return {
    collection,
    programs: progs,
    program(name: string): ProgHandle {
      const h = progs.get(name);
      if (!h) throw new UsageError(`no program ${JSON.stringify(name)} in the object (have: ${[...progs.keys()].join(', ')})`);
      return h;
    },
  };
}
