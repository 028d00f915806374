#!/bin/sh
# Records what bpftool and the kernel print for test/cli/prog-show.test.ts and test/cli/map-dump.test.ts
# (root, bpffs, clang-19, bpftool; Linux 6.18 when recorded):
#   - dump.bpf.o (built by test/Makefile, flags as progs/Makefile) loaded with `bpftool prog loadall`,
#     `bpftool -j prog show` of its program (prog-show.kernel.json, plain: prog-show.kernel.txt);
#   - `count` run once on CPU 0 on the frame of ../cli/one.txt (bpftool prog run), then
#     `bpftool -j map dump` of each of its maps (map-NAME.kernel.json);
#   - maps without BTF made with `bpftool map create`/`map update` (one per layout bpftool's
#     plain dump has), dumped plain (raw-NAME.kernel.txt) and as JSON (raw-NAME.kernel.json).
#   - typed.bpf.o (built the same way) loaded with `bpftool prog loadall`, `track` run on CPU 0
#     on each frame of typed-frames.txt in order, then `bpftool -j map dump` of each of its maps,
#     global data (.data, .bss, .rodata) included (map-typed-NAME.kernel.json).
#   sh test/goldens/bpftool/record.sh [typed]   (or: npm run record-goldens -- bpftool)
#   With `typed`, only the typed.bpf.o part is recorded.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
cd "$here"
build() { # the pinned build of test/Makefile
	make -s -C "$root/test" "goldens/bpftool/$1.bpf.o"
}
pin=/sys/fs/bpf/tcxlab_record_bpftool_$$
tmp=$(mktemp -d)
trap 'rm -rf "$pin" "$tmp"' EXIT
mkdir -p "$pin"
record_typed() {
	build typed
	bpftool prog loadall typed.bpf.o "$pin/typed" pinmaps "$pin/typedmaps" 2>/dev/null
	grep -v '^#' typed-frames.txt | while read -r frame; do
		echo "$frame" | xxd -r -p > "$tmp/frame.bin"
		taskset -c 0 bpftool prog run pinned "$pin/typed/track" data_in "$tmp/frame.bin" repeat 1 > /dev/null
	done
	# libbpf names global data maps after the object (typed.data, ...); pin names have _ for .
	for m in flows v6_seen per_cpu typed_data typed_bss typed_rodata _rodata_str1_1; do
		bpftool -j map dump pinned "$pin/typedmaps/$m" > "map-typed-$m.kernel.json"
	done
}
if [ "${1:-}" = typed ]; then
	record_typed
	exit 0
fi
record_typed
build dump
bpftool prog loadall dump.bpf.o "$pin/progs" pinmaps "$pin/maps" 2>/dev/null
bpftool -j prog show pinned "$pin/progs/count" > prog-show.kernel.json
bpftool prog show pinned "$pin/progs/count" > prog-show.kernel.txt
sed -n 3p ../cli/one.txt | xxd -r -p > "$tmp/one.bin"
taskset -c 0 bpftool prog run pinned "$pin/progs/count" data_in "$tmp/one.bin" repeat 1 > /dev/null
for m in arr hsh pcpu pch rich; do
	bpftool -j map dump pinned "$pin/maps/$m" > "map-$m.kernel.json"
done
# name type key value entries, then key/value pairs to put in (bpftool byte lists)
mk() {
	name=$1; shift
	bpftool map create "$pin/$name" type "$1" key "$2" value "$3" entries "$4" name "$name"
}
put() {
	name=$1; k=$2; v=$3
	# shellcheck disable=SC2086
	bpftool map update pinned "$pin/$name" key $k value $v
}
mk rawh hash 4 8 4
put rawh "7 0 0 0" "0x2e 0 0 0 0xef 0xbe 1 2"
put rawh "1 0 0 0" "1 2 3 4 5 6 7 8"
mk rawbig hash 4 20 2
put rawbig "2 0 0 0" "1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20"
mk rawkey hash 18 4 2
put rawkey "1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18" "0xaa 0xbb 0xcc 0xdd"
mk rawpc percpu_array 4 4 2
put rawpc "1 0 0 0" "5 0 0 0"
mk rawpcbig percpu_hash 2 24 2
put rawpcbig "0x34 0x12" "1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24"
mk rawempty hash 4 4 2
for m in rawh rawbig rawkey rawpc rawpcbig rawempty; do
	bpftool map dump pinned "$pin/$m" > "raw-$m.kernel.txt"
	bpftool -j map dump pinned "$pin/$m" > "raw-$m.kernel.json"
done
uname -r > kernel.txt
bpftool version | head -1 >> kernel.txt
