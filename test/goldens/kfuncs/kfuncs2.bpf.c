// SPDX-License-Identifier: GPL-2.0
// More kfuncs a 6.18 sched_cls program may call: the skb metadata dynptr, the bit iterator and the
// string kfuncs (see record.sh). Results land in res[] (.bss).
#include <stdbool.h>
#include <stddef.h>
#include <linux/bpf.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

/* Not in the 6.1 uapi headers of the pinned build. */
struct bpf_iter_bits {
	__u64 __opaque[2];
} __attribute__((aligned(8)));

extern int bpf_dynptr_from_skb_meta(struct __sk_buff *skb_, __u64 flags, struct bpf_dynptr *ptr__uninit) __ksym;
extern void *bpf_dynptr_slice(const struct bpf_dynptr *p, __u32 offset, void *buffer__opt, __u32 buffer__szk) __ksym;
extern bool bpf_dynptr_is_null(const struct bpf_dynptr *p) __ksym;
extern bool bpf_dynptr_is_rdonly(const struct bpf_dynptr *p) __ksym;
extern __u32 bpf_dynptr_size(const struct bpf_dynptr *p) __ksym;
extern int bpf_iter_bits_new(struct bpf_iter_bits *it, const __u64 *unsafe_ptr__ign, __u32 nr_words) __ksym;
extern int *bpf_iter_bits_next(struct bpf_iter_bits *it) __ksym;
extern void bpf_iter_bits_destroy(struct bpf_iter_bits *it) __ksym;
extern int bpf_strcmp(const char *s1__ign, const char *s2__ign) __ksym;
extern int bpf_strcasecmp(const char *s1__ign, const char *s2__ign) __ksym;
extern int bpf_strchr(const char *s__ign, char c) __ksym;
extern int bpf_strchrnul(const char *s__ign, char c) __ksym;
extern int bpf_strnchr(const char *s__ign, size_t count, char c) __ksym;
extern int bpf_strrchr(const char *s__ign, int c) __ksym;
extern int bpf_strlen(const char *s__ign) __ksym;
extern int bpf_strnlen(const char *s__ign, size_t count) __ksym;
extern int bpf_strspn(const char *s__ign, const char *accept__ign) __ksym;
extern int bpf_strcspn(const char *s__ign, const char *reject__ign) __ksym;
extern int bpf_strstr(const char *s1__ign, const char *s2__ign) __ksym;
extern int bpf_strnstr(const char *s1__ign, const char *s2__ign, size_t len) __ksym;

__s64 res[96];
__u64 bits[4] = { 0x8001, 1, 0, 0x8000000000000000ULL };
char hello[8] = "hello";
char help[8] = "help";
char HeLLo[8] = "HeLLo";
char empty[4] SEC(".data") = ""; /* in .data: .bss starts with res */
char high[4] = "\x80";
char lo[4] = "a";
char big[70000]; /* str_long fills it with 'x' */

#define NONCANON ((const char *)0xffff000000000000ULL)
#define BAD ((const char *)0xffff800000000000ULL) /* canonical, unmapped (guard hole) */
#define USER ((const char *)0x1000ULL)

SEC("tc")
int meta_cases(struct __sk_buff *skb)
{
	struct bpf_dynptr p;
	__u8 buf[4];

	res[0] = bpf_dynptr_from_skb_meta(skb, 1, &p);
	res[1] = bpf_dynptr_is_null(&p);
	res[2] = bpf_dynptr_from_skb_meta(skb, 0, &p);
	res[3] = bpf_dynptr_is_null(&p);
	res[4] = bpf_dynptr_is_rdonly(&p);
	res[5] = bpf_dynptr_size(&p);
	res[6] = bpf_dynptr_read(buf, 1, &p, 0, 0);
	res[7] = bpf_dynptr_read(buf, 0, &p, 0, 0);
	res[8] = bpf_dynptr_slice(&p, 0, NULL, 1) ? 1 : 0;
	res[9] = bpf_dynptr_write(&p, 0, buf, 0, 0);
	res[10] = bpf_dynptr_write(&p, 0, buf, 1, 0);
	return TC_ACT_OK;
}

