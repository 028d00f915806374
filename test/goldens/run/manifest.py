#!/usr/bin/env python3
"""The list of kernel goldens for progs/: writes manifest.json.

Each entry is one `oracle run` invocation; record.sh replays the manifest on
the real kernel and writes every output file. The runtime's tests replay the
same invocation through `tcxlab run` and compare with the recorded JSON.

    python3 test/goldens/run/manifest.py     # rewrites manifest.json
    sudo test/goldens/run/record.sh          # rewrites the *.json goldens
"""
import json
import os
import struct

HERE = os.path.dirname(os.path.abspath(__file__))
REL = "test/goldens/run"

# struct __sk_buff fields that BPF_PROG_TEST_RUN accepts in ctx_in (all other
# bytes must be zero): name -> (offset, size)
CTX_FIELDS = {
    "mark": (8, 4), "priority": (32, 4), "ingress_ifindex": (36, 4), "ifindex": (40, 4),
    "cb0": (48, 4), "cb1": (52, 4), "cb2": (56, 4), "cb3": (60, 4), "cb4": (64, 4),
    "tstamp": (152, 8), "wire_len": (160, 4), "gso_segs": (164, 4), "gso_size": (176, 4),
    "hwtstamp": (184, 8),
}


def ctx_hex(**fields):
    b = bytearray(192)
    for k, v in fields.items():
        off, size = CTX_FIELDS[k]
        b[off:off + size] = v.to_bytes(size, "little")
    return b.hex()


def le32(v):
    return struct.pack("<I", v).hex()


def lpm4(prefixlen, addr):
    """LPM trie key {u32 prefixlen (host order), u8 addr[4] (network order)}"""
    return le32(prefixlen) + bytes(int(x) for x in addr.split(".")).hex()


ENTRIES = []


def golden(obj, prog, packets, variant=None, ctx=None, ctx_out=False, sets=(),
           volatile=(), note="", cpu=0, load_error=False):
    name = "%s.%s%s" % (obj, prog, "." + variant if variant else "")
    args = ["run", "progs/%s.bpf.o" % obj, prog, "%s/packets/%s.txt" % (REL, packets)]
    ctxhex = None
    if ctx is not None:
        ctxhex = ctx_hex(**ctx)
        args += ["--ctx", ctxhex]
    elif ctx_out:
        args += ["--ctx-out"]
    for m, k, v in sets:
        args += ["--set", m, k, v]
    if cpu:
        args += ["--cpu", str(cpu)]
    ENTRIES.append({
        "name": name,
        "object": "progs/%s.bpf.o" % obj,
        "program": prog,
        "packets": "%s/packets/%s.txt" % (REL, packets),
        "ctx": ctxhex,
        "ctxFields": ctx,
        "ctxOut": bool(ctx is not None or ctx_out),
        "sets": [{"map": m, "key": k, "value": v} for m, k, v in sets],
        "cpu": cpu,
        "argv": args,
        "output": "%s/%s.json" % (REL, name),
        "volatile": list(volatile),
        "note": note,
        **({"loadError": True} if load_error else {}),
    })


FULL_CTX = dict(mark=0x80818283, priority=6, ingress_ifindex=9, ifindex=1, cb0=0x11111111,
                cb1=0x22222222, cb2=0x33333333, cb3=0x44444444, cb4=0x55555555,
                tstamp=123456789, wire_len=1600, gso_segs=3, gso_size=1400, hwtstamp=987654321)

# --- benchmarks -----------------------------------------------------------
golden("bench_parse", "bench_parse", "mixed")
golden("bench_fw", "bench_fw", "mixed", note="empty blocklist: everything passes")
golden("bench_fw", "bench_fw", "mixed", "blocked",
       sets=[("blocklist", lpm4(8, "10.0.0.0"), le32(1)),
             ("blocklist", lpm4(24, "192.0.2.0"), le32(1)),
             ("blocklist", lpm4(32, "10.1.2.3"), le32(0))],
       note="10/8 and 192.0.2/24 blocked, 10.1.2.3/32 explicitly allowed (longest prefix wins)")
golden("bench_nat", "bench_nat", "mixed")
golden("bench_nat", "bench_nat", "nat", "rodata", sets=[(".rodata", "00000000", "0a00fe0a1027")],
       note=".rodata override: nat_addr 10.254.0.10, nat_port_base 10000")
