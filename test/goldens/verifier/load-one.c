// Loads one program of an object into the running kernel as sched_cls (the object's other
// programs are not loaded; their maps are created) with verifier log level 1, and prints the
// verifier log followed by "load: ERR" (0: accepted, else the negative errno). Used by
// make-callbacks.sh to record the kernel's verdict, first error and processed-instruction
// count on programs the selftests annotate for another program type. Needs root and libbpf:
//   gcc -O2 test/goldens/verifier/load-one.c -o /tmp/load-one -lbpf
//   /tmp/load-one OBJ PROG
// LOG_LEVEL=2 in the environment asks for the per-instruction log instead (for investigations).
#include <bpf/libbpf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char log_buf[16 << 20];

int main(int argc, char **argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: %s OBJ PROG\n", argv[0]);
    return 2;
  }
  struct bpf_object *obj = bpf_object__open_file(argv[1], NULL);
  if (!obj) return 1;
  struct bpf_program *p;
  int found = 0;
  bpf_object__for_each_program(p, obj) {
    int me = strcmp(bpf_program__name(p), argv[2]) == 0;
    found |= me;
    bpf_program__set_autoload(p, me);
    if (!me) continue;
    bpf_program__set_type(p, BPF_PROG_TYPE_SCHED_CLS);
    bpf_program__set_log_buf(p, log_buf, sizeof(log_buf));
    bpf_program__set_log_level(p, getenv("LOG_LEVEL") ? atoi(getenv("LOG_LEVEL")) : 1);
  }
  if (!found) {
    fprintf(stderr, "%s: no program %s\n", argv[1], argv[2]);
    return 1;
  }
  int err = bpf_object__load(obj);
  fputs(log_buf, stdout);
  printf("load: %d\n", err);
  bpf_object__close(obj);
  return 0;
}
