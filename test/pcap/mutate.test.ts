/**
 * Mutated captures and random frames: the reader returns frames and at most one PcapError (or,
 * when the magic itself is hit, a UsageError), the dissector returns layers; nothing else
 * escapes, and every frame returned lies inside the file.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BpfError } from '../../vm/errors.js';
import { dissect } from '../../src/packet/index.js';
import { parseFrames } from '../../src/pcap/index.js';
import { xorshift32 } from '../fuzz/rng.js';
import { CATALOG } from '../packet/catalog.js';

const DIR = join(__dirname, '..', 'goldens', 'pcap');

/** xorshift32: the same mutations on every run. */
const rng = xorshift32;

describe('reader: mutated files', () => {
  for (const name of ['eth.pcapng', 'eth-us.pcap', 'any-sll2.pcapng', 'any-sll.pcap', 'raw.pcapng']) {
    it(name, () => {
      const base = new Uint8Array(readFileSync(join(DIR, name)));
      const r = rng(name.length * 7919);
      let errors = 0;
      for (let k = 0; k < 150; k++) {
        const b = base.slice();
        const n = 1 + (r() % 4);
        for (let j = 0; j < n; j++) b[r() % b.length] = r() & 0xff;
        try {
          const out = parseFrames(b);
          if (out.error) {
            errors++;
            expect(out.error.offset).toBeGreaterThanOrEqual(0);
            expect(out.error.offset).toBeLessThanOrEqual(b.length);
          }
          let total = 0;
          for (const f of out.frames) total += f.data.length;
          // SLL/raw frames grow by at most a 14-byte header each
          expect(total).toBeLessThanOrEqual(b.length + 14 * out.frames.length);
        } catch (e) {
          expect(e).toBeInstanceOf(BpfError);
          errors++;
        }
      }
      expect(errors).toBeGreaterThan(0);
    });
  }
});

describe('dissector: random bytes and cut frames', () => {
  it('every prefix of every catalog frame', () => {
    for (const f of Object.values(CATALOG)) {
      for (let n = 0; n <= f.length; n++) {
        const d = dissect(f.subarray(0, n));
        for (const l of d.layers) expect(l.offset + l.length).toBeLessThanOrEqual(n);
      }
    }
  });
  for (let s = 1; s <= 3; s++) {
    it(`random frames, seed ${s}`, () => {
      const r = rng(s * 104729);
      for (let k = 0; k < 400; k++) {
        const f = Uint8Array.from({ length: r() % 200 }, () => r() & 0xff);
        // steer some into IP/IPv6/VLAN parsing
        if (f.length > 14 && k % 2) [f[12], f[13]] = [[0x08, 0x00], [0x86, 0xdd], [0x81, 0x00]][k % 3];
        const d = dissect(f);
        for (const l of d.layers) expect(l.offset + l.length).toBeLessThanOrEqual(f.length);
      }
    });
  }
});
