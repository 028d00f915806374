/**
 * @fileoverview SkbRunState: what the skb helpers get as `HelperCall.run` while a tc program runs.
 *
 * The integrator creates one per run (or one per test run, shared by all repeats) with
 * `createSkbRunState`, passes it as `RunOptions.run`, and passes `state.ctx` as r1. After the
 * run the netdev reads `state.redirect` (the per-CPU bpf_redirect_info the kernel's
 * skb_do_redirect consumes when the program returns TC_ACT_REDIRECT) and `state.events`
 * (things that already happened during the run: clone_redirect transmissions, in call order).
 *
 *   state.skb      the Skb (packet bytes + metadata); helpers change it in place
 *   state.packet   Region bound to skb.packetView(): data_meta = offset 0, data = metaLen,
 *                  data_end = metaLen + len. Rebound by every layout-changing helper.
 *   state.ctx      Region of kind 'ctx' whose CtxAccess is the __sk_buff view (SkBuffCtx)
 *   state.sock     Region of kind 'ctx' for the bpf_sock view of skb->sk (absent when sk is NULL)
 *   state.env      devices, FIB, hash and cookie sources: the emulated world around the skb
 */
import { Memory, type Region } from '../../vm/memory.js';
import type { Skb } from './skb.js';

/** An emulated network device as the skb helpers need to see it. */
export interface SkbDevice {
  ifindex: number;
  name: string;
  /** dev->dev_addr (6 bytes). */
  addr: Uint8Array;
  /** dev->broadcast (6 bytes). */
  broadcast: Uint8Array;
  mtu: number;
  /** dev->hard_header_len (14 for Ethernet and lo). */
  hardHeaderLen: number;
}

/** The loopback device of a fresh netns: ifindex 1, all-zero addresses, MTU 65536. */
export const LOOPBACK: SkbDevice = Object.freeze({
  ifindex: 1,
  name: 'lo',
  addr: new Uint8Array(6),
  broadcast: new Uint8Array(6),
  mtu: 65536,
  hardHeaderLen: 14,
});

/** Result of an emulated FIB lookup (see `SkbEnv.fib`). */
export interface FibResult {
  /** BPF_FIB_LKUP_RET_* */
  ret: number;
  ifindex?: number;
  smac?: Uint8Array;
  dmac?: Uint8Array;
  mtuResult?: number;
}

/** The world around the skb. Every member is optional; defaults are documented per field. */
export interface SkbEnv {
  /** ifindex → device. Default: only LOOPBACK. */
  devices?: ReadonlyMap<number, SkbDevice>;
  /**
   * FIB lookup for bpf_fib_lookup, given the 64-byte struct bpf_fib_lookup (read/write: fill it on
   * success) and the flags. Default: no route, BPF_FIB_LKUP_RET_NOT_FWDED.
   */
  fib?: (params: Uint8Array, flags: number) => FibResult;
  /**
   * skb hash for get_hash_recalc when no hash is set, replacing the kernel's computation.
   * Default: the kernel's flow-dissector SipHash with `flowHashKey` (src/skb/flow-hash.ts).
   */
  flowHash?: (skb: Skb) => number;
  /**
   * The 128-bit SipHash key of the flow hash (the kernel's per-boot random hashrnd), as two u64
   * words. Default DEFAULT_FLOW_HASH_KEY; set the kernel's to reproduce its skb->hash values.
   */
  flowHashKey?: import('./flow-hash.js').FlowHashKey;
  /** Socket cookie source for get_socket_cookie (kernel: a global counter from 1). */
  nextSocketCookie?: () => bigint;
  /**
   * cgroup ids from the root down to the skb socket's cgroup (skb_cgroup_id is the last,
   * skb_ancestor_cgroup_id(level) the level-th). Default [1n]: the root cgroup, as for a test run
   * started from the root cgroup. Only used when skb.sk is set.
   */
  cgroupPath?: readonly bigint[];
  /**
   * Socket table for bpf_sk_lookup_tcp/udp and bpf_skc_lookup_tcp (src/helpers/sk-lookup.ts):
   * the socket the kernel would find for the tuple. Default: none, every lookup is NULL.
   */
  socketLookup?: import('../helpers/sk-lookup.js').SocketLookup;
  /**
   * Carry out a clone_redirect now and return its transmit status (the helper's return value).
   * Default: 0 (what a test run on lo gives); the event is recorded in `events` either way.
   */
  cloneRedirect?: (ev: CloneRedirectEvent) => number;
  /** get_netns_cookie's value (the netns's cookie; boot-dependent in the kernel). Default 1n. */
  netnsCookie?: bigint;
}

