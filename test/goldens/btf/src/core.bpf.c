// CO-RE fixture: local "flavor" types whose layout differs from the kernel's, relocated by libbpf
// against vmlinux (record.sh records libbpf's decisions) and by loader/btf/core.ts against
// builtinTargetBtf() (test/loader/btf-core.test.ts compares the two).
#include <linux/bpf.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>

/* struct __sk_buff with fields in another order and size: offsets and a load size change. */
struct __sk_buff___old {
	__u32 mark;          /* kernel: +8 */
	__u16 priority;      /* kernel: __u32 at +32 -> LDX size 2 -> 4 */
	__u32 cb[5];         /* kernel: +48 */
	__u32 nonexistent;   /* not in the kernel: exists = 0, a guarded read is poisoned */
	__u32 tc_index;      /* kernel: +44 */
} __attribute__((preserve_access_index));

/* Same field name, incompatible type: not a match. */
struct __sk_buff___bad {
	char *mark;
} __attribute__((preserve_access_index));

/* iphdr with the addresses first; the kernel keeps saddr inside an anonymous union. */
struct iphdr___l {
	__u32 saddr;
	__u8 ihl : 4, version : 4;
	__u8 ttl;
	__u16 tot_len;
} __attribute__((preserve_access_index));

struct ethhdr___m {
	unsigned char h_dest[6];
	unsigned char h_source[6];
	__be16 h_proto;
};

struct ethhdr___nm {
	int h_dest;
};

/* TYPE_MATCHES positives: same member names and int widths; an enum by enumerator names;
 * a pointer to an undefined struct (FWD) matches the kernel's struct behind the pointer. */
struct udphdr___m {
	__be16 source;
	__be16 dest;
	__be16 len;
	__sum16 check;
};

enum tcx_action_base___m { TCX_NEXT___m = 1, TCX_PASS___m = 2 };

struct __sk_buff___m {
	__u32 len;
	union {
		struct bpf_flow_keys___x *flow_keys;
	};
};

/* Helper availability probes, as programs write them. */
enum bpf_func_id___x { BPF_FUNC_skb_set_tstamp___x = 1, BPF_FUNC_no_such_helper___x = 2 };

struct no_such_type___x {
	int a;
};

enum tcx_action_base___l { TCX_NEXT___l = 100, TCX_DROP___l = 200, TCX_BOGUS___l = 300 };

volatile __u64 out[32];

SEC("tc")
int core_prog(struct __sk_buff *skb)
{
	struct __sk_buff___old *old = (void *)skb;
	struct __sk_buff___bad *bad = (void *)skb;
	void *data = (void *)(long)skb->data;
	void *data_end = (void *)(long)skb->data_end;
	struct iphdr___l *ip = data + 14;

	out[0] = old->mark;
	out[1] = old->priority;
	out[2] = old->cb[3];
	out[3] = bpf_core_field_exists(old->nonexistent);
	if (bpf_core_field_exists(old->nonexistent))
		out[4] = old->nonexistent;
	out[5] = bpf_core_field_offset(old->tc_index);
	out[6] = bpf_core_field_size(old->priority);
	out[7] = bpf_core_field_exists(bad->mark);
	out[8] = bpf_core_type_exists(struct __sk_buff___old);
	out[9] = bpf_core_type_exists(struct no_such_type___x);
	out[10] = bpf_core_type_size(struct __sk_buff___old);
	out[11] = bpf_core_type_matches(struct ethhdr___m);
	out[12] = bpf_core_type_matches(struct ethhdr___nm);
	out[13] = bpf_core_type_exists(struct ethhdr___nm);
	out[14] = bpf_core_enum_value_exists(enum tcx_action_base___l, TCX_DROP___l);
	out[15] = bpf_core_enum_value(enum tcx_action_base___l, TCX_DROP___l);
	out[16] = bpf_core_enum_value(enum tcx_action_base___l, TCX_NEXT___l);
	out[17] = bpf_core_enum_value_exists(enum tcx_action_base___l, TCX_BOGUS___l);
	if (bpf_core_enum_value_exists(enum tcx_action_base___l, TCX_BOGUS___l))
		out[18] = bpf_core_enum_value(enum tcx_action_base___l, TCX_BOGUS___l);
	out[19] = bpf_core_type_id_local(struct __sk_buff___old);
	out[20] = bpf_core_field_offset(ip->saddr);
	out[21] = bpf_core_field_offset(ip->ttl);
	if ((void *)(ip + 1) + 20 > data_end)
		return TC_ACT_OK;
	out[22] = BPF_CORE_READ_BITFIELD(ip, ihl);
	out[23] = BPF_CORE_READ_BITFIELD(ip, version);
	out[24] = ip->saddr;
	out[25] = ip->tot_len;
	out[26] = bpf_core_type_matches(struct udphdr___m);
	out[27] = bpf_core_type_matches(enum tcx_action_base___m);
	out[28] = bpf_core_type_matches(struct __sk_buff___m);
	out[29] = bpf_core_enum_value_exists(enum bpf_func_id___x, BPF_FUNC_skb_set_tstamp___x);
	out[30] = bpf_core_enum_value_exists(enum bpf_func_id___x, BPF_FUNC_no_such_helper___x);
	out[31] = bpf_core_enum_value(enum bpf_func_id___x, BPF_FUNC_skb_set_tstamp___x);
	return TC_ACT_OK;
}

char LICENSE[] SEC("license") = "GPL";
