#!/bin/sh
# Records the kernel's answer to every ISA corner case of raw_cases.txt (written by
# gen_raw_cases.py): each line `NAME PROGHEX PACKETHEX [extra oracle raw args]` is loaded and run
# with `oracle raw` (docs/kernel-oracle.md §3), one JSON line per case in raw_cases.out.json.
# Needs root and the kernel oracle in TCXLAB_ORACLE (npm run record-goldens -- vm).
set -eu
oracle=${TCXLAB_ORACLE:?set TCXLAB_ORACLE to the kernel oracle (docs/kernel-oracle.md)}
cd "$(dirname "$0")"
out=raw_cases.out.json.tmp
: > "$out"
grep -v '^#' raw_cases.txt | while read -r name prog pkt extra; do
	[ -n "$name" ] || continue
	# shellcheck disable=SC2086
	res=$("$oracle" raw "$prog" "$pkt" $extra)
	printf '{"case":"%s","result":%s}\n' "$name" "$res" >> "$out"
done
mv "$out" raw_cases.out.json
echo "vm: $(wc -l < raw_cases.out.json) raw cases ($(uname -r))"
