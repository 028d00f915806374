/**
 * @fileoverview The generic multi-program attach engine (kernel/bpf/mprog.c, include/linux/bpf_mprog.h):
 * one ordered array of (program, owner) slots plus a revision, and the attach / detach / query
 * algorithms with the kernel's check order, so that the errno that wins is the kernel's.
 *
 *   slots:  [0]        [1]        ...  [count-1]      (execution order = query order)
 *           prog P1    prog P2         prog Pn
 *           owner -    owner L7        owner -        (owner = link, or none for plain attach)
 *
 * The kernel keeps two arrays and swaps them on insert/delete (readers never see a half-built
 * array); replace writes in place. Single-threaded emulation needs only one array; what it keeps
 * is the observable part: order, owners, count, revision, and who holds which reference.
 *
 * References: a plain slot holds one reference on its program; a link-owned slot holds none
 * (the link does). A deleted plain slot's reference is dropped at commit, like
 * bpf_mprog_mark_for_release + bpf_mprog_commit.
 */
import { ErrnoError, ErrorCode } from '../../vm/errors.js';
import { BPF_F_AFTER, BPF_F_BEFORE, BPF_F_ID, BPF_F_LINK, BPF_F_REPLACE, type ErrnoName } from '../uapi.js';
import type { ProgHandle } from './prog-handle.js';

/** Slots in the kernel's fp_items array; one is always the NULL terminator (bpf_mprog_max). */
export const BPF_MPROG_MAX = 64;
/** Usable programs per hook. */
export const MPROG_MAX_PROGS = BPF_MPROG_MAX - 1;
/** The flags the mprog API understands (BPF_F_ATTACH_MASK_MPROG). */
export const BPF_F_ATTACH_MASK_MPROG = BPF_F_REPLACE | BPF_F_BEFORE | BPF_F_AFTER | BPF_F_ID | BPF_F_LINK;

export function errno(name: ErrnoName, message: string): ErrnoError {
  return new ErrnoError(ErrorCode.Net, name, message);
}

/**
 * What the engine needs of a link (struct bpf_link: an id and the program it runs). The link
 * types build on this module (tcx.ts, links.ts) and fill in `L`, the engine stays generic over
 * them as bpf_mprog is.
 */
export interface MprogLink {
  readonly id: number;
  readonly prog: ProgHandle;
}

/** One array slot: the program that runs and the link owning it (null = plain attachment). */
export interface MprogSlot<L extends MprogLink = MprogLink> {
  prog: ProgHandle;
  link: L | null;
}

/** struct bpf_tuple: a resolved anchor (or the object of an operation). */
export interface Tuple<L extends MprogLink = MprogLink> {
  prog: ProgHandle | null;
  link: L | null;
}

/**
 * How anchors given as fd or id become objects. Each lookup throws the kernel's errno:
 * fd not open EBADF, fd of the wrong kind EINVAL, unknown id (0 included) ENOENT.
 */
export interface ObjectLookup<L extends MprogLink = MprogLink> {
  progByFd(fd: number): ProgHandle;
  linkByFd(fd: number): L;
  progById(id: number): ProgHandle;
  linkById(id: number): L;
}

/**
 * bpf_mprog_tuple_relative: resolve the relative field under `flags` (REPLACE already masked
 * off by the caller). `type` 0 skips the program type check (detach without a program).
 */
export function tupleRelative<L extends MprogLink>(lookup: ObjectLookup<L>, idOrFd: number, flags: number, type: number): Tuple<L> {
  const byId = (flags & BPF_F_ID) !== 0;
  if (flags & BPF_F_LINK) {
    // bpf_mprog_link: by id, by fd, or (fd 0 without ID) EINVAL
    if (!byId && !idOrFd) throw errno('EINVAL', 'link anchor without an fd');
    const link = byId ? lookup.linkById(idOrFd) : lookup.linkByFd(idOrFd);
    if (type && link.prog.type !== type) throw errno('EINVAL', 'anchor link program has another type');
    return { prog: link.prog, link };
  }
  // no ID flag and no fd: no anchor (BEFORE/AFTER then mean first/last)
  if (!byId && !idOrFd) return { prog: null, link: null };
  const prog = byId ? lookup.progById(idOrFd) : lookup.progByFd(idOrFd);
  if (type && prog.type !== type) throw errno('EINVAL', 'anchor program has another type');
  return { prog, link: null };
}

