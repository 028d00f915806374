/**
 * @fileoverview NetDevice: one emulated network device (struct net_device as far as tc/tcx
 * care): name, ifindex, kind, veth peer, MTU, MAC, admin state, and per direction the tcx
 * hook pointer (netdevice.h tcx_ingress / tcx_egress; null = no entry).
 *
 * Extension points for the classic tc path and the packet path:
 * - `tc`: the device's qdisc/filter state (clsact, ingress, cls_bpf), owned by net/tc code;
 * - `unregisterHooks`: called when the device is unregistered, before the tcx hooks are
 *   uninstalled (unregister_netdevice_many_notify shuts qdiscs down first, then tcx_uninstall);
 * - `tcx(dir).miniqUse()/miniqUnuse()`: how a clsact/ingress qdisc keeps the tcx entry alive.
 *
 * It also keeps what `ip addr` and `ip neigh` put on the device (tcxlab has no IP stack: the
 * addresses are recorded for tools, the neighbours are what bpf_redirect_neigh resolves with).
 */
import { UsageError } from '../../vm/errors.js';
import type { BpfKernel } from './kernel.js';
import { TcxHook, type Direction, type TcxDevice, type TcxEntry } from './tcx.js';
import { DevTc } from './qdisc.js';

/**
 * The network namespace a device is registered in, as the device and the datapath see it
 * (netns.ts Netns; declared here because the namespace creates its devices).
 */
export interface DeviceNamespace {
  readonly kernel: BpfKernel;
  /** A registered device by name or ifindex. */
  device(nameOrIndex: string | number): NetDevice | undefined;
  /** Registered devices in ifindex order. */
  devices(): NetDevice[];
}

/** An IPv4 address on a device (host-order u32) with its prefix length. */
export interface Ip4Address {
  ip: number;
  prefix: number;
}

export type DeviceKind = 'loopback' | 'veth' | 'dummy';

export class NetDevice implements TcxDevice {
  /** False once the device has been unregistered (deleted); the object stays for inspection. */
  registered = true;
  /** Administrative state (IFF_UP). New veth/dummy devices and a new netns's lo start down. */
  up = false;
  mtu: number;
  /** 6-byte MAC address. */
  mac: Uint8Array;
  /** The other end of a veth pair. */
  peer: NetDevice | null = null;
  /** tcx hook entries; null means "no entry" (query still reports count 0, revision 1). */
  tcxIngress: TcxEntry | null = null;
  tcxEgress: TcxEntry | null = null;
  /** Classic tc state (clsact/ingress qdisc, cls_bpf filters): see qdisc.ts. */
  readonly tc: DevTc;
  /** Called on unregister before tcx uninstall (the first one shuts the qdisc down). */
  readonly unregisterHooks: Array<(dev: NetDevice) => void> = [];
  /** `ip addr add` (in order). */
  readonly addresses: Ip4Address[] = [];
  /** `ip neigh add`: IPv4 (host order) → lladdr. */
  readonly neighbours = new Map<number, Uint8Array>();
  private readonly hooks: { ingress: TcxHook; egress: TcxHook };

  constructor(
    /** The namespace; changed only by Netns.moveDevice (ip link set DEV netns NS). */
    public host: DeviceNamespace,
    readonly name: string,
    /** Kept across a namespace move unless the target namespace uses it (Host.moveDevice). */
    public ifindex: number,
    readonly kind: DeviceKind,
    opts: { mtu?: number; mac?: Uint8Array } = {},
  ) {
    this.mtu = opts.mtu ?? (kind === 'loopback' ? 65536 : 1500);
    this.mac = opts.mac ?? (kind === 'loopback' ? new Uint8Array(6) : defaultMac(ifindex));
    this.hooks = { ingress: new TcxHook(this, 'ingress'), egress: new TcxHook(this, 'egress') };
    this.tc = new DevTc(this);
    this.unregisterHooks.push(() => this.tc.shutdown());
  }

  /** The tcx hook of one direction: attach/detach/query, the program list for the run path. */
  tcx(dir: Direction): TcxHook {
    const h = dir === 'ingress' || dir === 'egress' ? this.hooks[dir] : undefined;
    if (!h) throw new UsageError(`tcx: direction must be 'ingress' or 'egress', not ${JSON.stringify(dir)}`);
    return h;
  }

  /** The raw entry pointer of one direction. */
  tcxEntry(dir: Direction): TcxEntry | null {
    return dir === 'ingress' ? this.tcxIngress : this.tcxEgress;
  }

  setTcxEntry(dir: Direction, e: TcxEntry | null): void {
    if (dir === 'ingress') this.tcxIngress = e;
    else this.tcxEgress = e;
  }

  /** MAC as aa:bb:cc:dd:ee:ff. */
  get macString(): string {
    return [...this.mac].map((b) => b.toString(16).padStart(2, '0')).join(':');
  }

  toString(): string {
    return `${this.name}@${this.ifindex}`;
  }
}

/**
 * A deterministic locally administered unicast MAC (02:00:00:00:hi:lo from the ifindex). The
 * kernel picks random ones (eth_hw_addr_random); determinism matters more here.
 */
function defaultMac(ifindex: number): Uint8Array {
  return Uint8Array.of(0x02, 0, 0, 0, (ifindex >> 8) & 0xff, ifindex & 0xff);
}

/** Parse "a.b.c.d" to a host-order u32. */
export function parseIp4(s: string): number {
  const p = s.split('.').map(Number);
  if (p.length !== 4 || p.some((x) => !Number.isInteger(x) || x < 0 || x > 255)) throw new UsageError(`bad IPv4 address ${s}`);
  return ((p[0] << 24) | (p[1] << 16) | (p[2] << 8) | p[3]) >>> 0;
}

/** `ip addr add A/N dev D` (recorded for tools; tcxlab has no IP stack or routing table). */
export function addAddress(dev: NetDevice, cidr: string): void {
  const [a, n] = cidr.split('/');
  const prefix = n === undefined ? 32 : Number(n);
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > 32) throw new UsageError(`bad prefix in ${cidr}`);
  dev.addresses.push({ ip: parseIp4(a), prefix });
}

/** The IPv4 addresses of a device. */
export function addressesOf(dev: NetDevice): readonly Ip4Address[] {
  return dev.addresses;
}

/** `ip neigh add A lladdr M dev D` (a permanent entry). */
export function addNeighbour(dev: NetDevice, ip: string, mac: Uint8Array): void {
  if (mac.length !== 6) throw new UsageError('neighbour: lladdr must be 6 bytes');
  dev.neighbours.set(parseIp4(ip), mac.slice());
}
