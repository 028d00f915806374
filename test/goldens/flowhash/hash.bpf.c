// SPDX-License-Identifier: GPL-2.0
// skb->hash as bpf_get_hash_recalc computes it: the retval of each run (see record.sh).
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

SEC("tc")
int flow_hash(struct __sk_buff *skb)
{
	return bpf_get_hash_recalc(skb);
}
