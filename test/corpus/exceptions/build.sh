#!/bin/bash
# Builds exceptions.bpf.o from the Linux 6.12 BPF selftest progs/exceptions.c (BPF exceptions:
# bpf_throw, exception callbacks, bpf_assert) exactly as test/corpus/verifier-selftests/build.sh
# builds the verifier selftests (the same tree, staging and flags: ../selftests-tree.sh), and
# copies the source to exceptions.c here (GPL-2.0: see LICENSE; test data, not part of the npm
# package). The object is byte-identical on rebuild. The kernel's retvals:
# test/goldens/exceptions/record.sh.
#
#   bash test/corpus/exceptions/build.sh      # unpacks /usr/src/linux-source-6.12.tar.xz
#   KSRC=/path/to/linux-6.12 bash test/corpus/exceptions/build.sh
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/../selftests-tree.sh"
mkdir -p "$STAGE/out"
(cd "$SELF/progs" && "$CLANG" "${CFLAGS[@]}" -O2 --target=bpf -mcpu=v3 -c exceptions.c -o "$STAGE/out/exceptions.bpf.o")
cp "$STAGE/out/exceptions.bpf.o" "$HERE/"
cp "$SELF/progs/exceptions.c" "$HERE/"
echo "built $HERE/exceptions.bpf.o" >&2
