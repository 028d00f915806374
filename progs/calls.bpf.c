// SPDX-License-Identifier: GPL-2.0
/* bpf-to-bpf calls: static __noinline subprograms (verified with the caller's
 * context) and global functions (verified once, on their own, against their
 * BTF signature). Includes a call chain three deep, a subprogram with five
 * arguments and stack use in the callee. */
#include "tcxlab_common.h"

static __noinline __u32 fold16(__u32 x)
{
	x = (x & 0xffff) + (x >> 16);
	return (x & 0xffff) + (x >> 16);
}

static __noinline __u32 mix5(__u32 a, __u32 b, __u32 c, __u32 d, __u32 e)
{
	volatile __u32 tmp[4] = { a, b, c, d };	/* forces callee stack use */

	return fold16(tmp[0] * 31 + tmp[1] * 17 + tmp[2] * 7 + tmp[3] + e);
}

static __noinline int depth3(int n)
{
	return n > 0 ? n * 2 : -1;
}

static __noinline int depth2(int n)
{
	return depth3(n + 1) + 1;
}

static __noinline int depth1(int n)
{
	return depth2(n * 3) + 1;
}

/* Global function: the verifier checks it independently; skb is a ctx
 * argument, so it may read ctx fields but the result is an unknown scalar. */
__noinline int global_len_class(struct __sk_buff *skb)
{
	if (!skb)
		return 0;
	if (skb->len < 64)
		return 1;
	if (skb->len < 512)
		return 2;
	return 3;
}

__noinline __u32 global_hash(__u32 a, __u32 b)
{
	a ^= b * 0x9e3779b9;
	a ^= a >> 15;
	return a * 0x85ebca6b;
}

SEC("tcx/ingress")
int calls_main(struct __sk_buff *skb)
{
	__u32 h;

	h = mix5(skb->len, skb->protocol, skb->ifindex, skb->mark, skb->priority);
	skb->cb[0] = h;
	skb->cb[1] = depth1(skb->len & 7);
	skb->cb[2] = global_len_class(skb);
	skb->cb[3] = global_hash(skb->len, skb->mark);
	return global_len_class(skb) == 1 ? TC_ACT_OK : TCX_NEXT;
}

/* A second program in the same object sharing the subprograms: libbpf
 * appends the used subprograms to each program's instructions. */
SEC("tcx/egress")
int calls_other(struct __sk_buff *skb)
{
	skb->cb[0] = fold16(skb->len * 0x10001u);
	skb->cb[1] = global_hash(skb->mark, 1);
	return TC_ACT_OK;
}

char LICENSE[] SEC("license") = "GPL";
