/**
 * @fileoverview The dynptr kfuncs (kernel/bpf/helpers.c, net/core/filter.c): bpf_dynptr_from_skb,
 * bpf_dynptr_slice(_rdwr), adjust, is_null, is_rdonly, size, clone, copy, memset. The dynptr
 * layout and the byte access rules are those of the dynptr helpers (src/helpers/dynptr.ts).
 * Kernel answers: test/goldens/kfuncs (dynptr_skb_cases).
 */
import type { CalleeName } from '../helpers/args.js';
import { named, type KfuncFamily } from './family.js';
import type { HelperCall, HelperFn } from '../../vm/program.js';
import { ERRNO } from '../uapi.js';
import { argIsNull, argMem, argU32, argU64, helperFault, setR0, setR0Ptr } from '../helpers/args.js';
import {
  BPF_DYNPTR_TYPE,
  bytesAt,
  copyDynptr,
  initDynptr,
  isNull,
  offLenOk,
  pointerAt,
  readDynptr,
  setNull,
  setSizeOffset,
  writeAt,
  type Dynptr,
} from '../helpers/dynptr.js';
import { skbState } from '../helpers/skb-common.js';
import { Memory } from '../../vm/memory.js';

/** bpf_dynptr_from_skb(skb, flags, ptr__uninit): an SKB dynptr over skb->len bytes from skb->data. */
export const dynptrFromSkb: HelperFn = (c) => {
  const st = skbState(c, 'bpf_dynptr_from_skb');
  if (c.regs.hi[1] !== st.ctx.hi) throw helperFault(c, 'bpf_dynptr_from_skb', 'argument r1 is not the context');
  const out = readDynptr(c, 3, 'bpf_dynptr_from_skb');
  if (argU64(c, 2) !== 0n) {
    setNull(out.view);
    return setR0(c, -ERRNO.EINVAL);
  }
  // The kernel keeps the skb pointer in `data`; ours is the ctx address (helpers/dynptr.ts).
  initDynptr(out, st.ctx.hi, Memory.lo(0), BPF_DYNPTR_TYPE.SKB, st.skb.len);
  setR0(c, 0);
};

/**
 * bpf_dynptr_from_skb_meta(skb, flags, ptr__uninit): an SKB_META dynptr over the metadata in front
 * of the packet (empty in a test run) [measured: writable in a test run].
 */
export const dynptrFromSkbMeta: HelperFn = (c) => {
  const st = skbState(c, 'bpf_dynptr_from_skb_meta');
  if (c.regs.hi[1] !== st.ctx.hi) throw helperFault(c, 'bpf_dynptr_from_skb_meta', 'argument r1 is not the context');
  const out = readDynptr(c, 3, 'bpf_dynptr_from_skb_meta');
  if (argU64(c, 2) !== 0n) {
    setNull(out.view);
    return setR0(c, -ERRNO.EINVAL);
  }
  initDynptr(out, st.ctx.hi, Memory.lo(0), BPF_DYNPTR_TYPE.SKB_META, st.skb.metaLen);
  setR0(c, 0);
};

/** bpf_dynptr_slice: a pointer to [offset, +len) or NULL; `buffer__opt` is never needed (linear skb). */
function slice(rdwr: boolean, name: CalleeName): HelperFn {
  return (c) => {
    const d = readDynptr(c, 1, name);
    const offset = argU32(c, 2);
    const len = argU32(c, 4);
    if (!argIsNull(c, 3)) argMem(c, 3, len, true, name);
    if (isNull(d) || (rdwr && d.rdonly) || !offLenOk(d, offset, len)) return setR0Ptr(c, 0, 0);
    // An SKB dynptr whose skb shrank since: skb_header_pointer fails.
    if (len > 0 && bytesAt(c, d, offset, len, false, name).length !== len) return setR0Ptr(c, 0, 0);
    const [hi, lo] = pointerAt(c, d, offset, name);
    setR0Ptr(c, hi, lo);
  };
}

