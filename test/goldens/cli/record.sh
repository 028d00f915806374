#!/bin/sh
# Builds the CLI hardening fixtures (test/Makefile: clang-19, as progs/Makefile) and records the kernel's
# answers with the oracle (root, Linux 6.18 when recorded): test/cli/hardening.test.ts compares.
#   TCXLAB_ORACLE=/path/to/oracle sh test/goldens/cli/record.sh   (or: npm run record-goldens -- cli)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
cd "$here"
make -s -C "$root/test" cli   # hostile.bpf.o, bigbss.bpf.o (the pinned build)
cp "$root/test/goldens/run/packets/one_ipv4.txt" one.txt
sed -n 3p one.txt | xxd -r -p > one.bin   # the frame as bytes, for bpftool-style data_in
# long.bin: 65,546 x "r0 += 1" then exit, raw bytecode over the JIT's size limit (JIT_MAX_INSNS)
python3 -c 'import sys; sys.stdout.buffer.write(bytes([7,0,0,0,1,0,0,0]) * 65546 + bytes([0x95] + [0] * 7))' > long.bin
# slot 99,999,999 (little-endian ffe0f505) empty, then holding leaf
"${TCXLAB_ORACLE:?set TCXLAB_ORACLE to the kernel oracle (docs/kernel-oracle.md)}" run hostile.bpf.o hostile one.txt > hostile.out.json
"$TCXLAB_ORACLE" run hostile.bpf.o hostile one.txt --set jt ffe0f505 @leaf --max-entries 4 > hostile-set.out.json
"$TCXLAB_ORACLE" run bigbss.bpf.o bigbss one.txt --max-entries 1 > /dev/null && echo "bigbss: loads and runs"
uname -r > kernel.txt