export interface MprogQuery {
  revision: number;
  /** Total programs (always the total, even when the buffer was too small). */
  count: number;
  attachFlags: 0;
  /** Filled entries, at most the capacity. */
  progIds: number[];
  progAttachFlags: number[];
  linkIds: number[];
  linkAttachFlags: number[];
  /** 'ENOSPC' when the capacity was smaller than the total (the entries are still filled). */
  error?: 'ENOSPC';
}

/** The per-hook program array with its revision (bpf_mprog_entry + bpf_mprog_bundle). */
export class MprogBundle<L extends MprogLink = MprogLink> {
  readonly slots: MprogSlot<L>[] = [];
  /** bpf_mprog_bundle_init sets 1; +1 per commit. u64 in the kernel. */
  revision = 1;
  /** Program reference to drop at the next commit (bpf_mprog_mark_for_release). */
  private deferred: ProgHandle | null = null;

  get count(): number {
    return this.slots.length;
  }

  /** bpf_mprog_exists: is this program anywhere in the array, whatever its owner. */
  exists(prog: ProgHandle): boolean {
    return this.slots.some((s) => s.prog === prog);
  }

  /** bpf_mprog_pos_exact: index of the slot holding `t.prog`; its owner must be `t.link`. */
  private posExact(t: Tuple<L>): number | ErrnoName {
    const i = this.slots.findIndex((s) => s.prog === t.prog);
    if (i < 0) return 'ENOENT';
    return this.slots[i].link === t.link ? i : 'EBUSY';
  }

  /** bpf_mprog_pos_before: the index in front of the anchor; -1 without anchor. */
  private posBefore(t: Tuple<L>): number | ErrnoName {
    const i = this.anchorIndex(t);
    if (i >= 0) return i - 1;
    return t.prog ? 'ENOENT' : -1;
  }

  /** bpf_mprog_pos_after: the index behind the anchor; count without anchor. */
  private posAfter(t: Tuple<L>): number | ErrnoName {
    const i = this.anchorIndex(t);
    if (i >= 0) return i + 1;
    return t.prog ? 'ENOENT' : this.count;
  }

  /** A program anchor matches any owner; a link anchor only its own slot. */
  private anchorIndex(t: Tuple<L>): number {
    if (!t.prog) return -1;
    return this.slots.findIndex((s) => s.prog === t.prog && (!t.link || t.link === s.link));
  }

  /**
   * The position rules shared by attach and detach: each of REPLACE/exact, BEFORE and AFTER
   * proposes an index; they must agree. Returns the agreed index or -2 ("none proposed").
   */
  private positions(flags: number, exact: number | null, rel: Tuple<L>): number {
    let idx = exact ?? -2;
    if (flags & BPF_F_BEFORE) {
      const t = this.posBefore(rel);
      if (typeof t === 'string') throw errno(t, 'before: anchor is not on this hook');
      if (idx >= -1 && t !== idx) throw errno('ERANGE', 'before: position conflicts');
      idx = t;
    }
    if (flags & BPF_F_AFTER) {
      const t = this.posAfter(rel);
      if (typeof t === 'string') throw errno(t, 'after: anchor is not on this hook');
      if (idx >= -1 && t !== idx) throw errno('ERANGE', 'after: position conflicts');
      idx = t;
    }
    return idx;
  }

  /**
   * bpf_mprog_attach. `link` is the owner (null = plain); `oldProg` is the REPLACE target.
   * The relative anchor is resolved lazily, after the ESTALE and EEXIST checks.
   * On success the array is changed; the caller commits. A plain replace drops the old
   * program's reference here (bpf_mprog_replace).
   */
  attach(
    prog: ProgHandle,
    link: L | null,
    oldProg: ProgHandle | null,
    flags: number,
    relative: (flags: number, type: number) => Tuple<L>,
    expectedRevision: bigint,
  ): 'insert' | 'replace' {
    if (expectedRevision !== 0n && expectedRevision !== BigInt(this.revision))
      throw errno('ESTALE', `expected revision ${expectedRevision}, hook is at ${this.revision}`);
    if (this.exists(prog)) throw errno('EEXIST', `${prog} is already on this hook`);
    const rel = relative(flags & ~BPF_F_REPLACE, prog.type);
    let exact: number | null = null;
    if (flags & BPF_F_REPLACE) {
      const t = this.posExact({ prog: oldProg, link });
      if (typeof t === 'string')
        throw errno(t, t === 'EBUSY' ? 'replace target has another owner' : 'replace target is not on this hook');
      exact = t;
    } else if (this.count === MPROG_MAX_PROGS) {
      // "Fix maximum program check on mprog attachment" (2023-09): full before positioning
      throw errno('ERANGE', `hook is full (${MPROG_MAX_PROGS} programs)`);
    }
    let idx = this.positions(flags, exact, rel);
    if (idx < -1) {
      if (rel.prog || flags) throw errno('EINVAL', 'anchor or flags given without before/after/replace');
      idx = this.count;
      flags = BPF_F_AFTER;
    }
    if (idx >= MPROG_MAX_PROGS) throw errno('ERANGE', 'position beyond the hook');
    if (flags & BPF_F_REPLACE) {
      const slot = this.slots[idx];
      const old = slot.prog;
      slot.prog = prog;
      if (!link) old.put();
      return 'replace';
    }
    // bpf_mprog_insert: BEFORE's index names the slot in front of the new one
    const at = idx === this.count ? idx : flags & BPF_F_BEFORE ? idx + 1 : idx;
    this.slots.splice(at, 0, { prog, link });
    return 'insert';
  }

