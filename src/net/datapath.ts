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
import { defaultBaseState, SeededRandom, type BaseRunState } from '../helpers/base.js';
import type { ResolvedMockEnv } from '../mock-env.js';
import { cloneSkb } from '../helpers/skb-redirect.js';
import { timerHost, type TimerFiring, type TimerHost } from '../helpers/timer.js';
import { createSkbRunState, rebindSkbRunState, resetSkbRunState, syncPacket, Skb, NET_SKB_PAD, type RedirectInfo, type SkbDevice, type SkbEnv, type SkbEvent } from '../skb/index.js';
import type { SkbPacketProvider } from '../skb/ld-abs.js';
import { runTc, TC_RUN_VIRTUAL_NS, tcRunElapsed, tcRunOptions, tcRunStep, type TcExecutable, type TcRunOptions } from '../tc-run.js';
import { compile } from '../../vm/jit/index.js';
import type { LinkedProgram } from '../../vm/program.js';
import { AF_INET, BPF_F_INGRESS, ERRNO, ETH_HLEN, ETH_P, PACKET, TC_ACT, VLAN_HLEN } from '../uapi.js';
import { classifyInto, type ClassifyOutcome, type FilterRun } from './classify.js';
import { classicViewOf, type TcxAsClassic } from './classic-view.js';
import type { ClsBpfFilter } from './cls-bpf.js';
import type { DeviceNamespace, NetDevice } from './device.js';
import type { NetProgram, ProgHandle } from './prog-handle.js';
import type { Direction, TcxEntry } from './tcx.js';
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
   * each Fate.frame is a copy of the frame. 'off' (throughput mode): `events` stays empty,
   * Fate.frame is a view of the skb's bytes, and the NetTrace with its arrays and Fate records
   * is the one the next throughput-mode send of the namespace reuses (all valid until the next
   * send: copy what you keep); fates, verdicts, printk, timers and every effect on maps and
   * devices are the same.
   */
  trace?: 'full' | 'off';
}

/**
 * The run options (and so the run state) for the programs of one Memory at one hook nesting
 * depth of a Datapath, kept between hooks and sends: regions, ctx view, LD_ABS view, options and
 * env are made once and pointed at each hook's skb (see Datapath.firstRun), as the kernel reuses
 * its per-CPU state. A Datapath that lets go of them (releaseRuns) gives them to a pool per
 * Memory, from which the next Datapath takes.
 */
interface HookRun {
  opts: TcRunOptions;
  mem: Memory;
  env: SkbEnv;
  /** opts.packet, pointed at the hook's skb. */
  packet: SkbPacketProvider;
  /** The timers of its Memory's machine (timerHost(mem)). */
  timers: TimerHost;
  /**
   * The packet region's view when the run path last bound it, and the skb layout it was bound to
   * (buf, data, metaLen, len): while both still hold, the region is current. (The three fields
   * themselves, not the region's start and length: no arithmetic per run; a change that keeps
   * the region where it was only rebinds it to the same bytes.)
   */
  pview: Uint8Array;
  pbuf: Uint8Array;
  pdata: number;
  pmeta: number;
  plen: number;
  /** The base state last copied into the run state (see Datapath.bindBase). */
  base: BaseRunState | undefined;
  /** The namespace whose devices env.devices shows. */
  devNs: DeviceNamespace | undefined;
  /** The hook it serves (read by env.cloneRedirect). */
  hook: HookFrame;
  /** HookFrame.serial of the last hook that ran a program on it (-1: none yet). */
  serial: number;
}

/** Run states no Datapath holds, per Memory (see HookRun). */
const hookPool = new WeakMap<Memory, HookRun[]>();

/**
 * A run state of `mem` for hook frame `h` pointed at `skb`: an idle one from the pool, else a
 * new one. Its `serial` is -1: the hook's first run on it binds the rest (Datapath.firstRun).
 */
