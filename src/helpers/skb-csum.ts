/**
 * @fileoverview Checksum helpers (net/core/filter.c, include/net/checksum.h, net/core/utils.c):
 * l3_csum_replace, l4_csum_replace, csum_diff, csum_update, csum_level.
 * Spec: docs/skb-and-helpers.md §6. Field values are read and written as raw little-endian u16
 * memory, exactly like the kernel's `__sum16 *` accesses.
 */
import { type HelperFamily } from './family.js';
import { HELPER_IDS } from '../../vm/helpers.js';
import { readsArgsOnly, type HelperFn } from '../../vm/program.js';
import { add16, add32, csumPartial, fold, from32to16, rd16, sub32, wr16 } from '../skb/csum.js';
import { CHECKSUM_COMPLETE, CHECKSUM_NONE, CHECKSUM_PARTIAL, CHECKSUM_UNNECESSARY, SKB_MAX_CSUM_LEVEL, type Skb } from '../skb/skb.js';
import { ERRNO } from '../uapi.js';
import { argIsNull, argMem, argU32, setR0 } from './args.js';
import { argHalves, ret, skbState } from './skb-common.js';

export const BPF_F_HDR_FIELD_MASK = 0xf;
export const BPF_F_PSEUDO_HDR = 1 << 4;
export const BPF_F_MARK_MANGLED_0 = 1 << 5;
export const BPF_F_MARK_ENFORCE = 1 << 6;
export const BPF_F_IPV6 = 1 << 7;
/** CSUM_MANGLED_0: what a zero UDP checksum is written as. */
const CSUM_MANGLED_0 = 0xffff;

/** Offset checks shared by l3/l4: > 0xffff or odd → EFAULT; field must fit (bpf_try_make_writable). */
function fieldOffset(skb: Skb, off: number): number {
  if (off > 0xffff || off & 1) return -ERRNO.EFAULT;
  if (off + 2 > skb.len) return -ERRNO.EFAULT;
  return skb.data + off;
}

/** bpf_l3_csum_replace(skb, u32 off, u64 from, u64 to, u64 flags). */
export const l3CsumReplace: HelperFn = readsArgsOnly((call) => {
  const { skb } = skbState(call, 'bpf_l3_csum_replace');
  const off = argU32(call, 2);
  const fromLo = call.regs.lo[3] >>> 0;
  const fromHi = call.regs.hi[3];
  const toLo = call.regs.lo[4] >>> 0;
  const flo = call.regs.lo[5] >>> 0;
  const fhi = call.regs.hi[5];
  if (fhi !== 0 || (flo & ~BPF_F_HDR_FIELD_MASK) !== 0) return ret(call, -ERRNO.EINVAL);
  const at = fieldOffset(skb, off);
  if (at < 0) return ret(call, at);
  const field = rd16(skb.buf, at);
  switch (flo & BPF_F_HDR_FIELD_MASK) {
    case 0:
      if (fromLo !== 0 || fromHi !== 0) return ret(call, -ERRNO.EINVAL);
      // csum_replace_by_diff: fold(diff + ~unfold(field)), 32-bit.
      wr16(skb.buf, at, fold(add32(toLo, ~field >>> 0)));
      break;
    case 2:
      // csum_replace2: RFC 1624 in 16 bits: ~(~field + ~from + to).
      wr16(skb.buf, at, ~add16(add16(~field & 0xffff, ~fromLo & 0xffff), toLo & 0xffff) & 0xffff);
      break;
    case 4:
      wr16(skb.buf, at, csumReplace4(field, fromLo, toLo));
      break;
    default:
      return ret(call, -ERRNO.EINVAL);
  }
  ret(call, 0);
});

/** csum_replace4 with the field read as u16: fold(add32(add32(~(u32)field, ~from), to)). */
export function csumReplace4(field: number, from: number, to: number): number {
  return fold(add32(add32(~field >>> 0, ~from >>> 0), to >>> 0));
}

/** bpf_l4_csum_replace(skb, u32 off, u64 from, u64 to, u64 flags). */
export const l4CsumReplace: HelperFn = readsArgsOnly((call) => {
  const { skb } = skbState(call, 'bpf_l4_csum_replace');
  const off = argU32(call, 2);
  const fromLo = call.regs.lo[3] >>> 0;
  const fromHi = call.regs.hi[3];
  const toLo = call.regs.lo[4] >>> 0;
  const flo = call.regs.lo[5] >>> 0;
  const fhi = call.regs.hi[5];
  const allowed = BPF_F_MARK_MANGLED_0 | BPF_F_MARK_ENFORCE | BPF_F_PSEUDO_HDR | BPF_F_HDR_FIELD_MASK | BPF_F_IPV6;
  if (fhi !== 0 || (flo & ~allowed) !== 0) return ret(call, -ERRNO.EINVAL);
  const at = fieldOffset(skb, off);
  if (at < 0) return ret(call, at);
  const isPseudo = (flo & BPF_F_PSEUDO_HDR) !== 0;
  const isMmzero = (flo & BPF_F_MARK_MANGLED_0) !== 0;
  const isIpv6 = (flo & BPF_F_IPV6) !== 0;
  let field = rd16(skb.buf, at);
  if (isMmzero && !(flo & BPF_F_MARK_ENFORCE) && field === 0) return ret(call, 0);
  switch (flo & BPF_F_HDR_FIELD_MASK) {
    case 0: {
      if (fromLo !== 0 || fromHi !== 0) return ret(call, -ERRNO.EINVAL);
      // inet_proto_csum_replace_by_diff
      const diff = toLo;
      if (skb.ipSummed !== CHECKSUM_PARTIAL) {
        field = fold(add32(diff, ~field >>> 0));
        if (skb.ipSummed === CHECKSUM_COMPLETE && isPseudo && !isIpv6) skb.csum = ~sub32(diff, skb.csum) >>> 0;
      } else if (isPseudo) {
        field = ~fold(add32(diff, field)) & 0xffff;
      }
      break;
    }
    case 2:
    case 4: {
      // inet_proto_csum_replace2 widens the be16 values and calls replace4.
      const from = (flo & 0xf) === 2 ? fromLo & 0xffff : fromLo;
      const to = (flo & 0xf) === 2 ? toLo & 0xffff : toLo;
      if (skb.ipSummed !== CHECKSUM_PARTIAL) {
        field = csumReplace4(field, from, to);
        if (skb.ipSummed === CHECKSUM_COMPLETE && isPseudo) skb.csum = ~add32(sub32(~skb.csum >>> 0, from), to) >>> 0;
      } else if (isPseudo) {
        field = ~fold(add32(sub32(field, from), to)) & 0xffff;
      }
      break;
    }
    default:
      return ret(call, -ERRNO.EINVAL);
  }
  if (isMmzero && field === 0) field = CSUM_MANGLED_0;
  wr16(skb.buf, at, field);
  ret(call, 0);
});

