#!/bin/sh
# Rebuilds printk.bpf.o and records the kernel's answers for printk_cases on packets.txt with
# `oracle run` (docs/kernel-oracle.md §2). Needs root, clang-19 and the kernel oracle in
# TCXLAB_ORACLE (npm run record-goldens -- helpers).
set -eu
oracle=${TCXLAB_ORACLE:?set TCXLAB_ORACLE to the kernel oracle (docs/kernel-oracle.md)}
cd "$(dirname "$0")"
make -s -C ../.. helpers   # printk.bpf.o (test/Makefile, the pinned build)
"$oracle" run printk.bpf.o printk_cases packets.txt > printk.out.json
