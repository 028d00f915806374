/**
 * @fileoverview BPF_MAP_TYPE_HASH and BPF_MAP_TYPE_PERCPU_HASH (kernel/bpf/hashtab.c).
 *
 * Each element is one region laid out like the kernel's `struct htab_elem` tail:
 *
 *   hash:         | key (round_up(key_size, 8)) | value (round_up(value_size, 8)) |
 *   percpu hash:  | key (round_up(key_size, 8)) | cpu 0 value | cpu 1 value | ...  |
 *                                                ^ lookup returns this + cpu * stride
 *
 * Element lifetime follows the kernel so that stale pointers behave the same:
 * - HASH update of an existing key is NOT in place: a new element is linked and the old one
 *   unlinked (htab_map_update_elem). A pointer from an earlier lookup keeps the old value.
 * - Pre-allocated HASH (the default) swaps with a per-CPU spare element on replace
 *   (alloc_htab_elem's extra_elems): the old element becomes this CPU's spare and is reused by
 *   the next replace on the same CPU, so a stale pointer then shows that key's new value.
 *   Freed elements go on a LIFO free list and are reused by the next insert.
 * - BPF_F_NO_PREALLOC: new element from the free list (LIFO, like bpf_mem_cache), old one freed
 *   after linking the new one.
 * - PERCPU_HASH updates an existing key in place (this CPU's copy); a new key from a program
 *   zero-fills the other CPUs' copies (pcpu_init_value).
 * Regions are never released while the map lives: stale pointers stay readable, as in the
 * kernel (RCU / pre-allocation), they just show whatever the element holds now.
 *
 * Iteration: for_each visits elements in insertion order of their keys (a replace keeps the
 * key's position); the kernel walks buckets of a randomly seeded jhash. Host keys() and dumps
 * are sorted by key bytes, as the oracle prints them.
 */
import type { Region } from '../../vm/memory.js';
import { BPF_EXIST, BPF_F_LOCK, BPF_F_NO_PREALLOC, BPF_NOEXIST, ERRNO } from '../uapi.js';
import { badFlags, BaseMap } from './base.js';
import { compareBytes, copyBytes, keyOf, roundUp8 } from './bytes.js';
import type { ForEachCallback, HostValue, MapDefinition, MapEnv } from './types.js';
// Imported bindings read once: the TS runners used by tests make every import use a getter call.
const _BPF_EXIST = BPF_EXIST;
const _BPF_F_LOCK = BPF_F_LOCK;
const _BPF_NOEXIST = BPF_NOEXIST;
const _BPF_F_NO_PREALLOC = BPF_F_NO_PREALLOC;
const _badFlags = badFlags;
const _E2BIG = -ERRNO.E2BIG;
const _EEXIST = -ERRNO.EEXIST;
const _EINVAL = -ERRNO.EINVAL;
const _ENOENT = -ERRNO.ENOENT;
const _copyBytes = copyBytes;
const _keyOf = keyOf;

/** One hash element: its region holds the key then the value(s). */
export interface HashElem {
  region: Region;
  /** Owner list of an LRU node (always 0 with the common LRU). */
  list: number;
}

/** check_flags(): the EXIST / NOEXIST rules shared by every hash flavour. */
export function checkFlags(exists: boolean, flags: number): number {
  const f = flags & ~_BPF_F_LOCK;
  if (exists && f === _BPF_NOEXIST) return _EEXIST;
  if (!exists && f === _BPF_EXIST) return _ENOENT;
  return 0;
}

/** Storage and iteration shared by hash, percpu hash, LRU and hash-of-maps. */
export abstract class HashTableBase extends BaseMap {
  /** Live elements by key identity. */
  protected readonly table = new Map<number | string, HashElem>();
  /** Freed elements, reused last-in first-out. */
  protected readonly free: HashElem[] = [];
  /** Offset of the value inside an element: round_up(key_size, 8). */
  readonly valueOff: number;
  protected readonly elemSize: number;

  constructor(env: MapEnv, def: MapDefinition, maxEntries?: number) {
    super(env, def, maxEntries);
    this.valueOff = roundUp8(def.keySize);
    this.elemSize = this.valueOff + roundUp8(def.valueSize) * (this.percpu ? env.ncpus : 1);
  }

  /** Number of live elements. */
  get size(): number {
    return this.table.size;
  }

  protected newElem(list = 0): HashElem {
    return { region: this.allocValues(new Uint8Array(this.elemSize), 'elem'), list };
  }

  /** An element from the free list, or a fresh one. */
  protected takeElem(): HashElem {
    return this.free.pop() ?? this.newElem();
  }

  protected writeKey(e: HashElem, key: Uint8Array): void {
    _copyBytes(e.region.bytes, 0, key, 0, this.keySize);
  }

  protected find(key: Uint8Array): HashElem | undefined {
    return this.table.get(_keyOf(key, this.keySize));
  }

  override forEachElem(cpu: number, cb: ForEachCallback): number {
    const off = this.valueOff + (this.percpu ? cpu * this.stride : 0);
    let n = 0;
    for (const e of this.table.values()) {
      n++;
      if (cb(e.region, 0, e.region, off)) break;
    }
    return n;
  }

  keys(): Uint8Array[] {
    const ks: Uint8Array[] = [];
    for (const e of this.table.values()) ks.push(e.region.bytes.slice(0, this.keySize));
    return ks.sort(compareBytes);
  }

  protected sysLookup(key: Uint8Array): HostValue | number {
    const e = this.find(key);
    if (!e) return _ENOENT;
    return this.percpu ? this.unpackPercpu(e.region.bytes, this.valueOff) : this.readValue(e.region.bytes, this.valueOff);
  }

