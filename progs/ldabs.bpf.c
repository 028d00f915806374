// SPDX-License-Identifier: GPL-2.0
/* Classic-BPF style packet access: LD_ABS and LD_IND (BPF_LD|BPF_ABS/IND)
 * through the llvm.bpf.load.{byte,half,word} intrinsics, plus inline asm.
 * These loads read from skb->data at an absolute offset, convert from
 * network order, and end the program with return 0 when out of bounds.
 * Only r6 may hold the ctx (the verifier requires it); clang arranges that. */
#include "tcxlab_common.h"

/* LLVM intrinsics that lower to LD_ABS (constant offset) or LD_IND
 * (register offset), declared as in the kernel's samples/bpf */
unsigned long long load_byte(void *skb, unsigned long long off) asm("llvm.bpf.load.byte");
unsigned long long load_half(void *skb, unsigned long long off) asm("llvm.bpf.load.half");
unsigned long long load_word(void *skb, unsigned long long off) asm("llvm.bpf.load.word");

/* "tcpdump udp and dst port 53"-like filter on IPv4: returns 1 (RECLASSIFY
 * value reused as "match") or 0 */
SEC("classifier")
int ldabs_filter(struct __sk_buff *skb)
{
	__u32 ihl;

	if (load_half(skb, 12) != ETH_P_IP)
		return 0;
	if (load_byte(skb, 23) != IPPROTO_UDP)
		return 0;
	if (load_half(skb, 20) & 0x1fff)	/* fragment offset */
		return 0;
	ihl = (load_byte(skb, 14) & 0xf) << 2;
	/* LD_IND: offset register + constant */
	if (load_half(skb, ETH_HLEN + ihl + 2) != 53)
		return 0;
	return 1;
}

/* Reads words past the end on short frames: the implicit "return 0" path. */
SEC("classifier")
int ldabs_words(struct __sk_buff *skb)
{
	__u32 a = load_word(skb, 26);	/* IPv4 saddr */
	__u32 b = load_word(skb, 30);	/* IPv4 daddr */

	skb->cb[0] = a;
	skb->cb[1] = b;
	skb->cb[2] = load_byte(skb, 60);	/* past 59: aborts short frames */
	return 7;
}

/* Hand-written LD_ABS / LD_IND in assembler. r6 must be the ctx. */
SEC("classifier")
int ldabs_asm(struct __sk_buff *skb)
{
	__u64 ret;

	asm volatile(
		"r6 = %[ctx]\n\t"
		"r0 = *(u8 *)skb[14]\n\t"	/* LD_ABS B: version/ihl */
		"r7 = r0\n\t"
		"r7 &= 15\n\t"
		"r7 <<= 2\n\t"
		"r7 += 14\n\t"			/* LLVM's LD_IND syntax takes a bare register */
		"r0 = *(u16 *)skb[r7]\n\t"	/* LD_IND H: L4 source port */
		"r8 = r0\n\t"
		"r0 = *(u32 *)skb[r7]\n\t"	/* LD_IND W: both ports */
		"r0 ^= r8\n\t"
		"%[ret] = r0\n\t"
		: [ret] "=r"(ret)
		: [ctx] "r"(skb)
		: "r0", "r1", "r2", "r3", "r4", "r5", "r6", "r7", "r8");
	return (int)ret;
}

/* LD_ABS/LD_IND in a subprogram. The kernel expands each load with a hidden
 * "r0 = 0; exit" for the out-of-bounds case (bpf_gen_ld_abs); in a subprogram
 * that exit returns 0 to the caller, which goes on. The subprogram needs BTF
 * with an int return type (built with -g). */
static __attribute__((noinline)) int peek_word(struct __sk_buff *skb, int off)
{
	/* 1 past the load; 0 through the hidden exit */
	return (load_word(skb, off) & 1) + 1;
}

SEC("classifier")
int ldabs_subprog(struct __sk_buff *skb)
{
	int near = peek_word(skb, 26);		/* in bounds on IPv4 frames */
	int far = peek_word(skb, 4000);		/* past every test frame */

	skb->cb[0] = near;
	skb->cb[1] = far;
	return 100 + near * 10 + far;
}

char LICENSE[] SEC("license") = "GPL";
