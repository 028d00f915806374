/**
 * Replays every reproducer under test/fuzz/corpus/<category>/<hash>.bin (written by
 * `npm run fuzz` when an input broke the invariant, then fixed at the root). Each must now pass
 * the full invariant (both verification modes, both engines) and, when its description names the
 * outcome the fix gave (`expect`), give exactly that outcome.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CORPUS, checkInput } from './fuzzers.js';

interface Description {
  category: string;
  kind?: 'object' | 'raw';
  failure?: string;
  expect?: string;
}

const entries: { file: string; bytes: Uint8Array; desc: Description }[] = [];
if (existsSync(CORPUS)) {
  for (const dir of readdirSync(CORPUS).sort()) {
    const d = join(CORPUS, dir);
    for (const f of readdirSync(d).sort()) {
      if (!f.endsWith('.bin')) continue;
      const desc = JSON.parse(readFileSync(join(d, f.replace(/\.bin$/, '.json')), 'utf8')) as Description;
      entries.push({ file: `${dir}/${f}`, bytes: new Uint8Array(readFileSync(join(d, f))), desc });
    }
  }
}

describe('[fuzz] corpus of reproducers', () => {
  it('every reproducer has a one-line description in its category directory', () => {
    expect(entries.length).toBeGreaterThan(0);
    for (const e of entries) {
      expect(e.desc.category).toBe(e.file.split('/')[0]);
      expect(e.desc.failure, e.file).toBeTypeOf('string');
    }
  });
  // The CLI fuzzer's reproducers (corpus/cli) are replayed by its own test.
  const replayed = entries.filter((e) => e.desc.category !== 'cli');
  it.each(replayed.map((e) => [e.file, e] as const))('%s', (_f, e) => {
    const r = checkInput({ kind: e.desc.kind ?? 'object', bytes: e.bytes });
    expect(r.failure).toBeUndefined();
    expect(r.outcome).not.toBe('FAILURE');
    if (e.desc.expect !== undefined) expect(r.outcome).toBe(e.desc.expect);
  });
});
