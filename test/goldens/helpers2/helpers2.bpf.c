// SPDX-License-Identifier: GPL-2.0
// Kernel answers for the second helper batch (see README.md): every result lands in res[] (.bss).
#include <linux/bpf.h>
#include <linux/pkt_cls.h>
#include <linux/time.h>
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

__u64 res[96];
char mem[16]; /* dynptr_from_mem wants map memory */

struct {
	__uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __u32);
} perf SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4096);
} rb SEC(".maps");

struct tval {
	struct bpf_timer t;
	__u64 fired;
	__u64 cancel_in_cb;
	__u64 key_seen;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, struct tval);
} timers SEC(".maps");

SEC("tc")
int misc_cases(struct __sk_buff *skb)
{
	char buf[8];
	__u64 v[3];

	res[0] = bpf_get_current_task() != 0;
	res[1] = bpf_get_current_task() == (__u64)bpf_get_current_task_btf();
	res[2] = bpf_get_current_cgroup_id();
	res[3] = bpf_skb_cgroup_id(skb);
	res[4] = bpf_get_current_ancestor_cgroup_id(0);
	res[5] = bpf_get_current_ancestor_cgroup_id(100);

	__builtin_memset(buf, 0x55, sizeof(buf));
	res[6] = bpf_probe_read_user(buf, sizeof(buf), 0);
	res[7] = *(__u64 *)buf;
	__builtin_memset(buf, 0x55, sizeof(buf));
	res[8] = bpf_probe_read_user(buf, sizeof(buf), &v);
	res[9] = *(__u64 *)buf;
	__builtin_memset(buf, 0x55, sizeof(buf));
	res[10] = bpf_probe_read_user_str(buf, sizeof(buf), (void *)16);
	res[11] = *(__u64 *)buf;
	/* size 0: only the address check is left (user address: 0; kernel address: -EFAULT) */
	res[42] = bpf_probe_read_user(buf, 0, 0);
	res[43] = bpf_probe_read_user(buf, 0, &v);
	res[44] = bpf_probe_read_user_str(buf, 0, &v);

	struct bpf_pidns_info ns = { 7, 7 };
	res[12] = bpf_get_ns_current_pid_tgid(0, 0, &ns, sizeof(ns));
	res[13] = *(__u64 *)&ns;
	res[14] = bpf_get_ns_current_pid_tgid(1ULL << 40, 0, &ns, sizeof(ns));
	/* the initial pid namespace of the recording machine: nsfs dev 4, PROC_PID_INIT_INO */
	res[38] = bpf_get_ns_current_pid_tgid(4, 0xeffffffc, &ns, sizeof(ns));
	res[41] = ns.pid != 0 && ns.pid == ns.tgid;

	struct bpf_sock *sk = skb->sk;
	if (sk) {
		res[15] = 1;
		res[16] = bpf_sk_assign(skb, sk, 0);
		res[17] = bpf_sk_assign(skb, sk, 1);
		res[18] = (__u64)bpf_skc_to_tcp6_sock(sk);
		res[19] = (__u64)bpf_skc_to_tcp_sock(sk);
		res[20] = (__u64)bpf_skc_to_tcp_timewait_sock(sk);
		res[21] = (__u64)bpf_skc_to_tcp_request_sock(sk);
		res[22] = (__u64)bpf_skc_to_udp6_sock(sk);
		res[23] = (__u64)bpf_skc_to_unix_sock(sk);
		res[24] = (__u64)bpf_skc_to_mptcp_sock(sk);
		char iph[20] = {}, th[20] = {};
		res[25] = bpf_tcp_check_syncookie(sk, iph, sizeof(iph), (void *)th, sizeof(th));
		res[26] = bpf_tcp_gen_syncookie(sk, iph, sizeof(iph), (void *)th, sizeof(th));
	}

	res[27] = bpf_perf_event_read(&perf, 0);
	res[28] = bpf_perf_event_read(&perf, 9);
	res[29] = bpf_perf_event_read(&perf, 1ULL << 40);
	res[30] = bpf_perf_event_read(&perf, BPF_F_CURRENT_CPU);
	__builtin_memset(v, 0x55, sizeof(v));
	res[31] = bpf_perf_event_read_value(&perf, 0, (void *)v, sizeof(v));
	res[32] = v[0] | v[1] | v[2];
	res[33] = bpf_perf_event_read_value(&perf, 0, (void *)v, 16);
	res[34] = bpf_perf_event_read_value(&perf, 7, (void *)v, sizeof(v));

	__builtin_memset(v, 0x55, sizeof(v));
	res[35] = bpf_get_branch_snapshot(v, sizeof(v), 0);
	res[36] = bpf_get_branch_snapshot(v, sizeof(v), 1);
	res[37] = v[0];
	return TC_ACT_OK;
}

