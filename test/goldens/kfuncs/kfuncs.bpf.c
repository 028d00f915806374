// SPDX-License-Identifier: GPL-2.0
// Kernel answers for kfunc calls from sched_cls and for bpf_timer expiry around a test run
// (see record.sh). Results land in res[] (.bss) and in the timer map, which the oracle dumps.
#include <stdbool.h>
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/pkt_cls.h>
#include <linux/time.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>

char LICENSE[] SEC("license") = "GPL";

/* Not in the 6.1 uapi headers of the pinned build. */
struct bpf_iter_num {
	__u64 __opaque[1];
} __attribute__((aligned(8)));

extern int bpf_dynptr_from_skb(struct __sk_buff *s, __u64 flags, struct bpf_dynptr *ptr__uninit) __ksym;
extern void *bpf_dynptr_slice(const struct bpf_dynptr *p, __u32 offset, void *buffer__opt, __u32 buffer__szk) __ksym;
extern void *bpf_dynptr_slice_rdwr(const struct bpf_dynptr *p, __u32 offset, void *buffer__opt, __u32 buffer__szk) __ksym;
extern int bpf_dynptr_adjust(const struct bpf_dynptr *p, __u32 start, __u32 end) __ksym;
extern bool bpf_dynptr_is_null(const struct bpf_dynptr *p) __ksym;
extern bool bpf_dynptr_is_rdonly(const struct bpf_dynptr *p) __ksym;
extern __u32 bpf_dynptr_size(const struct bpf_dynptr *p) __ksym;
extern int bpf_dynptr_clone(const struct bpf_dynptr *p, struct bpf_dynptr *clone__uninit) __ksym;
extern int bpf_dynptr_copy(struct bpf_dynptr *dst_ptr, __u32 dst_off, struct bpf_dynptr *src_ptr, __u32 src_off, __u32 size) __ksym;
extern int bpf_dynptr_memset(struct bpf_dynptr *p, __u32 offset, __u32 size, __u8 val) __ksym;
extern void *bpf_cast_to_kern_ctx(void *obj) __ksym;
extern void *bpf_rdonly_cast(const void *obj__ign, __u32 btf_id__k) __ksym;
extern int bpf_iter_num_new(struct bpf_iter_num *it, int start, int end) __ksym;
extern int *bpf_iter_num_next(struct bpf_iter_num *it) __ksym;
extern void bpf_iter_num_destroy(struct bpf_iter_num *it) __ksym;
extern void bpf_rcu_read_lock(void) __ksym;
extern void bpf_rcu_read_unlock(void) __ksym;
extern void bpf_preempt_disable(void) __ksym;
extern void bpf_preempt_enable(void) __ksym;
extern void bpf_local_irq_save(unsigned long *flags__irq_flag) __ksym;
extern void bpf_local_irq_restore(unsigned long *flags__irq_flag) __ksym;

__s64 res[64];
char local[32]; /* a local dynptr's memory */

SEC("tc")
int dynptr_skb_cases(struct __sk_buff *skb)
{
	struct bpf_dynptr p, q, l;
	__u8 buf[8] = {};
	__u8 mac[6] = { 2, 0, 0, 0, 0, 9 };
	__u8 *s;

	res[0] = bpf_dynptr_from_skb(skb, 1, &p);
	res[1] = bpf_dynptr_is_null(&p);
	res[2] = bpf_dynptr_size(&p);
	res[3] = bpf_dynptr_from_skb(skb, 0, &p);
	res[4] = bpf_dynptr_is_null(&p);
	res[5] = bpf_dynptr_is_rdonly(&p);
	res[6] = bpf_dynptr_size(&p);

	s = bpf_dynptr_slice(&p, 0, NULL, 14);
	res[7] = s ? (s[12] << 8 | s[13]) : -1;
	s = bpf_dynptr_slice(&p, skb->len - 2, NULL, 4);
	res[8] = s ? 1 : 0;
	s = bpf_dynptr_slice(&p, 6, buf, 8);
	res[9] = s ? (s == buf ? 2 : 1) : 0;
	res[10] = s ? s[0] : -1;
	s = bpf_dynptr_slice(&p, skb->len, NULL, 0 + 1);
	res[11] = s ? 1 : 0;

	res[12] = bpf_dynptr_read(buf, 4, &p, 12, 0);
	res[13] = *(__u32 *)buf;
	res[14] = bpf_dynptr_read(buf, 4, &p, skb->len - 2, 0);
	res[15] = bpf_dynptr_read(buf, 4, &p, 0, 1);
	res[16] = bpf_dynptr_data(&p, 0, 4) ? 1 : 0;

	res[17] = bpf_dynptr_clone(&p, &q);
	res[18] = bpf_dynptr_adjust(&q, 14, 34);
	res[19] = bpf_dynptr_size(&q);
	res[20] = bpf_dynptr_size(&p);
	res[21] = bpf_dynptr_adjust(&q, 30, 10);
	res[22] = bpf_dynptr_adjust(&q, 0, 100);
	res[23] = bpf_dynptr_size(&q);
	res[24] = bpf_dynptr_read(buf, 1, &q, 0, 0);
	res[25] = buf[0]; /* first byte of the IPv4 header: 0x45 */

	res[26] = bpf_dynptr_from_mem(local, sizeof(local), 0, &l);
	res[27] = bpf_dynptr_copy(&l, 0, &p, 0, 14);
	res[28] = bpf_dynptr_copy(&l, 30, &p, 0, 4);
	res[29] = bpf_dynptr_copy(&l, 0, &p, skb->len - 1, 2);
	res[30] = bpf_dynptr_memset(&l, 14, 4, 0xab);
	res[31] = bpf_dynptr_memset(&l, 30, 4, 0xab);

	res[33] = bpf_dynptr_write(&p, 0, mac, 6, 0);
	res[34] = bpf_dynptr_write(&p, skb->len - 2, mac, 6, 0);
	res[35] = bpf_dynptr_write(&p, 6, mac, 6, 4);
	res[36] = bpf_dynptr_write(&p, 6, mac, 6, BPF_F_INVALIDATE_HASH);
	res[37] = bpf_dynptr_memset(&p, skb->len - 4, 4, 0xcd);
	res[38] = bpf_dynptr_memset(&p, skb->len - 4, 8, 0xcd);
	return TC_ACT_OK;
}

