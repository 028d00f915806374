/**
 * @fileoverview `struct __sk_buff` as a sched_cls program sees it: which offsets are readable or
 * writable, the narrow-load rule, and what each field is converted into.
 *
 * Sources: `tc_cls_act_is_valid_access`, `bpf_skb_is_valid_access`, `tc_cls_act_convert_ctx_access`,
 * `bpf_convert_ctx_access`, `bpf_convert_tstamp_read/_write` (net/core/filter.c) and the
 * narrow-load rewrite of `convert_ctx_accesses` (kernel/bpf/verifier.c). Spec: docs/skb-and-helpers.md §1.
 *
 *   0 len  4 pkt_type  8 mark  12 queue_mapping  16 protocol  20 vlan_present  24 vlan_tci
 *  28 vlan_proto  32 priority  36 ingress_ifindex  40 ifindex  44 tc_index  48..67 cb[5]
 *  68 hash  72 tc_classid  76 data  80 data_end  84 napi_id  88..139 socket fields (rejected)
 * 140 data_meta  144 flow_keys (rejected)  152 tstamp  160 wire_len  164 gso_segs  168 sk
 * 176 gso_size  180 tstamp_type  181..183 pad  184 hwtstamp                       (192 bytes)
 */
import { Op } from '../../vm/isa.js';
import type { CtxAccess } from '../../vm/memory.js';
import type { DecodedProgram } from '../../vm/program.js';
import { Memory } from '../../vm/memory.js';
import type { SkbRunState } from './run-state.js';
import type { Skb } from './skb.js';

/** Field offsets of struct __sk_buff. */
export const SKB_OFF = {
  len: 0,
  pkt_type: 4,
  mark: 8,
  queue_mapping: 12,
  protocol: 16,
  vlan_present: 20,
  vlan_tci: 24,
  vlan_proto: 28,
  priority: 32,
  ingress_ifindex: 36,
  ifindex: 40,
  tc_index: 44,
  cb: 48,
  hash: 68,
  tc_classid: 72,
  data: 76,
  data_end: 80,
  napi_id: 84,
  family: 88,
  local_port: 136,
  data_meta: 140,
  flow_keys: 144,
  tstamp: 152,
  wire_len: 160,
  gso_segs: 164,
  sk: 168,
  gso_size: 176,
  tstamp_type: 180,
  hwtstamp: 184,
} as const;
/** sizeof(struct __sk_buff). */
export const SK_BUFF_SIZE = 192;
const CB_END = 68;
/** NO_QUEUE_MAPPING (skbuff.h). */
const NO_QUEUE_MAPPING = 0xffff;
/** MIN_NAPI_ID (busy_poll.h): smaller napi ids are sender-cpu hints and read as 0. */
const MIN_NAPI_ID = 8193; // NR_CPUS (8192 on distribution kernels) + 1

/**
 * Width in bytes of the kernel field each 4-byte __sk_buff slot is converted into ("target
 * size"). A narrow load shifts and masks only when it is narrower than this.
 */
const TARGET_SIZE: Readonly<Record<number, number>> = {
  0: 4, 4: 1, 8: 4, 12: 2, 16: 2, 20: 4, 24: 2, 28: 2, 32: 4, 36: 4, 40: 4, 44: 2,
  68: 4, 72: 2, 84: 4, 160: 4, 164: 2, 176: 2,
};

/** Options of an access check. */
export interface CtxAccessOpts {
  /** BPF_MEMSX load (rejected for data, data_end, data_meta). */
  signed?: boolean;
  /** An atomic read-modify-write: never allowed on ctx. */
  atomic?: boolean;
}

/**
 * Whether a sched_cls program may access [off, off+size) of __sk_buff (load when !write).
 * Pure: usable by a load-time checker (the verifier's "invalid bpf_context access").
 */
