/**
 * @fileoverview The `struct bpf_sock` view a tc program gets from `skb->sk`
 * (`bpf_sock_convert_ctx_access` in net/core/filter.c). The plain view is a sock_common;
 * bpf_sk_fullsock's result (`full`) also exposes type, protocol, mark and priority. Which loads
 * are allowed, and the field layout: vm/bpf-sock.ts.
 */
import type { CtxAccess } from '../../vm/memory.js';
import { BPF_SOCK_SCALARS as SCALARS, BPF_SOCK_SIZE, checkSockAccess } from '../../vm/bpf-sock.js';
import type { SkbSock } from './skb.js';

export { BPF_SOCK_SIZE, checkSockAccess };

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
