/**
 * @fileoverview Tunnel metadata helpers (net/core/filter.c): skb_get_tunnel_key,
 * skb_set_tunnel_key, skb_get_tunnel_opt, skb_set_tunnel_opt. The TX metadata dst that set
 * attaches is modelled as `SkbRunState.tunnel`. Spec: docs/skb-and-helpers.md §10.
 *
 * struct bpf_tunnel_key (44 bytes, uapi bpf.h; checked against the kernel, see the goldens):
 *   0 tunnel_id u32 | 4 remote_ipv4 / remote_ipv6[4] | 20 tunnel_tos u8 | 21 tunnel_ttl u8
 *   22 tunnel_ext u16 / tunnel_flags __be16 | 24 tunnel_label u32 | 28 local_ipv4 / local_ipv6[4]
 */
import { type HelperFamily } from './family.js';
import { HELPER_IDS } from '../../vm/helpers.js';
import type { HelperFn } from '../../vm/program.js';
import { ERRNO } from '../uapi.js';
import { argMem, argU32 } from './args.js';
import { argHalves, ret, skbState } from './skb-common.js';

export const BPF_F_TUNINFO_IPV6 = 1 << 0;
export const BPF_F_ZERO_CSUM_TX = 1 << 1;
export const BPF_F_DONT_FRAGMENT = 1 << 2;
export const BPF_F_SEQ_NUMBER = 1 << 3;
export const BPF_F_NO_TUNNEL_KEY = 1 << 4;
export const BPF_F_TUNINFO_FLAGS = 1 << 4;
const KEY_SIZE = 44;
/** Legacy struct sizes (offsetof local_ipv6[0], tunnel_label, tunnel_ext, remote_ipv6[1]). */
const COMPAT_SIZES = [28, 24, 22, 8];
const O_REMOTE = 4;
const O_TOS = 20;
const O_TTL = 21;
const O_EXT = 22;
const O_LABEL = 24;
const O_LOCAL = 28;
/** IP_TUNNEL_* flag bits as ip_tunnel_flags_to_be16 reports them (TUNNEL_*). */
const TUNNEL_CSUM = 0x01;
const TUNNEL_KEY = 0x04;
const TUNNEL_SEQ = 0x08;
const TUNNEL_DONT_FRAGMENT = 0x0100;
const TUNNEL_NOCACHE = 0x2000;
/** Options-present bits (GENEVE, VXLAN, ERSPAN, GTP). */
const TUNNEL_OPTIONS_PRESENT = 0x0800 | 0x1000 | 0x4000 | 0x8000;
/** IP_TUNNEL_OPTS_MAX. */
const OPTS_MAX = 255;
const IPV6_FLOWLABEL_MASK = 0x000fffff;

/** bpf_skb_set_tunnel_key(skb, key, u32 size, u64 flags). */
export const skbSetTunnelKey: HelperFn = (call) => {
  const st = skbState(call, 'bpf_skb_set_tunnel_key');
  const size = argU32(call, 3);
  const [flo, fhi] = argHalves(call, 4);
  const allowed = BPF_F_TUNINFO_IPV6 | BPF_F_ZERO_CSUM_TX | BPF_F_DONT_FRAGMENT | BPF_F_SEQ_NUMBER | BPF_F_NO_TUNNEL_KEY;
  if (fhi !== 0 || (flo & ~allowed) !== 0) return ret(call, -ERRNO.EINVAL);
  if (size !== KEY_SIZE && !COMPAT_SIZES.includes(size)) return ret(call, -ERRNO.EINVAL);
  const key = new Uint8Array(KEY_SIZE);
  key.set(argMem(call, 2, size, false, 'bpf_skb_set_tunnel_key'));
  const dv = new DataView(key.buffer);
  const ipv6 = (flo & BPF_F_TUNINFO_IPV6) !== 0;
  const label = dv.getUint32(O_LABEL, true);
  if ((!ipv6 && label !== 0) || dv.getUint16(O_EXT, true) !== 0) return ret(call, -ERRNO.EINVAL);
  let flags = TUNNEL_NOCACHE;
  if (flo & BPF_F_DONT_FRAGMENT) flags |= TUNNEL_DONT_FRAGMENT;
  if (!(flo & BPF_F_ZERO_CSUM_TX)) flags |= TUNNEL_CSUM;
  if (flo & BPF_F_SEQ_NUMBER) flags |= TUNNEL_SEQ;
  if (!(flo & BPF_F_NO_TUNNEL_KEY)) flags |= TUNNEL_KEY;
  st.tunnel = {
    tunnelId: BigInt(dv.getUint32(0, true)),
    ipv6,
    // ip_tunnel_key.u.*.dst = remote, .src = local (host-order words as the program wrote them)
    dst: ipv6 ? key.slice(O_REMOTE, O_REMOTE + 16) : key.slice(O_REMOTE, O_REMOTE + 4),
    src: ipv6 ? key.slice(O_LOCAL, O_LOCAL + 16) : key.slice(O_LOCAL, O_LOCAL + 4),
    tos: key[O_TOS],
    ttl: key[O_TTL],
    label: ipv6 ? label & IPV6_FLOWLABEL_MASK : 0,
    flags,
    options: new Uint8Array(0),
  };
  ret(call, 0);
};

