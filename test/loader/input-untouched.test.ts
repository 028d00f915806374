import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadCollectionSpec } from '../../loader/index.js';

const objs = ['tailcall', 'core', 'globals', 'bench_chain'].map((n) => `progs/${n}.bpf.o`);

describe('[loader]: the caller’s bytes are never modified', () => {
  it.each(objs)('%s loaded from a Node Buffer twice gives the same spec and leaves the buffer as read', (path) => {
    const buf = readFileSync(new URL(`../../${path}`, import.meta.url));
    const before = Buffer.from(buf);
    const a = loadCollectionSpec(buf);
    expect(buf.equals(before)).toBe(true);
    const b = loadCollectionSpec(buf);
    expect(b).toEqual(a);
  });
});
