// SPDX-License-Identifier: Apache-2.0
// check_map_func_compatibility cases: one program per object (PROG selects it), so each verdict is
// the kernel's for that program alone. Built and recorded by record.sh.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct { __uint(type, BPF_MAP_TYPE_ARRAY); __uint(max_entries, 1); __type(key, __u32); __type(value, __u64); } arr SEC(".maps");
struct { __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY); __uint(max_entries, 1); __type(key, __u32); __type(value, __u64); } pcpu SEC(".maps");
struct { __uint(type, BPF_MAP_TYPE_BLOOM_FILTER); __uint(max_entries, 16); __type(value, __u32); } bloom SEC(".maps");
struct { __uint(type, BPF_MAP_TYPE_HASH); __uint(max_entries, 4); __type(key, __u32); __type(value, __u32); } hash SEC(".maps");

#if PROG == 1
SEC("tc") int percpu_lookup_array(struct __sk_buff *s) { __u32 k = 0; return bpf_map_lookup_percpu_elem(&arr, &k, 0) != 0; }
#elif PROG == 2
SEC("tc") int percpu_lookup_percpu(struct __sk_buff *s) { __u32 k = 0; return bpf_map_lookup_percpu_elem(&pcpu, &k, 0) != 0; }
#elif PROG == 3
SEC("tc") int bloom_push_peek(struct __sk_buff *s) { __u32 v = 7; bpf_map_push_elem(&bloom, &v, 0); return bpf_map_peek_elem(&bloom, &v) == 0; }
#elif PROG == 4
SEC("tc") int push_hash(struct __sk_buff *s) { __u32 v = 7; return bpf_map_push_elem(&hash, &v, 0); }
#endif

char LICENSE[] SEC("license") = "GPL";
