// SPDX-License-Identifier: GPL-2.0
/* iproute2 (tc filter ... bpf obj X.o) style object: struct bpf_elf_map in
 * SEC("maps") with id/pinning/inner_id/inner_idx, a map-in-map whose inner
 * template is found through inner_id, and tail-call targets in sections
 * named "ID/KEY" (iproute2's __section_tail(ID, KEY)): "2/0" and "2/1" go into
 * slots 0 and 1 of the prog array whose id is 2. Entry point: SEC
 * "classifier". libbpf >= 1.0 rejects SEC("maps"), so this is a loader-only
 * fixture (no kernel run goldens). Layout as in iproute2 include/bpf_elf.h. */
#include "tcxlab_common.h"

#define PIN_NONE	0
#define PIN_OBJECT_NS	1
#define PIN_GLOBAL_NS	2

struct bpf_elf_map {
	__u32 type;
	__u32 size_key;
	__u32 size_value;
	__u32 max_elem;
	__u32 flags;
	__u32 id;
	__u32 pinning;
	__u32 inner_id;
	__u32 inner_idx;
};

#define __stringify_1(x) #x
#define __stringify(x) __stringify_1(x)
#define __section_tail(ID, KEY) SEC(__stringify(ID) "/" __stringify(KEY))

#define JMP_MAP_ID	2
#define INNER_ID	3

struct bpf_elf_map SEC("maps") ipr_jmp = {
	.type = BPF_MAP_TYPE_PROG_ARRAY,
	.size_key = sizeof(__u32),
	.size_value = sizeof(__u32),
	.max_elem = 2,
	.id = JMP_MAP_ID,
	.pinning = PIN_GLOBAL_NS,
};

struct bpf_elf_map SEC("maps") ipr_stats = {
	.type = BPF_MAP_TYPE_ARRAY,
	.size_key = sizeof(__u32),
	.size_value = sizeof(__u64),
	.max_elem = 4,
	.id = 1,
	.pinning = PIN_OBJECT_NS,
};

/* inner map template: id 3, referenced by ipr_outer.inner_id */
struct bpf_elf_map SEC("maps") ipr_inner = {
	.type = BPF_MAP_TYPE_ARRAY,
	.size_key = sizeof(__u32),
	.size_value = sizeof(__u32),
	.max_elem = 1,
	.id = INNER_ID,
	.inner_idx = 0,
};

struct bpf_elf_map SEC("maps") ipr_outer = {
	.type = BPF_MAP_TYPE_ARRAY_OF_MAPS,
	.size_key = sizeof(__u32),
	.size_value = sizeof(__u32),
	.max_elem = 1,
	.id = 4,
	.inner_id = INNER_ID,
	.pinning = PIN_NONE,
};

static __always_inline void count(__u32 idx)
{
	__u64 *c = bpf_map_lookup_elem(&ipr_stats, &idx);

	if (c)
		__sync_fetch_and_add(c, 1);
}

__section_tail(JMP_MAP_ID, 0)
int ipr_tail_ip4(struct __sk_buff *skb)
{
	count(1);
	return TC_ACT_OK;
}

__section_tail(JMP_MAP_ID, 1)
int ipr_tail_other(struct __sk_buff *skb)
{
	count(2);
	return TC_ACT_UNSPEC;
}

SEC("classifier")
int ipr_main(struct __sk_buff *skb)
{
	__u32 zero = 0, *v;
	void *inner;

	count(0);
	inner = bpf_map_lookup_elem(&ipr_outer, &zero);
	if (inner) {
		v = bpf_map_lookup_elem(inner, &zero);
		if (v)
			skb->mark = *v;
	}
	bpf_tail_call(skb, &ipr_jmp, skb->protocol == bpf_htons(ETH_P_IP) ? 0 : 1);
	count(3);
	return TC_ACT_OK;
}

char __license[] SEC("license") = "GPL";
