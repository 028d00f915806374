/**
 * @fileoverview BPF_MAP_TYPE_DEVMAP and BPF_MAP_TYPE_DEVMAP_HASH (kernel/bpf/devmap.c): net
 * devices by index (array) or by any u32 key (hash), the targets of XDP's bpf_redirect_map.
 *
 * A value is `struct bpf_devmap_val` cut to value_size: { u32 ifindex; u32 bpf_prog id } (4 or
 * 8 bytes). The host writes an ifindex (and optionally a prog fd, which tcxlab does not have:
 * a non-zero fd is EINVAL as for an fd that names no XDP devmap program); the device must exist
 * (MapEnv.ifindexExists; unset: any non-zero ifindex does). Programs may only look values up
 * (tc has no bpf_redirect_map): dev_map_init_map adds BPF_F_RDONLY_PROG, so value pointers are
 * read-only (the flag does not show in map_flags as the kernel golden dumps them).
 */
import type { Region } from '../../vm/memory.js';
import { BPF_EXIST, BPF_NOEXIST, ERRNO } from '../uapi.js';
import { BaseMap } from './base.js';
import { compareBytes, le32 } from './bytes.js';
import type { HostValue, MapDefinition, MapEnv } from './types.js';

/** A bpf_devmap_val for value_size bytes, or an errno (__dev_map_alloc_node's checks). */
function devmapValue(env: MapEnv, valueSize: number, value: Uint8Array): Uint8Array | number {
  const dv = new DataView(value.buffer, value.byteOffset, value.byteLength);
  const ifindex = dv.getUint32(0, true);
  const fd = valueSize >= 8 ? dv.getInt32(4, true) : 0;
  if (ifindex === 0) return fd > 0 ? -ERRNO.EINVAL : 0;
  if (env.ifindexExists !== undefined && !env.ifindexExists(ifindex)) return -ERRNO.EINVAL; // dev_get_by_index
  if (fd > 0) return -ERRNO.EINVAL; // bpf_prog_get_type_dev: tcxlab has no program fds
  const out = new Uint8Array(valueSize);
  out.set(value.subarray(0, 4)); // val.ifindex; bpf_prog.id stays 0
  return out;
}

/** BPF_MAP_TYPE_DEVMAP: max_entries slots, empty or one device. */
export class DevMap extends BaseMap {
  private readonly values: Region;
  private readonly present: Uint8Array;

  constructor(env: MapEnv, def: MapDefinition) {
    super(env, def);
    this.values = this.allocValues(new Uint8Array(this.stride * this.maxEntries), 'values', false);
    this.present = new Uint8Array(this.maxEntries);
  }

  /** dev_map_lookup_elem: &obj->val, NULL for an empty slot or an index out of range. */
  lookupElem(key: Uint8Array, _cpu: number): Region | undefined {
    const i = BaseMap.index(key);
    if (i >= this.maxEntries || !this.present[i]) return undefined;
    this.lastOffset = i * this.stride;
    return this.values;
  }

  /** __dev_map_update_elem. */
  override updateElem(key: Uint8Array, value: Uint8Array, flags: number, _cpu: number): number {
    const i = BaseMap.index(key);
    if (!(flags >= 0 && flags <= BPF_EXIST)) return -ERRNO.EINVAL;
    if (i >= this.maxEntries) return -ERRNO.E2BIG;
    if (flags === BPF_NOEXIST) return -ERRNO.EEXIST;
    const v = devmapValue(this.env, this.valueSize, value);
    if (typeof v === 'number') {
      if (v < 0) return v;
      this.present[i] = 0; // ifindex 0 empties the slot
      this.values.bytes.fill(0, i * this.stride, (i + 1) * this.stride);
      return 0;
    }
    this.values.bytes.set(v, i * this.stride);
    this.present[i] = 1;
    return 0;
  }

  /** dev_map_delete_elem: out of range is EINVAL, an empty slot is fine. */
  override deleteElem(key: Uint8Array, _cpu: number): number {
    const i = BaseMap.index(key);
    if (i >= this.maxEntries) return -ERRNO.EINVAL;
    this.present[i] = 0;
    this.values.bytes.fill(0, i * this.stride, (i + 1) * this.stride);
    return 0;
  }

  protected sysLookup(key: Uint8Array): HostValue | number {
    const i = BaseMap.index(key);
    if (i >= this.maxEntries || !this.present[i]) return -ERRNO.ENOENT;
    return this.values.bytes.slice(i * this.stride, i * this.stride + this.valueSize);
  }

  protected sysUpdate(key: Uint8Array, value: Uint8Array, flags: number): number {
    return this.updateElem(key, value, flags, this.hostCpu);
  }

  protected sysDelete(key: Uint8Array): number {
    return this.deleteElem(key, this.hostCpu);
  }

  keys(limit = Infinity): Uint8Array[] {
    const out: Uint8Array[] = [];
    for (let i = 0; i < Math.min(this.maxEntries, limit); i++) out.push(le32(i));
    return out;
  }

