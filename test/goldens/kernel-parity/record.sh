#!/bin/sh
# Records what bpftool and the kernel answer for test/kernel-parity/parity.test.ts: for each case
# below, exactly the bpftool calls `tcxlab run --kernel` makes (src/kernel-parity/bpftool.ts):
#   bpftool prog loadall OBJ PIN/progs pinmaps PIN/maps type classifier   -> loadall.rc, loadall.stderr,
#                                                                            progs.txt, maps.txt (the pins)
#   bpftool map update pinned PIN/maps/MAP key hex .. value hex ..       (the case's --set)
#   taskset -c 0 bpftool -j prog run pinned PIN/progs/PROG data_in F data_out F [ctx_in F ctx_out F] repeat 1
#                                                                         -> run-N.json, run-N.rc,
#                                                                            run-N.data_out.hex, run-N.ctx_out.hex
#   bpftool -j map show pinned PIN/maps/M, bpftool -j map dump pinned PIN/maps/M
#                                                                         -> map-M.show.json, map-M.dump.json
# N counts the frames of the packets file in order (hex lines without comments). Needs root,
# a bpffs at /sys/fs/bpf, bpftool and taskset (Linux 6.18 and bpftool v7.1.0 when recorded).
#   sh test/goldens/kernel-parity/record.sh
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
cd "$root"
tmp=$(mktemp -d)
pin=''
trap 'rm -rf "$tmp"; [ -z "$pin" ] || rm -rf "$pin"' EXIT
bpftool -j version > "$here/version.json"
uname -r > "$here/kernel.txt"

# rec CASE OBJ PROG PACKETS CTX(none|zero) [MAP KEYHEX VALHEX]...
rec() {
	name=$1 obj=$2 prog=$3 packets=$4 ctx=$5
	shift 5
	out=$here/$name
	rm -rf "$out"
	mkdir -p "$out"
	printf '%s %s %s %s\n' "$obj" "$prog" "$packets" "$ctx" > "$out/case.txt"
	pin=$(mktemp -d /sys/fs/bpf/tcxlab-record-XXXXXX)
	rc=0
	bpftool prog loadall "$obj" "$pin/progs" pinmaps "$pin/maps" type classifier 2> "$out/loadall.stderr.raw" || rc=$?
	# the object's path as the test passes it
	sed "s|$root/||g" "$out/loadall.stderr.raw" > "$out/loadall.stderr"
	rm "$out/loadall.stderr.raw"
	echo "$rc" > "$out/loadall.rc"
	if [ "$rc" -eq 0 ]; then
		ls "$pin/progs" > "$out/progs.txt"
		if [ -d "$pin/maps" ]; then ls "$pin/maps" > "$out/maps.txt"; else : > "$out/maps.txt"; fi
		while [ $# -ge 3 ]; do
			# shellcheck disable=SC2046
			bpftool map update pinned "$pin/maps/$1" key hex $(echo "$2" | sed 's/../& /g') value hex $(echo "$3" | sed 's/../& /g')
			printf '%s %s %s\n' "$1" "$2" "$3" >> "$out/sets.txt"
			shift 3
		done
		[ "$ctx" = zero ] && head -c 192 /dev/zero > "$tmp/ctx_in"
		n=0
		sed 's/#.*//; s/[[:space:]]//g; /^$/d' "$packets" | while read -r hex; do
			n=$((n + 1))
			echo "$hex" | xxd -r -p > "$tmp/data_in"
			rm -f "$tmp/data_out" "$tmp/ctx_out"
			set -- -j prog run pinned "$pin/progs/$prog" data_in "$tmp/data_in" data_out "$tmp/data_out"
			[ "$ctx" = zero ] && set -- "$@" ctx_in "$tmp/ctx_in" ctx_out "$tmp/ctx_out"
			rc=0
			taskset -c 0 bpftool "$@" repeat 1 > "$out/run-$n.json" 2> /dev/null || rc=$?
			echo "$rc" > "$out/run-$n.rc"
			if [ -f "$tmp/data_out" ]; then xxd -p "$tmp/data_out" | tr -d '\n' > "$out/run-$n.data_out.hex"; fi
			if [ -f "$tmp/ctx_out" ]; then xxd -p "$tmp/ctx_out" | tr -d '\n' > "$out/run-$n.ctx_out.hex"; fi
		done
		for m in $(cat "$out/maps.txt"); do
			bpftool -j map show pinned "$pin/maps/$m" > "$out/map-$m.show.json"
			bpftool -j map dump pinned "$pin/maps/$m" > "$out/map-$m.dump.json" 2> /dev/null || true
		done
	fi
	rm -rf "$pin"
	pin=''
}

mixed=test/goldens/run/packets/mixed.txt
rec parse progs/bench_parse.bpf.o bench_parse $mixed none
rec fw progs/bench_fw.bpf.o bench_fw $mixed zero blocklist 080000000a000000 01000000
rec globals progs/globals_cfg.bpf.o cfg_pick $mixed none
rec nat progs/nat.bpf.o nat_snat $mixed zero
rec tailcall progs/tailcall.bpf.o tail_dispatch $mixed none
rec events progs/maps_btf.bpf.o maps_events $mixed none
rec verifier progs/invalid_verifier.bpf.o bad_pkt_read $mixed none
rec legacy progs/legacy_maps.bpf.o legacy_count $mixed none
rec compare test/goldens/net/compare.bpf.o first test/data/compare/returns.txt zero
