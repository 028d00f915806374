// SPDX-License-Identifier: GPL-2.0
/* Negative fixture: a store to a read-only __sk_buff field (len). The kernel
 * rejects the load with "invalid bpf_context access". */
#include "tcxlab_common.h"

SEC("tc")
int bad_ctx_write(struct __sk_buff *skb)
{
	*(volatile __u32 *)&skb->len = 1;
	return TC_ACT_OK;
}

char LICENSE[] SEC("license") = "GPL";