  /** dev_map_get_next_key (array order). */
  override nextKey(key?: Uint8Array): Uint8Array | undefined {
    const i = key === undefined ? 0xffffffff : BaseMap.index(key);
    if (i >= this.maxEntries) return le32(0);
    return i === this.maxEntries - 1 ? undefined : le32(i + 1);
  }
}

interface HashDev {
  readonly key: number;
  readonly region: Region;
}

/**
 * BPF_MAP_TYPE_DEVMAP_HASH: roundup_pow_of_two(max_entries) buckets indexed by key & (n - 1),
 * each a list with the newest element first (hlist_add_head_rcu); get_next_key walks buckets in
 * order, so key order is the kernel's.
 */
export class DevMapHash extends BaseMap {
  /** Occupied buckets only (up to 2^31 of them may exist): bucket index → list. */
  private readonly buckets = new Map<number, HashDev[]>();
  private readonly nBuckets: number;
  private items = 0;

  constructor(env: MapEnv, def: MapDefinition) {
    super(env, def);
    let n = 1;
    while (n < this.maxEntries) n *= 2;
    this.nBuckets = n;
  }

  /** The bucket of key `k`, created when `create` (for an insert), else possibly an empty stand-in. */
  private bucketOf(k: number, create = false): HashDev[] {
    const i = k & (this.nBuckets - 1);
    let b = this.buckets.get(i);
    if (b === undefined) {
      b = [];
      if (create) this.buckets.set(i, b);
    }
    return b;
  }

  private find(k: number): HashDev | undefined {
    return this.bucketOf(k).find((d) => d.key === k);
  }

  lookupElem(key: Uint8Array, _cpu: number): Region | undefined {
    const d = this.find(BaseMap.index(key));
    if (d === undefined) return undefined;
    this.lastOffset = 0;
    return d.region;
  }

  /** __dev_map_hash_update_elem, in its order. */
  override updateElem(key: Uint8Array, value: Uint8Array, flags: number, _cpu: number): number {
    const k = BaseMap.index(key);
    const ifindex = (value[0] | (value[1] << 8) | (value[2] << 16) | (value[3] << 24)) >>> 0;
    if (!(flags >= 0 && flags <= BPF_EXIST) || ifindex === 0) return -ERRNO.EINVAL;
    const old = this.find(k);
    if (old !== undefined && flags & BPF_NOEXIST) return -ERRNO.EEXIST;
    const v = devmapValue(this.env, this.valueSize, value);
    if (typeof v === 'number') return v < 0 ? v : -ERRNO.EINVAL;
    const b = this.bucketOf(k, true);
    if (old !== undefined) {
      b.splice(b.indexOf(old), 1);
    } else {
      if (this.items >= this.maxEntries) return -ERRNO.E2BIG;
      this.items++;
    }
    // A new node replaces the old one at the head of its bucket.
    b.unshift({ key: k, region: this.allocValues(v, `elem ${k}`, false) });
    return 0;
  }

  override deleteElem(key: Uint8Array, _cpu: number): number {
    const k = BaseMap.index(key);
    const old = this.find(k);
    if (old === undefined) return -ERRNO.ENOENT;
    const b = this.bucketOf(k);
    b.splice(b.indexOf(old), 1);
    this.items--;
    return 0;
  }

  protected sysLookup(key: Uint8Array): HostValue | number {
    const d = this.find(BaseMap.index(key));
    return d === undefined ? -ERRNO.ENOENT : d.region.bytes.slice(0, this.valueSize);
  }

  protected sysUpdate(key: Uint8Array, value: Uint8Array, flags: number): number {
    return this.updateElem(key, value, flags, this.hostCpu);
  }

  protected sysDelete(key: Uint8Array): number {
    return this.deleteElem(key, this.hostCpu);
  }

  /** Keys sorted by bytes (the oracle sorts hash-like dumps). */
  keys(limit = Infinity): Uint8Array[] {
    return [...this.buckets.values()]
      .flat()
      .map((d) => le32(d.key))
      .sort(compareBytes)
      .slice(0, limit);
  }

  /** dev_map_hash_get_next_key: the next node in the bucket, else the head of a later bucket. */
  override nextKey(key?: Uint8Array): Uint8Array | undefined {
    let i = 0;
    if (key !== undefined && key.length === 4) {
      const k = BaseMap.index(key);
      const b = this.bucketOf(k);
      const at = b.findIndex((d) => d.key === k);
      if (at >= 0) {
        if (at + 1 < b.length) return le32(b[at + 1].key);
        i = (k & (this.nBuckets - 1)) + 1;
      }
    }
    // The first non-empty bucket from i on, in bucket order.
    let best: HashDev[] | undefined;
    let bestAt = Infinity;
    for (const [at, b] of this.buckets) if (at >= i && at < bestAt && b.length > 0) [best, bestAt] = [b, at];
    return best === undefined ? undefined : le32(best[0].key);
  }
}
