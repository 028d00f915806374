/**
 * @fileoverview BPF_MAP_TYPE_LRU_HASH and BPF_MAP_TYPE_LRU_PERCPU_HASH (kernel/bpf/hashtab.c,
 * kernel/bpf/bpf_lru_list.c), with deterministic, strict LRU eviction.
 *
 * The kernel only approximates LRU: active/inactive lists, a "ref" bit set by lookups that
 * gives a second chance, bounded scans, and per-CPU batches of free nodes
 * (target_free = clamp(max_entries / ncpus / 2, 1, 128)), so it may evict several entries at
 * once or evict while other CPUs still hold free nodes. tcxlab keeps an exact recency order
 * instead: a program lookup or any update makes an element the most recently used, and a new
 * node is taken from the free nodes, or else by evicting the least recently used element.
 * On small maps this gives the kernel's results (see test/goldens/maps/t_lru.out.json).
 *
 * Kernel rules kept exactly:
 * - max_entries nodes in total; an insert never fails because the map is full, it evicts.
 * - The new node is taken BEFORE the EXIST/NOEXIST check (prealloc_lru_pop), so a failed
 *   update may still have evicted an entry; the unused node goes back to the free list.
 *   LRU_PERCPU_HASH takes no node when flags == BPF_EXIST.
 * - LRU_HASH replaces the element (old pointers keep the old value); LRU_PERCPU_HASH updates
 *   an existing key in place.
 * - Host (syscall) lookups do not mark elements used (htab_lru_map_lookup_elem_sys).
 * - BPF_F_NO_COMMON_LRU: each CPU owns max_entries / ncpus nodes (max_entries rounded up to a
 *   multiple of ncpus at creation) and evicts only among the elements it inserted.
 */
import type { Region } from '../../vm/memory.js';
import { BPF_EXIST, BPF_F_NO_COMMON_LRU } from '../uapi.js';
import { EINVAL, ENOENT } from './base.js';
import { keyOf } from './bytes.js';
import { checkFlags, HashTableBase, type HashElem } from './hash.js';
import type { MapDefinition, MapEnv } from './types.js';
// Imported bindings read once: the TS runners used by tests make every import use a getter call.
const _BPF_EXIST = BPF_EXIST;
const _EINVAL = EINVAL;
const _ENOENT = ENOENT;
const _keyOf = keyOf;
const _checkFlags = checkFlags;

/** max_entries after htab_map_alloc's rounding for BPF_F_NO_COMMON_LRU. */
export function lruMaxEntries(def: MapDefinition, ncpus: number): number {
  if (!(def.flags & BPF_F_NO_COMMON_LRU)) return def.maxEntries;
  const up = Math.ceil(def.maxEntries / ncpus) * ncpus;
  return up <= 0xffffffff ? up : Math.floor(def.maxEntries / ncpus) * ncpus;
}

/** An LRU element: a hash element on a doubly linked recency list. */
interface LruNode extends HashElem {
  k: number | string;
  prev: LruNode | null;
  next: LruNode | null;
}

/** One recency list: head is the least recently used, tail the most recent. */
interface LruList {
  head: LruNode | null;
  tail: LruNode | null;
  free: LruNode[];
  created: number;
}

export class LruHashMap extends HashTableBase {
  /** Recency lists (one unless BPF_F_NO_COMMON_LRU, then one per CPU). */
  private readonly lists: LruList[];
  /** Node budget of each list. */
  private readonly perList: number;
  private readonly commonLru: boolean;
  /** Elements evicted so far (for traces and tests). */
  evictions = 0;

  constructor(env: MapEnv, def: MapDefinition) {
    const max = lruMaxEntries(def, env.ncpus);
    super(env, def, max);
    this.commonLru = !(def.flags & BPF_F_NO_COMMON_LRU);
    const lists = this.commonLru ? 1 : env.ncpus;
    this.perList = this.commonLru ? max : max / env.ncpus;
    this.lists = Array.from({ length: lists }, () => ({ head: null, tail: null, free: [], created: 0 }));
  }

  lookupElem(key: Uint8Array, cpu: number): Region | undefined {
    const e = this.table.get(_keyOf(key, this.keySize)) as LruNode | undefined;
    if (e === undefined) return undefined;
    if (this.percpu) {
      if (cpu < 0 || cpu >= this.env.ncpus) return undefined;
      this.lastOffset = this.valueOff + cpu * this.stride;
    } else this.lastOffset = this.valueOff;
    // A program lookup sets the node's ref bit; strictly: it becomes most recently used.
    this.touch(e);
    return e.region;
  }

