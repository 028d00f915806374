// SPDX-License-Identifier: GPL-2.0
/* Fixture for maps typed by BTF (test/maps/typed.test.ts) and for `tcxlab map dump` of global
 * data (.data/.bss/.rodata, test/cli/map-dump.test.ts). record.sh loads it with bpftool, runs
 * `track` once per frame of typed-frames.txt on CPU 0 and records `bpftool -j map dump` of each
 * map (map-typed-NAME.kernel.json): bpftool formats global data from the DATASEC as libbpf fixed
 * it up at open. Keys and values carry big-endian typedefs, address members (IPv4, IPv6, MAC),
 * a char array, nested structs and arrays, and a per-CPU struct value. */
#include "tcxlab_common.h"

struct flow_key {
	__be32 saddr;
	__be32 daddr;
	__be16 sport;
	__be16 dport;
	__u8 proto;
	__u8 pad[3];
};

struct flow_stats {
	__u64 packets;
	__u64 bytes;
	__u8 smac[6];
	__u16 last_len;
	char tag[8];
	struct {
		__u8 ttl;
		__u8 tos;
	} ip;
	__u16 lens[2];
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16);
	__type(key, struct flow_key);
	__type(value, struct flow_stats);
} flows SEC(".maps");

struct v6_key {
	struct in6_addr daddr;
	__u32 ifindex;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4);
	__type(key, struct v6_key);
	__type(value, __u64);
} v6_seen SEC(".maps");

struct cpu_stats {
	__u32 ipv4;
	__u32 ipv6;
	__u64 bytes;
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct cpu_stats);
} per_cpu SEC(".maps");

/* .data */
__u64 byte_count = 5;
static __u32 hidden = 7;
char last_tag[8] = "none";
/* .bss */
__u32 pkt_count;
__be32 last_saddr;
struct flow_key last_key;
/* .rodata */
const volatile __u16 listen_port = 80;
const volatile __u8 cfg_mode = 2;

SEC("tc")
int track(struct __sk_buff *skb)
{
	void *data = (void *)(long)skb->data;
	void *data_end = (void *)(long)skb->data_end;
	struct ethhdr *eth = data;
	struct cpu_stats *cs;
	__u32 zero = 0;

	if ((void *)(eth + 1) > data_end)
		return TC_ACT_OK;
	pkt_count++;
	byte_count += skb->len;
	hidden += 2;
	cs = bpf_map_lookup_elem(&per_cpu, &zero);
	if (cs)
		cs->bytes += skb->len;
	if (eth->h_proto == bpf_htons(ETH_P_IP)) {
		struct iphdr *ip = (void *)(eth + 1);
		struct udphdr *uh = (void *)(ip + 1);	/* ports at the same place in TCP */
		struct flow_key k = {};
		struct flow_stats *s, ns = {};

		if ((void *)(uh + 1) > data_end || ip->ihl != 5)
			return TC_ACT_OK;
		if (cs)
			cs->ipv4++;
		k.saddr = ip->saddr;
		k.daddr = ip->daddr;
		k.sport = uh->source;
		k.dport = uh->dest;
		k.proto = ip->protocol;
		last_saddr = ip->saddr;
		last_key = k;
		s = bpf_map_lookup_elem(&flows, &k);
		if (!s) {
			__builtin_memcpy(ns.smac, eth->h_source, 6);
			__builtin_memcpy(ns.tag, "new", 4);
			s = &ns;
		} else {
			__builtin_memcpy(s->tag, "seen", 5);
		}
		s->packets++;
		s->bytes += skb->len;
		s->last_len = skb->len;
		s->ip.ttl = ip->ttl;
		s->ip.tos = ip->tos;
		s->lens[s->packets & 1] = skb->len;
		if (s == &ns)
			bpf_map_update_elem(&flows, &k, &ns, BPF_NOEXIST);
		__builtin_memcpy(last_tag, "ipv4", 5);
		return TC_ACT_OK;
	}
	if (eth->h_proto == bpf_htons(ETH_P_IPV6)) {
		struct ipv6hdr *ip6 = (void *)(eth + 1);
		struct v6_key k = {};
		__u64 one = 1, *n;

		if ((void *)(ip6 + 1) > data_end)
			return TC_ACT_OK;
		if (cs)
			cs->ipv6++;
		k.daddr = ip6->daddr;
		k.ifindex = skb->ifindex;
		n = bpf_map_lookup_elem(&v6_seen, &k);
		if (n)
			*n += 1;
		else
			bpf_map_update_elem(&v6_seen, &k, &one, BPF_NOEXIST);
		__builtin_memcpy(last_tag, "ipv6", 5);
	}
	return TC_ACT_OK;
}

char _license[] SEC("license") = "GPL";
