// SPDX-License-Identifier: GPL-2.0
// A kfunc declared with a prototype the kernel's does not match: libbpf refuses to load it.
#include <linux/bpf.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

/* The kernel's is __u32 bpf_dynptr_size(const struct bpf_dynptr *p): one parameter. */
extern __u32 bpf_dynptr_size(const struct bpf_dynptr *p, __u32 extra) __ksym;

SEC("tc")
int bad_proto(struct __sk_buff *skb)
{
	struct bpf_dynptr p = {};

	return bpf_dynptr_size(&p, 1);
}