/**
 * bpf_csum_diff(from, u32 from_size, to, u32 to_size, __wsum seed), 6.13+ form: any sizes, NULL
 * allowed with size 0, result folded to 16 bits without inversion (the seed alone too).
 */
export const csumDiff: HelperFn = (call) => {
  const fromSize = argU32(call, 2);
  const toSize = argU32(call, 4);
  const seed = argU32(call, 5);
  const from = fromSize === 0 && argIsNull(call, 1) ? new Uint8Array(0) : argMem(call, 1, fromSize, false, 'bpf_csum_diff');
  const to = toSize === 0 && argIsNull(call, 3) ? new Uint8Array(0) : argMem(call, 3, toSize, false, 'bpf_csum_diff');
  let r: number;
  if (fromSize && toSize) r = from32to16(sub32(csumPartial(to, seed), csumPartial(from, 0)));
  else if (toSize) r = from32to16(csumPartial(to, seed));
  else if (fromSize) r = from32to16(~csumPartial(from, ~seed >>> 0) >>> 0);
  else r = from32to16(seed);
  setR0(call, r >>> 0);
  call.regs.hi[0] = 0;
};

/** bpf_csum_update(skb, __wsum csum): only meaningful with CHECKSUM_COMPLETE. */
export const csumUpdate: HelperFn = (call) => {
  const { skb } = skbState(call, 'bpf_csum_update');
  if (skb.ipSummed !== CHECKSUM_COMPLETE) return ret(call, -ERRNO.ENOTSUPP);
  skb.csum = add32(skb.csum, argU32(call, 2));
  // The new __wsum, returned as a u32 (s64 of a u32: no sign extension).
  call.regs.lo[0] = skb.csum | 0;
  call.regs.hi[0] = 0;
};

export const BPF_CSUM_LEVEL_QUERY = 0;
export const BPF_CSUM_LEVEL_INC = 1;
export const BPF_CSUM_LEVEL_DEC = 2;
export const BPF_CSUM_LEVEL_RESET = 3;

/** bpf_csum_level(skb, u64 level). */
export const csumLevel: HelperFn = (call) => {
  const { skb } = skbState(call, 'bpf_csum_level');
  const [lo, hi] = argHalves(call, 2);
  const level = hi !== 0 ? -1 : lo;
  switch (level) {
    case BPF_CSUM_LEVEL_INC:
      if (skb.ipSummed === CHECKSUM_UNNECESSARY) {
        if (skb.csumLevel < SKB_MAX_CSUM_LEVEL) skb.csumLevel++;
      } else if (skb.ipSummed === CHECKSUM_NONE) {
        skb.ipSummed = CHECKSUM_UNNECESSARY;
        skb.csumLevel = 0;
      }
      return ret(call, 0);
    case BPF_CSUM_LEVEL_DEC:
      if (skb.ipSummed === CHECKSUM_UNNECESSARY) {
        if (skb.csumLevel === 0) skb.ipSummed = CHECKSUM_NONE;
        else skb.csumLevel--;
      }
      return ret(call, 0);
    case BPF_CSUM_LEVEL_RESET:
      if (skb.ipSummed === CHECKSUM_UNNECESSARY) {
        skb.ipSummed = CHECKSUM_NONE;
        skb.csumLevel = 0;
      }
      return ret(call, 0);
    case BPF_CSUM_LEVEL_QUERY:
      return ret(call, skb.ipSummed === CHECKSUM_UNNECESSARY ? skb.csumLevel : -ERRNO.EACCES);
    default:
      return ret(call, -ERRNO.EINVAL);
  }
};

export const skbCsumHelpers: HelperFamily = {
  [HELPER_IDS.bpf_l3_csum_replace]: l3CsumReplace,
  [HELPER_IDS.bpf_l4_csum_replace]: l4CsumReplace,
  [HELPER_IDS.bpf_csum_diff]: csumDiff,
  [HELPER_IDS.bpf_csum_update]: csumUpdate,
  [HELPER_IDS.bpf_csum_level]: csumLevel,
};
