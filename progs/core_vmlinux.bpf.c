// SPDX-License-Identifier: GPL-2.0
/* CO-RE against kernel-internal types, as programs built on a vmlinux.h do
 * (every vmlinux.h struct carries preserve_access_index, so even packet
 * header reads are relocated against the kernel's BTF):
 *  - direct packet reads through struct sctphdr / struct udphdr views;
 *  - type ids, sizes and field offsets of struct sk_buff, struct net_device
 *    and struct sock, which only a complete vmlinux BTF holds;
 *  - an enum value of a kernel-internal enum (skb_drop_reason).
 * The results go to .bss out[]; the kernel golden comes from libbpf
 * relocating the same object against the running kernel. */
#include "tcxlab_common.h"
#include <bpf/bpf_core_read.h>

/* vmlinux.h spellings: same names as the kernel's types */
struct sctphdr {
	__be16 source;
	__be16 dest;
	__be32 vtag;
	__le32 checksum;
} __attribute__((preserve_access_index));

struct sk_buff {
	unsigned int len;
	__u32 mark;
	__u32 priority;
	__be16 protocol;
} __attribute__((preserve_access_index));

struct net_device {
	int ifindex;
	unsigned int mtu;
} __attribute__((preserve_access_index));

struct sock {
	__u32 sk_mark;
} __attribute__((preserve_access_index));

enum skb_drop_reason {
	SKB_DROP_REASON_NOT_SPECIFIED = 2,
	SKB_DROP_REASON_PKT_TOO_SMALL = 5,
};

__u64 out[16];

SEC("tcx/ingress")
int core_kernel_types(struct __sk_buff *skb)
{
	out[0] = bpf_core_type_id_kernel(struct sk_buff);
	out[1] = bpf_core_type_size(struct sk_buff);
	out[2] = bpf_core_field_offset(struct sk_buff, mark);
	out[3] = bpf_core_field_offset(struct sk_buff, len);
	out[4] = bpf_core_field_offset(struct sk_buff, protocol) |
		 (__u64)bpf_core_field_size(struct sk_buff, protocol) << 32;
	out[5] = bpf_core_type_size(struct net_device);
	out[6] = bpf_core_field_offset(struct net_device, mtu);
	out[7] = bpf_core_field_offset(struct sock, sk_mark);
	out[8] = bpf_core_type_id_kernel(struct sctphdr);
	out[9] = bpf_core_enum_value(enum skb_drop_reason, SKB_DROP_REASON_PKT_TOO_SMALL);
	out[10] = bpf_core_type_exists(struct sctphdr) | bpf_core_field_exists(struct sock, sk_mark) << 1;
	return TCX_PASS;
}

SEC("tcx/ingress")
int core_sctp_ports(struct __sk_buff *skb)
{
	void *data = (void *)(long)skb->data;
	void *data_end = (void *)(long)skb->data_end;
	struct sctphdr *sh = data + L4_OFF;

	if (skb->protocol != bpf_htons(ETH_P_IP) || (void *)(sh + 1) > data_end)
		return TCX_PASS;
	/* ports sit where SCTP, UDP and TCP all keep them */
	skb->cb[0] = bpf_ntohs(sh->source);
	skb->cb[1] = bpf_ntohs(sh->dest);
	skb->cb[2] = sh->vtag;
	return sh->dest == bpf_htons(9) ? TCX_DROP : TCX_PASS;
}

char LICENSE[] SEC("license") = "GPL";
