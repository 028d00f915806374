// SPDX-License-Identifier: GPL-2.0
/* Map behaviour probe; see probe.h and record.sh. */
#include "probe.h"

/* ---------------------------------------- prog array and map in map */
struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, 3);
	__type(key, __u32);
	__type(value, __u32);
} jt SEC(".maps");

struct inner {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 2);
	__type(key, __u32);
	__type(value, __u32);
} inner0 SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS);
	__uint(max_entries, 2);
	__type(key, __u32);
	__array(values, struct inner);
} outer SEC(".maps") = {
	.values = { [0] = &inner0 },
};

SEC("tc")
int t_target(struct __sk_buff *skb)
{
	return 5;
}

SEC("tc")
int t_tail(struct __sk_buff *skb)
{
	__u32 n = 0, k = 0, k1 = 1, v = 0x77, *p;
	void *im;

	im = bpf_map_lookup_elem(&outer, &k1);
	rec(&n, im != 0);                                       /* empty slot */
	im = bpf_map_lookup_elem(&outer, &k);
	rec(&n, im != 0);
	if (im) {
		rec(&n, bpf_map_update_elem(im, &k1, &v, BPF_ANY));
		p = bpf_map_lookup_elem(im, &k1);
		rec(&n, p ? *p : -1);
	}
	bpf_tail_call(skb, &jt, 2);                             /* empty: falls through */
	rec(&n, 1);
	bpf_tail_call(skb, &jt, 7);                             /* out of range */
	rec(&n, 2);
	bpf_tail_call(skb, &jt, 0);
	rec(&n, 3);
	return 1;
}

char LICENSE[] SEC("license") = "GPL";
