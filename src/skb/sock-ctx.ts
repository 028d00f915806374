/**
 * @fileoverview The `struct bpf_sock` view a tc program gets from `skb->sk` (a sock_common: only
 * the fields `bpf_sock_common_is_valid_access` allows; type/protocol/mark/priority need
 * bpf_sk_fullsock, which is not modelled, so they are rejected here).
 *
 *    0 bound_dev_if  4 family  8 type  12 protocol  16 mark  20 priority  24 src_ip4
 *   28 src_ip6[4]  44 src_port (host order)  48 dst_port (__be16) + 2 pad  52 dst_ip4
 *   56 dst_ip6[4]  72 state  76 rx_queue_mapping                                  (80 bytes)
 */
import type { CtxAccess } from '../../vm/memory.js';
import type { SkbSock } from './skb.js';

export const BPF_SOCK_SIZE = 80;

/** Raw bytes of the readable bpf_sock fields for `sk` (little-endian memory image). */
function image(sk: SkbSock): Uint8Array {
  const b = new Uint8Array(BPF_SOCK_SIZE);
  const dv = new DataView(b.buffer);
  dv.setUint32(0, sk.boundDevIf >>> 0, true);
  dv.setUint32(4, sk.family >>> 0, true);
  if (sk.srcIp.length === 4) b.set(sk.srcIp, 24);
  else if (sk.srcIp.length === 16) b.set(sk.srcIp, 28);
  if (sk.dstIp.length === 4) b.set(sk.dstIp, 52);
  else if (sk.dstIp.length === 16) b.set(sk.dstIp, 56);
  dv.setUint32(44, sk.srcPort & 0xffff, true);
  dv.setUint16(48, sk.dstPort & 0xffff, false);
  dv.setUint32(72, sk.state >>> 0, true);
  dv.setInt32(76, sk.rxQueueMapping | 0, true);
  return b;
}

/**
 * Whether a bpf_sock load of [off, +size) is allowed. Stores never are. `full`: the pointer came
 * from bpf_sk_fullsock, so type/protocol/mark/priority (4-byte loads) are readable too.
 */
export function checkSockAccess(off: number, size: number, full = false): boolean {
  if (off < 0 || off >= BPF_SOCK_SIZE || off % size !== 0 || size > 4) return false;
  if (off >= 8 && off < 24) return full && size === 4; // need a full socket
  if (off >= 48 && off < 52) return off + size <= 50 || (off === 48 && size === 4);
  return true;
}

/** CtxAccess over a socket snapshot (the socket never changes during a tc run). */
export class SockCtx implements CtxAccess {
  private readonly bytes: Uint8Array;
  /** The test-run socket's type, protocol, mark and priority are all 0 (measured). */
  constructor(
    sk: SkbSock,
    private readonly full = false,
  ) {
    this.bytes = image(sk);
  }
  load(off: number, size: number, out: Int32Array): boolean {
    if (!checkSockAccess(off, size, this.full)) return false;
    let v = 0;
    for (let i = size - 1; i >= 0; i--) v = (v << 8) | this.bytes[off + i];
    out[0] = v | 0;
    out[1] = 0;
    return true;
  }
  store(): boolean {
    return false;
  }
}
