import { describe, expect, it } from 'vitest';
import { decodeSuiteResult, formatLog, messageLength, outcomeOf, TrfDecodeError } from '../../src/testsuite/trf.js';

const enc = new TextEncoder();
const cat = (...parts: (number[] | Uint8Array)[]): Uint8Array => Uint8Array.from(parts.flatMap((p) => [...p]));
const str = (field: number, s: string): number[] => {
  const b = enc.encode(s);
  return [(field << 3) | 2, b.length, ...b];
};
const fixed64 = (v: bigint): number[] => {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setBigUint64(0, BigInt.asUintN(64, v), true);
  return [(2 << 3) | 1, ...b];
};
const msg = (field: number, body: number[]): number[] => [(field << 3) | 2, body.length, ...body];

describe('[testsuite] suite_result_map decoding (trf.proto wire format)', () => {
  it('reads tests, statuses, test logs and suite logs, and stops at the zero padding', () => {
    const log = [...str(1, 'got %llu\0'), ...fixed64(7n)];
    const test = [...str(1, 'one\0'), 0x10, 102, ...msg(3, log)];
    const value = cat(msg(1, test), msg(2, str(1, 'suite\0')), new Array(64).fill(0));
    const r = decodeSuiteResult(value);
    expect(r.length).toBe(value.length - 64);
    expect(r.results).toHaveLength(1);
    expect(r.results[0].name).toBe('one');
    expect(r.results[0].status).toBe(102);
    expect(r.results[0].log[0]).toEqual({ fmt: 'got %llu\0', args: [7n], text: 'got 7' });
    expect(r.suiteLog.map((l) => l.text)).toEqual(['suite']);
  });

  it('accepts the two-byte non-minimal length varint the BPF side writes, packed args and unknown fields', () => {
    const body = [...str(1, 't'), 0x10, 101, 0x28, 5 /* field 5 varint: unknown */, ...msg(3, [...str(1, '%d %d'), 0x12, 16, 1, 0, 0, 0, 0, 0, 0, 0, 0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff])];
    const value = cat([0x0a, body.length | 0x80, 0x00], body, [0, 0]);
    const r = decodeSuiteResult(value);
    expect(r.results[0].name).toBe('t');
    expect(r.results[0].log[0].args).toEqual([1n, 0xfffffffffffffffen]);
    expect(r.results[0].log[0].text).toBe('1 -2');
  });

  it('a message that breaks inside the leading fields is an error, not a crash', () => {
    // The outer length fits, the inner name's length runs past the TestResult.
    expect(() => decodeSuiteResult(cat([0x0a, 3, 0x0a, 9, 0x41], [0]))).toThrow(TrfDecodeError);
    // A test name that is not UTF-8.
    expect(() => decodeSuiteResult(cat(msg(1, [0x0a, 2, 0xc3, 0x28])))).toThrow(/UTF-8/);
    // An outer field whose length does not fit is where the message ends.
    expect(messageLength(cat(msg(2, str(1, 'x')), [0x0a, 200, 1, 2]))).toBe(5);
    expect(decodeSuiteResult(new Uint8Array(16)).results).toEqual([]);
  });

  it('renders conversions at the runner\'s fixed widths', () => {
    expect(formatLog('%u %d %x\0', [70000n, -2n, 0x12345n])).toBe('4464 -2 2345');
    expect(formatLog('%lu %ld %lx', [0x1ffffffffn, -3n, 0xabn])).toBe('4294967295 -3 000000ab');
    expect(formatLog('%llu %lld %llx', [-1n, -4n, 0xfeedn])).toBe('18446744073709551615 -4 000000000000feed');
    expect(formatLog('a %d b %u', [1n])).toBe('a 1 b %!u(MISSING)');
    expect(formatLog('%c %%', [1n, 2n])).toBe('%!(INVALID) %!(INVALID)');
  });

  it('judges statuses as Cilium\'s runner: ERROR, FAIL, SKIP by value, anything else passes', () => {
    expect([100, 101, 102, 103, 0, 7].map(outcomeOf)).toEqual(['error', 'pass', 'fail', 'skip', 'pass', 'pass']);
  });
});
