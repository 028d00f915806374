/**
 * @fileoverview tcx: the per-device, per-direction hook built on the mprog engine
 * (kernel/bpf/tcx.c, include/net/tcx.h), and its library facade `TcxHook`.
 *
 *   net_device ─ tcx_ingress ─► TcxEntry { bundle: MprogBundle, miniqActive, miniq }
 *              └ tcx_egress  ─► TcxEntry | null
 *
 * Entry lifetime: created by the first attach / link (or a clsact/ingress qdisc through
 * `miniqUse()`), with revision 1; freed when it has no programs and no qdisc uses it. A freed
 * entry takes its revision with it: the next one starts again at 1.
 *
 * The functions named tcx* mirror the kernel functions of the same name, in the same check
 * order. Objects that the kernel would look up from fds arrive as lookups (thunks or an
 * ObjectLookup) so that a lookup error surfaces exactly where the kernel's would.
 *
 * This module sits below the device, the links and the kernel object (docs/architecture.md):
 * it names what it needs of them as interfaces (TcxDevice, TcxLink, TcxKernel), which
 * NetDevice, BpfLink and BpfKernel satisfy.
 */
import { UsageError } from '../../vm/errors.js';
import { BPF_ATTACH_TYPE, BPF_F_AFTER, BPF_F_BEFORE, BPF_F_ID, BPF_F_LINK, BPF_F_REPLACE, BPF_PROG_TYPE } from '../uapi.js';
import type { Block } from './cls-bpf.js';
import {
  MprogBundle,
  errno,
  mprogQuery,
  tupleRelative,
  type MprogLink,
  type MprogQuery,
  type ObjectLookup,
  type Tuple,
} from './mprog.js';
import { ProgHandle } from './prog-handle.js';

export type Direction = 'ingress' | 'egress';

/** A tcx link as the hook sees it (struct tcx_link; links.ts BpfLink). */
export interface TcxLink extends MprogLink {
  /** Discriminator for anchors (a link vs a program). */
  readonly kind: 'bpf_link';
  readonly direction: Direction;
  /** True while the link object exists. */
  readonly alive: boolean;
  /** The device while attached; null once defunct (tcx_uninstall sets it). */
  dev: TcxDevice | null;
}

/** The id lookups kernel-internal callers use (bpf_prog_by_id, bpf_link_by_id; BpfKernel). */
export interface TcxKernel {
  progById(id: number): ProgHandle | undefined;
  linkById(id: number): TcxLink | undefined;
}

/** A device as its tcx hooks see it (struct net_device's tcx pointers; device.ts NetDevice). */
export interface TcxDevice {
  readonly name: string;
  readonly ifindex: number;
  readonly registered: boolean;
  readonly host: { readonly kernel: TcxKernel };
  tcx(dir: Direction): TcxHook;
  tcxEntry(dir: Direction): TcxEntry | null;
  setTcxEntry(dir: Direction, e: TcxEntry | null): void;
}

/** BPF_TCX_INGRESS / BPF_TCX_EGRESS for a direction. */
export function tcxAttachType(dir: Direction): number {
  return dir === 'ingress' ? BPF_ATTACH_TYPE.BPF_TCX_INGRESS : BPF_ATTACH_TYPE.BPF_TCX_EGRESS;
}

/** The direction of a tcx attach type, or undefined for any other attach type. */
export function tcxDirection(attachType: number): Direction | undefined {
  if (attachType === BPF_ATTACH_TYPE.BPF_TCX_INGRESS) return 'ingress';
  if (attachType === BPF_ATTACH_TYPE.BPF_TCX_EGRESS) return 'egress';
  return undefined;
}

/** struct tcx_entry: the mprog bundle plus the classic mini-qdisc state. */
export class TcxEntry {
  readonly bundle = new MprogBundle<TcxLink>();
  /**
   * How many clsact/ingress qdisc instances use this entry (0..2: during a qdisc replace the
   * new one initialises before the old one is destroyed; fix 1cb6f0bae504 made it a counter).
   */
  miniqActive = 0;
  /** The classic chain-0 filter list (mini_Qdisc), set by the classic engine; null = none. */
  miniq: Block | null = null;

  get revision(): number {
    return this.bundle.revision;
  }
}

/** tcx_entry_is_active: programs left, or a qdisc still using it. */
export function tcxEntryIsActive(e: TcxEntry): boolean {
  return e.bundle.count > 0 || e.miniqActive > 0;
}

