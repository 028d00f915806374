/* How clsact/ingress qdiscs keep a tcx entry (and its revision) alive: runs a small script of
 * tcx operations mixed with `sh` lines (tc/ip commands run in the same private netns) and
 * prints one JSON line per operation. Build and run (root):
 *   cc -O2 -o /tmp/tcx-qdisc qdisc.c && /tmp/tcx-qdisc < SCRIPT > SCRIPT.out.json
 * Script lines:  progs N | dev IFNAME | sh COMMAND | attach DIR P [before|after] |
 *   detach DIR [P] | link DIR P | link-detach L | link-close L | link-info L | query DIR
 * P is p1..pN, L is l1.. in creation order, DIR ingress|egress. */
#define _GNU_SOURCE
#include <errno.h>
#include <net/if.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <sys/wait.h>

struct attach { uint32_t target, fd, type, flags, replace, relative; uint64_t rev; };
struct query { uint32_t target, type, qflags, aflags; uint64_t ids; uint32_t count, pad;
	       uint64_t pflags, lids, lflags, rev; };
struct lcreate { uint32_t prog, target, type, flags, relative, pad; uint64_t rev; };
struct load { uint32_t type, cnt; uint64_t insns, license; uint32_t ll, ls; uint64_t lb;
	      uint32_t kv, pf; char name[16]; uint32_t ifindex, eat; };
struct info { uint32_t bpf_fd, len; uint64_t info; };
struct linfo { uint32_t type, id, prog_id, pad, ifindex, attach_type; uint64_t spare[4]; };
struct pinfo { uint32_t type, id; uint8_t rest[224]; };

static long sys(int cmd, void *a, unsigned n) { return syscall(__NR_bpf, cmd, a, n); }

static int pfd[64], nprogs, lfd[64], nlinks;
static uint32_t pid_[64], lid[64];
static unsigned target;

static const char *ename(long r) { return r < 0 ? strerrorname_np(errno) : "ok"; }

static uint32_t dir(const char *s) { return strcmp(s, "egress") ? 46 : 47; }

static int pidx(const char *s) { return s && s[0] == 'p' ? atoi(s + 1) - 1 : -1; }

static void name_of(uint32_t id)
{
	int i;
	for (i = 0; i < nprogs; i++)
		if (pid_[i] == id) { printf("\"p%d\"", i + 1); return; }
	printf("\"id:%u\"", id);
}

