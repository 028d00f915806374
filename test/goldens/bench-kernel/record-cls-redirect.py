#!/usr/bin/env python3
"""Records the kernel's answers for the selftest program test_cls_redirect (test/bench/data) on
the frames of packets/cls_redirect.txt, for test/progs/cls-redirect.test.ts:

    sudo TCXLAB_ORACLE=/path/to/oracle python3 test/goldens/bench-kernel/record-cls-redirect.py

Writes cls_redirect.kernel.json: one `oracle run` per case, each in a new, empty network
namespace (`unshare --net`: the program looks up sockets, and none may match whatever listens on
the recording machine; tcxlab without a socket table finds none either). Cases: every frame of
cls_redirect.txt once (each its own test run, maps adding up), and each frame the per-packet
benchmark times (cr_*.txt) with --repeat 3 on the same skb, which shows the frame takes the same
path again on a changed skb. duration_ns (a timing) is dropped; everything else is kept.
"""
import datetime
import json
import os
import platform
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
ORACLE = os.environ.get("TCXLAB_ORACLE") or sys.exit("record-cls-redirect.py: set TCXLAB_ORACLE to the kernel oracle")
sys.path.insert(0, os.path.join(HERE, "packets"))
from gen_cls_redirect import ENCAP_SET, TIMED  # noqa: E402

OBJ = "test/bench/data/test_cls_redirect.bpf.o"
PK = "test/goldens/bench-kernel/packets"
SETS = ["--set", ".rodata", "00000000", ENCAP_SET]

CASES = [("all", ["run", OBJ, "cls_redirect", PK + "/cls_redirect.txt"] + SETS)]
for name in TIMED:
    CASES.append((name + ".repeat3", ["run", OBJ, "cls_redirect", "%s/%s.txt" % (PK, name), "--repeat", "3"] + SETS))


def main():
    if os.geteuid() != 0:
        sys.exit("record-cls-redirect.py: needs root (BPF_PROG_TEST_RUN, unshare)")
    cases = []
    for name, argv in CASES:
        p = subprocess.run(["unshare", "--net", ORACLE] + argv, cwd=ROOT, capture_output=True, text=True)
        out = json.loads(p.stdout)
        if "error" in out:
            sys.exit("%s: %s" % (name, out))
        for r in out["runs"]:
            r.pop("duration_ns", None)
        cases.append({"name": name, "argv": argv, "output": out})
        print("recorded %s: retvals %s" % (name, [r.get("retval_s32") for r in out["runs"]]))
    doc = {
        "about": "oracle run answers for test_cls_redirect (see record-cls-redirect.py); argv relative to "
                 "the repository root, each run in an empty network namespace; duration_ns dropped",
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "kernel": platform.release(),
        "cases": cases,
    }
    with open(os.path.join(HERE, "cls_redirect.kernel.json"), "w") as f:
        json.dump(doc, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
