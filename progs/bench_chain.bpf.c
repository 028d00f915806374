// SPDX-License-Identifier: GPL-2.0
/* Benchmark 4: three small programs meant to be attached in this order on one
 * tcx hook (tcx/ingress), with a classic cls_bpf program behind them:
 *   chain_count  counts packets per ethertype class, returns TCX_NEXT
 *   chain_mark   marks IPv4 packets by DSCP, returns TCX_NEXT
 *   chain_filter drops frames shorter than 42 bytes (Ethernet + IPv4 + UDP
 *                headers), otherwise TCX_NEXT
 *   chain_classic (SEC "classifier") is the classic fallback: sets
 *                 tc_classid from the mark and returns TC_ACT_OK.
 * With every program returning NEXT the packet reaches the classic path. */
#include "tcxlab_common.h"

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __u64);	/* [0] IPv4 [1] IPv6 [2] other [3] classic */
} chain_stats SEC(".maps");

static __always_inline void bump(__u32 idx)
{
	__u64 *c = bpf_map_lookup_elem(&chain_stats, &idx);

	if (c)
		__sync_fetch_and_add(c, 1);
}

SEC("tcx/ingress")
int chain_count(struct __sk_buff *skb)
{
	if (skb->protocol == bpf_htons(ETH_P_IP))
		bump(0);
	else if (skb->protocol == bpf_htons(ETH_P_IPV6))
		bump(1);
	else
		bump(2);
	return TCX_NEXT;
}

SEC("tcx/ingress")
int chain_mark(struct __sk_buff *skb)
{
	void *data = (void *)(long)skb->data;
	void *data_end = (void *)(long)skb->data_end;
	struct iphdr *ip = data + ETH_HLEN;

	if (skb->protocol != bpf_htons(ETH_P_IP) || (void *)(ip + 1) > data_end)
		return TCX_NEXT;
	skb->mark = 0x100 | (ip->tos >> 2);
	return TCX_NEXT;
}

SEC("tcx/ingress")
int chain_filter(struct __sk_buff *skb)
{
	if (skb->len < 42)
		return TCX_DROP;
	return TCX_NEXT;
}

SEC("classifier")
int chain_classic(struct __sk_buff *skb)
{
	bump(3);
	skb->tc_classid = skb->mark & 0xffff;
	return TC_ACT_OK;
}

char LICENSE[] SEC("license") = "GPL";
