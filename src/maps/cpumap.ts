/**
 * @fileoverview BPF_MAP_TYPE_CPUMAP (kernel/bpf/cpumap.c): per-CPU redirect targets of XDP's
 * bpf_redirect_map. A value is `struct bpf_cpumap_val` cut to value_size: { u32 qsize; u32
 * bpf_prog id }. tc programs cannot use it (the verifier allows only bpf_redirect_map, an XDP
 * helper), so only the host side has behaviour: slots exist for possible CPUs (MapEnv.ncpus).
 */
import type { Region } from '../../vm/memory.js';
import { BPF_EXIST, BPF_NOEXIST, ERRNO } from '../uapi.js';
import { BaseMap } from './base.js';
import { le32 } from './bytes.js';
import type { HostValue, MapDefinition, MapEnv } from './types.js';

/** cpu_map_update_elem's sanity limit on qsize. */
const CPUMAP_MAX_QSIZE = 16384;

export class CpuMap extends BaseMap {
  private readonly slots: (Uint8Array | undefined)[];

  constructor(env: MapEnv, def: MapDefinition) {
    super(env, def);
    this.slots = new Array(this.maxEntries).fill(undefined);
  }

  /** Programs cannot look cpumap entries up (only redirect_map, from XDP). */
  lookupElem(_key: Uint8Array, _cpu: number): Region | undefined {
    return undefined;
  }

  /** cpu_map_update_elem, in its order. */
  override updateElem(key: Uint8Array, value: Uint8Array, flags: number, _cpu: number): number {
    const cpu = BaseMap.index(key);
    const qsize = (value[0] | (value[1] << 8) | (value[2] << 16) | (value[3] << 24)) >>> 0;
    if (!(flags >= 0 && flags <= BPF_EXIST)) return -ERRNO.EINVAL;
    if (cpu >= this.maxEntries) return -ERRNO.E2BIG;
    if (flags === BPF_NOEXIST) return -ERRNO.EEXIST;
    if (qsize > CPUMAP_MAX_QSIZE) return -ERRNO.EOVERFLOW;
    if (cpu >= this.env.ncpus) return -ERRNO.ENODEV; // !cpu_possible(key_cpu)
    if (qsize === 0) {
      this.slots[cpu] = undefined; // same as deleting
      return 0;
    }
    // An XDP program fd in the value: tcxlab has none (__cpu_map_load_bpf_program fails).
    if (this.valueSize >= 8 && new DataView(value.buffer, value.byteOffset, value.byteLength).getInt32(4, true) > 0) return -ERRNO.ENOMEM;
    const v = new Uint8Array(this.valueSize);
    v.set(value.subarray(0, 4));
    this.slots[cpu] = v;
    return 0;
  }

  override deleteElem(key: Uint8Array, _cpu: number): number {
    const cpu = BaseMap.index(key);
    if (cpu >= this.maxEntries) return -ERRNO.EINVAL;
    this.slots[cpu] = undefined;
    return 0;
  }

  protected sysLookup(key: Uint8Array): HostValue | number {
    const v = this.slots[BaseMap.index(key)];
    return v === undefined ? -ERRNO.ENOENT : v.slice();
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

  /** cpu_map_get_next_key (array order). */
  override nextKey(key?: Uint8Array): Uint8Array | undefined {
    const i = key === undefined ? 0xffffffff : BaseMap.index(key);
    if (i >= this.maxEntries) return le32(0);
    return i === this.maxEntries - 1 ? undefined : le32(i + 1);
  }
}