/** A redirect requested by bpf_redirect / redirect_peer / redirect_neigh (bpf_redirect_info). */
export interface RedirectInfo {
  kind: 'redirect' | 'peer' | 'neigh';
  ifindex: number;
  /** BPF_F_INGRESS (redirect) or the internal kind; as passed. */
  flags: number;
  /** redirect_neigh params (20 bytes) when plen ≠ 0. */
  neigh?: Uint8Array;
}

/** Something that already happened during the run and the netdev must carry out. */
export interface CloneRedirectEvent {
  kind: 'clone_redirect';
  ifindex: number;
  flags: number;
  /** The clone's frame (from the mac header) at the time of the call. */
  frame: Uint8Array;
  /** A copy of the skb at the time of the call (metadata included). */
  skb: Skb;
}
export type SkbEvent = CloneRedirectEvent;

/** Tunnel metadata set by skb_set_tunnel_key / _opt (the TX metadata dst). */
export interface TunnelInfo {
  /** The bpf_tunnel_key fields as passed to set (host order, 48-byte layout). */
  tunnelId: bigint;
  ipv6: boolean;
  /** ip_tunnel_key.u.ipv4/6.dst (= key->remote_*) and src (= key->local_*), 4 or 16 bytes, host-order words. */
  dst: Uint8Array;
  src: Uint8Array;
  tos: number;
  ttl: number;
  label: number;
  /** TUNNEL_* flags derived from the set flags. */
  flags: number;
  options: Uint8Array;
}

/** Run state handed to the skb helpers as `HelperCall.run`. */
export interface SkbRunState {
  readonly skb: Skb;
  readonly mem: Memory;
  readonly packet: Region;
  readonly ctx: Region;
  sock?: Region;
  /** The full-socket view of skb->sk handed out by bpf_sk_fullsock (allocated on first use). */
  fullSock?: Region;
  /** What bpf_cast_to_kern_ctx returned (allocated on first use; src/kfuncs/misc.ts). */
  kernCtx?: Region;
  /** The request socket bpf_sk_assign_tcp_reqsk attached (src/kfuncs/reqsk.ts). */
  reqsk?: import('../kfuncs/reqsk.js').AssignedReqsk;
  /** Last redirect request (per-CPU bpf_redirect_info); undefined if none this run. */
  redirect?: RedirectInfo;
  readonly events: SkbEvent[];
  tunnel?: TunnelInfo;
  readonly env: SkbEnv;
}

/** Type guard for `HelperCall.run`. */
export function isSkbRunState(run: unknown): run is SkbRunState {
  return typeof run === 'object' && run !== null && 'skb' in run && 'packet' in run && 'ctx' in run;
}

/** The device with this ifindex in the env (loopback by default). */
export function findDevice(env: SkbEnv, ifindex: number): SkbDevice | undefined {
  if (env.devices) return env.devices.get(ifindex);
  return ifindex === 1 ? LOOPBACK : undefined;
}

/** r1 for a run: the ctx Region's address as RunOptions.args's [lo, hi] pair. */
export function ctxArg(state: Pick<SkbRunState, 'ctx'>): [number, number] {
  return [Memory.lo(0), state.ctx.hi];
}

/** Release the run's regions (packet, ctx, sockets) so their ids are reused; old pointers fault. */
export function releaseSkbRunState(state: SkbRunState): void {
  for (const r of [state.packet, state.ctx, state.sock, state.fullSock, state.kernCtx]) if (r) state.mem.release(r);
}

/** Point the packet Region at the skb's current layout (after any layout change). */
export function syncPacket(state: SkbRunState): void {
  state.mem.rebind(state.packet, state.skb.packetView());
}
