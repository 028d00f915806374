// SPDX-License-Identifier: GPL-2.0
/* Shared part of the map behaviour probes for tcxlab's map model (test/maps/goldens.test.ts).
 * Each program runs one scenario on its own maps and records every helper
 * result, in call order, into the `res` array (u64 slots, -errno as s64).
 * record.sh runs each program once through `oracle run` and keeps the JSON.
 * Build: see record.sh. */
#include <linux/bpf.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 64);
	__type(key, __u32);
	__type(value, __s64);
} res SEC(".maps");

static __always_inline void rec(__u32 *n, __s64 v)
{
	__u32 k = *n;
	__s64 *slot = bpf_map_lookup_elem(&res, &k);

	if (slot)
		*slot = v;
	*n = k + 1;
}

static __always_inline void res_set(__u32 k, __s64 v)
{
	__s64 *slot = bpf_map_lookup_elem(&res, &k);

	if (slot)
		*slot = v;
}