SEC("tc")
int dynptr_cases(struct __sk_buff *skb)
{
	__u32 src = 0xa1b2c3d4;
	__u64 out = 0;
	struct bpf_dynptr d, d2, rd, rd2;

	res[40] = bpf_dynptr_from_mem(mem, sizeof(mem), 0, &d);
	res[41] = bpf_dynptr_write(&d, 4, &src, sizeof(src), 0);
	res[42] = bpf_dynptr_read(&out, sizeof(out), &d, 0, 0);
	res[43] = out;
	res[44] = bpf_dynptr_read(&out, sizeof(out), &d, 12, 0);
	res[45] = out;
	res[46] = bpf_dynptr_write(&d, 0, &src, sizeof(src), 1);
	res[47] = bpf_dynptr_write(&d, 14, &src, sizeof(src), 0);
	__u64 *p = bpf_dynptr_data(&d, 8, 8);
	res[48] = p != 0;
	if (p)
		*p = 0x1122334455667788ULL;
	res[49] = bpf_dynptr_data(&d, 12, 8) != 0;
	res[50] = bpf_dynptr_data(&d, 16, 0) != 0;
	res[51] = bpf_dynptr_read(&out, sizeof(out), &d, 8, 0);
	res[52] = out;
	res[53] = *(__u64 *)mem;
	res[39] = *(__u64 *)(mem + 8);
	res[54] = bpf_dynptr_from_mem(mem, sizeof(mem), 1, &d2);
	res[55] = bpf_dynptr_read(&out, 1, &d2, 0, 0);
	res[56] = bpf_dynptr_data(&d2, 0, 1) != 0;
	res[57] = bpf_dynptr_read(&out, sizeof(out), &d, 0, 1);

	res[58] = bpf_ringbuf_reserve_dynptr(&rb, 16, 0, &rd);
	res[59] = bpf_dynptr_write(&rd, 0, &src, sizeof(src), 0);
	res[60] = bpf_dynptr_read(&out, 4, &rd, 0, 0);
	res[61] = out;
	bpf_ringbuf_submit_dynptr(&rd, 0);
	res[62] = bpf_ringbuf_query(&rb, BPF_RB_AVAIL_DATA);
	res[63] = bpf_ringbuf_reserve_dynptr(&rb, 8192, 0, &rd2);
	res[64] = bpf_dynptr_read(&out, 1, &rd2, 0, 0);
	bpf_ringbuf_discard_dynptr(&rd2, 0);
	res[65] = bpf_ringbuf_reserve_dynptr(&rb, 8, 1, &rd2);
	bpf_ringbuf_discard_dynptr(&rd2, 0);
	res[66] = bpf_ringbuf_reserve_dynptr(&rb, 8, 0, &rd2);
	bpf_ringbuf_discard_dynptr(&rd2, 0);
	res[67] = bpf_ringbuf_query(&rb, BPF_RB_PROD_POS);
	return TC_ACT_OK;
}

static int timer_cb(void *map, __u32 *key, struct tval *val)
{
	val->fired++;
	val->key_seen = *key;
	val->cancel_in_cb = bpf_timer_cancel(&val->t);
	return 0;
}

