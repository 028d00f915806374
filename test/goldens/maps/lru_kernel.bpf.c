// SPDX-License-Identifier: GPL-2.0
/* Map behaviour probe; see probe.h and record.sh. Larger LRU maps, where Linux's LRU lists
 * (batch refills of target_free nodes, ref bits, pending lists) stop looking like strict LRU.
 * Each program only runs operations (bpf_loop); the dumps are the result. */
#include "probe.h"

#define LRU(name, maxe, fl)						\
	struct {							\
		__uint(type, BPF_MAP_TYPE_LRU_HASH);			\
		__uint(max_entries, maxe);				\
		__uint(map_flags, fl);					\
		__type(key, __u32);					\
		__type(value, __u64);					\
	} name SEC(".maps")

LRU(la, 64, 0);
LRU(lb, 64, 0);
LRU(lc, 16, 0);
LRU(ld, 8, BPF_F_NO_COMMON_LRU);
LRU(le, 200, 0);
LRU(lf, 16, 0);

/* Loop callbacks per map (the verifier needs a constant map pointer); ctx is the first key. */
#define OPS(m)								\
static long put_##m(__u32 i, __u32 *base)				\
{									\
	__u32 k = *base + i;						\
	__u64 v = k;							\
	bpf_map_update_elem(&m, &k, &v, BPF_ANY);			\
	return 0;							\
}									\
static long get_##m(__u32 i, __u32 *base)				\
{									\
	__u32 k = *base + i;						\
	bpf_map_lookup_elem(&m, &k);					\
	return 0;							\
}									\
static long get_even_##m(__u32 i, __u32 *base)				\
{									\
	__u32 k = *base + 2 * i;					\
	bpf_map_lookup_elem(&m, &k);					\
	return 0;							\
}									\
static long del_##m(__u32 i, __u32 *base)				\
{									\
	__u32 k = *base + i;						\
	bpf_map_delete_elem(&m, &k);					\
	return 0;							\
}

OPS(la)
OPS(lb)
OPS(lc)
OPS(ld)
OPS(le)
OPS(lf)

#define PUT(m, from, n) do { __u32 b = from; bpf_loop(n, put_##m, &b, 0); } while (0)
#define GET(m, from, n) do { __u32 b = from; bpf_loop(n, get_##m, &b, 0); } while (0)
#define GET_EVEN(m, from, n) do { __u32 b = from; bpf_loop(n, get_even_##m, &b, 0); } while (0)
#define DEL(m, from, n) do { __u32 b = from; bpf_loop(n, del_##m, &b, 0); } while (0)

SEC("tc")
int t_lru_kernel(struct __sk_buff *skb)
{
	/* a: one insert past a full map evicts a whole batch (target_free = 64 / 2 / 2) */
	PUT(la, 0, 64);
	PUT(la, 64, 1);
	/* b: looked-up entries survive */
	PUT(lb, 0, 64);
	GET(lb, 0, 32);
	PUT(lb, 64, 32);
	/* c: a mix of lookups, deletes and inserts */
	PUT(lc, 0, 16);
	GET_EVEN(lc, 0, 8);
	PUT(lc, 16, 8);
	DEL(lc, 3, 1);
	DEL(lc, 5, 1);
	PUT(lc, 24, 7);
	GET(lc, 20, 3);
	PUT(lc, 31, 10);
	GET(lc, 0, 4);
	PUT(lc, 41, 5);
	/* d: per-CPU LRU lists (BPF_F_NO_COMMON_LRU): 4 nodes per CPU, shrink by 4 */
	PUT(ld, 0, 10);
	GET(ld, 8, 1);
	PUT(ld, 10, 3);
	/* e: bigger map, several refills and rotations */
	PUT(le, 0, 200);
	GET_EVEN(le, 0, 60);
	PUT(le, 200, 70);
	GET(le, 150, 30);
	DEL(le, 100, 20);
	PUT(le, 300, 90);
	GET_EVEN(le, 200, 35);
	PUT(le, 400, 150);
	/* f: a referenced entry survives a batch refill (target_free = 16 / 2 / 2 = 4) */
	PUT(lf, 0, 16);
	GET(lf, 0, 1);
	PUT(lf, 16, 1);
	return TC_ACT_OK;
}

char LICENSE[] SEC("license") = "GPL";
