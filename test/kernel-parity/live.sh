#!/bin/sh
# End-to-end check of `tcxlab run --kernel` / `compare --kernel` against the running kernel (not a
# vitest test: it needs root, Linux, bpftool and a bpffs; the suite replays recorded answers
# instead, test/kernel-parity/*.test.ts). Runs the CLI from the sources (what `npx tcxlab` runs
# after a build), checks the exit status and the last report line of each case, and that no pin
# is left under /sys/fs/bpf.
#   sudo sh test/kernel-parity/live.sh
set -u
cd "$(dirname "$0")/../.."
fail=0
mixed=test/goldens/run/packets/mixed.txt
# expect STATUS LAST_LINE_PREFIX -- ARGS...
expect() {
	want=$1 last=$2
	shift 3
	out=$(node --import tsx src/cli/main.ts "$@" 2>&1)
	got=$?
	end=$(printf '%s\n' "$out" | tail -n 1)
	case "$end" in
	"$last"*) ok=1 ;;
	*) ok=0 ;;
	esac
	if [ "$got" -eq "$want" ] && [ "$ok" -eq 1 ]; then
		echo "ok   $* -> $got: $end"
	else
		echo "FAIL $* -> $got (want $want): $end"
		fail=1
	fi
}
expect 0 'kernel parity: no differences (25 frames' -- run progs/bench_parse.bpf.o bench_parse $mixed --kernel
expect 0 'kernel parity: no differences (25 frames' -- run progs/bench_fw.bpf.o bench_fw $mixed --kernel --ctx-out --cpu 1 --set blocklist 080000000a000000 01000000
expect 0 'kernel parity: no differences (25 frames' -- run progs/globals_cfg.bpf.o cfg_pick $mixed --kernel
expect 0 'kernel parity: no differences (25 frames' -- run progs/nat.bpf.o nat_snat $mixed --kernel --ctx 0000000000000000ff000000
expect 0 'kernel parity: no differences (1 frame' -- run progs/bench_parse.bpf.o bench_parse $mixed --kernel --repeat 1000
expect 0 'kernel parity: no differences (0 frames' -- run progs/invalid_verifier.bpf.o bad_pkt_read $mixed --kernel
expect 1 'kernel parity: 1 difference (0 of 0 frames differ, load)' -- run progs/legacy_maps.bpf.o legacy_count $mixed --kernel
expect 0 'kernel parity: no differences (10 frames' -- compare test/goldens/net/compare.bpf.o first,second test/data/compare/returns.txt --kernel
left=$(ls /sys/fs/bpf | grep -c '^tcxlab-parity-')
if [ "$left" -ne 0 ]; then
	echo "FAIL $left pin directories left under /sys/fs/bpf"
	fail=1
fi
exit $fail
