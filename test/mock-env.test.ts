/**
 * Mocked worlds (src/mock-env.ts) from the library: test/data/mock/mock.bpf.o records in map
 * `out` what it saw of the clock, prandom, the CPU, bpf_fib_lookup and bpf_sk_lookup_tcp for
 * one IPv4/TCP frame 10.0.0.1:1234 -> 10.1.2.3:80 (test/data/mock/frames.txt). Expected values
 * follow from the declared environment and the kernel rules docs/mock-env.md describes.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../vm/errors.js';
import { loadObject, type MockEnv } from '../src/index.js';
import { resolveMockEnv, SeededRandom } from '../src/runtime.js';

const file = (p: string): string => new URL(`../${p}`, import.meta.url).pathname;
const MOCK = file('test/data/mock/mock.bpf.o');
const FRAME = Uint8Array.from(Buffer.from(readFileSync(file('test/data/mock/frames.txt'), 'utf8').split('\n').filter((l) => /^[0-9a-f]+$/.test(l))[0], 'hex'));

type Out = Record<string, unknown>;
function runWith(mock: MockEnv, times = 1): Out {
  const c = loadObject(MOCK, { mock });
  for (let i = 0; i < times; i++) expect(c.run('world', FRAME).retval).toBe(0);
  return c.map('out').get(0) as Out;
}

/** BPF_FIB_LKUP_RET_* (uapi bpf.h). */
const FIB = { SUCCESS: 0, BLACKHOLE: 1, NOT_FWDED: 4, NO_NEIGH: 7, FRAG_NEEDED: 8 };
const ON_LINK = { dst: '10.1.2.0/24', ifindex: 4, smac: '02:00:00:00:00:04' };
const VIA_GW = { dst: '10.1.0.0/16', ifindex: 3, gateway: '10.0.0.254', smac: '02:00:00:00:00:03' };

describe('mock: clock, seed, helpers', () => {
  it('time_ns is the first bpf_ktime_get_ns, time_step_ns what each read adds', () => {
    const o = runWith({ time_ns: 5000, time_step_ns: 10 });
    expect([o.t0, o.t1]).toEqual([5000n, 5010n]);
    expect(runWith({ time_ns: '18446744073709551000' }).t0).toBe(18446744073709551000n);
  });

  it('seed seeds bpf_get_prandom_u32; one sequence runs on across the runs of a collection', () => {
    const g = new SeededRandom(42n);
    const seq = [g.nextU32(), g.nextU32(), g.nextU32(), g.nextU32()];
    const once = runWith({ seed: 42 });
    expect([once.r0, once.r1]).toEqual(seq.slice(0, 2));
    const twice = runWith({ seed: 42 }, 2);
    expect([twice.r0, twice.r1]).toEqual(seq.slice(2, 4));
    expect(runWith({ seed: 43 }).r0).not.toBe(seq[0]);
  });

  it('helpers by name return a constant; pointer-returning helpers are refused', () => {
    expect(runWith({ helpers: { bpf_get_smp_processor_id: 3 } }).cpu).toBe(3);
    expect(runWith({ helpers: { get_prandom_u32: 7 } }).r0).toBe(7);
    expect(() => loadObject(MOCK, { mock: { helpers: { bpf_map_lookup_elem: 0 } } })).toThrow(/^env: helpers\.bpf_map_lookup_elem: bpf_map_lookup_elem returns a pointer/);
    expect(() => loadObject(MOCK, { mock: { helpers: { bpf_nope: 1 } } })).toThrow(/^env: helpers\.bpf_nope: no helper of that name$/);
  });
});