  private unlink(n: LruNode): void {
    const l = this.lists[n.list];
    if (n.prev) n.prev.next = n.next;
    else l.head = n.next;
    if (n.next) n.next.prev = n.prev;
    else l.tail = n.prev;
    n.prev = n.next = null;
  }

  private append(n: LruNode): void {
    const l = this.lists[n.list];
    n.prev = l.tail;
    n.next = null;
    if (l.tail) l.tail.next = n;
    else l.head = n;
    l.tail = n;
  }

  private touch(n: LruNode): void {
    if (this.lists[n.list].tail === n) return;
    this.unlink(n);
    this.append(n);
  }

  /** prealloc_lru_pop: a free node of this CPU's list, or the least recently used one evicted. */
  private popNode(cpu: number): LruNode {
    const li = this.commonLru ? 0 : cpu >= 0 && cpu < this.lists.length ? cpu : 0;
    const l = this.lists[li];
    const f = l.free.pop();
    if (f) return f;
    if (l.created < this.perList) {
      l.created++;
      const n = this.newElem(li) as LruNode;
      n.k = 0;
      n.prev = n.next = null;
      return n;
    }
    const victim = l.head as LruNode;
    this.unlink(victim);
    this.table.delete(victim.k);
    this.evictions++;
    return victim;
  }

  private pushFree(n: LruNode): void {
    this.lists[n.list].free.push(n);
  }

  override updateElem(key: Uint8Array, value: Uint8Array, flags: number, cpu: number): number {
    return this.percpu ? this.updatePercpu(key, value, flags, cpu, false) : this.updatePlain(key, value, flags, cpu);
  }

  /** htab_lru_map_update_elem. */
  private updatePlain(key: Uint8Array, value: Uint8Array, flags: number, cpu: number): number {
    if (!(flags >= 0 && flags <= _BPF_EXIST)) return _EINVAL;
    const k = _keyOf(key, this.keySize);
    const n = this.popNode(cpu);
    this.writeKey(n, key);
    this.copyValue(n.region.bytes, this.valueOff, value);
    const old = this.table.get(k) as LruNode | undefined;
    const err = _checkFlags(old !== undefined, flags);
    if (err) {
      this.pushFree(n);
      return err;
    }
    if (old) {
      this.unlink(old);
      this.pushFree(old);
    }
    n.k = k;
    this.table.set(k, n);
    this.append(n);
    return 0;
  }

  /** __htab_lru_percpu_map_update_elem; `all` is onallcpus (the syscall path). */
  private updatePercpu(key: Uint8Array, value: Uint8Array, flags: number, cpu: number, all: boolean): number {
    if (!(flags >= 0 && flags <= _BPF_EXIST)) return _EINVAL;
    const k = _keyOf(key, this.keySize);
    const n = flags !== _BPF_EXIST ? this.popNode(cpu) : undefined;
    const old = this.table.get(k) as LruNode | undefined;
    const err = _checkFlags(old !== undefined, flags);
    if (err) {
      if (n) this.pushFree(n);
      return err;
    }
    const st = this.stride;
    const target = old ?? (n as LruNode);
    const b = target.region.bytes;
    if (all) {
      for (let c = 0; c < this.env.ncpus; c++) b.set(value.subarray(c * st, (c + 1) * st), this.valueOff + c * st);
    } else {
      if (!old) b.fill(0, this.valueOff);
      b.set(value.subarray(0, this.valueSize), this.valueOff + cpu * st);
    }
    if (old) {
      this.touch(old);
      if (n) this.pushFree(n);
    } else {
      this.writeKey(target, key);
      target.k = k;
      this.table.set(k, target);
      this.append(target);
    }
    return 0;
  }

  /** htab_lru_map_delete_elem. */
  override deleteElem(key: Uint8Array, _cpu: number): number {
    const k = _keyOf(key, this.keySize);
    const e = this.table.get(k) as LruNode | undefined;
    if (e === undefined) return _ENOENT;
    this.table.delete(k);
    this.unlink(e);
    this.pushFree(e);
    return 0;
  }

  protected sysUpdate(key: Uint8Array, value: Uint8Array, flags: number): number {
    return this.percpu
      ? this.updatePercpu(key, value, flags, this.hostCpu, true)
      : this.updatePlain(key, value, flags, this.hostCpu);
  }

  /** Keys from least to most recently used (all lists, list by list). */
  recency(): Uint8Array[] {
    const out: Uint8Array[] = [];
    for (const l of this.lists) for (let n = l.head; n; n = n.next) out.push(n.region.bytes.slice(0, this.keySize));
    return out;
  }
}
