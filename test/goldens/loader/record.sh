#!/bin/sh
# Builds the loader fixtures and records what LLVM and bpftool say about them. The loader tests
# compare the loader's output with these texts, never with the loader's own output.
#
#   sh test/goldens/loader/record.sh        (from anywhere; needs clang-19, llvm-19, bpftool)
#
# Objects:  test/goldens/loader/X.bpf.o   built here from X.bpf.c (goldens X.*.txt beside them)
#           progs/X.bpf.o                  the corpus objects themselves, as committed (goldens in
#                                          test/goldens/loader/progs/X.*.txt; no copies are kept:
#                                          progs/objects.sha256 notes the bytes the goldens describe,
#                                          and the loader tests fail when an object has changed since)
# For each object X.bpf.o:
#   X.readelf.txt  = llvm-readelf-19 -S -s -r X.bpf.o      (sections, symbols, relocations)
#   X.objdump.txt  = llvm-objdump-19 -d -r -l X.bpf.o      (instructions, relocations, DWARF lines)
#   X.btf.txt      = bpftool btf dump file X.bpf.o         (only objects with .BTF)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
cd "$here"
# X.bpf.o and stress/ (objects without goldens, too big to be worth recording): test/Makefile,
# the pinned build (nobtf and stress/ without -g).
make -s -C "$root/test" loader
record() { # object, golden prefix
  llvm-readelf-19 -S -s -r "$1" > "$2.readelf.txt"
  llvm-objdump-19 -d -r -l "$1" > "$2.objdump.txt"
  if llvm-readelf-19 -S "$1" | grep -q ' \.BTF '; then bpftool btf dump file "$1" > "$2.btf.txt"; else rm -f "$2.btf.txt"; fi
}
for o in *.bpf.o; do record "$o" "${o%.bpf.o}"; done
# The corpus: read from the repository root so llvm-objdump names the object progs/X.bpf.o; the
# goldens of an object no longer in progs/ go with it.
mkdir -p progs
rm -f progs/*.txt progs/objects.sha256
(cd "$root" && for o in progs/*.bpf.o; do record "$o" "$here/${o%.bpf.o}"; done)
(cd "$root/progs" && sha256sum *.bpf.o) > progs/objects.sha256
