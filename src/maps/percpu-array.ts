/**
 * @fileoverview BPF_MAP_TYPE_PERCPU_ARRAY (kernel/bpf/arraymap.c): an array with one zeroed
 * copy of every element per possible CPU. Programs see the copy of the CPU they run on.
 *
 * One region holds every copy, CPU-major:
 *
 *   | cpu0: elem 0 | elem 1 | ... | cpu1: elem 0 | elem 1 | ... |   (each elem round_up(vs, 8))
 *
 * From the host a value is ncpus slots of round_up(value_size, 8) bytes (bpf_percpu_array_copy).
 */
import type { Region } from '../../vm/memory.js';
import { BPF_EXIST, BPF_F_LOCK, BPF_NOEXIST, ERRNO } from '../uapi.js';
import { badFlags, BaseMap } from './base.js';
import { copyBytes, le32 } from './bytes.js';
import type { ForEachCallback, HostValue, MapDefinition, MapEnv } from './types.js';
// Imported bindings read once: the TS runners used by tests make every import use a getter call.
const _BPF_EXIST = BPF_EXIST;
const _BPF_F_LOCK = BPF_F_LOCK;
const _BPF_NOEXIST = BPF_NOEXIST;
const _badFlags = badFlags;
const _E2BIG = -ERRNO.E2BIG;
const _EEXIST = -ERRNO.EEXIST;
const _EINVAL = -ERRNO.EINVAL;
const _copyBytes = copyBytes;

export class PercpuArrayMap extends BaseMap {
  readonly values: Region;
  private keyScratch?: Region;

  constructor(env: MapEnv, def: MapDefinition) {
    super(env, def);
    this.values = this.allocValues(new Uint8Array(this.stride * this.maxEntries * env.ncpus), 'percpu values');
  }

  private offset(i: number, cpu: number): number {
    return (cpu * this.maxEntries + i) * this.stride;
  }

  /** Also bpf_map_lookup_percpu_elem: NULL when cpu >= nr_cpu_ids. */
  lookupElem(key: Uint8Array, cpu: number): Region | undefined {
    return this.lookupIndex(BaseMap.index(key), cpu);
  }

  lookupIndex(i: number, cpu: number): Region | undefined {
    if (i >= this.maxEntries || cpu >= this.env.ncpus || cpu < 0) return undefined;
    this.lastOffset = 0;
    return this.elementRegion(this.values, this.offset(i, cpu), this.valueSize);
  }

  /** array_map_update_elem, per-CPU branch: this CPU's copy, in place. */
  override updateElem(key: Uint8Array, value: Uint8Array, flags: number, cpu: number): number {
    const i = BaseMap.index(key);
    if (_badFlags(flags) || (flags & ~_BPF_F_LOCK) > _BPF_EXIST) return _EINVAL;
    if (i >= this.maxEntries) return _E2BIG;
    if (flags & _BPF_NOEXIST) return _EEXIST;
    // A per-CPU value cannot hold a bpf_spin_lock.
    if (flags & _BPF_F_LOCK) return _EINVAL;
    _copyBytes(this.values.bytes, this.offset(i, cpu), value, 0, this.valueSize);
    return 0;
  }

  override deleteElem(_key: Uint8Array, _cpu: number): number {
    return _EINVAL;
  }

  override forEachElem(cpu: number, cb: ForEachCallback): number {
    const kr = (this.keyScratch ??= this.allocValues(new Uint8Array(4), 'for_each key', false));
    let n = 0;
    for (let i = 0; i < this.maxEntries; i++) {
      kr.view.setUint32(0, i, true);
      n++;
      if (cb(kr, 0, this.elementRegion(this.values, this.offset(i, cpu), this.valueSize), 0)) break;
    }
    return n;
  }

  protected sysLookup(key: Uint8Array): HostValue | number {
    const i = BaseMap.index(key);
    if (i >= this.maxEntries) return -ERRNO.ENOENT;
    const out: Uint8Array[] = [];
    for (let c = 0; c < this.env.ncpus; c++) {
      const o = this.offset(i, c);
      out.push(this.values.bytes.slice(o, o + this.valueSize));
    }
    return out;
  }

  /** bpf_percpu_array_update: flags > _BPF_EXIST (F_LOCK included) are _EINVAL; all CPUs. */
  protected sysUpdate(key: Uint8Array, value: Uint8Array, flags: number): number {
    const i = BaseMap.index(key);
    if (!(flags >= 0 && flags <= _BPF_EXIST)) return _EINVAL;
    if (i >= this.maxEntries) return _E2BIG;
    if (flags === _BPF_NOEXIST) return _EEXIST;
    for (let c = 0; c < this.env.ncpus; c++)
      this.values.bytes.set(value.subarray(c * this.stride, (c + 1) * this.stride), this.offset(i, c));
    return 0;
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

  override nextKey(key?: Uint8Array): Uint8Array | undefined {
    const i = key === undefined || key.length !== 4 ? this.maxEntries : BaseMap.index(key);
    if (i >= this.maxEntries) return this.maxEntries > 0 ? le32(0) : undefined;
    return i + 1 < this.maxEntries ? le32(i + 1) : undefined;
  }
}
