/**
 * @fileoverview Packet byte helpers (net/core/filter.c): skb_load_bytes, skb_load_bytes_relative,
 * skb_store_bytes, skb_pull_data. Offsets count from skb->data (the MAC header for tc).
 * Spec: docs/skb-and-helpers.md §5.
 */
import { type HelperFamily } from './family.js';
import { HELPER_IDS } from '../../vm/helpers.js';
import { readsArgsOnly, type HelperFn } from '../../vm/program.js';
import { blockAdd, blockSub, csumPartial } from '../skb/csum.js';
import { CHECKSUM_COMPLETE } from '../skb/skb.js';
import { ERRNO } from '../uapi.js';
import { argMem, argMemAt, argU32 } from './args.js';
import { ret, skbState } from './skb-common.js';

const INT_MAX = 0x7fffffff;
export const BPF_F_RECOMPUTE_CSUM = 1 << 0;
export const BPF_F_INVALIDATE_HASH = 1 << 1;
export const BPF_HDR_START_MAC = 0;
export const BPF_HDR_START_NET = 1;

/** bpf_skb_load_bytes(skb, u32 off, to, u32 len): a failed load zero-fills `to`. */
export const skbLoadBytes: HelperFn = (call) => {
  const { skb } = skbState(call, 'bpf_skb_load_bytes');
  const off = argU32(call, 2);
  const len = argU32(call, 4);
  if (len === 0) {
    // (A zero-size buffer is not checked: argMem.)
    return ret(call, off > INT_MAX || off > skb.len ? -ERRNO.EFAULT : 0);
  }
  // The destination as (bytes, offset): the program's buffer is at a different stack place at
  // each call site, and a view per place would be an allocation.
  const to = argMemAt(call, 3, len, true, 'bpf_skb_load_bytes').bytes;
  const at = call.mem.lastOffset;
  // skb_header_pointer: the whole range must lie inside skb->len.
  if (off > INT_MAX || off + len > skb.len) {
    to.fill(0, at, at + len);
    return ret(call, -ERRNO.EFAULT);
  }
  copyFrom(to, at, len, skb.buf, skb.data + off);
  ret(call, 0);
};

/**
 * to.set(src.subarray(from, from + n), at) without the subarray (an allocation per call) when
 * the two do not share a buffer, so a byte loop cannot read what it wrote; a header load is a
 * few dozen bytes.
 */
function copyFrom(to: Uint8Array, at: number, n: number, src: Uint8Array, from: number): void {
  if (n > 64 || sharesBuffer(to, src)) {
    to.set(src.subarray(from, from + n), at);
    return;
  }
  for (let k = 0; k < n; k++) to[at + k] = src[from + k];
}

/**
 * `a.buffer === b.buffer`, remembered for the last pair of arrays: the `buffer` getter is a C++
 * builtin call (~200 instructions), and a repeated run passes the same stack and packet arrays
 * every time. A typed array's buffer never changes, so the answer for the same pair stays true.
 */
function sharesBuffer(a: Uint8Array, b: Uint8Array): boolean {
  if (a !== lastA || b !== lastB) {
    lastA = a;
    lastB = b;
    lastShared = a.buffer === b.buffer;
  }
  return lastShared;
}
let lastA: Uint8Array | undefined;
let lastB: Uint8Array | undefined;
let lastShared = false;

/** bpf_skb_load_bytes_relative(skb, off, to, len, start_header): linear area only. */
export const skbLoadBytesRelative: HelperFn = (call) => {
  const { skb } = skbState(call, 'bpf_skb_load_bytes_relative');
  const off = argU32(call, 2);
  const len = argU32(call, 4);
  const start = argU32(call, 5);
  const to = argMem(call, 3, len, true, 'bpf_skb_load_bytes_relative');
  let base = -1;
  if (off <= 0xffff) {
    if (start === BPF_HDR_START_MAC && skb.macHeader >= 0) base = skb.macHeader;
    else if (start === BPF_HDR_START_NET) base = skb.networkHeader;
  }
  // The start may lie before data; only the tail pointer bounds the read.
  if (base < 0 || base + off + len > skb.data + skb.len) {
    to.fill(0);
    return ret(call, -ERRNO.EFAULT);
  }
  to.set(skb.buf.subarray(base + off, base + off + len));
  ret(call, 0);
};

const STORE_SCRATCH = new Uint8Array(16);

/** bpf_skb_store_bytes(skb, u32 off, from, u32 len, u64 flags). */
export const skbStoreBytes: HelperFn = readsArgsOnly((call) => {
  const { skb } = skbState(call, 'bpf_skb_store_bytes');
  const off = argU32(call, 2);
  const len = argU32(call, 4);
  const flo = call.regs.lo[5];
  const fhi = call.regs.hi[5];
  const from = argMem(call, 3, len, false, 'bpf_skb_store_bytes');
  if (fhi !== 0 || (flo & ~(BPF_F_RECOMPUTE_CSUM | BPF_F_INVALIDATE_HASH)) !== 0) return ret(call, -ERRNO.EINVAL);
  // bpf_try_make_writable(skb, off + len) with a u32 sum.
  if (off > INT_MAX || ((off + len) >>> 0) > skb.len) return ret(call, -ERRNO.EFAULT);
  const at = skb.data + off;
  const buf = skb.buf;
  const recompute = (flo & BPF_F_RECOMPUTE_CSUM) !== 0 && skb.ipSummed === CHECKSUM_COMPLETE;
  if (recompute) skb.csum = blockSub(skb.csum, csumPartial(buf.subarray(at, at + len)), off);
  // `from` may alias the packet: a short copy goes through a scratch buffer (two loops cost less
  // than a builtin call), a longer one through TypedArray.set, which copies as memmove does.
  if (len <= STORE_SCRATCH.length) {
    for (let i = 0; i < len; i++) STORE_SCRATCH[i] = from[i];
    for (let i = 0; i < len; i++) buf[at + i] = STORE_SCRATCH[i];
  } else {
    buf.set(from, at);
  }
  if (recompute) skb.csum = blockAdd(skb.csum, csumPartial(buf.subarray(at, at + len)), off);
  if (flo & BPF_F_INVALIDATE_HASH) skb.clearHash();
  ret(call, 0);
});

/** bpf_skb_pull_data(skb, u32 len): the test skb is linear, so only the length check remains. */
export const skbPullData: HelperFn = (call) => {
  const { skb } = skbState(call, 'bpf_skb_pull_data');
  const len = argU32(call, 2);
  // skb_ensure_writable fails with -ENOMEM when the skb is shorter than len.
  ret(call, len > skb.len ? -ERRNO.ENOMEM : 0);
};

export const skbBytesHelpers: HelperFamily = {
  [HELPER_IDS.bpf_skb_load_bytes]: skbLoadBytes,
  [HELPER_IDS.bpf_skb_load_bytes_relative]: skbLoadBytesRelative,
  [HELPER_IDS.bpf_skb_store_bytes]: skbStoreBytes,
  [HELPER_IDS.bpf_skb_pull_data]: skbPullData,
};
