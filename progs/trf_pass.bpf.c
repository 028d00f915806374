// SPDX-License-Identifier: GPL-2.0
/* A Cilium-style BPF unit test object (tcxlab's own; see include/trf_test.h): a small
 * "datapath" entry program reached by a tail call from each SETUP, PKTGEN programs that build
 * the frame in the runner's zeroed buffer, CHECK programs that assert and log. Every test
 * passes on Linux 6.18 (test/goldens/testsuite). */
#include "tcxlab_common.h"
#include "trf_test.h"

#define CT_SRC	0x0a000001	/* 10.0.0.1 */
#define VIP	0x0a00000a	/* 10.0.0.10 */
#define BACKEND	0x0a000063	/* 10.0.0.99 */

/* Per-source packet counter the datapath keeps (state shared by all groups of the file). */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__type(key, __u32);
	__type(value, __u64);
	__uint(max_entries, 16);
} ct_map SEC(".maps");

struct pkt {
	struct ethhdr eth;
	struct iphdr ip;
	struct tcphdr tcp;
} __attribute__((packed));

/* The datapath under test: DNAT VIP:80 to BACKEND:8080, drop port 22, count per source. */
SEC("tc")
int from_container(struct __sk_buff *skb)
{
	void *data = (void *)(long)skb->data, *end = (void *)(long)skb->data_end;
	struct pkt *p = data;
	__u32 src;
	__u64 one = 1, *cnt;

	if ((void *)(p + 1) > end || p->eth.h_proto != bpf_htons(ETH_P_IP) || p->ip.protocol != IPPROTO_TCP)
		return TC_ACT_OK;
	src = bpf_ntohl(p->ip.saddr);
	cnt = bpf_map_lookup_elem(&ct_map, &src);
	if (cnt)
		__sync_fetch_and_add(cnt, 1);
	else
		bpf_map_update_elem(&ct_map, &src, &one, BPF_NOEXIST);
	skb->mark = 0x42;
	if (p->tcp.dest == bpf_htons(22))
		return TC_ACT_SHOT;
	if (p->ip.daddr == bpf_htonl(VIP) && p->tcp.dest == bpf_htons(80)) {
		__be32 old = p->ip.daddr, new = bpf_htonl(BACKEND);
		__be16 oldp = p->tcp.dest, newp = bpf_htons(8080);

		bpf_l4_csum_replace(skb, TCP_CSUM_OFF, old, new, BPF_F_PSEUDO_HDR | 4);
		bpf_l4_csum_replace(skb, TCP_CSUM_OFF, oldp, newp, 2);
		bpf_l3_csum_replace(skb, IP_CSUM_OFF, old, new, 4);
		bpf_skb_store_bytes(skb, IP_DST_OFF, &new, 4, 0);
		bpf_skb_store_bytes(skb, L4_OFF + __builtin_offsetof(struct tcphdr, dest), &newp, 2, 0);
	}
	return TC_ACT_OK;
}

struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, 1);
	__uint(key_size, sizeof(__u32));
	__array(values, int(struct __sk_buff *));
} entry_call_map SEC(".maps") = {
	.values = { [0] = &from_container },
};

/* Build Eth/IPv4/TCP in the runner's zeroed buffer and cut the frame to its length. */
static __always_inline int build_tcp(struct __sk_buff *skb, __u16 dport)
{
	struct pkt p = {};

	__builtin_memcpy(p.eth.h_dest, "\x02\x00\x00\x00\x00\x02", 6);
	__builtin_memcpy(p.eth.h_source, "\x02\x00\x00\x00\x00\x01", 6);
	p.eth.h_proto = bpf_htons(ETH_P_IP);
	p.ip.version = 4;
	p.ip.ihl = 5;
	p.ip.ttl = 64;
	p.ip.protocol = IPPROTO_TCP;
	p.ip.tot_len = bpf_htons(sizeof(p.ip) + sizeof(p.tcp));
	p.ip.saddr = bpf_htonl(CT_SRC);
	p.ip.daddr = bpf_htonl(VIP);
	p.tcp.source = bpf_htons(40000);
	p.tcp.dest = bpf_htons(dport);
	p.tcp.doff = 5;
	p.tcp.syn = 1;
	{
		struct iphdr ip = p.ip;

		p.ip.check = ~bpf_csum_diff(0, 0, (__be32 *)&ip, sizeof(ip), 0) & 0xffff;
	}
	if (bpf_skb_store_bytes(skb, 0, &p, sizeof(p), 0))
		return TRF_ERROR;
	if (bpf_skb_change_tail(skb, sizeof(p), 0))
		return TRF_ERROR;
	return 0;
}

