/**
 * @fileoverview BPF_MAP_TYPE_CGROUP_ARRAY (kernel/bpf/arraymap.c cgroup_array_map_ops): cgroups
 * by index, for bpf_skb_under_cgroup. Slots hold cgroups the host names by fd; tcxlab has no
 * cgroup fds, so every slot stays empty (update: EBADF, cgroup_fd_array_get_ptr). The other
 * answers are the fd array's: host lookups are ENOTSUPP (no map_fd_sys_lookup_elem), deletes
 * E2BIG out of range and ENOENT when empty, get_next_key in index order. Programs cannot look
 * it up (the verifier allows only bpf_skb_under_cgroup and bpf_current_task_under_cgroup).
 */
import type { Region } from '../../vm/memory.js';
import { BPF_ANY, ERRNO } from '../uapi.js';
import { BaseMap } from './base.js';
import { le32 } from './bytes.js';
import type { HostValue } from './types.js';

export class CgroupArrayMap extends BaseMap {
  lookupElem(_key: Uint8Array, _cpu: number): Region | undefined {
    return undefined;
  }

  /** The cgroup in slot `index` (always none), for bpf_skb_under_cgroup. */
  hasCgroup(_index: number): boolean {
    return false;
  }

  protected sysLookup(_key: Uint8Array): HostValue | number {
    return -ERRNO.ENOTSUPP;
  }

  /** bpf_fd_array_map_update_elem: BPF_ANY only, index in range, then the fd. */
  protected sysUpdate(key: Uint8Array, _value: Uint8Array, flags: number): number {
    if (flags !== BPF_ANY) return -ERRNO.EINVAL;
    if (BaseMap.index(key) >= this.maxEntries) return -ERRNO.E2BIG;
    return -ERRNO.EBADF;
  }

  /** fd_array_map_delete_elem. */
  protected sysDelete(key: Uint8Array): number {
    return BaseMap.index(key) >= this.maxEntries ? -ERRNO.E2BIG : -ERRNO.ENOENT;
  }

  keys(limit = Infinity): Uint8Array[] {
    const out: Uint8Array[] = [];
    for (let i = 0; i < Math.min(this.maxEntries, limit); i++) out.push(le32(i));
    return out;
  }

  /** array_map_get_next_key. */
  override nextKey(key?: Uint8Array): Uint8Array | undefined {
    const i = key === undefined || key.length !== 4 ? this.maxEntries : BaseMap.index(key);
    if (i >= this.maxEntries) return le32(0);
    return i + 1 < this.maxEntries ? le32(i + 1) : undefined;
  }
}
