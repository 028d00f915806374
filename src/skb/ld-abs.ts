/**
 * @fileoverview LD_ABS / LD_IND packet access for an skb (`bpf_skb_load_helper_{8,16,32}` and
 * `bpf_skb_load_helper_convert_offset` in net/core/filter.c, which the verifier calls for these
 * legacy instructions). Offsets are relative to skb->data; SKF_NET_OFF / SKF_LL_OFF select the
 * network or link-layer header. Values are big-endian (the instruction's result is in host order
 * after the kernel's ntohs/ntohl).
 */
import type { PacketProvider } from '../../vm/program.js';
import type { Skb } from './skb.js';

/** SKF_NET_OFF / SKF_LL_OFF (uapi linux/filter.h). */
export const SKF_NET_OFF = -0x100000;
export const SKF_LL_OFF = -0x200000;

/**
 * The PacketProvider of an skb (reads the skb's current layout at every access). `skb` may be
 * pointed at another skb between runs: the netdev keeps one provider per run state.
 */
export class SkbPacketProvider implements PacketProvider {
  constructor(public skb: Skb) {}
  loadAbs(offset: number, size: number): number | undefined {
    const skb = this.skb;
    offset |= 0;
    if (offset < 0) {
      if (offset >= SKF_NET_OFF) offset = offset - SKF_NET_OFF + skb.networkOffset();
      else if (offset >= SKF_LL_OFF && skb.macHeader >= 0) offset = offset - SKF_LL_OFF + skb.macOffset();
      else return undefined;
    }
    // The skb is linear: headlen == len, and skb_copy_bits fails past the end too.
    if (offset < 0 || offset + size > skb.len) return undefined;
    const b = skb.buf;
    const at = skb.data + offset;
    if (size === 1) return b[at];
    if (size === 2) return (b[at] << 8) | b[at + 1];
    return ((b[at] << 24) | (b[at + 1] << 16) | (b[at + 2] << 8) | b[at + 3]) >>> 0;
  }
}

/** The PacketProvider of `skb`. */
export function skbPacketProvider(skb: Skb): SkbPacketProvider {
  return new SkbPacketProvider(skb);
}
