/**
 * @fileoverview ProgHandle: the kernel-side identity of a loaded BPF program (struct bpf_prog +
 * bpf_prog_aux as far as attachment cares): a global id, a name, a program type, a reference
 * count, and the executable form (`program`: the linked code, the Memory its maps live in, the
 * engine) that the run path executes.
 *
 * Reference counting follows kernel/bpf/syscall.c: every fd, every plain tcx attachment and
 * every link holds one reference. When the last one goes the id is released (bpf_prog_put →
 * bpf_prog_free_id), so the program can no longer be found by id.
 */
import type { Engine } from '../../vm/engine.js';
import type { Memory } from '../../vm/memory.js';
import type { LinkedProgram } from '../../vm/program.js';
import type { TcExecutable } from '../tc-run.js';
import { BPF_PROG_TYPE, progTypeName } from '../uapi.js';

/** The executable form bound to a ProgHandle: what the run path needs to run the program. */
export interface NetProgram {
  linked: LinkedProgram;
  /** The Memory its maps live in (the kernel's shared one for `loadObject`). */
  mem: Memory;
  /** Its default engine (SendOptions.engine overrides it; default the interpreter). */
  engine?: Engine;
  /** The run path's executable for the engine it last ran under (datapath.ts; a cache). */
  executable?: TcExecutable;
}

/**
 * Where a program's id lives (the kernel's prog_idr: BpfKernel). Declared here, not imported,
 * so that the model's modules import in one direction (kernel.ts builds on this file).
 */
export interface ProgRegistry {
  /** The last reference went: the id is released. */
  releaseProg(p: ProgHandle): void;
}

/** Program types by their short (bpftool) names, the ones tcxlab lets you create. */
export const PROG_TYPE_BY_NAME = {
  sched_cls: BPF_PROG_TYPE.BPF_PROG_TYPE_SCHED_CLS,
  sched_act: BPF_PROG_TYPE.BPF_PROG_TYPE_SCHED_ACT,
  xdp: BPF_PROG_TYPE.BPF_PROG_TYPE_XDP,
  socket_filter: BPF_PROG_TYPE.BPF_PROG_TYPE_SOCKET_FILTER,
} as const;
export type ProgTypeName = keyof typeof PROG_TYPE_BY_NAME;


export interface ProgHandleOptions {
  /** Program name (the kernel keeps the first 15 bytes; we keep it whole). */
  name?: string;
  /** A program type name or number; default sched_cls. */
  type?: ProgTypeName | number;
  /** expected_attach_type given at load (informational for tcx: the kernel ignores it there). */
  expectedAttachType?: number;
  /** The executable program; without one the handle can be attached but not run. */
  program?: NetProgram;
}

/**
 * A loaded program. Create with `BpfKernel.loadProg()` (or `Host.loadProg()`), which hands you
 * one reference: drop it with `close()` once nothing in user space needs the program.
 */
export class ProgHandle {
  /** Global program id (bpf_prog_aux.id), allocated at load, never reused. */
  readonly id: number;
  readonly name: string;
  /** enum bpf_prog_type. */
  readonly type: number;
  readonly expectedAttachType: number;
  /** The executable form (absent for handles made by scripts and the raw bpf(2) layer). */
  program?: NetProgram;
  /** Kernel references: fds, plain attachments, links, the creator's handle. */
  private refs = 1;
  private userRef = true;

  constructor(
    readonly kernel: ProgRegistry,
    id: number,
    opts: ProgHandleOptions = {},
  ) {
    this.id = id;
    this.name = opts.name ?? '';
    const t = opts.type ?? 'sched_cls';
    this.type = typeof t === 'number' ? t : PROG_TYPE_BY_NAME[t];
    this.expectedAttachType = opts.expectedAttachType ?? 0;
    this.program = opts.program;
  }

  get typeName(): string {
    return progTypeName(this.type);
  }

  /** True while any reference exists (the program can be found by id). */
  get alive(): boolean {
    return this.refs > 0;
  }

  /** Current number of references (fds, attachments, links, the creator's). */
  get refCount(): number {
    return this.refs;
  }

  /** Take a reference (bpf_prog_inc). */
  hold(): void {
    if (this.refs <= 0) throw new Error(`prog ${this.id}: hold after release`);
    this.refs++;
  }

  /** Drop a reference (bpf_prog_put); the last one releases the id. */
  put(): void {
    if (this.refs <= 0) throw new Error(`prog ${this.id}: put after release`);
    if (--this.refs === 0) this.kernel.releaseProg(this);
  }

  /**
   * Drop the reference the creator got from `loadProg()` (like closing the program fd).
   * Attachments and links keep the program alive. Idempotent.
   */
  close(): void {
    if (!this.userRef) return;
    this.userRef = false;
    this.put();
  }

  toString(): string {
    return `prog ${this.id}${this.name ? ` (${this.name})` : ''} ${this.typeName}`;
  }
}