describe('mock: bpf_fib_lookup from routes and neighbours', () => {
  it('the longest prefix wins; an on-link route resolves the destination itself', () => {
    const o = runWith({ routes: [VIA_GW, ON_LINK], neighbours: [{ ip: '10.1.2.3', mac: '02:00:00:00:00:99' }] });
    expect(o.fib_ret).toBe(FIB.SUCCESS);
    expect(o.fib_ifindex).toBe(4);
    expect(o.dmac).toBe('02:00:00:00:00:99');
    expect(o.smac).toBe('02:00:00:00:00:04');
    expect(o.next_hop).toBe(0x0a010203); // __be32: the host-order value of 10.1.2.3
    // tot_len was set (the MTU check was asked for): mtu_result is the route's MTU.
    expect(o.mtu_result).toBe(1500);
  });

  it('a gateway route writes the gateway as ipv4_dst and needs the gateway\'s neighbour', () => {
    const none = runWith({ routes: [VIA_GW] });
    expect(none.fib_ret).toBe(FIB.NO_NEIGH);
    expect(none.next_hop).toBe(0x0a0000fe);
    expect(none.fib_ifindex).toBe(3);
    const ok = runWith({ routes: [VIA_GW], neighbours: [{ ip: '10.0.0.254', mac: 'aa:bb:cc:dd:ee:ff', ifindex: 3 }] });
    expect(ok.fib_ret).toBe(FIB.SUCCESS);
    expect(ok.dmac).toBe('aa:bb:cc:dd:ee:ff');
    // A neighbour learnt on another device is not the route's.
    expect(runWith({ routes: [VIA_GW], neighbours: [{ ip: '10.0.0.254', mac: 'aa:bb:cc:dd:ee:ff', ifindex: 9 }] }).fib_ret).toBe(FIB.NO_NEIGH);
  });

  it('no route: NOT_FWDED; error routes; tot_len over the route MTU: FRAG_NEEDED with mtu_result', () => {
    expect(runWith({ routes: [{ dst: '192.168.0.0/16', ifindex: 2 }] }).fib_ret).toBe(FIB.NOT_FWDED);
    expect(runWith({ routes: [{ dst: '10.1.2.3', type: 'blackhole' }] }).fib_ret).toBe(FIB.BLACKHOLE);
    const frag = runWith({ routes: [{ ...ON_LINK, mtu: 39 }], neighbours: [{ ip: '10.1.2.3', mac: '02:00:00:00:00:99' }] });
    expect(frag.fib_ret).toBe(FIB.FRAG_NEEDED); // the frame's IPv4 tot_len is 40
    expect(frag.mtu_result).toBe(39);
    expect(frag.fib_ifindex).toBe(1); // left as the program set it (skb->ifindex, lo)
  });
});

describe('mock: bpf_sk_lookup_tcp from the socket table', () => {
  it('a listener on the destination answers; a connected socket matching the whole tuple comes first', () => {
    const listen = runWith({ sockets: [{ protocol: 'tcp', local: '0.0.0.0:80' }] });
    expect([listen.sk_found, listen.sk_state, listen.sk_src_port]).toEqual([1, 10, 80]); // TCP_LISTEN
    const est = runWith({
      sockets: [
        { protocol: 'tcp', local: '10.1.2.3:80' },
        { protocol: 'tcp', local: '10.1.2.3:80', remote: '10.0.0.1:1234' },
      ],
    });
    expect(est.sk_state).toBe(1); // TCP_ESTABLISHED
    expect(runWith({ sockets: [{ protocol: 'udp', local: '10.1.2.3:80' }, { protocol: 'tcp', local: '10.1.2.3:81' }] }).sk_found).toBe(0);
  });
});

