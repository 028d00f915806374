/**
 * @fileoverview BPF_MAP_TYPE_SOCKMAP and BPF_MAP_TYPE_SOCKHASH (net/core/sock_map.c): sockets
 * by index or by key, for sk_msg / sk_skb redirection.
 *
 * tcxlab has no socket file descriptors and no psock (the sk_msg/sk_skb machinery), so both
 * maps stay empty: the host's update names a socket by fd, which is EBADF here (EINVAL above
 * S32_MAX, as sock_map_update_elem_sys checks first), and a tc program's bpf_map_update_elem
 * with a socket from a lookup answers -EOPNOTSUPP (see README "Differences from Linux").
 * Everything else is the kernel's: lookups (NULL from programs; ENOSPC from the host when
 * value_size is 4, as only a u64 cookie can be returned, else ENOENT), deletes (sockmap:
 * EINVAL for an index out of range or an empty slot; sockhash: ENOENT) and get_next_key.
 */
import type { Region } from '../../vm/memory.js';
import { BPF_EXIST, ERRNO, S32_MAX } from '../uapi.js';
import { BaseMap } from './base.js';
import { le32 } from './bytes.js';
import type { HostValue } from './types.js';


/** What both socket maps share: no sockets, and the syscall update's fd checks. */
abstract class SockMapBase extends BaseMap {
  lookupElem(_key: Uint8Array, _cpu: number): Region | undefined {
    return undefined; // no socket is ever stored (sock_map_lookup on an empty slot)
  }

  /** bpf_map_update_elem from a program with a socket (sock_map_update_elem). */
  updateSock(flags: number): number {
    if (!(flags >= 0 && flags <= BPF_EXIST)) return -ERRNO.EINVAL;
    return -ERRNO.EOPNOTSUPP; // tcxlab cannot attach a psock to the socket
  }

  /** sock_map_update_elem_sys: the value is a socket fd (u32, or u64 when value_size is 8). */
  protected sysUpdate(_key: Uint8Array, value: Uint8Array, _flags: number): number {
    const dv = new DataView(value.buffer, value.byteOffset, value.byteLength);
    const fd = this.valueSize === 8 ? dv.getBigUint64(0, true) : BigInt(dv.getUint32(0, true));
    if (fd > BigInt(S32_MAX)) return -ERRNO.EINVAL;
    return -ERRNO.EBADF; // sockfd_lookup: tcxlab has no file descriptors
  }

  /** sock_map_lookup_sys / sock_hash_lookup_sys: only a u64 (the socket cookie) can be returned. */
  protected sysLookup(_key: Uint8Array): HostValue | number {
    return this.valueSize !== 8 ? -ERRNO.ENOSPC : -ERRNO.ENOENT;
  }
}

export class SockMap extends SockMapBase {
  /** sock_map_delete_elem: EINVAL out of range, and EINVAL for an empty slot (__sock_map_delete). */
  override deleteElem(_key: Uint8Array, _cpu: number): number {
    return -ERRNO.EINVAL;
  }

  protected sysDelete(key: Uint8Array): number {
    return this.deleteElem(key, this.hostCpu);
  }

  keys(limit = Infinity): Uint8Array[] {
    const out: Uint8Array[] = [];
    for (let i = 0; i < Math.min(this.maxEntries, limit); i++) out.push(le32(i));
    return out;
  }

  /** sock_map_get_next_key (array order). */
  override nextKey(key?: Uint8Array): Uint8Array | undefined {
    const i = key === undefined ? 0xffffffff : BaseMap.index(key);
    if (i === this.maxEntries - 1) return undefined;
    return le32(i >= this.maxEntries ? 0 : i + 1);
  }
}

export class SockHash extends SockMapBase {
  override deleteElem(_key: Uint8Array, _cpu: number): number {
    return -ERRNO.ENOENT;
  }

  protected sysDelete(key: Uint8Array): number {
    return this.deleteElem(key, this.hostCpu);
  }

  keys(): Uint8Array[] {
    return [];
  }

  override nextKey(_key?: Uint8Array): Uint8Array | undefined {
    return undefined;
  }
}

export function isSockMap(m: unknown): m is SockMap | SockHash {
  return m instanceof SockMapBase;
}
