// SPDX-License-Identifier: GPL-2.0
/* One BTF-defined map of every type a tc program commonly uses, and programs
 * that touch each of them with the map helpers. Keys come from the packet so
 * different frames produce different map contents. */
#include "tcxlab_common.h"

struct flow_key {
	__u32 saddr;
	__u32 daddr;
	__u16 sport;
	__u16 dport;
	__u8 proto;
	__u8 pad[3];
};

struct flow_val {
	__u64 packets;
	__u64 bytes;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 128);
	__type(key, struct flow_key);
	__type(value, struct flow_val);
} m_hash SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 16);
	__type(key, __u32);
	__type(value, __u64);
} m_array SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __u64);
} m_percpu_array SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_HASH);
	__uint(max_entries, 32);
	__type(key, __u16);
	__type(value, __u32);
} m_percpu_hash SEC(".maps");

/* tiny on purpose: 4 entries so several frames exercise eviction */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __u32);
} m_lru_hash SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LRU_PERCPU_HASH);
	__uint(max_entries, 8);
	__type(key, __u32);
	__type(value, __u64);
} m_lru_percpu_hash SEC(".maps");

struct lpm_key {
	__u32 prefixlen;
	__u8 addr[4];
};

struct {
	__uint(type, BPF_MAP_TYPE_LPM_TRIE);
	__uint(max_entries, 16);
	__type(key, struct lpm_key);
	__type(value, __u32);
	__uint(map_flags, BPF_F_NO_PREALLOC);
} m_lpm SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_QUEUE);
	__uint(max_entries, 4);
	__type(value, __u32);
} m_queue SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_STACK);
	__uint(max_entries, 4);
	__type(value, __u32);
} m_stack SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4096);
} m_ringbuf SEC(".maps");

/* max_entries left 0: libbpf sets it to the number of possible CPUs */
struct {
	__uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, sizeof(__u32));
} m_perf SEC(".maps");

/* map-in-map: two inner arrays, an outer array and an outer hash, both
 * statically initialised with inner maps (libbpf fills them at load time). */
struct inner_arr {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 2);
	__type(key, __u32);
	__type(value, __u32);
};

struct inner_arr m_inner_a SEC(".maps");
struct inner_arr m_inner_b SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS);
	__uint(max_entries, 4);
	__type(key, __u32);
	__array(values, struct inner_arr);
} m_array_of_maps SEC(".maps") = {
	.values = { [0] = &m_inner_a, [2] = &m_inner_b },
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH_OF_MAPS);
	__uint(max_entries, 4);
	__type(key, __u32);
	__array(values, struct inner_arr);
} m_hash_of_maps SEC(".maps") = {
	.values = { [1] = &m_inner_b },
};

static __always_inline int parse_flow(struct __sk_buff *skb, struct flow_key *k)
{
	void *data = (void *)(long)skb->data;
	void *data_end = (void *)(long)skb->data_end;
	struct ethhdr *eth = data;
	struct iphdr *ip = (void *)(eth + 1);
	struct udphdr *uh = (void *)(ip + 1);

	if ((void *)(ip + 1) > data_end || eth->h_proto != bpf_htons(ETH_P_IP))
		return -1;
	k->saddr = ip->saddr;
	k->daddr = ip->daddr;
	k->proto = ip->protocol;
	if ((k->proto == IPPROTO_UDP || k->proto == IPPROTO_TCP) &&
	    ip->ihl == 5 && (void *)(uh + 1) <= data_end) {
		k->sport = uh->source;	/* same offsets in TCP and UDP */
		k->dport = uh->dest;
	}
	return 0;
}

