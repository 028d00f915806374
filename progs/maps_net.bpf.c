// SPDX-License-Identifier: GPL-2.0
/* Map types a tc program can reference beyond the classic ones: devmap, devmap_hash, cpumap,
 * sockmap, sockhash, cgroup_array and sk_storage (plus two cgroup storages tcxlab only stands in for). Each program records helper results in
 * .bss res[] (-errno as s64; -1 for "NULL" where a pointer is expected); the kernel golden
 * also dumps every map (devmaps show the BPF_F_RDONLY_PROG the kernel adds).
 *  - maps_dev: lookups in devmap / devmap_hash (filled with --set: ifindex 1 = lo)
 *  - maps_sock: lookups and deletes on empty sockmap/sockhash, bpf_skb_under_cgroup
 *  - maps_sk_storage: bpf_sk_storage_get/delete on skb->sk (the test run's socket)
 *  - maps_sk_table: sk_storage and a sockmap update on the socket bpf_sk_lookup_tcp finds for an
 *    IPv4 TCP packet (none on the kernel oracle; tcxlab's tests give it a socket table) */
#include "tcxlab_common.h"

struct {
	__uint(type, BPF_MAP_TYPE_DEVMAP);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __u32);
} devs SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_DEVMAP_HASH);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, struct bpf_devmap_val);
} devh SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_CPUMAP);
	__uint(max_entries, 2);
	__type(key, __u32);
	__type(value, __u32);
} cpus SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_SOCKMAP);
	__uint(max_entries, 2);
	__type(key, __u32);
	__type(value, __u64);
} sockm SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_SOCKHASH);
	__uint(max_entries, 2);
	__type(key, __u32);
	__type(value, __u64);
} sockh SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_CGROUP_ARRAY);
	__uint(max_entries, 2);
	__type(key, __u32);
	__type(value, __u32);
} cgs SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_SK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, __u64);
} store SEC(".maps");

/* cgroup storage: not implemented by tcxlab (a placeholder map; tc has no
 * bpf_get_local_storage, so no program here can use it) - the object must still load and the
 * dump must match the kernel's (no cgroup attached: no entries) */
struct {
	__uint(type, BPF_MAP_TYPE_CGROUP_STORAGE);
	__type(key, struct bpf_cgroup_storage_key);
	__type(value, __u64);
} cgstore SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_CGROUP_STORAGE);
	__type(key, struct bpf_cgroup_storage_key);
	__type(value, __u64);
} pcgstore SEC(".maps");

__s64 res[8];

SEC("tcx/ingress")
int maps_dev(struct __sk_buff *skb)
{
	__u32 k = 0;
	__u32 *v = bpf_map_lookup_elem(&devs, &k);
	struct bpf_devmap_val *h;

	res[0] = v ? *v : -1;
	k = 1;
	v = bpf_map_lookup_elem(&devs, &k);
	res[1] = v ? *v : -1;
	k = 9;
	v = bpf_map_lookup_elem(&devs, &k);
	res[2] = v ? *v : -1;
	k = 7;
	h = bpf_map_lookup_elem(&devh, &k);
	res[3] = h ? h->ifindex : -1;
	res[4] = h ? h->bpf_prog.id : -1;
	k = 8;
	h = bpf_map_lookup_elem(&devh, &k);
	res[5] = h ? h->ifindex : -1;
	return TCX_PASS;
}

SEC("tcx/ingress")
int maps_sock(struct __sk_buff *skb)
{
	__u32 k = 0;
	struct bpf_sock *sk = bpf_map_lookup_elem(&sockm, &k);

	res[0] = sk ? 1 : 0;
	if (sk)
		bpf_sk_release(sk);
	sk = bpf_map_lookup_elem(&sockh, &k);
	res[1] = sk ? 1 : 0;
	if (sk)
		bpf_sk_release(sk);
	res[2] = bpf_map_delete_elem(&sockm, &k);
	k = 5;
	res[3] = bpf_map_delete_elem(&sockm, &k);
	res[4] = bpf_map_delete_elem(&sockh, &k);
	res[5] = bpf_skb_under_cgroup(skb, &cgs, 0);
	res[6] = bpf_skb_under_cgroup(skb, &cgs, 2);
	return TCX_PASS;
}

SEC("tcx/ingress")
int maps_sk_storage(struct __sk_buff *skb)
{
	struct bpf_sock *sk = skb->sk;
	__u64 init = 42;
	__u64 *v;

	if (!sk)
		return TCX_DROP;
	v = bpf_sk_storage_get(&store, sk, 0, 0);
	res[0] = v ? 1 : 0;
	v = bpf_sk_storage_get(&store, sk, 0, BPF_SK_STORAGE_GET_F_CREATE);
	if (v) {
		*v += 5;
		res[1] = *v;
	}
	v = bpf_sk_storage_get(&store, sk, 0, 0);
	res[2] = v ? *v : -1;
	res[3] = bpf_sk_storage_delete(&store, sk);
	res[4] = bpf_sk_storage_delete(&store, sk);
	v = bpf_sk_storage_get(&store, sk, &init, BPF_SK_STORAGE_GET_F_CREATE);
	res[5] = v ? *v : -1;
	v = bpf_sk_storage_get(&store, sk, 0, 2);
	res[6] = v ? 1 : 0;
	return TCX_PASS;
}

SEC("tcx/ingress")
int maps_sk_table(struct __sk_buff *skb)
{
	void *data = (void *)(long)skb->data;
	void *data_end = (void *)(long)skb->data_end;
	struct iphdr *ip = data + ETH_HLEN;
	struct tcphdr *th = data + L4_OFF;
	struct bpf_sock_tuple t = {};
	struct bpf_sock *sk;
	__u32 k = 0;
	__u64 *v;

	if ((void *)(th + 1) > data_end || skb->protocol != bpf_htons(ETH_P_IP) || ip->protocol != IPPROTO_TCP)
		return TCX_PASS;
	t.ipv4.saddr = ip->saddr;
	t.ipv4.daddr = ip->daddr;
	t.ipv4.sport = th->source;
	t.ipv4.dport = th->dest;
	sk = bpf_sk_lookup_tcp(skb, &t, sizeof(t.ipv4), BPF_F_CURRENT_NETNS, 0);
	res[0] = sk ? 1 : 0;
	if (!sk)
		return TCX_PASS;
	v = bpf_sk_storage_get(&store, sk, 0, BPF_SK_STORAGE_GET_F_CREATE);
	if (v) {
		*v += 1;
		res[1] = *v;
	} else {
		res[1] = -1;
	}
	res[2] = bpf_map_update_elem(&sockm, &k, sk, BPF_ANY);
	bpf_sk_release(sk);
	return TCX_PASS;
}

char LICENSE[] SEC("license") = "GPL";
