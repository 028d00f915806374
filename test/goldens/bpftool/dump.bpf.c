// SPDX-License-Identifier: GPL-2.0
/* Fixture for `tcxlab prog show` and `tcxlab map dump`: one map of each common kind, filled by
 * one run on a known frame. record.sh loads it with
 * bpftool, runs `count` once and records what bpftool prints (test/cli/map-dump.test.ts,
 * test/cli/prog-show.test.ts compare). */
#include "tcxlab_common.h"

struct pair {
	__u32 a;
	__u16 b;
	__u8 c[2];
};

enum color { RED = 1, GREEN = 2, BLUE = -1 };

/* What bpftool's BTF dumper prints in several ways: enums, strings, chars, signed, bool,
 * bitfields, u64 beyond 2^53, nested arrays, unions. */
struct rich {
	char name[8];
	char tag[4];
	enum color col;
	enum color unknown;
	signed char sc;
	_Bool flag;
	__s16 neg;
	__u32 lo : 3, mid : 9, hi : 20;
	__u64 big;
	__s64 sneg;
	__u16 grid[2][2];
	union {
		__u32 word;
		__u8 b[4];
	} u;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct rich);
} rich SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 3);
	__type(key, __u32);
	__type(value, __u64);
} arr SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 8);
	__type(key, __u32);
	__type(value, struct pair);
} hsh SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 2);
	__type(key, __u32);
	__type(value, __u32);
} pcpu SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_HASH);
	__uint(max_entries, 4);
	__type(key, __u16);
	__type(value, __u64);
} pch SEC(".maps");

SEC("tc")
int count(struct __sk_buff *skb)
{
	__u32 k = 1, k2 = 7;
	__u16 hk = 0x1234;
	__u64 one = 1, *v;
	struct pair p = { .a = skb->len, .b = 0xbeef, .c = { 1, 2 } };
	__u32 *c;

	v = bpf_map_lookup_elem(&arr, &k);
	if (v)
		*v += skb->len;
	bpf_map_update_elem(&hsh, &k2, &p, BPF_ANY);
	c = bpf_map_lookup_elem(&pcpu, &k);
	if (c)
		*c += 5;
	bpf_map_update_elem(&pch, &hk, &one, BPF_ANY);
	k = 0;
	struct rich *r = bpf_map_lookup_elem(&rich, &k);
	if (r) {
		__builtin_memcpy(r->name, "eth0\0\0\0", 8);
		r->tag[0] = 'x';
		r->tag[1] = 1;
		r->tag[2] = 'y';
		r->tag[3] = 'z';
		r->col = BLUE;
		r->unknown = 7;
		r->sc = -5;
		r->flag = 1;
		r->neg = -300;
		r->lo = 5;
		r->mid = 300;
		r->hi = 0xabcde;
		r->big = 0xfedcba9876543210ULL;
		r->sneg = -9007199254740993LL;
		r->grid[1][0] = 513;
		r->u.word = 0x01020304;
	}
	return TC_ACT_OK;
}

char _license[] SEC("license") = "GPL";
