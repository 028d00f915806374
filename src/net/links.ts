/**
 * @fileoverview BpfLink: a tcx link (kernel/bpf/tcx.c struct tcx_link on top of the generic
 * struct bpf_link of kernel/bpf/syscall.c).
 *
 * Lifetime: the link lives while references exist: the creator's handle (an fd in kernel
 * terms), more fds, bpffs pins. The hook holds NO reference. When the last reference goes the
 * link is released (taken off its hook if still attached, revision + 1) and freed (its program
 * reference dropped, its id gone). `detach()` takes it off the hook but keeps the object:
 * it is then "defunct": info reports ifindex 0, update gives ENOLINK, detach is a no-op.
 * Deleting the device makes its links defunct the same way (tcx_uninstall).
 *
 * The tcx_link_* functions of kernel/bpf/tcx.c live here, beside the link they operate on; the
 * hook side (entry, plain attach, query) is tcx.ts, below this module.
 */
import { BPF_F_ID, BPF_F_REPLACE, BPF_LINK_TYPE } from '../uapi.js';
import { errno, type Tuple } from './mprog.js';
import type { ProgHandle } from './prog-handle.js';
import {
  buildRequest,
  idLookup,
  relativeVia,
  requireSchedCls,
  tcxAttachType,
  tcxEntryFetchOrCreate,
  tcxEntryIsActive,
  type Direction,
  type TcxAttachOptions,
  type TcxDevice,
  type TcxLink,
} from './tcx.js';

export interface BpfLinkInfo {
  /** enum bpf_link_type (11 = tcx). */
  type: number;
  typeName: 'tcx';
  id: number;
  /** The current program's id (follows updates). */
  progId: number;
  /** The device's ifindex, 0 when the link is defunct. */
  ifindex: number;
  /** BPF_TCX_INGRESS (46) or BPF_TCX_EGRESS (47), kept when defunct. */
  attachType: number;
  direction: Direction;
}

/**
 * What a link needs of its kernel: the link id space (link_idr: bpf_link_prime / settle / free)
 * and bpffs. BpfKernel (kernel.ts, above this module) provides it.
 */
export interface LinkKernel {
  allocLinkId(): number;
  publishLink(link: BpfLink): void;
  releaseLink(link: BpfLink): void;
  pin(path: string, obj: BpfLink): void;
  pinned(path: string): unknown;
  unpin(path: string): unknown;
}

export class BpfLink implements TcxLink {
  /** Discriminator for anchors (a link vs a program). */
  readonly kind = 'bpf_link' as const;
  readonly type = BPF_LINK_TYPE.BPF_LINK_TYPE_TCX;
  /** The device while attached; null once defunct. */
  dev: TcxDevice | null;
  /** The program the link runs (and holds a reference on). */
  prog: ProgHandle;
  private refs = 1;
  private userRef = true;
  private freed = false;

  private constructor(
    readonly kernel: LinkKernel,
    readonly id: number,
    readonly direction: Direction,
    dev: TcxDevice,
    prog: ProgHandle,
  ) {
    this.dev = dev;
    this.prog = prog;
  }

  /**
   * tcx_link_attach after the syscall layer's program/attach-type checks: ENODEV for a missing
   * device, then a link id is allocated (a failure burns it) and the program goes in with
   * `flags` (not masked: stray bits give EINVAL only when no position flag is set).
   * The new link holds one reference for the caller.
   */
  static create(
    kernel: LinkKernel,
    dev: TcxDevice | null,
    direction: Direction,
    prog: ProgHandle,
    flags: number,
    relative: (flags: number, type: number) => Tuple<TcxLink>,
    expectedRevision: bigint,
  ): BpfLink {
    if (!dev || !dev.registered) throw errno('ENODEV', 'no such device');
    const link = new BpfLink(kernel, kernel.allocLinkId(), direction, dev, prog);
    try {
      tcxLinkProgAttach(link, dev, flags, relative, expectedRevision);
    } catch (e) {
      link.dev = null;
      link.freed = true;
      link.refs = 0;
      throw e;
    }
    prog.hold();
    kernel.publishLink(link);
    return link;
  }

  /** Library entry: create a link on `dev`/`dir` (in `kernel`, the device's) with cilium-style options. */
  static attach(kernel: LinkKernel, dev: TcxDevice, dir: Direction, prog: ProgHandle, opts: TcxAttachOptions = {}): BpfLink {
    dev.tcx(dir); // validates the direction
    requireSchedCls(prog);
    // a replace target makes BPF_F_REPLACE, which a link create always fails with ENOENT
    const req = buildRequest(dev, opts);
    return BpfLink.create(kernel, dev, dir, prog, req.flags, req.relative, req.expectedRevision);
  }

  get attachType(): number {
    return tcxAttachType(this.direction);
  }

  /** True while the link object exists (some reference is held). */
  get alive(): boolean {
    return !this.freed;
  }

  /** True when the link is no longer on a hook (detached, or its device is gone). */
  get defunct(): boolean {
    return this.dev === null;
  }

  get refCount(): number {
    return this.refs;
  }

  hold(): void {
    if (this.freed) throw new Error(`link ${this.id}: hold after free`);
    this.refs++;
  }

