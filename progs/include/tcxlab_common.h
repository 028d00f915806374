/* SPDX-License-Identifier: GPL-2.0 */
/* Shared bits for the tcxlab corpus. The system uapi headers come from
 * linux-libc-dev 6.1, which predates tcx, so the tcx verdicts are spelled
 * out here with the values of include/uapi/linux/bpf.h (6.6+). */
#ifndef TCXLAB_COMMON_H
#define TCXLAB_COMMON_H

#include <linux/bpf.h>
#include <linux/pkt_cls.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/in.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

#ifndef TCX_NEXT
#define TCX_NEXT	(-1)
#define TCX_PASS	0
#define TCX_DROP	2
#define TCX_REDIRECT	7
#endif

#define IP_OFF		ETH_HLEN
#define IP_CSUM_OFF	(ETH_HLEN + __builtin_offsetof(struct iphdr, check))
#define IP_SRC_OFF	(ETH_HLEN + __builtin_offsetof(struct iphdr, saddr))
#define IP_DST_OFF	(ETH_HLEN + __builtin_offsetof(struct iphdr, daddr))
/* L4 offsets assume an IPv4 header without options (ihl == 5) */
#define L4_OFF		(ETH_HLEN + sizeof(struct iphdr))
#define TCP_CSUM_OFF	(L4_OFF + __builtin_offsetof(struct tcphdr, check))
#define UDP_CSUM_OFF	(L4_OFF + __builtin_offsetof(struct udphdr, check))

#endif
