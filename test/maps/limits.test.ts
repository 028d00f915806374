/**
 * Map size limits against the kernel: test/goldens/maps/syscall/limits.txt (huge max_entries and
 * value_size for every map type) was run by `mapscript` on Linux (record.sh); here every line is
 * created through createMap. The answer must be the kernel's errno, as a typed ErrnoError naming
 * the map, and creation must be quick (no eager allocation proportional to max_entries).
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ErrnoError, ErrorCode } from '../../vm/errors.js';
import { Memory } from '../../vm/memory.js';
import { createMap, createMapEnv, MAP_MEMORY_LIMIT, type MapDefinition } from '../../src/maps/index.js';
import { ERRNO, type ErrnoName } from '../../src/uapi.js';

const dir = join(dirname(fileURLToPath(import.meta.url)), '../goldens/maps/syscall');
const lines = readFileSync(join(dir, 'limits.txt'), 'utf8').split('\n');
const answers = readFileSync(join(dir, 'limits.out.jsonl'), 'utf8')
  .trim()
  .split('\n')
  .map((l) => JSON.parse(l) as { line: number; ret: number });

function def(f: string[], name: string): MapDefinition {
  const [type, ks, vs, max, flags] = f.slice(1, 6).map((x) => Number(x));
  const extra = f[6]?.startsWith('extra=') ? Number(f[6].slice(6)) : undefined;
  return { name, type, keySize: ks, valueSize: vs, maxEntries: max, flags, mapExtra: extra };
}

describe('[maps/limits]: huge map definitions get the kernel answer, quickly', () => {
  const env = createMapEnv(new Memory(), { ncpus: 2 });
  let prev: MapDefinition | undefined;
  for (const a of answers) {
    const line = lines[a.line - 1];
    const f = line.split(/\s+/);
    const d = def(f, `big_${a.line}`);
    it(`line ${a.line}: ${line} → ${a.ret}`, () => {
      if (f[6] === 'inner') d.innerMap = prev;
      const t0 = performance.now();
      let got = 0;
      try {
        createMap(d, env);
        prev = d;
      } catch (e) {
        expect(e).toBeInstanceOf(ErrnoError);
        const err = e as ErrnoError;
        expect(err.code).toBe(ErrorCode.Map);
        expect(err.message).toContain(JSON.stringify(d.name));
        got = -ERRNO[err.errno as ErrnoName];
      }
      expect(got).toBe(a.ret);
      expect(performance.now() - t0).toBeLessThan(500);
    });
  }
});

describe('[maps/limits]: tcxlab refuses storage over its cap with ENOMEM before allocating', () => {
  const env = createMapEnv(new Memory(), { ncpus: 2 });
  it.each([
    ['array', { type: 2, keySize: 4, valueSize: 4096, maxEntries: MAP_MEMORY_LIMIT / 4096 + 1 }],
    ['percpu array', { type: 6, keySize: 4, valueSize: 8, maxEntries: MAP_MEMORY_LIMIT / 16 + 1 }],
    ['queue', { type: 22, keySize: 0, valueSize: 4096, maxEntries: MAP_MEMORY_LIMIT / 4096 + 1 }],
    ['ringbuf', { type: 27, keySize: 0, valueSize: 0, maxEntries: 2 ** 31 }],
  ])('%s', (_n, d) => {
    expect(() => createMap({ name: 'big', flags: 0, ...d }, env)).toThrow(/ENOMEM/);
  });
});

describe('[maps/limits]: where the kernel would allocate gigabytes and succeed, tcxlab succeeds lazily', () => {
  it.each([
    ['hash, 2^27 preallocated entries', { type: 1, keySize: 4, valueSize: 4, maxEntries: 2 ** 27 }, 'strict'],
    ['lru hash (kernel lists), 2^27 entries', { type: 9, keySize: 4, valueSize: 4, maxEntries: 2 ** 27 }, 'kernel'],
    ['lru percpu hash, 2^27 entries', { type: 10, keySize: 4, valueSize: 8, maxEntries: 2 ** 27 }, 'strict'],
    ['prog array, 2^27 slots (1 GiB of kernel pointers, at the cap)', { type: 3, keySize: 4, valueSize: 4, maxEntries: 2 ** 27 }, 'strict'],
    ['perf event array, 2^27 slots', { type: 4, keySize: 4, valueSize: 4, maxEntries: 2 ** 27 }, 'strict'],
    ['lpm trie, 2^32-1 entries', { type: 11, keySize: 8, valueSize: 4, maxEntries: 2 ** 32 - 1, flags: 1 }, 'strict'],
    ['devmap hash, 2^31 entries (16 GiB of kernel buckets)', { type: 25, keySize: 4, valueSize: 4, maxEntries: 2 ** 31 }, 'strict'],
    ['bloom filter, 2^32-1 entries (a 512 MiB bit array in the kernel)', { type: 30, keySize: 0, valueSize: 4, maxEntries: 2 ** 32 - 1 }, 'strict'],
  ] as const)('%s', (_n, d, lru) => {
    const env = createMapEnv(new Memory(), { ncpus: 2, lru });
    const heap0 = process.memoryUsage().heapUsed;
    const t0 = performance.now();
    const m = createMap({ name: 'big', flags: 0, ...d }, env);
    expect(m.maxEntries).toBe(d.maxEntries);
    expect(m.keys(3).length).toBeLessThanOrEqual(3);
    expect(performance.now() - t0).toBeLessThan(500);
    expect(process.memoryUsage().heapUsed - heap0).toBeLessThan(64 << 20);
  });

  it('an fd array one slot over the cap is ENOMEM, naming the map', () => {
    const env = createMapEnv(new Memory(), { ncpus: 2 });
    expect(() => createMap({ name: 'jt', type: 3, keySize: 4, valueSize: 4, maxEntries: 2 ** 27 + 1, flags: 0 }, env)).toThrow(
      /map "jt" \(prog_array\): create: needs 1073741832 bytes, over tcxlab's 1073741824-byte map limit \(ENOMEM\)/,
    );
  });
});