/** tcx_entry_fetch_or_create. */
export function tcxEntryFetchOrCreate(dev: TcxDevice, dir: Direction): { entry: TcxEntry; created: boolean } {
  const e = dev.tcxEntry(dir);
  if (e) return { entry: e, created: false };
  return { entry: new TcxEntry(), created: true };
}

function needDev(dev: TcxDevice | null | undefined): TcxDevice {
  if (!dev || !dev.registered) throw errno('ENODEV', 'no such device');
  return dev;
}

/** Relative-anchor resolver over an ObjectLookup and the raw relative field. */
export function relativeVia(lookup: ObjectLookup<TcxLink>, idOrFd: number): (flags: number, type: number) => Tuple<TcxLink> {
  return (flags, type) => tupleRelative(lookup, idOrFd, flags, type);
}

/**
 * tcx_prog_attach (after the syscall layer's attach-type, flag-mask and program checks).
 * `replace` resolves replace_bpf_fd (bpf_prog_get_type with the program's type) and is only
 * called when BPF_F_REPLACE is set, after the device lookup.
 */
export function tcxProgAttach(
  dev: TcxDevice | null,
  dir: Direction,
  prog: ProgHandle,
  flags: number,
  replace: () => ProgHandle,
  relative: (flags: number, type: number) => Tuple<TcxLink>,
  expectedRevision: bigint,
): void {
  const d = needDev(dev);
  const replaceProg = flags & BPF_F_REPLACE ? replace() : null;
  const { entry, created } = tcxEntryFetchOrCreate(d, dir);
  // the syscall's reference on `prog` becomes the slot's on success
  entry.bundle.attach(prog, null, replaceProg, flags, relative, expectedRevision);
  prog.hold();
  if (created) d.setTcxEntry(dir, entry);
  entry.bundle.commit();
}

/** tcx_prog_detach. `prog` null = no program named. */
export function tcxProgDetach(
  dev: TcxDevice | null,
  dir: Direction,
  prog: ProgHandle | null,
  flags: number,
  relative: (flags: number, type: number) => Tuple<TcxLink>,
  expectedRevision: bigint,
): void {
  const d = needDev(dev);
  const entry = d.tcxEntry(dir);
  if (!entry) throw errno('ENOENT', `${d} ${dir}: no tcx entry`);
  entry.bundle.detach(prog, null, flags, relative, expectedRevision);
  if (!tcxEntryIsActive(entry)) d.setTcxEntry(dir, null);
  entry.bundle.commit();
}

/** tcx_prog_query (query_flags/attach_flags checks included; capacity = count in). */
export function tcxProgQuery(
  dev: TcxDevice | null,
  dir: Direction,
  queryFlags: number,
  attachFlags: number,
  capacity: number,
  withIds = true,
): MprogQuery {
  const d = needDev(dev);
  return mprogQuery(d.tcxEntry(dir)?.bundle ?? null, queryFlags, attachFlags, capacity, withIds);
}

/**
 * tcx_uninstall, at device unregister: link-owned slots make their links defunct, plain slots
 * drop their program reference. No commit: the revision does not move. If a qdisc still uses
 * the entry it stays (emptied) until the qdisc lets go.
 */
export function tcxUninstall(dev: TcxDevice, dir: Direction): void {
  const entry = dev.tcxEntry(dir);
  if (!entry) return;
  const slots = entry.bundle.slots.splice(0);
  if (!entry.miniqActive) dev.setTcxEntry(dir, null);
  for (const s of slots) {
    if (s.link) s.link.dev = null;
    else s.prog.put();
  }
}

function notFound(id: number): never {
  throw errno('ENOENT', `no object with id ${id}`);
}

/** Lookups by id only (the kernel-internal callers never pass fds). */
export function idLookup(kernel: TcxKernel): ObjectLookup<TcxLink> {
  const noFd = (fd: number): never => {
    throw errno('EBADF', `fd ${fd}: no fd table here`);
  };
  return {
    progByFd: noFd,
    linkByFd: noFd,
    progById: (id) => kernel.progById(id) ?? notFound(id),
    linkById: (id) => kernel.linkById(id) ?? notFound(id),
  };
}

/* ------------------------------------------------------------------ library facade */

