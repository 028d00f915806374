/**
 * @fileoverview Helpers that tie maps to the skb's socket (net/core/filter.c,
 * net/core/bpf_sk_storage.c): bpf_skb_under_cgroup (cgroup arrays) and bpf_sk_storage_get /
 * bpf_sk_storage_delete (sk_storage maps). A socket argument is a `bpf_sock` region: skb->sk
 * (the test run's socket) or one a lookup returned from the socket table.
 */
import type { CalleeName } from './args.js';
import { type HelperFamily } from './family.js';
import { HELPER_IDS } from '../../vm/helpers.js';
import { Memory } from '../../vm/memory.js';
import type { HelperCall, HelperFn } from '../../vm/program.js';
import { CgroupArrayMap } from '../maps/cgroup-array.js';
import { SkStorageMap } from '../maps/sk-storage.js';
import type { SkbSock } from '../skb/skb.js';
import { ERRNO } from '../uapi.js';
import { argMem, argU32, argU64, helperFault, setR0, setR0Ptr } from './args.js';
import { argMap } from './maps.js';
import { skbState } from './skb-common.js';

/** BPF_SK_STORAGE_GET_F_CREATE. */
const BPF_SK_STORAGE_GET_F_CREATE = 1n;
const TCP_TIME_WAIT = 6;
const TCP_NEW_SYN_RECV = 12;

/** sk_fullsock(): neither a timewait nor a request socket. */
const fullsock = (sk: SkbSock): boolean => sk.state !== TCP_TIME_WAIT && sk.state !== TCP_NEW_SYN_RECV;

/** The socket behind register `n` (NULL: undefined). */
function argSock(call: HelperCall, n: number, helper: CalleeName): SkbSock | undefined {
  const hi = call.regs.hi[n];
  if (hi === 0 && call.regs.lo[n] === 0) return undefined;
  const region = call.mem.regionOf(hi);
  if (region === undefined || region.label !== 'bpf_sock' || region.kind !== 'ctx') {
    throw helperFault(call, helper, `argument r${n} is not a socket`);
  }
  const st = skbState(call, helper);
  if (region === st.sock || region === st.fullSock) return st.skb.sk ?? undefined;
  return region.owner as SkbSock;
}

/** bpf_skb_under_cgroup(skb, map, index): no cgroup is ever in a cgroup array here. */
const skbUnderCgroup: HelperFn = (call) => {
  const st = skbState(call, 'bpf_skb_under_cgroup');
  const map = argMap(call, 2, 'bpf_skb_under_cgroup');
  if (!(map instanceof CgroupArrayMap)) throw helperFault(call, 'bpf_skb_under_cgroup', `map ${map.name} is not a cgroup array`);
  const idx = argU32(call, 3);
  const sk = st.skb.sk;
  if (!sk || !fullsock(sk)) return setR0(call, -ERRNO.ENOENT);
  if (idx >= map.maxEntries) return setR0(call, -ERRNO.E2BIG);
  if (!map.hasCgroup(idx)) return setR0(call, -ERRNO.EAGAIN);
  return setR0(call, 0);
};

function skStorageMap(call: HelperCall, helper: CalleeName): SkStorageMap {
  const map = argMap(call, 1, helper);
  if (!(map instanceof SkStorageMap)) throw helperFault(call, helper, `map ${map.name} is not an sk_storage map`);
  return map;
}

/** bpf_sk_storage_get(map, sk, value, flags). */
const skStorageGet: HelperFn = (call) => {
  const map = skStorageMap(call, 'bpf_sk_storage_get');
  const sk = argSock(call, 2, 'bpf_sk_storage_get');
  const flags = argU64(call, 4);
  if (sk === undefined || !fullsock(sk) || flags > BPF_SK_STORAGE_GET_F_CREATE) return setR0Ptr(call, 0, 0);
  let r = map.storageOf(sk);
  if (r === undefined && flags === BPF_SK_STORAGE_GET_F_CREATE) {
    const hasInit = call.regs.hi[3] !== 0 || call.regs.lo[3] !== 0;
    r = map.create(sk, hasInit ? argMem(call, 3, map.valueSize, false, 'bpf_sk_storage_get') : undefined);
  }
  if (r === undefined) return setR0Ptr(call, 0, 0);
  setR0Ptr(call, r.hi, Memory.lo(0));
};

/** bpf_sk_storage_delete(map, sk). */
const skStorageDelete: HelperFn = (call) => {
  const map = skStorageMap(call, 'bpf_sk_storage_delete');
  const sk = argSock(call, 2, 'bpf_sk_storage_delete');
  if (sk === undefined || !fullsock(sk)) return setR0(call, -ERRNO.EINVAL);
  setR0(call, map.remove(sk));
};

export const skMapHelpers: HelperFamily = {
  [HELPER_IDS.bpf_skb_under_cgroup]: skbUnderCgroup,
  [HELPER_IDS.bpf_sk_storage_get]: skStorageGet,
  [HELPER_IDS.bpf_sk_storage_delete]: skStorageDelete,
};