  /**
   * bpf_mprog_detach. `prog` null = "no program named" (then the position flags select one,
   * or the last by default). `link` is the owner doing the detach (null = plain API).
   * Returns the removed slot; the caller commits.
   */
  detach(
    prog: ProgHandle | null,
    link: L | null,
    flags: number,
    relative: (flags: number, type: number) => Tuple<L>,
    expectedRevision: bigint,
  ): MprogSlot<L> {
    if (flags & BPF_F_REPLACE) throw errno('EINVAL', 'detach does not take BPF_F_REPLACE');
    if (expectedRevision !== 0n && expectedRevision !== BigInt(this.revision))
      throw errno('ESTALE', `expected revision ${expectedRevision}, hook is at ${this.revision}`);
    if (this.count === 0) throw errno('ENOENT', 'hook has no programs');
    const rel = relative(flags, prog ? prog.type : 0);
    let exact: number | null = null;
    if (prog) {
      const t = this.posExact({ prog, link });
      if (typeof t === 'string')
        throw errno(t, t === 'EBUSY' ? 'program is owned by a link' : 'program is not on this hook');
      exact = t;
    }
    let idx = this.positions(flags, exact, rel);
    if (idx < -1) {
      if (rel.prog || flags) throw errno('EINVAL', 'anchor or flags given without before/after');
      idx = this.count;
    }
    if (idx >= MPROG_MAX_PROGS) throw errno('ERANGE', 'position beyond the hook');
    // bpf_mprog_fetch: -1 means the first, count the last
    if (idx === -1) idx = 0;
    else if (idx === this.count) idx = this.count - 1;
    const slot = this.slots[idx];
    if (slot.link && !link) throw errno('EBUSY', 'selected program is owned by a link');
    this.slots.splice(idx, 1);
    if (!slot.link) this.deferred = slot.prog;
    return slot;
  }

  /** bpf_mprog_commit: drop the deferred reference, revision + 1. */
  commit(): void {
    const d = this.deferred;
    this.deferred = null;
    if (d) d.put();
    this.revision++;
  }

  /** The programs in execution order (what the run path iterates). */
  progs(): ProgHandle[] {
    return this.slots.map((s) => s.prog);
  }
}

/**
 * bpf_mprog_query on `bundle` (null = the hook has no entry: count 0, revision 1).
 * `capacity` is the caller's buffer size; `withIds` false models prog_ids == NULL.
 */
export function mprogQuery(
  bundle: MprogBundle | null,
  queryFlags: number,
  attachFlags: number,
  capacity: number,
  withIds = true,
): MprogQuery {
  if (queryFlags || attachFlags) throw errno('EINVAL', 'tcx query takes no query_flags/attach_flags');
  const revision = bundle ? bundle.revision : 1;
  const total = bundle ? bundle.count : 0;
  const out: MprogQuery = {
    revision,
    count: total,
    attachFlags: 0,
    progIds: [],
    progAttachFlags: [],
    linkIds: [],
    linkAttachFlags: [],
  };
  if (capacity === 0 || !withIds || total === 0 || !bundle) return out;
  const n = Math.min(capacity, total);
  if (capacity < total) out.error = 'ENOSPC';
  for (let i = 0; i < n; i++) {
    const s = bundle.slots[i];
    out.progIds.push(s.prog.id);
    out.progAttachFlags.push(0);
    out.linkIds.push(s.link ? s.link.id : 0);
    out.linkAttachFlags.push(0);
  }
  return out;
}