SEC("tc")
int iter_cases(struct __sk_buff *skb)
{
	struct bpf_iter_num it;
	int *v, n, sum;

	res[40] = bpf_iter_num_new(&it, 0, 10);
	sum = 0;
	n = 0;
	while ((v = bpf_iter_num_next(&it))) {
		sum += *v;
		n++;
	}
	bpf_iter_num_destroy(&it);
	res[41] = sum;
	res[42] = n;

	res[43] = bpf_iter_num_new(&it, 5, 2);
	res[44] = bpf_iter_num_next(&it) ? 1 : 0;
	bpf_iter_num_destroy(&it);

	res[45] = bpf_iter_num_new(&it, 0, (1 << 23) + 1);
	res[46] = bpf_iter_num_next(&it) ? 1 : 0;
	bpf_iter_num_destroy(&it);

	res[47] = bpf_iter_num_new(&it, -3, -1);
	sum = 0;
	while ((v = bpf_iter_num_next(&it)))
		sum += *v;
	bpf_iter_num_destroy(&it);
	res[48] = sum;
	return TC_ACT_OK;
}

SEC("tc")
int misc_kfuncs(struct __sk_buff *skb)
{
	unsigned long flags = 0;
	struct ethhdr *eth;

	bpf_rcu_read_lock();
	res[50] = skb->len;
	bpf_rcu_read_unlock();
	bpf_preempt_disable();
	res[51] = skb->protocol;
	bpf_preempt_enable();
	bpf_local_irq_save(&flags);
	bpf_local_irq_restore(&flags);
	res[52] = bpf_cast_to_kern_ctx(skb) == (void *)skb;
	eth = bpf_rdonly_cast((void *)(long)skb->data, bpf_core_type_id_kernel(struct ethhdr));
	res[53] = eth->h_proto;
	return TC_ACT_OK;
}

/* Timers around a test run: each program arms the timer of its own key with one delay. */
struct tval {
	struct bpf_timer t;
	__u64 fired;     /* callback runs */
	__u64 armed;     /* program runs that armed it */
	__u64 seen;      /* `fired` as the last program run read it */
	__u64 delay;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 8);
	__type(key, __u32);
	__type(value, struct tval);
} timers SEC(".maps");

static int timer_cb(void *map, __u32 *key, struct tval *v)
{
	v->fired++;
	return 0;
}

static __always_inline int arm(__u32 key, __u64 delay)
{
	struct tval *v = bpf_map_lookup_elem(&timers, &key);

	if (!v)
		return TC_ACT_SHOT;
	v->seen = v->fired;
	if (v->armed == 0) {
		bpf_timer_init(&v->t, &timers, CLOCK_MONOTONIC);
		bpf_timer_set_callback(&v->t, timer_cb);
	}
	v->delay = delay;
	v->armed++;
	bpf_timer_start(&v->t, delay, 0);
	return v->seen;
}

SEC("tc") int timer_0ns(struct __sk_buff *skb) { return arm(0, 0); }
SEC("tc") int timer_1ns(struct __sk_buff *skb) { return arm(1, 1); }
SEC("tc") int timer_1us(struct __sk_buff *skb) { return arm(2, 1000); }
SEC("tc") int timer_10us(struct __sk_buff *skb) { return arm(3, 10000); }
SEC("tc") int timer_100us(struct __sk_buff *skb) { return arm(4, 100000); }
SEC("tc") int timer_1ms(struct __sk_buff *skb) { return arm(5, 1000000); }
SEC("tc") int timer_1s(struct __sk_buff *skb) { return arm(6, 1000000000); }