int main(void)
{
	char line[512];
	int lineno = 0;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (unshare(CLONE_NEWNET)) { perror("unshare"); return 1; }
	target = 1;
	while (fgets(line, sizeof(line), stdin)) {
		char *tok[8], *s, *save = NULL, *hash = strchr(line, '#');
		int n = 0;
		long r = 0;

		lineno++;
		if (hash) *hash = 0;
		line[strcspn(line, "\n")] = 0;
		if (!strncmp(line, "sh ", 3)) {
			int st = system(line + 3);
			printf("{\"line\":%d,\"op\":\"%s\",\"result\":\"%s\"}\n", lineno, line,
			       WIFEXITED(st) && WEXITSTATUS(st) == 0 ? "ok" : "failed");
			continue;
		}
		for (s = strtok_r(line, " \t", &save); s && n < 8; s = strtok_r(NULL, " \t", &save))
			tok[n++] = s;
		if (!n) continue;
		printf("{\"line\":%d,\"op\":\"", lineno);
		for (int i = 0; i < n; i++) printf("%s%s", i ? " " : "", tok[i]);
		printf("\"");
		if (!strcmp(tok[0], "progs")) {
			int k = atoi(tok[1]);
			for (int i = 0; i < k; i++) {
				uint64_t insns[2] = { 0, 0 };
				uint8_t *b = (uint8_t *)insns;
				int32_t ret = -1;
				struct load a;
				struct pinfo pi;
				struct info in;

				b[0] = 0xb7; memcpy(b + 4, &ret, 4); b[8] = 0x95;
				memset(&a, 0, sizeof(a));
				a.type = 3; a.cnt = 2;
				a.insns = (uint64_t)(uintptr_t)insns;
				a.license = (uint64_t)(uintptr_t)"GPL";
				pfd[nprogs] = (int)sys(5, &a, sizeof(a));
				memset(&pi, 0, sizeof(pi));
				in.bpf_fd = pfd[nprogs]; in.len = sizeof(pi); in.info = (uint64_t)(uintptr_t)&pi;
				sys(15, &in, sizeof(in));
				pid_[nprogs++] = pi.id;
			}
		} else if (!strcmp(tok[0], "dev")) {
			target = if_nametoindex(tok[1]);
			printf(",\"ifindex\":%u", target);
		} else if (!strcmp(tok[0], "attach") || !strcmp(tok[0], "detach")) {
			struct attach a = { target, 0, dir(tok[1]), 0, 0, 0, 0 };
			int i = 2;
			if (n > 2 && pidx(tok[2]) >= 0) a.fd = pfd[pidx(tok[i++])];
			for (; i < n; i++)
				a.flags |= !strcmp(tok[i], "before") ? 8 : !strcmp(tok[i], "after") ? 16 : 0;
			r = sys(tok[0][0] == 'a' ? 8 : 9, &a, sizeof(a));
		} else if (!strcmp(tok[0], "link")) {
			struct lcreate a = { pfd[pidx(tok[2])], target, dir(tok[1]), 0, 0, 0, 0 };
			r = sys(28, &a, sizeof(a));
			if (r >= 0) {
				struct linfo li;
				struct info in = { (uint32_t)r, sizeof(li), (uint64_t)(uintptr_t)&li };
				memset(&li, 0, sizeof(li));
				sys(15, &in, sizeof(in));
				lfd[nlinks] = (int)r; lid[nlinks++] = li.id;
				printf(",\"link\":\"l%d\"", nlinks);
			}
		} else if (!strcmp(tok[0], "link-detach")) {
			uint32_t fd = lfd[atoi(tok[1] + 1) - 1];
			r = sys(34, &fd, sizeof(fd));
		} else if (!strcmp(tok[0], "link-close")) {
			r = close(lfd[atoi(tok[1] + 1) - 1]);
		} else if (!strcmp(tok[0], "link-info")) {
			struct linfo li;
			struct info in = { (uint32_t)lfd[atoi(tok[1] + 1) - 1], sizeof(li), 0 };
			memset(&li, 0, sizeof(li));
			in.info = (uint64_t)(uintptr_t)&li;
			r = sys(15, &in, sizeof(in));
			if (r >= 0) printf(",\"prog\":"), name_of(li.prog_id), printf(",\"ifindex\":%u", li.ifindex);
		} else if (!strcmp(tok[0], "query")) {
			uint32_t ids[64], lids[64];
			struct query q;
			memset(&q, 0, sizeof(q));
			q.target = target; q.type = dir(tok[1]);
			q.ids = (uint64_t)(uintptr_t)ids; q.lids = (uint64_t)(uintptr_t)lids; q.count = 64;
			r = sys(16, &q, sizeof(q));
			if (r >= 0) {
				printf(",\"revision\":%llu,\"count\":%u,\"progs\":[", (unsigned long long)q.rev, q.count);
				for (uint32_t i = 0; i < q.count; i++) { if (i) printf(","); name_of(ids[i]); }
				printf("],\"links\":[");
				for (uint32_t i = 0; i < q.count; i++) {
					int k, found = 0;
					if (i) printf(",");
					for (k = 0; k < nlinks; k++) if (lids[i] && lid[k] == lids[i]) { printf("\"l%d\"", k + 1); found = 1; }
					if (!found) printf("null");
				}
				printf("]");
			}
		}
		printf(",\"result\":\"%s\"}\n", ename(r));
	}
	return 0;
}
