#!/bin/sh
# Records the real kernel's answers (Linux 6.18, root) for test/kfuncs/: rebuilds the objects with
# the pinned clang, runs each program through the kernel oracle (TCXLAB_ORACLE, docs/kernel-oracle.md),
# and dumps the kfunc prototypes from /sys/kernel/btf/vmlinux (npm run record-goldens -- kfuncs).
set -e
cd "$(dirname "$0")"
ORACLE=${TCXLAB_ORACLE:?set TCXLAB_ORACLE to the kernel oracle (docs/kernel-oracle.md)}
make -s -C ../.. kfuncs   # every *.bpf.o here (test/Makefile, the pinned build)
for p in dynptr_skb_cases iter_cases misc_kfuncs; do
  "$ORACLE" run kfuncs.bpf.o "$p" packets.txt > "$p.out.json"
done
"$ORACLE" run weak.bpf.o weak_kfuncs packets.txt > weak_kfuncs.out.json
for p in meta_cases bits_cases str_cases str_long; do
  "$ORACLE" run kfuncs2.bpf.o "$p" packets.txt > "$p.out.json"
done
# Timers: three separate test runs, then N runs on one skb (--repeat). The map dump comes after.
for p in timer_0ns timer_1ns timer_1us timer_10us timer_100us timer_1ms timer_1s; do
  "$ORACLE" run kfuncs.bpf.o "$p" timer-packets.txt > "$p.out.json"
  for n in 2 100 10000; do
    "$ORACLE" run kfuncs.bpf.o "$p" timer-packets.txt --repeat "$n" > "$p.repeat$n.out.json"
  done
done
# The kernel refuses this object at load: keep the errno and the verifier's last message.
"$ORACLE" run refused.bpf.o dynptr_slice_rdwr packets.txt | python3 -c '
import json, sys
d = json.load(sys.stdin)
log = [l for l in d.get("libbpf_log", "").split("\n") if l.endswith("is not allowed")]
json.dump({"error": d.get("error"), "errname": d.get("errname"), "verifier": log[-1] if log else None}, sys.stdout)
print()' > refused.out.json
# libbpf refuses an extern whose prototype does not match the kernel's: keep its message.
"$ORACLE" run bad_proto.bpf.o bad_proto packets.txt | python3 -c '
import json, sys
d = json.load(sys.stdin)
log = [l for l in d.get("libbpf_log", "").split("\n") if "incompatible" in l]
json.dump({"error": d.get("error"), "errname": d.get("errname"), "libbpf": log[-1] if log else None}, sys.stdout)
print()' > bad_proto.out.json
python3 record-protos.py > kfunc-protos.json
