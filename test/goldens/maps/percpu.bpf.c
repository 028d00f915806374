// SPDX-License-Identifier: GPL-2.0
/* Map behaviour probe; see probe.h and record.sh. */
#include "probe.h"

/* ------------------------------------------------------- percpu maps */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_HASH);
	__uint(max_entries, 2);
	__type(key, __u32);
	__type(value, __u32);
} pch SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 2);
	__type(key, __u32);
	__type(value, __u32);
} pca SEC(".maps");

SEC("tc")
int t_percpu(struct __sk_buff *skb)
{
	__u32 n = 0, k = 7, v = 0xaa, v2 = 0xbb, *p;

	rec(&n, bpf_map_update_elem(&pch, &k, &v, BPF_ANY));
	p = bpf_map_lookup_elem(&pch, &k);
	rec(&n, bpf_map_update_elem(&pch, &k, &v2, BPF_ANY));
	rec(&n, p ? *p : -1);                                 /* in place: 0xbb */
	k = 8;
	rec(&n, bpf_map_update_elem(&pch, &k, &v, BPF_ANY));
	k = 9;
	rec(&n, bpf_map_update_elem(&pch, &k, &v, BPF_ANY));  /* E2BIG */
	rec(&n, bpf_map_update_elem(&pch, &k, &v, BPF_F_LOCK)); /* EINVAL */
	k = 1;
	rec(&n, bpf_map_update_elem(&pca, &k, &v, BPF_ANY));
	rec(&n, bpf_map_update_elem(&pca, &k, &v, BPF_F_LOCK)); /* EINVAL */
	rec(&n, bpf_map_delete_elem(&pca, &k));
	k = 2;
	rec(&n, bpf_map_update_elem(&pca, &k, &v, BPF_ANY));  /* E2BIG */
	k = 1;
	p = bpf_map_lookup_percpu_elem(&pca, &k, 1);
	rec(&n, p ? *p : -1);                                 /* cpu 1's copy: 0 */
	p = bpf_map_lookup_percpu_elem(&pca, &k, 2);
	rec(&n, p != 0);                                      /* cpu >= nr_cpu_ids */
	return TC_ACT_OK;
}

char LICENSE[] SEC("license") = "GPL";