/* hash, array, percpu array/hash, LRU and LPM, keyed from the packet */
SEC("tcx/ingress")
int maps_touch(struct __sk_buff *skb)
{
	struct flow_key k = {};
	struct flow_val *fv, nv = {};
	struct lpm_key lk = { .prefixlen = 32 };
	__u32 idx, *lpmv, len = skb->len, one = 1;
	__u16 proto = bpf_ntohs(skb->protocol);
	__u64 *v, lv = len;
	__u32 *pv;
	long err;

	idx = len & 15;
	v = bpf_map_lookup_elem(&m_array, &idx);
	if (v)
		*v += len;
	idx = skb->pkt_type & 3;
	v = bpf_map_lookup_elem(&m_percpu_array, &idx);
	if (v)
		(*v)++;
	pv = bpf_map_lookup_elem(&m_percpu_hash, &proto);
	if (pv)
		*pv += 1;
	else
		bpf_map_update_elem(&m_percpu_hash, &proto, &one, BPF_NOEXIST);

	if (parse_flow(skb, &k) < 0)
		return TC_ACT_OK;

	fv = bpf_map_lookup_elem(&m_hash, &k);
	if (fv) {
		fv->packets++;
		fv->bytes += len;
	} else {
		nv.packets = 1;
		nv.bytes = len;
		err = bpf_map_update_elem(&m_hash, &k, &nv, BPF_NOEXIST);
		if (err)
			return TC_ACT_SHOT;
	}
	/* LRU: key = saddr; with 4 entries the oldest source is evicted */
	bpf_map_update_elem(&m_lru_hash, &k.saddr, &len, BPF_ANY);
	bpf_map_update_elem(&m_lru_percpu_hash, &k.daddr, &lv, BPF_ANY);

	/* LPM: a hit returns the stored class as the verdict's mark */
	__builtin_memcpy(lk.addr, &k.daddr, 4);
	lpmv = bpf_map_lookup_elem(&m_lpm, &lk);
	if (lpmv)
		skb->mark = *lpmv;
	/* delete the exact flow again when the class says so */
	if (lpmv && *lpmv == 0xdead)
		bpf_map_delete_elem(&m_hash, &k);
	return TC_ACT_OK;
}

/* queue and stack: push the packet length, then pop/peek according to the
 * first payload byte; the return value is the popped value (or -errno). */
SEC("tc")
int maps_queue_stack(struct __sk_buff *skb)
{
	__u32 len = skb->len, out = 0, sel = 0;
	long r1, r2;

	bpf_skb_load_bytes(skb, skb->len - 1, &sel, 1);
	r1 = bpf_map_push_elem(&m_queue, &len, 0);
	if (r1 == -7 /* -E2BIG: full, BPF_EXIST overwrites the oldest */)
		r1 = bpf_map_push_elem(&m_queue, &len, BPF_EXIST);
	r2 = bpf_map_push_elem(&m_stack, &len, BPF_EXIST);
	skb->cb[0] = (__u32)r1;
	skb->cb[1] = (__u32)r2;
	if (sel & 1) {
		r1 = bpf_map_pop_elem(&m_queue, &out);
		skb->cb[2] = out;
		r2 = bpf_map_peek_elem(&m_stack, &out);
	} else {
		r1 = bpf_map_peek_elem(&m_queue, &out);
		skb->cb[2] = out;
		r2 = bpf_map_pop_elem(&m_stack, &out);
	}
	skb->cb[3] = out;
	skb->cb[4] = (__u32)(r1 * 16 + r2);
	return TC_ACT_OK;
}

/* map-in-map: the outer array slot is chosen by len & 3; the inner map (if
 * any) counts the packet. The hash-of-maps slot 1 always holds m_inner_b. */
SEC("tc")
int maps_in_maps(struct __sk_buff *skb)
{
	__u32 slot = skb->len & 3, zero = 0, one = 1;
	__u32 *cnt;
	void *inner;
	int ret = 0;

	inner = bpf_map_lookup_elem(&m_array_of_maps, &slot);
	if (inner) {
		cnt = bpf_map_lookup_elem(inner, &zero);
		if (cnt)
			*cnt += 1;
		ret |= 1;
	}
	inner = bpf_map_lookup_elem(&m_hash_of_maps, &one);
	if (inner) {
		cnt = bpf_map_lookup_elem(inner, &one);
		if (cnt)
			*cnt += skb->len;
		ret |= 2;
	}
	inner = bpf_map_lookup_elem(&m_hash_of_maps, &zero);
	if (inner)
		ret |= 4;
	return ret;
}

/* ringbuf and perf event array from the same object */
SEC("tc")
int maps_events(struct __sk_buff *skb)
{
	__u32 rec[2] = { skb->len, skb->protocol };
	long r1, r2;

	r1 = bpf_ringbuf_output(&m_ringbuf, rec, sizeof(rec), 0);
	r2 = bpf_perf_event_output(skb, &m_perf, BPF_F_CURRENT_CPU, rec, sizeof(rec));
	skb->cb[0] = (__u32)r1;
	skb->cb[1] = (__u32)r2;
	skb->cb[2] = (__u32)bpf_ringbuf_query(&m_ringbuf, BPF_RB_AVAIL_DATA);
	return TC_ACT_OK;
}

char LICENSE[] SEC("license") = "GPL";
