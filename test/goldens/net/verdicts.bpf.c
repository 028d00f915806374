// SPDX-License-Identifier: GPL-2.0
/* Programs for the tcx + classic data-path goldens (test/goldens/net/).
 *
 * v0..v7 are the same program with a different slot i. Each run:
 *   hits[i]++                      (how often slot i ran)
 *   seen_index[i] = skb->tc_index  (what tc_index the skb carried when it ran)
 *   order[...] = i                 (the order programs ran in)
 *   seen_mark[i], seen_priority[i] = skb->mark, skb->priority
 *   if classid[i]: skb->tc_classid = classid[i]    (likewise mark[i], priority[i])
 *   if redir[i].kind: bpf_redirect / bpf_redirect_peer / bpf_clone_redirect (its return
 *                     value into clone_ret[i]) / bpf_redirect_neigh with redir[i].ifindex, flags
 *   return ret[i]                  (0xffffffff = -1 = TCX_NEXT / TC_ACT_UNSPEC)
 * so one object lets the recorder build any chain with any return codes, on the
 * real kernel and in tcxlab alike. Built with clang-19 -O2 -g -target bpf. */
#include <linux/bpf.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf_helpers.h>

#define NSLOT 8

struct redir_cfg {
	__u32 kind;	/* 0 none, 1 bpf_redirect, 2 bpf_redirect_peer, 3 bpf_clone_redirect,
			 * 4 bpf_redirect_neigh (no params) */
	__u32 ifindex;
	__u32 flags;
};

/* Global data, not BTF maps: the recorder rewrites .data with bpftool (key 0, the whole
 * section) and reads .bss back. Layout (little endian, offsets in bytes):
 *   .data cfg:   0 ret[8] (u32)   32 classid[8] (u32)   64 redir[8] (12 bytes each)
 *                160 mark[8] (u32)   192 priority[8] (u32)
 *   .bss  stats: 0 hits[8] (u64)  64 seen_index[8] (u32)  96 order[17] (u32)
 *                164 seen_mark[8] (u32)   196 seen_priority[8] (u32)   228 clone_ret[8] (s32)
 * order[0] = number of runs so far; order[1 + (n & 15)] = the slot of run n. */
struct cfg {
	__u32 ret[NSLOT];
	__u32 classid[NSLOT];
	struct redir_cfg redir[NSLOT];
	__u32 mark[NSLOT];
	__u32 priority[NSLOT];
};

struct stats {
	__u64 hits[NSLOT];
	__u32 seen_index[NSLOT];
	__u32 order[17];
	__u32 seen_mark[NSLOT];
	__u32 seen_priority[NSLOT];
	__s32 clone_ret[NSLOT];
};

volatile struct cfg cfg SEC(".data") = {
	.ret = { -1, -1, -1, -1, -1, -1, -1, -1 },
};
volatile struct stats stats;

static __always_inline int slot(struct __sk_buff *skb, __u32 i)
{
	__u32 n;

	__sync_fetch_and_add(&stats.hits[i], 1);
	stats.seen_index[i] = skb->tc_index;
	stats.seen_mark[i] = skb->mark;
	stats.seen_priority[i] = skb->priority;
	n = stats.order[0];
	stats.order[1 + (n & 15)] = i;
	stats.order[0] = n + 1;
	if (cfg.classid[i])
		skb->tc_classid = cfg.classid[i];
	if (cfg.mark[i])
		skb->mark = cfg.mark[i];
	if (cfg.priority[i])
		skb->priority = cfg.priority[i];
	if (cfg.redir[i].kind == 1)
		bpf_redirect(cfg.redir[i].ifindex, cfg.redir[i].flags);
	else if (cfg.redir[i].kind == 2)
		bpf_redirect_peer(cfg.redir[i].ifindex, 0);
	else if (cfg.redir[i].kind == 3)
		stats.clone_ret[i] = bpf_clone_redirect(skb, cfg.redir[i].ifindex, cfg.redir[i].flags);
	else if (cfg.redir[i].kind == 4)
		bpf_redirect_neigh(cfg.redir[i].ifindex, 0, 0, 0);
	return (int)cfg.ret[i];
}

#define SLOT(i) SEC("tc") int v##i(struct __sk_buff *skb) { return slot(skb, i); }
SLOT(0)
SLOT(1)
SLOT(2)
SLOT(3)
SLOT(4)
SLOT(5)
SLOT(6)
SLOT(7)

char LICENSE[] SEC("license") = "GPL";
