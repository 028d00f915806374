// SPDX-License-Identifier: GPL-2.0
/* A Cilium-style test object that also holds a socket-address program, as Cilium's socket-LB
 * tests do: Cilium's runner loads cgroup programs as their own type, and tcxlab's runner leaves
 * them out (it runs tc programs only) instead of checking them against __sk_buff rules. The
 * connect4 program writes ctx->user_ip4 (offset 4), which a sched_cls program may not do. */
#include "tcxlab_common.h"
#include "trf_test.h"

struct bpf_sock_addr_min {
	__u32 user_family;
	__u32 user_ip4;
};

SEC("cgroup/connect4")
int sock4_connect(struct bpf_sock_addr_min *ctx)
{
	if (ctx->user_ip4 == bpf_htonl(0x0a00000a))
		ctx->user_ip4 = bpf_htonl(0x0a000063);
	return 1;
}

CHECK("tc", "a_tc_group_runs")
int tc_check(struct __sk_buff *skb)
{
	trf_begin();
	trf_test("runs_beside_a_cgroup_program", {
		trf_assert(skb->len > 0);
	});
	trf_end();
}
char _license[] SEC("license") = "GPL";
