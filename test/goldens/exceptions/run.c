// SPDX-License-Identifier: Apache-2.0
/*
 * run: load exceptions.bpf.o into the running kernel as the selftest's skeleton does (the whole
 * object, libbpf 1.5, which appends each program's exception callback), put
 * exception_tail_call_target in jmp_table[0], then BPF_PROG_TEST_RUN every sched_cls program
 * once on the frame given in hex, and print {name, err, retval} per program as JSON.
 *
 *   run OBJ FRAMEHEX
 *
 * Needs root. Built by record.sh against libbpf 1.5 of linux-source-6.12 (the oracle's libbpf 1.1
 * does not append exception callbacks, so the kernel refuses the object there).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: run OBJ FRAMEHEX\n");
		return 2;
	}
	size_t n = strlen(argv[2]) / 2;
	unsigned char *frame = calloc(n ? n : 1, 1);
	for (size_t i = 0; i < n; i++)
		sscanf(argv[2] + 2 * i, "%2hhx", &frame[i]);

	struct bpf_object *obj = bpf_object__open_file(argv[1], NULL);
	if (!obj) {
		printf("{\"error\":\"open\",\"errno\":%d}\n", errno);
		return 1;
	}
	int err = bpf_object__load(obj);
	if (err) {
		printf("{\"error\":\"load\",\"errno\":%d}\n", -err);
		return 1;
	}
	struct bpf_map *jmp = bpf_object__find_map_by_name(obj, "jmp_table");
	struct bpf_program *target = bpf_object__find_program_by_name(obj, "exception_tail_call_target");
	if (jmp && target) {
		int key = 0, fd = bpf_program__fd(target);
		if (bpf_map_update_elem(bpf_map__fd(jmp), &key, &fd, BPF_ANY)) {
			printf("{\"error\":\"jmp_table\",\"errno\":%d}\n", errno);
			return 1;
		}
	}
	printf("{\"programs\":[");
	struct bpf_program *p;
	int first = 1;
	bpf_object__for_each_program(p, obj) {
		if (bpf_program__type(p) != BPF_PROG_TYPE_SCHED_CLS)
			continue;
		LIBBPF_OPTS(bpf_test_run_opts, opts, .data_in = frame, .data_size_in = (unsigned)n, .repeat = 1);
		int r = bpf_prog_test_run_opts(bpf_program__fd(p), &opts);
		printf("%s\n{\"name\":\"%s\",\"err\":%d,\"retval\":%u}", first ? "" : ",", bpf_program__name(p), r ? -r : 0, opts.retval);
		first = 0;
	}
	printf("\n]}\n");
	bpf_object__close(obj);
	return 0;
}
