// BTF fixture: every kind clang emits for a tc object, plus BTF-defined maps (test/loader/btf*.test.ts).
#include <linux/bpf.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf_helpers.h>

typedef unsigned int u32_t;
typedef const volatile u32_t cv_u32;

enum color { RED = 1, GREEN = -2, BLUE = 0x7fffffff };
enum big { BIG_A = 0x100000000ULL, BIG_B = 0xffffffffffffffffULL };

struct flags {
	unsigned int a : 3;
	unsigned int b : 5;
	unsigned short c : 9;
	unsigned char d;
	long long e;
};

union word {
	unsigned int u;
	unsigned char b[4];
	struct { unsigned short lo, hi; };
};

struct tagged {
	int x __attribute__((btf_decl_tag("x_tag")));
	int __attribute__((btf_type_tag("user"))) *uptr;
	float f;
	double d;
	enum color col;
	enum big bg;
	union word w;
	struct flags fl;
	cv_u32 cv;
	char *restrict rp;
	void (*cb)(int, char);
	struct undefined_fwd *fwd;
	union undefined_ufwd *ufwd;
	unsigned char tail[0];
};

struct inner {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __u64);
};

struct inner inner1 SEC(".maps"), inner2 SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS);
	__uint(max_entries, 3);
	__type(key, __u32);
	__array(values, struct inner);
} outer SEC(".maps") = {
	.values = { [0] = &inner1, [2] = &inner2 },
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
	__uint(numa_node, 0);
	__type(key, struct flags);
	__type(value, struct tagged);
} hashmap SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 2);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, 24);
} sized SEC(".maps");

int tail_a(struct __sk_buff *skb);

struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, 2);
	__uint(key_size, sizeof(__u32));
	__array(values, int (void *));
} jmp SEC(".maps") = {
	.values = { [1] = (void *)&tail_a },
};

volatile struct tagged g_tagged;
volatile const __u32 g_ro = 7;
volatile __u64 g_data = 3;

static __attribute__((noinline)) int helper_fn(struct __sk_buff *skb, int n)
{
	return skb->len + n + g_ro;
}

SEC("tc")
int tail_a(struct __sk_buff *skb)
{
	return TC_ACT_OK;
}

SEC("tc")
int entry(struct __sk_buff *skb)
{
	__u32 k = 0;
	__u64 *v = bpf_map_lookup_elem(&inner1, &k);
	if (v)
		*v += 1;
	g_tagged.x = skb->mark;
	g_data += helper_fn(skb, 2);
	bpf_tail_call(skb, &jmp, 1);
	return g_tagged.fl.a ? TC_ACT_SHOT : TC_ACT_OK;
}

char LICENSE[] SEC("license") = "GPL";
