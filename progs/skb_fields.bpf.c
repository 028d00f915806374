// SPDX-License-Identifier: GPL-2.0
/* Reads every __sk_buff field a tc program may read and writes every field it
 * may write, so ctx_in/ctx_out and the emulated skb can be compared field by
 * field. Also narrow (1- and 2-byte) loads, and an 8-byte cb[] access. */
#include "tcxlab_common.h"

/* Read side: copies fields into cb[] and a hash map (one entry per field,
 * keyed by the __sk_buff offset), since ctx_out only carries some fields. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 48);	/* index = offsetof(__sk_buff, field) / 4 */
	__type(key, __u32);
	__type(value, __u64);
} fields SEC(".maps");

#define RECORD(f) do {							\
	__u32 k = __builtin_offsetof(struct __sk_buff, f) / 4;		\
	__u64 v = skb->f;						\
	bpf_map_update_elem(&fields, &k, &v, BPF_ANY);			\
} while (0)

SEC("tcx/ingress")
int skb_read_all(struct __sk_buff *skb)
{
	__u32 k;
	__u64 v;

	RECORD(len);
	RECORD(pkt_type);
	RECORD(mark);
	RECORD(queue_mapping);
	RECORD(protocol);
	RECORD(vlan_present);
	RECORD(vlan_tci);
	RECORD(vlan_proto);
	RECORD(priority);
	RECORD(ingress_ifindex);
	RECORD(ifindex);
	RECORD(tc_index);
	RECORD(cb[0]);
	RECORD(cb[4]);
	RECORD(hash);
	RECORD(tc_classid);
	RECORD(napi_id);
	RECORD(tstamp);
	RECORD(wire_len);
	RECORD(gso_segs);
	RECORD(gso_size);
	RECORD(tstamp_type);
	RECORD(hwtstamp);
	/* data_end - data and data - data_meta */
	k = 19;
	v = (long)skb->data_end - (long)skb->data;
	bpf_map_update_elem(&fields, &k, &v, BPF_ANY);
	k = 35;
	v = (long)skb->data - (long)skb->data_meta;
	bpf_map_update_elem(&fields, &k, &v, BPF_ANY);
	/* sk is non-NULL in a test run (a dummy socket) */
	k = 42;
	v = skb->sk ? 1 : 0;
	bpf_map_update_elem(&fields, &k, &v, BPF_ANY);
	if (skb->sk) {
		k = 43;
		v = skb->sk->family;
		bpf_map_update_elem(&fields, &k, &v, BPF_ANY);
	}
	return TC_ACT_OK;
}

/* Write side: every writable field. Values come from the input cb[] so the
 * ctx variants can drive them (e.g. queue_mapping 0xffff is ignored). */
SEC("tc")
int skb_write_all(struct __sk_buff *skb)
{
	__u32 in0 = skb->cb[0], in1 = skb->cb[1];

	skb->mark = in0 ^ 0xa5a5a5a5;
	skb->priority = in1 + 7;
	skb->queue_mapping = in0 & 0x1ffff;	/* >= 0xffff is skipped by the kernel */
	skb->tc_index = in0;			/* truncated to 16 bits */
	skb->tc_classid = in1 | 0x10000;	/* truncated to 16 bits */
	skb->tstamp = (__u64)in0 << 20 | in1;
	/* read back what the kernel stored; volatile so clang cannot forward
	 * the values it just wrote */
	skb->cb[2] = *(volatile __u32 *)&skb->queue_mapping;
	skb->cb[3] = *(volatile __u32 *)&skb->tc_index |
		     *(volatile __u32 *)&skb->tc_classid << 16;
	skb->cb[4] = *(volatile __u32 *)&skb->mark;
	return TC_ACT_RECLASSIFY;
}

/* Narrow and odd-width accesses the verifier rewrites. */
SEC("tc")
int skb_narrow(struct __sk_buff *skb)
{
	__u8 *p = (__u8 *)skb;
	__u64 *cb64 = (__u64 *)&skb->cb[0];
	__u32 r = 0;

	r |= *(volatile __u8 *)(p + 16);	/* protocol byte 0 */
	r |= *(volatile __u8 *)(p + 17) << 8;	/* protocol byte 1 */
	r |= *(volatile __u16 *)(p + 2) << 16;	/* len bits 16..31 */
	skb->cb[4] = r;
	skb->cb[3] = *(volatile __u16 *)(p + 8) | *(volatile __u8 *)(p + 11) << 24;	/* mark */
	*(volatile __u64 *)(cb64 + 1) = 0x1122334455667788ULL;	/* cb[2..3] as one u64 */
	*(volatile __u16 *)((__u8 *)&skb->cb[0] + 2) = 0xbeef;	/* half of cb[0] */
	return *(volatile __u8 *)(p + 4);		/* pkt_type */
}

char LICENSE[] SEC("license") = "GPL";
