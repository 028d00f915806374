// SPDX-License-Identifier: GPL-2.0
/* Map behaviour probe; see probe.h and record.sh. Bloom filters with BPF_F_ZERO_SEED hash
 * deterministically, and these are small and crowded so that false positives are frequent:
 * the 64-bit masks of positive peeks show whether the model hashes exactly like the kernel
 * (jhash2 for value sizes that are a multiple of 4, jhash otherwise). */
#include "probe.h"

/* ------------------------------------------------------------ bloom filter */
struct {
	__uint(type, BPF_MAP_TYPE_BLOOM_FILTER);
	__uint(max_entries, 1);
	__uint(map_flags, BPF_F_ZERO_SEED);
	__uint(map_extra, 1);
	__type(value, __u32);
} bf4 SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_BLOOM_FILTER);
	__uint(max_entries, 1);
	__uint(map_flags, BPF_F_ZERO_SEED);
	__uint(map_extra, 2);
	__uint(value_size, 3);
} bf3 SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_BLOOM_FILTER);
	__uint(max_entries, 1);
	__uint(map_flags, BPF_F_ZERO_SEED);
	__uint(map_extra, 3);
	__uint(value_size, 13);
} bf13 SEC(".maps");

/* default: 5 hash functions, 10 entries -> 128 bits */
struct {
	__uint(type, BPF_MAP_TYPE_BLOOM_FILTER);
	__uint(max_entries, 10);
	__uint(map_flags, BPF_F_ZERO_SEED);
	__type(value, __u64);
} bf8 SEC(".maps");

struct v3 { __u8 b[3]; };
struct v13 { __u8 b[13]; };

SEC("tc")
int t_bloom(struct __sk_buff *skb)
{
	__u32 n = 0, v, i;
	__u64 mask, q;
	struct v3 w = {};
	struct v13 x = {};

	v = 1; rec(&n, bpf_map_push_elem(&bf4, &v, BPF_EXIST));   /* EINVAL */
	v = 1; rec(&n, bpf_map_peek_elem(&bf4, &v));              /* ENOENT: empty */
	for (i = 0; i < 20; i++) {
		v = 1000 + i * 7;
		bpf_map_push_elem(&bf4, &v, BPF_ANY);
	}
	mask = 0;
	for (i = 0; i < 64; i++) {
		v = i;
		if (bpf_map_peek_elem(&bf4, &v) == 0)
			mask |= 1ULL << i;
	}
	rec(&n, mask);

	for (i = 0; i < 15; i++) {
		w.b[0] = i; w.b[1] = 0x5a; w.b[2] = i * 3;
		bpf_map_push_elem(&bf3, &w, BPF_ANY);
	}
	mask = 0;
	for (i = 0; i < 64; i++) {
		w.b[0] = i; w.b[1] = i >> 3; w.b[2] = 1;
		if (bpf_map_peek_elem(&bf3, &w) == 0)
			mask |= 1ULL << i;
	}
	rec(&n, mask);

	for (i = 0; i < 10; i++) {
		x.b[0] = i; x.b[7] = 0x11; x.b[12] = i + 1;
		bpf_map_push_elem(&bf13, &x, BPF_ANY);
	}
	mask = 0;
	for (i = 0; i < 64; i++) {
		x.b[0] = i; x.b[5] = i * 3; x.b[7] = 0; x.b[12] = 5;
		if (bpf_map_peek_elem(&bf13, &x) == 0)
			mask |= 1ULL << i;
	}
	rec(&n, mask);

	for (i = 0; i < 30; i++) {
		q = 0x100000000ULL * i + 17;
		bpf_map_push_elem(&bf8, &q, BPF_ANY);
	}
	mask = 0;
	for (i = 0; i < 64; i++) {
		q = i;
		if (bpf_map_peek_elem(&bf8, &q) == 0)
			mask |= 1ULL << i;
	}
	rec(&n, mask);
	q = 0x100000000ULL * 3 + 17;
	rec(&n, bpf_map_peek_elem(&bf8, &q));                     /* a pushed value: 0 */
	return TC_ACT_OK;
}

char LICENSE[] SEC("license") = "GPL";
