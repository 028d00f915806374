// Kernel answers for bpf_trace_printk / bpf_snprintf / bpf_strtol / bpf_strncmp return values.
// Each case stores its return value in results[i]; snprintf output goes to out[].
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 32);
	__type(key, __u32);
	__type(value, __s64);
} results SEC(".maps");

char out[4][32];

static __always_inline void put(__u32 i, long v)
{
	__s64 *p = bpf_map_lookup_elem(&results, &i);
	if (p)
		*p = v;
}

#define PK(i, f, ...) ({ static const char ___f[] = f; put(i, bpf_trace_printk(___f, sizeof(___f), ##__VA_ARGS__)); })

SEC("tc")
int printk_cases(struct __sk_buff *skb)
{
	static const char nonul[4] = { 'a', 'b', 'c', 'd' };
	__u32 ip = 0x0100007f;
	char num[] = "  -1234xyz";
	char hex[] = "0x1fz";
	long val = 0;

	PK(0, "hi %d\n", 42);
	PK(1, "%llx", -1LL);
	PK(2, "%5d", 7);
	PK(3, "%c", 'A');
	PK(4, "%s", 0);
	PK(5, "%p", skb);
	PK(6, "%d %d %d %d", 1, 2, 3);
	PK(7, "%x", 0x100000005ULL);
	PK(8, "%-6u|", 12);
	PK(9, "%pI4", &ip);
	PK(10, "%o", 8);
	PK(11, "%.2d", 8);
	PK(12, "%hd", 8);
	PK(13, "%+d % d %05d", 5, 6, -7);
	PK(14, "%lu %ld", -1LL, -1LL);
	PK(15, "%pi4", &ip);
	put(16, bpf_trace_printk(nonul, sizeof(nonul)));
	PK(17, "%sx", "ab");
	PK(18, "%%%d%%", 3);
	{
		static const char fmt[] = "%d-%s-%x";
		__u64 args[] = { 12, (__u64)"str", 255 };
		put(19, bpf_snprintf(out[0], sizeof(out[0]), fmt, args, sizeof(args)));
		put(20, bpf_snprintf(out[1], 4, fmt, args, sizeof(args)));
		put(21, bpf_snprintf(out[2], sizeof(out[2]), fmt, args, sizeof(args)));
	}
	put(22, bpf_strtol(num, sizeof(num), 0, &val));
	put(23, val);
	put(24, bpf_strtol(hex, sizeof(hex), 0, &val));
	put(25, val);
	put(26, bpf_strtoul(num, sizeof(num), 10, &val));
	put(27, bpf_strncmp(hex, 3, "0x2"));
	put(28, bpf_strncmp(hex, 3, "0x1"));
	put(29, bpf_strncmp(hex, 2, "0x1"));
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
