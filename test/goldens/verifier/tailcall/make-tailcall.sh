#!/bin/sh
# Builds tail-call.bpf.o (test/Makefile area verifier-tailcall, clang 19) and records the kernel's
# verdict, first error and processed count on each of its programs (../record-object.sh) into
# tail-call.kernel.json. Needs root and libbpf.
#   cd test/goldens/verifier/tailcall && sh make-tailcall.sh
set -e
sh ../record-object.sh verifier-tailcall test/goldens/verifier/tailcall/tail-call.bpf.o tail-call.kernel.json
