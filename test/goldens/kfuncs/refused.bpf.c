// SPDX-License-Identifier: GPL-2.0
// A kfunc call the 6.18 kernel this was recorded on refuses at load (see record.sh).
#include <linux/bpf.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

extern int bpf_dynptr_from_skb(struct __sk_buff *s, __u64 flags, struct bpf_dynptr *ptr__uninit) __ksym;
extern void *bpf_dynptr_slice_rdwr(const struct bpf_dynptr *p, __u32 offset, void *buffer__opt, __u32 buffer__szk) __ksym;

SEC("tc")
int dynptr_slice_rdwr(struct __sk_buff *skb)
{
	struct bpf_dynptr p;
	__u8 *s;

	bpf_dynptr_from_skb(skb, 0, &p);
	s = bpf_dynptr_slice_rdwr(&p, 14, NULL, 2);
	if (s)
		s[1] = 0x10; /* IPv4 TOS */
	return TC_ACT_OK;
}