export function checkCtxAccess(off: number, size: number, write: boolean, opts: CtxAccessOpts = {}): boolean {
  if (opts.atomic) return false;
  if (!Number.isInteger(off) || off < 0 || off >= SK_BUFF_SIZE) return false;
  if (size !== 1 && size !== 2 && size !== 4 && size !== 8) return false;
  if (write) {
    // tc_cls_act_is_valid_access: the writable set.
    const w =
      (off >= 8 && off < 12) || (off >= 44 && off < 48) || (off >= 32 && off < 36) || (off >= 72 && off < 76) ||
      (off >= 48 && off < CB_END) || off === SKB_OFF.tstamp || off === SKB_OFF.queue_mapping;
    if (!w) return false;
  }
  // tc_cls_act_is_valid_access before the generic check.
  if (off >= SKB_OFF.family && off < SKB_OFF.local_port + 4) return false;
  if (off === SKB_OFF.tstamp_type) return size === 1 && !write;
  if (off % size !== 0) return false;
  // bpf_skb_is_valid_access
  if (off >= 48 && off < CB_END) return off + size <= CB_END;
  if (off >= 76 && off < 84) return size === 4 && !opts.signed;
  if (off >= 140 && off < 144) return size === 4 && !opts.signed;
  if (off >= 144 && off < 152) return false;
  if (off >= 184) return !write && size === 8;
  if (off >= 152 && off < 160) return size === 8;
  if (off === SKB_OFF.sk) return !write && size === 8;
  if (off > 168 && off < 176) return false;
  if (off > 180 && off < 184) return false;
  // default: writes are 4 bytes; reads may be narrow (off % size == 0, size ≤ 4).
  if (write) return size === 4;
  return size <= 4;
}

/**
 * checkCtxAccess answered once for every (offset, size) at module load, as the kernel validates
 * each ctx access once at program load instead of at every run: index `off << 3 | (size - 1)`,
 * 1 = allowed. The run-time view below consults these tables only.
 */
function accessTable(write: boolean): Uint8Array {
  const t = new Uint8Array(SK_BUFF_SIZE << 3);
  for (let off = 0; off < SK_BUFF_SIZE; off++) {
    for (const size of [1, 2, 4, 8]) if (checkCtxAccess(off, size, write)) t[(off << 3) | (size - 1)] = 1;
  }
  return t;
}
const LOAD_OK = accessTable(false);
const STORE_OK = accessTable(true);
const allowed = (t: Uint8Array, off: number, size: number): boolean =>
  off >>> 0 < SK_BUFF_SIZE && size >>> 0 <= 8 && size > 0 && t[(off << 3) | (size - 1)] === 1;

/** Options of the __sk_buff view. */
export interface SkBuffCtxOptions {
  /**
   * The program accesses `tstamp_type` somewhere (the kernel's prog->tstamp_type_access, set at
   * load time). Without it, tstamp reads at tc ingress give 0 for a non-REALTIME tstamp and
   * tstamp writes at ingress clear tstamp_type.
   */
  tstampTypeAccess?: boolean;
}

/**
 * Whether a program reads `__sk_buff->tstamp_type` (the kernel's prog->tstamp_type_access, set
 * while verifying): any 1-byte load at offset 180. Without pointer-type tracking this also counts
 * a byte load at +180 from a non-ctx pointer; that only matters at tc ingress for a MONO/TAI
 * tstamp (SkBuffCtxOptions.tstampTypeAccess).
 */
export function usesTstampType(code: DecodedProgram): boolean {
  for (let i = 0; i < code.length; i++) if (code.op[i] === Op.LDXB && code.off[i] === SKB_OFF.tstamp_type) return true;
  return false;
}

const swap16 = (v: number): number => ((v & 0xff) << 8) | ((v >>> 8) & 0xff);

/** Value of the 4-byte slot at `field` (already converted), as the kernel computes it. */
function fieldValue(skb: Skb, field: number): number {
  switch (field) {
    case 0: return skb.len;
    case 4: return skb.pktType & 7;
    case 8: return skb.mark >>> 0;
    case 12: return skb.queueMapping & 0xffff;
    case 16: return swap16(skb.protocol);
    case 20: return skb.vlanPresent() ? 1 : 0;
    case 24: return skb.vlanTci & 0xffff;
    case 28: return swap16(skb.vlanProto);
    case 32: return skb.priority >>> 0;
    case 36: return skb.skbIif >>> 0;
    case 40: return skb.ifindex >>> 0;
    case 44: return skb.tcIndex & 0xffff;
    case 68: return skb.hash >>> 0;
    case 72: return skb.tcClassid & 0xffff;
    case 84: return skb.napiId >>> 0 < MIN_NAPI_ID ? 0 : skb.napiId >>> 0;
    case 160: return skb.pktLen >>> 0;
    case 164: return skb.gsoSegs & 0xffff;
    case 176: return skb.gsoSize & 0xffff;
    default: return 0;
  }
}

function setBig(out: Int32Array, v: bigint): void {
  const u = BigInt.asUintN(64, v);
  out[0] = Number(u & 0xffffffffn) | 0;
  out[1] = Number(u >> 32n) | 0;
}

/** The `__sk_buff` CtxAccess over a run state's skb. */
export class SkBuffCtx implements CtxAccess {
  constructor(
    private readonly state: Pick<SkbRunState, 'skb' | 'packet'> & { sock?: SkbRunState['sock'] },
    private readonly opts: SkBuffCtxOptions = {},
  ) {}