function hookRunOf(mem: Memory, skb: Skb, base: BaseRunState, h: HookFrame): HookRun {
  const idle = hookPool.get(mem)?.pop();
  if (idle !== undefined) {
    rebindSkbRunState(idle.opts.run, skb);
    idle.packet.skb = skb;
    packetBound(idle, skb);
    idle.hook = h;
    idle.serial = -1;
    return idle;
  }
  const env: SkbEnv = {};
  const opts = tcRunOptions(createSkbRunState(mem, skb, { env }), base);
  const st = opts.run;
  const r: HookRun = {
    opts,
    mem,
    env,
    packet: opts.packet as SkbPacketProvider,
    timers: timerHost(mem),
    pview: st.packet.bytes,
    pbuf: skb.buf,
    pdata: skb.data,
    pmeta: skb.metaLen,
    plen: skb.len,
    base,
    devNs: undefined,
    hook: h,
    serial: -1,
  };
  env.cloneRedirect = (ev) => {
    const hk = r.hook;
    return hk.dp.cloneRedirect(hk.dev, hk.pkt, ev);
  };
  return r;
}

/** Record that `hr`'s packet region is bound to `skb`'s current layout. */
function packetBound(hr: HookRun, skb: Skb): void {
  hr.pview = hr.opts.run.packet.bytes;
  hr.pbuf = skb.buf;
  hr.pdata = skb.data;
  hr.pmeta = skb.metaLen;
  hr.plen = skb.len;
}

/**
 * Point `hr`'s packet region at `skb`'s layout unless it is there already: a helper that moves
 * the skb's data rebinds the region itself; this catches anything else that moved it.
 */
function packetFollows(hr: HookRun, skb: Skb): void {
  const st = hr.opts.run;
  if (st.packet.bytes === hr.pview && skb.buf === hr.pbuf && skb.data === hr.pdata && skb.metaLen === hr.pmeta && skb.len === hr.plen) return;
  syncPacket(st);
  packetBound(hr, skb);
}

/**
 * One hook run in progress (sch_handle_ingress / sch_handle_egress): kept per nesting depth by
 * its Datapath and reused by the next hook at that depth.
 */
interface HookFrame {
  dp: Datapath;
  dev: NetDevice;
  pkt: Pkt;
  /** The redirect the last program asked for (bpf_redirect_info), consumed by skb_do_redirect. */
  redirect: RedirectInfo | undefined;
  /** Its run states, one per Memory, kept from hook to hook (see HookRun). */
  runs: HookRun[];
  /** The run state of the last program run (most hooks run programs of one Memory). */
  last: HookRun | undefined;
  /** Counts the hooks run on this frame: a HookRun whose serial differs is not bound to this one yet. */
  serial: number;
  /** The classic path's result. */
  classic: ClassifyOutcome;
}