SEC("tc")
int timer_cases(struct __sk_buff *skb)
{
	__u32 k0 = 0, k1 = 1, k2 = 2, k3 = 3;
	struct tval *v0 = bpf_map_lookup_elem(&timers, &k0);
	struct tval *v1 = bpf_map_lookup_elem(&timers, &k1);
	struct tval *v2 = bpf_map_lookup_elem(&timers, &k2);
	struct tval *v3 = bpf_map_lookup_elem(&timers, &k3);
	if (!v0 || !v1 || !v2 || !v3)
		return TC_ACT_SHOT;

	if (skb->len > 60) {
		/* second packet: what fired in between */
		res[90] = v0->fired;
		res[91] = v3->fired;
		res[92] = bpf_timer_cancel(&v3->t);
		return TC_ACT_OK;
	}
	res[70] = bpf_timer_init(&v0->t, &timers, CLOCK_MONOTONIC);
	res[71] = bpf_timer_init(&v0->t, &timers, CLOCK_MONOTONIC);
	res[72] = bpf_timer_init(&v1->t, &timers, CLOCK_THREAD_CPUTIME_ID);
	res[73] = bpf_timer_init(&v1->t, &timers, 1000);
	res[74] = bpf_timer_start(&v0->t, 1000, 0);
	res[75] = bpf_timer_set_callback(&v0->t, timer_cb);
	res[76] = bpf_timer_start(&v0->t, 1000, 4);
	res[77] = bpf_timer_start(&v0->t, 10000000000ULL, 0);
	res[78] = bpf_timer_cancel(&v0->t);
	res[79] = bpf_timer_cancel(&v0->t);
	res[80] = bpf_timer_cancel(&v2->t);
	res[81] = bpf_timer_set_callback(&v2->t, timer_cb);
	res[82] = bpf_timer_start(&v2->t, 0, 0);
	res[83] = bpf_timer_init(&v1->t, &timers, CLOCK_BOOTTIME);
	res[84] = bpf_timer_init(&v2->t, &timers, CLOCK_REALTIME);
	res[85] = bpf_timer_init(&v3->t, &timers, CLOCK_MONOTONIC);
	res[86] = bpf_timer_set_callback(&v3->t, timer_cb);
	/* absolute expiry in the past: fires at once; v0 relative 1 us */
	res[87] = bpf_timer_start(&v3->t, 1, 1 /* BPF_F_TIMER_ABS */);
	res[88] = bpf_timer_start(&v0->t, 1000, 0);
	res[89] = bpf_timer_start(&v0->t, 2000, 2 /* BPF_F_TIMER_CPU_PIN */);
	/* updating the element frees its timer (bpf_obj_free_fields) */
	struct tval zero = {};
	res[93] = bpf_map_update_elem(&timers, &k1, &zero, 0);
	res[94] = bpf_timer_cancel(&v1->t);
	res[95] = bpf_timer_init(&v1->t, &timers, CLOCK_MONOTONIC);
	return TC_ACT_OK;
}

/* Raw SYN cookies: the kernel's secret is per boot, so tests check the mss half, the round trip
 * and the error paths, not the cookie bits. */
struct synhdrs {
	__u8 iph[20];
	__u8 th[24];
	__u8 ip6h[40];
};

static __always_inline void mkth(__u8 *th, __u32 seq, __u32 ack, int doff, __u16 mss)
{
	__builtin_memset(th, 0, 24);
	th[0] = 0x30; th[1] = 0x39;           /* sport 12345 */
	th[2] = 0x00; th[3] = 0x50;           /* dport 80 */
	th[4] = seq >> 24; th[5] = seq >> 16; th[6] = seq >> 8; th[7] = seq;
	th[8] = ack >> 24; th[9] = ack >> 16; th[10] = ack >> 8; th[11] = ack;
	th[12] = doff << 4;
	th[13] = ack ? 0x10 : 0x02;
	if (doff == 6) {
		th[20] = 2; th[21] = 4; th[22] = mss >> 8; th[23] = mss;
	}
}

