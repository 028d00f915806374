// SPDX-License-Identifier: GPL-2.0
/* Loader fixture: a BTF map with map_extra (bloom filter hash count) and no key. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
struct { __uint(type, BPF_MAP_TYPE_BLOOM_FILTER); __uint(max_entries, 64); __type(value, __u32); __uint(map_extra, 3); } bloom SEC(".maps");
SEC("tc") int b(struct __sk_buff *skb) { __u32 v = skb->len; return bpf_map_peek_elem(&bloom, &v) == 0; }
char LICENSE[] SEC("license") = "GPL";
