// Records what the real kernel does with a Cilium-style BPF unit test object (see
// src/testsuite/README in docs/testsuite.md): the same discovery, order and buffers as tcxlab's
// `test` runner, with BPF_PROG_TEST_RUN on the running kernel (root). Built and run by record.sh.
//
//   record OBJ   -> one JSON object on stdout:
//   {"object","groups":[{"name","steps":[{"kind","prog","err","retval","data_out","ctx_out"}],
//                        "result":HEX,"error"?}]}
//
// "result" is element 0 of suite_result_map after the check program, cut to the protobuf fields
// a decoder consumes (the map value is zero-padded to 8192 bytes).
#include <errno.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#define DATA_LEN (4096 - 256 - 320) /* the runner's zeroed buffer */
#define CTX_LEN 256
#define SK_BUFF_SIZE 192

struct group {
	char name[256];
	struct bpf_program *prog[3]; /* pktgen, setup, check */
};
static const char *kinds[3] = { "pktgen", "setup", "check" };

static void hex(const unsigned char *b, size_t n)
{
	putchar('"');
	for (size_t i = 0; i < n; i++) printf("%02x", b[i]);
	putchar('"');
}

static int cmp_group(const void *a, const void *b)
{
	return strcmp(((const struct group *)a)->name, ((const struct group *)b)->name);
}

static int varint(const unsigned char *b, size_t n, size_t *off, unsigned long long *v)
{
	*v = 0;
	for (int s = 0; s < 64 && *off < n; s += 7) {
		unsigned char c = b[(*off)++];
		*v |= (unsigned long long)(c & 0x7f) << s;
		if (!(c & 0x80)) return 0;
	}
	return -1;
}

// Length of the leading run of well-formed protobuf fields (field number 0 ends it).
static size_t proto_len(const unsigned char *b, size_t n)
{
	size_t off = 0, good = 0;
	unsigned long long key, v;
	while (off < n) {
		if (varint(b, n, &off, &key) || (key >> 3) == 0) break;
		switch (key & 7) {
		case 0: if (varint(b, n, &off, &v)) return good; break;
		case 1: if (off + 8 > n) return good; off += 8; break;
		case 2: if (varint(b, n, &off, &v) || v > n - off) return good; off += v; break;
		case 5: if (off + 4 > n) return good; off += 4; break;
		default: return good;
		}
		good = off;
	}
	return good;
}

static int print_nothing(enum libbpf_print_level l, const char *f, va_list ap) { return 0; }

