/**
 * @fileoverview The `struct bpf_sock` view a tc program gets from `skb->sk`
 * (`bpf_sock_common_is_valid_access`, `bpf_sock_is_valid_access`, `bpf_sock_convert_ctx_access`
 * in net/core/filter.c). The plain view is a sock_common; bpf_sk_fullsock's result (`full`) also
 * exposes type, protocol, mark and priority. Access rules checked against the kernel
 * (test/goldens/skb/sock-access.json).
 *
 *    0 bound_dev_if  4 family  8 type  12 protocol  16 mark  20 priority  24 src_ip4
 *   28 src_ip6[4]  44 src_port (host order)  48 dst_port (__be16) + 2 pad  52 dst_ip4
 *   56 dst_ip6[4]  72 state  76 rx_queue_mapping                                  (80 bytes)
 */
import type { CtxAccess } from '../../vm/memory.js';
import type { SkbSock } from './skb.js';

export const BPF_SOCK_SIZE = 80;

/**
 * Scalar fields: offset → [width of the kernel field (narrow loads shift/mask only below it),
 * full-socket only, 4-byte loads only]. Loads must start at the field's offset.
 */
const SCALARS: Readonly<Record<number, readonly [tgt: number, full: boolean, wordOnly: boolean]>> = {
  0: [4, false, true], // bound_dev_if
  4: [2, false, false], // family (skc_family)
  8: [2, true, false], // type (sk_type)
  12: [2, true, false], // protocol (sk_protocol)
  16: [4, true, true], // mark
  20: [4, true, true], // priority
  44: [2, false, false], // src_port (skc_num)
  48: [2, false, false], // dst_port (skc_dport, raw be16)
  72: [1, false, false], // state (skc_state)
  76: [2, false, false], // rx_queue_mapping (u16, NO_QUEUE_MAPPING reads as -1)
};

/** Whether a bpf_sock load of [off, +size) is allowed (stores never are). */
export function checkSockAccess(off: number, size: number, full = false): boolean {
  if (off < 0 || off >= BPF_SOCK_SIZE || (size !== 1 && size !== 2 && size !== 4) || off % size !== 0) return false;
  // Addresses: any aligned narrow load inside src_ip4..src_ip6, dst_ip4..dst_ip6.
  if ((off >= 24 && off < 44) || (off >= 52 && off < 72)) return true;
  if (off === 49) return size === 1; // the high byte of dst_port
  const s = SCALARS[off];
  if (!s) return false;
  if (s[1] && !full) return false;
  return s[2] ? size === 4 : true;
}

/** CtxAccess over a socket snapshot (the socket never changes during a tc run). */
export class SockCtx implements CtxAccess {
  private readonly bytes = new Uint8Array(BPF_SOCK_SIZE);
  private readonly scalar = new Map<number, number>();

  /** The test-run socket's type, protocol, mark and priority are all 0 (measured). */
  constructor(
    sk: SkbSock,
    private readonly full = false,
  ) {
    if (sk.srcIp.length === 4) this.bytes.set(sk.srcIp, 24);
    else if (sk.srcIp.length === 16) this.bytes.set(sk.srcIp, 28);
    if (sk.dstIp.length === 4) this.bytes.set(sk.dstIp, 52);
    else if (sk.dstIp.length === 16) this.bytes.set(sk.dstIp, 56);
    this.scalar.set(0, sk.boundDevIf >>> 0);
    this.scalar.set(4, sk.family & 0xffff);
    this.scalar.set(44, sk.srcPort & 0xffff);
    // raw __be16 read as a little-endian u16
    this.scalar.set(48, ((sk.dstPort & 0xff) << 8) | ((sk.dstPort >>> 8) & 0xff));
    this.scalar.set(72, sk.state & 0xff);
    this.scalar.set(76, sk.rxQueueMapping);
  }

  load(off: number, size: number, out: Int32Array): boolean {
    if (!checkSockAccess(off, size, this.full)) return false;
    if ((off >= 24 && off < 44) || (off >= 52 && off < 72)) {
      let v = 0;
      for (let i = size - 1; i >= 0; i--) v = (v << 8) | this.bytes[off + i];
      out[0] = v | 0;
      out[1] = 0;
      return true;
    }
    const field = off === 49 ? 48 : off;
    const tgt = SCALARS[field][0];
    let v = this.scalar.get(field) ?? 0;
    // rx_queue_mapping: the conversion turns NO_QUEUE_MAPPING into a 64-bit -1.
    let hi = field === 76 && v < 0 ? -1 : 0;
    if (size < tgt) {
      v = (v >>> ((off - field) * 8)) & (size === 1 ? 0xff : 0xffff);
      hi = 0;
    }
    out[0] = v | 0;
    out[1] = hi;
    return true;
  }

  store(): boolean {
    return false;
  }
}