/** A hook frame for the first hook at its depth. */
function newHookFrame(dp: Datapath, dev: NetDevice, pkt: Pkt): HookFrame {
  return {
    dp,
    dev,
    pkt,
    redirect: undefined,
    runs: [],
    last: undefined,
    serial: 0,
    classic: { verdict: 0, classid: 0, gotoChain: undefined, dropReason: undefined, restarts: 0 },
  };
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

/** The fault of a run of a handle without an executable (out of runProg: it inlines within a budget). */
function unbound(prog: ProgHandle): UsageError {
  return new UsageError(`${prog} has no executable program bound (load it with host.loadObject)`);
}

/** The classifier's program runner: one function for every hook (no closure per packet). */
function runFilter(f: ClsBpfFilter, h: HookFrame): number | BpfError {
  return h.dp.runProg(f.prog, h);
}

/** What runTc runs for a program under an engine, made once (not per run). */
const executables = new WeakMap<LinkedProgram, Map<Engine, TcExecutable>>();
function executableOf(prog: LinkedProgram, engine: Engine): TcExecutable {
  let m = executables.get(prog);
  if (m === undefined) executables.set(prog, (m = new Map()));
  let x = m.get(engine);
  if (x === undefined) {
    // the JIT's compiled form, looked up once here instead of at every run (runJit's lookup)
    x = engine === 'jit' ? { prog, engine, jit: compile(prog) } : { prog, engine };
    m.set(engine, x);
  }
  return x;
}
/**
 * The executable of a bound program under `engine`, remembered on the NetProgram unless the
 * engine is not one of the two (Datapath.executable tells a cached one's engine by its compiled
 * form; an unknown engine is refused by the run, runProgram).
 */
function netExecutable(np: NetProgram, engine: Engine): TcExecutable {
  const x = np.executable;
  if (x !== undefined && x.engine === engine && x.prog === np.linked) return x;
  const y = executableOf(np.linked, engine);
  if (engine === 'jit' || engine === 'interp') np.executable = y;
  return y;
}

/**
 * A send's fates before its first one: the array is made with the first fate (an array literal
 * is sized to fit; a push onto an empty array reserves room for 17). Never handed out.
 */
const NO_FATES: Fate[] = [];

/** Room around a sent frame. */
const SEND_SKB = { headroom: NET_SKB_PAD, tailroom: 64 } as const;

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
  let host: boolean;
  if (n >= 6) {
    host = b[o] === mac[0] && b[o + 1] === mac[1] && b[o + 2] === mac[2] && b[o + 3] === mac[3] && b[o + 4] === mac[4] && b[o + 5] === mac[5];
  } else {
    host = true;
    for (let i = 0; i < n; i++) if (b[o + i] !== mac[i]) host = false;
  }
  if (host) skb.pktType = PACKET.PACKET_HOST;
  else if (n > 0 && b[o] & 1) skb.pktType = isBroadcast(b, o, n) ? PACKET.PACKET_BROADCAST : PACKET.PACKET_MULTICAST;
  else skb.pktType = PACKET.PACKET_OTHERHOST;
  const et = n >= ETH_HLEN ? (b[o + 12] << 8) | b[o + 13] : 0;
  if (et >= 0x0600) skb.protocol = et;
  else skb.protocol = n >= 16 && b[o + 14] === 0xff && b[o + 15] === 0xff ? ETH_P.ETH_P_802_3 : 0x0004;
  skb.macHeader = o;
  skb.networkHeader = o + ETH_HLEN;
  skb.macLen = ETH_HLEN;
}

/** The destination MAC (the first min(n, 6) bytes at `o`) is ff:ff:ff:ff:ff:ff (a short frame: the bytes it has). */
function isBroadcast(b: Uint8Array, o: number, n: number): boolean {
  if (n >= 6) return (b[o] & b[o + 1] & b[o + 2] & b[o + 3] & b[o + 4] & b[o + 5]) === 0xff;
  for (let i = 0; i < n; i++) if (b[o + i] !== 0xff) return false;
  return true;
}

/** One send: the state of the emulated softirq while a packet and its offspring are processed. */
export class Datapath {
  private evs: TraceEvent[] = [];
  /** NO_FATES until the first fate of a traced send (then an array made with it, sized to fit). */
  private fts: Fate[] = NO_FATES;
  private readonly backlog: Array<{ dev: NetDevice; pkt: Pkt }> = [];
  private xmitRecursion = 0;
  private nextPkt = 0;
  private rounds = 0;
  /** What the helpers see of the machine; `trace` and `random` are renewed by each send (see renew). */
  private readonly base: BaseRunState;
  private opts: SendOptions = {};
  /** SendOptions.engine. */
  private engine: Engine | undefined = undefined;
  /** SendOptions.engine is 'jit' (true) or 'interp' (false); undefined for none (each program's own) or another. */
  private jit: boolean | undefined = undefined;
  /** SendOptions.trace is not 'off'. */
  private tracing = true;
  /** bpf_timer callbacks that ran during this send. */
  private timers: TimerFiring[] = [];
  /** The virtual duration of a run (tcRunStep of SendOptions.virtualRunNs), and the option it came from. */
  private runStep: number | bigint = 0;
  private runStepOf: bigint | number | undefined | null = null;
  /** Hook runs in progress by nesting depth; each frame is reused by the next hook at its depth. */
  private readonly hookFrames: HookFrame[] = [];
  private hookDepth = 0;
  /** What the last hook decided besides its verdict (read right after hook() returns). */
  private hookRedirect: RedirectInfo | undefined = undefined;
  private hookDropReason: string | undefined = undefined;
  /** The skb of the last send, reused by the next one (Skb.recreate). */
  private spare: Skb | undefined = undefined;
  /** The sent frame's packet record (the only one of most sends; clones get their own). */
  private readonly pkt0: Pkt = { skb: undefined as unknown as Skb, id: 0 };
  /** bpf_get_prandom_u32's generator when the send brings none: reset to the default seed by each send. */
  private readonly ownRandom = new SeededRandom();
  /**
   * Throughput mode's result, reused by every send in that mode (valid until the next send, see
   * SendOptions.trace): the trace, its empty events, its fates (records reused by position) and
   * its printk lines. A traced send makes its own.
   */
  private offTrace: NetTrace | undefined = undefined;
  private readonly offEvents: TraceEvent[] = [];
  private readonly offFates: Fate[] = [];
  private readonly offFateRecords: Fate[] = [];
  /** The number of fates this throughput-mode send recorded (offFates may be longer until send() cuts it). */
  private nOffFates = 0;
  private readonly offPrintk: string[] = [];
  /** No send of sendFrame's is running on it. */
  idle = false;
  /**
   * It keeps its run states after a send (sendFrame's Datapath of the namespace that sent last);
   * any other Datapath gives them back to the pool when its send is done (see HookRun).
   */
  keepsRuns = false;