PKTGEN("tc", "a_http_dnat")
int http_pktgen(struct __sk_buff *skb)
{
	return build_tcp(skb, 80);
}

SETUP("tc", "a_http_dnat")
int http_setup(struct __sk_buff *skb)
{
	bpf_tail_call(skb, &entry_call_map, 0);
	return TRF_ERROR;
}

CHECK("tc", "a_http_dnat")
int http_check(struct __sk_buff *skb)
{
	void *data = (void *)(long)skb->data, *end = (void *)(long)skb->data_end;
	__u32 *status = data;
	struct pkt *p = data + 4;
	__u32 src = CT_SRC;
	__u64 *cnt;

	trf_begin();
	if ((void *)(p + 1) > end) {
		trf_log("frame too short: %u", (__u32)(end - data));
		return TRF_FAIL;
	}
	trf_test("setup_status", {
		trf_log("setup returned %u", *status);
		trf_assert(*status == TC_ACT_OK);
	});
	trf_test("dnat_rewrites_destination", {
		trf_assert(p->ip.daddr == bpf_htonl(BACKEND));
		trf_assert(p->tcp.dest == bpf_htons(8080));
		trf_log("daddr %lx dport %u", bpf_ntohl(p->ip.daddr), bpf_ntohs(p->tcp.dest));
	});
	trf_test("mark_and_counter", {
		trf_assert(skb->mark == 0x42);
		cnt = bpf_map_lookup_elem(&ct_map, &src);
		if (!cnt)
			trf_fail_now();
		trf_assert(*cnt == 1);
	});
	trf_end();
}

PKTGEN("tc", "b_ssh_drop")
int ssh_pktgen(struct __sk_buff *skb)
{
	return build_tcp(skb, 22);
}

SETUP("tc", "b_ssh_drop")
int ssh_setup(struct __sk_buff *skb)
{
	bpf_tail_call(skb, &entry_call_map, 0);
	return TRF_ERROR;
}

CHECK("tc", "b_ssh_drop")
int ssh_check(struct __sk_buff *skb)
{
	void *data = (void *)(long)skb->data, *end = (void *)(long)skb->data_end;
	__u32 *status = data;
	struct pkt *p = data + 4;

	trf_begin();
	if ((void *)(p + 1) > end)
		return TRF_FAIL;
	trf_test("dropped", {
		trf_assert(*status == TC_ACT_SHOT);
		trf_assert(p->ip.daddr == bpf_htonl(VIP));
	});
	trf_end();
}

/* Runs last (names sort): sees the counter the two earlier groups left behind. */
CHECK("tc", "c_state_persists")
int state_check(struct __sk_buff *skb)
{
	__u32 src = CT_SRC;
	__u64 *cnt;

	trf_begin();
	trf_log("suite-level log %d %lld", -5, -1234567890123LL);
	trf_test("counter_after_two_groups", {
		cnt = bpf_map_lookup_elem(&ct_map, &src);
		if (!cnt)
			trf_fail_now();
		trf_log("count %llu len %u", *cnt, skb->len);
		trf_assert(*cnt == 2);
		/* no PKTGEN: the check sees the runner's zeroed 3520-byte buffer */
		trf_assert(skb->len == 3520);
	});
	trf_end();
}

/* Cilium's current tail calls: the runner (like Cilium's loader) fills cilium_calls from the
 * "tail:cilium_calls/N" decl tags of ".../tail" programs. The map's pinning value 16 is
 * Cilium's CILIUM_PIN_REPLACE, which libbpf refuses and the runner ignores (no map is pinned). */
struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(key_size, sizeof(__u32));
	__uint(max_entries, 8);
	__uint(pinning, 16);
	__array(values, int());
} cilium_calls SEC(".maps");

__attribute__((section("tc/tail"), used, btf_decl_tag("tail:cilium_calls/3")))
int declared_tail(struct __sk_buff *skb)
{
	skb->mark = 0x33;
	return 7;
}

PKTGEN("tc", "d_declared_tail")
int declared_pktgen(struct __sk_buff *skb)
{
	return build_tcp(skb, 443);
}

SETUP("tc", "d_declared_tail")
int declared_setup(struct __sk_buff *skb)
{
	bpf_tail_call(skb, &cilium_calls, 3);
	return TRF_ERROR;
}

CHECK("tc", "d_declared_tail")
int declared_check(struct __sk_buff *skb)
{
	void *data = (void *)(long)skb->data, *end = (void *)(long)skb->data_end;
	__u32 *status = data;

	trf_begin();
	if (data + 4 > end)
		return TRF_FAIL;
	trf_test("slot_3_ran", {
		trf_assert(*status == 7);
		trf_assert(skb->mark == 0x33);
	});
	trf_end();
}

char _license[] SEC("license") = "GPL";
