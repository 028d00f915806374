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
#define _GNU_SOURCE
#include <elf.h>
#include <errno.h>
#include <regex.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <linux/btf.h>

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
static int print_stderr(enum libbpf_print_level l, const char *f, va_list ap) { return vfprintf(stderr, f, ap); }

// Size of a BTF type record after its 12-byte struct btf_type (uapi linux/btf.h kinds).
static size_t btf_extra(unsigned kind, unsigned vlen)
{
	switch (kind) {
	case BTF_KIND_INT: case BTF_KIND_VAR: case BTF_KIND_DECL_TAG: return 4;
	case BTF_KIND_ARRAY: return 12;
	case BTF_KIND_STRUCT: case BTF_KIND_UNION: case BTF_KIND_DATASEC: return 12 * vlen;
	case BTF_KIND_ENUM: case BTF_KIND_FUNC_PROTO: return 8 * vlen;
	case BTF_KIND_ENUM64: return 12 * vlen;
	default: return 0;
	}
}

// Cilium's runner loads every map with PinNone, but libbpf refuses pinning values other than 0 and
// 1 at open (Cilium also uses CILIUM_PIN_REPLACE). In our copy of the file, point every `pinning`
// member whose value is neither at a PTR -> ARRAY of 0 or 1 elements that the BTF already has
// (types are shared between members, so the array itself is left alone); the pins are dropped
// after open (bpf_map__set_pin_path(NULL)).
static void unpin(unsigned char *buf, size_t n)
{
	Elf64_Ehdr *eh = (Elf64_Ehdr *)buf;
	if (n < sizeof(*eh) || eh->e_shoff + (size_t)eh->e_shnum * sizeof(Elf64_Shdr) > n) return;
	Elf64_Shdr *sh = (Elf64_Shdr *)(buf + eh->e_shoff);
	const char *names = (const char *)buf + sh[eh->e_shstrndx].sh_offset;
	for (int i = 0; i < eh->e_shnum; i++) {
		if (strcmp(names + sh[i].sh_name, ".BTF")) continue;
		unsigned char *b = buf + sh[i].sh_offset;
		struct btf_header *h = (struct btf_header *)b;
		unsigned char *types = b + h->hdr_len + h->type_off, *end = types + h->type_len;
		const char *strs = (const char *)b + h->hdr_len + h->str_off;
		size_t cap = 1 << 20, cnt = 1;
		unsigned char **at = calloc(cap, sizeof(*at));
		for (unsigned char *p = types; p < end && cnt < cap; cnt++) {
			struct btf_type *t = (struct btf_type *)p;
			at[cnt] = p;
			p += sizeof(*t) + btf_extra(BTF_INFO_KIND(t->info), BTF_INFO_VLEN(t->info));
		}
		// value of a PTR -> ARRAY member, or -1
		#define FIELD_VAL(id) ((id) < cnt && BTF_INFO_KIND(((struct btf_type *)at[id])->info) == BTF_KIND_PTR && \
			((struct btf_type *)at[id])->type < cnt && \
			BTF_INFO_KIND(((struct btf_type *)at[((struct btf_type *)at[id])->type])->info) == BTF_KIND_ARRAY ? \
			(long)((struct btf_array *)((struct btf_type *)at[((struct btf_type *)at[id])->type] + 1))->nelems : -1L)
		unsigned small = 0;
		for (size_t id = 1; id < cnt && !small; id++)
			if (FIELD_VAL(id) == 0 || FIELD_VAL(id) == 1) small = id;
		for (size_t id = 1; id < cnt && small; id++) {
			struct btf_type *t = (struct btf_type *)at[id];
			if (BTF_INFO_KIND(t->info) != BTF_KIND_STRUCT) continue;
			struct btf_member *m = (struct btf_member *)(t + 1);
			for (unsigned k = 0; k < BTF_INFO_VLEN(t->info); k++) {
				if (strcmp(strs + m[k].name_off, "pinning")) continue;
				long v = FIELD_VAL(m[k].type);
				if (v != 0 && v != 1) m[k].type = small;
			}
		}
		free(at);
	}
}

