/**
 * @fileoverview The sched_cls / sched_act program type as the verifier sees it
 * (net/core/filter.c tc_cls_act_verifier_ops): __sk_buff access rules (checkCtxAccess), the
 * pointer fields (data, data_end, data_meta, sk), LD_ABS and direct packet writes. Which helpers
 * each type may call is part of the helper records (vm/helpers.ts).
 */
import type { CtxLoad, ProgramTypeDesc } from '../../vm/verifier/index.js';
import { helperCallableFrom } from '../../vm/helpers.js';
import { SKB_OFF, checkCtxAccess } from './sk-buff-ctx.js';


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
  helperAllowed: (id) => helperCallableFrom(id, 'sched_cls'),
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

/** socket_filter (sk_filter_verifier_ops): no packet pointers, only cb[] is writable. */
export const SOCKET_FILTER_TYPE: ProgramTypeDesc = {
  name: 'socket_filter',
  ctxAccess(off, size, write, opts) {
    if (deniedOutsideTc(off, size) || (off < SKB_OFF.data_end + 4 && off + size > SKB_OFF.data)) return undefined;
    if (write && !inCb(off, size)) return undefined;
    return ctxAccess(off, size, write, opts);
  },
  helperAllowed: (id) => helperCallableFrom(id, 'socket_filter'),
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
    helperAllowed: (id) => helperCallableFrom(id, xmit ? 'lwt_xmit' : 'lwt_in'),
    allowLdAbs: false,
    packetWrite: xmit,
  };
}
