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
import type { CtxAccess, CtxLoad, CtxRewrite, CtxStore } from '../../vm/memory.js';
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
 * 1 = allowed. The rules below are built for these entries only.
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

/** The kernel value of each converted 4-byte slot (bpf_convert_ctx_access), by slot offset. */
const FIELD: Readonly<Record<number, (skb: Skb) => number>> = {
  0: (skb) => skb.len,
  4: (skb) => skb.pktType & 7,
  8: (skb) => skb.mark >>> 0,
  12: (skb) => skb.queueMapping & 0xffff,
  16: (skb) => swap16(skb.protocol),
  20: (skb) => (skb.vlanPresent() ? 1 : 0),
  24: (skb) => skb.vlanTci & 0xffff,
  28: (skb) => swap16(skb.vlanProto),
  32: (skb) => skb.priority >>> 0,
  36: (skb) => skb.skbIif >>> 0,
  40: (skb) => skb.ifindex >>> 0,
  44: (skb) => skb.tcIndex & 0xffff,
  68: (skb) => skb.hash >>> 0,
  72: (skb) => skb.tcClassid & 0xffff,
  84: (skb) => (skb.napiId >>> 0 < MIN_NAPI_ID ? 0 : skb.napiId >>> 0),
  160: (skb) => skb.pktLen >>> 0,
  164: (skb) => skb.gsoSegs & 0xffff,
  176: (skb) => skb.gsoSize & 0xffff,
};
const zero = (): number => 0;

function setBig(out: Int32Array, v: bigint): void {
  const u = BigInt.asUintN(64, v);
  out[0] = Number(u & 0xffffffffn) | 0;
  out[1] = Number(u >> 32n) | 0;
}

/** The CtxAccess a rewritten access runs on (always a SkBuffCtx: see CtxAccess.rewrite). */
const sk = (c: CtxAccess): SkBuffCtx => c as SkBuffCtx;

/**
 * How each allowed load reads its field (memory.ts CtxLoad), for the run-time view below and
 * for the engines' load-time rewrite. Same rules as the kernel's conversion: cb is plain memory
 * (any allowed size, no conversion); data, data_end and data_meta are packet pointers; sk is a
 * bpf_sock pointer or NULL; tstamp and hwtstamp are 64-bit; a narrow load of a converted slot
 * shifts and masks only when it is narrower than the kernel field (TARGET_SIZE).
 */
function loadRule(off: number, size: number): CtxLoad {
  if (off >= 48 && off < CB_END) {
    const o = off - 48;
    if (size === 8) {
      return {
        kind: 'scalar64',
        get: (c, out) => {
          const cb = sk(c).skb.cb;
          out[0] = cb[o] | (cb[o + 1] << 8) | (cb[o + 2] << 16) | (cb[o + 3] << 24);
          out[1] = cb[o + 4] | (cb[o + 5] << 8) | (cb[o + 6] << 16) | (cb[o + 7] << 24);
        },
      };
    }
    if (size === 4) return { kind: 'scalar', get: (c) => { const cb = sk(c).skb.cb; return cb[o] | (cb[o + 1] << 8) | (cb[o + 2] << 16) | (cb[o + 3] << 24); } };
    if (size === 2) return { kind: 'scalar', get: (c) => { const cb = sk(c).skb.cb; return cb[o] | (cb[o + 1] << 8); } };
    return { kind: 'scalar', get: (c) => sk(c).skb.cb[o] };
  }
  switch (off) {
    case SKB_OFF.data:
      return { kind: 'pointer', region: (c) => sk(c).state.packet, offset: (c) => sk(c).skb.metaLen };
    case SKB_OFF.data_end:
      return { kind: 'pointer', region: (c) => sk(c).state.packet, offset: (c) => { const skb = sk(c).skb; return skb.metaLen + skb.len; } };
    case SKB_OFF.data_meta:
      return { kind: 'pointer', region: (c) => sk(c).state.packet, offset: zero };
    case SKB_OFF.tstamp:
      return {
        kind: 'scalar64',
        get: (c, out) => {
          // bpf_convert_tstamp_read: without a tstamp_type access, a non-REALTIME tstamp at
          // ingress reads 0.
          const x = sk(c);
          const skb = x.skb;
          const hide = !x.opts.tstampTypeAccess && skb.tcAtIngress && skb.tstampType !== 0;
          setBig(out, hide ? 0n : skb.tstamp);
        },
      };
    case SKB_OFF.hwtstamp:
      return { kind: 'scalar64', get: (c, out) => setBig(out, sk(c).skb.hwtstamp) };
    case SKB_OFF.sk:
      return {
        kind: 'pointer',
        region: (c) => {
          const x = sk(c);
          const s = x.state.sock;
          return x.skb.sk && s ? s : undefined;
        },
        offset: zero,
      };
    case SKB_OFF.tstamp_type:
      return { kind: 'scalar', get: (c) => sk(c).skb.tstampType & 3 };
  }
  const field = off & ~3;
  const get = FIELD[field] ?? zero;
  const tgt = TARGET_SIZE[field] ?? 4;
  if (size < 4 && size < tgt) {
    const shift = (off & 3) * 8;
    const mask = size === 1 ? 0xff : 0xffff;
    return { kind: 'scalar', get: (c) => (get(sk(c).skb) >>> shift) & mask };
  }
  return { kind: 'scalar', get: (c) => get(sk(c).skb) };
}

