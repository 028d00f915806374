// SPDX-License-Identifier: GPL-2.0
/* Pinning: PIN_GLOBAL_NS `shared` with another value size than pin_a's: reusing the pin must
 * fail (iproute2 bpf_map_selfcheck_pinned / libbpf map_is_reuse_compat: EINVAL). */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct bpf_elf_map {
	__u32 type, size_key, size_value, max_elem, flags, id, pinning;
};

struct bpf_elf_map SEC("maps") shared = {
	.type = BPF_MAP_TYPE_ARRAY, .size_key = 4, .size_value = 4, .max_elem = 1, .pinning = 2,
};

SEC("classifier") int clash(struct __sk_buff *skb)
{
	__u32 k = 0;

	return bpf_map_lookup_elem(&shared, &k) ? 0 : 2;
}

char LICENSE[] SEC("license") = "GPL";
