// SPDX-License-Identifier: GPL-2.0
// __weak kfunc externs and bpf_ksym_exists (libbpf 1.1's bpf_helpers.h lacks the macro): a known
// kfunc has a non-zero address, an unknown one is 0 and its guarded call is dead code.
#include <linux/bpf.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf_helpers.h>

#define bpf_ksym_exists(sym) (!!(sym))

char LICENSE[] SEC("license") = "GPL";

extern int bpf_dynptr_from_skb(struct __sk_buff *s, __u64 flags, struct bpf_dynptr *ptr__uninit) __ksym __weak;
extern __u32 bpf_dynptr_size(const struct bpf_dynptr *p) __ksym __weak;
extern int bpf_no_such_kfunc(int x) __ksym __weak;

__s64 res[4];

SEC("tc")
int weak_kfuncs(struct __sk_buff *skb)
{
	struct bpf_dynptr p;

	res[0] = bpf_ksym_exists(bpf_dynptr_size);
	res[1] = bpf_ksym_exists(bpf_no_such_kfunc);
	if (bpf_ksym_exists(bpf_no_such_kfunc))
		res[2] = bpf_no_such_kfunc(1);
	if (bpf_ksym_exists(bpf_dynptr_from_skb) && bpf_ksym_exists(bpf_dynptr_size)) {
		bpf_dynptr_from_skb(skb, 0, &p);
		res[3] = bpf_dynptr_size(&p);
	}
	return TC_ACT_OK;
}
