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
 *
 * `createMapEnv(mem, { lru: 'kernel' })` swaps the strict order for the kernel's own node lists
 * (lru-kernel.ts): batch refills of target_free nodes, second chances, pending lists.
 */
import type { Region } from '../../vm/memory.js';
import { BPF_EXIST, BPF_F_NO_COMMON_LRU, ERRNO } from '../uapi.js';

import { keyOf } from './bytes.js';
import { checkFlags, HashTableBase } from './hash.js';
import { KernelLru, type KNode } from './lru-kernel.js';
import type { MapDefinition, MapEnv } from './types.js';
// Imported bindings read once: the TS runners used by tests make every import use a getter call.
const _BPF_EXIST = BPF_EXIST;
const _EINVAL = -ERRNO.EINVAL;
const _ENOENT = -ERRNO.ENOENT;
const _ENOMEM = -ERRNO.ENOMEM;
const _keyOf = keyOf;
const _checkFlags = checkFlags;

/** max_entries after htab_map_alloc's rounding for BPF_F_NO_COMMON_LRU. */
export function lruMaxEntries(def: MapDefinition, ncpus: number): number {
  if (!(def.flags & BPF_F_NO_COMMON_LRU)) return def.maxEntries;
  const up = Math.ceil(def.maxEntries / ncpus) * ncpus;
  return up <= 0xffffffff ? up : Math.floor(def.maxEntries / ncpus) * ncpus;
}

/** An LRU element (node fields of both policies). */
interface LruNode extends KNode {
  prev: LruNode | null;
  next: LruNode | null;
}

/** How nodes are found, ordered and recycled. */
interface LruPolicy {
  /** A node for a new element (evicting through the map's callback if needed). */
  pop(cpu: number): LruNode | undefined;
  /** A node is no longer an element (delete, replaced, failed update). */
  pushFree(n: LruNode): void;
  /** A program lookup or a replace used the element. */
  ref(n: LruNode): void;
  /** A popped node became an element. */
  inserted(n: LruNode): void;
  /** Live elements, first evicted first (as far as the policy can tell). */
  order(): LruNode[];
}

/** Strict LRU: one recency list per LRU list (head = least recent), free stacks. */
class StrictLru implements LruPolicy {
  private readonly heads: (LruNode | null)[];
  private readonly tails: (LruNode | null)[];
  private readonly free: LruNode[][];
  private readonly created: number[];

  constructor(
    private readonly nlists: number,
    private readonly perList: number,
    private readonly create: (list: number) => LruNode,
    private readonly evict: (n: LruNode) => boolean,
  ) {
    this.heads = new Array(nlists).fill(null);
    this.tails = new Array(nlists).fill(null);
    this.free = Array.from({ length: nlists }, () => []);
    this.created = new Array(nlists).fill(0);
  }

  private unlink(n: LruNode): void {
    const l = n.list;
    if (n.prev) n.prev.next = n.next;
    else this.heads[l] = n.next;
    if (n.next) n.next.prev = n.prev;
    else this.tails[l] = n.prev;
    n.prev = n.next = null;
  }

  private append(n: LruNode): void {
    const l = n.list;
    n.prev = this.tails[l];
    n.next = null;
    if (this.tails[l]) (this.tails[l] as LruNode).next = n;
    else this.heads[l] = n;
    this.tails[l] = n;
  }

  pop(cpu: number): LruNode | undefined {
    const l = this.nlists === 1 ? 0 : cpu >= 0 && cpu < this.nlists ? cpu : 0;
    const f = this.free[l].pop();
    if (f) return f;
    if (this.created[l] < this.perList) {
      this.created[l]++;
      return this.create(l);
    }
    const victim = this.heads[l] as LruNode;
    this.unlink(victim);
    this.evict(victim);
    return victim;
  }

  pushFree(n: LruNode): void {
    if (n.prev || this.heads[n.list] === n) this.unlink(n);
    this.free[n.list].push(n);
  }

  ref(n: LruNode): void {
    if (this.tails[n.list] === n) return;
    this.unlink(n);
    this.append(n);
  }

  inserted(n: LruNode): void {
    this.append(n);
  }

  order(): LruNode[] {
    const out: LruNode[] = [];
    for (const h of this.heads) for (let n = h; n; n = n.next) out.push(n);
    return out;
  }
}

/** The kernel's lists behind the same interface. */
class KernelLruPolicy implements LruPolicy {
  readonly k: KernelLru;
  constructor(ncpus: number, max: number, percpu: boolean, create: (cpu: number) => LruNode, evict: (n: LruNode) => boolean) {
    this.k = new KernelLru(ncpus, max, percpu, create, evict as (n: KNode) => boolean);
  }
  pop(cpu: number): LruNode | undefined {
    return this.k.pop(cpu) as LruNode | undefined;
  }
  pushFree(n: LruNode): void {
    this.k.pushFree(n);
  }
  ref(n: LruNode): void {
    this.k.ref(n);
  }
  inserted(_n: LruNode): void {}
  order(): LruNode[] {
    return this.k.order() as LruNode[];
  }
}