  constructor(
    readonly host: DeviceNamespace,
    opts: SendOptions = {},
  ) {
    // the programs read the machine's clock, the one their timers run on (as Collection.run)
    const base = defaultBaseState();
    base.clock = timerHost(host.kernel.memory).clock;
    this.base = base;
    this.renew(opts);
  }

  /** Every TraceEvent of the sends so far (a traced send; sendFrame's sends: of the last one). */
  get events(): TraceEvent[] {
    return this.evs;
  }

  /** The fate of every skb (same scope as events). */
  get fates(): Fate[] {
    if (this.fts === NO_FATES) this.fts = [];
    if (!this.tracing && this.fts.length !== this.nOffFates) this.fts.length = this.nOffFates;
    return this.fts;
  }

  /**
   * Make this Datapath a fresh one for a send with `opts` (sendFrame reuses one per namespace):
   * new result arrays (throughput mode: its own, emptied), an empty printk buffer, the default
   * generator reset, nothing pending. The spare skb and the hook frames with their run states are
   * kept (nothing returned refers to them).
   */
  renew(opts: SendOptions): void {
    this.opts = opts;
    const engine = (this.engine = opts.engine);
    this.jit = engine === 'jit' ? true : engine === 'interp' ? false : undefined;
    const tracing = (this.tracing = opts.trace !== 'off');
    const runNs = opts.virtualRunNs;
    if (runNs !== this.runStepOf) {
      this.runStep = tcRunStep(BigInt(runNs ?? TC_RUN_VIRTUAL_NS));
      this.runStepOf = runNs;
    }
    if (tracing) {
      this.evs = [];
      this.fts = NO_FATES;
      this.base.trace = [];
    } else {
      // a caller may have written into the last result's arrays
      const evs = (this.evs = this.offEvents);
      if (evs.length !== 0) evs.length = 0;
      // emptied lazily: send() cuts it to the fates this send recorded (end() writes by index)
      this.fts = this.offFates;
      this.nOffFates = 0;
      const printk = (this.base.trace = this.offPrintk);
      if (printk.length !== 0) printk.length = 0;
    }
    if (this.timers.length !== 0) this.timers = [];
    if (this.backlog.length !== 0) this.backlog.length = 0;
    this.xmitRecursion = 0;
    this.nextPkt = 0;
    this.rounds = 0;
    this.hookDepth = 0;
    this.base.random = opts.random !== undefined ? opts.random : this.ownRandom.reset();
  }

  /**
   * Give the run states this Datapath holds to the pool of their Memory (see HookRun): at the
   * end of each send unless it `keepsRuns`, and when sendFrame stops keeping it.
   */
  releaseRuns(): void {
    for (const h of this.hookFrames) {
      for (const r of h.runs) {
        let pool = hookPool.get(r.mem);
        if (pool === undefined) hookPool.set(r.mem, (pool = []));
        pool.push(r);
      }
      h.runs.length = 0;
      h.last = undefined;
    }
  }

