/**
 * @fileoverview Dynamic pointers (kernel/bpf/helpers.c, kernel/bpf/ringbuf.c): dynptr_from_mem,
 * dynptr_read, dynptr_write, dynptr_data and the ring buffer dynptrs.
 *
 * A `struct bpf_dynptr` is 16 bytes on the program's stack, laid out as the kernel's
 * bpf_dynptr_kern (the verifier forbids the program from reading it directly):
 *
 *   0        8                          12        16
 *   | data   | size:24 type:4..7 rd:31 | offset  |
 *
 * `data` holds a VM address (lo, hi): the memory for LOCAL and RINGBUF dynptrs; for SKB and
 * SKB_META dynptrs (bpf_dynptr_from_skb / _skb_meta, src/kfuncs/) the `__sk_buff` ctx, standing
 * for the kernel's skb pointer: their bytes are the skb's current packet data (or metadata, which
 * sits just before it), reached through the run state at every access (the kernel goes through
 * skb_header_pointer / __bpf_skb_store_bytes). A "null" dynptr is all zeros (bpf_dynptr_set_null).
 * Kernel answers: test/goldens/helpers2 (dynptr_cases), test/goldens/kfuncs (dynptr_skb_cases,
 * meta_cases).
 */
import type { CalleeName } from './args.js';
import { byName, type HelperFamily } from './family.js';
import { HELPER_IDS as H } from '../../vm/helpers.js';
import { Memory, type Region } from '../../vm/memory.js';
import type { HelperCall, HelperFn } from '../../vm/program.js';
import { RingbufMap } from '../maps/ringbuf.js';
import { ERRNO } from '../uapi.js';
import { isSkbRunState } from '../skb/run-state.js';
import { blockAdd, blockSub, csumPartial } from '../skb/csum.js';
import { CHECKSUM_COMPLETE } from '../skb/skb.js';
import { argMem, argRegion, argSize, argU32, argU64, helperFault, setR0, setR0Ptr } from './args.js';
import { argMap } from './maps.js';
import { BPF_F_INVALIDATE_HASH, BPF_F_RECOMPUTE_CSUM } from './skb-bytes.js';

/** DYNPTR_MAX_SIZE: the size field is 24 bits. */
export const DYNPTR_MAX_SIZE = 0xffffff;
const DYNPTR_SIZE_MASK = 0xffffff;
const DYNPTR_TYPE_SHIFT = 28;
const DYNPTR_RDONLY_BIT = 0x8000_0000;
/** enum bpf_dynptr_type */
export const BPF_DYNPTR_TYPE = { INVALID: 0, LOCAL: 1, RINGBUF: 2, SKB: 3, XDP: 4, SKB_META: 5 } as const;

export interface Dynptr {
  view: DataView;
  hi: number;
  lo: number;
  size: number;
  type: number;
  rdonly: boolean;
  offset: number;
  /** Provenance of the data address (see readDynptr). */
  tag: number;
  /** Where that provenance is kept, when the dynptr is on the stack. */
  shadow?: { slots: Int32Array; slot: number };
}

/**
 * The dynptr at argument n. Its data address is memory the program could have forged, so it is
 * trusted only with the provenance a dynptr constructor recorded in the stack slot's shadow
 * (memory.ts, "Isolation"); anywhere else it carries none.
 */
export function readDynptr(c: HelperCall, n: number, name: CalleeName): Dynptr {
  const { region, offset } = argRegion(c, n, 16, true, name);
  const view = new DataView(region.bytes.buffer, region.bytes.byteOffset + offset, 16);
  const word = view.getUint32(8, true);
  return {
    view,
    shadow: region.shadow !== undefined && (offset & 7) === 0 ? { slots: region.shadow, slot: offset >> 3 } : undefined,
    tag: region.shadow !== undefined && (offset & 7) === 0 ? region.shadow[offset >> 3] : 0,
    lo: view.getInt32(0, true),
    hi: view.getInt32(4, true),
    size: word & DYNPTR_SIZE_MASK,
    type: (word >>> DYNPTR_TYPE_SHIFT) & 0x7,
    rdonly: (word & DYNPTR_RDONLY_BIT) !== 0,
    offset: view.getUint32(12, true),
  };
}
export const isNull = (d: Dynptr): boolean => (d.lo | d.hi) === 0;

