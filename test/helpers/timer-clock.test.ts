/**
 * Collection.advanceClock: timers armed by a program fire when virtual time passes, in expiry
 * order, with the clock at the expiry while the callback runs, and re-arm from their callback
 * (hrtimer semantics; the kernel fires them in real time, so these expectations follow the
 * kernel's rules rather than a recording). Program: timer_periodic in test/goldens/helpers2.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Collection } from '../../src/collection.js';
import { ENGINES } from '../../vm/engine.js';

const obj = new Uint8Array(readFileSync(new URL('../goldens/helpers2/helpers2.bpf.o', import.meta.url)));
const frame = Uint8Array.from(Buffer.from('000000000000ffffffffffff08004500001c0001000040117ccc7f0000017f000001', 'hex'));
const MS = 1_000_000n;

/** __sk_buff with mark = n (offset 8): timer_periodic keys its element (and firing count) by it. */
function ctxMark(n: number): Uint8Array {
  const ctx = new Uint8Array(192);
  new DataView(ctx.buffer).setUint32(8, n, true);
  return ctx;
}
const key = (n: number): Uint8Array => Uint8Array.from([n, 0, 0, 0]);

function pval(c: Collection, n: number): { count: bigint; last: bigint; first: bigint } {
  const v = c.map('periodic').lookup(key(n)) as Uint8Array;
  const dv = new DataView(v.buffer, v.byteOffset, v.byteLength);
  // The bpf_timer field reads back as zeros, as from the kernel's syscall.
  expect([...v.subarray(0, 16)].every((b) => b === 0)).toBe(true);
  return { count: dv.getBigUint64(16, true), last: dv.getBigUint64(24, true), first: dv.getBigUint64(32, true) };
}

describe.each(ENGINES)('advanceClock (%s)', (engine) => {
  it('fires an absolute BOOTTIME timer at its expiry, and a callback re-arms it', () => {
    const c = Collection.load(obj, { objectName: 'helpers2', engine });
    c.clock.bootOffsetNs = 5_000n * MS; // boot = mono + 5 s: the ABS expiry must be converted
    const t0 = c.clock.monoNs;
    expect(c.run('timer_periodic', frame, { ctxIn: ctxMark(3) }).retval).toBe(0);
    // The run itself took the default virtual 1 µs (src/test-run.ts TEST_RUN_VIRTUAL_NS).
    expect(c.clock.monoNs - t0).toBe(1000n);
    expect(c.advanceClock(MS)).toEqual([]); // expiry is 2 ms after the run
    const fired = c.advanceClock(10n * MS);
    expect(fired.map((f) => f.atNs - t0)).toEqual([2n * MS, 3n * MS, 4n * MS]);
    expect(fired.every((f) => f.key === '03000000' && f.r0 === 0n && f.fault === undefined)).toBe(true);
    expect(pval(c, 3)).toEqual({ count: 3n, first: t0 + 2n * MS, last: t0 + 4n * MS });
    expect(c.clock.monoNs - t0).toBe(11n * MS + 1000n);
    expect(c.advanceClock(100n * MS)).toEqual([]);
  });

  it('fires timers of several elements earliest first', () => {
    const c = Collection.load(obj, { objectName: 'helpers2', engine });
    const t0 = c.clock.monoNs;
    c.run('timer_periodic', frame, { ctxIn: ctxMark(2), virtualRunNs: 0 });
    c.advanceClock(MS / 2n);
    c.run('timer_periodic', frame, { ctxIn: ctxMark(1), virtualRunNs: 0 });
    const fired = c.advanceClock(10n * MS);
    expect(fired.map((f) => [f.key, f.atNs - t0])).toEqual([
      ['02000000', 2n * MS],
      ['01000000', 2n * MS + MS / 2n],
      ['02000000', 3n * MS],
    ]);
  });

  it('a deleted element takes its timer with it (bpf_obj_free_timer)', () => {
    const c = Collection.load(obj, { objectName: 'helpers2', engine });
    c.run('timer_periodic', frame, { ctxIn: ctxMark(3) });
    c.map('periodic').delete(key(3));
    expect(c.advanceClock(10n * MS)).toEqual([]);
  });

  it('updating the element frees its timer, as the kernel does', () => {
    const c = Collection.load(obj, { objectName: 'helpers2', engine });
    c.run('timer_periodic', frame, { ctxIn: ctxMark(3) });
    c.map('periodic').update(key(3), new Uint8Array(40));
    expect(c.advanceClock(10n * MS)).toEqual([]);
    // and a failed update (BPF_NOEXIST on an existing key) leaves it alone
    c.run('timer_periodic', frame, { ctxIn: ctxMark(2) });
    expect(() => c.map('periodic').update(key(2), new Uint8Array(40), 1)).toThrow();
    expect(c.advanceClock(10n * MS).map((f) => f.key)).toEqual(['02000000', '02000000']);
  });

  it('refuses to run time backwards', () => {
    const c = Collection.load(obj, { objectName: 'helpers2', engine });
    expect(() => c.advanceClock(-1)).toThrow(RangeError);
  });
});
