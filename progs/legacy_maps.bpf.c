// SPDX-License-Identifier: GPL-2.0
/* Legacy map definitions: struct bpf_map_def in SEC("maps"), the format of
 * samples/bpf and pre-BTF libbpf. libbpf >= 1.0 refuses this section, so the
 * kernel oracle (libbpf 1.1) cannot load this object: it is a loader-only
 * fixture. The struct is declared here because libbpf removed it. */
#include "tcxlab_common.h"

struct bpf_map_def {
	unsigned int type;
	unsigned int key_size;
	unsigned int value_size;
	unsigned int max_entries;
	unsigned int map_flags;
};

struct bpf_map_def SEC("maps") legacy_counts = {
	.type = BPF_MAP_TYPE_ARRAY,
	.key_size = sizeof(__u32),
	.value_size = sizeof(__u64),
	.max_entries = 8,
};

struct bpf_map_def SEC("maps") legacy_flows = {
	.type = BPF_MAP_TYPE_HASH,
	.key_size = sizeof(__u32),
	.value_size = sizeof(__u32),
	.max_entries = 64,
	.map_flags = BPF_F_NO_PREALLOC,
};

struct bpf_map_def SEC("maps") legacy_percpu = {
	.type = BPF_MAP_TYPE_PERCPU_ARRAY,
	.key_size = sizeof(__u32),
	.value_size = sizeof(__u64),
	.max_entries = 1,
};

SEC("classifier")
int legacy_count(struct __sk_buff *skb)
{
	__u32 idx = skb->pkt_type & 7, zero = 0;
	__u64 *c;

	c = bpf_map_lookup_elem(&legacy_counts, &idx);
	if (c)
		__sync_fetch_and_add(c, 1);
	c = bpf_map_lookup_elem(&legacy_percpu, &zero);
	if (c)
		*c += skb->len;
	return TC_ACT_OK;
}

SEC("classifier")
int legacy_flow(struct __sk_buff *skb)
{
	__u32 key = skb->hash ? skb->hash : skb->len, *v, one = 1;

	v = bpf_map_lookup_elem(&legacy_flows, &key);
	if (v)
		(*v)++;
	else
		bpf_map_update_elem(&legacy_flows, &key, &one, BPF_ANY);
	return TC_ACT_OK;
}

char LICENSE[] SEC("license") = "GPL";
