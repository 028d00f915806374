// SPDX-License-Identifier: GPL-2.0
/* A small connection tracker for IPv4 TCP/UDP/ICMP:
 *  - allow_src (LPM trie): source prefixes allowed to open new connections;
 *  - ct_table (hash, keyed by the normalised 5-tuple): established entries
 *    with a TCP state machine (SYN -> SYN_SENT, ACK -> ESTABLISHED,
 *    FIN/RST -> CLOSING) and packet/byte counters per direction;
 *  - ct_recent (LRU hash, 4 entries): last-seen source addresses, evicting
 *    the least recently used one;
 *  - ct_stats (per-CPU array): new / established / denied / untracked.
 * New flows from sources outside allow_src are dropped; replies match the
 * existing entry through the normalised key (lower address first).
 * Seed with: --set allow_src <prefixlen u32 LE><addr BE> 01000000 */
#include "tcxlab_common.h"

struct ct_key {
	__u32 lo_addr;
	__u32 hi_addr;
	__u16 lo_port;
	__u16 hi_port;
	__u8 proto;
	__u8 pad[3];
};

enum ct_state { CT_NEW = 1, CT_SYN_SENT, CT_ESTABLISHED, CT_CLOSING };

struct ct_entry {
	__u64 packets[2];	/* [0] from lo side, [1] from hi side */
	__u64 bytes[2];
	__u32 state;
	__u32 flags_seen;	/* OR of TCP flags */
};

struct lpm_v4 {
	__u32 prefixlen;
	__u32 addr;
};

struct {
	__uint(type, BPF_MAP_TYPE_LPM_TRIE);
	__uint(max_entries, 64);
	__type(key, struct lpm_v4);
	__type(value, __u32);
	__uint(map_flags, BPF_F_NO_PREALLOC);
} allow_src SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 256);
	__type(key, struct ct_key);
	__type(value, struct ct_entry);
} ct_table SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __u32);	/* packets from this source */
} ct_recent SEC(".maps");

enum { ST_NEW, ST_EST, ST_DENIED, ST_UNTRACKED, ST_MAX };

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, ST_MAX);
	__type(key, __u32);
	__type(value, __u64);
} ct_stats SEC(".maps");

static __always_inline void stat(__u32 i)
{
	__u64 *c = bpf_map_lookup_elem(&ct_stats, &i);

	if (c)
		*c += 1;
}

static __noinline int ct_next_state(int state, __u8 tcpflags)
{
	if (tcpflags & (0x01 | 0x04))		/* FIN or RST */
		return CT_CLOSING;
	if (state == CT_SYN_SENT && (tcpflags & 0x10))	/* ACK */
		return CT_ESTABLISHED;
	if (state == CT_NEW && (tcpflags & 0x02))	/* SYN */
		return CT_SYN_SENT;
	return state;
}

SEC("tcx/ingress")
int conntrack(struct __sk_buff *skb)
{
	void *data = (void *)(long)skb->data;
	void *data_end = (void *)(long)skb->data_end;
	struct iphdr *ip = data + ETH_HLEN;
	struct ct_key k = {};
	struct ct_entry *e, ne = {};
	struct lpm_v4 lk;
	__u16 sport = 0, dport = 0;
	__u8 tcpflags = 0;
	__u32 *seen, one = 1, dir;

	if ((void *)(ip + 1) > data_end || skb->protocol != bpf_htons(ETH_P_IP) ||
	    ip->ihl != 5) {
		stat(ST_UNTRACKED);
		return TC_ACT_OK;
	}
	if (ip->protocol == IPPROTO_TCP) {
		struct tcphdr *th = (void *)(ip + 1);

		if ((void *)(th + 1) > data_end)
			return TC_ACT_SHOT;
		sport = th->source;
		dport = th->dest;
		tcpflags = ((__u8 *)th)[13];
	} else if (ip->protocol == IPPROTO_UDP) {
		struct udphdr *uh = (void *)(ip + 1);

		if ((void *)(uh + 1) > data_end)
			return TC_ACT_SHOT;
		sport = uh->source;
		dport = uh->dest;
	} else if (ip->protocol != IPPROTO_ICMP) {
		stat(ST_UNTRACKED);
		return TC_ACT_OK;
	}

	seen = bpf_map_lookup_elem(&ct_recent, &ip->saddr);
	if (seen)
		__sync_fetch_and_add(seen, 1);
	else
		bpf_map_update_elem(&ct_recent, &ip->saddr, &one, BPF_ANY);

	dir = bpf_ntohl(ip->saddr) > bpf_ntohl(ip->daddr);
	k.proto = ip->protocol;
	if (!dir) {
		k.lo_addr = ip->saddr; k.hi_addr = ip->daddr;
		k.lo_port = sport; k.hi_port = dport;
	} else {
		k.lo_addr = ip->daddr; k.hi_addr = ip->saddr;
		k.lo_port = dport; k.hi_port = sport;
	}
	e = bpf_map_lookup_elem(&ct_table, &k);
	if (!e) {
		lk.prefixlen = 32;
		lk.addr = ip->saddr;
		if (!bpf_map_lookup_elem(&allow_src, &lk)) {
			stat(ST_DENIED);
			return TC_ACT_SHOT;
		}
		ne.state = k.proto == IPPROTO_TCP ? ct_next_state(CT_NEW, tcpflags) : CT_ESTABLISHED;
		ne.flags_seen = tcpflags;
		ne.packets[dir & 1] = 1;
		ne.bytes[dir & 1] = skb->len;
		bpf_map_update_elem(&ct_table, &k, &ne, BPF_NOEXIST);
		stat(ST_NEW);
		skb->mark = ne.state;
		return TC_ACT_OK;
	}
	e->packets[dir & 1]++;
	e->bytes[dir & 1] += skb->len;
	e->flags_seen |= tcpflags;
	if (k.proto == IPPROTO_TCP)
		e->state = ct_next_state(e->state, tcpflags);
	stat(ST_EST);
	skb->mark = e->state;
	if (e->state == CT_CLOSING && (tcpflags & 0x04))
		bpf_map_delete_elem(&ct_table, &k);
	return TC_ACT_OK;
}

char LICENSE[] SEC("license") = "GPL";
