/* Raw bpf(2) corners the oracle's script language cannot express: query flags, NULL query
 * buffers, attach types other than tcx, link fds vs program fds. Runs in a private netns on
 * lo (ifindex 1) and prints one JSON line per case: {"case","result"[,"count","revision"]}.
 * Build and run (root): cc -O2 -o /tmp/tcx-probe probe.c && /tmp/tcx-probe > probe.out.json
 * Program fds: 3..6 are sched_cls p1..p4 (returning TCX_NEXT), 7 is an xdp program. */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>

struct attach { uint32_t target, fd, type, flags, replace, relative; uint64_t rev; };
struct query { uint32_t target, type, qflags, aflags; uint64_t ids; uint32_t count, pad;
	       uint64_t pflags, lids, lflags, rev; };
struct lcreate { uint32_t prog, target, type, flags, relative, pad; uint64_t rev; };
struct lupdate { uint32_t link, nprog, flags, oprog; };
struct load { uint32_t type, cnt; uint64_t insns, license; uint32_t ll, ls; uint64_t lb;
	      uint32_t kv, pf; char name[16]; uint32_t ifindex, eat; };

static long sys(int cmd, void *a, unsigned n) { return syscall(__NR_bpf, cmd, a, n); }

static void out(const char *name, long r, const struct query *q)
{
	printf("{\"case\":\"%s\",\"result\":\"%s\"", name, r < 0 ? strerrorname_np(errno) : "ok");
	if (q && (r >= 0 || errno == ENOSPC))
		printf(",\"count\":%u,\"revision\":%llu", q->count, (unsigned long long)q->rev);
	printf("}\n");
}

static int load(uint32_t type, int ret)
{
	uint64_t insns[2];
	struct load a;
	uint8_t *b = (uint8_t *)insns;

	memset(insns, 0, sizeof(insns));
	b[0] = 0xb7;            /* r0 = ret */
	memcpy(b + 4, &ret, 4);
	b[8] = 0x95;            /* exit */
	memset(&a, 0, sizeof(a));
	a.type = type;
	a.cnt = 2;
	a.insns = (uint64_t)(uintptr_t)insns;
	a.license = (uint64_t)(uintptr_t)"GPL";
	return (int)sys(5, &a, sizeof(a));
}

static long q(uint32_t ifindex, uint32_t type, uint32_t qf, uint32_t af, uint32_t *ids, uint32_t cap, struct query *o)
{
	memset(o, 0, sizeof(*o));
	o->target = ifindex; o->type = type; o->qflags = qf; o->aflags = af;
	o->ids = (uint64_t)(uintptr_t)ids; o->count = cap;
	return sys(16, o, sizeof(*o));
}

static long att(int cmd, uint32_t ifindex, uint32_t fd, uint32_t type, uint32_t flags)
{
	struct attach a = { ifindex, fd, type, flags, 0, 0, 0 };
	return sys(cmd, &a, sizeof(a));
}

static long lnk(uint32_t prog, uint32_t ifindex, uint32_t type)
{
	struct lcreate a = { prog, ifindex, type, 0, 0, 0, 0 };
	return sys(28, &a, sizeof(a));
}

int main(void)
{
	uint32_t ids[8];
	struct query o;
	struct lupdate u;
	int i, lfd;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (unshare(CLONE_NEWNET)) { perror("unshare"); return 1; }
	for (i = 0; i < 4; i++)
		if (load(3, -1) != 3 + i) { perror("load"); return 1; }
	if (load(6, 2) != 7) { perror("load xdp"); return 1; }

	out("query_flags_effective", q(1, 46, 1, 0, ids, 8, &o), &o);
	out("query_flags_2", q(1, 46, 2, 0, ids, 8, &o), &o);
	out("query_attach_flags_in", q(1, 46, 0, 1, ids, 8, &o), &o);
	out("query_attach_type_1000", q(1, 1000, 0, 0, ids, 8, &o), &o);
	out("query_netkit_primary_lo", q(1, 54, 0, 0, ids, 8, &o), &o);
	out("query_ifindex_0", q(0, 46, 0, 0, ids, 8, &o), &o);
	for (i = 0; i < 4; i++)
		out("attach_p", att(8, 1, 3 + i, 46, 0), NULL);
	out("query_null_ids", q(1, 46, 0, 0, NULL, 8, &o), &o);
	out("query_cap_0", q(1, 46, 0, 0, ids, 0, &o), &o);
	out("query_cap_2", q(1, 46, 0, 0, ids, 2, &o), &o);
	out("attach_type_1000", att(8, 1, 3, 1000, 0), NULL);
	out("attach_type_xdp_with_xdp_prog", att(8, 1, 7, 37, 0), NULL);
	out("attach_netkit_primary_lo", att(8, 1, 3, 54, 0), NULL);
	out("attach_netkit_peer_ifindex_99", att(8, 99, 3, 55, 0), NULL);
	out("attach_netkit_xdp_prog", att(8, 1, 7, 54, 0), NULL);
	out("detach_type_1000", att(9, 1, 3, 1000, 0), NULL);
	out("detach_netkit_primary_lo", att(9, 1, 0, 54, 0), NULL);
	out("link_netkit_primary_lo", lnk(3, 1, 54), NULL);
	out("link_xdp_prog_tcx", lnk(7, 1, 46), NULL);
	out("link_sched_cls_type_xdp", lnk(3, 1, 37), NULL);
	out("link_sched_cls_type_1000", lnk(3, 1, 1000), NULL);
	out("link_bad_prog_fd", lnk(99, 1, 46), NULL);
	out("link_prog_fd_0", lnk(0, 1, 46), NULL);
	out("detach_all_1", att(9, 1, 0, 46, 0), NULL);
	lfd = (int)lnk(6, 1, 47);
	out("link_p4_egress", lfd, NULL);
	memset(&u, 0, sizeof(u));
	u.link = 3; u.nprog = 4;
	out("link_update_on_prog_fd", sys(29, &u, sizeof(u)), NULL);
	u.link = 99;
	out("link_update_fd_99", sys(29, &u, sizeof(u)), NULL);
	u.link = lfd; u.nprog = 99;
	out("link_update_new_fd_99", sys(29, &u, sizeof(u)), NULL);
	u.nprog = lfd;
	out("link_update_new_is_link", sys(29, &u, sizeof(u)), NULL);
	u.nprog = 4; u.flags = 4; u.oprog = 99;
	out("link_update_old_fd_99", sys(29, &u, sizeof(u)), NULL);
	u.flags = 0; u.oprog = 6;
	out("link_update_old_without_replace", sys(29, &u, sizeof(u)), NULL);
	u.flags = 0x10;
	out("link_update_flags_after", sys(29, &u, sizeof(u)), NULL);
	{
		uint32_t fd = 3;
		out("link_detach_prog_fd", sys(34, &fd, sizeof(fd)), NULL);
		fd = 99;
		out("link_detach_fd_99", sys(34, &fd, sizeof(fd)), NULL);
		fd = lfd;
		out("link_detach", sys(34, &fd, sizeof(fd)), NULL);
	}
	out("query_egress_after", q(1, 47, 0, 0, ids, 8, &o), &o);
	return 0;
}
