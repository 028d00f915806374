/**
 * Maps typed by BTF (src/maps/typed.ts, src/btf-value.ts) and snapshots (src/maps/snapshot.ts)
 * on test/goldens/bpftool/typed.bpf.o after `track` ran on each frame of typed-frames.txt, the
 * run record.sh made in the kernel: decoded values are checked against what the C program
 * stores for those frames, and the bytes behind them against bpftool's dump of the same maps.
 */
import { readFileSync } from 'node:fs';
import { beforeEach, describe, expect, it } from 'vitest';
import { ErrorCode, MapValueError } from '../../vm/errors.js';
import { buildPacket, diffSnapshots, eth, ipv4, loadObject, tcp, type Collection } from '../../src/index.js';
import { toHex } from '../../src/maps/bytes.js';

const root = new URL('../../', import.meta.url);
const file = (p: string): string => new URL(p, root).pathname;
const TYPED = file('test/goldens/bpftool/typed.bpf.o');
const FRAMES = readFileSync(file('test/goldens/bpftool/typed-frames.txt'), 'utf8')
  .split('\n')
  .filter((l) => l !== '' && !l.startsWith('#'))
  .map((l) => Uint8Array.from(Buffer.from(l, 'hex')));
type KernelEntry = { key: string[]; value?: string[]; values?: { cpu: number; value: string[] }[] };
const kernel = (m: string): KernelEntry[] => JSON.parse(readFileSync(file(`test/goldens/bpftool/map-typed-${m}.kernel.json`), 'utf8')) as KernelEntry[];
const hexOf = (h: string[]): string => h.map((x) => x.slice(2)).join('');

const TCP_KEY = { saddr: '192.168.1.10', daddr: '10.0.0.2', sport: 40000, dport: 80, proto: 6 };
const UDP_KEY = { saddr: '10.0.0.1', daddr: '10.0.0.2', sport: 1234, dport: 5678, proto: 17 };

let coll: Collection;
const runAll = (): void => {
  for (const f of FRAMES) expect(coll.run('track', f).retval).toBe(0);
};
beforeEach(() => {
  coll = loadObject(TYPED);
});

describe('maps typed by BTF: get', () => {
  it('decodes struct keys and values: __be16/__be32 in host order, addresses and MACs as text, char arrays as strings, u64 as bigint', () => {
    runAll();
    const flows = coll.map('flows');
    // The TCP frame: 54 bytes, ttl 63, tos 0x10, from 02:00:00:00:00:0a; first packet of its flow.
    expect(flows.get(TCP_KEY)).toEqual({ packets: 1n, bytes: 54n, smac: '02:00:00:00:00:0a', last_len: 54, tag: 'new', ip: { ttl: 63, tos: 16 }, lens: [0, 54] });
    // Two UDP frames of 46 and 51 bytes: the second finds the entry and writes "seen".
    expect(flows.get(UDP_KEY)).toEqual({ packets: 2n, bytes: 97n, smac: '02:00:00:00:00:01', last_len: 51, tag: 'seen', ip: { ttl: 64, tos: 0 }, lens: [51, 46] });
    expect(flows.get({ ...UDP_KEY, sport: 1235 })).toBeUndefined();
  });

  it('the bytes behind the decoded key and value are the kernel\'s (bpftool -j of the same run)', () => {
    runAll();
    const flows = coll.map('flows');
    const k = kernel('flows');
    expect(k).toHaveLength(2);
    for (const key of [TCP_KEY, UDP_KEY]) {
      const bytes = flows.encodeKey(key);
      const entry = k.find((e) => hexOf(e.key) === toHex(bytes));
      expect(entry).toBeDefined();
      expect(toHex(flows.lookup(bytes) as Uint8Array)).toBe(hexOf(entry!.value!));
    }
  });

  it('an in6_addr member named like an address is IPv6 text', () => {
    runAll();
    const v6 = coll.map('v6_seen');
    expect(v6.get({ daddr: '2001:db8::2', ifindex: 1 })).toBe(1n);
    expect([...v6]).toEqual([[{ daddr: '2001:db8::2', ifindex: 1 }, 1n]]);
    expect(toHex(v6.encodeKey({ daddr: '2001:db8::2', ifindex: 1 }))).toBe(hexOf(kernel('v6_seen')[0].key));
  });

  it('per-CPU values are arrays, one per CPU (the kernel\'s numbers: the run was on CPU 0)', () => {
    runAll();
    const [k] = kernel('per_cpu');
    expect(k.values).toHaveLength(2);
    const got = coll.map('per_cpu').get(0) as unknown[];
    expect(got).toEqual([
      { ipv4: 3, ipv6: 1, bytes: 215n },
      { ipv4: 0, ipv6: 0, bytes: 0n },
    ]);
    expect((coll.map('per_cpu').lookup(new Uint8Array(4)) as Uint8Array[]).map(toHex)).toEqual(k.values!.map((v) => hexOf(v.value)));
  });

  it('global data maps: key 0, the value an object of the section\'s (non-static) variables', () => {
    runAll();
    expect(coll.map('.data').get(0)).toEqual({ byte_count: 220n, last_tag: 'ipv6' });
    expect(coll.map('.bss').get(0)).toEqual({ pkt_count: 4, last_saddr: '192.168.1.10', last_key: { ...TCP_KEY, pad: [0, 0, 0] } });
    expect(coll.map('.rodata').get(0)).toEqual({ listen_port: 80, cfg_mode: 2 });
    expect(toHex(coll.map('.data').lookup(new Uint8Array(4)) as Uint8Array)).toBe(hexOf(kernel('typed_data')[0].value!));
  });

  it('iteration yields decoded [key, value] pairs in dump order; decodedEntries agrees', () => {
    runAll();
    const flows = coll.map('flows');
    const pairs = [...flows];
    expect(pairs.map(([key]) => key)).toEqual([
      { ...UDP_KEY, pad: [0, 0, 0] },
      { ...TCP_KEY, pad: [0, 0, 0] },
    ]);
    expect(flows.decodedEntries()).toEqual(pairs);
  });
});

