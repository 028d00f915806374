#!/bin/sh
# Records the real kernel's answers (Linux 6.18, root): rebuilds the object and runs each program
# through the oracle on packets.txt. Needs /tmp/oracle/oracle (shared/oracle).
set -e
cd "$(dirname "$0")"
clang-19 -O2 -g -target bpf -mcpu=v3 -I/usr/include/x86_64-linux-gnu -c helpers2.bpf.c -o helpers2.bpf.o
for p in misc_cases dynptr_cases timer_cases syncookie_cases; do
  /tmp/oracle/oracle run helpers2.bpf.o "$p" packets.txt > "$p.out.json"
done