describe('mock: validation', () => {
  const msg = (mock: unknown): string => {
    try {
      loadObject(MOCK, { mock: mock as MockEnv });
    } catch (e) {
      expect((e as { code?: string }).code).toBe(ErrorCode.Usage);
      return (e as Error).message;
    }
    throw new Error('accepted');
  };
  it('one line naming the bad field', () => {
    expect(msg({ routes: [ON_LINK, { dst: '10.0.0.0/33', ifindex: 1 }] })).toBe('env: routes[1].dst: prefix length "33" is not 0..32');
    expect(msg({ clock: 1 })).toMatch(/^env: \(top level\)\.clock: unknown field \(have: time_ns, /);
    expect(msg({ seed: -1 })).toMatch(/^env: seed: expected a non-negative integer/);
    expect(msg({ routes: [{ dst: '10.0.0.0/8' }] })).toBe('env: routes[0].ifindex: a unicast route needs its output device');
    expect(msg({ routes: [ON_LINK], neighbours: [{ ip: '10.1.2.3', mac: 'zz' }] })).toBe('env: neighbours[0].mac: "zz" is not a MAC address (aa:bb:cc:dd:ee:ff)');
    expect(msg({ sockets: [{ protocol: 'tcp', local: '10.0.0.1' }] })).toMatch(/^env: sockets\[0\]\.local: expected ADDRESS:PORT/);
    expect(msg({ neighbours: [] , routes: 5 })).toBe('env: routes: expected an array');
  });
});

describe('mock: the FIB and socket table as functions (flags and IPv6 the fixture does not use)', () => {
  // struct bpf_fib_lookup: family 0, tot_len 6, ifindex 8, ipv4_src 16, ipv4_dst 32, smac 52, dmac 58.
  const params = (family: 2 | 10, dst: number[]): Uint8Array => {
    const p = new Uint8Array(64);
    p[0] = family;
    p.set(dst, 32);
    return p;
  };
  const V6_DST = [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2];

  it('BPF_FIB_LOOKUP_SKIP_NEIGH succeeds without a neighbour and writes no MACs', () => {
    const { fib } = resolveMockEnv({ routes: [ON_LINK] });
    const p = params(2, [10, 1, 2, 3]);
    expect(fib!(p, 1 << 2).ret).toBe(FIB.SUCCESS);
    expect(new DataView(p.buffer).getUint32(8, true)).toBe(4);
    expect([...p.subarray(52, 64)]).toEqual(new Array(12).fill(0));
  });

  it('BPF_FIB_LOOKUP_SRC writes the route\'s source; IPv6 without one is NO_SRC_ADDR', () => {
    const { fib } = resolveMockEnv({
      routes: [{ ...ON_LINK, src: '10.1.2.1' }, { dst: '2001:db8::/64', ifindex: 5 }],
      neighbours: [{ ip: '10.1.2.3', mac: '02:00:00:00:00:99' }],
    });
    const p = params(2, [10, 1, 2, 3]);
    expect(fib!(p, 1 << 4).ret).toBe(FIB.SUCCESS);
    expect([...p.subarray(16, 20)]).toEqual([10, 1, 2, 1]);
    expect(fib!(params(10, V6_DST), 1 << 4).ret).toBe(9); // BPF_FIB_LKUP_RET_NO_SRC_ADDR
    expect(fib!(params(10, V6_DST), 1 << 2).ret).toBe(FIB.SUCCESS);
  });

  it('UDP and IPv6 sockets: an exact local address before the wildcard', () => {
    const { socketLookup } = resolveMockEnv({
      sockets: [
        { protocol: 'udp', local: '[::]:53' },
        { protocol: 'udp', local: '[2001:db8::2]:53', bound_dev_if: 7 },
      ],
    });
    const q = { protocol: 'udp' as const, common: false, family: 10 as const, saddr: new Uint8Array(16), daddr: Uint8Array.from(V6_DST), sport: 4000, dport: 53 };
    expect(socketLookup!(q)).toMatchObject({ family: 10, boundDevIf: 7, srcPort: 53, state: 7 }); // TCP_CLOSE
    expect(socketLookup!({ ...q, daddr: new Uint8Array(16).fill(1) })).toMatchObject({ boundDevIf: 0 });
    expect(socketLookup!({ ...q, protocol: 'tcp' })).toBeUndefined();
  });
});
