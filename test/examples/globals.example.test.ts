import { describe, expect, it } from 'vitest';
import { loadObject, uapi } from '../../src/index.js';

const hex = (s: string) => Uint8Array.from(Buffer.from(s, 'hex'));
// IPv4/UDP 10.0.0.1:1234 -> 10.0.0.2:5678
const udp = hex('02000000000202000000000108004500002000010000401166ca0a0000010a00000204d2162e000cf20270696e67');

describe('globals_cfg: configuration in const volatile globals', () => {
  it('sets .rodata before load and .data/.bss after', () => {
    const cfg = loadObject('progs/globals_cfg.bpf.o', {
      // like skel->rodata->cfg_slot = 3 between open and load: the verifier sees the constants
      rodata: { cfg_slot: 3, ENCAP_PORT: 6080, cfg_mode: 'MODE_DROP', cfg_name: 'vxlan', cfg_delta: -1n },
    });
    cfg.variable('balance').set(5000); // .data, in place

    const r = cfg.run('cfg_pick', udp, { ctxOut: true });

    expect(r.retval).toBe(uapi.TC_ACT.TC_ACT_SHOT); // MODE_DROP
    expect(Buffer.from(r.ctxOut!).readUInt32LE(48)).toBe(40); // cb[0] = table[cfg_slot]
    expect(cfg.variable('hits').get()).toBe(1n); // .bss __u64: a bigint
    expect(cfg.variable('balance').get()).toBe(5000 + udp.length);
    expect(() => cfg.variable('ENCAP_PORT').set(1)).toThrow(/frozen/); // .rodata after load
    expect(() => loadObject('progs/globals_cfg.bpf.o', { rodata: { cfg_slot: 4 } })).toThrow(/invalid read from stack/);
  });
});
