#!/usr/bin/env python3
"""Times the benchmark programs in the real kernel (BPF_PROG_TEST_RUN,
JIT always on) through the oracle and writes kernel-timing.json.

    sudo TCXLAB_ORACLE=/path/to/oracle python3 test/goldens/bench-kernel/measure.py [REPEAT] [TRIALS]

Each program runs `oracle run OBJ PROG PACKETS --repeat REPEAT` TRIALS times;
the kernel reports duration_ns (the average ns per run over REPEAT runs on
the same skb, including the test-run loop overhead). The median trial is the
figure; all trials are kept. The first packet of the packet file is used.

The cls_redirect rows run the Linux BPF selftest test_cls_redirect (test/bench/data) with its
.rodata set as the selftest sets it (ENCAPSULATION_IP 127.0.0.1, ENCAPSULATION_PORT 1234). It
looks up sockets, so those rows run in a new, empty network namespace (`unshare --net`): every
lookup finds nothing, as in tcxlab without a socket table, whatever listens on this machine.
Their frames (packets/gen_cls_redirect.py) take the same path on every run on the same skb.
"""
import datetime
import json
import os
import platform
import statistics
import subprocess
import sys

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
ORACLE = os.environ.get("TCXLAB_ORACLE") or sys.exit("measure.py: set TCXLAB_ORACLE to the kernel oracle (docs/kernel-oracle.md)")
REPEAT = int(sys.argv[1]) if len(sys.argv) > 1 else 100000
TRIALS = int(sys.argv[2]) if len(sys.argv) > 2 else 7
PK = "test/goldens/bench-kernel/packets"
CR = "test/bench/data/test_cls_redirect.bpf.o"
CR_SET = ["--set", ".rodata", "00000000", "7f00000104d2"]  # gen_cls_redirect.py ENCAP_SET

BENCH = [
    ("baseline_trivial", "progs/sections.bpf.o", "sec_tc_a", PK + "/udp4.txt", [],
     "one ctx store and return: the per-run test_run loop overhead to subtract"),
    ("parse_drop_udp", "progs/bench_parse.bpf.o", "bench_parse", PK + "/udp4.txt", [],
     "Ethernet/IPv4/UDP frame: parsed and dropped (TC_ACT_SHOT)"),
    ("parse_pass_tcp", "progs/bench_parse.bpf.o", "bench_parse", PK + "/tcp4.txt", [],
     "Ethernet/IPv4/TCP frame: parsed and passed"),
    ("firewall_lpm", "progs/bench_fw.bpf.o", "bench_fw", PK + "/udp4.txt",
     ["--set", "blocklist", "080000000a000000", "01000000",
      "--set", "blocklist", "18000000c0000200", "01000000",
      "--set", "blocklist", "200000000a000001", "00000000"],
     "LPM lookup hits 10.0.0.1/32 (allow) under 10/8 (block); per-CPU counter"),
    ("nat_csum", "progs/bench_nat.bpf.o", "bench_nat", PK + "/tcp4.txt", [],
     "IPv4/TCP SNAT: 2x l4_csum_replace, l3_csum_replace, 2x skb_store_bytes"),
    ("chain_count", "progs/bench_chain.bpf.o", "chain_count", PK + "/tcp4.txt", [], "chain program 1 of 3"),
    ("chain_mark", "progs/bench_chain.bpf.o", "chain_mark", PK + "/tcp4.txt", [], "chain program 2 of 3"),
    ("chain_filter", "progs/bench_chain.bpf.o", "chain_filter", PK + "/tcp4.txt", [], "chain program 3 of 3"),
    ("chain_classic", "progs/bench_chain.bpf.o", "chain_classic", PK + "/tcp4.txt", [],
     "classic cls_bpf fallback behind the chain"),
    ("cr_gre_ttl0", CR, "cls_redirect", PK + "/cr_gre_ttl0.txt", CR_SET,
     "selftest cls_redirect: GUE to us, inner IPv4/TCP ACK parsed, bpf_skc_lookup_tcp (none), "
     "MAC swap, last hop by GRE with inner TTL 0: TC_ACT_SHOT"),
    ("cr_gre6_hl0", CR, "cls_redirect", PK + "/cr_gre6_hl0.txt", CR_SET,
     "selftest cls_redirect: GUE to us, inner IPv6 routing header walked, bpf_sk_lookup_udp (none), "
     "MAC swap, last hop by GRE with hop limit 0: TC_ACT_SHOT"),
    ("cr_icmp_reply", CR, "cls_redirect", PK + "/cr_icmp_reply.txt", CR_SET,
     "selftest cls_redirect: GUE to us, inner IPv4/ICMP echo reply refused: TC_ACT_SHOT"),
    ("cr_pass", CR, "cls_redirect", PK + "/cr_pass.txt", CR_SET,
     "selftest cls_redirect: IPv4/UDP not for us, the early return: TC_ACT_OK"),
]
# Rows that look up sockets: run in an empty network namespace.
PRIVATE_NETNS = {"cr_gre_ttl0", "cr_gre6_hl0", "cr_icmp_reply", "cr_pass"}


def cpu_model():
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor()


def run(obj, prog, packets, extra, netns):
    argv = [ORACLE, "run", obj, prog, packets, "--repeat", str(REPEAT)] + extra
    prefix = ["unshare", "--net"] if netns else []
    out = json.loads(subprocess.run(prefix + argv, cwd=ROOT, capture_output=True, text=True).stdout)
    r = out["runs"][0]
    if r["err"]:
        raise SystemExit("%s: %s" % (prog, r))
    return r["duration_ns"], r["retval_s32"], prefix + ["oracle"] + argv[1:]


def main():
    results = []
    for name, obj, prog, packets, extra, what in BENCH:
        trials, retval, argv = [], None, None
        for _ in range(TRIALS):
            d, retval, argv = run(obj, prog, packets, extra, name in PRIVATE_NETNS)
            trials.append(d)
        results.append({"name": name, "object": obj, "program": prog, "packets": packets,
                        "what": what, "retval": retval, "duration_ns": statistics.median(trials),
                        "trials_ns": trials, "command": " ".join(argv)})
        print("%-16s %4d ns (trials %s)" % (name, statistics.median(trials), trials))
    chain = [r for r in results if r["name"].startswith("chain_") and r["name"] != "chain_classic"]
    doc = {
        "about": "Kernel BPF_PROG_TEST_RUN duration_ns per run (x86-64 JIT), median of trials, "
                 "each trial the kernel's average over `repeat` runs of the first packet on the same "
                 "skb. Includes the test-run loop overhead per iteration (the program alone is "
                 "faster). Regenerate: sudo python3 test/goldens/bench-kernel/measure.py",
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "kernel": platform.release(),
        "machine": {"nproc": os.cpu_count(), "cpu_model": cpu_model(), "arch": platform.machine()},
        "oracle": os.path.basename(ORACLE),  # where it lives is the machine's business
        "repeat": REPEAT,
        "trials": TRIALS,
        "cpu": 0,
        "results": results,
        "chain_sum_ns": sum(r["duration_ns"] for r in chain),
        "chain_note": "sum of the three tcx programs timed separately; test_run cannot run a tcx "
                      "chain, so the dispatch cost between programs is not included",
    }
    with open(os.path.join(ROOT, "test/goldens/bench-kernel/kernel-timing.json"), "w") as f:
        json.dump(doc, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
