// SPDX-License-Identifier: GPL-2.0
/* Fixture for mocked worlds (src/mock-env.ts; test/mock-env.test.ts, test/cli/mock-options.test.ts):
 * one run records in map `out` what the program saw of the clock, the prandom generator, the
 * CPU, the FIB and the socket table for an IPv4 frame. Built by build.sh. */
#include "tcxlab_common.h"

#ifndef AF_INET
#define AF_INET 2
#endif

struct result {
	__u64 t0;
	__u64 t1;
	__u32 r0;
	__u32 r1;
	__u32 cpu;
	__s32 fib_ret;
	__u32 fib_ifindex;
	__u16 mtu_result;
	__u8 dmac[6];
	__u8 smac[6];
	__be32 next_hop;
	__u32 sk_found;
	__u32 sk_state;
	__u32 sk_src_port;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct result);
} out SEC(".maps");

SEC("tc")
int world(struct __sk_buff *skb)
{
	void *data = (void *)(long)skb->data;
	void *data_end = (void *)(long)skb->data_end;
	struct ethhdr *eth = data;
	struct iphdr *ip = (void *)(eth + 1);
	struct tcphdr *th = (void *)(ip + 1);
	struct bpf_fib_lookup p = {};
	struct bpf_sock_tuple t = {};
	struct bpf_sock *sk;
	struct result *res;
	__u32 zero = 0;

	res = bpf_map_lookup_elem(&out, &zero);
	if (!res)
		return TC_ACT_SHOT;
	res->t0 = bpf_ktime_get_ns();
	res->t1 = bpf_ktime_get_ns();
	res->r0 = bpf_get_prandom_u32();
	res->r1 = bpf_get_prandom_u32();
	res->cpu = bpf_get_smp_processor_id();
	if ((void *)(th + 1) > data_end || eth->h_proto != bpf_htons(ETH_P_IP) || ip->ihl != 5)
		return TC_ACT_OK;
	p.family = AF_INET;
	p.l4_protocol = ip->protocol;
	p.tot_len = bpf_ntohs(ip->tot_len);
	p.ifindex = skb->ifindex;
	p.ipv4_src = ip->saddr;
	p.ipv4_dst = ip->daddr;
	res->fib_ret = bpf_fib_lookup(skb, &p, sizeof(p), 0);
	res->fib_ifindex = p.ifindex;
	res->mtu_result = p.mtu_result;
	__builtin_memcpy(res->dmac, p.dmac, 6);
	__builtin_memcpy(res->smac, p.smac, 6);
	res->next_hop = p.ipv4_dst;
	if (ip->protocol != IPPROTO_TCP)
		return TC_ACT_OK;
	t.ipv4.saddr = ip->saddr;
	t.ipv4.daddr = ip->daddr;
	t.ipv4.sport = th->source;
	t.ipv4.dport = th->dest;
	sk = bpf_sk_lookup_tcp(skb, &t, sizeof(t.ipv4), BPF_F_CURRENT_NETNS, 0);
	if (sk) {
		res->sk_found = 1;
		res->sk_state = sk->state;
		res->sk_src_port = sk->src_port;
		bpf_sk_release(sk);
	}
	return TC_ACT_OK;
}

char _license[] SEC("license") = "GPL";
