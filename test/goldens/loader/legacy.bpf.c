// SPDX-License-Identifier: GPL-2.0
/* Loader fixture: legacy libbpf struct bpf_map_def maps (one perf event array without sizes) and a version section. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
struct bpf_map_def { unsigned int type, key_size, value_size, max_entries, map_flags; };
struct bpf_map_def SEC("maps") lcounts = { .type = BPF_MAP_TYPE_ARRAY, .key_size = 4, .value_size = 8, .max_entries = 2 };
struct bpf_map_def SEC("maps") lperf = { .type = BPF_MAP_TYPE_PERF_EVENT_ARRAY, .max_entries = 4 };
static long (*lookup)(void *, const void *) = (void *)1;
SEC("classifier") int cls(struct __sk_buff *skb) { int k = 0; long *v = (long *)lookup(&lcounts, &k); if (v) *v += 1; return 0; }
char _license[] SEC("license") = "GPL";
unsigned int _version SEC("version") = 0x060600;
