# Sourced by the kernel recorders of the selftest corpora (verifier-selftests/record.sh,
# test/goldens/exceptions/record.sh): `build_recorder SRC OUT` compiles a recorder written in C
# against the static libbpf 1.5 that selftests-tree.sh (run by the corpus build.sh) leaves in WORK.
# Test data tooling only; not part of the npm package.
WORK=${WORK:-/tmp/tcxlab-vcorpus}

build_recorder() {
  local usr=$WORK/libbpf-root/usr lib
  lib=$usr/lib64
  [ -f "$lib/libbpf.a" ] || lib=$usr/lib
  [ -f "$lib/libbpf.a" ] || { echo "no libbpf in $WORK: run the corpus build.sh first" >&2; exit 1; }
  gcc -O1 -Wall -I"$usr/include" "$1" "$lib/libbpf.a" -lelf -lz -o "$2"
}
