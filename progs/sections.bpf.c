// SPDX-License-Identifier: GPL-2.0
/* Section names a tc loader must accept, several programs per section:
 *   tcx/ingress x2, tcx/egress x2, tc x2, classifier x2, tc/ingress, tc/egress.
 * Each program returns a distinct verdict so a loader test can tell them
 * apart, and stamps its number into cb[0]. */
#include "tcxlab_common.h"

#define PROG(sec, name, num, verdict)			\
SEC(sec)						\
int name(struct __sk_buff *skb)				\
{							\
	skb->cb[0] = num;				\
	return verdict;					\
}

PROG("tcx/ingress", sec_tcx_in_a, 1, TCX_NEXT)
PROG("tcx/ingress", sec_tcx_in_b, 2, TCX_PASS)
PROG("tcx/egress", sec_tcx_eg_a, 3, TCX_DROP)
PROG("tcx/egress", sec_tcx_eg_b, 4, TCX_REDIRECT)
PROG("tc", sec_tc_a, 5, TC_ACT_OK)
PROG("tc", sec_tc_b, 6, TC_ACT_SHOT)
PROG("classifier", sec_cls_a, 7, TC_ACT_UNSPEC)
PROG("classifier", sec_cls_b, 8, TC_ACT_PIPE)
PROG("tc/ingress", sec_tc_ingress, 9, TC_ACT_RECLASSIFY)
PROG("tc/egress", sec_tc_egress, 10, TC_ACT_STOLEN)

char LICENSE[] SEC("license") = "GPL";
