// SPDX-License-Identifier: GPL-2.0
/* Global data in every section libbpf turns into a map:
 *   .data (initialised), .bss (zero), .rodata (const volatile),
 *   .data.counters / .rodata.tables (custom sections, one map each),
 *   string literals (.rodata.str1.1, merged into .rodata by clang or kept as
 *   their own section depending on use).
 * Programs read and modify them and show the results in cb[] and the packet. */
#include "tcxlab_common.h"

/* .data */
__u32 seen_packets = 100;
__u64 seen_bytes = 1ULL << 40;
/* .bss */
__u32 last_proto;
__u8 last_src[ETH_ALEN];
/* .rodata */
const volatile __u32 cfg_mark = 0x4242;
const volatile __u8 cfg_tag[4] = { 't', 'c', 'x', '!' };
/* custom sections */
__u64 ctr_ip4 SEC(".data.counters") = 7;
__u64 ctr_other SEC(".data.counters") = 9;
const __u16 port_map[4] SEC(".rodata.tables") = { 53, 80, 443, 8080 };
/* static (file-local) globals live in the same sections */
static __u32 hidden_counter = 3;

/* Reads and writes .data/.bss/.rodata and the custom sections. */
SEC("tcx/ingress")
int globals_rw(struct __sk_buff *skb)
{
	void *data = (void *)(long)skb->data;
	void *data_end = (void *)(long)skb->data_end;
	struct ethhdr *eth = data;

	seen_packets++;
	seen_bytes += skb->len;
	hidden_counter *= 3;
	last_proto = skb->protocol;
	if ((void *)(eth + 1) <= data_end)
		__builtin_memcpy(last_src, eth->h_source, ETH_ALEN);
	if (skb->protocol == bpf_htons(ETH_P_IP))
		ctr_ip4++;
	else
		ctr_other++;
	skb->mark = cfg_mark;
	skb->cb[0] = seen_packets;
	skb->cb[1] = hidden_counter;
	skb->cb[2] = port_map[skb->len & 3];
	skb->cb[3] = cfg_tag[0] | cfg_tag[1] << 8 | cfg_tag[2] << 16 | cfg_tag[3] << 24;
	return TC_ACT_OK;
}

/* String literals: a format string and a fixed tag. bpf_snprintf needs the
 * format in a read-only map (here: the string section), and the output is
 * written over the packet's last bytes so data_out shows it. */
SEC("tc")
int globals_strings(struct __sk_buff *skb)
{
	static const char fmt[] = "len=%u mark=%x";
	char buf[24] = {};
	__u64 args[2] = { skb->len, skb->mark };
	const char *tag = "TCXLAB";
	long n;

	n = bpf_snprintf(buf, sizeof(buf), fmt, args, sizeof(args));
	skb->cb[0] = (__u32)n;
	if (skb->len < 40)
		return TC_ACT_SHOT;
	bpf_skb_store_bytes(skb, skb->len - 16, buf, 16, 0);
	bpf_skb_store_bytes(skb, skb->len - 24, tag, 6, 0);
	return TC_ACT_OK;
}

char LICENSE[] SEC("license") = "GPL";
