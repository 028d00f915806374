// SPDX-License-Identifier: GPL-2.0
/* Map behaviour probe; see probe.h and record.sh. */
#include "probe.h"

/* -------------------------------------------------------------- ringbuf */
struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4096);
} rb SEC(".maps");

SEC("tc")
int t_ringbuf(struct __sk_buff *skb)
{
	__u32 n = 0, i;
	char buf[500] = {};
	void *r;

	rec(&n, bpf_ringbuf_query(&rb, BPF_RB_AVAIL_DATA));
	rec(&n, bpf_ringbuf_query(&rb, BPF_RB_RING_SIZE));
	rec(&n, bpf_ringbuf_output(&rb, buf, 10, 0));
	rec(&n, bpf_ringbuf_query(&rb, BPF_RB_AVAIL_DATA));     /* 24 */
	rec(&n, bpf_ringbuf_query(&rb, BPF_RB_PROD_POS));
	rec(&n, bpf_ringbuf_query(&rb, BPF_RB_CONS_POS));
	rec(&n, bpf_ringbuf_query(&rb, 4));
	rec(&n, bpf_ringbuf_output(&rb, buf, 1, 4));            /* EINVAL */
	rec(&n, bpf_ringbuf_output(&rb, buf, 1, BPF_RB_NO_WAKEUP | BPF_RB_FORCE_WAKEUP));
	r = bpf_ringbuf_reserve(&rb, 100, 0);
	rec(&n, r != 0);
	if (r)
		bpf_ringbuf_discard(r, 0);
	rec(&n, bpf_ringbuf_query(&rb, BPF_RB_PROD_POS));       /* 24 + 16 + 112 */
	r = bpf_ringbuf_reserve(&rb, 8, 1);
	rec(&n, r != 0);                                        /* flags: NULL */
	if (r)
		bpf_ringbuf_submit(r, 0);
	r = bpf_ringbuf_reserve(&rb, 4096, 0);
	rec(&n, r != 0);                                        /* too big: NULL */
	if (r)
		bpf_ringbuf_submit(r, 0);
	_Pragma("unroll") for (i = 0; i < 8; i++)
		rec(&n, bpf_ringbuf_output(&rb, buf, 500, 0));
	rec(&n, bpf_ringbuf_query(&rb, BPF_RB_PROD_POS));
	r = bpf_ringbuf_reserve(&rb, 400, 0);
	rec(&n, r != 0);
	if (r)
		bpf_ringbuf_submit(r, BPF_RB_FORCE_WAKEUP);
	rec(&n, bpf_ringbuf_query(&rb, BPF_RB_AVAIL_DATA));
	return TC_ACT_OK;
}

char LICENSE[] SEC("license") = "GPL";
