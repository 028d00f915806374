#!/bin/bash
# Records the running kernel's retval for every tc program of test/corpus/exceptions/exceptions.bpf.o
# (built from exceptions.c there by its build.sh) into exceptions.out.json, with run.c linked
# against libbpf 1.5, which build.sh builds (same WORK directory).
# The frame is the selftests' pkt_v4 (network_helpers.c), as prog_tests/exceptions.c runs them.
# test/vm/exceptions.test.ts checks both engines against the file.
#
#   bash test/corpus/exceptions/build.sh && bash test/goldens/exceptions/record.sh     # as root
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/../../corpus/selftests-recorder.sh"
build_recorder "$HERE/run.c" "$WORK/run"
# pkt_v4: Ethernet (zero MACs, IPv4), IPv4 (ihl 5, tot_len 123, TCP), TCP (doff 5, urg_ptr 123)
FRAME=00000000000000000000000008004500007b00000000000600000000000000000000000000000000000000000000500000000000007b
RUNS=$("$WORK/run" "$HERE/../../corpus/exceptions/exceptions.bpf.o" "$FRAME")
{
  echo '{'
  echo "  \"kernel\": \"$(uname -r)\","
  echo "  \"command\": \"bash test/goldens/exceptions/record.sh\","
  echo "  \"frame\": \"$FRAME\","
  echo "  \"runs\": $RUNS"
  echo '}'
} > "$HERE/exceptions.out.json"
echo "wrote $HERE/exceptions.out.json" >&2