/**
 * How each allowed store writes its field (memory.ts CtxStore); undefined for an allowed
 * (offset, size) that has no field (the store is refused, as before the table existed).
 * queue_mapping follows the STX form (a run-time 64-bit unsigned compare; see SkBuffCtx.store).
 */
function storeRule(off: number, size: number): CtxStore | undefined {
  if (off >= 48 && off < CB_END) {
    const o = off - 48;
    const n = Math.min(size, 4);
    return {
      set: (c, lo, hi) => {
        const cb = sk(c).skb.cb;
        for (let i = 0; i < n; i++) cb[o + i] = (lo >>> (8 * i)) & 0xff;
        if (size === 8) for (let i = 0; i < 4; i++) cb[o + 4 + i] = (hi >>> (8 * i)) & 0xff;
      },
    };
  }
  switch (off) {
    case SKB_OFF.mark:
      return { set: (c, lo) => void (sk(c).skb.mark = lo >>> 0) };
    case SKB_OFF.priority:
      return { set: (c, lo) => void (sk(c).skb.priority = lo >>> 0) };
    case SKB_OFF.tc_index:
      return { set: (c, lo) => void (sk(c).skb.tcIndex = lo & 0xffff) };
    case SKB_OFF.tc_classid:
      return { set: (c, lo) => void (sk(c).skb.tcClassid = lo & 0xffff) };
    case SKB_OFF.queue_mapping:
      return {
        set: (c, lo, hi) => {
          if (hi === 0 && lo >>> 0 < NO_QUEUE_MAPPING) sk(c).skb.queueMapping = lo & 0xffff;
        },
      };
    case SKB_OFF.tstamp:
      return {
        set: (c, lo, hi) => {
          const x = sk(c);
          const skb = x.skb;
          skb.tstamp = (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0);
          if (!x.opts.tstampTypeAccess && skb.tcAtIngress) skb.tstampType = 0;
        },
      };
  }
  return undefined;
}

/** The rules of every allowed (offset, size), index `off << 3 | (size - 1)`, built at module load. */
const LOADS: (CtxLoad | undefined)[] = [];
const STORES: (CtxStore | undefined)[] = [];
for (let off = 0; off < SK_BUFF_SIZE; off++) {
  for (const size of [1, 2, 4, 8]) {
    const k = (off << 3) | (size - 1);
    if (LOAD_OK[k] === 1) LOADS[k] = loadRule(off, size);
    if (STORE_OK[k] === 1) STORES[k] = storeRule(off, size);
  }
}
const ruleIndex = (off: number, size: number): number =>
  off >>> 0 < SK_BUFF_SIZE && (size === 1 || size === 2 || size === 4 || size === 8) ? (off << 3) | (size - 1) : -1;

/**
 * The `__sk_buff` rewrite table (memory.ts CtxRewrite) that sched_cls programs are linked with:
 * the JIT compiles each constant-offset access through r1's ctx into a direct call of its rule.
 */
export const SKB_CTX_REWRITE: CtxRewrite = Object.freeze({
  load(off: number, size: number): CtxLoad | undefined {
    const k = ruleIndex(off, size);
    return k < 0 ? undefined : LOADS[k];
  },
  store(off: number, size: number): CtxStore | undefined {
    const k = ruleIndex(off, size);
    return k < 0 ? undefined : STORES[k];
  },
});

/** The `__sk_buff` CtxAccess over a run state's skb. */
export class SkBuffCtx implements CtxAccess {
  /** The run state's skb (changed only with the state's, by rebindSkbRunState). */
  skb: Skb;
  readonly rewrite = SKB_CTX_REWRITE;

  constructor(
    readonly state: Pick<SkbRunState, 'skb' | 'packet'> & { sock?: SkbRunState['sock'] },
    readonly opts: SkBuffCtxOptions = {},
  ) {
    this.skb = state.skb;
  }

  load(off: number, size: number, out: Int32Array): boolean {
    const k = ruleIndex(off, size);
    const r = k < 0 ? undefined : LOADS[k];
    if (r === undefined) return false;
    switch (r.kind) {
      case 'scalar':
        out[0] = r.get(this) | 0;
        out[1] = 0;
        return true;
      case 'scalar64':
        r.get(this, out);
        return true;
      default: {
        const rg = r.region(this);
        const hi = rg === undefined ? 0 : rg.hi;
        out[0] = rg === undefined ? 0 : Memory.lo(r.offset(this));
        out[1] = hi;
        out[2] = hi; // a pointer (engines tag it: memory.ts, "Isolation")
        return true;
      }
    }
  }

  /**
   * `fromImm` (optional, beyond the CtxAccess contract): the store is a BPF_ST with an immediate.
   * The kernel compiles `queue_mapping` stores differently for ST (a signed compare of the imm at
   * load time) and STX (a run-time 64-bit unsigned compare), so ST of −1 stores 0xffff while STX
   * of −1 is dropped. An engine that does not pass it gets the STX behaviour.
   */
  store(off: number, size: number, lo: number, hi: number, fromImm = false): boolean {
    const k = ruleIndex(off, size);
    const r = k < 0 ? undefined : STORES[k];
    if (r === undefined) return false;
    if (fromImm && off === SKB_OFF.queue_mapping) {
      if ((lo | 0) < NO_QUEUE_MAPPING) this.skb.queueMapping = lo & 0xffff;
      return true;
    }
    r.set(this, lo, hi);
    return true;
  }
}
