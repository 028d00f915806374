/**
 * @fileoverview Netns: one network namespace of an emulated kernel: its devices and their
 * ifindexes, plus shortcuts to load programs and create tcx links. This is the model; Host
 * (host.ts) adds the entry points into the datapath (loadObject, send).
 *
 * ifindex assignment follows net/core/dev.c dev_index_reserve: a fresh namespace has lo = 1,
 * later devices take the next index after the last one handed out (a cyclic allocator), so
 * indexes of deleted devices are not reused. A veth pair registers the peer first
 * (drivers/net/veth.c veth_newlink), so `addVeth('veth0', 'veth0p')` gives veth0p 2, veth0 3,
 * exactly what `ip link add veth0 type veth peer name veth0p` does in a new netns.
 */
import { ErrnoError, ErrorCode } from '../../vm/errors.js';
import type { ErrnoName } from '../uapi.js';
import { NetDevice, type DeviceKind, type DeviceNamespace } from './device.js';
import { BpfKernel } from './kernel.js';
import { BpfLink } from './links.js';
import type { ProgHandle, ProgHandleOptions } from './prog-handle.js';
import { tcxUninstall, type Direction, type TcxAttachOptions } from './tcx.js';

/** IFNAMSIZ: names are at most 15 bytes. */
export const IFNAMSIZ = 16;

export interface HostOptions {
  /** The kernel (id spaces, bpffs) this namespace belongs to; default: a new one. */
  kernel?: BpfKernel;
}

function netErr(name: ErrnoName, message: string): ErrnoError {
  return new ErrnoError(ErrorCode.Net, name, message);
}

export class Netns implements DeviceNamespace {
  readonly kernel: BpfKernel;
  /** The loopback device, ifindex 1. */
  readonly lo: NetDevice;
  private readonly byIndex = new Map<number, NetDevice>();
  private lastIfindex = 0;

  constructor(opts: HostOptions = {}) {
    this.kernel = opts.kernel ?? new BpfKernel();
    this.lo = this.register('lo', 'loopback');
  }

  /** Load a program into this host's kernel (one reference for the caller). */
  loadProg(opts: ProgHandleOptions = {}): ProgHandle {
    return this.kernel.loadProg(opts);
  }

  /**
   * Create a veth pair. Returns [dev, peer]; the peer is registered first and so gets the
   * lower ifindex. EEXIST if either name is taken, EINVAL for an invalid name.
   *
   * The order is the kernel's (rtnl_newlink, then veth_newlink): an existing `name` fails
   * first; then the peer is validated and registered; only then is `name` validated. So an
   * invalid `name` with a valid peer fails after the peer took an ifindex, and that index is
   * lost (measured: `ip link add . type veth peer name .p` burns one ifindex).
   */
  addVeth(name: string, peerName: string): [NetDevice, NetDevice] {
    if (typeof name === 'string' && this.device(name)) throw netErr('EEXIST', `device ${name} exists`);
    this.checkNewName(peerName);
    const peer = this.register(peerName, 'veth');
    try {
      this.checkNewName(name);
    } catch (e) {
      this.byIndex.delete(peer.ifindex);
      peer.registered = false;
      throw e;
    }
    const dev = this.register(name, 'veth');
    dev.peer = peer;
    peer.peer = dev;
    return [dev, peer];
  }

  /** Create a dummy device. */
  addDummy(name: string): NetDevice {
    this.checkNewName(name);
    return this.register(name, 'dummy');
  }

  /** A device by name or ifindex (registered devices only). */
  device(nameOrIndex: string | number): NetDevice | undefined {
    if (typeof nameOrIndex === 'number') return this.byIndex.get(nameOrIndex);
    for (const d of this.byIndex.values()) if (d.name === nameOrIndex) return d;
    return undefined;
  }

  /** Registered devices in ifindex order. */
  devices(): NetDevice[] {
    return [...this.byIndex.values()].sort((a, b) => a.ifindex - b.ifindex);
  }

