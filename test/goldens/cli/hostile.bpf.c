// SPDX-License-Identifier: GPL-2.0
/* Fixture for the CLI hardening tests: maps whose names are Object.prototype keys, a prog
 * array with 100,000,000 slots (the kernel allocates 800 MB of pointers; tcxlab fills slots
 * lazily) and a tail call through it. Built by record.sh. */
#include "tcxlab_common.h"

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
} __proto__ SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __u32);
} constructor SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, 100000000);
	__type(key, __u32);
	__type(value, __u32);
} jt SEC(".maps");

SEC("tc")
int leaf(struct __sk_buff *skb)
{
	return TC_ACT_SHOT;
}

SEC("tc")
int hostile(struct __sk_buff *skb)
{
	__u32 k = 0, one = 1, *v = bpf_map_lookup_elem(&__proto__, &k);

	if (v)
		*v += 1;
	bpf_map_update_elem(&constructor, &k, &one, BPF_ANY);
	bpf_tail_call(skb, &jt, 99999999);
	return TC_ACT_OK;
}

char LICENSE[] SEC("license") = "GPL";
