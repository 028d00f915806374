// SPDX-License-Identifier: GPL-2.0
// bpf_tail_call as Linux 6.18's verifier sees it (check_helper_call): a call that fails goes on
// with the packet as it was; one that succeeds never returns to the main program, but from a
// subprogram it returns to the caller with the called program's r0, the packet possibly changed.
// The kernel's verdict and processed count on each is recorded by make-tailcall.sh.
#include <linux/bpf.h>
#define SEC(n) __attribute__((section(n), used))
#define __uint(name, val) int (*name)[val]
#define __type(name, val) typeof(val) *name

struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, 2);
	__type(key, int);
	__type(value, int);
} jt SEC(".maps");

static long (*bpf_tail_call)(void *ctx, void *map, unsigned int index) = (void *)12;

// the main program reads the packet after a tail call that failed: its pointers are still valid
SEC("tc") int main_reads_after(struct __sk_buff *skb)
{
	unsigned char *d = (void *)(long)skb->data, *e = (void *)(long)skb->data_end;

	if (d + 1 > e)
		return 0;
	bpf_tail_call(skb, &jt, 0);
	return d[0];
}

static __attribute__((noinline)) int sub_tail(struct __sk_buff *skb, unsigned int i)
{
	bpf_tail_call(skb, &jt, i & 1);
	return 1;
}

// a subprogram's tail call may return to the caller after the called program changed the
// packet: the caller's packet pointers are no longer valid
SEC("tc") int caller_reads_after(struct __sk_buff *skb)
{
	unsigned char *d = (void *)(long)skb->data, *e = (void *)(long)skb->data_end;

	if (d + 1 > e)
		return 0;
	sub_tail(skb, skb->len);
	return d[0];
}

static __attribute__((noinline)) int sub_tail_reads(struct __sk_buff *skb)
{
	unsigned char *d = (void *)(long)skb->data, *e = (void *)(long)skb->data_end;

	if (d + 1 > e)
		return 0;
	bpf_tail_call(skb, &jt, 1);
	return d[0];
}

// the subprogram itself reads the packet after its tail call failed; the caller reloads it
SEC("tc") int callee_reads_after(struct __sk_buff *skb)
{
	int r = sub_tail_reads(skb);
	unsigned char *d = (void *)(long)skb->data, *e = (void *)(long)skb->data_end;

	if (d + 1 > e)
		return r;
	return r + d[0];
}

char _license[] SEC("license") = "GPL";
