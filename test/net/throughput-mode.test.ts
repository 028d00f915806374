/**
 * SendOptions.trace 'off' (throughput mode, src/net/datapath.ts): no events and reused skbs, but
 * the same fates, frames, metadata, printk and map contents as a fully traced send, packet by
 * packet, under both engines. Two identical hosts get the same frames, one with each mode.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Host } from '../../src/net/host.js';
import type { LoadedObject } from '../../src/net/datapath.js';
import type { NetDevice } from '../../src/net/device.js';
import { udpFrame } from '../../src/net/scenario.js';
import type { NetTrace } from '../../src/net/trace.js';
import { TC_ACT } from '../../src/uapi.js';
import { lab } from './net-helpers.js';
import { ENGINES } from '../../vm/engine.js';

const CHAIN = readFileSync(join(__dirname, '..', '..', 'progs', 'bench_chain.bpf.o'));

function chainHost(): { host: Host; veth0: NetDevice; obj: LoadedObject } {
  const host = new Host();
  const [veth0, peer] = host.addVeth('veth0', 'veth0p');
  veth0.up = peer.up = true;
  const obj = host.loadObject(CHAIN);
  for (const p of ['chain_count', 'chain_mark', 'chain_filter']) veth0.tcx('ingress').attach(obj.program(p));
  veth0.tc.qdisc('clsact');
  veth0.tc.filter({ dir: 'ingress', prio: 1, prog: obj.program('chain_classic'), da: true });
  return { host, veth0, obj };
}

/** What a send decided, with the frame copied out (a throughput-mode frame is a view). */
function summary(t: NetTrace): string {
  return JSON.stringify({
    fates: t.fates.map((f) => ({ pkt: f.pkt, kind: f.kind, dev: f.dev, reason: f.reason, frame: Buffer.from(f.frame).toString('hex'), mark: f.mark, tcIndex: f.tcIndex, priority: f.priority })),
    xmit: t.xmitStatus,
    printk: t.printk,
  });
}

const dump = (obj: LoadedObject, map: string): string => JSON.stringify(obj.collection.map(map).dumpJson());

/** Frames of several kinds and sizes (IPv4 UDP with different TOS, a short frame, IPv6, ARP). */
function frames(): Uint8Array[] {
  const v4 = udpFrame('10.0.0.1:1234', '10.0.0.2:5678');
  const tos = v4.slice();
  tos[15] = 0xb8; // DSCP 46
  const short = v4.slice(0, 40);
  const v6 = new Uint8Array(14 + 40 + 8);
  v6.set(v4.subarray(0, 12));
  v6[12] = 0x86;
  v6[13] = 0xdd;
  v6[14] = 0x60;
  const arp = new Uint8Array(42);
  arp.set(v4.subarray(0, 12));
  arp[12] = 0x08;
  arp[13] = 0x06;
  const long = new Uint8Array(v4.length + 100);
  long.set(v4);
  return [v4, tos, short, v4, v6, arp, long, long, tos, v4];
}

describe('throughput mode (trace off) decides as a traced send', () => {
  for (const engine of ENGINES) {
    it(`bench_chain, 3 tcx + cls_bpf, frame by frame [${engine}]`, () => {
      const a = chainHost();
      const b = chainHost();
      for (const f of frames()) {
        const full = a.host.send(a.veth0, f, { dir: 'ingress', engine });
        const off = b.host.send(b.veth0, f, { dir: 'ingress', engine, trace: 'off' });
        expect(full.events.length).toBeGreaterThan(0);
        expect(off.events).toEqual([]);
        expect(summary(off)).toBe(summary(full));
      }
      expect(dump(b.obj, 'chain_stats')).toBe(dump(a.obj, 'chain_stats'));
      // chain_mark marked the IPv4 frames, chain_classic copied the mark into tc_index.
      const t = b.host.send(b.veth0, frames()[1], { dir: 'ingress', engine, trace: 'off' });
      expect(t.fate).toMatchObject({ kind: 'stack', mark: 0x100 | (0xb8 >> 2), tcIndex: 0x100 | (0xb8 >> 2) });
    });

    it(`redirects through the peer and a recursion-limited egress loop [${engine}]`, () => {
      const run = (trace: 'full' | 'off'): string[] => {
        const l = lab();
        l.redirect(0, 1, l.veth0.ifindex);
        l.ret(0, TC_ACT.TC_ACT_REDIRECT);
        l.veth0.tcx('ingress').attach(l.obj.program('v0'));
        l.veth0.tcx('egress').attach(l.obj.program('v6'));
        l.veth1.tcx('ingress').attach(l.obj.program('v5'));
        const out: string[] = [];
        for (let k = 0; k < 3; k++) out.push(summary(l.host.receive(l.veth0, l.frame, { engine, trace })));
        out.push(JSON.stringify(l.hits()));
        return out;
      };
      const full = run('full');
      expect(full[0]).toContain('"dev":"veth1"');
      expect(run('off')).toEqual(full);
    });
  }
});
