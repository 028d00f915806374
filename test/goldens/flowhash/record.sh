#!/bin/sh
# Records the kernel's skb flow hashes (Linux 6.18, root): one oracle run of hash.bpf.o over
# packets.txt (gen-packets.py). The values depend on the boot's random key; which frames share a
# hash does not. ORACLE defaults to `oracle` on PATH.
set -e
cd "$(dirname "$0")"
ORACLE=${ORACLE:-oracle}
python3 gen-packets.py
clang-19 -O2 -g -target bpf -mcpu=v3 -I/usr/include/x86_64-linux-gnu -c hash.bpf.c -o hash.bpf.o
"$ORACLE" run hash.bpf.o flow_hash packets.txt > hash.out.json
