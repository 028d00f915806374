// SPDX-License-Identifier: GPL-2.0
/* Map behaviour probe; see probe.h and record.sh. bpf_for_each_map_elem: what is visited,
 * the count it returns (the stopping element included), and what callbacks see. */
#include "probe.h"

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 6);
	__type(key, __u32);
	__type(value, __u64);
} fa SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 8);
	__type(key, __u32);
	__type(value, __u64);
} fh SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 3);
	__type(key, __u32);
	__type(value, __u64);
} fp SEC(".maps");

struct acc { __u64 sum; __u64 keys; __u32 stop_at; };

static long sum_cb(void *map, __u32 *key, __u64 *val, struct acc *a)
{
	a->sum += *val;
	a->keys += *key;
	*val += 1000;                   /* values are writable from the callback */
	return *key == a->stop_at ? 1 : 0;
}

SEC("tc")
int t_for_each(struct __sk_buff *skb)
{
	__u32 n = 0, k;
	__u64 v;
	struct acc a;

	for (k = 0; k < 6; k++) {
		v = k * 10;
		bpf_map_update_elem(&fa, &k, &v, BPF_ANY);
	}
	a.sum = 0; a.keys = 0; a.stop_at = 99;
	rec(&n, bpf_for_each_map_elem(&fa, sum_cb, &a, 0));
	rec(&n, a.sum); rec(&n, a.keys);
	a.sum = 0; a.keys = 0; a.stop_at = 2;
	rec(&n, bpf_for_each_map_elem(&fa, sum_cb, &a, 0));
	rec(&n, a.sum); rec(&n, a.keys);
	rec(&n, bpf_for_each_map_elem(&fa, sum_cb, &a, 1));   /* flags: EINVAL */

	for (k = 1; k <= 5; k++) {
		v = k;
		bpf_map_update_elem(&fh, &k, &v, BPF_ANY);
	}
	a.sum = 0; a.keys = 0; a.stop_at = 99;
	rec(&n, bpf_for_each_map_elem(&fh, sum_cb, &a, 0));
	rec(&n, a.sum); rec(&n, a.keys);

	k = 1; v = 7;
	bpf_map_update_elem(&fp, &k, &v, BPF_ANY);
	a.sum = 0; a.keys = 0; a.stop_at = 99;
	rec(&n, bpf_for_each_map_elem(&fp, sum_cb, &a, 0));
	rec(&n, a.sum); rec(&n, a.keys);
	return TC_ACT_OK;
}

char LICENSE[] SEC("license") = "GPL";