  load(off: number, size: number, out: Int32Array): boolean {
    if (!allowed(LOAD_OK, off, size)) return false;
    const skb = this.state.skb;
    if (off >= 48 && off < CB_END) {
      // cb is plain memory (qdisc_skb_cb data): same-size access, no conversion.
      const o = off - 48;
      let lo = 0;
      for (let i = Math.min(size, 4) - 1; i >= 0; i--) lo = (lo << 8) | skb.cb[o + i];
      let hi = 0;
      if (size === 8) for (let i = 7; i >= 4; i--) hi = (hi << 8) | skb.cb[o + i];
      out[0] = lo;
      out[1] = hi;
      return true;
    }
    switch (off) {
      case SKB_OFF.data:
      case SKB_OFF.data_end:
      case SKB_OFF.data_meta: {
        // A 4-byte load that the verifier turns into a 64-bit pointer load.
        const p = this.state.packet;
        const rel = off === SKB_OFF.data ? skb.metaLen : off === SKB_OFF.data_end ? skb.metaLen + skb.len : 0;
        out[0] = Memory.lo(rel);
        out[1] = p.hi;
        out[2] = p.hi; // a packet pointer (engines tag it: memory.ts, "Isolation")
        return true;
      }
      case SKB_OFF.tstamp: {
        // bpf_convert_tstamp_read: without a tstamp_type access, a non-REALTIME tstamp at
        // ingress reads 0.
        const hide = !this.opts.tstampTypeAccess && skb.tcAtIngress && skb.tstampType !== 0;
        setBig(out, hide ? 0n : skb.tstamp);
        return true;
      }
      case SKB_OFF.hwtstamp:
        setBig(out, skb.hwtstamp);
        return true;
      case SKB_OFF.sk: {
        const s = this.state.sock;
        if (skb.sk && s) {
          out[0] = Memory.lo(0);
          out[1] = s.hi;
          out[2] = s.hi;
        } else {
          out[0] = 0;
          out[1] = 0;
        }
        return true;
      }
      case SKB_OFF.tstamp_type:
        out[0] = skb.tstampType & 3;
        out[1] = 0;
        return true;
    }
    const field = off & ~3;
    const tgt = TARGET_SIZE[field] ?? 4;
    let v = fieldValue(skb, field);
    if (size < 4 && size < tgt) v = (v >>> ((off & 3) * 8)) & (size === 1 ? 0xff : 0xffff);
    out[0] = v | 0;
    out[1] = 0;
    return true;
  }

  /**
   * `fromImm` (optional, beyond the CtxAccess contract): the store is a BPF_ST with an immediate.
   * The kernel compiles `queue_mapping` stores differently for ST (a signed compare of the imm at
   * load time) and STX (a run-time 64-bit unsigned compare), so ST of −1 stores 0xffff while STX
   * of −1 is dropped. An engine that does not pass it gets the STX behaviour.
   */
  store(off: number, size: number, lo: number, hi: number, fromImm = false): boolean {
    if (!allowed(STORE_OK, off, size)) return false;
    const skb = this.state.skb;
    if (off >= 48 && off < CB_END) {
      const o = off - 48;
      for (let i = 0; i < Math.min(size, 4); i++) skb.cb[o + i] = (lo >>> (8 * i)) & 0xff;
      if (size === 8) for (let i = 0; i < 4; i++) skb.cb[o + 4 + i] = (hi >>> (8 * i)) & 0xff;
      return true;
    }
    switch (off) {
      case SKB_OFF.mark:
        skb.mark = lo >>> 0;
        return true;
      case SKB_OFF.priority:
        skb.priority = lo >>> 0;
        return true;
      case SKB_OFF.tc_index:
        skb.tcIndex = lo & 0xffff;
        return true;
      case SKB_OFF.tc_classid:
        skb.tcClassid = lo & 0xffff;
        return true;
      case SKB_OFF.queue_mapping:
        // ST: `imm >= NO_QUEUE_MAPPING` on the s32 imm at load time; STX: a 64-bit unsigned
        // compare at run time (tc_cls_act_convert_ctx_access).
        if (fromImm ? (lo | 0) < NO_QUEUE_MAPPING : hi === 0 && lo >>> 0 < NO_QUEUE_MAPPING) skb.queueMapping = lo & 0xffff;
        return true;
      case SKB_OFF.tstamp:
        skb.tstamp = (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0);
        if (!this.opts.tstampTypeAccess && skb.tcAtIngress) skb.tstampType = 0;
        return true;
    }
    return false;
  }
}
