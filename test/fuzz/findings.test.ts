/**
 * What the fuzzers found, pinned by direct tests (the inputs themselves are replayed from
 * test/fuzz/corpus/ by corpus.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { ErrnoError } from '../../vm/errors.js';
import { Memory } from '../../vm/memory.js';
import { createMap, createMapEnv } from '../../src/maps/index.js';
import { BPF_MAP_TYPE as T } from '../../src/uapi.js';
import { runJob } from '../../src/cli/commands/run.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './fuzzers.js';
import { PACKET } from './invariant.js';
import { renameNames } from './mutators.js';

describe('[fuzz/findings] fd arrays with huge max_entries (maps corpus 5f4c524707f89fac)', () => {
  const inner = { name: 'i', type: T.BPF_MAP_TYPE_ARRAY, keySize: 4, valueSize: 4, maxEntries: 1, flags: 0 };
  const fdArrays = [
    ['prog array', T.BPF_MAP_TYPE_PROG_ARRAY],
    ['perf event array', T.BPF_MAP_TYPE_PERF_EVENT_ARRAY],
    ['array of maps', T.BPF_MAP_TYPE_ARRAY_OF_MAPS],
  ] as const;
  it.each(fdArrays)('%s: 2^31-1 slots is ENOMEM (8 bytes a slot, over the 1 GiB map limit), as the kernel fails the vmalloc', (_n, type) => {
    const env = createMapEnv(new Memory(), {});
    let err: unknown;
    try {
      createMap({ name: 'm', type, keySize: 4, valueSize: 4, maxEntries: 0x7fffffff, flags: 0, innerMap: type === T.BPF_MAP_TYPE_ARRAY_OF_MAPS ? inner : undefined }, env);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ErrnoError);
    expect((err as ErrnoError).errno).toBe('ENOMEM');
  });
  it.each(fdArrays)('%s: 2^26 slots are sparse, and a dump stops at its limit', (_n, type) => {
    const env = createMapEnv(new Memory(), {});
    const m = createMap({ name: 'm', type, keySize: 4, valueSize: 4, maxEntries: 1 << 26, flags: 0, innerMap: type === T.BPF_MAP_TYPE_ARRAY_OF_MAPS ? inner : undefined }, env);
    const d = m.dumpJson({ maxEntries: 8 });
    expect(d.entries.length).toBe(8);
    expect(d.truncated).toBe(true);
    expect(m.keys(3).map((k) => Buffer.from(k).toString('hex'))).toEqual(['00000000', '01000000', '02000000']);
  });
});

describe('[fuzz/findings] hostile map names in `tcxlab run` output (names category)', () => {
  it('a map named __proto__ is an own key of the JSON "maps" object, not its prototype', () => {
    const src = new Uint8Array(readFileSync(join(ROOT, 'progs/bench_fw.bpf.o')));
    const bytes = renameNames(src, { symbols: { blocklist: '__proto__', fw_stats: 'constructor' } });
    const out = runJob(bytes, 'x.bpf.o', 'bench_fw', [{ line: 1, data: PACKET }], {});
    const json = JSON.parse(JSON.stringify(out)) as { maps: Record<string, { type_name: string }> };
    expect(Object.keys(json.maps)).toEqual(['__proto__', 'constructor']);
    expect(Object.getOwnPropertyDescriptor(json.maps, '__proto__')?.value.type_name).toBe('lpm_trie');
    expect(Object.getOwnPropertyDescriptor(json.maps, 'constructor')?.value.type_name).toBe('percpu_array');
  });
});
