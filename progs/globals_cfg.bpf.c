// SPDX-License-Identifier: GPL-2.0
/* Load-time configuration through `const volatile` globals, as libbpf
 * skeletons (skel->rodata->x = ...) and cilium/ebpf Variables set them
 * before load. Every .rodata value is frozen when the program is verified,
 * so the verifier sees each one as a constant: cfg_slot indexes a stack
 * array without a bounds check, which the verifier accepts only while the
 * constant it reads keeps the access inside the array (0..3); any other
 * value makes the kernel refuse the program. One variable of each kind the
 * typed setters handle: u16, s8, bool, enum, s64, char[], u32[], a named
 * .rodata.config section, and .data / .bss counters. */
#include "tcxlab_common.h"

enum cfg_mode { MODE_PASS = 0, MODE_MARK = 1, MODE_DROP = 2 };

const volatile __u32 cfg_slot = 1;
const volatile __u16 ENCAP_PORT = 4789;
const volatile __s8 cfg_small = -3;
const volatile _Bool cfg_enabled = 1;
const volatile enum cfg_mode cfg_mode = MODE_MARK;
const volatile __s64 cfg_delta = -5;
const volatile char cfg_name[8] = "tcx";
const volatile __u32 cfg_weights[4] = { 1, 2, 3, 4 };
/* a named section, like Cilium's DECLARE_CONFIG in .rodata.config */
const volatile __u32 cfg_limit SEC(".rodata.config") = 100;

__s32 balance = -1;	/* .data */
__u64 hits;		/* .bss */

SEC("tc")
int cfg_pick(struct __sk_buff *skb)
{
	__u32 table[4] = { skb->len, skb->protocol, skb->mark, 40 };

	/* No bounds check on purpose: the verifier knows cfg_slot. */
	skb->cb[0] = table[cfg_slot];
	skb->cb[1] = ENCAP_PORT | (__u32)(__u8)cfg_small << 16 | (__u32)(__u8)cfg_name[0] << 24;
	skb->cb[2] = (__u32)(cfg_delta + skb->len);
	skb->cb[3] = cfg_weights[skb->len & 3] + cfg_limit;
	skb->cb[4] = cfg_enabled ? (__u32)balance : 0xffff;
	hits++;
	balance += skb->len;
	if (cfg_mode == MODE_DROP)
		return TC_ACT_SHOT;
	if (cfg_mode == MODE_MARK)
		skb->mark = 0x600d;
	return TC_ACT_OK;
}

char LICENSE[] SEC("license") = "GPL";
