// SPDX-License-Identifier: GPL-2.0
/* IPIP encapsulation and decapsulation with bpf_skb_adjust_room.
 *  encap_ipip (tcx/egress): grows room at the network layer by 20 bytes
 *    (BPF_ADJ_ROOM_MAC, with BPF_F_ADJ_ROOM_ENCAP_L3_IPV4 flags) and writes an
 *    outer IPv4 header with protocol 4 and a computed checksum (csum_diff
 *    over the new header);
 *  decap_ipip (tcx/ingress): if the packet is IPv4 protocol 4, removes the
 *    outer header (negative len_diff);
 *  adjust_room_probe (tc): tries several adjust_room modes/sizes and records
 *    each return code in cb[]/a map, including the error cases. */
#include "tcxlab_common.h"

const volatile __u32 tun_src = 0xc0000201;	/* 192.0.2.1 */
const volatile __u32 tun_dst = 0xc0000202;	/* 192.0.2.2 */

SEC("tcx/egress")
int encap_ipip(struct __sk_buff *skb)
{
	void *data, *data_end;
	struct iphdr *inner, outer = {};
	__u16 inner_len;
	__s64 csum;
	long r;

	data = (void *)(long)skb->data;
	data_end = (void *)(long)skb->data_end;
	inner = data + ETH_HLEN;
	if ((void *)(inner + 1) > data_end || skb->protocol != bpf_htons(ETH_P_IP))
		return TC_ACT_OK;
	inner_len = bpf_ntohs(inner->tot_len);
	outer.version = 4;
	outer.ihl = 5;
	outer.tos = inner->tos;
	outer.ttl = 64;
	outer.protocol = IPPROTO_IPIP;
	outer.tot_len = bpf_htons(inner_len + sizeof(outer));
	outer.saddr = bpf_htonl(tun_src);
	outer.daddr = bpf_htonl(tun_dst);
	csum = bpf_csum_diff(0, 0, (__be32 *)&outer, sizeof(outer), 0);
	csum = (csum & 0xffff) + (csum >> 16);
	csum = (csum & 0xffff) + (csum >> 16);
	outer.check = ~csum;

	r = bpf_skb_adjust_room(skb, sizeof(outer), BPF_ADJ_ROOM_MAC,
				BPF_F_ADJ_ROOM_ENCAP_L3_IPV4);
	skb->cb[0] = (__u32)r;
	if (r)
		return TC_ACT_SHOT;
	r = bpf_skb_store_bytes(skb, ETH_HLEN, &outer, sizeof(outer), 0);
	skb->cb[1] = (__u32)r;
	return r ? TC_ACT_SHOT : TC_ACT_OK;
}

SEC("tcx/ingress")
int decap_ipip(struct __sk_buff *skb)
{
	void *data = (void *)(long)skb->data;
	void *data_end = (void *)(long)skb->data_end;
	struct iphdr *outer = data + ETH_HLEN;
	long r;

	if ((void *)(outer + 1) > data_end || skb->protocol != bpf_htons(ETH_P_IP) ||
	    outer->protocol != IPPROTO_IPIP || outer->ihl != 5)
		return TC_ACT_OK;
	r = bpf_skb_adjust_room(skb, -(int)sizeof(struct iphdr), BPF_ADJ_ROOM_MAC, 0);
	skb->cb[0] = (__u32)r;
	return r ? TC_ACT_SHOT : TC_ACT_OK;
}

SEC("tc")
int adjust_room_probe(struct __sk_buff *skb)
{
	/* each result is stored; the packet ends up 8 bytes longer if the
	 * first call succeeded and the second was undone by the third */
	skb->cb[0] = (__u32)bpf_skb_adjust_room(skb, 8, BPF_ADJ_ROOM_NET, 0);
	skb->cb[1] = (__u32)bpf_skb_adjust_room(skb, 4, BPF_ADJ_ROOM_MAC, 0);
	skb->cb[2] = (__u32)bpf_skb_adjust_room(skb, -4, BPF_ADJ_ROOM_MAC, 0);
	skb->cb[3] = (__u32)bpf_skb_adjust_room(skb, 8, 7, 0);	/* bad mode */
	skb->cb[4] = (__u32)bpf_skb_adjust_room(skb, -2000, BPF_ADJ_ROOM_NET, 0);
	return skb->len;
}

char LICENSE[] SEC("license") = "GPL";
