// SPDX-License-Identifier: GPL-2.0
/* iproute2 pinning (object A): an old-style 7-field struct bpf_elf_map (28 bytes, no
 * inner_id/inner_idx, which tc zero-extends) in SEC("maps"):
 *   shared  PIN_GLOBAL_NS: one map for every object that names it (tc/globals/shared)
 *   own     PIN_OBJECT_NS: one map per object file (tc/<sha1 of the file>/own)
 * count_a adds 1 to both and returns TCX_NEXT, so the next program runs too. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#define PIN_OBJECT_NS	1
#define PIN_GLOBAL_NS	2

struct bpf_elf_map {
	__u32 type, size_key, size_value, max_elem, flags, id, pinning;
};

struct bpf_elf_map SEC("maps") shared = {
	.type = BPF_MAP_TYPE_ARRAY, .size_key = 4, .size_value = 8, .max_elem = 1, .pinning = PIN_GLOBAL_NS,
};
struct bpf_elf_map SEC("maps") own = {
	.type = BPF_MAP_TYPE_ARRAY, .size_key = 4, .size_value = 8, .max_elem = 1, .pinning = PIN_OBJECT_NS,
};

SEC("classifier") int count_a(struct __sk_buff *skb)
{
	__u32 k = 0;
	__u64 *v = bpf_map_lookup_elem(&shared, &k);

	if (v)
		__sync_fetch_and_add(v, 1);
	v = bpf_map_lookup_elem(&own, &k);
	if (v)
		__sync_fetch_and_add(v, 1);
	return -1; /* TCX_NEXT */
}

char LICENSE[] SEC("license") = "GPL";
