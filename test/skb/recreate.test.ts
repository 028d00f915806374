/**
 * Seeded differential test of Skb.recreate (the netdev reuses the last send's skb): after random
 * layout changes (push, pull, putZero, trim, reserve, insertZeros, removeBytes), writes inside
 * the packet and metadata changes, `recreate(frame)` must leave the skb exactly as
 * `Skb.create(frame)` makes one: every byte of the buffer (headroom and tailroom included), the
 * offsets and every metadata field. A recreate that skips zeroing after a layout change (the
 * fast path for an unmoved skb taken always) must fail it.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { Skb } from '../../src/skb/skb.js';
import { rngFor, type Rng } from '../fuzz/rng.js';

/** What the netdev asks for (datapath.ts SEND_SKB). */
const INIT = { headroom: 64, tailroom: 64 } as const;
/** recreate's own bookkeeping and views (compared through `buf` and `cb`). */
const INTERNAL = new Set(['zb', 'zw', 'view', 'viewBuf', 'viewData', 'viewLen', 'moved', 'cbw', 'buf', 'cb']);

/** The skb as a comparable string: every field, the whole buffer and cb. */
function dump(s: Skb): string {
  const fields = Object.entries(s)
    .filter(([k]) => !INTERNAL.has(k))
    .map(([k, v]) => `${k}=${String(v)}`)
    .sort();
  return `${fields.join(' ')} buf=${Buffer.from(s.buf).toString('hex')} cb=${Buffer.from(s.cb).toString('hex')}`;
}

const frame = (r: Rng, len: number): Uint8Array => Uint8Array.from({ length: len }, () => r.int(256));

/** One random change a program's helpers could make between two sends. */
function mutate(r: Rng, s: Skb): void {
  const n = 1 + r.int(40);
  switch (r.int(10)) {
    case 0:
      s.push(n);
      s.buf.fill(0xa5, s.data, s.data + n);
      return;
    case 1:
      if (s.len > n) s.pull(n);
      return;
    case 2:
      s.putZero(n);
      return;
    case 3:
      if (s.len > n) s.trim(s.len - n);
      return;
    case 4:
      s.reserve(n, r.int(80));
      return;
    case 5:
      s.insertZeros(r.int(s.len + 1), n);
      return;
    case 6:
      if (s.len > n + 14) s.removeBytes(r.int(14), n);
      return;
    case 7:
      s.mark = r.u32();
      s.tcIndex = r.int(0x10000);
      s.cb[r.int(20)] = 1 + r.int(255);
      s.tstamp = BigInt(r.u32());
      return;
    default:
      // a store through the packet region: inside [data, data + len) only
      if (s.len > 0) s.buf[s.data + r.int(s.len)] = 1 + r.int(255);
  }
}

/** The first seed whose recreated skb differs from a created one, with the difference. */
function firstDifference(seeds: number): string | undefined {
  for (let seed = 0; seed < seeds; seed++) {
    const r = rngFor(0x72656372, seed);
    let f = frame(r, 14 + r.int(100));
    const s = Skb.create(f, INIT);
    for (let step = 0; step < 12; step++) {
      for (let k = r.int(4); k > 0; k--) mutate(r, s);
      // mostly a frame of the same length (the buffer is reused), sometimes another
      f = frame(r, r.chance(0.8) ? f.length : 14 + r.int(100));
      s.recreate(f, INIT);
      const want = dump(Skb.create(f, INIT));
      const got = dump(s);
      if (got !== want) return `seed ${seed} step ${step}:\n  ${got}\nwant\n  ${want}`;
    }
  }
  return undefined;
}

describe('Skb.recreate is Skb.create with the buffer reused', () => {
  it('after random layout changes, writes and metadata changes (200 seeds × 12 sends)', () => {
    expect(firstDifference(200)).toBeUndefined();
  });

  const proto = Skb.prototype as unknown as { recreate: Skb['recreate'] };
  const recreate = proto.recreate;
  afterEach(() => {
    proto.recreate = recreate;
  });

  it('fails on a planted bug: a recreate that takes the unmoved fast path after a layout change', () => {
    proto.recreate = function (this: Skb, f, init) {
      (this as unknown as { moved: boolean }).moved = false;
      recreate.call(this, f, init);
    };
    expect(firstDifference(200)).toMatch(/buf=/);
  });
});
