/**
 * @fileoverview MapSpecs against `bpftool btf dump file` (recorded goldens) and against the C
 * sources of the fixtures for initial contents.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCollectionSpec } from '../../loader/index.js';
import { GOLDENS, PROGS, goldenObjects, loadOptions, mapsFromBtfDump, parseBtfDump, readBytes } from './goldens.js';

const withBtf = goldenObjects().filter((o) => !['kfunc', 'progs/invalid_section'].includes(o.name) && readFileSync(`${o.prefix}.readelf.txt`, 'utf8').includes(' .BTF '));
const u32 = (b: Uint8Array): number => new DataView(b.buffer, b.byteOffset, 4).getUint32(0, true);
const PERF_EVENT_ARRAY = 4;
/** num_possible_cpus() of the machine the run goldens were recorded on (see src/collection.ts ncpus). */
const ORACLE_POSSIBLE_CPUS = 2;

describe.each(withBtf)('[loader/maps]: $name agrees with bpftool btf dump', ({ name, object, prefix }) => {
  const opts = loadOptions(name);
  const spec = loadCollectionSpec(readBytes(object), opts);
  const types = parseBtfDump(readFileSync(`${prefix}.btf.txt`, 'utf8'));

  it('BTF-defined maps: type, sizes, max_entries, flags, pinning, map_extra, key/value type ids, in DATASEC order', () => {
    const dump = mapsFromBtfDump(types).map((d) => ({
      name: d.name,
      type: d.type,
      // libbpf: a perf event array without sizes gets 4/4
      keySize: d.type === PERF_EVENT_ARRAY && d.keySize === 0 ? 4 : d.keySize,
      valueSize: d.type === PERF_EVENT_ARRAY && d.valueSize === 0 ? 4 : d.valueSize,
      maxEntries: d.maxEntries,
      flags: d.flags,
      pinning: d.pinning,
      mapExtra: d.mapExtra,
      keyTypeId: d.keyTypeId,
      valueTypeId: d.valueTypeId,
    }));
    const ours = spec.maps
      .filter((m) => m.source === 'btf')
      .map((m) => ({ name: m.name, type: m.type.id, keySize: m.keySize, valueSize: m.valueSize, maxEntries: m.maxEntries, flags: m.flags, pinning: m.pinning, mapExtra: m.mapExtra ?? 0, keyTypeId: m.btfKeyTypeId, valueTypeId: m.btfValueTypeId }));
    expect(ours).toEqual(dump);
  });

  it('global data maps carry their DATASEC type id', () => {
    for (const m of spec.maps.filter((x) => x.source === 'data')) {
      const ds = [...types.values()].find((t) => t.kind === 'DATASEC' && t.name === m.name);
      expect(m.btfValueTypeId, m.name).toBe(ds?.id);
    }
  });
});

describe('[loader/maps]: __array(values) initialisers (features.bpf.c)', () => {
  const spec = loadCollectionSpec(readBytes(join(GOLDENS, 'features.bpf.o')));
  const mapIdx = (n: string) => spec.maps.findIndex((m) => m.name === n);
  it('outer = { [0] = &in1, [2] = &in2 }', () => {
    const outer = spec.maps[mapIdx('outer')];
    expect(outer.contents?.map(([k, v]) => [u32(k), u32(v)])).toEqual([
      [0, mapIdx('in1')],
      [2, mapIdx('in2')],
    ]);
    // inner template from __array(values, struct inner): array, 1 entry, 4/4
    expect(outer.innerMap && [outer.innerMap.type.id, outer.innerMap.maxEntries, outer.innerMap.keySize, outer.innerMap.valueSize]).toEqual([2, 1, 4, 4]);
  });
  it('jmp = { [1] = &tail_a }', () => {
    const jmp = spec.maps[mapIdx('jmp')];
    expect(jmp.contents?.map(([k, v]) => [u32(k), u32(v)])).toEqual([[1, spec.programs.findIndex((p) => p.name === 'tail_a')]]);
  });
  it('map order is libbpf\'s: .maps in DATASEC order, then data sections in section order', () => {
    expect(spec.maps.map((m) => m.name)).toEqual(['in1', 'in2', 'outer', 'jmp', 'counts', 'events', '.data', '.rodata', '.data.custom', '.bss']);
  });
});

/**
 * Kernel truth for map definitions: `oracle run` (libbpf 1.1 loading the same objects into Linux
 * 6.18) dumps every map's type, sizes, max_entries and flags (test/goldens/run/*.json).
 */
describe('[loader/maps]: map definitions as the kernel created them (test/goldens/run)', () => {
  const runDir = join(import.meta.dirname, '../goldens/run');
  const cases = readdirSync(runDir)
    .filter((f) => f.endsWith('.json') && !f.startsWith('invalid_') && !f.startsWith('manifest'))
    .map((f) => ({ f, obj: f.split('.')[0] }))
    .filter(({ obj }) => existsSync(join(PROGS, `${obj}.bpf.o`)));
  it('has cases', () => expect(cases.length).toBeGreaterThan(5));
  it.each(cases)('$f', ({ f, obj }) => {
    const golden = JSON.parse(readFileSync(join(runDir, f), 'utf8')) as {
      maps?: Record<string, { type: number; key_size: number; value_size: number; max_entries: number; map_flags: number }>;
    };
    const spec = loadCollectionSpec(readBytes(join(PROGS, `${obj}.bpf.o`)));
    for (const [kname, k] of Object.entries(golden.maps ?? {})) {
      // libbpf names internal maps "<object name, 8 chars max>.<section>" ("globals.data") when short enough
      const ours = spec.maps.find((m) => m.name === kname || (m.source === 'data' && kname === `${obj.slice(0, 8)}${m.name}`));
      expect(ours, `${f}: ${kname}`).toBeDefined();
      // A perf event array without max_entries gets the number of possible CPUs when it is created
      // (libbpf; src/maps/create.ts): machine-dependent, so the spec keeps 0. The oracle machine has 2.
      const maxEntries = ours!.type.id === PERF_EVENT_ARRAY && ours!.maxEntries === 0 ? ORACLE_POSSIBLE_CPUS : ours!.maxEntries;
      expect([ours!.type.id, ours!.keySize, ours!.valueSize, maxEntries, ours!.flags], `${f}: ${kname}`).toEqual([
        k.type,
        k.key_size,
        k.value_size,
        k.max_entries,
        k.map_flags,
      ]);
    }
  });
});
