// SPDX-License-Identifier: GPL-2.0
// Scalars linked by a constant delta (BPF_ADD_CONST64 / BPF_ADD_CONST32) as Linux 6.18 tracks
// them: 32-bit adds, subtractions and negative deltas. In each program `r0 /= 0` is reached
// only if the verifier cannot carry a bound from one register to its linked copy. The kernel's
// verdict on each is recorded by make-linked.sh.
#include <linux/bpf.h>
#define SEC(n) __attribute__((section(n), used))
#define NAKED __attribute__((naked))

// w7 = w6 + 1 linked 32-bit: r6 == 0xffffffff makes r7 the zero-extended sum 0
SEC("tc") NAKED int alu32_zext(void)
{
	asm volatile ("call 7; w6 = w0; r7 = r6; w7 += 1; r8 = 0xFFFFffff ll;"
		      "if r6 < r8 goto 1f; if r7 == 0 goto 1f; r0 /= 0;"
		      "1: r0 = 0; exit;" ::: "memory");
}

// r1 = r0 - 4 (a negative delta): r1 >= 0 bounds r0 (with 64-bit wrap-around)
SEC("tc") NAKED int sub_delta(void)
{
	asm volatile ("call 7; r1 = r0; r1 += -4; if r1 s< 0 goto 1f; if r0 s>= 4 goto 1f; r0 /= 0;"
		      "1: r0 = 0; exit;" ::: "memory");
}

// r1 = r0 - 4 through BPF_SUB on a value bounded first, so no wrap-around: the bound reaches r0
SEC("tc") NAKED int sub_bounded(void)
{
	asm volatile ("call 7; r0 &= 0xff; r1 = r0; r1 -= 4; if r1 s< 0 goto 1f; if r0 >= 4 goto 1f; r0 /= 0;"
		      "1: r0 = 0; exit;" ::: "memory");
}

// w1 += 1 on a register that may exceed 32 bits: no link, the bound does not reach r0
SEC("tc") NAKED int alu32_wide_no_link(void)
{
	asm volatile ("call 7; r6 = r0; r6 <<= 8; r1 = r6; w1 += 1; if r1 != 1 goto 1f;"
		      "if r6 == 0 goto 1f; r0 /= 0;"
		      "1: r0 = 0; exit;" ::: "memory");
}

// a second delta is not tracked: r1 = (r0 + 1) + 1 loses the link
SEC("tc") NAKED int second_delta(void)
{
	asm volatile ("call 7; r0 &= 0xff; r1 = r0; r1 += 1; r1 += 1; if r1 != 2 goto 1f;"
		      "if r0 == 0 goto 1f; r0 /= 0;"
		      "1: r0 = 0; exit;" ::: "memory");
}

char _license[] SEC("license") = "GPL";