  protected sysDelete(key: Uint8Array): number {
    return this.deleteElem(key, this.hostCpu);
  }
}

/** BPF_MAP_TYPE_HASH. */
export class HashMap extends HashTableBase {
  readonly prealloc: boolean;
  /** Per-CPU spare elements of a pre-allocated map (htab->extra_elems). */
  private readonly extra: (HashElem | undefined)[];

  constructor(env: MapEnv, def: MapDefinition) {
    super(env, def);
    this.prealloc = !(def.flags & _BPF_F_NO_PREALLOC);
    this.extra = new Array(env.ncpus).fill(undefined);
  }

  lookupElem(key: Uint8Array, _cpu: number): Region | undefined {
    const e = this.table.get(_keyOf(key, this.keySize));
    if (e === undefined) return undefined;
    this.lastOffset = this.valueOff;
    return e.region;
  }

  /** htab_map_update_elem. */
  override updateElem(key: Uint8Array, value: Uint8Array, flags: number, cpu: number): number {
    if (_badFlags(flags) || (flags & ~_BPF_F_LOCK) > _BPF_EXIST) return _EINVAL;
    const locked = (flags & _BPF_F_LOCK) !== 0;
    if (locked && this.def.spinLockOffset === undefined) return _EINVAL;
    const k = _keyOf(key, this.keySize);
    const old = this.table.get(k);
    const err = checkFlags(old !== undefined, flags);
    if (err) return err;
    if (old && locked) {
      // _BPF_F_LOCK updates the existing value in place under its lock.
      this.copyValue(old.region.bytes, this.valueOff, value);
      return 0;
    }
    let e: HashElem;
    if (this.prealloc) {
      if (old) {
        const c = cpu >= 0 && cpu < this.extra.length ? cpu : 0;
        e = this.extra[c] ?? this.newElem();
        this.extra[c] = old;
      } else {
        // The free list holds max_entries elements in the kernel: it is empty when full.
        if (this.table.size >= this.maxEntries) return _E2BIG;
        e = this.takeElem();
      }
    } else {
      // A replace may go over max_entries for a moment: the old element is freed right after.
      if (!old && this.table.size >= this.maxEntries) return _E2BIG;
      e = this.takeElem();
    }
    this.writeKey(e, key);
    this.copyValue(e.region.bytes, this.valueOff, value);
    this.table.set(k, e);
    if (old && !this.prealloc) this.free.push(old);
    return 0;
  }

  /** htab_map_delete_elem. */
  override deleteElem(key: Uint8Array, _cpu: number): number {
    const k = _keyOf(key, this.keySize);
    const e = this.table.get(k);
    if (e === undefined) return _ENOENT;
    this.table.delete(k);
    this.free.push(e);
    return 0;
  }

  protected sysUpdate(key: Uint8Array, value: Uint8Array, flags: number): number {
    return this.updateElem(key, value, flags, this.hostCpu);
  }
}

/** BPF_MAP_TYPE_PERCPU_HASH. */
export class PercpuHashMap extends HashTableBase {

  /** Also bpf_map_lookup_percpu_elem: NULL when cpu >= nr_cpu_ids. */
  lookupElem(key: Uint8Array, cpu: number): Region | undefined {
    const e = this.table.get(_keyOf(key, this.keySize));
    if (e === undefined || cpu < 0 || cpu >= this.env.ncpus) return undefined;
    this.lastOffset = this.valueOff + cpu * this.stride;
    return e.region;
  }

  override updateElem(key: Uint8Array, value: Uint8Array, flags: number, cpu: number): number {
    return this.update1(key, value, flags, cpu, false);
  }

  /** __htab_percpu_map_update_elem; `all` is onallcpus (the syscall path). */
  private update1(key: Uint8Array, value: Uint8Array, flags: number, cpu: number, all: boolean): number {
    // _BPF_F_LOCK is not accepted here: per-CPU values cannot hold a spin lock.
    if (!(flags >= 0 && flags <= _BPF_EXIST)) return _EINVAL;
    const k = _keyOf(key, this.keySize);
    const old = this.table.get(k);
    const err = checkFlags(old !== undefined, flags);
    if (err) return err;
    if (old) {
      this.writeValues(old, value, cpu, all, false);
      return 0;
    }
    if (this.table.size >= this.maxEntries) return _E2BIG;
    const e = this.takeElem();
    this.writeKey(e, key);
    this.writeValues(e, value, cpu, all, true);
    this.table.set(k, e);
    return 0;
  }

  /** pcpu_copy_value / pcpu_init_value. */
  private writeValues(e: HashElem, value: Uint8Array, cpu: number, all: boolean, init: boolean): void {
    const b = e.region.bytes;
    const st = this.stride;
    if (all) {
      for (let c = 0; c < this.env.ncpus; c++) b.set(value.subarray(c * st, (c + 1) * st), this.valueOff + c * st);
      return;
    }
    if (init) b.fill(0, this.valueOff);
    _copyBytes(b, this.valueOff + cpu * st, value, 0, this.valueSize);
  }

  override deleteElem(key: Uint8Array, _cpu: number): number {
    const k = _keyOf(key, this.keySize);
    const e = this.table.get(k);
    if (e === undefined) return _ENOENT;
    this.table.delete(k);
    this.free.push(e);
    return 0;
  }

  protected sysUpdate(key: Uint8Array, value: Uint8Array, flags: number): number {
    return this.update1(key, value, flags, this.hostCpu, true);
  }
}
