// SPDX-License-Identifier: GPL-2.0
/* Map behaviour probe; see probe.h and record.sh. */
#include "probe.h"

/* ---------------------------------------------------- queue and stack */
struct {
	__uint(type, BPF_MAP_TYPE_QUEUE);
	__uint(max_entries, 2);
	__type(value, __u32);
} q SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_STACK);
	__uint(max_entries, 2);
	__type(value, __u32);
} st SEC(".maps");

static __always_inline void qs_probe(void *m, __u32 *n)
{
	__u32 v, out;

	v = 1; rec(n, bpf_map_push_elem(m, &v, BPF_ANY));
	v = 2; rec(n, bpf_map_push_elem(m, &v, BPF_ANY));
	v = 3; rec(n, bpf_map_push_elem(m, &v, BPF_ANY));      /* E2BIG */
	rec(n, bpf_map_push_elem(m, &v, BPF_NOEXIST));          /* EINVAL */
	rec(n, bpf_map_push_elem(m, &v, 4));                    /* EINVAL */
	rec(n, bpf_map_push_elem(m, &v, BPF_EXIST));            /* overwrite oldest */
	out = 0xffffffff; rec(n, bpf_map_peek_elem(m, &out)); rec(n, out);
	out = 0xffffffff; rec(n, bpf_map_pop_elem(m, &out)); rec(n, out);
	v = 4; rec(n, bpf_map_push_elem(m, &v, BPF_ANY));
	out = 0xffffffff; rec(n, bpf_map_pop_elem(m, &out)); rec(n, out);
	out = 0xffffffff; rec(n, bpf_map_pop_elem(m, &out)); rec(n, out);
	out = 0xffffffff; rec(n, bpf_map_pop_elem(m, &out)); rec(n, out);  /* ENOENT, zeroed */
	out = 0xffffffff; rec(n, bpf_map_peek_elem(m, &out)); rec(n, out);
	v = 5; rec(n, bpf_map_push_elem(m, &v, BPF_ANY));       /* left for the dump */
}

SEC("tc")
int t_queue(struct __sk_buff *skb)
{
	__u32 n = 0;

	qs_probe(&q, &n);
	return TC_ACT_OK;
}

SEC("tc")
int t_stack(struct __sk_buff *skb)
{
	__u32 n = 0;

	qs_probe(&st, &n);
	return TC_ACT_OK;
}

char LICENSE[] SEC("license") = "GPL";
