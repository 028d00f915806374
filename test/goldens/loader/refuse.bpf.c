// SPDX-License-Identifier: GPL-2.0
/* Loader/collection fixture: only the programs that use what tcxlab lacks are refused.
 *   uses_kfunc    calls a kfunc tcxlab does not implement
 *   via_subprog   reaches the same kfunc through a .text subprogram
 *   uses_xskmap   references a BPF_MAP_TYPE_XSKMAP (AF_XDP sockets; lookup)
 *   plain         uses an array map only: must load and run */
#include <linux/bpf.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf_helpers.h>

extern int bpf_some_kfunc(struct __sk_buff *skb, int x) __ksym;

struct {
	__uint(type, BPF_MAP_TYPE_XSKMAP);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __u32);
} xsks SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} hits SEC(".maps");

__attribute__((noinline)) int helper(struct __sk_buff *skb)
{
	return bpf_some_kfunc(skb, 1);
}

SEC("tc") int uses_kfunc(struct __sk_buff *skb) { return bpf_some_kfunc(skb, 3); }

SEC("tc") int via_subprog(struct __sk_buff *skb) { return helper(skb) ? TC_ACT_SHOT : TC_ACT_OK; }

SEC("tc") int uses_xskmap(struct __sk_buff *skb)
{
	__u32 k = 0;

	return bpf_map_lookup_elem(&xsks, &k) ? TC_ACT_SHOT : TC_ACT_OK;
}

SEC("tc") int plain(struct __sk_buff *skb)
{
	__u32 k = 0;
	__u64 *v = bpf_map_lookup_elem(&hits, &k);

	if (v)
		*v += 1;
	return TC_ACT_UNSPEC;
}

char LICENSE[] SEC("license") = "GPL";
