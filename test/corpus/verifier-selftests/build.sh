#!/bin/bash
# Builds the Linux 6.12 BPF verifier selftests that hold tc (sched_cls) or socket (socket_filter)
# programs into objects, as the selftests' Makefile builds progs/ for test_progs:
#   clang -g -Wall -D__TARGET_ARCH_x86 -mlittle-endian -I<libbpf headers> -I<selftests/bpf>
#         -I<tools/include/uapi> -idirafter <clang's host system includes>
#         -Wno-compare-distinct-pointer-types -DENABLE_ATOMICS_TESTS -O2 --target=bpf -mcpu=v3
# Differences from the Makefile: no -Werror (clang 19 warns on a few 6.12 sources), vmlinux.h is
# generated from the running kernel's BTF (the Makefile uses the BTF of the kernel it builds),
# and file prefixes are mapped so the objects do not depend on the build directories.
#
# Test data only (GPL-2.0, see LICENSE here); not part of the npm package.
#
#   bash test/corpus/verifier-selftests/build.sh             # unpack /usr/src/linux-source-6.12.tar.xz
#   KSRC=/path/to/linux-6.12 bash .../build.sh              # use an unpacked tree instead
#
# Writes: obj/*.bpf.o (one per source file), src/ (the sources and headers each object was built
# from, as paths of the kernel tree), manifest.json (tool versions, built files, skipped files).
# Pinned: clang 19, Debian's linux-source-6.12 (the tarball's version is recorded in manifest.json);
# libbpf's headers and the recorder's libbpf come from the same tree (tools/lib/bpf, libbpf 1.5).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/../selftests-tree.sh"

# Files with test_loader annotations and at least one program libbpf loads as sched_cls
# ("tc", "tc/…", "tcx/…", "classifier", "action") or socket_filter ("socket"); "?" = not autoloaded.
SEC_RE='SEC\("\??(tc|tc/[a-z]+|tcx/[a-z]+|classifier|action|socket)"\)'
mapfile -t FILES < <(cd "$SELF/progs" && grep -lE '__(success|failure)\b' ./*.c | xargs grep -lE "$SEC_RE" | sed 's|^\./||' | sort)
# Loop and iterator tests annotated for tracing types: none needs a tracing context to be judged,
# so test/goldens/verifier/make-loops.sh loads each of their programs as sched_cls.
LOOP_FILES=(iters.c iters_looping.c iters_state_safety.c verifier_loops1.c)
mapfile -t FILES < <(printf '%s\n' "${FILES[@]}" "${LOOP_FILES[@]}" | sort -u)

rm -rf "$HERE/obj" "$HERE/src"
mkdir -p "$HERE/obj" "$HERE/src"
# Outputs at fixed paths too (clang's argv is then the same in every checkout), copied to obj/.
DEPS=$STAGE/deps OUT=$STAGE/out
mkdir -p "$DEPS" "$OUT"
built=() skipped=()
for f in "${FILES[@]}"; do
  name=${f%.c}
  if (cd "$SELF/progs" && "$CLANG" "${CFLAGS[@]}" -O2 --target=bpf -mcpu=v3 -MD -MF "$DEPS/$name.d" \
        -c "$f" -o "$OUT/$name.bpf.o") 2>"$DEPS/$name.err"; then
    cp "$OUT/$name.bpf.o" "$HERE/obj/"
    built+=("$name")
  else
    skipped+=("$name	$(grep -m1 'error:' "$DEPS/$name.err" | sed 's|.*error: ||')")
  fi
done

# The sources and headers of the built objects, at their kernel-tree paths. libbpf headers come
# from tools/lib/bpf (bpf_helper_defs.h is generated from include/uapi/linux/bpf.h: not copied).
for name in "${built[@]}"; do
  sed -e 's/^[^:]*://' -e 's/\\$//' "$DEPS/$name.d" | tr ' ' '\n' | grep -v '^$'
done | sort -u | while read -r dep; do
  case "$dep" in
    /*) abs=$dep ;;
    *) abs=$SELF/progs/$dep ;;
  esac
  abs=$(realpath -m "$abs")
  case "$abs" in
    "$STAGE"/linux-6.12/*) rel=${abs#"$STAGE"/linux-6.12/} ;;
    "$STAGE"/include/bpf/*) rel=tools/lib/bpf/${abs##*/}; abs=$STAGE/linux-6.12/$rel ;;
    *) continue ;;
  esac
  [ -f "$abs" ] || continue
  mkdir -p "$HERE/src/$(dirname "$rel")"
  cp "$abs" "$HERE/src/$rel"
done

{
  echo '{'
  echo "  \"clang\": \"$("$CLANG" --version | head -1)\","
  echo "  \"linux_source\": \"$(dpkg-query -W -f='${Package} ${Version}' linux-source-6.12 2>/dev/null || echo unknown)\","
  echo "  \"vmlinux_btf\": \"$(uname -r)\","
  echo "  \"cflags\": \"-O2 --target=bpf -mcpu=v3 -g -Wall -D__TARGET_ARCH_x86 -mlittle-endian -Wno-compare-distinct-pointer-types -DENABLE_ATOMICS_TESTS\","
  echo '  "built": ['
  for i in "${!built[@]}"; do
    sep=,; [ "$i" -eq $((${#built[@]} - 1)) ] && sep=
    echo "    \"${built[$i]}\"$sep"
  done
  echo '  ],'
  echo '  "skipped": ['
  for i in "${!skipped[@]}"; do
    sep=,; [ "$i" -eq $((${#skipped[@]} - 1)) ] && sep=
    n=${skipped[$i]%%	*}; why=${skipped[$i]#*	}
    printf '    { "file": "%s", "error": "%s" }%s\n' "$n" "$(printf '%s' "$why" | sed 's/["\\]/\\&/g')" "$sep"
  done
  echo '  ]'
  echo '}'
} > "$HERE/manifest.json"
echo "built ${#built[@]} objects, skipped ${#skipped[@]} (see manifest.json)" >&2
