#!/bin/sh
# Builds map_compat.bpf.c once per program (test/Makefile: clang-19 -DPROG=N) and loads each object into the
# running kernel with bpftool (root, bpffs at /sys/fs/bpf), recording the verdict and the
# "cannot pass" line of the verifier log in kernel.json.
#   cd test/goldens/verifier/map-compat && sh record.sh
set -e
out=kernel.json
echo '{"kernel":"'"$(uname -r)"'","cases":[' > $out
sep=''
for n in 1 2 3 4; do
  make -s -C ../../.. goldens/verifier/map-compat/prog$n.bpf.o   # test/Makefile, the pinned build
  pin=/sys/fs/bpf/tcxlab-map-compat-$$
  if log=$(bpftool prog load prog$n.bpf.o $pin type classifier 2>&1); then verdict=accept; msg=''; rm -f $pin; else verdict=reject; msg=$(printf '%s\n' "$log" | grep -m1 '^cannot pass' || true); fi
  name=$(llvm-objdump-19 -t prog$n.bpf.o | awk '$3 == "F" || $4 == "F" { print $NF }' | grep -v '^$' | head -1)
  printf '%s{"object":"prog%s.bpf.o","program":"%s","verdict":"%s","message":"%s"}\n' "$sep" $n "$name" $verdict "$msg" >> $out
  sep=','
done
echo ']}' >> $out
