// SPDX-License-Identifier: GPL-2.0
/* Negative fixture for the verifier: compiles, but the kernel refuses it:
 * bad_pkt_read reads a packet byte without a data_end check. The rejection
 * is recorded as a golden (oracle "load" error). */
#include "tcxlab_common.h"

SEC("tc")
int bad_pkt_read(struct __sk_buff *skb)
{
	__u8 *p = (void *)(long)skb->data;

	return p[20];
}

char LICENSE[] SEC("license") = "GPL";
