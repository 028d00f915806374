// SPDX-License-Identifier: GPL-2.0
/* Map behaviour probe; see probe.h and record.sh. */
#include "probe.h"

/* ----------------------------------------------------------------- hash */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __u64);
} h SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, __u32);
	__type(value, __u64);
} hnp SEC(".maps");

static __always_inline void hash_probe(void *m, __u32 *n)
{
	__u32 k;
	__u64 v, *p, *q;

	k = 1; v = 0x100; rec(n, bpf_map_update_elem(m, &k, &v, BPF_NOEXIST));
	k = 2; v = 0x200; rec(n, bpf_map_update_elem(m, &k, &v, BPF_NOEXIST));
	k = 3; v = 0x300; rec(n, bpf_map_update_elem(m, &k, &v, BPF_NOEXIST));
	k = 4; v = 0x400; rec(n, bpf_map_update_elem(m, &k, &v, BPF_NOEXIST));
	k = 5; v = 0x500;
	rec(n, bpf_map_update_elem(m, &k, &v, BPF_ANY));      /* full: E2BIG */
	rec(n, bpf_map_update_elem(m, &k, &v, BPF_EXIST));    /* ENOENT */
	rec(n, bpf_map_update_elem(m, &k, &v, BPF_NOEXIST));  /* E2BIG */
	k = 1;
	rec(n, bpf_map_update_elem(m, &k, &v, BPF_NOEXIST));  /* EEXIST */
	rec(n, bpf_map_update_elem(m, &k, &v, 3));            /* EINVAL */
	p = bpf_map_lookup_elem(m, &k);
	v = 0x111;
	rec(n, bpf_map_update_elem(m, &k, &v, BPF_EXIST));    /* replace in full map */
	rec(n, p ? *p : -1);                                  /* stale: 0x100 */
	q = bpf_map_lookup_elem(m, &k);
	rec(n, q ? *q : -1);                                  /* 0x111 */
	k = 2; v = 0x222;
	rec(n, bpf_map_update_elem(m, &k, &v, BPF_ANY));      /* another replace */
	rec(n, p ? *p : -1);                                  /* what the stale pointer sees now */
	k = 3;
	rec(n, bpf_map_delete_elem(m, &k));
	rec(n, bpf_map_delete_elem(m, &k));                   /* ENOENT */
	k = 6; v = 0x600;
	rec(n, bpf_map_update_elem(m, &k, &v, BPF_ANY));      /* room again */
	rec(n, p ? *p : -1);
	k = 9;
	rec(n, bpf_map_lookup_elem(m, &k) != 0);
}

SEC("tc")
int t_hash(struct __sk_buff *skb)
{
	__u32 n = 0;

	hash_probe(&h, &n);
	return TC_ACT_OK;
}

SEC("tc")
int t_hash_noprealloc(struct __sk_buff *skb)
{
	__u32 n = 0;

	hash_probe(&hnp, &n);
	return TC_ACT_OK;
}

char LICENSE[] SEC("license") = "GPL";