/** An attach anchor: a program, a link, or either by id. */
export type Anchor = ProgHandle | TcxLink | { id: number } | { linkId: number };

export interface TcxAttachOptions {
  /** Insert in front of this anchor (`true`: at the head). */
  before?: Anchor | true;
  /** Insert behind this anchor (`true`: at the tail). */
  after?: Anchor | true;
  /** Same as `before: true`. */
  head?: boolean;
  /** Same as `after: true`. */
  tail?: boolean;
  /** Replace this program in place (plain attach only; a link create with it gets ENOENT). */
  replace?: ProgHandle;
  /** Fail with ESTALE unless the hook is at this revision (0 / undefined: no check). */
  expectedRevision?: number | bigint;
  /** Raw BPF_F_* bits OR-ed into the request (to reproduce odd requests exactly). */
  flags?: number;
}

export interface TcxDetachOptions {
  before?: Anchor | true;
  after?: Anchor | true;
  head?: boolean;
  tail?: boolean;
  expectedRevision?: number | bigint;
  flags?: number;
}

export interface TcxQueryEntry {
  prog: ProgHandle;
  link: TcxLink | null;
  progFlags: number;
  linkFlags: number;
}

export interface TcxQueryResult {
  revision: number;
  count: number;
  attachFlags: number;
  programs: TcxQueryEntry[];
}

/** A resolved library request: the raw flags and an anchor resolver. */
export interface MprogRequest {
  flags: number;
  relative: (flags: number, type: number) => Tuple<TcxLink>;
  expectedRevision: bigint;
}

function isLink(x: unknown): x is TcxLink {
  return typeof x === 'object' && x !== null && (x as { kind?: string }).kind === 'bpf_link';
}

/**
 * Turn cilium-style options into mprog flags plus an anchor resolver. Anchors given as
 * objects behave as if passed by fd: a released program or freed link gives EBADF.
 */
export function buildRequest(owner: TcxDevice, opts: TcxAttachOptions | TcxDetachOptions = {}): MprogRequest {
  let flags = opts.flags ?? 0;
  let anchor: Anchor | undefined;
  const take = (a: Anchor | true | undefined, bit: number): void => {
    if (a === undefined) return;
    flags |= bit;
    if (a === true) return;
    if (anchor !== undefined && anchor !== a) throw new UsageError('tcx: before and after name different anchors');
    anchor = a;
  };
  take(opts.before, BPF_F_BEFORE);
  take(opts.after, BPF_F_AFTER);
  if (opts.head) flags |= BPF_F_BEFORE;
  if (opts.tail) flags |= BPF_F_AFTER;
  if ('replace' in opts && opts.replace) flags |= BPF_F_REPLACE;
  const kernel = owner.host.kernel;
  let idOrFd = 0;
  if (anchor instanceof ProgHandle) idOrFd = 1;
  else if (isLink(anchor)) {
    flags |= BPF_F_LINK;
    idOrFd = 1;
  } else if (anchor && 'id' in anchor) {
    flags |= BPF_F_ID;
    idOrFd = anchor.id >>> 0;
  } else if (anchor && 'linkId' in anchor) {
    flags |= BPF_F_ID | BPF_F_LINK;
    idOrFd = anchor.linkId >>> 0;
  }
  // the anchor object plays fd 1 of a private fd table
  const lookup: ObjectLookup<TcxLink> = {
    progByFd: (fd) => {
      if (fd !== 1 || !anchor) throw errno('EBADF', `fd ${fd} is not open`);
      if (!(anchor instanceof ProgHandle)) throw errno('EINVAL', 'anchor is not a program');
      if (!anchor.alive) throw errno('EBADF', `${anchor} was released`);
      return anchor;
    },
    linkByFd: (fd) => {
      if (fd !== 1 || !anchor) throw errno('EBADF', `fd ${fd} is not open`);
      if (!isLink(anchor)) throw errno('EINVAL', 'anchor is not a link');
      if (!anchor.alive) throw errno('EBADF', `link ${anchor.id} was freed`);
      return anchor;
    },
    progById: idLookup(kernel).progById,
    linkById: idLookup(kernel).linkById,
  };
  const rev = opts.expectedRevision ?? 0;
  if (typeof rev === 'number' && !Number.isSafeInteger(rev)) throw new UsageError(`tcx: expectedRevision ${rev} is not an integer`);
  return { flags, relative: relativeVia(lookup, idOrFd), expectedRevision: BigInt.asUintN(64, BigInt(rev)) };
}

