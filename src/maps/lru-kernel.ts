/**
 * @fileoverview The kernel's LRU node lists (kernel/bpf/bpf_lru_list.c), as an opt-in policy
 * of LruHashMap (`createMapEnv(mem, { lru: 'kernel' })`): same lists, same scans, same batches,
 * so a sequence of operations on given CPUs evicts what Linux 6.18 evicts.
 *
 * Common LRU (the default):
 *
 *   global:   ACTIVE  <->  INACTIVE  <->  FREE            (heads are the newest end)
 *   per CPU:  local FREE, local PENDING (new nodes wait here until the next refill)
 *
 * - A new node comes from this CPU's local free list. When that is empty, the CPU flushes its
 *   pending nodes into the global lists (ref → ACTIVE, else INACTIVE), rotates (ACTIVE tail →
 *   INACTIVE when the inactive list is the smaller one; referenced INACTIVE nodes → ACTIVE),
 *   moves up to target_free = clamp(max_entries / ncpus / 2, 1, 128) global free nodes to its
 *   local free list, and evicts the rest of the batch from the INACTIVE tail (unreferenced
 *   nodes; referenced ones get a second chance in ACTIVE; at most nr_scans = 128 looked at).
 *   If nothing could be freed it force-evicts one node. Failing all that it steals a free or
 *   pending node from the CPUs' local lists, round robin.
 * - A lookup (or a replace) sets the node's ref bit.
 * - A freed node goes back to its CPU's local free list while still pending, else to the
 *   global FREE list.
 *
 * BPF_F_NO_COMMON_LRU: one ACTIVE/INACTIVE/FREE set per CPU holding max_entries / ncpus nodes;
 * a pop rotates, shrinks 4 nodes (PERCPU_FREE_TARGET, nr_scans 4) when the free list is
 * empty, and the new node goes straight to INACTIVE.
 *
 * Lists are circular with a sentinel, like `struct list_head`, because the inactive rotation
 * cursor (next_inactive_rotation) may rest on the sentinel.
 */
import type { HashElem } from './hash.js';

/** A node on one list. */
class Link {
  prev: Link = this;
  next: Link = this;
  constructor(readonly node: KNode | null) {}
}

/** List types (bpf_lru_list_type). */
const ACTIVE = 0;
const INACTIVE = 1;
const FREE = 2;
const LOCAL_FREE = 3;
const LOCAL_PENDING = 4;

/** An LRU element with the kernel's node fields. */
export interface KNode extends HashElem {
  k: number | string;
  link: Link;
  type: number;
  ref: boolean;
  cpu: number;
}

function listAdd(l: Link, head: Link): void {
  l.next = head.next;
  l.prev = head;
  head.next.prev = l;
  head.next = l;
}

function listDel(l: Link): void {
  l.prev.next = l.next;
  l.next.prev = l.prev;
  l.prev = l.next = l;
}

function listMove(l: Link, head: Link): void {
  listDel(l);
  listAdd(l, head);
}

function isEmpty(head: Link): boolean {
  return head.next === head;
}

/** One bpf_lru_list: three lists, counts of ACTIVE and INACTIVE, the rotation cursor. */
class LruList {
  readonly heads = [new Link(null), new Link(null), new Link(null)];
  readonly counts = [0, 0];
  nextInactiveRotation: Link;
  /** Nodes of this list never created yet: they sit at the end of FREE. */
  virgin = 0;
  constructor() {
    this.nextInactiveRotation = this.heads[INACTIVE];
  }
}

/** Per-CPU local lists of the common LRU. */
class LocalList {
  readonly free = new Link(null);
  readonly pending = new Link(null);
  constructor(public nextSteal: number) {}
}

export const LOCAL_FREE_TARGET = 128;
const LOCAL_NR_SCANS = LOCAL_FREE_TARGET;
const PERCPU_FREE_TARGET = 4;
const PERCPU_NR_SCANS = PERCPU_FREE_TARGET;

export class KernelLru {
  private readonly lists: LruList[];
  private readonly locals: LocalList[] = [];
  private readonly nrScans: number;
  readonly targetFree: number;

