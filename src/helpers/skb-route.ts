/**
 * @fileoverview Routing helpers (net/core/filter.c): fib_lookup against the emulated FIB in the
 * run state's env, and check_mtu against the emulated devices. Spec: docs/skb-and-helpers.md §11.
 */
import { type HelperFamily } from './family.js';
import { HELPER_IDS } from '../../vm/helpers.js';
import type { HelperFn } from '../../vm/program.js';
import { findDevice } from '../skb/run-state.js';
import { AF_INET, AF_INET6, ERRNO } from '../uapi.js';
import { argMem, argS32, argU32 } from './args.js';
import { argHalves, ret, skbState } from './skb-common.js';

/** sizeof(struct bpf_fib_lookup). */
export const BPF_FIB_LOOKUP_SIZE = 64;
/** BPF_FIB_LOOKUP_{DIRECT,OUTPUT,SKIP_NEIGH,TBID,SRC,MARK}. */
const BPF_FIB_LOOKUP_MASK = 0x3f;
export const BPF_FIB_LKUP_RET = {
  SUCCESS: 0,
  BLACKHOLE: 1,
  UNREACHABLE: 2,
  PROHIBIT: 3,
  NOT_FWDED: 4,
  FWD_DISABLED: 5,
  UNSUPP_LWT: 6,
  NO_NEIGH: 7,
  FRAG_NEEDED: 8,
  NO_SRC_ADDR: 9,
} as const;
/** BPF_MTU_CHK_SEGS and the check_mtu results. */
export const BPF_MTU_CHK_SEGS = 1;
export const BPF_MTU_CHK_RET_SUCCESS = 0;
export const BPF_MTU_CHK_RET_FRAG_NEEDED = 1;

/**
 * bpf_fib_lookup(skb, params, int plen, u32 flags). Without `env.fib` the emulated host has
 * forwarding disabled everywhere (the sysctl default): a known input ifindex gives
 * BPF_FIB_LKUP_RET_FWD_DISABLED, an unknown one -ENODEV.
 */
export const fibLookup: HelperFn = (call) => {
  const st = skbState(call, 'bpf_fib_lookup');
  const plen = argS32(call, 3);
  const flags = argU32(call, 4);
  if (plen < BPF_FIB_LOOKUP_SIZE) return ret(call, -ERRNO.EINVAL);
  if (flags & ~BPF_FIB_LOOKUP_MASK) return ret(call, -ERRNO.EINVAL);
  const p = argMem(call, 2, BPF_FIB_LOOKUP_SIZE, true, 'bpf_fib_lookup');
  const dv = new DataView(p.buffer, p.byteOffset, p.byteLength);
  const family = p[0];
  if (family !== AF_INET && family !== AF_INET6) return ret(call, -ERRNO.EAFNOSUPPORT);
  const checkMtu = dv.getUint16(6, true) !== 0; // tot_len (union with mtu_result)
  if (st.env.fib) {
    const r = st.env.fib(p, flags);
    if (r.ret === BPF_FIB_LKUP_RET.SUCCESS && !checkMtu) {
      // is_skb_forwardable: mtu + hard_header_len + VLAN_HLEN, GSO always fits; mtu_result is
      // written either way.
      const dev = findDevice(st.env, dv.getUint32(8, true));
      if (dev) {
        dv.setUint16(6, dev.mtu & 0xffff, true);
        if (st.skb.len > dev.mtu + dev.hardHeaderLen + 4 && !st.skb.isGso()) return ret(call, BPF_FIB_LKUP_RET.FRAG_NEEDED);
      }
    }
    return ret(call, r.ret);
  }
  const ifindex = dv.getUint32(8, true);
  if (!findDevice(st.env, ifindex)) return ret(call, -ERRNO.ENODEV);
  ret(call, BPF_FIB_LKUP_RET.FWD_DISABLED);
};

/** bpf_check_mtu(skb, u32 ifindex, u32 *mtu_len, s32 len_diff, u64 flags). */
export const checkMtu: HelperFn = (call) => {
  const st = skbState(call, 'bpf_check_mtu');
  const ifindex = argU32(call, 2);
  const mtuLen = argMem(call, 3, 4, true, 'bpf_check_mtu');
  const mdv = new DataView(mtuLen.buffer, mtuLen.byteOffset, 4);
  const lenDiff = argS32(call, 4);
  const [flo, fhi] = argHalves(call, 5);
  let r: number = BPF_MTU_CHK_RET_FRAG_NEEDED;
  let mtu = 0;
  const inLen = mdv.getUint32(0, true);
  done: {
    if (fhi !== 0 || (flo & ~BPF_MTU_CHK_SEGS) !== 0) {
      r = -ERRNO.EINVAL;
      break done;
    }
    if (flo & BPF_MTU_CHK_SEGS && (lenDiff !== 0 || inLen !== 0)) {
      r = -ERRNO.EINVAL;
      break done;
    }
    const dev = findDevice(st.env, ifindex === 0 ? st.skb.ifindex : ifindex);
    if (!dev) {
      r = -ERRNO.ENODEV;
      break done;
    }
    mtu = dev.mtu;
    const devLen = mtu + dev.hardHeaderLen;
    const skbLen = (inLen ? inLen + dev.hardHeaderLen : st.skb.len) + lenDiff;
    if (skbLen <= devLen) r = BPF_MTU_CHK_RET_SUCCESS;
    else if (st.skb.isGso()) r = BPF_MTU_CHK_RET_SUCCESS; // segment-size check not modelled
  }
  mdv.setUint32(0, mtu >>> 0, true);
  ret(call, r);
};

export const skbRouteHelpers: HelperFamily = {
  [HELPER_IDS.bpf_fib_lookup]: fibLookup,
  [HELPER_IDS.bpf_check_mtu]: checkMtu,
};