  /** bpf_link_put: the last reference releases (detaches) and frees the link. */
  put(): void {
    if (this.freed) throw new Error(`link ${this.id}: put after free`);
    if (--this.refs > 0) return;
    tcxLinkRelease(this);
    this.freed = true;
    this.kernel.releaseLink(this);
    this.prog.put();
  }

  /**
   * BPF_LINK_UPDATE: swap the program in place (same slot, same link id, revision + 1).
   * With `old`, fails with EPERM unless it is the current program. Updating to the current
   * program is a successful no-op.
   */
  update(newProg: ProgHandle, opts: { old?: ProgHandle } = {}): void {
    this.checkAlive();
    if (!newProg.alive) throw errno('EBADF', `${newProg} was released`);
    if (opts.old && !opts.old.alive) throw errno('EBADF', `${opts.old} was released`);
    tcxLinkUpdate(this, newProg, opts.old ?? null);
  }

  /** Raw-layer update with the uapi flags (only BPF_F_REPLACE is valid). */
  updateRaw(newProg: ProgHandle, oldProg: ProgHandle | null, flags: number): void {
    if (flags & ~BPF_F_REPLACE) throw errno('EINVAL', 'link update takes only BPF_F_REPLACE');
    tcxLinkUpdate(this, newProg, oldProg);
  }

  /** BPF_LINK_DETACH: take the link off its hook; the object stays (defunct). Always succeeds. */
  detach(): void {
    this.checkAlive();
    tcxLinkRelease(this);
  }

  /** Drop the creator's reference (like closing the link fd). Idempotent. */
  close(): void {
    if (!this.userRef || this.freed) return;
    this.userRef = false;
    this.put();
  }

  /** Pin in bpffs (/sys/fs/bpf/...): the pin keeps the link alive after close(). */
  pin(path: string): void {
    this.checkAlive();
    this.kernel.pin(path, this);
  }

  /** Remove a pin of this link (ENOENT if `path` does not pin this link). */
  unpin(path: string): void {
    if (this.kernel.pinned(path) !== this) throw errno('ENOENT', `${path} does not pin link ${this.id}`);
    this.kernel.unpin(path);
  }

  /** BPF_OBJ_GET_INFO_BY_FD for a tcx link. */
  info(): BpfLinkInfo {
    this.checkAlive();
    return {
      type: this.type,
      typeName: 'tcx',
      id: this.id,
      progId: this.prog.id,
      ifindex: this.dev ? this.dev.ifindex : 0,
      attachType: this.attachType,
      direction: this.direction,
    };
  }

  /** /proc/PID/fdinfo lines for the link, as the kernel prints them (prog_tag omitted). */
  fdinfo(): string {
    const i = this.info();
    return [
      `link_type:\ttcx`,
      `link_id:\t${i.id}`,
      `prog_id:\t${i.progId}`,
      `ifindex:\t${i.ifindex}`,
      `attach_type:\t${i.attachType} (${i.direction})`,
      '',
    ].join('\n');
  }

  private checkAlive(): void {
    if (this.freed) throw errno('EBADF', `link ${this.id} was freed`);
  }

  toString(): string {
    return `link ${this.id}`;
  }
}

/** tcx_link_prog_attach: the link's program into the link's device hook. */
function tcxLinkProgAttach(
  link: BpfLink,
  dev: TcxDevice,
  flags: number,
  relative: (flags: number, type: number) => Tuple<TcxLink>,
  expectedRevision: bigint,
): void {
  const dir = link.direction;
  const { entry, created } = tcxEntryFetchOrCreate(dev, dir);
  entry.bundle.attach(link.prog, link, null, flags, relative, expectedRevision);
  if (created) dev.setTcxEntry(dir, entry);
  entry.bundle.commit();
}

/** tcx_link_release: detach an attached link (no-op when defunct). */
function tcxLinkRelease(link: BpfLink): void {
  const dev = link.dev;
  if (!dev) return;
  const dir = link.direction;
  const entry = dev.tcxEntry(dir);
  if (!entry) throw new Error(`tcx: attached link ${link.id} but ${dev} ${dir} has no entry`);
  entry.bundle.detach(link.prog, link, 0, () => ({ prog: null, link: null }), 0n);
  if (!tcxEntryIsActive(entry)) dev.setTcxEntry(dir, null);
  entry.bundle.commit();
  link.dev = null;
}

/**
 * tcx_link_update: ENOLINK when defunct, EPERM when `oldProg` is not the current program,
 * a no-op for the same program, else an in-place replace run as REPLACE|ID relative to the
 * current program's id (so EEXIST if `newProg` is on the hook, EINVAL on a type mismatch).
 */
function tcxLinkUpdate(link: BpfLink, newProg: ProgHandle, oldProg: ProgHandle | null): void {
  const dev = link.dev;
  if (!dev) throw errno('ENOLINK', `link ${link.id} is not attached`);
  if (oldProg && link.prog !== oldProg) throw errno('EPERM', `link ${link.id}: old program does not match`);
  const cur = link.prog;
  if (cur === newProg) return;
  const entry = dev.tcxEntry(link.direction);
  if (!entry) throw errno('ENOENT', `link ${link.id}: hook has no entry`);
  entry.bundle.attach(
    newProg,
    link,
    cur,
    BPF_F_REPLACE | BPF_F_ID,
    relativeVia(idLookup(dev.host.kernel), cur.id),
    0n,
  );
  newProg.hold();
  link.prog = newProg;
  cur.put();
  entry.bundle.commit();
}
