/**
 * @fileoverview ns per packet through the emulated netdev: progs/bench_chain.bpf.o's three tcx
 * programs (chain_count, chain_mark, chain_filter; each returns TCX_NEXT) on veth0 ingress, then
 * the classic fallback chain_classic as a clsact/cls_bpf direct-action filter — the whole
 * sch_handle_ingress path with its trace, per engine.
 */
import { readFileSync } from 'node:fs';
import { Host } from '../../src/net/host.js';

const FRAME = Uint8Array.from(
  Buffer.from('02000000000202000000000108004500002000010000401166ca0a0000010a00000204d2162e000cf20270696e67', 'hex'),
);

export function runNetdevBenchmarks() {
  const bytes = new Uint8Array(readFileSync(new URL('../../progs/bench_chain.bpf.o', import.meta.url)));
  for (const engine of ['interp', 'jit']) {
    const host = new Host();
    const [veth0, veth0p] = host.addVeth('veth0', 'veth0p');
    veth0.up = true; // ip link set veth0 up (and its peer: a veth needs both ends up)
    veth0p.up = true;
    const obj = host.loadObject(bytes);
    for (const p of ['chain_count', 'chain_mark', 'chain_filter']) veth0.tcx('ingress').attach(obj.prog(p));
    veth0.tc.qdisc('clsact');
    veth0.tc.filter({ dir: 'ingress', prio: 1, prog: obj.prog('chain_classic'), da: true });
    const send = () => host.send(veth0, FRAME, { dir: 'ingress', engine });
    const first = send();
    for (let i = 0; i < 2000; i++) send(); // warm-up (and JIT compile)
    const n = 20000;
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < n; i++) send();
    const ns = Number(process.hrtime.bigint() - t0) / n;
    const hook = first.events.find((e) => e.kind === 'hook');
    const ran = hook ? `${hook.tcx.length} tcx + ${hook.classic?.runs.length ?? 0} classic runs` : 'no hook';
    const fate = `${first.fate.kind}${first.fate.reason ? ` ${first.fate.reason}` : ''}, ${ran}`;
    console.log(`netdev chain (3 tcx + 1 cls_bpf, veth0 ingress) [${engine}]: ${ns.toFixed(0)} ns/packet = ${(1e9 / ns / 1e6).toFixed(3)} M packets/s (${n} packets; fate: ${fate})`);
  }
}
