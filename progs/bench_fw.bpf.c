// SPDX-License-Identifier: GPL-2.0
/* Benchmark 2: IPv4 firewall. The source address is looked up in an LPM trie
 * of blocked prefixes; a hit drops the packet and counts it. Non-IPv4 passes.
 * Seed with: --set blocklist <prefixlen u32 LE><addr BE> <action u32> */
#include "tcxlab_common.h"

struct lpm_v4_key {
	__u32 prefixlen;
	__u32 addr;		/* network byte order */
};

struct {
	__uint(type, BPF_MAP_TYPE_LPM_TRIE);
	__uint(max_entries, 1024);
	__type(key, struct lpm_v4_key);
	__type(value, __u32);	/* 0 = allow, otherwise drop */
	__uint(map_flags, BPF_F_NO_PREALLOC);
} blocklist SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 2);
	__type(key, __u32);
	__type(value, __u64);	/* [0] passed, [1] dropped */
} fw_stats SEC(".maps");

SEC("tcx/ingress")
int bench_fw(struct __sk_buff *skb)
{
	void *data = (void *)(long)skb->data;
	void *data_end = (void *)(long)skb->data_end;
	struct ethhdr *eth = data;
	struct iphdr *ip = (void *)(eth + 1);
	struct lpm_v4_key key;
	__u32 *action, idx = 0;
	__u64 *cnt;

	if ((void *)(ip + 1) > data_end || eth->h_proto != bpf_htons(ETH_P_IP))
		return TC_ACT_OK;
	key.prefixlen = 32;
	key.addr = ip->saddr;
	action = bpf_map_lookup_elem(&blocklist, &key);
	if (action && *action)
		idx = 1;
	cnt = bpf_map_lookup_elem(&fw_stats, &idx);
	if (cnt)
		*cnt += 1;
	return idx ? TC_ACT_SHOT : TC_ACT_OK;
}

char LICENSE[] SEC("license") = "GPL";
