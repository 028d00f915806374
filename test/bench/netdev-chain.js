/**
 * @fileoverview Packets through the emulated netdev: progs/bench_chain.bpf.o's three tcx
 * programs (chain_count, chain_mark, chain_filter; each returns TCX_NEXT) on veth0 ingress, then
 * the classic fallback chain_classic as a clsact/cls_bpf direct-action filter — the whole
 * sch_handle_ingress path, per engine, with the full per-packet trace and in throughput mode
 * (SendOptions.trace 'off'). Reports wall ns and CPU ns per packet, packets per second, and the
 * GCs and heap growth over the timed packets. Then a soak run in throughput mode (JIT, default
 * 10,000,000 packets): RSS and heap at ten checkpoints, to show they stay flat, and the GCs.
 *
 *   node --import tsx test/bench/netdev-chain.js [packets] [soak packets]
 */
import { readFileSync } from 'node:fs';
import { countGcs } from './gc-count.js';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Host } from '../../src/net/host.js';

const FRAME = Uint8Array.from(
  Buffer.from('02000000000202000000000108004500002000010000401166ca0a0000010a00000204d2162e000cf20270696e67', 'hex'),
);

function chain(bytes) {
  const host = new Host();
  const [veth0, veth0p] = host.addVeth('veth0', 'veth0p');
  veth0.up = true; // ip link set veth0 up (and its peer: a veth needs both ends up)
  veth0p.up = true;
  const obj = host.loadObject(bytes);
  for (const p of ['chain_count', 'chain_mark', 'chain_filter']) veth0.tcx('ingress').attach(obj.program(p));
  veth0.tc.qdisc('clsact');
  veth0.tc.filter({ dir: 'ingress', prio: 1, prog: obj.program('chain_classic'), da: true });
  return { host, veth0 };
}

/** One configuration: `n` timed packets after a warm-up; GC entries arrive late, hence async. */
async function measure(bytes, engine, trace, n) {
  const { host, veth0 } = chain(bytes);
  const send = () => host.send(veth0, FRAME, { dir: 'ingress', engine, trace });
  const first = send();
  for (let i = 0; i < 5000; i++) send(); // warm-up (and JIT compile)
  const { gcs, stop: stopGcs } = await countGcs();
  const h0 = process.memoryUsage().heapUsed;
  const c0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) send();
  const wall = Number(process.hrtime.bigint() - t0) / n;
  const c = process.cpuUsage(c0);
  const heap = process.memoryUsage().heapUsed - h0;
  await stopGcs();
  const hook = first.events.find((e) => e.kind === 'hook');
  const ran = hook ? `${hook.tcx.length} tcx + ${hook.classic?.runs.length ?? 0} classic runs` : trace === 'off' ? 'hooks not traced' : 'no hook';
  return { wall, cpu: ((c.user + c.system) * 1000) / n, gcs, heap, fate: `${first.fate.kind}${first.fate.reason ? ` ${first.fate.reason}` : ''}`, ran };
}

/** A full garbage collection (the live heap is heapUsed right after it). */
function fullGc() {
  setFlagsFromString('--expose-gc');
  runInNewContext('gc')();
}

/**
 * `n` packets in throughput mode after a warm-up, in ten slices: RSS and heap used after each
 * (MiB; heap used includes garbage not yet collected), the live heap before and after (after a
 * full GC, outside the GC count), GCs (minor and major) and CPU ns per packet over all of them.
 */
async function soak(bytes, engine, n) {
  const { host, veth0 } = chain(bytes);
  const opts = { dir: 'ingress', engine, trace: 'off' };
  for (let i = 0; i < 20_000; i++) host.send(veth0, FRAME, opts);
  fullGc();
  const live0 = process.memoryUsage().heapUsed;
  const { gcs, stop: stopGcs } = await countGcs();
  const mib = (b) => b / 1048576;
  const start = process.memoryUsage();
  const rss = [];
  const heap = [];
  let cpu = 0;
  const slice = Math.ceil(n / 10);
  for (let done = 0; done < n; ) {
    const k = Math.min(slice, n - done);
    const c0 = process.cpuUsage();
    for (let i = 0; i < k; i++) host.send(veth0, FRAME, opts);
    const c = process.cpuUsage(c0);
    cpu += c.user + c.system;
    done += k;
    const m = process.memoryUsage();
    rss.push(mib(m.rss));
    heap.push(mib(m.heapUsed));
    // let the GC observer's entries in (they are delivered asynchronously)
    await new Promise((r) => setImmediate(r));
  }
  await stopGcs();
  fullGc();
  const live = process.memoryUsage().heapUsed;
  return { cpu: (cpu * 1000) / n, gcs, rss0: mib(start.rss), heap0: mib(start.heapUsed), rss, heap, live0: mib(live0), live: mib(live) };
}

export async function runNetdevSoak(n = 10_000_000, log = console.log) {
  const bytes = new Uint8Array(readFileSync(new URL('../../progs/bench_chain.bpf.o', import.meta.url)));
  const m = await soak(bytes, 'jit', n);
  const f = (x) => x.toFixed(1);
  log(
    `netdev soak [jit, trace off]: ${n.toLocaleString('en')} packets, ${m.cpu.toFixed(0)} ns CPU/packet; ` +
      `RSS ${f(m.rss0)} MiB before, ${m.rss.map(f).join(' ')} MiB after each tenth (growth after the first tenth ${f(m.rss[m.rss.length - 1] - m.rss[0])} MiB); ` +
      `heap used ${f(m.heap0)} → ${m.heap.map(f).join(' ')} MiB; live heap ${m.live0.toFixed(2)} → ${m.live.toFixed(2)} MiB; ` +
      `${m.gcs.minor + m.gcs.major} GCs (${m.gcs.major} major, ` +
      `${(((m.gcs.minor + m.gcs.major) * 50_000) / n).toFixed(1)} per 50,000 packets)`,
  );
}

export async function runNetdevBenchmarks(n = 100_000, log = console.log) {
  const bytes = new Uint8Array(readFileSync(new URL('../../progs/bench_chain.bpf.o', import.meta.url)));
  for (const engine of ['interp', 'jit']) {
    for (const trace of ['full', 'off']) {
      const m = await measure(bytes, engine, trace, n);
      log(
        `netdev chain (3 tcx + 1 cls_bpf, veth0 ingress) [${engine}, trace ${trace}]: ${m.wall.toFixed(0)} ns/packet wall, ` +
          `${m.cpu.toFixed(0)} ns CPU = ${(1e3 / m.cpu).toFixed(3)} M packets/s per core; ${n} packets: ${m.gcs.minor + m.gcs.major} GCs ` +
          `(${m.gcs.major} major), heap ${(m.heap / 1024).toFixed(0)} KiB (fate: ${m.fate}, ${m.ran})`,
      );
    }
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await runNetdevBenchmarks(Number(process.argv[2] ?? 100_000));
  await runNetdevSoak(Number(process.argv[3] ?? 10_000_000));
}
