import { describe, expect, it } from 'vitest';
import { buildPacket, eth, ipv4, loadObject, matchers, tcp } from '../../src/index.js';
import '../../src/testing/vitest.js'; // the matchers' types

expect.extend(matchers);

// TCP SYN from `src`:40000 to 10.0.0.2:80
const syn = (src: string) =>
  buildPacket(eth({ src: '02:00:00:00:00:01', dst: '02:00:00:00:00:02' }), ipv4({ src, dst: '10.0.0.2' }), tcp({ sport: 40000, dport: 80, flags: 'S' }));

describe('nat_snat: source NAT to 203.0.113.1 on egress', () => {
  const r = loadObject('progs/nat.bpf.o').run('nat_snat', syn('10.0.0.1'));

  it('rewrites the source address, fixes both checksums, and lets the packet pass', () => {
    expect(r).toHaveVerdict('TC_ACT_OK');
    expect(r).toHaveVerdict('TCX_PASS');
    expect(r).toEqualPacket(syn('203.0.113.1'));
  });

  it('says which field differs when the packet is not the expected one', () => {
    expect(() => expect(r).toEqualPacket(syn('10.0.0.1'))).toThrow('IPv4 src: expected 10.0.0.1, got 203.0.113.1 (offset 26)');
    expect(() => expect(r).toHaveVerdict('TC_ACT_SHOT')).toThrow('expected verdict TC_ACT_SHOT (2), got TC_ACT_OK (0)');
  });
});
