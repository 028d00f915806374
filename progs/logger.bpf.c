// SPDX-License-Identifier: GPL-2.0
/* Event logging from tc:
 *  log_ringbuf: bpf_ringbuf_reserve + fill + bpf_ringbuf_submit for IPv4,
 *    bpf_ringbuf_discard for everything else, bpf_ringbuf_output for frames
 *    over 1000 bytes (header only), and ringbuf_query results in cb[];
 *  log_perf: bpf_perf_event_output with BPF_F_CURRENT_CPU and with the
 *    packet appended (flags upper 32 bits = bytes of skb data to copy);
 *    without a perf event fd in the slot the kernel returns -ENOENT;
 *  log_full: a 4 KiB ring buffer filled until reserve fails (NULL). */
#include "tcxlab_common.h"

struct event {
	__u32 len;
	__u32 mark;
	__u16 proto;
	__u8 pkt_type;
	__u8 kind;
	__u8 head[16];
};

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 1 << 16);
} events SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4096);
} small_rb SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, sizeof(__u32));
} perf_events SEC(".maps");

static __always_inline void fill(struct event *e, struct __sk_buff *skb, __u8 kind)
{
	e->len = skb->len;
	e->mark = skb->mark;
	e->proto = bpf_ntohs(skb->protocol);
	e->pkt_type = skb->pkt_type;
	e->kind = kind;
	if (bpf_skb_load_bytes(skb, 0, e->head, sizeof(e->head)) < 0)
		__builtin_memset(e->head, 0, sizeof(e->head));
}

SEC("tcx/ingress")
int log_ringbuf(struct __sk_buff *skb)
{
	struct event *e, hdr = {};
	long r = 0;

	if (skb->len > 1000) {
		fill(&hdr, skb, 3);
		r = bpf_ringbuf_output(&events, &hdr, sizeof(hdr), BPF_RB_NO_WAKEUP);
	} else {
		e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
		if (!e)
			return TC_ACT_SHOT;
		fill(e, skb, 1);
		if (skb->protocol == bpf_htons(ETH_P_IP))
			bpf_ringbuf_submit(e, 0);
		else
			bpf_ringbuf_discard(e, 0);
	}
	skb->cb[0] = (__u32)r;
	skb->cb[1] = (__u32)bpf_ringbuf_query(&events, BPF_RB_AVAIL_DATA);
	skb->cb[2] = (__u32)bpf_ringbuf_query(&events, BPF_RB_RING_SIZE);
	skb->cb[3] = (__u32)bpf_ringbuf_query(&events, BPF_RB_CONS_POS);
	skb->cb[4] = (__u32)bpf_ringbuf_query(&events, BPF_RB_PROD_POS);
	return TC_ACT_OK;
}

SEC("tc")
int log_perf(struct __sk_buff *skb)
{
	struct event e = {};
	__u64 flags = BPF_F_CURRENT_CPU | ((__u64)(skb->len & 0xff) << 32);

	fill(&e, skb, 2);
	skb->cb[0] = (__u32)bpf_perf_event_output(skb, &perf_events, BPF_F_CURRENT_CPU,
						   &e, sizeof(e));
	skb->cb[1] = (__u32)bpf_perf_event_output(skb, &perf_events, flags, &e, sizeof(e));
	skb->cb[2] = (__u32)bpf_perf_event_output(skb, &perf_events, 0, &e, sizeof(e));
	/* the low 32 flag bits are the index: 1 << 31 is past max_entries (-E2BIG) */
	skb->cb[3] = (__u32)bpf_perf_event_output(skb, &perf_events, 1ULL << 31, &e, sizeof(e));
	return TC_ACT_OK;
}

SEC("tc")
int log_full(struct __sk_buff *skb)
{
	int i, ok = 0;

	for (i = 0; i < 80; i++) {
		struct event *e = bpf_ringbuf_reserve(&small_rb, sizeof(*e), 0);

		if (!e)
			break;
		e->len = i;
		bpf_ringbuf_submit(e, BPF_RB_NO_WAKEUP);
		ok++;
	}
	skb->cb[0] = ok;
	skb->cb[1] = (__u32)bpf_ringbuf_query(&small_rb, BPF_RB_AVAIL_DATA);
	return ok;
}

char LICENSE[] SEC("license") = "GPL";
