/**
 * What the fuzzers found, pinned by direct tests (the inputs themselves are replayed from
 * test/fuzz/corpus/ by corpus.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { ErrnoError } from '../../vm/errors.js';
import { asm } from '../../vm/asm.js';
import { interpret } from '../../vm/interpreter.js';
import { compile } from '../../vm/jit/index.js';
import { link } from '../../vm/link.js';
import { decode, type HelperFn, type LinkedProgram } from '../../vm/program.js';
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

describe('[fuzz/findings] value_size near 2^31 (maps corpus 5dd7236b22e6aa3e, 47311adf50b340ed)', () => {
  it('an array with value_size 0x7fffffff is ENOMEM (2 GiB up front), not a RangeError from a negative length', () => {
    const env = createMapEnv(new Memory(), {});
    expect(() => createMap({ name: 'a', type: T.BPF_MAP_TYPE_ARRAY, keySize: 4, valueSize: 0x7fffffff, maxEntries: 1, flags: 0 }, env)).toThrow(/ENOMEM/);
  });
  it('a per-CPU array with value_size 0x7fffffff is E2BIG (round_up(value_size, 8) over PCPU_MIN_UNIT_SIZE)', () => {
    const env = createMapEnv(new Memory(), {});
    expect(() => createMap({ name: 'p', type: T.BPF_MAP_TYPE_PERCPU_ARRAY, keySize: 4, valueSize: 0x7fffffff, maxEntries: 1, flags: 0 }, env)).toThrow(/E2BIG/);
  });
});

describe('[fuzz/findings] a tail call into a program naming r11+ (elf corpus 5746b6d10512fcf7)', () => {
  // The JIT runs only programs whose register fields are <= r10 and leaves the others to the
  // interpreter; a JIT run cannot switch engines at a tail call, so both engines fault there.
  const target = link(decode(asm`mov %r0, 5\nexit`.map((b, i) => (i === 1 ? 12 : b))), { name: 't', helpers: [] });
  const helpers: HelperFn[] = [];
  helpers[12] = (c) => {
    c.tailCall = target;
    c.regs.lo[0] = 0;
  };
  const caller: LinkedProgram = link(decode(asm`mov %r0, 1\ncall 12\nmov %r0, 2\nexit`), { name: 'c', helpers });
  it('the target names r12 (the JIT leaves it to the interpreter)', () => {
    expect(compile(target).interpreted).toBe(true);
    expect(compile(caller).interpreted).toBe(false);
  });
  it('interpreter and JIT give the same E_HELPER_FAULT at the call', () => {
    const a = interpret(caller, new Memory());
    const b = compile(caller).run(new Memory());
    for (const r of [a, b]) {
      expect(r.fault?.code).toBe('E_HELPER_FAULT');
      expect(r.fault?.insnIndex).toBe(1);
    }
    expect(b.insns).toBe(a.insns);
  });
});

describe('[fuzz/findings] devmaps with huge max_entries (the fd-array finding, checked again on the newer map types)', () => {
  it('a devmap of 2^31-1 entries is ENOMEM, not a RangeError from a 16 GiB typed array', () => {
    const env = createMapEnv(new Memory(), {});
    expect(() => createMap({ name: 'd', type: T.BPF_MAP_TYPE_DEVMAP, keySize: 4, valueSize: 4, maxEntries: 0x7fffffff, flags: 0 }, env)).toThrow(/ENOMEM/);
  });
  it('a devmap_hash of 2^27 entries is created and dumped at once (buckets made lazily)', () => {
    const env = createMapEnv(new Memory(), {});
    const m = createMap({ name: 'h', type: T.BPF_MAP_TYPE_DEVMAP_HASH, keySize: 4, valueSize: 4, maxEntries: 1 << 27, flags: 0 }, env);
    expect(m.dumpJson({ maxEntries: 8 }).entries).toEqual([]);
  });
});
