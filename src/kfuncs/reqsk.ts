/**
 * @fileoverview bpf_sk_assign_tcp_reqsk (net/core/filter.c): attach a SYN-cookie request socket
 * for listener `sk` to the skb, for a tc-ingress SYN-cookie responder. tcxlab follows the
 * kernel's checks in order and, on success, records the request in the run state
 * (`state.reqsk`); there is no TCP stack to hand it to.
 */
import type { KfuncFamily } from './family.js';
import type { HelperFn } from '../../vm/program.js';
import type { SkbSock } from '../skb/skb.js';
import { ERRNO, ETH_P } from '../uapi.js';
import { argMem, helperFault, setR0 } from '../helpers/args.js';
import { skbState } from '../helpers/skb-common.js';

/** sizeof(struct bpf_tcp_req_attrs) (6.18 BTF). */
export const BPF_TCP_REQ_ATTRS_SIZE = 20;
const TCP_LISTEN = 10;
const TCP_MAX_WSCALE = 14;
/** Minimum MSS: 536 for IPv4, IPV6_MIN_MTU − 60 for IPv6. */
const MIN_MSS_V4 = 536;
const MIN_MSS_V6 = 1280 - 60;

/** The request the kfunc attached (what the kernel's reqsk would carry). */
export interface AssignedReqsk {
  listener: SkbSock;
  /** struct bpf_tcp_req_attrs as passed (20 bytes). */
  attrs: Uint8Array;
}

const skAssignTcpReqsk: HelperFn = (c) => {
  const name = 'bpf_sk_assign_tcp_reqsk';
  const st = skbState(c, name);
  const region = c.mem.regionOf(c.regs.hi[2]);
  if (region === undefined || region.label !== 'bpf_sock') throw helperFault(c, name, 'argument r2 is not a socket');
  const sk = region.owner as SkbSock;
  const size = c.regs.lo[4] | 0;
  if (size !== BPF_TCP_REQ_ATTRS_SIZE) return setR0(c, -ERRNO.EINVAL);
  const a = argMem(c, 3, size, false, name);
  // reserved[3] (bytes 17..19) must be zero.
  if (a[17] | a[18] | a[19]) return setR0(c, -ERRNO.EINVAL);
  if (!st.skb.tcAtIngress) return setR0(c, -ERRNO.EINVAL);
  // One network namespace: the socket's is always the skb device's (-ENETUNREACH never happens).
  let minMss: number;
  if (st.skb.protocol === ETH_P.ETH_P_IP) minMss = MIN_MSS_V4;
  else if (st.skb.protocol === ETH_P.ETH_P_IPV6) minMss = MIN_MSS_V6;
  else return setR0(c, -ERRNO.EINVAL);
  // A listening TCP socket (SkbSock has no type: sockets from the lookup table are TCP).
  if (sk.state !== TCP_LISTEN) return setR0(c, -ERRNO.EINVAL);
  const dv = new DataView(a.buffer, a.byteOffset, size);
  if (dv.getUint16(8, true) < minMss) return setR0(c, -ERRNO.EINVAL);
  const [rcvWscale, sndWscale, , wscaleOk] = [a[10], a[11], a[12], a[13]];
  // sysctl tcp_window_scaling, tcp_sack and tcp_timestamps are on (their defaults).
  if (wscaleOk && (sndWscale > TCP_MAX_WSCALE || rcvWscale > TCP_MAX_WSCALE)) return setR0(c, -ERRNO.EINVAL);
  st.reqsk = { listener: sk, attrs: a.slice() };
  setR0(c, 0);
};

export const reqskKfuncs = { bpf_sk_assign_tcp_reqsk: skAssignTcpReqsk } satisfies KfuncFamily;
