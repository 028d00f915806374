#!/usr/bin/env python3
"""Generates random tcx scripts (differential tests against the kernel).

    python3 gen.py          # rewrites rand_*.txt (fixed seeds: the same files every time)

Each script mixes attach/detach/link/update/close/pin/query with random flag and anchor
combinations on both directions of veth0 (and sometimes lo), plus the occasional device
delete/create. Raw ids are never used (they differ between kernel and emulator); raw fds are.
"""
import random

DIRS = ["ingress", "egress"]


def script(seed, nops=80):
    r = random.Random(seed)
    nprogs = r.randint(4, 10)
    out = [f"# random tcx script, seed {seed}", f"progs {nprogs}", "xdp-progs 1"]
    links = []
    pinned = set()
    closed_links = set()
    closed_progs = set()
    P = lambda: f"p{r.randint(1, nprogs)}" if r.random() > 0.03 else "x1"
    open_progs = lambda: [f"p{i}" for i in range(1, nprogs + 1) if f"p{i}" not in closed_progs] + ["x1"]

    def anchor():
        k = r.random()
        opts = []
        if k < 0.30:
            opts += ["rel", r.choice(open_progs())]
        elif k < 0.45:
            opts += ["rel-id", P()]
        elif k < 0.60 and links:
            l = r.choice(links)
            if l in closed_links:
                opts += ["rel-link-id", l]
            else:
                opts += [r.choice(["rel-link", "rel-link-id"]), l]
        elif k < 0.65:
            opts += ["rel-raw", str(r.choice([0, 1, 2, 3, 4, 5, 6, 7, 99]))]
        return opts

    def position():
        opts = []
        k = r.random()
        if k < 0.35:
            opts.append("before")
        elif k < 0.70:
            opts.append("after")
        elif k < 0.75:
            opts += ["before", "after"]
        if r.random() < 0.6:
            opts += anchor()
        if r.random() < 0.15:
            opts += ["rev", str(r.randint(0, 12))]
        if r.random() < 0.06:
            opts += ["flags", hex(r.choice([0x4, 0x20, 0x2000, 0x100, 0x40, 0x2020]))]
        return opts

    for _ in range(nops):
        d = r.choice(DIRS)
        k = r.random()
        if k < 0.28:
            p = r.choice(open_progs())
            opts = position()
            if r.random() < 0.15:
                opts += ["replace", r.choice(open_progs())]
            out.append(" ".join(["attach", d, p] + opts))
        elif k < 0.45:
            opts = position()
            if r.random() < 0.6:
                opts = [r.choice(open_progs())] + opts
            out.append(" ".join(["detach", d] + opts))
        elif k < 0.60:
            name = f"l{len(links) + 1}"
            out.append(" ".join(["link", d, r.choice(open_progs()), "as", name] + position()))
            links.append(name)  # a failed create leaves the name unused; later uses are script errors
        elif k < 0.68 and links:
            l = r.choice(links)
            opts = [l, r.choice(open_progs())]
            if r.random() < 0.3:
                opts += ["old", r.choice(open_progs())]
            out.append("link-update " + " ".join(opts))
        elif k < 0.72 and links:
            out.append(f"link-detach {r.choice(links)}")
        elif k < 0.76 and links:
            l = r.choice(links)
            out.append(f"link-close {l}")
            closed_links.add(l)
        elif k < 0.79 and links:
            l = r.choice(links)
            if l in pinned:
                out.append(f"link-unpin {l}")
                pinned.discard(l)
            else:
                out.append(f"link-pin {l}")
                pinned.add(l)
        elif k < 0.82 and links:
            out.append(f"link-info {r.choice(links)}")
        elif k < 0.84:
            p = f"p{r.randint(1, nprogs)}"
            out.append(f"prog-close {p}")
            closed_progs.add(p)
        elif k < 0.95:
            out.append(f"query {d}" if r.random() < 0.8 else f"query-small {d} {r.randint(0, 5)}")
        elif k < 0.965:
            out.append(r.choice(["target lo", "target veth0p", "target veth0", "target 3"]))
        elif k < 0.975:
            out.append("dev-delete")
        elif k < 0.985:
            out.append("dev-create")
    out += ["query ingress", "query egress"]
    return "\n".join(out) + "\n"


JUNK = ["attach", "detach", "link", "link-update", "link-detach", "link-close", "link-pin",
        "link-unpin", "link-info", "prog-close", "query", "query-small", "dev-delete",
        "dev-create", "target", "progs", "xdp-progs", "ingress", "egress", "p1", "p2", "p3", "x1",
        "l1", "l2", "as", "before", "after", "rel", "rel-id", "rel-link", "rel-link-id", "rel-fd",
        "rel-idof", "rel-raw", "replace", "rev", "flags", "old", "0", "1", "3", "7", "0x10",
        "0x2000", "010", "+5", "-1", "99999999999999999999", "0x", "lo", "veth0", "veth0p",
        "\u00e9", "\t", "#x", 'a"b', "back\\slash"]


def junk(seed, nlines=60):
    """Token soup: checks that the parser and its script-error messages match the oracle's."""
    r = random.Random(seed)
    lines = [f"progs 3", "xdp-progs 1", "link ingress p1 as l1"]
    for _ in range(nlines):
        lines.append(" ".join(r.choice(JUNK) for _ in range(r.randint(1, 7))))
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    for seed in range(1, 41):
        with open(f"rand_{seed:02d}.txt", "w") as f:
            f.write(script(seed))
    for seed in range(1, 9):
        with open(f"junk_{seed:02d}.txt", "w", encoding="utf-8") as f:
            f.write(junk(seed))
