/**
 * @fileoverview Which loads of `struct bpf_sock` the kernel allows (`bpf_sock_is_valid_access`,
 * `bpf_sock_common_is_valid_access` in net/core/filter.c): one rule for the verifier (a
 * sock/sock_common pointer's loads) and the runtime's view of skb->sk (src/skb/sock-ctx.ts).
 * Checked against the kernel on every offset and size (test/goldens/skb/sock-access.json).
 *
 *    0 bound_dev_if  4 family  8 type  12 protocol  16 mark  20 priority  24 src_ip4
 *   28 src_ip6[4]  44 src_port (host order)  48 dst_port (__be16) + 2 pad  52 dst_ip4
 *   56 dst_ip6[4]  72 state  76 rx_queue_mapping                                  (80 bytes)
 */

export const BPF_SOCK_SIZE = 80;

/**
 * Scalar fields: offset → [width of the kernel field (narrow loads shift/mask only below it),
 * full-socket only, 4-byte loads only]. Loads must start at the field's offset.
 */
export const BPF_SOCK_SCALARS: Readonly<Record<number, readonly [tgt: number, full: boolean, wordOnly: boolean]>> = {
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

/**
 * Whether a bpf_sock load of [off, +size) is allowed (stores never are); `full` for a full
 * socket (bpf_sock), else the sock_common view, which hides type, protocol, mark and priority.
 */
export function checkSockAccess(off: number, size: number, full = false): boolean {
  if (off < 0 || off >= BPF_SOCK_SIZE || (size !== 1 && size !== 2 && size !== 4) || off % size !== 0) return false;
  // Addresses: any aligned narrow load inside src_ip4..src_ip6, dst_ip4..dst_ip6.
  if ((off >= 24 && off < 44) || (off >= 52 && off < 72)) return true;
  if (off === 49) return size === 1; // the high byte of dst_port
  const s = BPF_SOCK_SCALARS[off];
  if (!s) return false;
  if (s[1] && !full) return false;
  return s[2] ? size === 4 : true;
}