describe('maps typed by BTF: put and delete', () => {
  it('a value put from JS is what the program reads and updates', () => {
    const flows = coll.map('flows');
    flows.put(TCP_KEY, { packets: 10n, bytes: 1000, tag: 'old', smac: 'aa:bb:cc:dd:ee:ff' });
    coll.run('track', FRAMES[2]);
    // Members left out were zero; the program found the entry: packets 11, tag "seen".
    expect(flows.get(TCP_KEY)).toEqual({ packets: 11n, bytes: 1054n, smac: 'aa:bb:cc:dd:ee:ff', last_len: 54, tag: 'seen', ip: { ttl: 63, tos: 16 }, lens: [0, 54] });
  });

  it('per-CPU puts take one value per CPU, or one value for every CPU', () => {
    const m = coll.map('per_cpu');
    m.put(0, [{ ipv4: 1 }, { ipv4: 2, bytes: 5n }]);
    expect(m.get(0)).toEqual([
      { ipv4: 1, ipv6: 0, bytes: 0n },
      { ipv4: 2, ipv6: 0, bytes: 5n },
    ]);
    m.put(0, { ipv6: 9 });
    expect(m.get(0)).toEqual([
      { ipv4: 0, ipv6: 9, bytes: 0n },
      { ipv4: 0, ipv6: 9, bytes: 0n },
    ]);
  });

  it('delete takes a decoded key or bytes; raw lookup/update keep working', () => {
    runAll();
    const flows = coll.map('flows');
    flows.delete(TCP_KEY);
    expect(flows.get(TCP_KEY)).toBeUndefined();
    const raw = flows.encodeKey(UDP_KEY);
    const before = flows.lookup(raw) as Uint8Array;
    flows.delete(raw);
    expect([...flows]).toEqual([]);
    flows.update(raw, before);
    expect((flows.get(UDP_KEY) as { packets: bigint }).packets).toBe(2n);
  });

  it('global data by variable name through the map; .rodata stays frozen', () => {
    coll.map('.data').put(0, { byte_count: 1n, last_tag: 'abc' });
    expect(coll.map('.data').get(0)).toEqual({ byte_count: 1n, last_tag: 'abc' });
    expect(coll.variable('byte_count').get()).toBe(1n);
    expect(() => coll.map('.rodata').put(0, { cfg_mode: 1 })).toThrow(/frozen/);
  });

  it('a dotted IPv4 address is accepted by any 4-byte integer (network order)', () => {
    expect(Array.from(coll.map('per_cpu').encodeKey('0.0.0.1'))).toEqual([0, 0, 0, 1]);
    expect(Array.from(coll.map('flows').encodeKey({ saddr: '1.2.3.4' }).subarray(0, 4))).toEqual([1, 2, 3, 4]);
  });

  it('values that do not fit give E_MAP_VALUE naming the place', () => {
    const flows = coll.map('flows');
    const err = (f: () => unknown): MapValueError => {
      try {
        f();
      } catch (e) {
        return e as MapValueError;
      }
      throw new Error('no error');
    };
    const bad = err(() => flows.get({ saddr: '300.0.0.1' }));
    expect(bad).toBeInstanceOf(MapValueError);
    expect(bad.code).toBe(ErrorCode.MapValue);
    expect(bad.path).toBe('key.saddr');
    expect(bad.message).toMatch(/^map "flows": key\.saddr: "300\.0\.0\.1" is not an IPv4 address/);
    expect(err(() => flows.put(TCP_KEY, { nope: 1 })).message).toMatch(/has no member "nope"/);
    expect(err(() => flows.get({ sport: 70000 })).path).toBe('key.sport');
    expect(err(() => flows.put(TCP_KEY, { lens: [1] })).path).toBe('value.lens');
    expect(err(() => coll.map('.data').put(0, { hidden: 1 })).message).toMatch(/no variable "hidden" in typed\.data \(have: byte_count, last_tag\)/);
  });
});

