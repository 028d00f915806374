/**
 * iproute2 / libbpf pinning: maps pinned by name are one map for every object loaded into one
 * emulated machine (one Memory, one Host kernel). Fixtures: test/goldens/net/pin_*.bpf.c.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCollectionSpec } from '../../loader/index.js';
import { Collection, pinnedMaps } from '../../src/collection.js';
import { Host } from '../../src/net/host.js';
import { memoryIo } from '../../src/cli/io.js';
import { run } from '../../src/cli/main.js';
import { Memory } from '../../vm/memory.js';
import { ErrnoError } from '../../vm/errors.js';

const ROOT = join(import.meta.dirname, '../..');
const DIR = join(ROOT, 'test/goldens/net');
const obj = (name: string): Uint8Array => new Uint8Array(readFileSync(join(DIR, `${name}.bpf.o`)));
const sha1 = (b: Uint8Array): string => createHash('sha1').update(b).digest('hex');
const FRAME = Uint8Array.from(Buffer.from('02000000000102000000000208004500001c000100004011000000000000000000000000000000000000', 'hex'));
const K0 = new Uint8Array(4);
const u64 = (v: number): Uint8Array => {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setBigUint64(0, BigInt(v), true);
  return b;
};

describe('[loader]: iproute2 struct bpf_elf_map with pinning', () => {
  it('a 28-byte (7-field) bpf_elf_map is iproute2 format, zero-extended; pin paths as tc makes them', () => {
    const bytes = obj('pin_a');
    const spec = loadCollectionSpec(bytes);
    const [shared, own] = spec.maps;
    expect(shared).toMatchObject({ name: 'shared', source: 'iproute2', pinning: 2, keySize: 4, valueSize: 8, maxEntries: 1, pinPath: '/sys/fs/bpf/tc/globals/shared' });
    expect(own).toMatchObject({ name: 'own', source: 'iproute2', pinning: 1, pinPath: `/sys/fs/bpf/tc/${sha1(bytes)}/own` });
  });
  it('a BTF map pinned by name goes to tc/globals', () => {
    expect(loadCollectionSpec(obj('pin_btf')).maps[0]).toMatchObject({ name: 'shared', pinning: 1, pinPath: '/sys/fs/bpf/tc/globals/shared' });
  });
});

describe('[collection]: pinned maps are shared within one machine (Memory)', () => {
  it('PIN_GLOBAL_NS is shared between objects, PIN_OBJECT_NS only between loads of the same file', () => {
    const mem = new Memory();
    const a = Collection.load(obj('pin_a'), { mem });
    const b = Collection.load(obj('pin_b'), { mem });
    const a2 = Collection.load(obj('pin_a'), { mem });
    expect(b.map('shared')).toBe(a.map('shared'));
    expect(b.map('own')).not.toBe(a.map('own'));
    expect(a2.map('own')).toBe(a.map('own'));
    expect(a.run('count_a', FRAME).retval).toBe(0xffffffff);
    expect(b.run('count_b', FRAME).retval).toBe(0xffffffff);
    expect(a.map('shared').lookup(K0)).toEqual(u64(2));
    expect(a.map('own').lookup(K0)).toEqual(u64(1));
    expect(b.map('own').lookup(K0)).toEqual(u64(1));
    expect([...pinnedMaps(mem).keys()].sort()).toEqual(
      ['/sys/fs/bpf/tc/globals/shared', `/sys/fs/bpf/tc/${sha1(obj('pin_a'))}/own`, `/sys/fs/bpf/tc/${sha1(obj('pin_b'))}/own`].sort(),
    );
  });
  it('a reused pin keeps its contents (a later object does not re-initialise it)', () => {
    const mem = new Memory();
    const a = Collection.load(obj('pin_a'), { mem });
    a.map('shared').update(K0, u64(40));
    const c = Collection.load(obj('pin_btf'), { mem });
    c.run('count_c', FRAME);
    expect(a.map('shared').lookup(K0)).toEqual(u64(50));
  });
  it('different machines do not share', () => {
    const a = Collection.load(obj('pin_a'));
    const b = Collection.load(obj('pin_b'));
    expect(b.map('shared')).not.toBe(a.map('shared'));
  });
  it('a pinned map with another definition is EINVAL (bpf_map_selfcheck_pinned / map_is_reuse_compat)', () => {
    const mem = new Memory();
    Collection.load(obj('pin_a'), { mem });
    let err: unknown;
    try {
      Collection.load(obj('pin_clash'), { mem });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ErrnoError);
    expect((err as ErrnoError).errno).toBe('EINVAL');
    expect((err as Error).message).toContain('/sys/fs/bpf/tc/globals/shared');
  });
  it('Host.loadObject: objects loaded on one host kernel share, another kernel does not', () => {
    const h = new Host();
    const ns = new Host({ kernel: h.kernel });
    const other = new Host();
    const a = h.loadObject(obj('pin_a'));
    expect(ns.loadObject(obj('pin_b')).collection.map('shared')).toBe(a.collection.map('shared'));
    expect(other.loadObject(obj('pin_b')).collection.map('shared')).not.toBe(a.collection.map('shared'));
  });
});

describe('[net]: tcxlab net scenario with three objects sharing a pinned map', () => {
  it('one packet through count_a, count_b, count_c: shared = 1 + 1 + 10, each own = 1', async () => {
    const io = memoryIo();
    const code = await run(['net', '--json', join(DIR, 'pinning.net')], io);
    const steps = io.stdout.trim().split('\n').map((l) => JSON.parse(l) as { cmd: string; rc: number; value?: string });
    expect(code).toBe(0);
    const dump = (m: string): string | undefined => steps.find((s) => s.cmd === `map dump ${m}`)?.value;
    expect(dump('a/shared')).toBe('0c00000000000000');
    expect(dump('b/shared')).toBe('0c00000000000000');
    expect(dump('c/shared')).toBe('0c00000000000000');
    expect(dump('a/own')).toBe('0100000000000000');
    expect(dump('b/own')).toBe('0100000000000000');
  });
});