/** A program handed to the library: released ones are "closed fds", other types EINVAL. */
export function requireSchedCls(prog: ProgHandle, what = 'program'): ProgHandle {
  if (!(prog instanceof ProgHandle)) throw new UsageError(`tcx: ${what} must be a ProgHandle`);
  if (!prog.alive) throw errno('EBADF', `${prog} was released`);
  if (prog.type !== BPF_PROG_TYPE.BPF_PROG_TYPE_SCHED_CLS) throw errno('EINVAL', `${prog} is not sched_cls`);
  return prog;
}

/**
 * One tcx hook (device + direction), the library view. Mirrors cilium/ebpf's vocabulary:
 * attach with before/after/head/tail/replace and expectedRevision; query returns programs in
 * execution order with their owning links.
 */
export class TcxHook {
  constructor(
    readonly dev: TcxDevice,
    readonly direction: Direction,
  ) {}

  get attachType(): number {
    return tcxAttachType(this.direction);
  }

  /** The hook's entry, or null when it has none. */
  get entry(): TcxEntry | null {
    return this.dev.tcxEntry(this.direction);
  }

  /** The revision a query would report (1 without an entry). */
  get revision(): number {
    return this.entry?.revision ?? 1;
  }

  /** BPF_PROG_ATTACH of `prog` (a plain attachment; the hook takes a reference). */
  attach(prog: ProgHandle, opts: TcxAttachOptions = {}): void {
    requireSchedCls(prog);
    const req = buildRequest(this.dev, opts);
    tcxProgAttach(
      this.dev,
      this.direction,
      prog,
      req.flags,
      () => {
        const r = opts.replace;
        if (!r) throw errno('EINVAL', 'BPF_F_REPLACE without a program to replace');
        if (!r.alive) throw errno('EBADF', `${r} was released`);
        if (r.type !== prog.type) throw errno('EINVAL', 'replace target has another type');
        return r;
      },
      req.relative,
      req.expectedRevision,
    );
  }

  /**
   * BPF_PROG_DETACH. With `prog`, that program (plain attachments only: EBUSY for a link's);
   * without, the one the position options select, or the last.
   */
  detach(prog?: ProgHandle | null, opts: TcxDetachOptions = {}): void {
    if (prog) requireSchedCls(prog);
    const req = buildRequest(this.dev, opts);
    tcxProgDetach(this.dev, this.direction, prog ?? null, req.flags, req.relative, req.expectedRevision);
  }

  /** BPF_PROG_QUERY with an unbounded buffer. */
  query(): TcxQueryResult {
    const q = tcxProgQuery(this.dev, this.direction, 0, 0, Number.MAX_SAFE_INTEGER);
    const slots = this.entry?.bundle.slots ?? [];
    return {
      revision: q.revision,
      count: q.count,
      attachFlags: q.attachFlags,
      programs: slots.map((s, i) => ({
        prog: s.prog,
        link: s.link,
        progFlags: q.progAttachFlags[i] ?? 0,
        linkFlags: q.linkAttachFlags[i] ?? 0,
      })),
    };
  }

  /** Programs in execution order, for the run path (empty without an entry). */
  programs(): ProgHandle[] {
    return this.entry?.bundle.progs() ?? [];
  }

  /**
   * A clsact/ingress qdisc starts using this hook (ingress_init/clsact_init: fetch or create
   * the entry, miniq_active + 1). Returns the entry; set `entry.miniq` to the chain-0 list.
   */
  miniqUse(): TcxEntry {
    const { entry, created } = tcxEntryFetchOrCreate(this.dev, this.direction);
    entry.miniqActive++;
    if (created) this.dev.setTcxEntry(this.direction, entry);
    return entry;
  }

  /**
   * The qdisc lets go (ingress_destroy/clsact_destroy: miniq_active - 1, free the entry if it
   * has no programs and no other qdisc user). A revision is lost with the entry.
   */
  miniqUnuse(): void {
    const entry = this.entry;
    if (!entry) return;
    if (entry.miniqActive > 0) entry.miniqActive--;
    if (entry.miniqActive === 0) entry.miniq = null;
    if (!tcxEntryIsActive(entry)) this.dev.setTcxEntry(this.direction, null);
  }
}
