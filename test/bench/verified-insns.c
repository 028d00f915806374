// Prints the kernel's processed-instruction count (bpf_prog_info.verified_insns, the figure the
// verifier log ends with) for every program of an object loaded as sched_cls, to compare with
// `processed` in test/bench/verifier.js. Needs root and libbpf:
//   gcc -O2 test/bench/verified-insns.c -o /tmp/verified-insns -lbpf
//   /tmp/verified-insns test/bench/data/test_cls_redirect.bpf.o
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <stdio.h>
#include <string.h>

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: %s OBJ\n", argv[0]);
    return 2;
  }
  struct bpf_object *obj = bpf_object__open(argv[1]);
  if (!obj) return 1;
  struct bpf_program *p;
  bpf_object__for_each_program(p, obj) bpf_program__set_type(p, BPF_PROG_TYPE_SCHED_CLS);
  if (bpf_object__load(obj)) {
    fprintf(stderr, "%s: load failed\n", argv[1]);
    return 1;
  }
  bpf_object__for_each_program(p, obj) {
    struct bpf_prog_info info;
    __u32 len = sizeof(info);
    memset(&info, 0, sizeof(info));
    if (bpf_obj_get_info_by_fd(bpf_program__fd(p), &info, &len)) return 1;
    printf("%s verified_insns %u\n", bpf_program__name(p), info.verified_insns);
  }
  bpf_object__close(obj);
  return 0;
}
