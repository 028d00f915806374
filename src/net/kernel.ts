/**
 * @fileoverview BpfKernel: the state that is global to one emulated kernel rather than to a
 * network namespace: the program and link id spaces (kernel/bpf/syscall.c prog_idr, link_idr),
 * the BPF file system for pins, and the memory every loaded object's maps and programs live in
 * (one address space, so objects share pinned maps and a program's pointers stay valid in all).
 *
 * Ids are allocated cyclically and never reused within a run, as idr_alloc_cyclic does in
 * practice. Several Hosts (network namespaces) may share one BpfKernel.
 */
import { ErrnoError, ErrorCode } from '../../vm/errors.js';
import { Memory } from '../../vm/memory.js';
import { BPF_FS_DEFAULT_PATH } from '../uapi.js';
import { ProgHandle, type ProgHandleOptions } from './prog-handle.js';
import type { BpfLink } from './links.js';

/** Something that lives in bpffs: a pinned link or program. */
export type Pinnable = BpfLink | ProgHandle;

export interface BpfKernelOptions {
  /** First program id handed out (default 1). */
  firstProgId?: number;
  /** First link id handed out (default 1). */
  firstLinkId?: number;
}

export const BPFFS_ROOT = `${BPF_FS_DEFAULT_PATH}/`;

export class BpfKernel {
  /** The kernel's memory: maps and programs of every object loaded with Host.loadObject. */
  readonly memory = new Memory();
  private nextProgId: number;
  private nextLinkId: number;
  private readonly progs = new Map<number, ProgHandle>();
  private readonly links = new Map<number, BpfLink>();
  /** bpffs: path → pinned object (each pin holds one reference). */
  private readonly pins = new Map<string, Pinnable>();

  constructor(opts: BpfKernelOptions = {}) {
    this.nextProgId = opts.firstProgId ?? 1;
    this.nextLinkId = opts.firstLinkId ?? 1;
  }

  /** Load a program (BPF_PROG_LOAD without the verifier): one reference for the caller. */
  loadProg(opts: ProgHandleOptions = {}): ProgHandle {
    const p = new ProgHandle(this, this.nextProgId++, opts);
    this.progs.set(p.id, p);
    return p;
  }

  /** bpf_prog_by_id: only live programs; id 0 is never valid. */
  progById(id: number): ProgHandle | undefined {
    return id === 0 ? undefined : this.progs.get(id);
  }

  /** Called by ProgHandle when its last reference goes. */
  releaseProg(p: ProgHandle): void {
    this.progs.delete(p.id);
  }

  /** bpf_link_prime: a link id is taken before the attach runs; a failed attach burns it. */
  allocLinkId(): number {
    return this.nextLinkId++;
  }

  /** bpf_link_settle: the link becomes visible by id. */
  publishLink(link: BpfLink): void {
    this.links.set(link.id, link);
  }

  /** bpf_link_by_id: only live links; id 0 is never valid. */
  linkById(id: number): BpfLink | undefined {
    return id === 0 ? undefined : this.links.get(id);
  }

  /** Called by BpfLink when it is freed. */
  releaseLink(link: BpfLink): void {
    this.links.delete(link.id);
  }

  /** All live program ids, ascending (like `bpftool prog list`). */
  progIds(): number[] {
    return [...this.progs.keys()].sort((a, b) => a - b);
  }

  /** All live link ids, ascending. */
  linkIds(): number[] {
    return [...this.links.keys()].sort((a, b) => a - b);
  }

  /**
   * BPF_OBJ_PIN: the pin takes a reference. Paths must lie under /sys/fs/bpf/ (anything else
   * is not a bpffs: EPERM, derived from bpf_obj_pin_user) and must not exist (EEXIST).
   */
  pin(path: string, obj: Pinnable): void {
    if (!path.startsWith(BPFFS_ROOT) || path.length === BPFFS_ROOT.length)
      throw new ErrnoError(ErrorCode.Net, 'EPERM', `pin ${path}: not on bpffs`);
    if (this.pins.has(path)) throw new ErrnoError(ErrorCode.Net, 'EEXIST', `pin ${path}: exists`);
    obj.hold();
    this.pins.set(path, obj);
  }

  /** unlink(2) on bpffs: drops the pin's reference (ENOENT if nothing is pinned there). */
  unpin(path: string): Pinnable {
    const obj = this.pins.get(path);
    if (!obj) throw new ErrnoError(ErrorCode.Net, 'ENOENT', `unpin ${path}: no such pin`);
    this.pins.delete(path);
    obj.put();
    return obj;
  }

  /** BPF_OBJ_GET without taking a reference (peek). */
  pinned(path: string): Pinnable | undefined {
    return this.pins.get(path);
  }
}
