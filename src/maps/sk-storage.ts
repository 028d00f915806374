/**
 * @fileoverview BPF_MAP_TYPE_SK_STORAGE (net/core/bpf_sk_storage.c, kernel/bpf/bpf_local_storage.c):
 * one value per socket, created on demand by bpf_sk_storage_get(..., BPF_SK_STORAGE_GET_F_CREATE)
 * and removed by bpf_sk_storage_delete. Sockets are tcxlab's: the test run's skb->sk (a fresh
 * socket per run, as bpf_prog_test_run_skb allocates one) and those of the socket table
 * (SkbEnv.socketLookup); storage lives as long as the socket object does (a WeakMap).
 *
 * The host side names a socket by fd, which tcxlab does not have: lookup, update and delete are
 * EBADF, get_next_key ENOTSUPP (notsupp_get_next_key). Programs reach the map only through the
 * sk_storage helpers (the verifier refuses bpf_map_lookup_elem on it).
 */
import type { Region } from '../../vm/memory.js';
import type { SkbSock } from '../skb/skb.js';
import { ERRNO } from '../uapi.js';
import { BaseMap, throwErrno } from './base.js';
import type { DumpOptions, HostValue, MapDump } from './types.js';

export class SkStorageMap extends BaseMap {
  private readonly bySock = new WeakMap<SkbSock, Region>();

  lookupElem(_key: Uint8Array, _cpu: number): Region | undefined {
    return undefined;
  }

  /** bpf_sk_storage_lookup: the socket's value, if it has one. */
  storageOf(sk: SkbSock): Region | undefined {
    return this.bySock.get(sk);
  }

  /** bpf_local_storage_update(BPF_NOEXIST) for a socket without storage: `init` or zeros. */
  create(sk: SkbSock, init: Uint8Array | undefined): Region {
    const bytes = new Uint8Array(this.valueSize);
    if (init !== undefined) this.copyValue(bytes, 0, init);
    const r = this.allocValues(bytes, 'sk storage');
    this.bySock.set(sk, r);
    return r;
  }

  /** bpf_sk_storage_del: 0, or -ENOENT when the socket has no storage in this map. */
  remove(sk: SkbSock): number {
    const r = this.bySock.get(sk);
    if (r === undefined) return -ERRNO.ENOENT;
    this.bySock.delete(sk);
    this.env.mem.release(r);
    return 0;
  }

  protected sysLookup(_key: Uint8Array): HostValue | number {
    return -ERRNO.EBADF;
  }

  protected sysUpdate(_key: Uint8Array, _value: Uint8Array, _flags: number): number {
    return -ERRNO.EBADF;
  }

  protected sysDelete(_key: Uint8Array): number {
    return -ERRNO.EBADF;
  }

  /** Nothing can be listed from the host. */
  keys(): Uint8Array[] {
    return [];
  }

  /** The oracle cannot walk it: get_next_key fails with ENOTSUPP (kernel golden maps_net). */
  override dumpJson(opts: DumpOptions = {}): MapDump {
    const d = super.dumpJson(opts);
    const { entries: _e, ...head } = d;
    return { ...head, dump_err: ERRNO.ENOTSUPP, dump_errname: 'ENOTSUPP', entries: [] };
  }

  /** notsupp_get_next_key. */
  override nextKey(_key?: Uint8Array): Uint8Array | undefined {
    return throwErrno(this, 'get_next_key', -ERRNO.ENOTSUPP);
  }
}