for p in ("chain_count", "chain_mark", "chain_filter", "chain_classic"):
    golden("bench_chain", p, "mixed", ctx_out=True)

# --- maps -----------------------------------------------------------------
MIM_IDS = ["maps.m_array_of_maps.entries[*][1]", "maps.m_hash_of_maps.entries[*][1]"]
golden("maps_btf", "maps_touch", "flows", volatile=MIM_IDS,
       sets=[("m_lpm", "180000000a000000", le32(0x77)), ("m_lpm", "200000000a000002", le32(0xdead))],
       note="m_lpm: 10.0.0.0/24 -> 0x77, 10.0.0.2/32 -> 0xdead (deletes the flow again)")
golden("maps_btf", "maps_touch", "mixed", "nolpm", volatile=MIM_IDS)
golden("maps_btf", "maps_touch", "mixed", "cpu1", volatile=MIM_IDS, cpu=1,
       note="pinned to CPU 1: per-CPU values land in the second column")
golden("maps_btf", "maps_queue_stack", "mixed", ctx_out=True, volatile=MIM_IDS,
       note="queue/stack contents are not dumped by the oracle; cb[] carries the results")
golden("maps_btf", "maps_in_maps", "mixed", volatile=MIM_IDS,
       note="outer map values are kernel map ids: compare only presence (non-null)")
golden("maps_btf", "maps_events", "mixed", ctx_out=True, volatile=MIM_IDS)

# --- global data, calls, tail calls, CO-RE, LD_ABS --------------------------
golden("globals", "globals_rw", "mixed", ctx_out=True)
golden("globals", "globals_rw", "mixed", "override", ctx_out=True,
       sets=[(".rodata", "00000000", le32(0x99) + "41424344"), (".data", "00000000", le32(1000))],
       note="cfg_mark 0x99, cfg_tag 'ABCD', seen_packets starts at 1000")
golden("globals", "globals_strings", "mixed", ctx_out=True)


def globals_cfg_rodata(slot=1, port=4789, small=-3, enabled=1, mode=1, delta=-5, name=b"tcx",
                       weights=(1, 2, 3, 4)):
    """progs/globals_cfg .rodata, laid out as its symbol table says (llvm-objdump -t)"""
    return (struct.pack("<IHbBI4xq", slot, port, small, enabled, mode, delta)
            + name.ljust(8, b"\0") + struct.pack("<4I", *weights)).hex()


golden("globals_cfg", "cfg_pick", "mixed", ctx_out=True)
golden("globals_cfg", "cfg_pick", "mixed", "config", ctx_out=True,
       sets=[(".rodata", "00000000", globals_cfg_rodata(slot=3, port=6080, small=-128, enabled=0, mode=2,
                                                        delta=-10000000000, name=b"vxlan",
                                                        weights=(100, 200, 300, 400))),
             (".rodata.config", "00000000", le32(7)), (".data", "00000000", le32(5000))],
       note="cfg_slot 3, ENCAP_PORT 6080, cfg_small -128, cfg_enabled 0, cfg_mode MODE_DROP, "
            "cfg_delta -10000000000, cfg_name 'vxlan', cfg_weights 100..400, cfg_limit 7, balance 5000")
golden("globals_cfg", "cfg_pick", "mixed", "slot0", ctx_out=True,
       sets=[(".rodata", "00000000", globals_cfg_rodata(slot=0, mode=0))],
       note="cfg_slot 0 (cb[0] = skb->len), MODE_PASS (mark untouched)")
golden("globals_cfg", "cfg_pick", "mixed", "badslot", ctx_out=True,
       sets=[(".rodata", "00000000", globals_cfg_rodata(slot=4))], load_error=True,
       note="cfg_slot 4: the frozen constant puts the stack read past table[]: the verifier refuses")
golden("calls", "calls_main", "mixed", ctx_out=True)
golden("calls", "calls_main", "mixed", "ctx", ctx=dict(mark=0xabcdef, priority=77))
golden("calls", "calls_other", "mixed", ctx_out=True)
PROG_IDS = ["maps.jump_table.entries[*][1]", "maps.loop_table.entries[*][1]"]
golden("tailcall", "tail_dispatch", "mixed", ctx_out=True, volatile=PROG_IDS,
       note="prog array values are kernel prog ids")
golden("tailcall", "tail_dispatch", "mixed", "default", ctx_out=True, volatile=PROG_IDS,
       sets=[("jump_table", "00000000", "@tail_default")])
