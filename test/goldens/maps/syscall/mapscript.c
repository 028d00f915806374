// SPDX-License-Identifier: GPL-2.0
/* mapscript: runs map syscalls from a script against the running kernel and prints one
 * JSON line per operation, so tcxlab's host-side map API can be compared with bpf(2).
 *
 *   create TYPE KEY_SIZE VALUE_SIZE MAX_ENTRIES FLAGS [inner|extra=N]  (inner: the previous
 *                                  map is the inner map template; extra=N: map_extra)
 *   update KEYHEX VALHEX FLAGS    ("-" for an empty key/value; VALHEX "%N" = fd of map #N
 *                                  as a u32, for maps of maps)
 *   lookup KEYHEX | delete KEYHEX | next KEYHEX|- | pop | freeze | use N (switch to map #N)
 *
 * Build: gcc -O2 -o mapscript mapscript.c -lbpf   (record.sh does it). Needs root. */
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int fds[64], nmaps, cur = -1;
static unsigned vsz[64], ksz[64], types[64];

static int hexdec(const char *s, unsigned char *out, size_t max)
{
	size_t n = strlen(s), i;

	if (!strcmp(s, "-"))
		return 0;
	if (n % 2 || n / 2 > max)
		return -1;
	for (i = 0; i < n / 2; i++)
		sscanf(s + 2 * i, "%2hhx", &out[i]);
	return n / 2;
}

static void hexout(const unsigned char *b, size_t n)
{
	size_t i;

	putchar('"');
	for (i = 0; i < n; i++)
		printf("%02x", b[i]);
	putchar('"');
}

static unsigned value_bytes(int m)
{
	int pc = types[m] == BPF_MAP_TYPE_PERCPU_HASH || types[m] == BPF_MAP_TYPE_PERCPU_ARRAY ||
		 types[m] == BPF_MAP_TYPE_LRU_PERCPU_HASH;

	return pc ? ((vsz[m] + 7) & ~7u) * libbpf_num_possible_cpus() : vsz[m];
}

static void result(int line, const char *op, int r)
{
	printf("{\"line\":%d,\"op\":\"%s\",\"ret\":%d", line, op, r < 0 ? -errno : r);
}

int main(int argc, char **argv)
{
	char buf[4096], a[1024], b[8192];
	unsigned char key[512], val[65536];
	int line = 0;
	FILE *in = argc > 1 ? fopen(argv[1], "r") : stdin;

	if (!in)
		return 2;
	while (fgets(buf, sizeof(buf), in)) {
		char op[32];
		int n, r, kl;
		unsigned long long fl;

		line++;
		if (buf[0] == '#' || sscanf(buf, "%31s", op) != 1)
			continue;
		if (!strcmp(op, "create")) {
			unsigned t, ks, vs, me, mf;
			char inner[16] = "";
			LIBBPF_OPTS(bpf_map_create_opts, o);

			n = sscanf(buf, "%*s %u %u %u %u %i %15s", &t, &ks, &vs, &me, &mf, inner);
			o.map_flags = mf;
			if (n == 6 && !strcmp(inner, "inner") && nmaps > 0)
				o.inner_map_fd = fds[nmaps - 1];
			if (n == 6 && !strncmp(inner, "extra=", 6))
				o.map_extra = strtoull(inner + 6, NULL, 0);
			r = bpf_map_create(t, NULL, ks, vs, me, &o);
			result(line, op, r < 0 ? r : 0);
			if (r >= 0) {
				cur = nmaps;
				fds[nmaps] = r;
				ksz[nmaps] = ks;
				vsz[nmaps] = vs;
				types[nmaps++] = t;
				printf(",\"map\":%d", cur);
			}
			printf("}\n");
			continue;
		}
		if (cur < 0)
			continue;
		if (!strcmp(op, "update")) {
			n = sscanf(buf, "%*s %1023s %8191s %llx", a, b, &fl);
			if (n != 3)
				fl = 0;
			kl = hexdec(a, key, sizeof(key));
			memset(val, 0, sizeof(val));
			if (b[0] == '%') {
				int m = atoi(b + 1);
				memcpy(val, &fds[m], 4);
			} else {
				hexdec(b, val, sizeof(val));
			}
			r = bpf_map_update_elem(fds[cur], kl ? key : NULL, val, fl);
			result(line, op, r);
			printf("}\n");
		} else if (!strcmp(op, "lookup") || !strcmp(op, "pop")) {
			int pop = !strcmp(op, "pop");

			kl = pop ? 0 : (sscanf(buf, "%*s %1023s", a) == 1 ? hexdec(a, key, sizeof(key)) : 0);
			memset(val, 0xee, sizeof(val));
			r = pop ? bpf_map_lookup_and_delete_elem(fds[cur], NULL, val)
				: bpf_map_lookup_elem(fds[cur], kl ? key : NULL, val);
			result(line, op, r);
			if (r == 0) {
				printf(",\"value\":");
				hexout(val, value_bytes(cur));
			}
			printf("}\n");
		} else if (!strcmp(op, "delete")) {
			sscanf(buf, "%*s %1023s", a);
			kl = hexdec(a, key, sizeof(key));
			r = bpf_map_delete_elem(fds[cur], kl ? key : NULL);
			result(line, op, r);
			printf("}\n");
		} else if (!strcmp(op, "next")) {
			unsigned char nk[512];

			sscanf(buf, "%*s %1023s", a);
			kl = hexdec(a, key, sizeof(key));
			r = bpf_map_get_next_key(fds[cur], kl ? key : NULL, nk);
			result(line, op, r);
			if (r == 0) {
				printf(",\"key\":");
				hexout(nk, ksz[cur]);
			}
			printf("}\n");
		} else if (!strcmp(op, "freeze")) {
			r = bpf_map_freeze(fds[cur]);
			result(line, op, r);
			printf("}\n");
		} else if (!strcmp(op, "use")) {
			n = atoi(buf + 4);
			if (n >= 0 && n < nmaps)
				cur = n;
			printf("{\"line\":%d,\"op\":\"use\",\"ret\":0,\"map\":%d}\n", line, cur);
		} else {
			printf("{\"line\":%d,\"op\":\"%s\",\"ret\":\"unknown op\"}\n", line, op);
		}
		fflush(stdout);
	}
	return 0;
}