SEC("tc")
int syncookie_cases(struct __sk_buff *skb)
{
	struct synhdrs h = {};
	__s64 r;
	__u32 cookie;

	h.iph[0] = 0x45; h.iph[9] = 6;
	h.iph[12] = 10; h.iph[15] = 1;        /* 10.0.0.1 → 10.0.0.2 */
	h.iph[16] = 10; h.iph[19] = 2;
	h.ip6h[0] = 0x60; h.ip6h[6] = 6; h.ip6h[7] = 64;
	h.ip6h[8] = 0x20; h.ip6h[9] = 0x01; h.ip6h[23] = 1;   /* 2001::1 → 2001::2 */
	h.ip6h[24] = 0x20; h.ip6h[25] = 0x01; h.ip6h[39] = 2;

	mkth(h.th, 1000, 0, 6, 1460);
	r = bpf_tcp_raw_gen_syncookie_ipv4((void *)h.iph, (void *)h.th, 24);
	res[0] = r >> 32;
	cookie = r;
	res[1] = cookie != 0;
	res[2] = bpf_tcp_raw_gen_syncookie_ipv4((void *)h.iph, (void *)h.th, 20);
	mkth(h.th, 1000, cookie + 1, 5, 0);
	res[3] = bpf_tcp_raw_check_syncookie_ipv4((void *)h.iph, (void *)h.th);
	mkth(h.th, 1000, cookie + 2, 5, 0);
	res[4] = bpf_tcp_raw_check_syncookie_ipv4((void *)h.iph, (void *)h.th);
	mkth(h.th, 1001, cookie + 1, 5, 0);
	res[5] = bpf_tcp_raw_check_syncookie_ipv4((void *)h.iph, (void *)h.th);
	mkth(h.th, 7, 0, 5, 0);
	res[6] = bpf_tcp_raw_gen_syncookie_ipv4((void *)h.iph, (void *)h.th, 20) >> 32;
	mkth(h.th, 7, 0, 6, 1400);
	res[7] = bpf_tcp_raw_gen_syncookie_ipv4((void *)h.iph, (void *)h.th, 24) >> 32;
	mkth(h.th, 7, 0, 6, 100);
	res[8] = bpf_tcp_raw_gen_syncookie_ipv4((void *)h.iph, (void *)h.th, 24) >> 32;

	mkth(h.th, 5000, 0, 6, 1440);
	r = bpf_tcp_raw_gen_syncookie_ipv6((void *)h.ip6h, (void *)h.th, 24);
	res[10] = r >> 32;
	cookie = r;
	res[11] = cookie != 0;
	res[12] = bpf_tcp_raw_gen_syncookie_ipv6((void *)h.ip6h, (void *)h.th, 20);
	mkth(h.th, 5000, cookie + 1, 5, 0);
	res[13] = bpf_tcp_raw_check_syncookie_ipv6((void *)h.ip6h, (void *)h.th);
	mkth(h.th, 5000, cookie + 2, 5, 0);
	res[14] = bpf_tcp_raw_check_syncookie_ipv6((void *)h.ip6h, (void *)h.th);
	mkth(h.th, 5, 0, 6, 9000);
	res[15] = bpf_tcp_raw_gen_syncookie_ipv6((void *)h.ip6h, (void *)h.th, 24) >> 32;
	mkth(h.th, 5, 0, 5, 0);
	res[16] = bpf_tcp_raw_gen_syncookie_ipv6((void *)h.ip6h, (void *)h.th, 20) >> 32;
	return TC_ACT_OK;
}

/* Periodic timer for the advanceClock tests (not recorded: in the kernel it runs in real time). */
struct pval {
	struct bpf_timer t;
	__u64 count;
	__u64 last_ns;
	__u64 first_ns;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, struct pval);
} periodic SEC(".maps");

static int periodic_cb(void *map, __u32 *key, struct pval *val)
{
	__u64 now = bpf_ktime_get_ns();

	if (!val->count)
		val->first_ns = now;
	val->count++;
	val->last_ns = now;
	if (val->count < *key)
		bpf_timer_start(&val->t, 1000000, 0);
	return 0;
}

SEC("tc")
int timer_periodic(struct __sk_buff *skb)
{
	__u32 k = skb->mark;   /* the key is the number of firings wanted */
	struct pval init = {}, *v;

	if (bpf_map_update_elem(&periodic, &k, &init, BPF_NOEXIST))
		return 1;
	v = bpf_map_lookup_elem(&periodic, &k);
	if (!v)
		return 2;
	if (bpf_timer_init(&v->t, &periodic, CLOCK_BOOTTIME) || bpf_timer_set_callback(&v->t, periodic_cb))
		return 3;
	res[0] = bpf_ktime_get_boot_ns();
	/* absolute: 2 ms after now on the boot clock */
	return bpf_timer_start(&v->t, res[0] + 2000000, 1) ? 4 : 0;
}
