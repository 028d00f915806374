#!/bin/sh
# Builds spin-lock.bpf.o (test/Makefile area verifier-spinlock, clang 19) and records the kernel's
# verdict, first error and processed count on each of its programs (../record-object.sh) into
# spin-lock.kernel.json. Needs root and libbpf.
#   cd test/goldens/verifier/spinlock && sh make-spinlock.sh
set -e
sh ../record-object.sh verifier-spinlock test/goldens/verifier/spinlock/spin-lock.bpf.o spin-lock.kernel.json
