// SPDX-License-Identifier: GPL-2.0
/* Loader fixture: a call to a kfunc tcxlab does not implement: must be a RelocationError naming it. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
extern int bpf_some_kfunc(struct __sk_buff *skb, int x) __ksym;
SEC("tc") int k(struct __sk_buff *skb) { return bpf_some_kfunc(skb, 3); }
char LICENSE[] SEC("license") = "GPL";
