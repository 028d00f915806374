import { describe, expect, it } from 'vitest';
import { Memory } from '../../vm/memory.js';
import type { HelperCall } from '../../vm/program.js';
import { HELPER_IDS as H } from '../../vm/helpers.js';
import { buildHelperTable } from '../../src/helpers/table.js';
import { buildTestRunSkb, createSkbRunState, type SkbEnv } from '../../src/skb/index.js';
import type { SocketQuery } from '../../src/helpers/sk-lookup.js';

/** A host-side register file whose every value counts as a trusted pointer (tag aliases hi). */
function trustedRegisters(): { lo: Int32Array; hi: Int32Array; tag: Int32Array } {
  const hi = new Int32Array(11);
  return { lo: new Int32Array(11), hi, tag: hi };
}

const frame = Uint8Array.from(Buffer.from('02000000000202000000000108004500002800010000400666cd0a0000010a0000029c400050000000010000000050022000df4e0000', 'hex'));
const table = buildHelperTable();

function harness(env: SkbEnv) {
  const mem = new Memory();
  const state = createSkbRunState(mem, buildTestRunSkb({ data: frame }, env), { env });
  const scratch = mem.alloc('scratch', new Uint8Array(64));
  const regs = trustedRegisters();
  const call: HelperCall = { regs, mem, insnIndex: 3, run: state };
  const lookup = (id: number, tuple: Uint8Array, opts: { netns?: number; flags?: number } = {}) => {
    scratch.bytes.set(tuple);
    regs.hi[2] = scratch.hi;
    regs.lo[2] = Memory.lo(0);
    regs.lo[3] = tuple.length;
    regs.hi[3] = 0;
    regs.lo[4] = opts.netns ?? -1; // BPF_F_CURRENT_NETNS
    regs.hi[4] = (opts.netns ?? -1) < 0 ? -1 : 0;
    regs.lo[5] = opts.flags ?? 0;
    regs.hi[5] = 0;
    table[id]!(call);
    return { hi: regs.hi[0], lo: regs.lo[0] };
  };
  return { mem, call, regs, lookup };
}

// ipv4 tuple as the packet sees it: 10.0.0.1:40000 -> 10.0.0.2:80
const v4 = Uint8Array.from([10, 0, 0, 1, 10, 0, 0, 2, 0x9c, 0x40, 0, 80]);
const listener = { boundDevIf: 0, family: 2, srcIp: Uint8Array.from([10, 0, 0, 2]), dstIp: new Uint8Array(4), srcPort: 80, dstPort: 0, state: 10, rxQueueMapping: -1 };

describe('[helpers/sk-lookup]: socket lookups against a configured socket table', () => {
  it('without a table every lookup is NULL (a host without sockets)', () => {
    const h = harness({});
    for (const id of [H.bpf_sk_lookup_tcp, H.bpf_sk_lookup_udp, H.bpf_skc_lookup_tcp]) expect(h.lookup(id, v4)).toEqual({ hi: 0, lo: 0 });
  });

  it('passes the decoded tuple to the table and returns a readable bpf_sock that sk_release frees', () => {
    const seen: SocketQuery[] = [];
    const h = harness({ socketLookup: (q) => (seen.push(q), q.protocol === 'tcp' && q.dport === 80 ? listener : undefined) });
    const p = h.lookup(H.bpf_sk_lookup_tcp, v4);
    expect(seen[0]).toMatchObject({ protocol: 'tcp', family: 2, sport: 40000, dport: 80, common: false });
    expect(Array.from(seen[0].daddr)).toEqual([10, 0, 0, 2]);
    const region = h.mem.regionOf(p.hi)!;
    expect(region.label).toBe('bpf_sock');
    const out = new Int32Array(2);
    expect(region.ctx!.load(44, 2, out)).toBe(true); // src_port (skc_num)
    expect(out[0]).toBe(80);
    expect(region.ctx!.load(72, 1, out)).toBe(true); // state
    expect(out[0]).toBe(10);
    expect(h.lookup(H.bpf_sk_lookup_udp, v4)).toEqual({ hi: 0, lo: 0 });
    // release
    h.regs.hi[1] = p.hi;
    h.regs.lo[1] = p.lo;
    table[H.bpf_sk_release]!(h.call);
    expect(h.mem.regionOf(p.hi)).toBeUndefined();
  });

  it('NULL for a tuple size that is neither ipv4 (12) nor ipv6 (36), non-zero flags, or another netns id', () => {
    const h = harness({ socketLookup: () => listener });
    expect(h.lookup(H.bpf_sk_lookup_tcp, v4.subarray(0, 11))).toEqual({ hi: 0, lo: 0 });
    expect(h.lookup(H.bpf_sk_lookup_tcp, v4, { flags: 1 })).toEqual({ hi: 0, lo: 0 });
    expect(h.lookup(H.bpf_sk_lookup_tcp, v4, { netns: 5 })).toEqual({ hi: 0, lo: 0 });
    expect(h.lookup(H.bpf_sk_lookup_tcp, v4).hi).not.toBe(0);
  });
});
