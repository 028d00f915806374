import { describe, expect, it } from 'vitest';
import { loadObject, uapi } from '../../src/index.js';

const hex = (s: string) => Uint8Array.from(Buffer.from(s, 'hex'));
// IPv4/UDP 10.0.0.1:1234 -> 10.0.0.2:5678
const udpFrom10_0_0_1 = hex('02000000000202000000000108004500002000010000401166ca0a0000010a00000204d2162e000cf20270696e67');

describe('bench_fw: an LPM blocklist firewall', () => {
  it('drops a blocked source and counts it per CPU', () => {
    const fw = loadObject('progs/bench_fw.bpf.o');
    // blocklist: struct { u32 prefixlen; u8 addr[4]; } -> u32 (non-zero = drop)
    fw.map('blocklist').update(hex('080000000a000000'), hex('01000000')); // 10.0.0.0/8

    const r = fw.run('bench_fw', udpFrom10_0_0_1);

    expect(r.retval).toBe(uapi.TC_ACT.TC_ACT_SHOT);
    expect(r.dataOut).toEqual(udpFrom10_0_0_1); // bytes untouched
    const [cpu0] = fw.map('fw_stats').lookup(hex('01000000')) as Uint8Array[]; // [1] = dropped
    expect(Buffer.from(cpu0).readBigUInt64LE()).toBe(1n);
  });
});