golden("tailcall", "tail_loop", "mixed", ctx_out=True, volatile=PROG_IDS,
       note="cb[0] counts 1 + 33 tail calls (MAX_TAIL_CALL_CNT)")
golden("core", "core_fields", "mixed", ctx_out=True)
golden("core", "core_fields", "mixed", "ctx", ctx=dict(priority=41, mark=5))
golden("core", "core_read_ip", "mixed", ctx_out=True)
golden("core_vmlinux", "core_kernel_types", "one_ipv4",
       note="CO-RE on kernel-internal types (sk_buff, net_device, sock): needs the complete vmlinux BTF")
golden("core_vmlinux", "core_sctp_ports", "mixed", ctx_out=True)
DEVSETS = [("devs", "00000000", "01000000"), ("devh", "07000000", "0100000000000000")]
golden("maps_net", "maps_dev", "one_ipv4", sets=DEVSETS,
       note="devmap/devmap_hash filled from the host with ifindex 1 (lo), looked up by the program")
golden("maps_net", "maps_sock", "one_ipv4",
       note="empty sockmap/sockhash lookups and deletes, bpf_skb_under_cgroup on an empty cgroup array")
golden("maps_net", "maps_sk_storage", "one_ipv4",
       note="bpf_sk_storage_get/delete on skb->sk (the test run's socket)")
golden("maps_net", "maps_sk_table", "mixed",
       note="bpf_sk_lookup_tcp finds no socket on the oracle: nothing stored")
for p in ("ldabs_filter", "ldabs_words", "ldabs_asm", "ldabs_subprog"):
    golden("ldabs", p, "mixed", ctx_out=True)

# --- __sk_buff ------------------------------------------------------------
golden("skb_fields", "skb_read_all", "one_ipv4", note="no ctx: wire_len reads 0")
golden("skb_fields", "skb_read_all", "one_ipv4", "ctxout", ctx_out=True,
       note="zeroed ctx: wire_len reads len")
golden("skb_fields", "skb_read_all", "one_ipv4", "ctx", ctx=FULL_CTX)
golden("skb_fields", "skb_read_all", "one_arp", "arp", ctx_out=True)
golden("skb_fields", "skb_read_all", "one_vlan", "vlan", ctx_out=True)
golden("skb_fields", "skb_write_all", "mixed", "ctx", ctx=dict(cb0=0x12345678, cb1=7))
golden("skb_fields", "skb_write_all", "mixed", "qmap_ffff", ctx=dict(cb0=0xffff, cb1=0xffffffff),
       note="queue_mapping store of 0xffff is skipped by the kernel")
golden("skb_fields", "skb_narrow", "mixed", "ctx", ctx=dict(mark=0x80818283))
for p in ("sec_tcx_in_a", "sec_tcx_in_b", "sec_tcx_eg_a", "sec_tcx_eg_b", "sec_tc_a", "sec_tc_b",
          "sec_cls_a", "sec_cls_b", "sec_tc_ingress", "sec_tc_egress"):
    golden("sections", p, "one_ipv4", ctx_out=True)
golden("alu_v4", "alu_v4", "one_ipv4")
golden("alu_v4", "alu_v4", "one_arp", "arp")
golden("alu_v4", "alu_v4", "mixed", "mixed", ctx=dict(mark=0x80))

# --- applications ---------------------------------------------------------
DNAT = [("dnat_rules", "0a00000200500600", "0a000063901f0000"),
        ("dnat_rules", "0a000002162e1100", "0a0000641a0a0000")]
golden("nat", "nat_dnat", "nat", "rules", ctx_out=True, sets=DNAT,
       note="10.0.0.2:80/tcp -> 10.0.0.99:8080, 10.0.0.2:5678/udp -> 10.0.0.100:6666")
