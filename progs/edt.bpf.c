// SPDX-License-Identifier: GPL-2.0
/* Earliest-departure-time rate limiter (the fq qdisc honours skb->tstamp).
 * Per-class state in an array: rate in bytes/s and the next free departure
 * time. For each packet: delay = len * 1e9 / rate; the packet leaves at
 * max(now, next_free) and next_free advances by delay. Packets that would
 * leave more than horizon_ns in the future are dropped.
 * "now" is skb->tstamp when the caller set one (so a test run with a ctx
 * tstamp is deterministic), otherwise bpf_ktime_get_ns(). The class is
 * skb->priority & 7. Seed rates with --set edt_class <idx> <rate u64, next u64>. */
#include "tcxlab_common.h"

#define NSEC_PER_SEC 1000000000ULL

struct edt_class {
	__u64 rate_bps;		/* bytes per second, 0 = unlimited */
	__u64 next_free_ns;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 8);
	__type(key, __u32);
	__type(value, struct edt_class);
} edt_class SEC(".maps");

const volatile __u64 horizon_ns = 2 * NSEC_PER_SEC / 1000;	/* 2 ms */

__u64 edt_drops;

SEC("tcx/egress")
int edt_shape(struct __sk_buff *skb)
{
	__u32 cls = skb->priority & 7;
	struct edt_class *c;
	__u64 now, delay, t;

	c = bpf_map_lookup_elem(&edt_class, &cls);
	if (!c || !c->rate_bps)
		return TC_ACT_OK;
	now = skb->tstamp ? skb->tstamp : bpf_ktime_get_ns();
	delay = (__u64)skb->len * NSEC_PER_SEC / c->rate_bps;
	t = c->next_free_ns > now ? c->next_free_ns : now;
	if (t - now > horizon_ns) {
		__sync_fetch_and_add(&edt_drops, 1);
		return TC_ACT_SHOT;
	}
	c->next_free_ns = t + delay;
	skb->tstamp = t;
	return TC_ACT_OK;
}

/* The helper form: bpf_skb_set_tstamp with the mono clock type. On a test
 * run skb (tc_at_ingress = 0) it succeeds; an unknown type gives -EINVAL. */
SEC("tcx/egress")
int edt_set_tstamp(struct __sk_buff *skb)
{
	__u64 t = skb->tstamp + 1000;

	skb->cb[0] = (__u32)bpf_skb_set_tstamp(skb, t, BPF_SKB_TSTAMP_DELIVERY_MONO);
	skb->cb[1] = skb->tstamp_type;
	skb->cb[2] = (__u32)bpf_skb_set_tstamp(skb, t, 77);
	return TC_ACT_OK;
}

char LICENSE[] SEC("license") = "GPL";
