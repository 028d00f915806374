// SPDX-License-Identifier: GPL-2.0
/* Loader fixture: BTF maps (hash, map-in-map with initial values, prog array with initial values,
 * perf event array without sizes), global data (.data, .rodata, .bss, .data.custom, string
 * literals), .text subprograms (static + global, same-section call), a bpf_loop callback,
 * two programs in one section and a static entry program with a same-section static callee. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16);
	__type(key, __u32);
	__type(value, __u64);
} counts SEC(".maps");

struct inner { __uint(type, BPF_MAP_TYPE_ARRAY); __uint(max_entries, 1); __type(key, __u32); __type(value, __u32); } in1 SEC(".maps"), in2 SEC(".maps");
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS);
	__uint(max_entries, 4);
	__type(key, __u32);
	__array(values, struct inner);
} outer SEC(".maps") = { .values = { [0] = &in1, [2] = &in2 } };

int tail_a(struct __sk_buff *skb);
struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, 3);
	__type(key, __u32);
	__array(values, int (void *));
} jmp SEC(".maps") = { .values = { [1] = (void *)&tail_a } };

struct { __uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY); } events SEC(".maps");

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
	__u64 *v = bpf_map_lookup_elem(&counts, &k);
	if (v) *v += 1;
	bpf_printk("hello %d", k);
	buf[0] = 1;
	bpf_loop(4, cb, 0, 0);
	bpf_tail_call(skb, &jmp, 1);
	return helper_global(k);
}

static __noinline int local_in_sec(int a) SEC("tcx/ingress");
static __noinline int local_in_sec(int a) { return a + 1; }
SEC("tcx/ingress")
static int static_entry(struct __sk_buff *skb) { return local_in_sec(skb->len) + zeroed; }

char LICENSE[] SEC("license") = "GPL";
