// SPDX-License-Identifier: GPL-2.0
/* Map behaviour probe; see probe.h and record.sh. */
#include "probe.h"

/* ------------------------------------------------------------- LPM trie */
struct lpm_key {
	__u32 prefixlen;
	__u8 data[4];
};

struct {
	__uint(type, BPF_MAP_TYPE_LPM_TRIE);
	__uint(max_entries, 3);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct lpm_key);
	__type(value, __u32);
} lpm SEC(".maps");

static __always_inline __s64 lpm_get(__u32 plen, __u8 a, __u8 b, __u8 c, __u8 d)
{
	struct lpm_key key = { .prefixlen = plen, .data = { a, b, c, d } };
	__u32 *p = bpf_map_lookup_elem(&lpm, &key);

	return p ? *p : -1;
}

static __always_inline long lpm_put(__u32 plen, __u8 a, __u8 b, __u8 c, __u8 d, __u32 v, __u64 fl)
{
	struct lpm_key key = { .prefixlen = plen, .data = { a, b, c, d } };

	return bpf_map_update_elem(&lpm, &key, &v, fl);
}

static __always_inline long lpm_del(__u32 plen, __u8 a, __u8 b, __u8 c, __u8 d)
{
	struct lpm_key key = { .prefixlen = plen, .data = { a, b, c, d } };

	return bpf_map_delete_elem(&lpm, &key);
}

SEC("tc")
int t_lpm(struct __sk_buff *skb)
{
	__u32 n = 0, *p;
	struct lpm_key key = { .prefixlen = 32, .data = { 10, 1, 2, 3 } };

	rec(&n, lpm_put(8, 10, 99, 99, 99, 0x8, BPF_ANY));        /* bits past /8 ignored */
	rec(&n, lpm_put(16, 10, 1, 0, 0, 0x16, BPF_NOEXIST));
	rec(&n, lpm_get(32, 10, 1, 2, 3));                       /* 0x16 */
	rec(&n, lpm_get(32, 10, 2, 0, 0));                       /* 0x8 */
	rec(&n, lpm_get(32, 11, 0, 0, 0));                       /* miss */
	rec(&n, lpm_get(12, 10, 1, 2, 3));                       /* /12 query: 0x8 */
	rec(&n, lpm_get(33, 10, 1, 2, 3));                       /* NULL */
	rec(&n, lpm_put(33, 10, 1, 2, 3, 1, BPF_ANY));           /* EINVAL */
	rec(&n, lpm_put(8, 10, 0, 0, 0, 1, BPF_NOEXIST));        /* EEXIST */
	rec(&n, lpm_put(24, 10, 1, 2, 0, 1, BPF_EXIST));         /* ENOENT */
	rec(&n, lpm_put(24, 10, 1, 2, 0, 1, 3));                 /* EINVAL */
	rec(&n, lpm_put(0, 0, 0, 0, 0, 0x99, BPF_ANY));          /* default route */
	rec(&n, lpm_put(24, 10, 1, 2, 0, 0x24, BPF_ANY));        /* full: ENOSPC */
	rec(&n, lpm_get(32, 192, 168, 0, 1));                    /* 0x99 */
	p = bpf_map_lookup_elem(&lpm, &key);
	rec(&n, lpm_put(16, 10, 1, 7, 7, 0x1616, BPF_EXIST));    /* replace */
	rec(&n, p ? *p : -1);                                    /* stale: 0x16 */
	rec(&n, lpm_get(32, 10, 1, 2, 3));                       /* 0x1616 */
	rec(&n, lpm_del(12, 10, 0, 0, 0));                       /* ENOENT */
	rec(&n, lpm_del(33, 10, 0, 0, 0));                       /* EINVAL */
	rec(&n, lpm_del(16, 10, 1, 0, 0));                       /* 0 */
	rec(&n, lpm_get(32, 10, 1, 2, 3));                       /* 0x8 */
	rec(&n, lpm_put(24, 10, 1, 2, 0, 0x24, BPF_ANY));        /* room: 0 */
	return TC_ACT_OK;
}

char LICENSE[] SEC("license") = "GPL";
