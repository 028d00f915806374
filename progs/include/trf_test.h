/* SPDX-License-Identifier: GPL-2.0 */
/* tcxlab's own writer of the "test result format" that Cilium's BPF unit tests use
 * (bpf/tests in cilium/cilium): written from the format's description, not from Cilium's
 * headers, so tcxlab's `test` runner can be checked on objects we build ourselves.
 *
 * The protocol, as a runner sees it:
 *  - programs live in sections "<type>/test/<NAME>/pktgen|setup|check"; the three programs
 *    of one NAME run in that order on one packet and one set of maps;
 *  - the check program writes into element 0 of the array map `suite_result_map` a protobuf
 *    message SuiteResult { repeated TestResult results = 1; repeated Log suite_log = 2; },
 *    TestResult { string name = 1; TestStatus status = 2; repeated Log test_log = 3; },
 *    Log { string fmt = 1; repeated fixed64 args = 2; }, and returns the suite's status.
 *
 * Writing protobuf from BPF: the cursor only ever moves by compile-time constants, so the
 * verifier can bound every store into the 8192-byte map value. A TestResult's length is not
 * known until its body has run, so two bytes are reserved and filled with a (possibly
 * non-minimal) two-byte varint at the end.
 */
#ifndef TRF_TEST_H
#define TRF_TEST_H

#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

/* TestStatus values (trf.proto) */
#define TRF_ERROR	100
#define TRF_PASS	101
#define TRF_FAIL	102
#define TRF_SKIP	103

/* protobuf keys: field number << 3 | wire type (0 varint, 1 fixed64, 2 length-delimited) */
#define TRF_KEY(field, wire)	(((field) << 3) | (wire))

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, 8192);
	__uint(max_entries, 1);
} suite_result_map SEC(".maps");

/* Number of variadic arguments (0..6). */
#define TRF_NTH(_0, _1, _2, _3, _4, _5, _6, N, ...) N
#define TRF_NARG(...) TRF_NTH(_, ##__VA_ARGS__, 6, 5, 4, 3, 2, 1, 0)

/* One fixed64 argument of a Log: key byte, then 8 little-endian bytes (unaligned store). */
#define TRF_ARG(v) do { *(trf_cur++) = TRF_KEY(2, 1); *(__u64 *)trf_cur = (__u64)(v); trf_cur += 8; } while (0)
#define TRF_ARGS0()
#define TRF_ARGS1(a) TRF_ARG(a);
#define TRF_ARGS2(a, ...) TRF_ARG(a); TRF_ARGS1(__VA_ARGS__)
#define TRF_ARGS3(a, ...) TRF_ARG(a); TRF_ARGS2(__VA_ARGS__)
#define TRF_ARGS4(a, ...) TRF_ARG(a); TRF_ARGS3(__VA_ARGS__)
#define TRF_ARGS5(a, ...) TRF_ARG(a); TRF_ARGS4(__VA_ARGS__)
#define TRF_ARGS6(a, ...) TRF_ARG(a); TRF_ARGS5(__VA_ARGS__)
#define TRF_CAT(a, b) a##b
#define TRF_XCAT(a, b) TRF_CAT(a, b)

/* Open the result buffer; returns TRF_ERROR from the program when the map has no element. */
#define trf_begin()							\
	char trf_suite __attribute__((unused)) = TRF_PASS;		\
	char *trf_test_start = 0;					\
	char *trf_status = 0;						\
	char *trf_cur;							\
	{								\
		__u32 __trf_key = 0;					\
		trf_cur = bpf_map_lookup_elem(&suite_result_map, &__trf_key); \
		if (!trf_cur)						\
			return TRF_ERROR;				\
	}

#define trf_end() return trf_suite

/* A Log, inside a test (TestResult.test_log) or outside (SuiteResult.suite_log). The whole
 * message must stay under 128 bytes (one-byte length). */
#define trf_log(fmt, ...) do {						\
	static const char __trf_fmt[] = fmt;				\
	*(trf_cur++) = trf_test_start ? TRF_KEY(3, 2) : TRF_KEY(2, 2);	\
	*(trf_cur++) = 2 + sizeof(__trf_fmt) + 9 * TRF_NARG(__VA_ARGS__); \
	*(trf_cur++) = TRF_KEY(1, 2);					\
	*(trf_cur++) = sizeof(__trf_fmt);				\
	__builtin_memcpy(trf_cur, __trf_fmt, sizeof(__trf_fmt));	\
	trf_cur += sizeof(__trf_fmt);					\
	TRF_XCAT(TRF_ARGS, TRF_NARG(__VA_ARGS__))(__VA_ARGS__)		\
} while (0)

/* Set the current test's status (or the suite's outside a test). */
#define trf_set(st) do { if (trf_status) *trf_status = (st); else trf_suite = (st); } while (0)

/* Inside a test body: fail / skip and leave the body. */
#define trf_fail_now() { trf_set(TRF_FAIL); break; }
#define trf_skip_now() { trf_set(TRF_SKIP); break; }

#define trf_assert(cond)						\
	if (!(cond)) {							\
		trf_log("assertion failed: " #cond);			\
		trf_fail_now();						\
	}

/* One TestResult. The body runs in a one-shot loop so `break` leaves it. */
#define trf_test(name, body) do {					\
	static const char __trf_name[] = name;				\
	*(trf_cur++) = TRF_KEY(1, 2);					\
	trf_test_start = trf_cur;					\
	trf_cur += 2;							\
	*(trf_cur++) = TRF_KEY(1, 2);					\
	*(trf_cur++) = sizeof(__trf_name);				\
	__builtin_memcpy(trf_cur, __trf_name, sizeof(__trf_name));	\
	trf_cur += sizeof(__trf_name);					\
	*(trf_cur++) = TRF_KEY(2, 0);					\
	trf_status = trf_cur;						\
	*(trf_cur++) = TRF_PASS;					\
	do { body } while (0);						\
	{								\
		__u16 __trf_len = (__u16)(trf_cur - trf_test_start - 2); \
		trf_test_start[0] = (char)((__trf_len & 0x7f) | 0x80);	\
		trf_test_start[1] = (char)(__trf_len >> 7);		\
	}								\
	if (*trf_status == TRF_FAIL)					\
		trf_suite = TRF_FAIL;					\
	trf_test_start = 0;						\
	trf_status = 0;							\
} while (0)

#define PKTGEN(type, name) SEC(type "/test/" name "/pktgen")
#define SETUP(type, name) SEC(type "/test/" name "/setup")
#define CHECK(type, name) SEC(type "/test/" name "/check")

#endif