export class LruHashMap extends HashTableBase {
  /** 'strict' (default) or 'kernel' (bpf_lru_list.c's lists). */
  readonly policyName: 'strict' | 'kernel';
  private readonly policy: LruPolicy;
  /** Elements evicted so far (for traces and tests). */
  evictions = 0;

  constructor(env: MapEnv, def: MapDefinition) {
    const max = lruMaxEntries(def, env.ncpus);
    super(env, def, max);
    const common = !(def.flags & BPF_F_NO_COMMON_LRU);
    const create = (list: number): LruNode => {
      const n = this.newElem(list) as LruNode;
      n.k = 0;
      n.prev = n.next = null;
      return n;
    };
    const evict = (n: LruNode): boolean => {
      if (this.table.get(n.k) !== n) return false;
      this.table.delete(n.k);
      this.evictions++;
      return true;
    };
    this.policyName = env.lru ?? 'strict';
    this.policy =
      this.policyName === 'kernel'
        ? new KernelLruPolicy(env.ncpus, max, !common, create, evict)
        : new StrictLru(common ? 1 : env.ncpus, common ? max : max / env.ncpus, create, evict);
  }

  lookupElem(key: Uint8Array, cpu: number): Region | undefined {
    const e = this.table.get(_keyOf(key, this.keySize)) as LruNode | undefined;
    if (e === undefined) return undefined;
    if (this.percpu) {
      if (cpu < 0 || cpu >= this.env.ncpus) return undefined;
      this.lastOffset = this.valueOff + cpu * this.stride;
    } else this.lastOffset = this.valueOff;
    // A program lookup sets the node's ref bit (strict: it becomes the most recent).
    this.policy.ref(e);
    return e.region;
  }

  override updateElem(key: Uint8Array, value: Uint8Array, flags: number, cpu: number): number {
    return this.percpu ? this.updatePercpu(key, value, flags, cpu, false) : this.updatePlain(key, value, flags, cpu);
  }

  /** htab_lru_map_update_elem. */
  private updatePlain(key: Uint8Array, value: Uint8Array, flags: number, cpu: number): number {
    if (!(flags >= 0 && flags <= _BPF_EXIST)) return _EINVAL;
    const k = _keyOf(key, this.keySize);
    const n = this.policy.pop(cpu);
    if (!n) return _ENOMEM;
    this.writeKey(n, key);
    this.copyValue(n.region.bytes, this.valueOff, value);
    const old = this.table.get(k) as LruNode | undefined;
    const err = _checkFlags(old !== undefined, flags);
    if (err) {
      this.policy.pushFree(n);
      return err;
    }
    n.k = k;
    this.table.set(k, n);
    this.policy.inserted(n);
    if (old) {
      this.policy.ref(n);
      this.policy.pushFree(old);
    }
    return 0;
  }

  /** __htab_lru_percpu_map_update_elem; `all` is onallcpus (the syscall path). */
  private updatePercpu(key: Uint8Array, value: Uint8Array, flags: number, cpu: number, all: boolean): number {
    if (!(flags >= 0 && flags <= _BPF_EXIST)) return _EINVAL;
    const k = _keyOf(key, this.keySize);
    let n: LruNode | undefined;
    if (flags !== _BPF_EXIST) {
      n = this.policy.pop(cpu);
      if (!n) return _ENOMEM;
    }
    const old = this.table.get(k) as LruNode | undefined;
    const err = _checkFlags(old !== undefined, flags);
    if (err) {
      if (n) this.policy.pushFree(n);
      return err;
    }
    const st = this.stride;
    const target = old ?? (n as LruNode);
    const b = target.region.bytes;
    if (old) this.policy.ref(old);
    if (all) {
      for (let c = 0; c < this.env.ncpus; c++) b.set(value.subarray(c * st, (c + 1) * st), this.valueOff + c * st);
    } else {
      if (!old) b.fill(0, this.valueOff);
      b.set(value.subarray(0, this.valueSize), this.valueOff + cpu * st);
    }
    if (old) {
      if (n) this.policy.pushFree(n);
    } else {
      this.writeKey(target, key);
      target.k = k;
      this.table.set(k, target);
      this.policy.inserted(target);
    }
    return 0;
  }

  /** htab_lru_map_delete_elem. */
  override deleteElem(key: Uint8Array, _cpu: number): number {
    const k = _keyOf(key, this.keySize);
    const e = this.table.get(k) as LruNode | undefined;
    if (e === undefined) return _ENOENT;
    this.table.delete(k);
    this.policy.pushFree(e);
    return 0;
  }

  protected sysUpdate(key: Uint8Array, value: Uint8Array, flags: number): number {
    return this.percpu
      ? this.updatePercpu(key, value, flags, this.hostCpu, true)
      : this.updatePlain(key, value, flags, this.hostCpu);
  }

  /** Keys in eviction order as far as the policy knows (strict: least recent first). */
  recency(): Uint8Array[] {
    return this.policy.order().map((n) => n.region.bytes.slice(0, this.keySize));
  }
}
