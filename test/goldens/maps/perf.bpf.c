// SPDX-License-Identifier: GPL-2.0
/* Map behaviour probe; see probe.h and record.sh. */
#include "probe.h"

/* ------------------------------------------------- perf event array */
struct {
	__uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, sizeof(__u32));
	__uint(max_entries, 2);
} pev SEC(".maps");

SEC("tc")
int t_perf(struct __sk_buff *skb)
{
	__u32 n = 0;
	__u64 d = 0x1234;

	rec(&n, bpf_perf_event_output(skb, &pev, BPF_F_CURRENT_CPU, &d, sizeof(d)));
	rec(&n, bpf_perf_event_output(skb, &pev, 0, &d, sizeof(d)));
	rec(&n, bpf_perf_event_output(skb, &pev, 2, &d, sizeof(d)));
	rec(&n, bpf_perf_event_output(skb, &pev, 5, &d, sizeof(d)));
	rec(&n, bpf_perf_event_output(skb, &pev, 1ULL << 52, &d, sizeof(d)));
	return TC_ACT_OK;
}

char LICENSE[] SEC("license") = "GPL";