int main(int argc, char **argv)
{
	if (argc != 2) { fprintf(stderr, "usage: record OBJ\n"); return 2; }
	libbpf_set_print(print_nothing);
	struct bpf_object *obj = bpf_object__open_file(argv[1], NULL);
	if (!obj) { printf("{\"error\":\"open\",\"errno\":%d}\n", errno); return 1; }
	struct bpf_program *p;
	bpf_object__for_each_program(p, obj)
		bpf_program__set_type(p, strncmp(bpf_program__section_name(p), "xdp", 3) == 0 ? BPF_PROG_TYPE_XDP : BPF_PROG_TYPE_SCHED_CLS);
	int err = bpf_object__load(obj);
	if (err) { printf("{\"error\":\"load\",\"errno\":%d}\n", -err); return 1; }

	regex_t re;
	regcomp(&re, "[^/]+/test/([^/]+)/(check|setup|pktgen)", REG_EXTENDED);
	struct group groups[512];
	int ng = 0;
	bpf_object__for_each_program(p, obj) {
		regmatch_t m[3];
		const char *sec = bpf_program__section_name(p);
		if (regexec(&re, sec, 3, m, 0)) continue;
		char name[256] = { 0 };
		snprintf(name, sizeof(name), "%.*s", (int)(m[1].rm_eo - m[1].rm_so), sec + m[1].rm_so);
		int k = sec[m[2].rm_so] == 'p' ? 0 : sec[m[2].rm_so] == 's' ? 1 : 2;
		int g;
		for (g = 0; g < ng && strcmp(groups[g].name, name); g++) ;
		if (g == ng) { memset(&groups[ng], 0, sizeof(groups[0])); strcpy(groups[ng++].name, name); }
		groups[g].prog[k] = p;
	}
	qsort(groups, ng, sizeof(groups[0]), cmp_group);

	struct bpf_map *res = bpf_object__find_map_by_name(obj, "suite_result_map");
	struct bpf_map *mock = bpf_object__find_map_by_name(obj, "mock_skb_meta_map");
	const char *base = strrchr(argv[1], '/');
	printf("{\"object\":\"%s\",\"groups\":[", base ? base + 1 : argv[1]);
	for (int g = 0; g < ng; g++) {
		struct group *gr = &groups[g];
		printf("%s\n{\"name\":\"%s\",\"steps\":[", g ? "," : "", gr->name);
		static unsigned char data[4096 + 512], out[4096 + 512], ctx[CTX_LEN], ctx_out[CTX_LEN];
		unsigned int len = DATA_LEN;
		memset(data, 0, sizeof(data));
		memset(ctx, 0, sizeof(ctx));
		const char *error = NULL;
		int tc = gr->prog[2] && bpf_program__type(gr->prog[2]) == BPF_PROG_TYPE_SCHED_CLS;
		int nsteps = 0;
		if (!gr->prog[2]) error = "no check program";
		for (int k = 0; k < 3 && !error; k++) {
			if (!gr->prog[k]) continue;
			memset(out, 0, sizeof(out));
			memset(ctx_out, 0, sizeof(ctx_out));
			LIBBPF_OPTS(bpf_test_run_opts, o, .data_in = data, .data_size_in = len, .data_out = out,
				    .data_size_out = len + 256 + 2, .repeat = 1);
			if (tc) { o.ctx_in = ctx; o.ctx_size_in = CTX_LEN; o.ctx_out = ctx_out; o.ctx_size_out = CTX_LEN; }
			int e = bpf_prog_test_run_opts(bpf_program__fd(gr->prog[k]), &o);
			printf("%s{\"kind\":\"%s\",\"prog\":\"%s\",\"err\":%d", nsteps++ ? "," : "", kinds[k], bpf_program__name(gr->prog[k]), e ? errno : 0);
			if (e) { printf("}"); error = "test run failed"; break; }
			printf(",\"retval\":%u,\"data_out\":", o.retval);
			hex(out, o.data_size_out);
			if (tc) { printf(",\"ctx_out\":"); hex(ctx_out, SK_BUFF_SIZE); }
			printf("}");
			// The next program gets this one's packet and ctx; after SETUP the check also
			// gets its status, as 4 native-endian bytes in front of the packet.
			len = o.data_size_out;
			memcpy(data, out, len);
			memcpy(ctx, ctx_out, CTX_LEN);
			if (k < 2 && (o.retval == 100 || o.retval == 102)) { error = k ? "setup returned an error status" : "pktgen returned an error status"; break; }
			if (k == 1) {
				memmove(data + 4, data, len);
				memcpy(data, &o.retval, 4);
				len += 4;
			}
		}
		printf("]");
		if (res) {
			unsigned int key = 0;
			size_t vs = bpf_map__value_size(res);
			unsigned char *v = calloc(1, vs);
			if (!error) {
				bpf_map_lookup_elem(bpf_map__fd(res), &key, v);
				printf(",\"result\":");
				hex(v, proto_len(v, vs));
			}
			memset(v, 0, vs);
			bpf_map_update_elem(bpf_map__fd(res), &key, v, 0);
			free(v);
		}
		if (mock) {
			unsigned int key = 0;
			unsigned char *v = calloc(1, bpf_map__value_size(mock));
			bpf_map_update_elem(bpf_map__fd(mock), &key, v, 0);
			free(v);
		}
		if (error) printf(",\"error\":\"%s\"", error);
		printf("}");
	}
	printf("\n]}\n");
	bpf_object__close(obj);
	return 0;
}
