// SPDX-License-Identifier: GPL-2.0
/* Map behaviour probe; see probe.h and record.sh. */
#include "probe.h"

/* ---------------------------------------------------------------- array */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __u32);
} arr SEC(".maps");

SEC("tc")
int t_array(struct __sk_buff *skb)
{
	__u32 n = 0, k = 1, big = 4, huge = 0xffffffff;
	__u32 v = 0x11, v2 = 0x22, *p;

	p = bpf_map_lookup_elem(&arr, &k);
	rec(&n, p ? *p : -1);                           /* 0: zeroed */
	rec(&n, bpf_map_lookup_elem(&arr, &big) != 0);  /* 1: NULL */
	rec(&n, bpf_map_lookup_elem(&arr, &huge) != 0); /* 2: NULL */
	rec(&n, bpf_map_update_elem(&arr, &k, &v, BPF_ANY));
	rec(&n, bpf_map_update_elem(&arr, &k, &v, BPF_NOEXIST));
	rec(&n, bpf_map_update_elem(&arr, &k, &v2, BPF_EXIST));
	rec(&n, p ? *p : -1);                           /* 6: in place: 0x22 */
	rec(&n, bpf_map_update_elem(&arr, &big, &v, BPF_ANY));
	rec(&n, bpf_map_update_elem(&arr, &big, &v, BPF_NOEXIST));
	rec(&n, bpf_map_update_elem(&arr, &k, &v, 3));
	rec(&n, bpf_map_update_elem(&arr, &k, &v, BPF_F_LOCK));
	rec(&n, bpf_map_update_elem(&arr, &k, &v, 8));
	rec(&n, bpf_map_delete_elem(&arr, &k));
	rec(&n, bpf_map_delete_elem(&arr, &big));
	rec(&n, bpf_map_update_elem(&arr, &big, &v, 3));
	k = 3;
	rec(&n, bpf_map_update_elem(&arr, &k, &v, BPF_F_LOCK | BPF_NOEXIST));
	return TC_ACT_OK;
}

char LICENSE[] SEC("license") = "GPL";