golden("nat", "nat_dnat", "nat", "norules", ctx_out=True)
golden("nat", "nat_snat", "nat", ctx_out=True)
golden("nat", "nat_snat", "mixed", "mixed", ctx_out=True)
golden("nat", "nat_icmp_id", "nat", ctx_out=True)
golden("vlan", "vlan_push", "mixed", ctx_out=True)
golden("vlan", "vlan_push", "mixed", "vid200", ctx=dict(cb0=200))
golden("vlan", "vlan_pop", "mixed", ctx_out=True)
golden("vlan", "vlan_push_pop", "mixed", ctx_out=True)
golden("encap", "encap_ipip", "mixed", ctx_out=True)
golden("encap", "decap_ipip", "mixed", ctx_out=True)
golden("encap", "adjust_room_probe", "mixed", ctx_out=True)
ALLOW = [("allow_src", lpm4(8, "10.0.0.0"), le32(1)), ("allow_src", lpm4(24, "172.16.0.0"), le32(1))]
golden("conntrack", "conntrack", "flows", "allow", sets=ALLOW,
       note="allow 10/8 and 172.16.0/24: 192.168.1.7 is denied; ct_recent (LRU, 4) evicts")
golden("conntrack", "conntrack", "flows", "deny_all", note="empty allow list: every new flow dropped")
EDT_CLASS = [("edt_class", le32(1), struct.pack("<QQ", 1000000, 0).hex()),
             ("edt_class", le32(2), struct.pack("<QQ", 100000, 0).hex())]
golden("edt", "edt_shape", "mixed", "prio1", ctx=dict(priority=1, tstamp=1000000000), sets=EDT_CLASS,
       note="1 MB/s class, now = ctx tstamp 1s; the 2 ms horizon drops the tail")
golden("edt", "edt_shape", "mixed", "prio2", ctx=dict(priority=2, tstamp=5000000000), sets=EDT_CLASS,
       note="100 kB/s class")
golden("edt", "edt_shape", "mixed", "unlimited", ctx=dict(priority=3, tstamp=7), sets=EDT_CLASS)
golden("edt", "edt_set_tstamp", "mixed", ctx=dict(tstamp=1000000000))
golden("logger", "log_ringbuf", "mixed", ctx_out=True,
       note="ring buffer contents are not dumped; cb[] carries query results")
golden("logger", "log_perf", "mixed", ctx_out=True, note="no perf event fd in the slots: -ENOENT")
golden("logger", "log_full", "mixed", ctx_out=True)

# --- negative fixtures: the kernel's refusal is the golden ------------------
golden("invalid_verifier", "bad_pkt_read", "one_ipv4", note="verifier rejects: EACCES")
golden("invalid_ctx_write", "bad_ctx_write", "one_ipv4", note="verifier rejects: EACCES")
golden("invalid_section", "invalid_unknown", "one_ipv4",
       note="libbpf 1.1 leaves the type unset; the oracle loads it as sched_cls")
golden("invalid_section", "invalid_neighbour_ok", "one_ipv4")

TRF_REASON = ("Cilium-style test groups (pktgen/setup/check chained on one skb): recorded by "
              "test/goldens/testsuite/record.sh instead of oracle run")
NOT_RECORDED = [
    {"object": "progs/trf_pass.bpf.o", "reason": TRF_REASON},
    {"object": "progs/trf_fail.bpf.o", "reason": TRF_REASON},
    {"object": "progs/trf_cgroup.bpf.o",
     "reason": "a tc test group beside a cgroup/connect4 program: a fixture of tcxlab's test "
               "runner (which leaves cgroup programs out), tested in test/testsuite/runner.test.ts"},
    {"object": "progs/legacy_maps.bpf.o",
     "reason": "libbpf >= 1.0 (the oracle uses 1.1) refuses SEC(\"maps\") legacy map definitions "
               "(EOPNOTSUPP at open); loader-only fixture"},
    {"object": "progs/iproute2_maps.bpf.o",
     "reason": "struct bpf_elf_map in SEC(\"maps\"): iproute2 format, refused by libbpf >= 1.0; "
               "loader-only fixture"},
]


def main():
    doc = {
        "format": 1,
        "about": "Kernel goldens for progs/: each entry is one `oracle run` call "
                 "(argv relative to the repo root, oracle from TCXLAB_ORACLE). "
                 "`output` holds the oracle's JSON, re-indented. `volatile` lists JSON paths "
                 "whose values are kernel-assigned ids (map ids in map-in-map values, prog ids "
                 "in prog arrays): compare presence, not value. Regenerate with record.sh.",
        "goldens": ENTRIES,
        "notRecorded": NOT_RECORDED,
    }
    with open(os.path.join(HERE, "manifest.json"), "w") as f:
        json.dump(doc, f, indent=1)
        f.write("\n")
    print("manifest.json: %d goldens" % len(ENTRIES))


if __name__ == "__main__":
    main()
