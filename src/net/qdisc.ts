/**
 * @fileoverview The clsact and ingress qdiscs of a device (net/sched/sch_ingress.c) and the
 * device's classic tc state `dev.tc`: qdisc add/del/replace and cls_bpf filter add/replace/del.
 *
 *   dev.tc ─ current: Qdisc | null          (parent ffff:fff1; only one of clsact/ingress)
 *            Qdisc { kind, ingress: Block, egress: Block | null (clsact only) }
 *
 * A qdisc uses the device's tcx entries (ingress_init/clsact_init): `miniqUse()` per direction it
 * serves, `miniqUnuse()` on destroy. The entry's `miniq` points at the block while chain 0 has a
 * filter (mini_qdisc_pair_swap with the chain-0 head, NULL when chain 0 is empty).
 *
 * Errnos measured on 6.18 (test/goldens/net/tc-errors.*): add over an existing qdisc (either
 * kind) EEXIST ("Exclusivity flag on"); replace by the other kind EINVAL ("must match existing
 * qdisc"); delete of a missing qdisc ENOENT, or EINVAL ("Invalid handle") once the device has
 * had one; delete naming the other kind EINVAL ("must match existing qdisc"); a filter on a
 * device without the qdisc EINVAL ("Parent Qdisc doesn't exists").
 */
import { UsageError } from '../../vm/errors.js';
import { Block, addClsBpf, delClsBpf, type ClsBpfDelete, type ClsBpfFilter, type ClsBpfOptions, type TcfProto } from './cls-bpf.js';
import { errno } from './mprog.js';
import type { Direction, TcxDevice } from './tcx.js';

export type QdiscKind = 'clsact' | 'ingress';

/** Filter parent minors under clsact (ffff:fff2 ingress, ffff:fff3 egress). */
export const TC_H_MIN_INGRESS = 0xfff2;
export const TC_H_MIN_EGRESS = 0xfff3;

/** A clsact or ingress qdisc (handle ffff:, parent ffff:fff1). */
export class Qdisc {
  readonly ingress = new Block();
  /** clsact only. */
  readonly egress: Block | null;
  constructor(readonly kind: QdiscKind) {
    this.egress = kind === 'clsact' ? new Block() : null;
  }

  /** The directions this qdisc serves (and whose tcx entries it uses). */
  get directions(): Direction[] {
    return this.kind === 'clsact' ? ['ingress', 'egress'] : ['ingress'];
  }

  block(dir: Direction): Block | null {
    return dir === 'ingress' ? this.ingress : this.egress;
  }
}

/** A filter as `tc filter show` lists it. */
export interface FilterRow {
  dir: Direction;
  chain: number;
  prio: number;
  protocol: number;
  filter: ClsBpfFilter;
}

/** Options of `dev.tc.filter(...)` (tc filter add|replace ... bpf). */
export interface TcFilterOptions extends ClsBpfOptions {
  dir: Direction;
  /**
   * The minor of an explicit `parent ffff:MINOR` (tc's `ingress`/`egress` keywords are fff2 /
   * fff3). clsact accepts only fff2/fff3 (EINVAL otherwise); the ingress qdisc accepts any.
   */
  parentMinor?: number;
  /** tc filter replace (no NLM_F_EXCL): an existing handle is replaced in place. */
  replace?: boolean;
}

/** The device's classic tc state (`dev.tc`). */
export class DevTc {
  /** The qdisc at ffff:fff1, or null. */
  current: Qdisc | null = null;
  /**
   * The device has an ingress queue (dev_ingress_queue_create on the first clsact/ingress
   * qdisc; it stays after the qdisc is deleted, holding the noop qdisc). It changes the errno
   * of a delete without a qdisc: ENOENT before, EINVAL ("Invalid handle") after (measured).
   */
  private ingressQueue = false;

  /** The device's unregister calls `shutdown()` (NetDevice registers it). */
  constructor(readonly dev: TcxDevice) {}

  /** dev_shutdown's part for ffff:fff1 (device unregister, netns move): destroy the qdisc. */
  shutdown(): void {
    if (this.current) this.destroy();
  }

  /** The block of a direction, or null (no qdisc, or ingress qdisc asked for egress). */
  block(dir: Direction): Block | null {
    return this.current?.block(dir) ?? null;
  }

