#include <linux/bpf.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __u64);
} counts SEC(".maps");

__u64 glob = 3;
volatile const __u32 ro = 7;

static __attribute__((noinline)) int sub(int a, int b) { return a * b + (a / (b|1)); }

SEC("tc")
int prog(struct __sk_buff *skb)
{
	__u32 k = skb->len & 3;
	__u64 *v = bpf_map_lookup_elem(&counts, &k);
	if (v)
		__sync_fetch_and_add(v, 1);
	void *data = (void *)(long)skb->data;
	void *end = (void *)(long)skb->data_end;
	if (data + 14 > end)
		return TC_ACT_OK;
	__u16 proto = *(__u16 *)(data + 12);
	glob += ro;
	if (bpf_ntohs(proto) == 0x0800)
		return sub(skb->mark, skb->priority) > 5 ? TC_ACT_SHOT : TC_ACT_OK;
	long x = (signed char)skb->mark;
	x = x / (long)skb->priority;
	return x + __sync_fetch_and_or(&glob, 2) + __sync_val_compare_and_swap(&glob, 1, 2) + __sync_lock_test_and_set(&glob, 9);
}
char LICENSE[] SEC("license") = "GPL";
