# Sourced by the build scripts of the Linux 6.12 selftest objects under test/corpus/
# (verifier-selftests/build.sh, exceptions/build.sh): unpacks Debian's linux-source-6.12 (or uses
# KSRC), builds libbpf 1.5 of that tree into WORK (its headers for the programs, its static library
# for the recorders), and lays out the staging tree at a fixed path with vmlinux.h of the running
# kernel. Leaves KSRC, LIBBPF, STAGE, SELF and the selftests' CFLAGS set; pinned to clang 19.
# Test data tooling only; not part of the npm package.
WORK=${WORK:-/tmp/tcxlab-vcorpus}
CLANG=${CLANG:-clang-19}
TARBALL=${TARBALL:-/usr/src/linux-source-6.12.tar.xz}
mkdir -p "$WORK"

"$CLANG" --version | head -1 | grep -q 'clang version 19\.' || { echo "need clang 19 ($CLANG)" >&2; exit 1; }

if [ -z "${KSRC:-}" ]; then
  KSRC=$WORK/linux-source-6.12
  if [ ! -d "$KSRC/tools/testing/selftests/bpf" ]; then
    echo "unpacking $TARBALL" >&2
    tar -C "$WORK" -xJf "$TARBALL" linux-source-6.12/tools linux-source-6.12/include/uapi \
      linux-source-6.12/scripts/bpf_doc.py linux-source-6.12/LICENSES/preferred/GPL-2.0 linux-source-6.12/COPYING
  fi
fi
KSRC=$(cd "$KSRC" && pwd)

# libbpf 1.5 of the same tree: its headers (bpf_helpers.h, the generated bpf_helper_defs.h, ...)
# for the programs, its static library for the recorder. Built out of tree.
LIBBPF=$WORK/libbpf-root
if [ ! -f "$LIBBPF/usr/lib64/libbpf.a" ] && [ ! -f "$LIBBPF/usr/lib/libbpf.a" ]; then
  mkdir -p "$WORK/libbpf"
  make -s -C "$KSRC/tools/lib/bpf" OUTPUT="$WORK/libbpf/" BUILD_STATIC_ONLY=1 DESTDIR="$LIBBPF" prefix=/usr install >&2
fi

# Compile in a staging tree at a fixed path: clang's output (even the order of BTF types) can
# depend on the paths it was given, so the objects are the same wherever KSRC and WORK are.
STAGE=/tmp/tcxlab-vcorpus-stage
rm -rf "$STAGE"
mkdir -p "$STAGE/linux-6.12/tools/testing/selftests" "$STAGE/linux-6.12/tools/lib" "$STAGE/include/bpf"
cp -r "$KSRC/tools/testing/selftests/bpf" "$STAGE/linux-6.12/tools/testing/selftests/"
cp -r "$KSRC/tools/include" "$STAGE/linux-6.12/tools/"
cp -r "$KSRC/tools/lib/bpf" "$STAGE/linux-6.12/tools/lib/"
cp "$LIBBPF"/usr/include/bpf/*.h "$STAGE/include/bpf/"
# vmlinux.h of the running kernel (not committed: several MB, and regenerated here).
bpftool btf dump file /sys/kernel/btf/vmlinux format c > "$STAGE/include/vmlinux.h"
SELF=$STAGE/linux-6.12/tools/testing/selftests/bpf

SYS_INC=$("$CLANG" -v -E - </dev/null 2>&1 | sed -n '/<...> search starts here:/,/End of search list./{ s| \(/.*\)|-idirafter \1|p }')
CFLAGS=(-g -Wall -D__TARGET_ARCH_x86 -mlittle-endian
  -I"$STAGE/include" -I"$SELF" -I"$SELF/progs" -I"$STAGE/linux-6.12/tools/include/uapi"
  -Wno-compare-distinct-pointer-types -DENABLE_ATOMICS_TESTS
  -ffile-prefix-map="$STAGE"/= -fno-ident)
# shellcheck disable=SC2206
CFLAGS+=($SYS_INC)
