// SPDX-License-Identifier: GPL-2.0
/* Loader fixture: global data and subprograms, built WITHOUT -g (no .BTF / .BTF.ext). */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

int gdata = 7;
const volatile int cfg = 3;
int zeroed;
static char buf[8] SEC(".data.custom");

static __noinline int helper_static(int x) { return x * 3 + gdata; }
__noinline int helper_global(int x) { return x + cfg + helper_static(x); }

static int cb(__u32 idx, void *ctx) { zeroed++; return 0; }

SEC("tc")
int tail_a(struct __sk_buff *skb) { return helper_static(skb->len); }

SEC("tc")
int main_prog(struct __sk_buff *skb)
{
	__u32 k = skb->mark;
	bpf_printk("hello %d", k);
	buf[0] = 1;
	bpf_loop(4, cb, 0, 0);
	return helper_global(k);
}

static __noinline int local_in_sec(int a) SEC("tcx/ingress");
static __noinline int local_in_sec(int a) { return a + 1; }
SEC("tcx/ingress")
static int static_entry(struct __sk_buff *skb) { return local_in_sec(skb->len) + zeroed; }

char LICENSE[] SEC("license") = "GPL";
