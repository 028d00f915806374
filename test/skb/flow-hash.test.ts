/**
 * skb->hash from the flow keys (src/skb/flow-hash.ts) against the kernel: test/goldens/flowhash
 * (record.sh: bpf_get_hash_recalc over packets.txt on Linux 6.18). The kernel's SipHash key is
 * random per boot, so its values cannot be matched; which frames share a hash can, and must.
 * With a known key, the hash is checked against flow_keys bytes laid out by hand from the kernel's
 * struct (docs/flow-hash.md) and the project's SipHash-2-4 (checked against the paper's vector).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Collection } from '../../src/collection.js';
import { siphash24 } from '../../src/helpers/syncookie.js';
import { DEFAULT_FLOW_HASH_KEY, type FlowHashKey } from '../../src/skb/flow-hash.js';
import { ENGINES, type Engine } from '../../vm/engine.js';

const dir = new URL('../goldens/flowhash/', import.meta.url);
const obj = new Uint8Array(readFileSync(new URL('hash.bpf.o', dir)));
const kernel = JSON.parse(readFileSync(new URL('hash.out.json', dir), 'utf8'));
const lines = readFileSync(new URL('packets.txt', dir), 'utf8').split('\n');
const named: { name: string; frame: Uint8Array }[] = [];
for (let i = 1; i < lines.length; i++) {
  if (lines[i].startsWith('# ') && lines[i + 1] && !lines[i + 1].startsWith('#')) {
    named.push({ name: lines[i].slice(2), frame: Uint8Array.from(Buffer.from(lines[i + 1], 'hex')) });
  }
}

/** For each frame, the index of the first frame with the same hash. */
const classes = (hashes: number[]): number[] => hashes.map((h) => hashes.indexOf(h));

function ourHashes(engine: Engine, key?: FlowHashKey): number[] {
  const c = Collection.load(obj, { engine, flowHashKey: key });
  return named.map(({ frame }) => {
    const r = c.run('flow_hash', frame);
    expect(r.fault).toBeUndefined();
    return r.retval!;
  });
}

describe('flow hash: the frames the kernel hashes alike, we hash alike', () => {
  it('the golden covers every frame, all hashed', () => {
    expect(named.length).toBe(kernel.runs.length);
    expect(kernel.runs.every((r: any) => r.err === 0 && r.retval !== 0)).toBe(true);
  });
  const kclasses = classes(kernel.runs.map((r: any) => r.retval));
  it.each(ENGINES)('%s: same partition as the kernel, frame by frame', (engine) => {
    const ours = classes(ourHashes(engine));
    for (let i = 0; i < named.length; i++) expect([named[i].name, ours[i]]).toEqual([named[i].name, kclasses[i]]);
  });
  it('another key changes every value but not the partition', () => {
    const a = ourHashes('interp');
    const b = ourHashes('interp', [1n, 2n]);
    expect(classes(b)).toEqual(classes(a));
    expect(b.filter((h, i) => h === a[i])).toEqual([]);
  });
});

describe('flow hash with a known key: the kernel algorithm, derived independently', () => {
  /** struct flow_keys from `basic` (offset 8) to the end of the IPv4 addresses: 48 bytes. */
  function v4Keys(proto: number, sport: number, dport: number, src: number[], dst: number[]): Uint8Array {
    const k = new Uint8Array(48);
    const dv = new DataView(k.buffer);
    dv.setUint16(0, 0x0800, false); // basic.n_proto (big-endian), ip_proto, padding
    k[2] = proto;
    // tags (4), vlan (8), cvlan (8), keyid (4): zero; ports at 36 - 8 = 28, icmp 32, addrs 36
    // __flow_hash_consistentify: addresses and ports ordered as little-endian words
    const le32 = (b: number[]): number => (b[0] | (b[1] << 8) | (b[2] << 16) | (b[3] << 24)) >>> 0;
    const [s, d] = le32(dst) < le32(src) ? [dst, src] : [src, dst];
    const sw = (p: number): number => ((p & 0xff) << 8) | (p >> 8); // be16 read as le16
    const [ps, pd] = sw(dport) < sw(sport) ? [dport, sport] : [sport, dport];
    dv.setUint16(28, ps, false);
    dv.setUint16(30, pd, false);
    k.set(s, 36);
    k.set(d, 40);
    return k;
  }
  const hashOf = (keys: Uint8Array, key: FlowHashKey): number => {
    const h = Number(siphash24(keys, key[0], key[1]) & 0xffffffffn);
    return h === 0 ? 1 : h;
  };
  it.each<[string, number, FlowHashKey]>([
    ['v4-udp-a', 0, DEFAULT_FLOW_HASH_KEY],
    ['v4-udp-a reversed', 2, [0x1234n, 0xfeedfacecafebeefn]],
    ['v4-tcp same tuple as v4-udp-a', 5, [7n, 9n]],
  ])('%s', (_name, index, key) => {
    const c = Collection.load(obj, { flowHashKey: key });
    const r = c.run('flow_hash', named[index].frame);
    const proto = index === 5 ? 6 : 17;
    expect(r.retval).toBe(hashOf(v4Keys(proto, 1234, 5678, [10, 0, 0, 1], [10, 0, 0, 2]), key));
    // an L4 hash (ports were found), kept as the skb's software hash
    expect(r.state?.skb.l4Hash).toBe(true);
    expect(r.state?.skb.swHash).toBe(true);
  });
});

describe('flow hash on the emulated netdev', () => {
  it('a program on veth0 ingress sees the hash a test run sees, for every golden frame', async () => {
    const { Host } = await import('../../src/net/host.js');
    const host = new Host();
    const [veth0] = host.addVeth('veth0', 'veth1');
    veth0.up = true;
    const o = host.loadObject(obj, { objectName: 'hash' });
    veth0.tcx('ingress').attach(o.program('flow_hash'));
    const viaRun = ourHashes('interp');
    named.forEach(({ name, frame }, i) => {
      const t = host.receive(veth0, frame);
      const hook = t.events.find((e: { kind: string }) => e.kind === 'hook') as unknown as { tcx: { ret: number }[] };
      expect([name, hook.tcx[0].ret >>> 0]).toEqual([name, viaRun[i]]);
    });
  });
});
