#!/bin/sh
# Builds mock.bpf.o as progs/Makefile builds the corpus (clang-19, -O2 -g, target bpf).
#   sh test/data/mock/build.sh
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
cd "$here"
clang-19 -O2 -g -target bpf -Wall -fno-ident -fdebug-prefix-map="$here"=. -I"$root/progs/include" \
	-I/usr/include/x86_64-linux-gnu -c mock.bpf.c -o mock.bpf.o
