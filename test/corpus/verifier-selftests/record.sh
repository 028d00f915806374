#!/bin/bash
# Records the running kernel's verdict on every sched_cls / socket_filter program of obj/*.bpf.o,
# one program at a time (record.c), into test/goldens/verifier-selftests/<file>.json (goldens.ts).
# Needs root and the libbpf that build.sh builds (same WORK directory).
#
#   sudo bash test/corpus/verifier-selftests/record.sh
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/../selftests-recorder.sh"
build_recorder "$HERE/record.c" "$WORK/record"
RAW=$WORK/raw
rm -rf "$RAW" && mkdir -p "$RAW"
for o in "$HERE"/obj/*.bpf.o; do
  n=$(basename "$o" .bpf.o)
  (cd "$HERE/obj" && timeout 600 "$WORK/record" "$n.bpf.o") > "$RAW/$n.json"
done
cd "$HERE/../../.." && npx tsx test/corpus/verifier-selftests/goldens.ts "$RAW" "$(uname -r)"
