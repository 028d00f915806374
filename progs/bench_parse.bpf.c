// SPDX-License-Identifier: GPL-2.0
/* Benchmark 1: parse Ethernet / optional 802.1Q / IPv4 or IPv6 and drop UDP.
 * Pure direct packet access, no helpers, no maps: measures the interpreter's
 * and JIT's raw load/branch speed. */
#include "tcxlab_common.h"

struct vlan_hdr {
	__be16 tci;
	__be16 proto;
};

SEC("tcx/ingress")
int bench_parse(struct __sk_buff *skb)
{
	void *data = (void *)(long)skb->data;
	void *data_end = (void *)(long)skb->data_end;
	struct ethhdr *eth = data;
	__u16 proto;
	__u8 l4;
	void *l3;

	if ((void *)(eth + 1) > data_end)
		return TC_ACT_OK;
	proto = eth->h_proto;
	l3 = eth + 1;
	if (proto == bpf_htons(ETH_P_8021Q) || proto == bpf_htons(ETH_P_8021AD)) {
		struct vlan_hdr *vh = l3;

		if ((void *)(vh + 1) > data_end)
			return TC_ACT_OK;
		proto = vh->proto;
		l3 = vh + 1;
	}
	if (proto == bpf_htons(ETH_P_IP)) {
		struct iphdr *ip = l3;

		if ((void *)(ip + 1) > data_end)
			return TC_ACT_OK;
		if (ip->ihl < 5)
			return TC_ACT_SHOT;
		l4 = ip->protocol;
	} else if (proto == bpf_htons(ETH_P_IPV6)) {
		struct ipv6hdr *ip6 = l3;

		if ((void *)(ip6 + 1) > data_end)
			return TC_ACT_OK;
		l4 = ip6->nexthdr;
	} else {
		return TC_ACT_OK;
	}
	return l4 == IPPROTO_UDP ? TC_ACT_SHOT : TC_ACT_OK;
}

char LICENSE[] SEC("license") = "GPL";
