// SPDX-License-Identifier: Apache-2.0
/*
 * record: load the sched_cls / socket_filter programs of a BPF object into the running kernel,
 * one program at a time, and print the kernel's verdict for each as JSON.
 *
 *   record OBJ
 *
 * For each such program the object is opened afresh and only that program is autoloaded (its
 * maps are created; other programs are not loaded), like the selftests' test_loader. Loading
 * uses libbpf's defaults (no extra prog flags). The first load asks for no log, as a user's
 * loader would; when it fails, libbpf loads again with log_level 1 into our buffer. The kernel's
 * log is rotating, so an overflow keeps its tail but fails with ENOSPC: we then retry with a
 * larger buffer. Printed per program: name, section, type, the test_loader annotations (BTF decl
 * tags "comment:..." on the function), verdict, errno, the tail of the verifier log and the
 * tail of libbpf's own messages (errors found before the kernel saw the program).
 *
 * Programs of other types are listed with "verdict": null (counted, not loaded).
 *
 * Needs root. Links libbpf 1.5 from linux-source-6.12 (see build.sh and record.sh).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#define TAIL_LINES 40
#define LINE_MAX_CHARS 400

static char libbpf_msgs[1 << 16];
static size_t libbpf_len;

static int print_fn(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	if (level == LIBBPF_DEBUG)
		return 0;
	if (libbpf_len < sizeof(libbpf_msgs) - 1) {
		int n = vsnprintf(libbpf_msgs + libbpf_len, sizeof(libbpf_msgs) - libbpf_len, fmt, ap);
		if (n > 0)
			libbpf_len += (size_t)n;
		if (libbpf_len > sizeof(libbpf_msgs) - 1)
			libbpf_len = sizeof(libbpf_msgs) - 1;
	}
	return 0;
}

static void json_str(const char *s, size_t n)
{
	putchar('"');
	for (size_t i = 0; i < n && s[i]; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '"' || c == '\\')
			printf("\\%c", c);
		else if (c == '\n')
			printf("\\n");
		else if (c == '\t')
			printf("\\t");
		else if (c < 0x20 || c >= 0x7f)
			printf("\\u%04x", c);
		else
			putchar(c);
	}
	putchar('"');
}

/* The last `max` lines of `text` (each cut at LINE_MAX_CHARS) as a JSON array. */
static void json_tail(const char *text, int max)
{
	size_t len = strlen(text);
	const char *start = text + len;
	int lines = 0;
	while (start > text) {
		const char *p = start - 1;
		if (p > text && *p == '\n')
			p--;
		while (p > text && *p != '\n')
			p--;
		if (*p == '\n')
			p++;
		if (++lines > max)
			break;
		start = p;
		if (p == text)
			break;
	}
	printf("[");
	int first = 1;
	const char *p = start;
	while (*p) {
		const char *e = strchr(p, '\n');
		size_t n = e ? (size_t)(e - p) : strlen(p);
		if (n > 0 || (e && e[1])) {
			if (!first)
				printf(",");
			first = 0;
			json_str(p, n > LINE_MAX_CHARS ? LINE_MAX_CHARS : n);
		}
		if (!e)
			break;
		p = e + 1;
	}
	printf("]");
}

/* Whether function `fn` carries the BTF decl tag "comment:<tag>". */
static int has_tag(struct bpf_object *obj, const char *fn, const char *tag)
{
	const struct btf *btf = bpf_object__btf(obj);
	if (!btf)
		return 0;
	for (unsigned id = 1; id < btf__type_cnt(btf); id++) {
		const struct btf_type *t = btf__type_by_id(btf, id);
		if (!btf_is_decl_tag(t) || btf_decl_tag(t)->component_idx != -1)
			continue;
		const struct btf_type *f = btf__type_by_id(btf, t->type);
		if (!f || !btf_is_func(f) || strcmp(btf__name_by_offset(btf, f->name_off), fn) != 0)
			continue;
		const char *s = btf__name_by_offset(btf, t->name_off);
		if (strncmp(s, "comment:", 8) == 0 && strcmp(s + 8, tag) == 0)
			return 1;
	}
	return 0;
}

