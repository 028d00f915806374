import { describe, expect, it } from 'vitest';
import { buildPacket, diffSnapshots, eth, ipv4, loadObject, udp } from '../../src/index.js';

// test/goldens/bpftool/typed.bpf.c counts flows in `flows`, keyed by
// struct flow_key { __be32 saddr, daddr; __be16 sport, dport; __u8 proto; __u8 pad[3]; }
const frame = buildPacket(eth({ src: '02:00:00:00:00:01', dst: '02:00:00:00:00:02' }), ipv4({ src: '10.0.0.1', dst: '10.0.0.2' }), udp({ sport: 1234, dport: 53 }));

describe('typed.bpf.o: flows counted per 5-tuple', () => {
  it('reads and writes maps with decoded keys and values, and diffs them', () => {
    const coll = loadObject('test/goldens/bpftool/typed.bpf.o');
    const flows = coll.map('flows');
    const key = { saddr: '10.0.0.1', daddr: '10.0.0.2', sport: 1234, dport: 53, proto: 17 };
    const before = coll.snapshot();

    coll.run('track', frame);

    expect(flows.get(key)).toMatchObject({ packets: 1n, smac: '02:00:00:00:00:01', tag: 'new' });
    expect(coll.map('per_cpu').get(0)).toEqual([
      { ipv4: 1, ipv6: 0, bytes: BigInt(frame.length) }, // CPU 0
      { ipv4: 0, ipv6: 0, bytes: 0n }, // CPU 1
    ]);
    const [change] = diffSnapshots(before, coll.snapshot()).filter((d) => d.map === 'flows');
    expect(change.added.map((e) => e.key)).toEqual([{ ...key, pad: [0, 0, 0] }]);

    flows.put(key, { packets: 41n, tag: 'old' }); // members left out are zero
    coll.run('track', frame);
    expect(flows.get(key)).toMatchObject({ packets: 42n, tag: 'seen' });
    expect(flows.lookup(flows.encodeKey(key))).toHaveLength(40); // raw bytes stay available
  });
});
