#!/bin/sh
# Records the function layout libbpf gives linked programs, as the kernel reports it after
# loading (needs root and bpffs; bpftool v7.1 / libbpf 1.1). For each object:
#
#   bpftool prog loadall progs/X.bpf.o /sys/fs/bpf/tcxlab-xlated type classifier
#   bpftool prog dump xlated pinned /sys/fs/bpf/tcxlab-xlated/PROG     (only the "int f(...):" lines kept)
#
# into xlated/X.PROG.txt. test/loader/programs.test.ts checks that the loader appends subprograms
# in the same order (libbpf's depth-first bpf_object__reloc_code order).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
pin=/sys/fs/bpf/tcxlab-xlated
mkdir -p "$here/xlated"
for obj in calls conntrack; do
  rm -rf "$pin"; mkdir -p "$pin"
  bpftool prog loadall "$root/progs/$obj.bpf.o" "$pin" type classifier 2>/dev/null
  for p in "$pin"/*; do
    name=$(basename "$p")
    { echo "# bpftool prog dump xlated pinned $pin/$name  (object progs/$obj.bpf.o; function headers only)"
      bpftool prog dump xlated pinned "$p" | grep -E '^[a-z_].*\(.*\):$'; } > "$here/xlated/$obj.$name.txt"
  done
done
rm -rf "$pin"
