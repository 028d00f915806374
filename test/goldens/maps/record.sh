#!/bin/sh
# Records the kernel's answers for the map probes: builds every *.bpf.c here
# (test/Makefile, clang-19), runs each of its tc programs once through the kernel oracle
# (`oracle run`, root, Linux 6.18 when recorded) on packets.txt, and writes
# <program>.out.json. The oracle's path comes from TCXLAB_ORACLE (npm run record-goldens -- maps).
# test/maps/goldens.test.ts replays the same operation
# sequences through tcxlab's map model and compares with these files.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
oracle=${TCXLAB_ORACLE:?set TCXLAB_ORACLE to the kernel oracle (docs/kernel-oracle.md)}
cd "$here"
make -s -C ../.. maps   # every *.bpf.o here (test/Makefile, the pinned build)
for c in *.bpf.c; do
	o="${c%.c}.o"
	for p in $(grep -A1 '^SEC("tc")' "$c" | sed -n 's/^int \([a-z_0-9]*\)(.*/\1/p'); do
		extra=""; [ "$p" = t_tail ] && extra="--set jt 00000000 @t_target"
		# shellcheck disable=SC2086
		"$oracle" run "$o" "$p" packets.txt $extra > "$p.out.json" || echo "$p: oracle exit $?" >&2
		echo "$o $p"
	done
done
uname -r > kernel.txt
