// SPDX-License-Identifier: GPL-2.0
/* Built with -mcpu=v4 (see Makefile: *_v4.bpf.c): exercises the ISA v4
 * instructions clang emits for plain C: signed division and modulo
 * (sdiv/smod), sign-extending moves (movsx 8/16/32), sign-extending loads
 * (ldsx from packet, stack and ctx), byte swaps (bswap16/32/64) and the
 * 32-bit-offset jump (gotol, only for long jumps; not forced here). The
 * inputs come from the packet so nothing is constant-folded. */
#include "tcxlab_common.h"

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 8);
	__type(key, __u32);
	__type(value, __s64);
} results SEC(".maps");

static __always_inline void put(__u32 k, __s64 v)
{
	bpf_map_update_elem(&results, &k, &v, BPF_ANY);
}

SEC("tcx/ingress")
int alu_v4(struct __sk_buff *skb)
{
	void *data = (void *)(long)skb->data;
	void *data_end = (void *)(long)skb->data_end;
	__u8 *p = data;
	__s64 a, b;
	__s32 c, d;

	if ((void *)(p + 40) > data_end)
		return TC_ACT_OK;
	a = *(__s8 *)(p + 20);			/* ldsx byte */
	b = *(__s16 *)(p + 22);			/* ldsx half */
	c = *(__s32 *)(p + 24);			/* ldsx word into 32-bit */
	d = (__s8)p[33];			/* movsx from a zero-extended byte */
	if (b == 0)
		b = -3;
	if (d == 0)
		d = -5;
	put(0, a / b);				/* sdiv64 */
	put(1, a % b);				/* smod64 */
	put(2, c / d);				/* sdiv32 */
	put(3, c % d);				/* smod32 */
	put(4, (__s64)(__s16)(c >> 3));		/* movsx16 */
	put(5, __builtin_bswap64(*(__u64 *)(p + 26)));	/* bswap64 */
	put(6, __builtin_bswap32(c) ^ __builtin_bswap16((__u16)b));
	put(7, (__s64)(__s32)skb->len * -1);	/* movsx32 */
	/* ldsx from ctx: mark is sign-extended from its low byte */
	return *(volatile __s8 *)((__u8 *)skb + 8) < 0 ? TC_ACT_SHOT : TC_ACT_OK;
}

char LICENSE[] SEC("license") = "GPL";