/** bpf_dynptr_adjust(p, start, end): -EINVAL for null or start > end, -ERANGE for end > size [measured order]. */
const dynptrAdjust: HelperFn = (c) => {
  const d = readDynptr(c, 1, 'bpf_dynptr_adjust');
  const start = argU32(c, 2);
  const end = argU32(c, 3);
  if (isNull(d) || start > end) return setR0(c, -ERRNO.EINVAL);
  if (end > d.size) return setR0(c, -ERRNO.ERANGE);
  setSizeOffset(d, end - start, d.offset + start);
  setR0(c, 0);
};

const dynptrIsNull: HelperFn = (c) => setR0(c, isNull(readDynptr(c, 1, 'bpf_dynptr_is_null')) ? 1 : 0);

const dynptrIsRdonly: HelperFn = (c) => {
  const d = readDynptr(c, 1, 'bpf_dynptr_is_rdonly');
  setR0(c, !isNull(d) && d.rdonly ? 1 : 0);
};

/** bpf_dynptr_size: the u32 return of -EINVAL for a null dynptr [measured: 0xffffffea]. */
const dynptrSize: HelperFn = (c) => {
  const d = readDynptr(c, 1, 'bpf_dynptr_size');
  setR0(c, isNull(d) ? (-ERRNO.EINVAL >>> 0) : d.size);
};

/** bpf_dynptr_clone(p, clone__uninit): a copy; a null source nulls the clone (-EINVAL). */
const dynptrClone: HelperFn = (c) => {
  const d = readDynptr(c, 1, 'bpf_dynptr_clone');
  const out = readDynptr(c, 2, 'bpf_dynptr_clone');
  if (isNull(d)) {
    setNull(out.view);
    return setR0(c, -ERRNO.EINVAL);
  }
  copyDynptr(d, out);
  setR0(c, 0);
};

const writable = (d: Dynptr): boolean => !isNull(d) && !d.rdonly;

/** bpf_dynptr_copy(dst, dst_off, src, src_off, size). */
const dynptrCopy: HelperFn = (c) => {
  const name = 'bpf_dynptr_copy';
  const dst = readDynptr(c, 1, name);
  const dstOff = argU32(c, 2);
  const src = readDynptr(c, 3, name);
  const srcOff = argU32(c, 4);
  const size = argU32(c, 5);
  if (!writable(dst) || isNull(src)) return setR0(c, -ERRNO.EINVAL);
  if (!offLenOk(dst, dstOff, size) || !offLenOk(src, srcOff, size)) return setR0(c, -ERRNO.E2BIG);
  const bytes = bytesAt(c, src, srcOff, size, false, name);
  if (bytes.length !== size) return setR0(c, -ERRNO.EFAULT);
  setR0(c, writeAt(c, dst, dstOff, bytes.slice(), 0n, name));
};

/** bpf_dynptr_memset(p, offset, size, val). */
const dynptrMemset: HelperFn = (c) => {
  const name = 'bpf_dynptr_memset';
  const d = readDynptr(c, 1, name);
  const offset = argU32(c, 2);
  const size = argU32(c, 3);
  if (!writable(d)) return setR0(c, -ERRNO.EINVAL);
  if (!offLenOk(d, offset, size)) return setR0(c, -ERRNO.E2BIG);
  setR0(c, writeAt(c, d, offset, new Uint8Array(size).fill(c.regs.lo[4] & 0xff), 0n, name));
};

export const dynptrKfuncs = {
  bpf_dynptr_from_skb: dynptrFromSkb,
  bpf_dynptr_from_skb_meta: dynptrFromSkbMeta,
  ...named('bpf_dynptr_slice', (n) => slice(false, n)),
  ...named('bpf_dynptr_slice_rdwr', (n) => slice(true, n)),
  bpf_dynptr_adjust: dynptrAdjust,
  bpf_dynptr_is_null: dynptrIsNull,
  bpf_dynptr_is_rdonly: dynptrIsRdonly,
  bpf_dynptr_size: dynptrSize,
  bpf_dynptr_clone: dynptrClone,
  bpf_dynptr_copy: dynptrCopy,
  bpf_dynptr_memset: dynptrMemset,
} satisfies KfuncFamily;

export type { HelperCall };
