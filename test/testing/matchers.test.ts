/**
 * The vitest/jest matchers (src/testing/matchers.ts) on real runs of committed objects, with the
 * kernel's answers from test/goldens/run (recorded by test/goldens/run/record.sh), and on frames
 * made by the packet builders. Failure messages are asserted whole; the values in them are read
 * from the frames' bytes, not from the dissector the matchers use.
 */
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { BpfError, buildPacket, compare, diffPackets, eth, ipv4, loadObject, matchers, payload, tcp, udp, uapi, vlan, type TestRunResult } from '../../src/index.js';
import '../../src/testing/vitest.js';

expect.extend(matchers);

const root = new URL('../../', import.meta.url);
const read = (p: string): string => readFileSync(new URL(p, root), 'utf8');
const fromHex = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s, 'hex'));
/** The frame on 1-based line `line` of a packets file (the goldens' `line`). */
const frameAt = (file: string, line: number): Uint8Array => fromHex(read(file).split('\n')[line - 1]);
/** The kernel's run of line `line` in a golden of test/goldens/run. */
function kernelRun(golden: string, line: number): { retval: number; retval_s32: number; data_out: string } {
  const run = JSON.parse(read(`test/goldens/run/${golden}.json`)).runs.find((r: { line: number }) => r.line === line);
  if (run === undefined) throw new Error(`no line ${line} in ${golden}`);
  return run;
}
/** 16-bit big-endian word at `off`, as the dissector spells checksums. */
const word = (b: Uint8Array, off: number): string => `0x${((b[off] << 8) | b[off + 1]).toString(16).padStart(4, '0')}`;