/** bpf_dynptr_init: data (with its provenance), type and size; offset 0, writable. */
export function initDynptr(d: Dynptr, hi: number, lo: number, type: number, size: number): void {
  const view = d.view;
  if (d.shadow !== undefined) d.shadow.slots[d.shadow.slot] = hi;
  view.setInt32(0, lo, true);
  view.setInt32(4, hi, true);
  view.setUint32(8, (size | (type << DYNPTR_TYPE_SHIFT)) >>> 0, true);
  view.setUint32(12, 0, true);
}
/** Write back size (keeping type and rdonly) and offset: bpf_dynptr_adjust. */
export function setSizeOffset(d: Dynptr, size: number, offset: number): void {
  const word = d.view.getUint32(8, true);
  d.view.setUint32(8, ((word & ~DYNPTR_SIZE_MASK) | size) >>> 0, true);
  d.view.setUint32(12, offset >>> 0, true);
}

/** Copy dynptr `from` into `to`, provenance included (bpf_dynptr_clone). */
export function copyDynptr(from: Dynptr, to: Dynptr): void {
  for (let i = 0; i < 16; i += 4) to.view.setUint32(i, from.view.getUint32(i, true), true);
  if (to.shadow !== undefined) to.shadow.slots[to.shadow.slot] = from.tag;
}

/** bpf_dynptr_set_null. */
export const setNull = (view: DataView): void => {
  for (let i = 0; i < 16; i += 4) view.setUint32(i, 0, true);
};

/** bpf_dynptr_check_off_len: offset and len inside the usable size, else -E2BIG. */
export const offLenOk = (d: Dynptr, offset: number, len: number): boolean => offset <= d.size && len <= d.size - offset;

const isSkbType = (d: Dynptr): boolean => d.type === BPF_DYNPTR_TYPE.SKB || d.type === BPF_DYNPTR_TYPE.SKB_META;

/** The run state behind an SKB / SKB_META dynptr: the running program's, if `d` names its ctx. */
function skbOf(c: HelperCall, d: Dynptr, name: CalleeName) {
  const st = c.run;
  if (!isSkbRunState(st) || st.ctx.hi !== d.hi || d.tag !== d.hi) throw helperFault(c, name, 'argument is not a valid skb dynptr of this run');
  return st;
}

/**
 * The dynptr's bytes [offset, +len) as a view: VM memory, or the skb's packet bytes (metadata for
 * SKB_META). offLenOk must hold; an skb that shrank since the dynptr was made gives fewer bytes
 * (the kernel's skb_header_pointer fails).
 */
export function bytesAt(c: HelperCall, d: Dynptr, offset: number, len: number, write: boolean, name: CalleeName): Uint8Array {
  if (len === 0) return new Uint8Array(0);
  if (isSkbType(d)) {
    const { skb } = skbOf(c, d, name);
    const meta = d.type === BPF_DYNPTR_TYPE.SKB_META;
    if (d.offset + offset + len > (meta ? skb.metaLen : skb.len)) return new Uint8Array(0);
    const at = (meta ? skb.data - skb.metaLen : skb.data) + d.offset + offset;
    return skb.buf.subarray(at, at + len);
  }
  const v = c.mem.sliceTagged(d.hi, d.tag, (d.lo + d.offset + offset) | 0, len, write);
  if (v === undefined) throw helperFault(c, name, 'dynptr memory is no longer valid');
  return v;
}

/**
 * A direct pointer to byte `offset` of the dynptr as (hi, lo): into the packet Region (which
 * starts at data_meta) for SKB / SKB_META dynptrs — the test-run skb is linear, so
 * skb_header_pointer never copies — into the memory otherwise.
 */
