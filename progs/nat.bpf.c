// SPDX-License-Identifier: GPL-2.0
/* Stateful 1:1 NAT for IPv4 TCP/UDP/ICMP with a rule map.
 *  nat_dnat (tcx/ingress): daddr:dport -> backend addr:port from dnat_rules,
 *    fixing checksums incrementally with bpf_l3_csum_replace and
 *    bpf_l4_csum_replace (pseudo-header flag for the address);
 *  nat_snat (tcx/egress): saddr -> snat_addr, but the checksum delta is
 *    computed with bpf_csum_diff over the old and new 4-byte words and
 *    applied with a from=0 csum_replace (the "diff" calling convention);
 *  nat_icmp_id (tc): rewrites the ICMP echo identifier using csum_diff on
 *    2-byte-padded words, plus bpf_csum_update on a CHECKSUM_COMPLETE skb.
 * Rule key: {daddr BE, dport BE, proto, pad}; value {addr BE, port BE, pad}. */
#include "tcxlab_common.h"

struct nat_key {
	__u32 addr;
	__u16 port;
	__u8 proto;
	__u8 pad;
};

struct nat_val {
	__u32 addr;
	__u16 port;
	__u16 pad;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 64);
	__type(key, struct nat_key);
	__type(value, struct nat_val);
} dnat_rules SEC(".maps");

const volatile __u32 snat_addr = 0xcb007101;	/* 203.0.113.1 */

struct icmp_echo {
	__u8 type;
	__u8 code;
	__sum16 csum;
	__be16 id;
	__be16 seq;
};

static __always_inline int l4_csum_off(__u8 proto)
{
	if (proto == IPPROTO_TCP)
		return TCP_CSUM_OFF;
	if (proto == IPPROTO_UDP)
		return UDP_CSUM_OFF;
	return -1;
}

SEC("tcx/ingress")
int nat_dnat(struct __sk_buff *skb)
{
	void *data = (void *)(long)skb->data;
	void *data_end = (void *)(long)skb->data_end;
	struct iphdr *ip = data + ETH_HLEN;
	struct udphdr *uh = (void *)(ip + 1);	/* ports at the same place in TCP */
	struct nat_key k = {};
	struct nat_val *v;
	__u32 old_addr;
	__u16 old_port;
	int off;
	long err = 0;

	if ((void *)(uh + 1) > data_end || skb->protocol != bpf_htons(ETH_P_IP) || ip->ihl != 5)
		return TC_ACT_OK;
	off = l4_csum_off(ip->protocol);
	if (off < 0)
		return TC_ACT_OK;
	k.addr = ip->daddr;
	k.port = uh->dest;
	k.proto = ip->protocol;
	v = bpf_map_lookup_elem(&dnat_rules, &k);
	if (!v)
		return TC_ACT_OK;
	old_addr = ip->daddr;
	old_port = uh->dest;

	err |= bpf_l4_csum_replace(skb, off, old_addr, v->addr,
				   BPF_F_PSEUDO_HDR | BPF_F_MARK_MANGLED_0 | sizeof(__u32));
	err |= bpf_l4_csum_replace(skb, off, old_port, v->port,
				   BPF_F_MARK_MANGLED_0 | sizeof(__u16));
	err |= bpf_l3_csum_replace(skb, IP_CSUM_OFF, old_addr, v->addr, sizeof(__u32));
	err |= bpf_skb_store_bytes(skb, IP_DST_OFF, &v->addr, 4, 0);
	err |= bpf_skb_store_bytes(skb, L4_OFF + 2, &v->port, 2, 0);
	skb->cb[0] = (__u32)err;
	return err ? TC_ACT_SHOT : TC_ACT_OK;
}

SEC("tcx/egress")
int nat_snat(struct __sk_buff *skb)
{
	void *data = (void *)(long)skb->data;
	void *data_end = (void *)(long)skb->data_end;
	struct iphdr *ip = data + ETH_HLEN;
	__u32 old_addr, new_addr = bpf_htonl(snat_addr);
	__s64 diff;
	int off;

	if ((void *)(ip + 1) > data_end || skb->protocol != bpf_htons(ETH_P_IP) || ip->ihl != 5)
		return TC_ACT_OK;
	old_addr = ip->saddr;
	off = l4_csum_off(ip->protocol);
	diff = bpf_csum_diff(&old_addr, 4, &new_addr, 4, 0);
	skb->cb[0] = (__u32)diff;
	if (diff < 0)
		return TC_ACT_SHOT;
	bpf_l3_csum_replace(skb, IP_CSUM_OFF, 0, diff, 0);
	if (off > 0)
		bpf_l4_csum_replace(skb, off, 0, diff,
				    BPF_F_PSEUDO_HDR | BPF_F_MARK_MANGLED_0);
	bpf_skb_store_bytes(skb, IP_SRC_OFF, &new_addr, 4, 0);
	return TC_ACT_OK;
}

SEC("tc")
int nat_icmp_id(struct __sk_buff *skb)
{
	void *data = (void *)(long)skb->data;
	void *data_end = (void *)(long)skb->data_end;
	struct iphdr *ip = data + ETH_HLEN;
	struct icmp_echo *ic = (void *)(ip + 1);
	__u32 old_w = 0, new_w = 0;
	__u16 new_id;
	__s64 diff;

	if ((void *)(ic + 1) > data_end || skb->protocol != bpf_htons(ETH_P_IP) ||
	    ip->ihl != 5 || ip->protocol != IPPROTO_ICMP)
		return TC_ACT_OK;
	if (ic->type != 8 && ic->type != 0)	/* echo request / reply */
		return TC_ACT_OK;
	new_id = bpf_htons(bpf_ntohs(ic->id) ^ 0x5a5a);
	/* csum_diff works on 4-byte multiples: pad the 16-bit id to a word */
	old_w = ic->id;
	new_w = new_id;
	diff = bpf_csum_diff(&old_w, 4, &new_w, 4, 0);
	bpf_l4_csum_replace(skb, L4_OFF + 2, 0, diff, 0);
	bpf_skb_store_bytes(skb, L4_OFF + 4, &new_id, 2, 0);
	/* on a CHECKSUM_COMPLETE skb this keeps skb->csum in step; otherwise it
	 * returns the (unchanged) csum without effect */
	skb->cb[0] = (__u32)bpf_csum_update(skb, diff);
	skb->cb[1] = (__u32)diff;
	return TC_ACT_OK;
}

char LICENSE[] SEC("license") = "GPL";