  /**
   * @param percpu BPF_F_NO_COMMON_LRU
   * @param create makes a node for list `cpu` (its region may be allocated then)
   * @param delFromHtab unlinks a victim from the hash table (false if it is not there)
   */
  constructor(
    private readonly ncpus: number,
    maxEntries: number,
    private readonly percpu: boolean,
    private readonly create: (cpu: number) => KNode,
    private readonly delFromHtab: (n: KNode) => boolean,
  ) {
    if (percpu) {
      this.lists = Array.from({ length: ncpus }, () => new LruList());
      const per = Math.floor(maxEntries / ncpus);
      this.lists.forEach((l) => (l.virgin = per));
      this.nrScans = PERCPU_NR_SCANS;
      this.targetFree = PERCPU_FREE_TARGET;
    } else {
      const l = new LruList();
      l.virgin = maxEntries;
      this.lists = [l];
      for (let c = 0; c < ncpus; c++) this.locals.push(new LocalList(c));
      this.nrScans = LOCAL_NR_SCANS;
      this.targetFree = Math.min(Math.max(Math.floor(maxEntries / ncpus / 2), 1), LOCAL_FREE_TARGET);
    }
  }

  /** A fresh node object for list `cpu`, marked as sitting on FREE. */
  private materialize(l: LruList, cpu: number): KNode {
    l.virgin--;
    const n = this.create(cpu);
    n.link = new Link(n);
    n.type = FREE;
    n.ref = false;
    n.cpu = cpu;
    return n;
  }

  /** First node of FREE (real nodes first, then the never-used ones). */
  private freeFirst(l: LruList, cpu: number): KNode | undefined {
    const h = l.heads[FREE];
    if (!isEmpty(h)) return h.next.node as KNode;
    if (l.virgin > 0) {
      const n = this.materialize(l, cpu);
      listAdd(n.link, h);
      return n;
    }
    return undefined;
  }

  private count(l: LruList, type: number, d: number): void {
    if (type === ACTIVE || type === INACTIVE) l.counts[type] += d;
  }

  /** __bpf_lru_node_move_to_free */
  private moveToFree(l: LruList, n: KNode, freeList: Link, tgtType: number): void {
    if (n.link === l.nextInactiveRotation) l.nextInactiveRotation = l.nextInactiveRotation.prev;
    this.count(l, n.type, -1);
    n.type = tgtType;
    listMove(n.link, freeList);
  }

  /** __bpf_lru_node_move_in (from a local list) */
  private moveIn(l: LruList, n: KNode, tgt: number): void {
    this.count(l, tgt, +1);
    n.type = tgt;
    n.ref = false;
    listMove(n.link, l.heads[tgt]);
  }

  /** __bpf_lru_node_move (within the global lists) */
  private move(l: LruList, n: KNode, tgt: number): void {
    if (n.type !== tgt) {
      this.count(l, n.type, -1);
      this.count(l, tgt, +1);
      n.type = tgt;
    }
    n.ref = false;
    if (n.link === l.nextInactiveRotation) l.nextInactiveRotation = l.nextInactiveRotation.prev;
    listMove(n.link, l.heads[tgt]);
  }

  private rotateActive(l: LruList): void {
    const active = l.heads[ACTIVE];
    if (isEmpty(active)) return;
    const first = active.next;
    let i = 0;
    for (let cur = active.prev, prev = cur.prev; cur !== active; cur = prev, prev = cur.prev) {
      const n = cur.node as KNode;
      this.move(l, n, n.ref ? ACTIVE : INACTIVE);
      if (++i === this.nrScans || cur === first) break;
    }
  }

  private rotateInactive(l: LruList): void {
    const inactive = l.heads[INACTIVE];
    if (isEmpty(inactive)) return;
    let last = l.nextInactiveRotation.next;
    if (last === inactive) last = last.next;
    let cur = l.nextInactiveRotation;
    let next = cur;
    let i = 0;
    while (i < this.nrScans) {
      if (cur === inactive) {
        cur = cur.prev;
        continue;
      }
      const n = cur.node as KNode;
      next = cur.prev;
      if (n.ref) this.move(l, n, ACTIVE);
      if (cur === last) break;
      cur = next;
      i++;
    }
    l.nextInactiveRotation = next;
  }

  private rotate(l: LruList): void {
    if (l.counts[INACTIVE] < l.counts[ACTIVE]) this.rotateActive(l);
    this.rotateInactive(l);
  }

  private shrinkInactive(l: LruList, tgt: number, freeList: Link, tgtType: number): number {
    const inactive = l.heads[INACTIVE];
    if (isEmpty(inactive)) return 0;
    let shrunk = 0;
    let i = 0;
    for (let cur = inactive.prev, prev = cur.prev; cur !== inactive; cur = prev, prev = cur.prev) {
      const n = cur.node as KNode;
      if (n.ref) this.move(l, n, ACTIVE);
      else if (this.delFromHtab(n)) {
        this.moveToFree(l, n, freeList, tgtType);
        if (++shrunk === tgt) break;
      }
      if (++i === this.nrScans) break;
    }
    return shrunk;
  }

