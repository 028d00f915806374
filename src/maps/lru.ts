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

/** max_entries after htab_map_alloc's rounding for BPF_F_NO_COMMON_LRU. */
export function lruMaxEntries(def: MapDefinition, ncpus: number): number {
  if (!(def.flags & BPF_F_NO_COMMON_LRU)) return def.maxEntries;
  const up = Math.ceil(def.maxEntries / ncpus) * ncpus;
  return up <= 0xffffffff ? up : Math.floor(def.maxEntries / ncpus) * ncpus;
}

export class LruHashMap extends HashTableBase {
  /** Recency order per LRU list, least recently used first (one list unless NO_COMMON_LRU). */
  private readonly order: Map<number | string, HashElem>[];
  /** Free nodes per list. */
  private readonly freeNodes: HashElem[][];
  /** Nodes created so far per list, and each list's node budget. */
  private readonly created: number[];
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
    this.order = Array.from({ length: lists }, () => new Map());
    this.freeNodes = Array.from({ length: lists }, () => []);
    this.created = new Array(lists).fill(0);
  }

  lookupElem(key: Uint8Array, cpu: number): Region | undefined {
    const k = keyOf(key, this.keySize);
    const e = this.table.get(k);
    if (e === undefined) return undefined;
    if (this.percpu) {
      if (cpu < 0 || cpu >= this.env.ncpus) return undefined;
      this.lastOffset = this.valueOff + cpu * this.stride;
    } else this.lastOffset = this.valueOff;
    // A program lookup sets the node's ref bit; strictly: it becomes most recently used.
    this.touch(k, e);
    return e.region;
  }

  private touch(k: number | string, e: HashElem): void {
    const o = this.order[e.list];
    o.delete(k);
    o.set(k, e);
  }

  /** prealloc_lru_pop: a free node of this CPU's list, or the least recently used one evicted. */
  private popNode(cpu: number): HashElem {
    const l = this.commonLru ? 0 : cpu >= 0 && cpu < this.order.length ? cpu : 0;
    const f = this.freeNodes[l].pop();
    if (f) return f;
    if (this.created[l] < this.perList) {
      this.created[l]++;
      return this.newElem(l);
    }
    const o = this.order[l];
    const first = o.entries().next().value as [number | string, HashElem];
    const [k, e] = first;
    o.delete(k);
    this.table.delete(k);
    this.evictions++;
    return e;
  }

  private pushFree(e: HashElem): void {
    this.freeNodes[e.list].push(e);
  }

  override updateElem(key: Uint8Array, value: Uint8Array, flags: number, cpu: number): number {
    return this.percpu ? this.updatePercpu(key, value, flags, cpu, false) : this.updatePlain(key, value, flags, cpu);
  }

  /** htab_lru_map_update_elem. */
  private updatePlain(key: Uint8Array, value: Uint8Array, flags: number, cpu: number): number {
    if (!(flags >= 0 && flags <= BPF_EXIST)) return EINVAL;
    const k = keyOf(key, this.keySize);
    const n = this.popNode(cpu);
    this.writeKey(n, key);
    this.copyValue(n.region.bytes, this.valueOff, value);
    const old = this.table.get(k);
    const err = checkFlags(old !== undefined, flags);
    if (err) {
      this.pushFree(n);
      return err;
    }
    if (old) {
      this.order[old.list].delete(k);
      this.pushFree(old);
    }
    this.table.set(k, n);
    this.order[n.list].set(k, n);
    return 0;
  }

  /** __htab_lru_percpu_map_update_elem; `all` is onallcpus (the syscall path). */
  private updatePercpu(key: Uint8Array, value: Uint8Array, flags: number, cpu: number, all: boolean): number {
    if (!(flags >= 0 && flags <= BPF_EXIST)) return EINVAL;
    const k = keyOf(key, this.keySize);
    let n = flags !== BPF_EXIST ? this.popNode(cpu) : undefined;
    const old = this.table.get(k);
    const err = checkFlags(old !== undefined, flags);
    if (err) {
      if (n) this.pushFree(n);
      return err;
    }
    const st = this.stride;
    const target = old ?? (n as HashElem);
    const b = target.region.bytes;
    if (all) {
      for (let c = 0; c < this.env.ncpus; c++) b.set(value.subarray(c * st, (c + 1) * st), this.valueOff + c * st);
    } else {
      if (!old) b.fill(0, this.valueOff);
      b.set(value.subarray(0, this.valueSize), this.valueOff + cpu * st);
    }
    if (old) {
      this.touch(k, old);
      if (n) this.pushFree(n);
    } else {
      this.writeKey(target, key);
      this.table.set(k, target);
      this.order[target.list].set(k, target);
      n = undefined;
    }
    return 0;
  }

  /** htab_lru_map_delete_elem. */
  override deleteElem(key: Uint8Array, _cpu: number): number {
    const k = keyOf(key, this.keySize);
    const e = this.table.get(k);
    if (e === undefined) return ENOENT;
    this.table.delete(k);
    this.order[e.list].delete(k);
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
    for (const o of this.order) for (const e of o.values()) out.push(e.region.bytes.slice(0, this.keySize));
    return out;
  }
}