SEC("tc")
int bits_cases(struct __sk_buff *skb)
{
	struct bpf_iter_bits it;
	__u64 local[2] = { 6, 0 };
	int *v, n, s;

	res[20] = bpf_iter_bits_new(&it, NULL, 1);
	res[21] = bpf_iter_bits_next(&it) ? 1 : 0;
	bpf_iter_bits_destroy(&it);
	res[22] = bpf_iter_bits_new(&it, bits, 0);
	bpf_iter_bits_destroy(&it);
	res[23] = bpf_iter_bits_new(&it, bits, 512);
	bpf_iter_bits_destroy(&it);
	res[24] = bpf_iter_bits_new(&it, (const __u64 *)big, 511); /* 4088 bytes of readable memory */
	bpf_iter_bits_destroy(&it);

	res[25] = bpf_iter_bits_new(&it, bits, 1);
	n = s = 0;
	while ((v = bpf_iter_bits_next(&it))) { n++; s += *v; }
	bpf_iter_bits_destroy(&it);
	res[26] = n;
	res[27] = s;

	res[28] = bpf_iter_bits_new(&it, bits, 4);
	n = s = 0;
	while ((v = bpf_iter_bits_next(&it))) { n++; s += *v; }
	bpf_iter_bits_destroy(&it);
	res[29] = n;
	res[30] = s;

	res[31] = bpf_iter_bits_new(&it, local, 2);
	n = s = 0;
	while ((v = bpf_iter_bits_next(&it))) { n++; s += *v; }
	bpf_iter_bits_destroy(&it);
	res[32] = n;
	res[33] = s;

	res[34] = bpf_iter_bits_new(&it, (const __u64 *)BAD, 1);
	bpf_iter_bits_destroy(&it);
	res[35] = bpf_iter_bits_new(&it, (const __u64 *)BAD, 2);
	bpf_iter_bits_destroy(&it);
	res[36] = bpf_iter_bits_new(&it, (const __u64 *)NONCANON, 2);
	bpf_iter_bits_destroy(&it);
	res[37] = bpf_iter_bits_new(&it, (const __u64 *)NONCANON, 1);
	bpf_iter_bits_destroy(&it);
	return TC_ACT_OK;
}

SEC("tc")
int str_cases(struct __sk_buff *skb)
{
	res[40] = bpf_strlen(hello);
	res[41] = bpf_strlen(empty);
	res[42] = bpf_strlen(NULL);
	res[43] = bpf_strlen(USER);
	res[44] = bpf_strlen(BAD);
	res[45] = bpf_strnlen(hello, 3);
	res[46] = bpf_strnlen(hello, 100);
	res[47] = bpf_strcmp(hello, help);
	res[48] = bpf_strcmp(help, hello);
	res[49] = bpf_strcmp(hello, hello);
	res[50] = bpf_strcmp(hello, HeLLo);
	res[51] = bpf_strcasecmp(hello, HeLLo);
	res[52] = bpf_strcmp(high, lo);
	res[53] = bpf_strcasecmp(high, lo);
	res[54] = bpf_strcmp(hello, NULL);
	res[55] = bpf_strcmp(BAD, hello);
	res[56] = bpf_strchr(hello, 'l');
	res[57] = bpf_strchr(hello, 'z');
	res[58] = bpf_strchr(hello, 0);
	res[59] = bpf_strchrnul(hello, 'z');
	res[60] = bpf_strchrnul(hello, 'e');
	res[61] = bpf_strnchr(hello, 2, 'l');
	res[62] = bpf_strnchr(hello, 3, 'l');
	res[63] = bpf_strrchr(hello, 'l');
	res[64] = bpf_strrchr(hello, 'z');
	res[65] = bpf_strrchr(hello, 0);
	res[66] = bpf_strspn(hello, "leh");
	res[67] = bpf_strspn(hello, "");
	res[68] = bpf_strcspn(hello, "ol");
	res[69] = bpf_strcspn(hello, "xyz");
	res[70] = bpf_strstr(hello, "ll");
	res[71] = bpf_strstr(hello, "lo");
	res[72] = bpf_strstr(hello, "");
	res[73] = bpf_strstr(hello, "lox");
	res[74] = bpf_strnstr(hello, "ll", 3);
	res[75] = bpf_strnstr(hello, "ll", 4);
	res[76] = bpf_strnstr(hello, "lo", 5);
	res[77] = bpf_strnstr(hello, "", 0);
	res[78] = bpf_strstr(NULL, "a");
	res[79] = bpf_strstr(hello, BAD);
	res[80] = bpf_strlen(big);
	res[81] = bpf_strspn(hello, NULL);
	res[82] = bpf_strcspn(BAD, hello);
	res[83] = bpf_strlen(NONCANON);
	return TC_ACT_OK;
}

extern int bpf_dynptr_memset(struct bpf_dynptr *p, __u32 offset, __u32 size, __u8 val) __ksym;

/* A string of 70000 'x' without a terminator inside 65536 bytes: -E2BIG. */
SEC("tc")
int str_long(struct __sk_buff *skb)
{
	struct bpf_dynptr d;

	bpf_dynptr_from_mem(big, sizeof(big), 0, &d);
	res[84] = bpf_dynptr_memset(&d, 0, sizeof(big), 'x');
	res[85] = bpf_strlen(big);
	res[86] = bpf_strnlen(big, 65537);
	res[87] = bpf_strchr(big, 'y');
	res[88] = bpf_strcmp(big, big);
	return TC_ACT_OK;
}