  /**
   * Delete a device (RTM_DELLINK). A veth takes its peer with it. lo cannot be deleted
   * (EOPNOTSUPP: it has no rtnl_link_ops); an unknown device gives ENODEV.
   * Unregistering runs the device's unregisterHooks (qdisc shutdown), then uninstalls both
   * tcx hooks: links become defunct (ifindex 0), plain attachments drop their programs.
   */
  deleteDevice(which: NetDevice | string | number): void {
    const dev = which instanceof NetDevice ? (which.registered && which.host === this ? which : undefined) : this.device(which);
    if (!dev) throw netErr('ENODEV', `delete: no device ${String(which instanceof NetDevice ? which.name : which)}`);
    if (dev.kind === 'loopback') throw netErr('EOPNOTSUPP', 'delete: lo cannot be deleted');
    const batch = dev.kind === 'veth' && dev.peer?.registered ? [dev, dev.peer] : [dev];
    for (const d of batch) this.unregister(d);
  }

  /**
   * Move a device into another namespace of the same kernel (`ip link set DEV netns NS`,
   * net/core/dev.c __dev_change_net_namespace): it goes down, its clsact/ingress qdisc is shut
   * down (classic filters are lost), tcx attachments stay; it keeps its ifindex unless the target
   * namespace uses it (then the target's allocator gives a new one). A veth moves alone: its
   * peer stays, which is what bpf_redirect_peer needs. lo cannot move (EINVAL); a name taken in
   * the target is EEXIST.
   */
  moveDevice(which: NetDevice | string | number, target: Netns): NetDevice {
    const dev = which instanceof NetDevice ? (which.registered && which.host === this ? which : undefined) : this.device(which);
    if (!dev) throw netErr('ENODEV', `move: no device ${String(which instanceof NetDevice ? which.name : which)}`);
    if (target === this) return dev;
    if (target.kernel !== this.kernel) throw netErr('EINVAL', 'move: the target namespace belongs to another kernel');
    if (dev.kind === 'loopback') throw netErr('EINVAL', 'move: lo is local to its namespace');
    if (target.device(dev.name)) throw netErr('EEXIST', `move: ${dev.name} exists in the target namespace`);
    dev.up = false;
    dev.tc.shutdown();
    this.byIndex.delete(dev.ifindex);
    if (target.byIndex.has(dev.ifindex)) {
      let idx = target.lastIfindex + 1;
      while (target.byIndex.has(idx)) idx++;
      target.lastIfindex = idx;
      dev.ifindex = idx;
    }
    dev.host = target;
    target.byIndex.set(dev.ifindex, dev);
    return dev;
  }

  /** Create a tcx link (BPF_LINK_CREATE) for `prog` on `dev`'s `dir` hook. */
  linkCreate(dev: NetDevice, dir: Direction, prog: ProgHandle, opts: TcxAttachOptions = {}): BpfLink {
    return BpfLink.attach(this.kernel, dev, dir, prog, opts);
  }

  private unregister(dev: NetDevice): void {
    for (const h of dev.unregisterHooks) h(dev);
    tcxUninstall(dev, 'ingress');
    tcxUninstall(dev, 'egress');
    dev.up = false;
    dev.registered = false;
    this.byIndex.delete(dev.ifindex);
  }

  /** dev_valid_name + the namespace's name uniqueness. */
  private checkNewName(name: string): void {
    if (
      typeof name !== 'string' ||
      name.length === 0 ||
      Buffer.byteLength(name) >= IFNAMSIZ ||
      name === '.' ||
      name === '..' ||
      /[/:\s]/.test(name)
    )
      throw netErr('EINVAL', `invalid device name ${JSON.stringify(name)}`);
    if (this.device(name)) throw netErr('EEXIST', `device ${name} exists`);
  }

  private register(name: string, kind: DeviceKind): NetDevice {
    let idx = this.lastIfindex + 1;
    while (this.byIndex.has(idx)) idx++;
    this.lastIfindex = idx;
    const dev = new NetDevice(this, name, idx, kind);
    this.byIndex.set(idx, dev);
    return dev;
  }
}