export function pointerAt(c: HelperCall, d: Dynptr, offset: number, name: CalleeName): [number, number] {
  if (isSkbType(d)) {
    const st = skbOf(c, d, name);
    const base = d.type === BPF_DYNPTR_TYPE.SKB ? st.skb.metaLen : 0;
    return [st.packet.hi, Memory.lo(base + d.offset + offset)];
  }
  if (d.tag !== d.hi) throw helperFault(c, name, 'argument is not a valid dynptr');
  return [d.hi, (d.lo + d.offset + offset) | 0];
}

/** __bpf_dynptr_write's store: the SKB case is __bpf_skb_store_bytes (flags: csum and hash). */
export function writeAt(c: HelperCall, d: Dynptr, offset: number, src: Uint8Array, flags: bigint, name: CalleeName): number {
  if (d.type === BPF_DYNPTR_TYPE.SKB) {
    const { skb } = skbOf(c, d, name);
    if (flags & ~BigInt(BPF_F_RECOMPUTE_CSUM | BPF_F_INVALIDATE_HASH)) return -ERRNO.EINVAL;
    const off = d.offset + offset;
    if (off + src.length > skb.len) return -ERRNO.EFAULT;
    const at = skb.data + off;
    const copy = src.slice();
    const recompute = (flags & BigInt(BPF_F_RECOMPUTE_CSUM)) !== 0n && skb.ipSummed === CHECKSUM_COMPLETE;
    if (recompute) skb.csum = blockSub(skb.csum, csumPartial(skb.buf.subarray(at, at + copy.length)), off);
    skb.buf.set(copy, at);
    if (recompute) skb.csum = blockAdd(skb.csum, csumPartial(skb.buf.subarray(at, at + copy.length)), off);
    if (flags & BigInt(BPF_F_INVALIDATE_HASH)) skb.clearHash();
    return 0;
  }
  if (flags !== 0n) return -ERRNO.EINVAL;
  const dst = bytesAt(c, d, offset, src.length, true, name);
  if (dst.length !== src.length) return -ERRNO.EFAULT;
  dst.set(src.slice());
  return 0;
}

const dynptrFromMem: HelperFn = (c) => {
  const size = argU32(c, 2);
  const dp = readDynptr(c, 4, 'bpf_dynptr_from_mem');
  const out = dp.view;
  if (argU64(c, 3) !== 0n) {
    setNull(out);
    return setR0(c, -ERRNO.EINVAL);
  }
  if (size > DYNPTR_MAX_SIZE) {
    setNull(out);
    return setR0(c, -ERRNO.E2BIG);
  }
  argMem(c, 1, size, true, 'bpf_dynptr_from_mem');
  initDynptr(dp, c.regs.hi[1], c.regs.lo[1], BPF_DYNPTR_TYPE.LOCAL, size);
  setR0(c, 0);
};

/** bpf_dynptr_read(dst, len, src, offset, flags). */
const dynptrRead: HelperFn = (c) => {
  const len = argU32(c, 2);
  const dst = argMem(c, 1, len, true, 'bpf_dynptr_read');
  const d = readDynptr(c, 3, 'bpf_dynptr_read');
  const offset = argU32(c, 4);
  if (isNull(d) || argU64(c, 5) !== 0n) return setR0(c, -ERRNO.EINVAL);
  if (!offLenOk(d, offset, len)) return setR0(c, -ERRNO.E2BIG);
  const src = bytesAt(c, d, offset, len, false, 'bpf_dynptr_read');
  if (src.length !== len) return setR0(c, -ERRNO.EFAULT);
  dst.set(src.slice());
  setR0(c, 0);
};