  private shrink(l: LruList, tgt: number, freeList: Link, tgtType: number): number {
    const n = this.shrinkInactive(l, tgt, freeList, tgtType);
    if (n) return n;
    // Force: ignore the ref bit, prefer INACTIVE.
    const force = !isEmpty(l.heads[INACTIVE]) ? l.heads[INACTIVE] : l.heads[ACTIVE];
    for (let cur = force.prev, prev = cur.prev; cur !== force; cur = prev, prev = cur.prev) {
      const node = cur.node as KNode;
      if (this.delFromHtab(node)) {
        this.moveToFree(l, node, freeList, tgtType);
        return 1;
      }
    }
    return 0;
  }

  private flush(l: LruList, loc: LocalList): void {
    for (let cur = loc.pending.prev, prev = cur.prev; cur !== loc.pending; cur = prev, prev = cur.prev) {
      const n = cur.node as KNode;
      this.moveIn(l, n, n.ref ? ACTIVE : INACTIVE);
    }
  }

  private popFreeToLocal(loc: LocalList, cpu: number): void {
    const l = this.lists[0];
    this.flush(l, loc);
    this.rotate(l);
    let nfree = 0;
    while (nfree < this.targetFree) {
      const n = this.freeFirst(l, cpu);
      if (!n) break;
      this.moveToFree(l, n, loc.free, LOCAL_FREE);
      nfree++;
    }
    if (nfree < this.targetFree) this.shrink(l, this.targetFree - nfree, loc.free, LOCAL_FREE);
  }

  private static localPopFree(loc: LocalList): KNode | undefined {
    if (isEmpty(loc.free)) return undefined;
    const n = loc.free.next.node as KNode;
    listDel(n.link);
    return n;
  }

  private localPopPending(loc: LocalList): KNode | undefined {
    for (const force of [false, true]) {
      for (let cur = loc.pending.prev; cur !== loc.pending; cur = cur.prev) {
        const n = cur.node as KNode;
        if ((!n.ref || force) && this.delFromHtab(n)) {
          listDel(n.link);
          return n;
        }
      }
    }
    return undefined;
  }

  private addPending(loc: LocalList, cpu: number, n: KNode): void {
    n.cpu = cpu;
    n.type = LOCAL_PENDING;
    n.ref = false;
    listAdd(n.link, loc.pending);
  }

  /** bpf_lru_pop_free: a node for a new element, or undefined (−ENOMEM). */
  pop(cpu: number): KNode | undefined {
    const c = cpu >= 0 && cpu < this.ncpus ? cpu : 0;
    if (this.percpu) {
      const l = this.lists[c];
      this.rotate(l);
      if (isEmpty(l.heads[FREE]) && l.virgin === 0) this.shrink(l, PERCPU_FREE_TARGET, l.heads[FREE], FREE);
      const n = this.freeFirst(l, c);
      if (!n) return undefined;
      n.ref = false;
      this.move(l, n, INACTIVE);
      return n;
    }
    const loc = this.locals[c];
    let n = KernelLru.localPopFree(loc);
    if (!n) {
      this.popFreeToLocal(loc, c);
      n = KernelLru.localPopFree(loc);
    }
    if (n) {
      this.addPending(loc, c, n);
      return n;
    }
    // Steal from the CPUs' local free, then pending, lists, round robin from next_steal.
    const first = loc.nextSteal;
    let steal = first;
    do {
      const sl = this.locals[steal];
      n = KernelLru.localPopFree(sl) ?? this.localPopPending(sl);
      steal = (steal + 1) % this.ncpus;
    } while (!n && steal !== first);
    loc.nextSteal = steal;
    if (n) this.addPending(loc, c, n);
    return n;
  }

  /** bpf_lru_push_free */
  pushFree(n: KNode): void {
    if (this.percpu) {
      this.move(this.lists[n.cpu], n, FREE);
      return;
    }
    if (n.type === LOCAL_PENDING) {
      n.type = LOCAL_FREE;
      n.ref = false;
      listMove(n.link, this.locals[n.cpu].free);
      return;
    }
    this.move(this.lists[0], n, FREE);
  }

  /** bpf_lru_node_set_ref */
  ref(n: KNode): void {
    n.ref = true;
  }

  /** Live nodes, oldest first as eviction would see them: INACTIVE tail → head, then ACTIVE, then pending. */
  order(): KNode[] {
    const out: KNode[] = [];
    for (const l of this.lists) {
      for (const t of [INACTIVE, ACTIVE]) {
        const h = l.heads[t];
        for (let cur = h.prev; cur !== h; cur = cur.prev) out.push(cur.node as KNode);
      }
    }
    for (const loc of this.locals) for (let cur = loc.pending.prev; cur !== loc.pending; cur = cur.prev) out.push(cur.node as KNode);
    return out;
  }
}