/** bpf_skb_get_tunnel_key(skb, key, u32 size, u64 flags): errors zero `key`. */
export const skbGetTunnelKey: HelperFn = (call) => {
  const st = skbState(call, 'bpf_skb_get_tunnel_key');
  const size = argU32(call, 3);
  const [flo, fhi] = argHalves(call, 4);
  const to = argMem(call, 2, size, true, 'bpf_skb_get_tunnel_key');
  const info = st.tunnel;
  const fail = (e: number): void => {
    to.fill(0);
    ret(call, e);
  };
  if (!info || fhi !== 0 || (flo & ~(BPF_F_TUNINFO_IPV6 | BPF_F_TUNINFO_FLAGS)) !== 0) return fail(-ERRNO.EINVAL);
  if (info.ipv6 !== ((flo & BPF_F_TUNINFO_IPV6) !== 0)) return fail(-ERRNO.EPROTO);
  if (size !== KEY_SIZE) {
    if (size === 8) {
      if (info.ipv6) return fail(-ERRNO.EINVAL);
    } else if (!COMPAT_SIZES.includes(size)) return fail(-ERRNO.EINVAL);
  }
  const key = new Uint8Array(KEY_SIZE);
  const dv = new DataView(key.buffer);
  dv.setUint32(0, Number(info.tunnelId & 0xffffffffn), true);
  key[O_TOS] = info.tos;
  key[O_TTL] = info.ttl;
  // tunnel_flags is ip_tunnel_flags_to_be16: the TUNNEL_* bits in network order.
  if (flo & BPF_F_TUNINFO_FLAGS) dv.setUint16(O_EXT, info.flags & 0xffff, false);
  // remote = the key's src, local = its dst: set stored them the other way round.
  key.set(info.src, O_REMOTE);
  key.set(info.dst, O_LOCAL);
  if (info.ipv6) dv.setUint32(O_LABEL, info.label, true);
  to.set(key.subarray(0, size));
  ret(call, 0);
};

/** bpf_skb_set_tunnel_opt(skb, from, u32 size): needs a tunnel key set in this run. */
export const skbSetTunnelOpt: HelperFn = (call) => {
  const st = skbState(call, 'bpf_skb_set_tunnel_opt');
  const size = argU32(call, 3);
  if (!st.tunnel || size & 3) return ret(call, -ERRNO.EINVAL);
  if (size > OPTS_MAX) return ret(call, -ERRNO.ENOMEM);
  st.tunnel.options = argMem(call, 2, size, false, 'bpf_skb_set_tunnel_opt').slice();
  if (size > 0) st.tunnel.flags |= TUNNEL_OPTIONS_PRESENT;
  ret(call, 0);
};

/** bpf_skb_get_tunnel_opt(skb, to, u32 size): returns the options length. */
export const skbGetTunnelOpt: HelperFn = (call) => {
  const st = skbState(call, 'bpf_skb_get_tunnel_opt');
  const size = argU32(call, 3);
  const to = argMem(call, 2, size, true, 'bpf_skb_get_tunnel_opt');
  const info = st.tunnel;
  if (!info || !(info.flags & TUNNEL_OPTIONS_PRESENT)) {
    to.fill(0);
    return ret(call, -ERRNO.ENOENT);
  }
  if (size < info.options.length) {
    to.fill(0);
    return ret(call, -ERRNO.ENOMEM);
  }
  to.fill(0);
  to.set(info.options);
  ret(call, info.options.length);
};

export const skbTunnelHelpers: HelperFamily = {
  [HELPER_IDS.bpf_skb_get_tunnel_key]: skbGetTunnelKey,
  [HELPER_IDS.bpf_skb_set_tunnel_key]: skbSetTunnelKey,
  [HELPER_IDS.bpf_skb_get_tunnel_opt]: skbGetTunnelOpt,
  [HELPER_IDS.bpf_skb_set_tunnel_opt]: skbSetTunnelOpt,
};
