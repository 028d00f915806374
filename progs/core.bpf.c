// SPDX-License-Identifier: GPL-2.0
/* CO-RE relocations against the running kernel's BTF:
 *  - field offsets of struct __sk_buff through a local ___flavor struct
 *    declared with preserve_access_index, read as direct ctx loads
 *    (the loader must patch the offsets; here they equal the uapi ones);
 *  - bpf_core_field_exists / bpf_core_field_size / bpf_core_type_exists /
 *    bpf_core_enum_value_exists on uapi and kernel types, including a field
 *    that does not exist in the kernel (relocated to 0);
 *  - BPF_CORE_READ through bpf_probe_read_kernel on struct iphdr fields that
 *    lie in the packet (packet memory is kernel memory, so the read is
 *    deterministic). */
#include "tcxlab_common.h"
#include <bpf/bpf_core_read.h>

/* local view of __sk_buff: only the fields we use, in a different order */
struct __sk_buff___tcxlab {
	__u32 mark;
	__u32 len;
	__u32 priority;
	__u32 protocol;
	__u32 ifindex;
	__u32 cb[5];
	__u8 tstamp_type;
	__u32 no_such_field;	/* absent from the kernel's __sk_buff */
} __attribute__((preserve_access_index));

/* flavoured view of the kernel's struct iphdr */
struct iphdr___tcxlab {
	__u8 ihl:4, version:4;
	__u8 tos;
	__be16 tot_len;
	__be16 id;
	__be16 frag_off;
	__u8 ttl;
	__u8 protocol;
	__sum16 check;
	__be32 saddr;
	__be32 daddr;
} __attribute__((preserve_access_index));

struct not_a_kernel_type___tcxlab {
	int x;
} __attribute__((preserve_access_index));

enum bpf_func_id___tcxlab {
	BPF_FUNC_skb_set_tstamp___tcxlab = 192,
	BPF_FUNC_not_there___tcxlab = 9999,
};

SEC("tcx/ingress")
int core_fields(struct __sk_buff *skb)
{
	struct __sk_buff___tcxlab *s = (void *)skb;
	__u32 flags = 0;

	if (bpf_core_field_exists(s->tstamp_type))
		flags |= 1;
	if (bpf_core_field_exists(s->no_such_field))
		flags |= 2;
	if (bpf_core_type_exists(struct iphdr___tcxlab))
		flags |= 4;
	if (bpf_core_type_exists(struct not_a_kernel_type___tcxlab))
		flags |= 8;
	if (bpf_core_enum_value_exists(enum bpf_func_id___tcxlab,
				       BPF_FUNC_skb_set_tstamp___tcxlab))
		flags |= 16;
	if (bpf_core_enum_value_exists(enum bpf_func_id___tcxlab,
				       BPF_FUNC_not_there___tcxlab))
		flags |= 32;

	s->cb[0] = flags;
	s->cb[1] = s->len + s->ifindex;
	s->cb[2] = bpf_core_field_size(s->priority) |
		   bpf_core_field_offset(s->ifindex) << 8;
	s->cb[3] = s->protocol;
	s->mark = s->priority + 1;
	return TC_ACT_OK;
}

SEC("tcx/ingress")
int core_read_ip(struct __sk_buff *skb)
{
	void *data = (void *)(long)skb->data;
	void *data_end = (void *)(long)skb->data_end;
	struct iphdr___tcxlab *ip = data + ETH_HLEN;

	if (skb->protocol != bpf_htons(ETH_P_IP) || (void *)(ip + 1) > data_end)
		return TC_ACT_OK;
	skb->cb[0] = BPF_CORE_READ(ip, ttl);
	skb->cb[1] = BPF_CORE_READ(ip, saddr);
	skb->cb[2] = BPF_CORE_READ_BITFIELD_PROBED(ip, ihl);
	skb->cb[3] = BPF_CORE_READ_BITFIELD(ip, version);
	return TC_ACT_OK;
}

char LICENSE[] SEC("license") = "GPL";
