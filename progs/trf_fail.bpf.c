// SPDX-License-Identifier: GPL-2.0
/* Cilium-style BPF unit tests that fail, skip and break on purpose (tcxlab's own; see
 * include/trf_test.h), for the runner's reports and for kernel parity of its error paths. */
#include "tcxlab_common.h"
#include "trf_test.h"

/* Failing, skipped and passing tests in one check-only group, with every log conversion. */
CHECK("tc", "fail_assert")
int fail_check(struct __sk_buff *skb)
{
	__u32 len = skb->len;

	trf_begin();
	trf_test("passes", {
		trf_assert(len == 3520);
	});
	trf_test("fails", {
		trf_log("u=%u d=%d x=%x", 70000, -2, 0x12345);
		trf_log("lu=%lu ld=%ld lx=%lx", 0x1ffffffffULL, -3, 0xabcdef);
		trf_log("llu=%llu lld=%lld llx=%llx", -1LL, -4, 0xfeedULL);
		trf_log("i=%i s=%s li=%li", -7, 65535, -8);
		trf_log("missing %d %u", 1);
		trf_log("bad %c %% %q", 1, 2, 3);
		trf_assert(len == 1);
		trf_log("not reached");
	});
	trf_test("skipped", {
		trf_log("feature off");
		trf_skip_now();
	});
	trf_end();
}

/* A suite-level failure: no TEST, a suite log and FAIL as the check's retval. */
CHECK("tc", "suite_fail")
int suite_fail_check(struct __sk_buff *skb)
{
	trf_begin();
	trf_log("suite broke at len %u", skb->len);
	trf_set(TRF_FAIL);
	trf_end();
}

/* A SETUP that reports FAIL: the group is an error and its check never runs. */
SETUP("tc", "setup_error")
int setup_error_setup(struct __sk_buff *skb)
{
	return TRF_FAIL;
}

CHECK("tc", "setup_error")
int setup_error_check(struct __sk_buff *skb)
{
	trf_begin();
	trf_test("never_runs", {});
	trf_end();
}

/* A PKTGEN that grows the frame past the runner's data_out room (len + 258): ENOSPC. */
PKTGEN("tc", "too_big")
int too_big_pktgen(struct __sk_buff *skb)
{
	bpf_skb_change_tail(skb, skb->len + 300, 0);
	return 0;
}

CHECK("tc", "too_big")
int too_big_check(struct __sk_buff *skb)
{
	return TRF_PASS;
}

/* A check retval that is no TestStatus: the runner counts it as a pass. */
CHECK("tc", "unknown_status")
int unknown_status_check(struct __sk_buff *skb)
{
	trf_begin();
	trf_test("status_7", {
		trf_set(7);
	});
	return 7;
}

/* XDP tests: Cilium's runner runs them; tcxlab does not (tc programs only). */
CHECK("xdp", "xdp_only")
int xdp_only_check(struct xdp_md *ctx)
{
	trf_begin();
	trf_test("xdp_runs", {});
	trf_end();
}

/* A SETUP without PKTGEN: its ctx_out says wire_len 3520, and the check's packet is 3524 bytes
 * (status in front), so the kernel refuses the check's run with EINVAL (wire_len < len). */
SETUP("tc", "wire_len_einval")
int wire_len_setup(struct __sk_buff *skb)
{
	return 0;
}

CHECK("tc", "wire_len_einval")
int wire_len_check(struct __sk_buff *skb)
{
	return TRF_PASS;
}

char _license[] SEC("license") = "GPL";
