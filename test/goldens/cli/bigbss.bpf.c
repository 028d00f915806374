// SPDX-License-Identifier: GPL-2.0
/* Fixture: a 60 MiB .bss (one 60 MiB value in the dump). Built by record.sh. */
#include "tcxlab_common.h"

char big[60 << 20];

SEC("tc")
int bigbss(struct __sk_buff *skb)
{
	big[0] = 1;
	big[(60 << 20) - 1] = 2;
	return TC_ACT_OK;
}

char LICENSE[] SEC("license") = "GPL";
