// SPDX-License-Identifier: GPL-2.0
/* Map behaviour probe; see probe.h and record.sh. */
#include "probe.h"

/* ------------------------------------------------------------------ LRU */
struct lru4 {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __u64);
};
struct lru4 lru_a SEC(".maps"), lru_b SEC(".maps"), lru_c SEC(".maps"),
	lru_d SEC(".maps"), lru_e SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LRU_PERCPU_HASH);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __u64);
} lru_pc SEC(".maps");

/* keys 0..3 with values 0..3, unrolled (the verifier wants constant map args) */
#define FILL4(m) do {							\
		k = 0; v = 0; bpf_map_update_elem(m, &k, &v, BPF_ANY);	\
		k = 1; v = 1; bpf_map_update_elem(m, &k, &v, BPF_ANY);	\
		k = 2; v = 2; bpf_map_update_elem(m, &k, &v, BPF_ANY);	\
		k = 3; v = 3; bpf_map_update_elem(m, &k, &v, BPF_ANY);	\
	} while (0)

SEC("tc")
int t_lru(struct __sk_buff *skb)
{
	__u32 n = 0, k;
	__u64 v;

	/* a: keys 0..9 in order */
	k = 0; v = 0; rec(&n, bpf_map_update_elem(&lru_a, &k, &v, BPF_ANY));
	k = 1; v = 1; rec(&n, bpf_map_update_elem(&lru_a, &k, &v, BPF_ANY));
	k = 2; v = 2; rec(&n, bpf_map_update_elem(&lru_a, &k, &v, BPF_ANY));
	k = 3; v = 3; rec(&n, bpf_map_update_elem(&lru_a, &k, &v, BPF_ANY));
	k = 4; v = 4; rec(&n, bpf_map_update_elem(&lru_a, &k, &v, BPF_ANY));
	k = 5; v = 5; rec(&n, bpf_map_update_elem(&lru_a, &k, &v, BPF_ANY));
	k = 6; v = 6; rec(&n, bpf_map_update_elem(&lru_a, &k, &v, BPF_ANY));
	k = 7; v = 7; rec(&n, bpf_map_update_elem(&lru_a, &k, &v, BPF_ANY));
	k = 8; v = 8; rec(&n, bpf_map_update_elem(&lru_a, &k, &v, BPF_ANY));
	k = 9; v = 9; rec(&n, bpf_map_update_elem(&lru_a, &k, &v, BPF_ANY));
	/* b: 0..3, look up 0, insert 4 */
	FILL4(&lru_b);
	k = 0;
	rec(&n, bpf_map_lookup_elem(&lru_b, &k) != 0);
	k = 4; v = 4;
	rec(&n, bpf_map_update_elem(&lru_b, &k, &v, BPF_ANY));
	/* c: 0..3 then replace 3 in a full map */
	FILL4(&lru_c);
	k = 3; v = 33;
	rec(&n, bpf_map_update_elem(&lru_c, &k, &v, BPF_ANY));
	/* d: 0..3 then a failing NOEXIST and EXIST in a full map */
	FILL4(&lru_d);
	k = 2; v = 22;
	rec(&n, bpf_map_update_elem(&lru_d, &k, &v, BPF_NOEXIST));
	k = 7;
	rec(&n, bpf_map_update_elem(&lru_d, &k, &v, BPF_EXIST));
	rec(&n, bpf_map_update_elem(&lru_d, &k, &v, 3));
	/* e: deletes */
	k = 1; v = 1;
	bpf_map_update_elem(&lru_e, &k, &v, BPF_ANY);
	rec(&n, bpf_map_delete_elem(&lru_e, &k));
	rec(&n, bpf_map_delete_elem(&lru_e, &k));
	/* percpu lru: 0..5; replace with EXIST does not evict */
	FILL4(&lru_pc);
	k = 3; v = 0x33;
	rec(&n, bpf_map_update_elem(&lru_pc, &k, &v, BPF_EXIST));
	return TC_ACT_OK;
}

char LICENSE[] SEC("license") = "GPL";