// cilium/ebpf loads static functions of program sections as programs; libbpf 1.1 refuses them
// ("is static and not supported"). In our copy, give such symbols global binding.
static void globalize(unsigned char *buf, size_t n)
{
	Elf64_Ehdr *eh = (Elf64_Ehdr *)buf;
	if (n < sizeof(*eh) || eh->e_shoff + (size_t)eh->e_shnum * sizeof(Elf64_Shdr) > n) return;
	Elf64_Shdr *sh = (Elf64_Shdr *)(buf + eh->e_shoff);
	const char *names = (const char *)buf + sh[eh->e_shstrndx].sh_offset;
	for (int i = 0; i < eh->e_shnum; i++) {
		if (sh[i].sh_type != SHT_SYMTAB) continue;
		Elf64_Sym *sym = (Elf64_Sym *)(buf + sh[i].sh_offset);
		for (size_t k = 0; k < sh[i].sh_size / sizeof(*sym); k++) {
			unsigned sec = sym[k].st_shndx;
			if (ELF64_ST_TYPE(sym[k].st_info) != STT_FUNC || ELF64_ST_BIND(sym[k].st_info) != STB_LOCAL) continue;
			if (sec == 0 || sec >= eh->e_shnum || !(sh[sec].sh_flags & SHF_EXECINSTR) || !strcmp(names + sh[sec].sh_name, ".text")) continue;
			sym[k].st_info = ELF64_ST_INFO(STB_GLOBAL, STT_FUNC);
		}
	}
}

// Cilium's loader fills cilium_calls from __declare_tail(N): section ".../tail" and the BTF decl
// tag "tail:cilium_calls/N" on the program's function. Returns the slot or -1.
static int tail_slot(struct bpf_object *obj, struct bpf_program *p)
{
	const char *sec = bpf_program__section_name(p);
	size_t l = strlen(sec);
	struct btf *btf = bpf_object__btf(obj);
	if (l < 5 || strcmp(sec + l - 5, "/tail") || !btf) return -1;
	int fn = btf__find_by_name_kind(btf, bpf_program__name(p), BTF_KIND_FUNC);
	if (fn < 0) return -1;
	for (unsigned id = 1; id < btf__type_cnt(btf); id++) {
		const struct btf_type *t = btf__type_by_id(btf, id);
		if (btf_kind(t) != BTF_KIND_DECL_TAG || t->type != (unsigned)fn || btf_decl_tag(t)->component_idx != -1) continue;
		unsigned slot;
		if (sscanf(btf__name_by_offset(btf, t->name_off), "tail:cilium_calls/%u", &slot) == 1) return (int)slot;
	}
	return -1;
}

int main(int argc, char **argv)
{
	if (argc != 2) { fprintf(stderr, "usage: record OBJ\n"); return 2; }
	libbpf_set_print(getenv("RECORD_VERBOSE") ? print_stderr : print_nothing);
	// Like Cilium's runner: every test file in a fresh network namespace.
	if (unshare(CLONE_NEWNET)) { perror("unshare"); return 1; }
	FILE *f = fopen(argv[1], "rb");
	if (!f) { perror(argv[1]); return 1; }
	static unsigned char file[64 << 20];
	size_t fsize = fread(file, 1, sizeof(file), f);
	fclose(f);
	unpin(file, fsize);
	globalize(file, fsize);
	const char *base = strrchr(argv[1], '/');
	base = base ? base + 1 : argv[1];
	char objname[256];
	snprintf(objname, sizeof(objname), "%.*s", (int)strcspn(base, "."), base);
	LIBBPF_OPTS(bpf_object_open_opts, oo, .object_name = objname);
	struct bpf_object *obj = bpf_object__open_mem(file, fsize, &oo);
	if (!obj) { printf("{\"object\":\"%s\",\"error\":\"open\",\"errno\":%d}\n", base, errno); return 1; }
	struct bpf_map *m;
	bpf_object__for_each_map(m, obj) bpf_map__set_pin_path(m, NULL);
	struct bpf_program *p;
	// tc and XDP programs run (sections libbpf does not know are tc); the runner drops others.
	bpf_object__for_each_program(p, obj) {
		enum bpf_prog_type t = bpf_program__type(p);
		if (strncmp(bpf_program__section_name(p), "xdp", 3) == 0) bpf_program__set_type(p, BPF_PROG_TYPE_XDP);
		else if (t == BPF_PROG_TYPE_UNSPEC || t == BPF_PROG_TYPE_SCHED_CLS) bpf_program__set_type(p, BPF_PROG_TYPE_SCHED_CLS);
		else if (t != BPF_PROG_TYPE_SCHED_ACT && t != BPF_PROG_TYPE_XDP) bpf_program__set_autoload(p, false);
	}
	int err = bpf_object__load(obj);
	if (err) { printf("{\"object\":\"%s\",\"error\":\"load\",\"errno\":%d}\n", base, -err); return 1; }
	struct bpf_map *calls = bpf_object__find_map_by_name(obj, "cilium_calls");
	if (calls) {
		bpf_object__for_each_program(p, obj) {
			int slot = tail_slot(obj, p), fd = bpf_program__fd(p);
			if (slot >= 0 && fd >= 0) bpf_map_update_elem(bpf_map__fd(calls), &slot, &fd, 0);
		}
	}

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
	printf("{\"object\":\"%s\",\"groups\":[", base);
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
