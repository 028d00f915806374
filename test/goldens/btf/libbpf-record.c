// Records what libbpf itself decides for an object, for the BTF goldens (see record.sh).
//   libbpf-record OBJ          open only: libbpf's debug log (map definitions) + map attributes
//   libbpf-record OBJ --load   also load into the running kernel (CO-RE against its vmlinux BTF)
// Output: "log: <libbpf debug line>" lines, then "map ..." lines.
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <bpf/libbpf.h>

static int print_fn(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	char buf[4096];
	vsnprintf(buf, sizeof(buf), fmt, ap);
	size_t n = strlen(buf);
	while (n && buf[n - 1] == '\n') buf[--n] = 0;
	printf("log: %s\n", buf);
	return 0;
}

static void print_map(const struct bpf_map *m)
{
	printf("map %s type=%u key_size=%u value_size=%u max_entries=%u map_flags=0x%x numa_node=%u key_type_id=%u value_type_id=%u\n",
	       bpf_map__name(m), bpf_map__type(m), bpf_map__key_size(m), bpf_map__value_size(m),
	       bpf_map__max_entries(m), bpf_map__map_flags(m), bpf_map__numa_node(m),
	       bpf_map__btf_key_type_id(m), bpf_map__btf_value_type_id(m));
}

int main(int argc, char **argv)
{
	if (argc < 2) return 2;
	libbpf_set_print(print_fn);
	struct bpf_object *obj = bpf_object__open_file(argv[1], NULL);
	if (!obj) { printf("open failed\n"); return 1; }
	struct bpf_map *m;
	bpf_object__for_each_map(m, obj) {
		print_map(m);
		struct bpf_map *in = bpf_map__inner_map(m);
		if (in) print_map(in);
	}
	if (argc > 2 && strcmp(argv[2], "--load") == 0) {
		struct bpf_program *p;
		bpf_object__for_each_program(p, obj) bpf_program__set_type(p, BPF_PROG_TYPE_SCHED_CLS);
		int err = bpf_object__load(obj);
		printf("load %d\n", err);
	}
	bpf_object__close(obj);
	return 0;
}