static void json_annotations(struct bpf_object *obj, const char *fn)
{
	const struct btf *btf = bpf_object__btf(obj);
	int first = 1;
	printf("[");
	if (btf) {
		for (unsigned id = 1; id < btf__type_cnt(btf); id++) {
			const struct btf_type *t = btf__type_by_id(btf, id);
			if (!btf_is_decl_tag(t) || btf_decl_tag(t)->component_idx != -1)
				continue;
			const struct btf_type *f = btf__type_by_id(btf, t->type);
			if (!f || !btf_is_func(f) || strcmp(btf__name_by_offset(btf, f->name_off), fn) != 0)
				continue;
			const char *tag = btf__name_by_offset(btf, t->name_off);
			if (strncmp(tag, "comment:", 8) != 0)
				continue;
			if (!first)
				printf(",");
			first = 0;
			json_str(tag + 8, strlen(tag + 8));
		}
	}
	printf("]");
}

/*
 * Load only program `target` of `path` (and the programs marked __auxiliary, which test_loader
 * loads with every test, e.g. tail call targets); returns 0 or -errno, the log in `log`.
 */
static int load_one(const char *path, const char *target, char *log, size_t log_size)
{
	struct bpf_object *obj = bpf_object__open_file(path, NULL);
	if (!obj)
		return -errno;
	struct bpf_program *prog;
	bpf_object__for_each_program(prog, obj) {
		int me = strcmp(bpf_program__name(prog), target) == 0;
		bpf_program__set_autoload(prog, me || has_tag(obj, bpf_program__name(prog), "test_auxiliary"));
		if (me) {
			bpf_program__set_log_buf(prog, log, log_size);
			bpf_program__set_log_level(prog, 0);
		}
	}
	log[0] = 0;
	int err = bpf_object__load(obj);
	bpf_object__close(obj);
	return err;
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: record OBJ\n");
		return 2;
	}
	libbpf_set_print(print_fn);
	struct bpf_object *obj = bpf_object__open_file(argv[1], NULL);
	if (!obj) {
		fprintf(stderr, "open %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	size_t log_size = 16u << 20;
	char *log = malloc(log_size);
	printf("[");
	int first = 1;
	struct bpf_program *prog;
	bpf_object__for_each_program(prog, obj) {
		enum bpf_prog_type type = bpf_program__type(prog);
		const char *name = bpf_program__name(prog);
		const char *tn = libbpf_bpf_prog_type_str(type);
		if (type != BPF_PROG_TYPE_SCHED_CLS && type != BPF_PROG_TYPE_SCHED_ACT && type != BPF_PROG_TYPE_SOCKET_FILTER) {
			/* listed (to be counted), not loaded */
			printf("%s\n {\"name\":", first ? "" : ",");
			first = 0;
			json_str(name, strlen(name));
			printf(",\"section\":");
			json_str(bpf_program__section_name(prog), strlen(bpf_program__section_name(prog)));
			printf(",\"type\":");
			json_str(tn ? tn : "unknown", strlen(tn ? tn : "unknown"));
			printf(",\"autoload\":%s,\"annotations\":", bpf_program__autoload(prog) ? "true" : "false");
			json_annotations(obj, name);
			printf(",\"verdict\":null}");
			continue;
		}
		int err;
		for (;;) {
			libbpf_len = 0;
			libbpf_msgs[0] = 0;
			err = load_one(argv[1], name, log, log_size);
			if (err != -ENOSPC || log_size >= (1u << 30))
				break;
			log_size *= 4;
			free(log);
			log = malloc(log_size);
		}
		printf("%s\n {\"name\":", first ? "" : ",");
		first = 0;
		json_str(name, strlen(name));
		printf(",\"section\":");
		json_str(bpf_program__section_name(prog), strlen(bpf_program__section_name(prog)));
		printf(",\"type\":");
		json_str(tn, strlen(tn));
		printf(",\"autoload\":%s,\"annotations\":", bpf_program__autoload(prog) ? "true" : "false");
		json_annotations(obj, name);
		printf(",\"verdict\":\"%s\",\"errno\":%d", err ? "reject" : "accept", err < 0 ? -err : 0);
		if (err) {
			printf(",\"log_tail\":");
			json_tail(log, TAIL_LINES);
			printf(",\"libbpf_tail\":");
			json_tail(libbpf_msgs, 12);
		}
		printf("}");
		fflush(stdout);
	}
	printf("\n]\n");
	bpf_object__close(obj);
	free(log);
	return 0;
}
