#!/bin/sh
# Records the real kernel's answers (Linux 6.18, root): rebuilds the object and runs each program
# through the kernel oracle (`oracle run`, docs/kernel-oracle.md §2) on packets.txt. Needs clang-19
# and the oracle in TCXLAB_ORACLE (npm run record-goldens -- helpers2).
set -e
oracle=${TCXLAB_ORACLE:?set TCXLAB_ORACLE to the kernel oracle (docs/kernel-oracle.md)}
cd "$(dirname "$0")"
make -s -C ../.. helpers2   # helpers2.bpf.o (test/Makefile, the pinned build)
for p in misc_cases dynptr_cases timer_cases syncookie_cases; do
  "$oracle" run helpers2.bpf.o "$p" packets.txt > "$p.out.json"
done
