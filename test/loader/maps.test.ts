/**
 * @fileoverview MapSpecs against `bpftool btf dump file` (recorded goldens) and against the C
 * sources of the fixtures for initial contents.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCollectionSpec } from '../../loader/index.js';
import { GOLDENS, goldenObjects, mapsFromBtfDump, parseBtfDump, readBytes } from './goldens.js';

const withBtf = goldenObjects().filter((o) => !['kfunc', 'progs/invalid_section'].includes(o.name) && readFileSync(`${o.prefix}.readelf.txt`, 'utf8').includes(' .BTF '));
const u32 = (b: Uint8Array): number => new DataView(b.buffer, b.byteOffset, 4).getUint32(0, true);
const PERF_EVENT_ARRAY = 4;

describe.each(withBtf)('[loader/maps]: $name agrees with bpftool btf dump', ({ name, object, prefix }) => {
  const opts = ['iproute2', 'unknown_section'].includes(name) ? { programType: 'classifier' } : {};
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
