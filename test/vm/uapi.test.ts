/**
 * vm/uapi.ts: the one reverse lookup (uapiName) and the names built on it, checked against the
 * uapi headers' spelling (include/uapi/linux/bpf.h, pkt_cls.h, asm-generic/errno-base.h), and the
 * verdict names of src/tc-verdict.ts that traces and test results print.
 */
import { describe, expect, it } from 'vitest';
import { BPF_MAP_TYPE, ERRNO, TC_ACT, errnoName, mapTypeName, progTypeName, uapiName } from '../../vm/uapi.js';
import { tcActLabel, tcActName, tcxRetLabel, tcxRetName } from '../../src/tc-verdict.js';

describe('uapiName', () => {
  it('names a value by its uapi key, with or without the prefix; unknown values have no name', () => {
    expect(uapiName(BPF_MAP_TYPE, 1)).toBe('BPF_MAP_TYPE_HASH');
    expect(uapiName(BPF_MAP_TYPE, 27, 'BPF_MAP_TYPE_')).toBe('RINGBUF');
    expect(uapiName(TC_ACT, -1, 'TC_ACT_')).toBe('UNSPEC');
    expect(uapiName(ERRNO, 524)).toBe('ENOTSUPP');
    expect(uapiName(ERRNO, 10_000)).toBeUndefined();
  });

  it('takes the first key when two share a value (declaration order), and sees later tables apart', () => {
    const t = { A_ONE: 1, A_UNO: 1, A_TWO: 2 } as const;
    expect(uapiName(t, 1)).toBe('A_ONE');
    expect(uapiName({ B_ONE: 1 }, 1)).toBe('B_ONE');
  });
});

describe('names built on it', () => {
  it('map and program types as bpftool / libbpf spell them, errno names of either sign', () => {
    expect([mapTypeName(2), mapTypeName(99)]).toEqual(['array', 'unknown(99)']);
    expect([progTypeName(3), progTypeName(6), progTypeName(999)]).toEqual(['sched_cls', 'xdp', 'unknown(999)']);
    expect([errnoName(-22), errnoName(22), errnoName(-4095)]).toEqual(['EINVAL', 'EINVAL', 'E4095']);
  });

  it('tc verdicts: TC_ACT_* with GOTO_CHAIN / JUMP, and what tcx makes of a return', () => {
    expect([tcActName(2), tcActName(0x20000003), tcActName(0x10000002), tcActName(42)]).toEqual(['SHOT', 'GOTO_CHAIN 3', 'JUMP 2', '42']);
    expect([tcActLabel(-1), tcActLabel(42)]).toEqual(['TC_ACT_UNSPEC', '42']);
    expect([tcxRetName(7), tcxRetName(4)]).toEqual(['TCX_REDIRECT', '4']);
    expect([tcxRetLabel(0), tcxRetLabel(4), tcxRetLabel(42)]).toEqual(['TCX_PASS (0)', 'TC_ACT_STOLEN (4) = TCX_NEXT', '42 = TCX_NEXT']);
  });
});
