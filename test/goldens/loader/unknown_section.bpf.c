// SPDX-License-Identifier: GPL-2.0
/* A program in a section libbpf does not know: needs programType (bpftool "type classifier"). */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("from-netdev")
int from_netdev(struct __sk_buff *skb)
{
	return skb->len > 100 ? 2 : 0;
}

char LICENSE[] SEC("license") = "GPL";
