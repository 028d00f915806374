/**
 * @fileoverview The sched_cls / sched_act program type as the verifier sees it
 * (net/core/filter.c tc_cls_act_verifier_ops): __sk_buff access rules (checkCtxAccess), the
 * pointer fields (data, data_end, data_meta, sk), the helper set, LD_ABS and direct packet writes.
 */
import type { CtxLoad, ProgramTypeDesc } from '../../vm/verifier/index.js';
import { SKB_OFF, checkCtxAccess } from './sk-buff-ctx.js';

/**
 * Helpers a sched_cls program may call on 6.18 (`tc_cls_act_func_proto` → `bpf_sk_base_func_proto`
 * → `bpf_base_func_proto`), measured by loading a call to every id (docs/skb-and-helpers.md §3).
 * Ids 148 and 191 are in the base set but rejected as sleepable, so they are not listed.
 */
export const SCHED_CLS_HELPER_IDS: ReadonlySet<number> = new Set([
  1, 2, 3, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 28, 29, 30, 31, 32, 33,
  34, 35, 37, 38, 39, 40, 41, 42, 43, 46, 47, 48, 50, 55, 66, 68, 69, 79, 80, 83, 84, 85, 86, 87, 88, 89, 93, 94, 95,
  96, 97, 98, 99, 100, 105, 106, 107, 108, 109, 110, 112, 113, 114, 115, 117, 118, 120, 122, 123, 124, 125, 130, 131,
  132, 133, 134, 135, 136, 137, 138, 139, 140, 141, 149, 151, 152, 153, 154, 155, 156, 157, 158, 160, 163, 164, 165,
  169, 170, 171, 172, 175, 176, 177, 178, 180, 181, 182, 192, 194, 195, 196, 197, 198, 199, 200, 201, 202, 203, 204,
  205, 206, 207, 208, 209, 210, 211,
]);

/** tc_cls_act_is_valid_access and the register type of each pointer field (bpf_skb_is_valid_access). */
function ctxAccess(off: number, size: number, write: boolean, opts: { signed?: boolean }): CtxLoad | undefined {
  if (!checkCtxAccess(off, size, write, opts)) return undefined;
  if (write) return 'scalar';
  switch (off) {
    case SKB_OFF.data: return 'pkt';
    case SKB_OFF.data_end: return 'pkt_end';
    case SKB_OFF.data_meta: return 'pkt_meta';
    case SKB_OFF.sk: return 'sock_common_or_null';
    default: return 'scalar';
  }
}

export const SCHED_CLS_TYPE: ProgramTypeDesc = {
  name: 'sched_cls',
  ctxAccess,
  helperAllowed: (id) => SCHED_CLS_HELPER_IDS.has(id),
  allowLdAbs: true,
  packetWrite: true,
};

/** Fields neither socket filters nor lwt programs may touch (sk_filter_is_valid_access, lwt_is_valid_access). */
function deniedOutsideTc(off: number, size: number): boolean {
  const within = (a: number, b: number) => off < b && off + size > a;
  return (
    within(SKB_OFF.tc_classid, SKB_OFF.tc_classid + 4) ||
    within(SKB_OFF.data_meta, SKB_OFF.data_meta + 4) ||
    within(SKB_OFF.family, SKB_OFF.local_port + 4) ||
    within(SKB_OFF.tstamp, SKB_OFF.tstamp + 8) ||
    within(SKB_OFF.wire_len, SKB_OFF.wire_len + 4) ||
    within(SKB_OFF.hwtstamp, SKB_OFF.hwtstamp + 8)
  );
}
const inCb = (off: number, size: number) => off >= SKB_OFF.cb && off + size <= SKB_OFF.cb + 20;

/**
 * socket_filter (sk_filter_verifier_ops): no packet pointers, only cb[] is writable. The helper
 * set is approximated by the tc set without the helpers that change or redirect packets.
 */
export const SOCKET_FILTER_TYPE: ProgramTypeDesc = {
  name: 'socket_filter',
  ctxAccess(off, size, write, opts) {
    if (deniedOutsideTc(off, size) || (off < SKB_OFF.data_end + 4 && off + size > SKB_OFF.data)) return undefined;
    if (write && !inCb(off, size)) return undefined;
    return ctxAccess(off, size, write, opts);
  },
  helperAllowed: (id) => SCHED_CLS_HELPER_IDS.has(id) && ![9, 10, 11, 13, 18, 19, 23, 31, 38, 39, 43, 50, 152, 155].includes(id),
  allowLdAbs: true,
  packetWrite: false,
};

/** lwt_in / lwt_out / lwt_xmit (lwt_is_valid_access): mark, priority and cb[] writable; lwt_xmit may write the packet. */
export function lwtType(xmit: boolean): ProgramTypeDesc {
  return {
    name: xmit ? 'lwt_xmit' : 'lwt_in',
    ctxAccess(off, size, write, opts) {
      if (deniedOutsideTc(off, size)) return undefined;
      if (write && !inCb(off, size) && !(off === SKB_OFF.mark && size === 4) && !(off === SKB_OFF.priority && size === 4)) return undefined;
      return ctxAccess(off, size, write, opts);
    },
    helperAllowed: (id) => SCHED_CLS_HELPER_IDS.has(id),
    allowLdAbs: false,
    packetWrite: xmit,
  };
}