/** The message of the assertion error `f` throws (fails the test when it throws none). */
function failureOf(f: () => void): string {
  try {
    f();
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('the assertion passed');
}

describe('[matchers] toHaveVerdict on real runs', () => {
  // bench_fw.bench_fw.blocked: 10.0.0.0/8 blocked; line 3 of mixed.txt is UDP from 10.0.0.1
  let shot: TestRunResult;
  let ok: TestRunResult;
  beforeAll(() => {
    const fw = loadObject('progs/bench_fw.bpf.o');
    fw.map('blocklist').update(fromHex('080000000a000000'), fromHex('01000000'));
    shot = fw.run('bench_fw', frameAt('test/goldens/run/packets/mixed.txt', 3));
    ok = loadObject('progs/bench_fw.bpf.o').run('bench_fw', frameAt('test/goldens/run/packets/mixed.txt', 3));
  });

  it('the kernel says SHOT with the blocklist and OK without it', () => {
    expect(kernelRun('bench_fw.bench_fw.blocked', 3).retval_s32).toBe(uapi.TC_ACT.TC_ACT_SHOT);
    expect(kernelRun('bench_fw.bench_fw', 3).retval_s32).toBe(uapi.TC_ACT.TC_ACT_OK);
  });

  it('passes by name and by number', () => {
    expect(shot).toHaveVerdict('TC_ACT_SHOT');
    expect(shot).toHaveVerdict(2);
    expect(ok).toHaveVerdict('TC_ACT_OK');
    expect(shot).not.toHaveVerdict('TC_ACT_OK');
  });

  it('fails naming both verdicts', () => {
    expect(failureOf(() => expect(ok).toHaveVerdict('TC_ACT_SHOT'))).toBe('expected verdict TC_ACT_SHOT (2), got TC_ACT_OK (0)');
    expect(failureOf(() => expect(shot).toHaveVerdict(0))).toBe('expected verdict TC_ACT_OK (0), got TC_ACT_SHOT (2)');
    expect(failureOf(() => expect(shot).not.toHaveVerdict('TC_ACT_SHOT'))).toBe('expected verdict not TC_ACT_SHOT (2), got TC_ACT_SHOT (2)');
  });

  it('TCX_* names compare what tcx makes of the return', () => {
    expect(shot).toHaveVerdict('TCX_DROP');
    expect(ok).toHaveVerdict('TCX_PASS');
    expect(failureOf(() => expect(ok).toHaveVerdict('TCX_DROP'))).toBe('expected verdict TCX_DROP (2), got TCX_PASS (0)');
    expect(failureOf(() => expect(ok).not.toHaveVerdict('TCX_PASS'))).toBe('expected verdict not TCX_PASS (0), got TCX_PASS (0)');
  });

  it('a run without a verdict fails with why (frame shorter than ETH_HLEN: EINVAL)', () => {
    const r = loadObject('progs/bench_fw.bpf.o').run('bench_fw', new Uint8Array(10));
    expect(r.err).toBe('EINVAL');
    expect(failureOf(() => expect(r).toHaveVerdict('TC_ACT_OK'))).toBe('expected verdict TC_ACT_OK (0), got no verdict (EINVAL)');
    expect(r).not.toHaveVerdict('TC_ACT_OK');
  });
});

describe('[matchers] toHaveVerdict: UNSPEC, TCX_NEXT and codes tcx does not know', () => {
  // test/goldens/net/compare.bpf.o returns what the frame's payload says (returns.txt)
  const obj = new Uint8Array(readFileSync(new URL('test/goldens/net/compare.bpf.o', root)));
  const frames = read('test/data/compare/returns.txt')
    .split('\n')
    .filter((l) => /^[0-9a-f]+$/.test(l))
    .map(fromHex);
  const first = (n: number): TestRunResult => loadObject(obj).run('first', frames[n]);

  it('-1 is TC_ACT_UNSPEC and TCX_NEXT, also given as the u32 retval', () => {
    const r = first(0); // first -1
    expect(r.retval).toBe(0xffffffff);
    expect(r).toHaveVerdict('TC_ACT_UNSPEC');
    expect(r).toHaveVerdict('TCX_NEXT');
    expect(r).toHaveVerdict(-1);
    expect(r).toHaveVerdict(0xffffffff);
    expect({ retval: r.retval }).toHaveVerdict('TC_ACT_UNSPEC');
    expect(failureOf(() => expect(r).toHaveVerdict('TCX_PASS'))).toBe('expected verdict TCX_PASS (0), got TCX_NEXT (-1)');
  });

  it('TC_ACT_STOLEN is TCX_NEXT to tcx, and the message says so', () => {
    const r = first(1); // first 4
    expect(r).toHaveVerdict('TC_ACT_STOLEN');
    expect(r).toHaveVerdict('TCX_NEXT');
    expect(failureOf(() => expect(r).toHaveVerdict('TCX_DROP'))).toBe('expected verdict TCX_DROP (2), got TC_ACT_STOLEN (4) = TCX_NEXT');
    expect(failureOf(() => expect(r).toHaveVerdict('TC_ACT_SHOT'))).toBe('expected verdict TC_ACT_SHOT (2), got TC_ACT_STOLEN (4)');
  });

  it("works on compare's per-path outcomes (the hook's verdict)", () => {
    const c = compare(obj, ['first'], [frames[1]]);
    expect(c.frames[0].outcomes.da).toHaveVerdict('TC_ACT_STOLEN');
    expect(c.frames[0].outcomes.tcx).toHaveVerdict('TC_ACT_UNSPEC');
    expect(failureOf(() => expect(c.frames[0].outcomes.tcx).toHaveVerdict('TC_ACT_STOLEN'))).toBe('expected verdict TC_ACT_STOLEN (4), got TC_ACT_UNSPEC (-1)');
  });

  it('a bare number is a verdict too', () => {
    expect(7).toHaveVerdict('TC_ACT_REDIRECT');
    expect(7).toHaveVerdict('TCX_REDIRECT');
    expect(failureOf(() => expect(42).toHaveVerdict('TCX_PASS'))).toBe('expected verdict TCX_PASS (0), got 42 = TCX_NEXT');
    expect(failureOf(() => expect(42).toHaveVerdict('TC_ACT_OK'))).toBe('expected verdict TC_ACT_OK (0), got 42');
  });

  it('an unknown name or a value without a verdict is a usage error, not a failed assertion', () => {
    expect(() => expect(0).toHaveVerdict('TC_ACT_DROP' as never)).toThrow(BpfError);
    expect(() => expect(0).toHaveVerdict('TC_ACT_DROP' as never)).toThrow('toHaveVerdict: "TC_ACT_DROP" is not a verdict (a number or one of TC_ACT_UNSPEC, TC_ACT_OK,');
    expect(() => expect('TC_ACT_OK').toHaveVerdict('TC_ACT_OK')).toThrow('toHaveVerdict: expected a run result (with verdict or retval) or a number, got string TC_ACT_OK');
    expect(() => expect({ verdict: 0 }).not.toHaveVerdict(1.5 as never)).toThrow(BpfError);
  });
});

describe('[matchers] toEqualPacket on a real run (nat_snat: saddr -> 203.0.113.1)', () => {
  const input = frameAt('test/goldens/run/packets/nat.txt', 3); // TCP SYN 10.0.0.1:40000 -> 10.0.0.2:80
  const kernelOut = fromHex(kernelRun('nat.nat_snat', 3).data_out);
  let r: TestRunResult;
  beforeAll(() => {
    r = loadObject('progs/nat.bpf.o').run('nat_snat', input);
  });

  it("equals the kernel's data_out, and a frame built with the new source", () => {
    expect(r).toEqualPacket(kernelOut);
    expect(r.dataOut).toEqualPacket(kernelOut);
    const built = buildPacket(
      eth({ src: '02:00:00:00:00:01', dst: '02:00:00:00:00:02' }),
      ipv4({ src: '203.0.113.1', dst: '10.0.0.2', id: 1, ttl: 64 }),
      tcp({ sport: 40000, dport: 80, seq: 1, flags: 'S', window: 8192 }),
    );
    expect(r).toEqualPacket(built);
    expect(r).not.toEqualPacket(input);
  });

  it('fails field by field with offsets', () => {
    expect(failureOf(() => expect(r).toEqualPacket(input))).toBe(
      [
        'expected the packet to equal the expected frame (54 bytes), got 54 bytes that differ:',
        `  IPv4 checksum: expected ${word(input, 24)}, got ${word(kernelOut, 24)} (offset 24)`,
        '  IPv4 src: expected 10.0.0.1, got 203.0.113.1 (offset 26)',
        `  TCP checksum: expected ${word(input, 50)}, got ${word(kernelOut, 50)} (offset 50)`,
      ].join('\n'),
    );
  });

  it('.not fails on the same bytes', () => {
    expect(failureOf(() => expect(r).not.toEqualPacket(kernelOut))).toBe('expected a packet other than the expected frame, got the same 54 bytes');
  });

  it('a run without a packet fails with why', () => {
    const bad = loadObject('progs/nat.bpf.o').run('nat_snat', new Uint8Array(10));
    expect(failureOf(() => expect(bad).toEqualPacket(input))).toBe('expected a packet equal to the expected frame (54 bytes), got no packet (EINVAL)');
    expect(bad).not.toEqualPacket(input);
  });

  it("works on compare's per-path outcomes (bytes)", () => {
    const c = compare(new Uint8Array(readFileSync(new URL('progs/nat.bpf.o', root))), ['nat_snat'], [input], { dir: 'egress' });
    expect(c.frames[0].outcomes.tcx).toEqualPacket(kernelOut);
  });
});

describe('[matchers] toEqualPacket on built packets', () => {
  const udpFrame = (o: { ttl?: number; data?: string | number[]; tag?: boolean } = {}): Uint8Array =>
    buildPacket(eth({}), ...(o.tag ? [vlan({ vid: 100 })] : []), ipv4({ src: '10.0.0.1', dst: '10.0.0.2', ttl: o.ttl ?? 64 }), udp({ sport: 1234, dport: 5678 }), payload(o.data ?? 'ping'));
  const head = (want: Uint8Array, got: Uint8Array): string => `expected the packet to equal the expected frame (${want.length} bytes), got ${got.length} bytes that differ:`;

  it('a TTL off by one: the field, its offset, and the checksum that follows', () => {
    const got = udpFrame({ ttl: 64 });
    const want = udpFrame({ ttl: 63 });
    expect(got[22]).toBe(64); // 14 (Ethernet) + 8
    expect(failureOf(() => expect(got).toEqualPacket(want))).toBe(
      [head(want, got), '  IPv4 ttl: expected 63, got 64 (offset 22)', `  IPv4 checksum: expected ${word(want, 24)}, got ${word(got, 24)} (offset 24)`].join('\n'),
    );
    expect(got).not.toEqualPacket(want);
    expect(got).toEqualPacket(udpFrame({ ttl: 64 }));
  });

  it('a stale checksum is named by its status', () => {
    const got = udpFrame({ ttl: 64 });
    got[22] = 63; // ttl changed, checksum not fixed
    const want = udpFrame({ ttl: 63 });
    expect(failureOf(() => expect(got).toEqualPacket(want))).toBe(
      [head(want, got), `  IPv4 checksum: expected ${word(want, 24)}, got ${word(got, 24)} (offset 24)`, '  IPv4 checksum.status: expected good, got bad (offset 24)'].join('\n'),
    );
  });

  it('payload bytes are a byte diff with their offset', () => {
    const got = udpFrame({ data: 'pong' });
    const want = udpFrame({ data: 'ping' });
    expect(failureOf(() => expect(got).toEqualPacket(want))).toBe(
      [head(want, got), `  UDP checksum: expected ${word(want, 40)}, got ${word(got, 40)} (offset 40)`, '  byte 43 (payload): expected 0x69, got 0x6f'].join('\n'),
    );
  });

  it('a longer frame: the length fields, then the extra bytes', () => {
    const got = udpFrame({ data: 'ping!!' });
    const want = udpFrame({ data: 'ping' });
    expect(failureOf(() => expect(got).toEqualPacket(want))).toBe(
      [
        head(want, got),
        '  IPv4 len: expected 32, got 34 (offset 17)',
        `  IPv4 checksum: expected ${word(want, 24)}, got ${word(got, 24)} (offset ${want[24] === got[24] ? 25 : 24})`,
        '  UDP length: expected 12, got 14 (offset 39)',
        `  UDP checksum: expected ${word(want, 40)}, got ${word(got, 40)} (offset ${want[40] === got[40] ? 41 : 40})`,
        '  payload len: expected 4, got 6',
        '  length: expected 46 bytes, got 48; bytes 46-47 only in the received frame: 21 21',
      ].join('\n'),
    );
    expect(failureOf(() => expect(want).toEqualPacket(got))).toContain('  length: expected 48 bytes, got 46; bytes 46-47 missing from the received frame: 21 21');
  });

  it('a different layer stack is named, then the bytes', () => {
    const got = udpFrame({ tag: true });
    const want = udpFrame();
    const msg = failureOf(() => expect(got).toEqualPacket(want));
    expect(msg.split('\n').slice(0, 4)).toEqual([
      head(want, got),
      '  Ethernet type: expected 0x0800, got 0x8100 (offset 12)',
      '  layers: expected Ethernet / IPv4 / UDP / payload, got Ethernet / 802.1Q / IPv4 / UDP / payload',
      `  bytes 14-19 (IPv4 header): expected ${Buffer.from(want.subarray(14, 20)).toString('hex').replace(/(..)(?!$)/g, '$1 ')}, got ${Buffer.from(got.subarray(14, 20)).toString('hex').replace(/(..)(?!$)/g, '$1 ')}`,
    ]);
    expect(msg.split('\n').at(-1)).toBe('  length: expected 46 bytes, got 50; bytes 46-49 only in the received frame: 70 69 6e 67');
  });

  it('long diffs are cut after MAX_DIFF_LINES lines', () => {
    const want = udpFrame({ data: new Array(100).fill(0) });
    const got = udpFrame({ data: Array.from({ length: 100 }, (_, i) => (i % 2 ? 0 : 1)) }); // 50 separate bytes
    const lines = failureOf(() => expect(got).toEqualPacket(want)).split('\n');
    expect(lines).toHaveLength(1 + 20 + 1);
    expect(lines[1]).toBe(`  UDP checksum: expected ${word(want, 40)}, got ${word(got, 40)} (offset ${want[40] === got[40] ? 41 : 40})`);
    expect(lines[2]).toBe('  byte 42 (payload): expected 0x00, got 0x01');
    expect(lines[21]).toBe('  … and 31 more differences');
  });

  it('a header that appears twice (IPIP) is numbered', () => {
    const ipip = (ttl: number) => buildPacket(eth({}), ipv4({ src: '192.0.2.1', dst: '192.0.2.2' }), ipv4({ src: '10.0.0.1', dst: '10.0.0.2', ttl }), udp({ sport: 1, dport: 2 }), payload('x'));
    const got = ipip(64);
    const want = ipip(63);
    expect(got[14 + 20 + 8]).toBe(64);
    expect(failureOf(() => expect(got).toEqualPacket(want))).toBe(
      [head(want, got), '  IPv4#2 ttl: expected 63, got 64 (offset 42)', `  IPv4#2 checksum: expected ${word(want, 44)}, got ${word(got, 44)} (offset 44)`].join('\n'),
    );
  });

  it('diffPackets gives the same differences as data', () => {
    expect(diffPackets(udpFrame(), udpFrame())).toEqual([]);
    const [ttl, ck] = diffPackets(udpFrame({ ttl: 64 }), udpFrame({ ttl: 63 }));
    expect(ttl).toEqual({ kind: 'field', field: 'ip.ttl', offset: 22, expected: 63, received: 64, text: 'IPv4 ttl: expected 63, got 64 (offset 22)' });
    expect(ck.field).toBe('ip.checksum');
  });

  it('bad arguments are usage errors', () => {
    expect(() => expect(udpFrame()).toEqualPacket('ping' as never)).toThrow('toEqualPacket: expected a frame (Uint8Array) or a run result, got string ping');
    expect(() => expect(42).toEqualPacket(udpFrame())).toThrow('toEqualPacket: expected a run result (with dataOut or bytes) or a Uint8Array, got number 42');
  });
});

describe('[matchers] the expect.extend contract, without a runner', () => {
  it('plain functions of (received, expected) using this.isNot and returning { pass, message }', () => {
    const ok = matchers.toHaveVerdict.call({ isNot: false }, 0, 'TC_ACT_OK');
    expect(ok.pass).toBe(true);
    const no = matchers.toHaveVerdict.call({ isNot: true }, 0, 'TC_ACT_OK');
    expect(no.pass).toBe(true);
    expect(no.message()).toBe('expected verdict not TC_ACT_OK (0), got TC_ACT_OK (0)');
    const diff = matchers.toEqualPacket.call({}, new Uint8Array([1, 2]), new Uint8Array([1, 3]));
    expect(diff.pass).toBe(false);
    expect(diff.message()).toBe('expected the packet to equal the expected frame (2 bytes), got 2 bytes that differ:\n  byte 1: expected 0x03, got 0x02');
  });

  it('the matchers module imports no test runner', () => {
    for (const f of ['src/testing/matchers.ts', 'src/testing/packet-diff.ts', 'src/testing/index.ts']) expect(read(f)).not.toMatch(/from '(vitest|jest|@jest\/[a-z-]+|expect)'/);
    expect(read('src/testing/vitest.ts')).toMatch(/^import type /m);
    expect(read('src/testing/vitest.ts')).not.toMatch(/^import (?!type )/m);
  });
});
