// SPDX-License-Identifier: GPL-2.0
/* Fixture for `tcxlab prog show` and `tcxlab map dump`: one map of each common kind, filled by
 * one run on a known frame. record.sh loads it with
 * bpftool, runs `count` once and records what bpftool prints (test/cli/map-dump.test.ts,
 * test/cli/prog-show.test.ts compare). */
#include "tcxlab_common.h"

struct pair {
	__u32 a;
	__u16 b;
	__u8 c[2];
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 3);
	__type(key, __u32);
	__type(value, __u64);
} arr SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 8);
	__type(key, __u32);
	__type(value, struct pair);
} hsh SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 2);
	__type(key, __u32);
	__type(value, __u32);
} pcpu SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_HASH);
	__uint(max_entries, 4);
	__type(key, __u16);
	__type(value, __u64);
} pch SEC(".maps");

SEC("tc")
int count(struct __sk_buff *skb)
{
	__u32 k = 1, k2 = 7;
	__u16 hk = 0x1234;
	__u64 one = 1, *v;
	struct pair p = { .a = skb->len, .b = 0xbeef, .c = { 1, 2 } };
	__u32 *c;

	v = bpf_map_lookup_elem(&arr, &k);
	if (v)
		*v += skb->len;
	bpf_map_update_elem(&hsh, &k2, &p, BPF_ANY);
	c = bpf_map_lookup_elem(&pcpu, &k);
	if (c)
		*c += 5;
	bpf_map_update_elem(&pch, &hk, &one, BPF_ANY);
	return TC_ACT_OK;
}

char _license[] SEC("license") = "GPL";