  /**
   * `tc qdisc add|replace dev D clsact|ingress`. add: EEXIST when any qdisc sits at ffff:fff1.
   * replace: the same kind is a no-op; the other kind gives EINVAL (measured).
   */
  qdisc(kind: QdiscKind, opts: { replace?: boolean } = {}): Qdisc {
    if (kind !== 'clsact' && kind !== 'ingress') throw new UsageError(`tc qdisc: unknown kind ${String(kind)}`);
    this.live();
    if (this.current) {
      if (!opts.replace) throw errno('EEXIST', 'Exclusivity flag on, cannot modify');
      if (this.current.kind !== kind) throw errno('EINVAL', 'Invalid qdisc name: must match existing qdisc');
      return this.current;
    }
    const q = new Qdisc(kind);
    this.ingressQueue = true;
    for (const dir of q.directions) this.dev.tcx(dir).miniqUse();
    this.current = q;
    this.sync();
    return q;
  }

  /** Library shortcut: add the qdisc unless it is already there. */
  qdiscEnsure(kind: QdiscKind): Qdisc {
    return this.current?.kind === kind ? this.current : this.qdisc(kind);
  }

  /** `tc qdisc del dev D clsact|ingress`. */
  delQdisc(kind: QdiscKind): void {
    this.live();
    if (!this.current) {
      if (this.ingressQueue) throw errno('EINVAL', 'Invalid handle');
      throw errno('ENOENT', 'Cannot find specified qdisc on specified device');
    }
    if (this.current.kind !== kind) throw errno('EINVAL', 'Invalid qdisc name: must match existing qdisc');
    this.destroy();
  }

  /** `tc filter add|replace dev D ingress|egress ... bpf ...`. */
  filter(opts: TcFilterOptions): ClsBpfFilter {
    this.live();
    const block = this.filterBlock(opts.dir, opts.parentMinor);
    const { filter } = addClsBpf(block, opts, !opts.replace);
    this.sync();
    return filter;
  }

  /** `tc filter del dev D ingress|egress [chain N] [prio P [handle H]]`. */
  delFilter(dir: Direction, sel: ClsBpfDelete & { parentMinor?: number } = {}): void {
    this.live();
    delClsBpf(this.filterBlock(dir, sel.parentMinor), sel);
    this.sync();
  }

  /**
   * Filters of a direction in `tc filter show` order (chains ascending, prio, list order). With
   * the ingress qdisc both keywords name its one block (as `tc filter show dev D egress` does).
   */
  filters(dir: Direction): FilterRow[] {
    const b = this.current?.kind === 'ingress' ? this.current.ingress : this.block(dir);
    if (!b) return [];
    return [...b.entries()].map(({ chain, proto, filter }) => ({ dir, chain: chain.index, prio: proto.prio, protocol: proto.protocol, filter }));
  }

  /** Chain 0's first instance for a direction (what the hook's mini-qdisc points at). */
  chain0(dir: Direction): TcfProto | null {
    return this.block(dir)?.filterList ?? null;
  }

  /**
   * The block a filter request lands in (ingress_find / clsact_find): clsact maps minor fff2 to
   * ingress and fff3 to egress, anything else is EINVAL; the ingress qdisc takes any minor into
   * its only block — so `tc filter add dev D egress` under `ingress` adds an ingress filter
   * (measured: it runs at ingress, never at egress).
   */
  private filterBlock(dir: Direction, parentMinor?: number): Block {
    if (dir !== 'ingress' && dir !== 'egress') throw new UsageError(`tc filter: direction must be ingress or egress`);
    const q = this.current;
    if (!q) throw errno('EINVAL', "Parent Qdisc doesn't exists");
    if (q.kind === 'ingress') return q.ingress;
    const minor = parentMinor ?? (dir === 'ingress' ? TC_H_MIN_INGRESS : TC_H_MIN_EGRESS);
    if (minor === TC_H_MIN_INGRESS) return q.ingress;
    if (minor === TC_H_MIN_EGRESS) return q.egress!;
    throw errno('EINVAL', "Specified class doesn't exist");
  }

  private live(): void {
    if (!this.dev.registered) throw errno('ENODEV', `${this.dev.name}: no such device`);
  }

  /** Point each used tcx entry's miniq at its block while chain 0 has filters. */
  private sync(): void {
    const q = this.current;
    if (!q) return;
    for (const dir of q.directions) {
      const entry = this.dev.tcxEntry(dir);
      const block = q.block(dir)!;
      if (entry) entry.miniq = block.filterList ? block : null;
    }
  }

  /** qdisc destroy: flush the blocks, then let go of the tcx entries. */
  private destroy(): void {
    const q = this.current!;
    this.current = null;
    for (const dir of q.directions) {
      const entry = this.dev.tcxEntry(dir);
      if (entry) entry.miniq = null;
      q.block(dir)!.flush();
      this.dev.tcx(dir).miniqUnuse();
    }
  }
}