  /**
   * Give a run state this send's base state: all of it when it last served another Datapath (or
   * none), else only what renew() replaces.
   */
  private bindBase(hr: HookRun): void {
    const run = hr.opts.run;
    const base = this.base;
    if (hr.base !== base) {
      Object.assign(run, base);
      hr.base = base;
    } else {
      run.trace = base.trace;
      run.random = base.random;
    }
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
  send(dev: NetDevice, frame: Uint8Array, opts?: Pick<SendOptions, 'dir'>): NetTrace {
    try {
      return this.sendOne(dev, frame, opts);
    } finally {
      if (!this.keepsRuns) this.releaseRuns();
    }
  }

  /** send() without giving the run states back (sendFrame's Datapath keeps them: keepsRuns). */
  sendOne(dev: NetDevice, frame: Uint8Array, opts?: Pick<SendOptions, 'dir'>): NetTrace {
    const ingress = (opts?.dir ?? this.opts.dir ?? 'ingress') === 'ingress';
    if (!dev.registered) throw new ErrnoError('E_NET', 'ENODEV', `send: ${dev.name} is not registered`);
    if (frame.length < ETH_HLEN) throw new ErrnoError('E_NET', 'EINVAL', `send: frame of ${frame.length} bytes is shorter than an Ethernet header`);
    // The last send's skb is free again: nothing returned refers to it (a traced send's frames
    // are copies; a throughput-mode fate's frame is documented as valid until the next send).
    const spare = this.spare;
    let skb: Skb;
    if (spare !== undefined) {
      this.spare = undefined;
      spare.recreate(frame, SEND_SKB);
      skb = spare;
    } else skb = Skb.create(frame, SEND_SKB);
    skb.mark = this.opts.mark ?? 0;
    skb.priority = this.opts.priority ?? 0;
    const pkt = this.pkt0;
    pkt.skb = skb;
    pkt.id = this.nextPkt++;
    let xmitStatus: number | undefined;
    // a down device receives nothing (tcxlab's reading; a veth peer would have no carrier)
    if (ingress && !dev.up) this.end(pkt, 'drop', dev, 'DEV_READY');
    else if (ingress) this.receive(dev, pkt);
    else {
      skb.macHeader = skb.data;
      skb.networkHeader = skb.data + ETH_HLEN;
      skb.protocol = (frame[12] << 8) | frame[13];
      xmitStatus = this.xmit(dev, pkt);
    }
    this.drain();
    this.spare = skb;
    const fates = this.fts === NO_FATES ? (this.fts = []) : this.fts;
    if (!this.tracing && fates.length !== this.nOffFates) fates.length = this.nOffFates;
    let fate = fates[0];
    for (let k = 0; k < fates.length; k++) {
      if (fates[k].pkt === 0) {
        fate = fates[k];
        break;
      }
    }
    const timers = this.timers.length !== 0 ? this.timers : undefined;
    if (this.tracing) {
      const trace: NetTrace = { events: this.evs, fate, fates, xmitStatus, printk: this.base.trace };
      if (timers !== undefined) trace.timers = timers;
      return trace;
    }
    let t = this.offTrace;
    if (t === undefined) this.offTrace = t = { events: this.evs, fate, fates, xmitStatus, printk: this.base.trace, timers };
    else {
      t.events = this.evs;
      t.fate = fate;
      t.fates = fates;
      t.xmitStatus = xmitStatus;
      t.printk = this.base.trace;
      t.timers = timers;
    }
    return t;
  }

  private drain(): void {
    while (this.backlog.length) {
      const { dev, pkt } = this.backlog.shift()!;
      this.receive(dev, pkt);
    }
  }

  private end(pkt: Pkt, kind: Fate['kind'], dev: NetDevice, reason?: string): void {
    const skb = pkt.skb;
    if (this.tracing) {
      const f: Fate = { pkt: pkt.id, kind, dev: dev.name, device: dev, reason, frame: skb.toBytes(), mark: skb.mark >>> 0, tcIndex: skb.tcIndex, priority: skb.priority >>> 0 };
      if (this.fts === NO_FATES) this.fts = [f];
      else this.fts.push(f);
      return;
    }
    // throughput mode: the fate records of the last send, reused by position
    const fts = this.fts;
    const k = this.nOffFates++;
    let f = this.offFateRecords[k];
    if (f === undefined) {
      this.offFateRecords[k] = f = { pkt: pkt.id, kind, dev: dev.name, device: dev, reason, frame: skb.bytesView(), mark: skb.mark >>> 0, tcIndex: skb.tcIndex, priority: skb.priority >>> 0 };
    } else {
      f.pkt = pkt.id;
      f.kind = kind;
      f.dev = dev.name;
      f.device = dev;
      f.reason = reason;
      f.frame = skb.bytesView();
      f.mark = skb.mark >>> 0;
      f.tcIndex = skb.tcIndex;
      f.priority = skb.priority >>> 0;
    }
    fts[k] = f;
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
      const verdict = this.hook(dev, 'ingress', entry, pkt);
      switch (verdict) {
        case TC_ACT.TC_ACT_REDIRECT: {
          const r = this.doRedirect(dev, pkt, true, this.hookRedirect);
          if (r && r !== 'done') {
            dev = r;
            continue;
          }
          return;
        }
        case TC_ACT.TC_ACT_SHOT:
          return this.end(pkt, 'drop', dev, this.hookDropReason ?? 'TC_INGRESS');
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
    const entry = dev.tcxEntry('egress');
    if (entry) {
      skb.pktLen = skb.len;
      const verdict = this.hook(dev, 'egress', entry, pkt);
      switch (verdict) {
        case TC_ACT.TC_ACT_SHOT:
          this.end(pkt, 'drop', dev, this.hookDropReason ?? 'TC_EGRESS');
          return NET_XMIT_DROP;
        case TC_ACT.TC_ACT_STOLEN:
        case TC_ACT.TC_ACT_QUEUED:
        case TC_ACT.TC_ACT_TRAP:
          this.end(pkt, 'consumed', dev);
          return NET_XMIT_SUCCESS;
        case TC_ACT.TC_ACT_REDIRECT:
          // sch_handle_egress reports success whatever the redirect does
          this.doRedirect(dev, pkt, false, this.hookRedirect);
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
      if (this.tracing) this.evs.push({ kind: 'xmit', pkt: pkt.id, dev: dev.name, to: peer.name });
      // veth_xmit → __dev_forward_skb2 → is_skb_forwardable: up to MTU + L2 header + a VLAN tag
      if (skb.len > peer.mtu + ETH_HLEN + VLAN_HLEN) {
        this.end(pkt, 'drop', dev, 'NOT_SPECIFIED');
        return NET_XMIT_DROP;
      }
      this.forward(peer, pkt, dev.host !== peer.host);
      return NET_XMIT_SUCCESS;
    }
    if (dev.kind === 'loopback') {
      if (this.tracing) this.evs.push({ kind: 'xmit', pkt: pkt.id, dev: dev.name, to: dev.name });
      this.backlog.push({ dev, pkt });
      return NET_XMIT_SUCCESS;
    }
    if (this.tracing) this.evs.push({ kind: 'xmit', pkt: pkt.id, dev: dev.name });
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
   * sch_handle_ingress / sch_handle_egress up to the verdict, which it returns; the redirect to
   * carry out and the drop reason are in hookRedirect / hookDropReason until the next hook. The
   * programs of one hook run share one run state per Memory (regions, ctx view, run options),
   * released when the hook is done.
   */
  private hook(dev: NetDevice, dir: Direction, entry: TcxEntry, pkt: Pkt): number {
    const depth = this.hookDepth++;
    let h = this.hookFrames[depth];
    if (h === undefined) h = this.hookFrames[depth] = newHookFrame(this, dev, pkt);
    else {
      h.dev = dev;
      h.pkt = pkt;
      h.redirect = undefined;
      h.serial++;
    }
    // (one function with the hook's runs: a call less per hook)
    try {
      const { skb } = pkt;
      const tracing = this.tracing;
      // the trace's record of the hook, built only for a traced send
      let ev: HookEvent | undefined;
      if (tracing) {
        ev = { kind: 'hook', pkt: pkt.id, dev: dev.name, ifindex: dev.ifindex, dir, tcx: [], tcxVerdict: 'next', verdict: TC_ACT.TC_ACT_UNSPEC, tcIndex: 0 };
        if (this.opts.listPrograms) ev.tcxPrograms = dev.tcx(dir).programs().map((p) => p.name);
        this.evs.push(ev);
      }
      // tcx_run (skipped in compare mode: the programs run as classic filters below)
      let ret = -1;
      const view = this.opts.tcxAsClassic;
      if (!view) {
        const slots = entry.bundle.slots;
        for (let i = 0, n = slots.length; i < n; i++) {
          const prog = slots[i].prog;
          const r = this.runProg(prog, h);
          if (typeof r !== 'number') {
            if (ev !== undefined) ev.tcx.push({ prog: prog.name, progId: prog.id, fault: r } satisfies TcxRun);
            ret = -1;
            continue;
          }
          if (ev !== undefined) ev.tcx.push({ prog: prog.name, progId: prog.id, ret: r } satisfies TcxRun);
          ret = r;
          if (ret !== -1) break;
        }
      }
      let verdict: number;
      let dropReason: string | undefined;
      if (ret === TC_ACT.TC_ACT_OK) {
        skb.tcIndex = skb.tcClassid & 0xffff; // tcx_action_code
        if (ev !== undefined) {
          ev.tcxVerdict = 'pass';
          ev.classid = skb.tcIndex;
        }
        verdict = TC_ACT.TC_ACT_OK;
      } else if (ret === TC_ACT.TC_ACT_SHOT) {
        if (ev !== undefined) ev.tcxVerdict = 'drop';
        verdict = TC_ACT.TC_ACT_SHOT;
      } else if (ret === TC_ACT.TC_ACT_REDIRECT) {
        if (ev !== undefined) ev.tcxVerdict = 'redirect';
        verdict = TC_ACT.TC_ACT_REDIRECT;
      } else {
        // tc_run
        const real = entry.miniq;
        const block = view ? classicViewOf(dev.tcx(dir).programs(), real, view) : real;
        verdict = TC_ACT.TC_ACT_UNSPEC;
        if (block) {
          const res = h.classic;
          const runs: FilterRun[] | undefined = tracing ? [] : undefined;
          classifyInto(block, skb, runFilter, h, res, runs);
          if (ev !== undefined) ev.classic = { runs: runs as FilterRun[], verdict: res.verdict, classid: res.classid, restarts: res.restarts };
          verdict = res.verdict;
          if (verdict === TC_ACT.TC_ACT_SHOT) dropReason = res.dropReason;
          if (verdict === TC_ACT.TC_ACT_OK || verdict === TC_ACT.TC_ACT_RECLASSIFY) {
            skb.tcIndex = res.classid & 0xffff;
            if (ev !== undefined) ev.classid = res.classid;
          }
        }
      }
      if (ev !== undefined) {
        ev.verdict = verdict;
        ev.tcIndex = skb.tcIndex;
        if (this.opts.captureFrames) ev.frame = skb.toBytes();
      }
      this.hookRedirect = h.redirect;
      this.hookDropReason = dropReason;
      return verdict;
    } finally {
      this.hookDepth = depth;
    }
  }

  /**
   * Run one program of hook `h` on its skb (data at the Ethernet header, as both hooks present
   * it), through the run core testRun uses (tc-run.ts): r0 as s32, or the fault that ended it.
   */
  runProg(prog: ProgHandle, h: HookFrame): number | BpfError {
    const np: NetProgram | undefined = prog.program;
    if (np === undefined) return unbound(prog);
    const mem = np.mem;
    let hr = h.last;
    if (hr === undefined || hr.mem !== mem) hr = h.last = this.hookRunFor(h, mem);
    const r = hr.opts;
    const st = r.run;
    const skb = h.pkt.skb;
    if (hr.serial !== h.serial) this.firstRun(hr, h, skb);
    else {
      // Each program starts as on a fresh run state: no redirect request, no tunnel info, no
      // events; the packet region follows the skb if anything outside a helper moved it (the
      // check written out here: this function is past V8's inlining budget).
      st.redirect = undefined;
      st.tunnel = undefined;
      if (st.events.length !== 0) st.events.length = 0;
      if (st.packet.bytes !== hr.pview || skb.buf !== hr.pbuf || skb.data !== hr.pdata || skb.metaLen !== hr.pmeta || skb.len !== hr.plen) packetFollows(hr, skb);
    }
    const res = runTc(this.executable(np), mem, r);
    tcRunElapsed(res, this.runStep, this.timers, hr.timers);
    if (st.redirect !== undefined) h.redirect = st.redirect;
    if (res.fault !== undefined) return res.fault;
    return res.r0lo | 0;
  }

  /**
   * The executable of `np` under this send's engine (SendOptions.engine, else the program's,
   * else the interpreter). With the send's engine known the cached one is checked by a boolean:
   * comparing two engine strings is a StringEqual call per run in V8's optimized code.
   */
  private executable(np: NetProgram): TcExecutable {
    const x = np.executable;
    // (a jit of undefined matches neither boolean: the engine strings decide in netExecutable)
    return x !== undefined && x.jit !== undefined === this.jit && x.prog === np.linked ? x : netExecutable(np, this.engine ?? np.engine ?? 'interp');
  }

  /** Hook frame `h`'s run state for `mem` (made, or taken from the pool, on first use). */
  private hookRunFor(h: HookFrame, mem: Memory): HookRun {
    const runs = h.runs;
    for (let k = 0; k < runs.length; k++) if (runs[k].mem === mem) return runs[k];
    const hr = hookRunOf(mem, h.pkt.skb, this.base, h);
    runs.push(hr);
    return hr;
  }

  /**
   * The first program run of hook `h` on `hr`: the run state is made fresh for the hook's skb
   * (rebound to another skb, or cleared of what the last hook's runs left when it is the same
   * skb object, the reused one of the last send), gets this send's base state, options and the
   * namespace's devices.
   */
  private firstRun(hr: HookRun, h: HookFrame, skb: Skb): void {
    hr.serial = h.serial;
    const r = hr.opts;
    const st = r.run;
    if (st.skb !== skb) {
      rebindSkbRunState(st, skb);
      hr.packet.skb = skb;
      packetBound(hr, skb);
    } else {
      resetSkbRunState(st);
      packetFollows(hr, skb);
    }
    this.bindBase(hr);
    r.budget = this.opts.budget;
    const env = hr.env;
    const ns = h.dev.host;
    if (hr.devNs !== ns) {
      env.devices = this.devicesOf(ns);
      hr.devNs = ns;
    }
    // set on every hook: the env is kept across sends, mocked or not
    const mock = this.opts.mock;
    env.fib = mock?.fib;
    env.socketLookup = mock?.socketLookup;
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
    if (this.tracing) this.evs.push({ kind: 'redirect', pkt: pkt.id, how: 'clone_redirect', from: from.name, to: target.name, ifindex: target.ifindex, dir: ingress ? 'ingress' : 'egress', clone: clone.id });
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
      if (this.tracing) this.evs.push({ kind: 'redirect', pkt: pkt.id, how, from: dev.name, to: peer?.name ?? target.name, ifindex: target.ifindex, dir: 'ingress' });
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
    if (this.tracing) this.evs.push({ kind: 'redirect', pkt: pkt.id, how, from: dev.name, to: target.name, ifindex: target.ifindex, dir: ingress ? 'ingress' : 'egress' });
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
  const ns = d.host;
  // A send inside a send: a Datapath of its own, whose run states go back to the pool after.
  if (holder !== undefined && !holder.idle) return new Datapath(ns, opts).send(d, frame);
  // One Datapath per namespace, renewed for each send; the one used last holds its run states.
  let dp = holder !== undefined && holder.host === ns ? holder : datapaths.get(ns);
  if (dp === undefined) datapaths.set(ns, (dp = new Datapath(ns, opts)));
  else dp.renew(opts);
  if (dp !== holder) {
    if (holder !== undefined) {
      holder.keepsRuns = false;
      holder.releaseRuns();
    }
    holder = dp;
    dp.keepsRuns = true;
  }
  dp.idle = false;
  try {
    return dp.sendOne(d, frame);
  } finally {
    dp.idle = true;
  }
}
/** sendFrame's Datapath per namespace. */
const datapaths = new WeakMap<DeviceNamespace, Datapath>();
/**
 * The Datapath sendFrame used last: the only one that keeps run states between sends (the
 * others gave theirs to the pool), so that namespaces that stop sending hold no regions.
 */
let holder: Datapath | undefined;

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
