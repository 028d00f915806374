// SPDX-License-Identifier: GPL-2.0
/* Negative fixture for the loader: a program in a section no tc loader knows
 * ("xyzzy/ingress") next to a valid one, and a kprobe section. A loader should
 * refuse (or at least not classify) the unknown section as a tc program. The
 * kernel oracle (libbpf 1.1) loads unknown sections as sched_cls, so the valid
 * program still has run goldens. */
#include "tcxlab_common.h"

SEC("xyzzy/ingress")
int invalid_unknown(struct __sk_buff *skb)
{
	return TC_ACT_SHOT;
}

SEC("tc")
int invalid_neighbour_ok(struct __sk_buff *skb)
{
	return TC_ACT_OK;
}

char LICENSE[] SEC("license") = "GPL";
