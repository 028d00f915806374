// SPDX-License-Identifier: GPL-2.0
/* Tail-call dispatcher. tail_dispatch picks a slot from the IP protocol and
 * tail-calls into jump_table; an empty slot falls through (the helper
 * returns and execution continues after the call). Slots are statically
 * initialised (ICMP, TCP, UDP); slot 0 is left empty for --set @NAME.
 * tail_loop tail-calls itself through loop_table to hit the kernel's
 * limit of 33 tail calls (MAX_TAIL_CALL_CNT), counting in cb[0]. */
#include "tcxlab_common.h"

enum { SLOT_DEFAULT = 0, SLOT_ICMP = 1, SLOT_TCP = 6, SLOT_UDP = 17 };

int tail_icmp(struct __sk_buff *skb);
int tail_tcp(struct __sk_buff *skb);
int tail_udp(struct __sk_buff *skb);
int tail_loop(struct __sk_buff *skb);

struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, 32);
	__uint(key_size, sizeof(__u32));
	__array(values, int (void *));
} jump_table SEC(".maps") = {
	.values = {
		[SLOT_ICMP] = (void *)&tail_icmp,
		[SLOT_TCP] = (void *)&tail_tcp,
		[SLOT_UDP] = (void *)&tail_udp,
	},
};

struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, 1);
	__uint(key_size, sizeof(__u32));
	__array(values, int (void *));
} loop_table SEC(".maps") = {
	.values = { [0] = (void *)&tail_loop },
};

SEC("tc")
int tail_icmp(struct __sk_buff *skb)
{
	skb->cb[1] = 1;
	return TC_ACT_OK;
}

SEC("tc")
int tail_tcp(struct __sk_buff *skb)
{
	skb->cb[1] = 6;
	skb->mark = 0x7c9;
	return TC_ACT_OK;
}

SEC("tc")
int tail_udp(struct __sk_buff *skb)
{
	skb->cb[1] = 17;
	return TC_ACT_SHOT;
}

/* target for "--set jump_table 00000000 @tail_default" */
SEC("tc")
int tail_default(struct __sk_buff *skb)
{
	skb->cb[1] = 0xdef;
	return TC_ACT_PIPE;
}

SEC("tcx/ingress")
int tail_dispatch(struct __sk_buff *skb)
{
	void *data = (void *)(long)skb->data;
	void *data_end = (void *)(long)skb->data_end;
	struct iphdr *ip = data + ETH_HLEN;
	__u32 slot = SLOT_DEFAULT;

	skb->cb[0] = 0xd15;
	if (skb->protocol == bpf_htons(ETH_P_IP) && (void *)(ip + 1) <= data_end)
		slot = ip->protocol;
	bpf_tail_call(skb, &jump_table, slot);
	/* only reached when the slot is empty (or out of range) */
	skb->cb[2] = slot;
	return TCX_NEXT;
}

SEC("tc")
int tail_loop(struct __sk_buff *skb)
{
	skb->cb[0]++;
	bpf_tail_call(skb, &loop_table, 0);
	return TC_ACT_OK;
}

char LICENSE[] SEC("license") = "GPL";
