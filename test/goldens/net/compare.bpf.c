// SPDX-License-Identifier: GPL-2.0
/* Programs for `tcxlab compare` (README example, test/net/compare.test.ts) and the kernel golden
 * test/goldens/net/compare.net: the frame says what each program returns, so one packets file
 * walks through every return code under tcx, cls_bpf da and cls_bpf non-da.
 *
 * The frame is IPv4/UDP; its UDP payload (offset 42) is read as big-endian words:
 *   42: ret of `first`   46: ret of `second`   (0xffffffff = -1 = TCX_NEXT / TC_ACT_UNSPEC)
 *   50: mark `first` sets when non-zero        54: the tc_classid `first` saw (written back)
 * A frame too short for them returns TC_ACT_UNSPEC untouched.
 * Maps: runs[0], runs[1] count the runs of first and second (u64); seen[0], seen[1] keep the
 * tc_classid each saw (u32). Built with clang-19 -O2 -g -target bpf -mcpu=v3. */
#include <linux/bpf.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 2);
	__type(key, __u32);
	__type(value, __u64);
} runs SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 2);
	__type(key, __u32);
	__type(value, __u32);
} seen SEC(".maps");

struct cmd {
	__be32 ret[2];
	__be32 mark;
	__be32 seen_classid;
};

/* One function per slot with the slot as a literal: a shared helper taking the slot as an
 * argument gets it spilled for the map calls and reloaded as an unknown scalar, and the
 * kernel's verifier then refuses the packet read (measured on 6.18: "invalid access to packet"). */
#define PROG(name, i)								\
SEC("tc") int name(struct __sk_buff *skb)					\
{										\
	void *data = (void *)(long)skb->data;					\
	void *end = (void *)(long)skb->data_end;				\
	struct cmd *c = data + 42;						\
	__u32 classid = skb->tc_classid;					\
	__u32 key = i;								\
	__u64 *n;								\
	int ret;								\
										\
	if ((void *)(c + 1) > end)						\
		return TC_ACT_UNSPEC;						\
	ret = (int)bpf_ntohl(c->ret[i]);					\
	if (i == 0) {								\
		c->seen_classid = bpf_htonl(classid);				\
		if (c->mark)							\
			skb->mark = bpf_ntohl(c->mark);				\
	}									\
	n = bpf_map_lookup_elem(&runs, &key);					\
	if (n)									\
		__sync_fetch_and_add(n, 1);					\
	bpf_map_update_elem(&seen, &key, &classid, BPF_ANY);			\
	return ret;								\
}

PROG(first, 0)
PROG(second, 1)

char LICENSE[] SEC("license") = "GPL";
