// SPDX-License-Identifier: GPL-2.0
/* Benchmark 3: stateless source NAT for IPv4 TCP/UDP. Rewrites saddr and the
 * source port with bpf_skb_store_bytes and fixes the IP and L4 checksums with
 * bpf_l3_csum_replace / bpf_l4_csum_replace (BPF_F_PSEUDO_HDR for the
 * address, which is part of the pseudo-header). The new address comes from
 * .rodata so it can be overridden with --set .rodata. */
#include "tcxlab_common.h"

const volatile __u32 nat_addr = 0xc0a86401;	/* 192.168.100.1, host order */
const volatile __u16 nat_port_base = 40000;

SEC("tcx/egress")
int bench_nat(struct __sk_buff *skb)
{
	void *data = (void *)(long)skb->data;
	void *data_end = (void *)(long)skb->data_end;
	struct ethhdr *eth = data;
	struct iphdr *ip = (void *)(eth + 1);
	__u32 old_ip, new_ip = bpf_htonl(nat_addr);
	__u16 old_port, new_port;
	__u32 csum_off;
	__u8 proto;

	if ((void *)(ip + 1) > data_end || eth->h_proto != bpf_htons(ETH_P_IP))
		return TC_ACT_OK;
	if (ip->ihl != 5 || (ip->frag_off & bpf_htons(0x3fff)))
		return TC_ACT_OK;
	proto = ip->protocol;
	if (proto == IPPROTO_TCP) {
		struct tcphdr *th = (void *)(ip + 1);

		if ((void *)(th + 1) > data_end)
			return TC_ACT_OK;
		old_port = th->source;
		csum_off = TCP_CSUM_OFF;
	} else if (proto == IPPROTO_UDP) {
		struct udphdr *uh = (void *)(ip + 1);

		if ((void *)(uh + 1) > data_end)
			return TC_ACT_OK;
		old_port = uh->source;
		csum_off = UDP_CSUM_OFF;
	} else {
		return TC_ACT_OK;
	}
	old_ip = ip->saddr;
	new_port = bpf_htons(nat_port_base + (bpf_ntohs(old_port) & 0x3ff));

	/* L4 first: it covers the address through the pseudo-header. A UDP
	 * checksum of 0 means "none" and must stay 0 (BPF_F_MARK_MANGLED_0). */
	if (proto == IPPROTO_UDP) {
		bpf_l4_csum_replace(skb, csum_off, old_ip, new_ip,
				    BPF_F_PSEUDO_HDR | BPF_F_MARK_MANGLED_0 | 4);
		bpf_l4_csum_replace(skb, csum_off, old_port, new_port,
				    BPF_F_MARK_MANGLED_0 | 2);
	} else {
		bpf_l4_csum_replace(skb, csum_off, old_ip, new_ip, BPF_F_PSEUDO_HDR | 4);
		bpf_l4_csum_replace(skb, csum_off, old_port, new_port, 2);
	}
	bpf_l3_csum_replace(skb, IP_CSUM_OFF, old_ip, new_ip, 4);
	bpf_skb_store_bytes(skb, IP_SRC_OFF, &new_ip, 4, 0);
	bpf_skb_store_bytes(skb, L4_OFF, &new_port, 2, 0);
	return TC_ACT_OK;
}

char LICENSE[] SEC("license") = "GPL";
