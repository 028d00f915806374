// SPDX-License-Identifier: GPL-2.0
/* VLAN tagging with the hardware-accel helpers.
 *  vlan_push (tcx/egress): bpf_skb_vlan_push(802.1Q, vid from .rodata or
 *    cb[0]); on an skb that already has an accel tag the old tag is first
 *    inserted into the payload (double tagging);
 *  vlan_pop (tcx/ingress): bpf_skb_vlan_pop; on a test-run skb the tag is in
 *    the packet (not accelerated), and pop strips it from the payload;
 *  vlan_push_pop (tc): push twice then pop once, reporting vlan_* fields. */
#include "tcxlab_common.h"

const volatile __u16 default_vid = 100;

SEC("tcx/egress")
int vlan_push(struct __sk_buff *skb)
{
	__u16 vid = skb->cb[0] ? skb->cb[0] : default_vid;
	long r;

	r = bpf_skb_vlan_push(skb, bpf_htons(ETH_P_8021Q), vid | (3 << 13));
	skb->cb[1] = (__u32)r;
	skb->cb[2] = skb->vlan_present | skb->vlan_tci << 8;
	skb->cb[3] = skb->vlan_proto;
	return r ? TC_ACT_SHOT : TC_ACT_OK;
}

SEC("tcx/ingress")
int vlan_pop(struct __sk_buff *skb)
{
	long r;

	skb->cb[0] = skb->vlan_present;
	r = bpf_skb_vlan_pop(skb);
	skb->cb[1] = (__u32)r;
	skb->cb[2] = skb->protocol;
	skb->cb[3] = skb->len;
	skb->cb[4] = skb->vlan_present | skb->vlan_tci << 8 | skb->vlan_proto << 24;
	return r ? TC_ACT_SHOT : TC_ACT_OK;
}

SEC("tc")
int vlan_push_pop(struct __sk_buff *skb)
{
	long r1, r2, r3;

	r1 = bpf_skb_vlan_push(skb, bpf_htons(ETH_P_8021AD), 10);
	r2 = bpf_skb_vlan_push(skb, bpf_htons(ETH_P_8021Q), 20);
	skb->cb[0] = skb->vlan_tci | skb->vlan_proto << 16;
	r3 = bpf_skb_vlan_pop(skb);
	skb->cb[1] = skb->vlan_tci | skb->vlan_proto << 16;
	skb->cb[2] = (__u32)(r1 | r2 << 8 | r3 << 16);
	skb->cb[3] = skb->len;
	/* a proto other than 802.1Q/802.1AD is not rejected: the kernel
	 * (bpf_skb_vlan_push) silently uses 802.1Q instead */
	skb->cb[4] = (__u32)bpf_skb_vlan_push(skb, bpf_htons(0x1234), 1);
	return TC_ACT_OK;
}

char LICENSE[] SEC("license") = "GPL";
