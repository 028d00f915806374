// SPDX-License-Identifier: GPL-2.0
/* Pinning (object C): a BTF map pinned by name. tc pins it in its globals directory, so it is
 * the same map as the PIN_GLOBAL_NS `shared` of pin_a/pin_b (same definition). count_c adds 10. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} shared SEC(".maps");

SEC("classifier") int count_c(struct __sk_buff *skb)
{
	__u32 k = 0;
	__u64 *v = bpf_map_lookup_elem(&shared, &k);

	if (v)
		__sync_fetch_and_add(v, 10);
	return -1; /* TCX_NEXT */
}

char LICENSE[] SEC("license") = "GPL";
