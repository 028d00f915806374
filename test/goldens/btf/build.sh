#!/bin/sh
# Rebuilds the BTF fixtures and records the external tools' view of them (the goldens).
#
#   sh test/goldens/btf/build.sh            (from the repo root; needs clang-19, llvm-19, bpftool, gcc and
#                                            libbpf-dev, root, and the kernel oracle in TCXLAB_ORACLE)
#
# For each src/NAME.bpf.c:
#   NAME.bpf.o         test/Makefile: clang-19 -O2 -g -target bpf (debug paths mapped to ".", reproducible)
#   NAME.btf           llvm-objcopy-19 --dump-section .BTF      (raw .BTF bytes)
#   NAME.btf.ext       llvm-objcopy-19 --dump-section .BTF.ext  (raw .BTF.ext bytes)
#   NAME.bpftool.txt   bpftool btf dump file NAME.bpf.o          (raw format: ids, kinds, names, sizes, offsets)
#   NAME.bpftool-c.txt bpftool btf dump file NAME.bpf.o format c
#   NAME.lines.txt     llvm-objdump-19 -d -l --no-show-raw-insn NAME.bpf.o (DWARF line table per instruction)
#   NAME.libbpf.txt    libbpf's own decisions (libbpf-record.c, libbpf 1.1 debug log): map definitions
#                      for every object; for core.bpf.o also a real load into the running kernel (root),
#                      whose log has every CO-RE decision ("relo #N: patched insn #I ... A -> B").
set -eu
oracle=${TCXLAB_ORACLE:?set TCXLAB_ORACLE to the kernel oracle (docs/kernel-oracle.md)}
cd "$(dirname "$0")"
for src in src/*.bpf.c; do
	name=$(basename "$src" .bpf.c)
	make -s -C ../.. "goldens/btf/$name.bpf.o"   # test/Makefile, the pinned build
	llvm-objcopy-19 --dump-section .BTF="$name.btf" --dump-section .BTF.ext="$name.btf.ext" "$name.bpf.o" /dev/null
	bpftool btf dump file "$name.bpf.o" > "$name.bpftool.txt"
	bpftool btf dump file "$name.bpf.o" format c > "$name.bpftool-c.txt"
	llvm-objdump-19 -d -l --no-show-raw-insn "$name.bpf.o" > "$name.lines.txt"
done
gcc -O1 -o /tmp/libbpf-record libbpf-record.c -lbpf
/tmp/libbpf-record types.bpf.o > types.libbpf.txt
llvm-objcopy-19 --dump-section tc=core.tc.bin core.bpf.o /dev/null
/tmp/libbpf-record core.bpf.o --load > core.libbpf.txt
grep -q '^load 0$' core.libbpf.txt
/tmp/libbpf-record poison.bpf.o --load > poison.libbpf.txt || true
# Layout facts of the running kernel for the built-in target BTF's root types (gen-target.ts ROOTS).
bpftool btf dump file /sys/kernel/btf/vmlinux | awk '
	/^\[/ { keep = ($2 == "STRUCT" || $2 == "ENUM") && index(" __sk_buff ethhdr iphdr ipv6hdr tcphdr udphdr icmphdr icmp6hdr vlan_hdr bpf_sock_tuple bpf_sock bpf_tunnel_key bpf_fib_lookup tcx_action_base bpf_func_id bpf_map_type bpf_prog_type bpf_attach_type ", " " substr($3, 2, length($3) - 2) " ") > 0 }
	keep { print }' > target.vmlinux.txt
# End to end: core.bpf.o run by the kernel (oracle run: libbpf load with CO-RE against vmlinux, then
# BPF_PROG_TEST_RUN on each packet, ctx with mark/priority/cb[3] set); its .bss holds out[0..31].
"$oracle" run core.bpf.o core_prog core.packets.txt --ctx "$(cat core.ctx.hex)" > core.oracle.json
