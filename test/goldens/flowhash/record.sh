#!/bin/sh
# Records the kernel's skb flow hashes (Linux 6.18, root): one oracle run of hash.bpf.o over
# packets.txt (gen-packets.py). The values depend on the boot's random key; which frames share a
# hash does not. Needs the kernel oracle in TCXLAB_ORACLE (npm run record-goldens -- flowhash).
set -e
cd "$(dirname "$0")"
ORACLE=${TCXLAB_ORACLE:?set TCXLAB_ORACLE to the kernel oracle (docs/kernel-oracle.md)}
python3 gen-packets.py
make -s -C ../.. flowhash   # hash.bpf.o (test/Makefile, the pinned build)
"$ORACLE" run hash.bpf.o flow_hash packets.txt > hash.out.json
