/**
 * @fileoverview BPF_MAP_TYPE_ARRAY (kernel/bpf/arraymap.c), also the storage of global data
 * (.data, .rodata, .bss are one-element arrays).
 *
 * All values are pre-allocated and zeroed in one region, one element every
 * round_up(value_size, 8) bytes:
 *
 *   region: | elem 0 | pad | elem 1 | pad | ... | elem max_entries-1 | pad |
 *             ^ lookup(0)    ^ lookup(1) = 1 * stride
 *
 * Lookups return pointers into that region, and updates copy in place, so every pointer to an
 * element sees later updates (array_map_update_elem).
 */
import type { Region } from '../../vm/memory.js';
import { BPF_EXIST, BPF_F_LOCK, BPF_F_RDONLY_PROG, BPF_NOEXIST, ERRNO } from '../uapi.js';
import { badFlags, BaseMap } from './base.js';
import { le32 } from './bytes.js';
import type { ForEachCallback, HostValue, MapDefinition, MapEnv } from './types.js';
// Imported bindings read once: the TS runners used by tests make every import use a getter call.
const _BPF_EXIST = BPF_EXIST;
const _BPF_F_LOCK = BPF_F_LOCK;
const _BPF_NOEXIST = BPF_NOEXIST;
const _badFlags = badFlags;
const _E2BIG = -ERRNO.E2BIG;
const _EEXIST = -ERRNO.EEXIST;
const _EINVAL = -ERRNO.EINVAL;

export class ArrayMap extends BaseMap {
  /** All elements; element i is at offset i * stride. */
  readonly values: Region;
  /** The u32 key handed to for_each callbacks (the kernel passes a pointer to its stack). */
  private keyScratch?: Region;

  constructor(env: MapEnv, def: MapDefinition) {
    super(env, def);
    // BPF_F_RDONLY_PROG: the verifier forbids program writes; stores through a pointer fault.
    this.values = this.allocValues(new Uint8Array(this.stride * this.maxEntries), 'values', !(def.flags & BPF_F_RDONLY_PROG));
    if (def.initialValue) this.values.bytes.set(def.initialValue.subarray(0, this.valueSize));
  }

  /** Offset of element `index` in `values` (BPF_PSEUDO_MAP_VALUE loads use it). */
  valueOffset(index: number): number {
    return index * this.stride;
  }

  lookupElem(key: Uint8Array, cpu: number): Region | undefined {
    return this.lookupIndex(BaseMap.index(key), cpu);
  }

  lookupIndex(i: number, _cpu: number): Region | undefined {
    if (i >= this.maxEntries) return undefined;
    this.lastOffset = 0;
    return this.elementRegion(this.values, i * this.stride, this.valueSize);
  }

  override updateElem(key: Uint8Array, value: Uint8Array, flags: number, _cpu: number): number {
    const i = BaseMap.index(key);
    const err = this.checkUpdate(i, flags);
    if (err) return err;
    this.copyValue(this.values.bytes, i * this.stride, value);
    return 0;
  }

  /** array_map_update_elem's checks, in its order. */
  private checkUpdate(i: number, flags: number): number {
    if (_badFlags(flags) || (flags & ~_BPF_F_LOCK) > _BPF_EXIST) return _EINVAL;
    if (i >= this.maxEntries) return _E2BIG;
    // Every element always exists.
    if (flags & _BPF_NOEXIST) return _EEXIST;
    if (flags & _BPF_F_LOCK && this.def.spinLockOffset === undefined) return _EINVAL;
    return 0;
  }

  /** array_map_delete_elem: elements cannot be deleted. */
  override deleteElem(_key: Uint8Array, _cpu: number): number {
    return _EINVAL;
  }

  /** bpf_for_each_array_elem: every index in order, stopping after a callback that returns 1. */
  override forEachElem(_cpu: number, cb: ForEachCallback): number {
    const kr = (this.keyScratch ??= this.allocValues(new Uint8Array(4), 'for_each key', false));
    const kv = kr.view;
    let n = 0;
    for (let i = 0; i < this.maxEntries; i++) {
      kv.setUint32(0, i, true);
      n++;
      if (cb(kr, 0, this.elementRegion(this.values, i * this.stride, this.valueSize), 0)) break;
    }
    return n;
  }

  protected sysLookup(key: Uint8Array): HostValue | number {
    const i = BaseMap.index(key);
    if (i >= this.maxEntries) return -ERRNO.ENOENT;
    return this.readValue(this.values.bytes, i * this.stride);
  }

  protected sysUpdate(key: Uint8Array, value: Uint8Array, flags: number): number {
    return this.updateElem(key, value, flags, this.hostCpu);
  }

  protected sysDelete(_key: Uint8Array): number {
    return _EINVAL;
  }

  keys(limit = Infinity): Uint8Array[] {
    const out: Uint8Array[] = [];
    const n = Math.min(this.maxEntries, limit);
    for (let i = 0; i < n; i++) out.push(le32(i));
    return out;
  }

  /** array_map_get_next_key: NULL or out of range restarts at 0; the last index ends. */
  override nextKey(key?: Uint8Array): Uint8Array | undefined {
    const i = key === undefined || key.length !== 4 ? this.maxEntries : BaseMap.index(key);
    if (i >= this.maxEntries) return this.maxEntries > 0 ? le32(0) : undefined;
    return i + 1 < this.maxEntries ? le32(i + 1) : undefined;
  }
}