/** bpf_dynptr_write(dst, offset, src, len, flags): local and ring buffer dynptrs take no flags, skb ones csum/hash flags. */
const dynptrWrite: HelperFn = (c) => {
  const d = readDynptr(c, 1, 'bpf_dynptr_write');
  const offset = argU32(c, 2);
  const len = argU32(c, 4);
  const src = argMem(c, 3, len, false, 'bpf_dynptr_write');
  if (isNull(d) || d.rdonly) return setR0(c, -ERRNO.EINVAL);
  if (!offLenOk(d, offset, len)) return setR0(c, -ERRNO.E2BIG);
  setR0(c, writeAt(c, d, offset, src, argU64(c, 5), 'bpf_dynptr_write'));
};

/**
 * bpf_dynptr_data(ptr, offset, len): a direct pointer, or NULL (null, out of range, read-only,
 * and always for skb dynptrs, which must use bpf_dynptr_slice).
 */
const dynptrData: HelperFn = (c) => {
  const d = readDynptr(c, 1, 'bpf_dynptr_data');
  const offset = argU32(c, 2);
  const len = argU32(c, 3);
  if (isNull(d) || !offLenOk(d, offset, len) || d.rdonly || isSkbType(d)) return setR0Ptr(c, 0, 0);
  if (d.tag !== d.hi) throw helperFault(c, 'bpf_dynptr_data', 'argument r1 is not a valid dynptr');
  setR0Ptr(c, d.hi, (d.lo + d.offset + offset) | 0);
};

/** bpf_ringbuf_reserve_dynptr(rb, size, flags, ptr). */
const ringbufReserveDynptr: HelperFn = (c) => {
  const rb = argMap(c, 1, 'bpf_ringbuf_reserve_dynptr');
  if (!(rb instanceof RingbufMap)) throw helperFault(c, 'bpf_ringbuf_reserve_dynptr', `map ${rb.name} is not a ring buffer`);
  const size = argU32(c, 2);
  const dp = readDynptr(c, 4, 'bpf_ringbuf_reserve_dynptr');
  const out = dp.view;
  if (argU64(c, 3) !== 0n) {
    setNull(out);
    return setR0(c, -ERRNO.EINVAL);
  }
  if (size > DYNPTR_MAX_SIZE) {
    setNull(out);
    return setR0(c, -ERRNO.E2BIG);
  }
  const region = rb.reserve(size, 0);
  // No room: -EINVAL, not -EAGAIN [measured].
  if (region === undefined) {
    setNull(out);
    return setR0(c, -ERRNO.EINVAL);
  }
  initDynptr(dp, region.hi, Memory.lo(rb.lastOffset), BPF_DYNPTR_TYPE.RINGBUF, size);
  setR0(c, 0);
};

/** bpf_ringbuf_submit_dynptr / discard_dynptr: commit the sample (no-op for a null dynptr), then null it. */
function ringbufCommitDynptr(discard: boolean, name: CalleeName): HelperFn {
  return (c) => {
    const d = readDynptr(c, 1, name);
    if (!isNull(d)) {
      const record = c.mem.regionOfTagged(d.hi, d.tag);
      const rb = record?.owner;
      if (!(rb instanceof RingbufMap) || Memory.offsetOf(d.lo) !== 0 || !rb.commitRecord(record as Region, discard, argSize(c, 2))) {
        throw helperFault(c, name, 'argument r1 is not a reserved ring buffer dynptr');
      }
      setNull(d.view);
    }
    setR0(c, 0);
  };
}

export const dynptrHelpers: HelperFamily = {
  [H.bpf_dynptr_from_mem]: dynptrFromMem,
  [H.bpf_dynptr_read]: dynptrRead,
  [H.bpf_dynptr_write]: dynptrWrite,
  [H.bpf_dynptr_data]: dynptrData,
  [H.bpf_ringbuf_reserve_dynptr]: ringbufReserveDynptr,
  ...byName(['bpf_ringbuf_submit_dynptr'], (n) => ringbufCommitDynptr(false, n)),
  ...byName(['bpf_ringbuf_discard_dynptr'], (n) => ringbufCommitDynptr(true, n)),
};