describe('snapshots and their difference', () => {
  it('lists what a run added and changed, decoded, and leaves unchanged maps out', () => {
    const before = coll.snapshot();
    runAll();
    const after = coll.snapshot();
    const diff = diffSnapshots(before, after);
    expect(diff.map((d) => d.map).sort()).toEqual(['.bss', '.data', 'flows', 'per_cpu', 'v6_seen'].map((n) => (n.startsWith('.') ? `typed${n}` : n)).sort());
    const flows = diff.find((d) => d.map === 'flows')!;
    expect(flows.added.map((e) => e.key)).toEqual([
      { ...UDP_KEY, pad: [0, 0, 0] },
      { ...TCP_KEY, pad: [0, 0, 0] },
    ]);
    expect(flows.removed).toEqual([]);
    expect(flows.changed).toEqual([]);
    const data = diff.find((d) => d.map === 'typed.data')!;
    expect(data.changed).toEqual([{ keyHex: '00000000', key: 0, before: { byte_count: 5n, last_tag: 'none' }, after: { byte_count: 220n, last_tag: 'ipv6' } }]);
    const pc = diff.find((d) => d.map === 'per_cpu')!;
    expect(pc.changed[0].after).toEqual([
      { ipv4: 3, ipv6: 1, bytes: 215n },
      { ipv4: 0, ipv6: 0, bytes: 0n },
    ]);
  });

  it('a snapshot is a copy: later runs do not change it; removed entries are listed', () => {
    runAll();
    const s1 = coll.snapshot();
    coll.map('flows').delete(UDP_KEY);
    coll.run('track', FRAMES[2]);
    const d = diffSnapshots(s1, coll.snapshot());
    const flows = d.find((x) => x.map === 'flows')!;
    expect(flows.removed.map((e) => e.key)).toEqual([{ ...UDP_KEY, pad: [0, 0, 0] }]);
    expect(flows.changed.map((e) => [(e.before as { packets: bigint }).packets, (e.after as { packets: bigint }).packets])).toEqual([[1n, 2n]]);
    expect(diffSnapshots(s1, s1)).toEqual([]);
  });

  it('bounds each map at maxEntries and says so', () => {
    runAll();
    const s = coll.snapshot({ maxEntries: 1 });
    expect(s.maps.get('flows')!.entries.size).toBe(1);
    expect(s.maps.get('flows')!.truncated).toBe(true);
    expect(s.maps.get('per_cpu')!.truncated).toBe(false);
  });
});

describe('progs/conntrack.bpf.o: an LPM trie and a hash keyed by structs', () => {
  const syn = (src: string): Uint8Array =>
    buildPacket(eth({ src: '02:00:00:00:00:01', dst: '02:00:00:00:00:02' }), ipv4({ src, dst: '10.0.0.2' }), tcp({ sport: 1234, dport: 80, flags: 'S' }));

  it('an allow-list entry put by address lets a SYN open a connection, keyed by decoded addresses', () => {
    const ct = loadObject(file('progs/conntrack.bpf.o'));
    // struct lpm_v4 { __u32 prefixlen; __u32 addr; }: `addr` is an address by its name.
    ct.map('allow_src').put({ prefixlen: 24, addr: '10.0.0.0' }, 1);
    expect([...ct.map('allow_src')]).toEqual([[{ prefixlen: 24, addr: '10.0.0.0' }, 1]]);
    expect(ct.run('conntrack', syn('10.0.0.1')).retval).toBe(0); // TC_ACT_OK
    expect(ct.run('conntrack', syn('10.9.0.1')).retval).toBe(2); // TC_ACT_SHOT: not allowed
    // struct ct_key { __u32 lo_addr, hi_addr; __u16 lo_port, hi_port; __u8 proto; __u8 pad[3]; }:
    // the ports hold network-order bytes in a __u16, so they read as little-endian numbers
    // (1234 = 0x04d2 reads 0xd204); the program stores CT_SYN_SENT (2) after a SYN.
    expect([...ct.map('ct_table')]).toEqual([
      [
        { lo_addr: '10.0.0.1', hi_addr: '10.0.0.2', lo_port: 0xd204, hi_port: 0x5000, proto: 6, pad: [0, 0, 0] },
        { packets: [1n, 0n], bytes: [54n, 0n], state: 2, flags_seen: 2 },
      ],
    ]);
    // ct_recent's key is a plain __u32 (no name): a number, which also takes dotted text.
    expect(ct.map('ct_recent').get('10.0.0.1')).toBe(1);
    expect(ct.map('ct_stats').get(2)).toEqual([1n, 0n]); // ST_DENIED on CPU 0
  });
});

describe('maps without BTF types', () => {
  it('take and return bytes; a number is accepted for a 4-byte key', () => {
    const c = loadObject(file('progs/legacy_maps.bpf.o'));
    const m = c.mapList.find((x) => x.keySize === 4 && x.codec === undefined && !x.percpu && x.typeName === 'array');
    expect(m).toBeDefined();
    const v = m!.get(0);
    expect(v).toBeInstanceOf(Uint8Array);
    expect((v as Uint8Array).length).toBe(m!.valueSize);
    expect(() => m!.put(0, 5)).toThrow(/no BTF value type/);
  });
});
