#!/bin/sh
# Builds linked-regs.bpf.o (test/Makefile area verifier-linked, clang 19) and records the kernel's verdict, first error and
# processed count on each of its programs (../record-object.sh) into linked-regs.kernel.json.
# Needs root and libbpf.
#   cd test/goldens/verifier/linked && sh make-linked.sh
set -e
sh ../record-object.sh verifier-linked test/goldens/verifier/linked/linked-regs.bpf.o linked-regs.kernel.json
