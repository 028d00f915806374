#!/bin/sh
# Records the real kernel's runs of the Cilium-style test objects (Linux 6.18, root): builds
# record.c (libbpf-dev) and writes one JSON per object. The objects are progs/trf_*.bpf.o
# (built by progs/Makefile). test/testsuite/kernel-parity.test.ts compares tcxlab with these.
set -e
cd "$(dirname "$0")"
gcc -O2 -Wall -o /tmp/trf-record record.c -lbpf
for o in trf_pass trf_fail; do
  /tmp/trf-record "../../../progs/$o.bpf.o" > "$o.kernel.json"
done
