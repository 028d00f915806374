import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { run } from '../../src/cli/main.js';
import { memoryIo } from '../../src/cli/io.js';
import { dumpJsonText, dumpPlain, fprintHex, type DumpMapInfo, type DumpRow } from '../../src/cli/commands/map-dump.js';
import { BPF_MAP_TYPE } from '../../src/uapi.js';

// `tcxlab map dump` against bpftool's `map dump` of the same maps (test/goldens/bpftool/,
// recorded by test/goldens/bpftool/record.sh): dump.bpf.o's maps after running `count` once on
// CPU 0 on the frame of test/goldens/cli/one.txt, and BTF-less maps bpftool created and filled.
const root = new URL('../../', import.meta.url);
const path = (p: string): string => new URL(p, root).pathname;
const golden = (p: string): string => readFileSync(new URL(`test/goldens/bpftool/${p}`, root), 'utf8');
const DUMP = path('test/goldens/bpftool/dump.bpf.o');
const ONE = path('test/goldens/cli/one.txt');

async function cli(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = memoryIo();
  const code = await run(argv, io);
  return { code, out: io.stdout, err: io.stderr };
}

type KernelEntry = { key: string[]; value?: string[]; values?: { cpu: number; value: string[] }[] };
const bytes = (h: string[]): Uint8Array => Uint8Array.from(h.map((x) => parseInt(x, 16)));

describe('[cli] tcxlab map dump --json after a run: bpftool -j of the same map', () => {
  // Byte for byte: bpftool -j writes compact JSON, and u64 values beyond 2^53 (rich.big) must
  // come out exact, which parsing both sides into JS numbers would not check.
  for (const m of ['arr', 'hsh', 'pcpu', 'pch', 'rich']) {
    it(`map ${m}: keys, hex values, per-CPU values and BTF-formatted values as bpftool prints them`, async () => {
      const r = await cli(['map', 'dump', DUMP, m, 'count', ONE, '--json']);
      expect(r.err).toBe('');
      expect(r.code).toBe(0);
      expect(r.out).toBe(golden(`map-${m}.kernel.json`));
    });
  }
});

describe('[cli] tcxlab map dump --json of typed.bpf.o after its frames: bpftool -j of the same maps', () => {
  // record.sh runs `track` on each frame of typed-frames.txt on CPU 0, then dumps every map;
  // global data comes out formatted from the DATASEC libbpf fixed up (static `hidden` included).
  const TYPED = path('test/goldens/bpftool/typed.bpf.o');
  const FRAMES = path('test/goldens/bpftool/typed-frames.txt');
  const MAPS: [string, string][] = [
    ['flows', 'flows'],
    ['v6_seen', 'v6_seen'],
    ['per_cpu', 'per_cpu'],
    ['.data', 'typed_data'],
    ['.bss', 'typed_bss'],
    ['.rodata', 'typed_rodata'],
    ['.rodata.str1.1', '_rodata_str1_1'],
  ];
  // Entries as text, sorted: a kernel hash map dumps in bucket order, which follows a random
  // per-map hash seed; tcxlab dumps hash maps in key order. Each entry stays byte for byte.
  const entriesText = (json: string): string[] => {
    const body = json.trim().slice(1, -1);
    return body === '' ? [] : body.split('},{"key":').map((e, i, all) => (i > 0 ? '{"key":' : '') + e + (i < all.length - 1 ? '}' : '')).sort();
  };
  for (const [name, pinned] of MAPS) {
    it(`map ${name}: every entry byte for byte`, async () => {
      const r = await cli(['map', 'dump', TYPED, name, 'track', FRAMES, '--json']);
      expect(r.err).toBe('');
      expect(r.code).toBe(0);
      const kernel = golden(`map-typed-${pinned}.kernel.json`);
      expect(r.out.endsWith('\n')).toBe(true);
      expect(entriesText(r.out)).toEqual(entriesText(kernel));
      expect(entriesText(kernel).length).toBeGreaterThan(0);
    });
  }
});

// bpftool's plain layouts, fed the bytes bpftool's JSON dump of the same map holds.
const RAW: Record<string, DumpMapInfo> = {
  rawh: { type: BPF_MAP_TYPE.BPF_MAP_TYPE_HASH, keySize: 4, valueSize: 8, percpu: false },
  rawbig: { type: BPF_MAP_TYPE.BPF_MAP_TYPE_HASH, keySize: 4, valueSize: 20, percpu: false },
  rawkey: { type: BPF_MAP_TYPE.BPF_MAP_TYPE_HASH, keySize: 18, valueSize: 4, percpu: false },
  rawpc: { type: BPF_MAP_TYPE.BPF_MAP_TYPE_PERCPU_ARRAY, keySize: 4, valueSize: 4, percpu: true },
  rawpcbig: { type: BPF_MAP_TYPE.BPF_MAP_TYPE_PERCPU_HASH, keySize: 2, valueSize: 24, percpu: true },
  rawempty: { type: BPF_MAP_TYPE.BPF_MAP_TYPE_HASH, keySize: 4, valueSize: 4, percpu: false },
};

describe('[cli] map dump layouts: bpftool map dump of BTF-less maps', () => {
  for (const [name, info] of Object.entries(RAW)) {
    it(`${name}: plain text and JSON`, () => {
      const kernel = JSON.parse(golden(`raw-${name}.kernel.json`)) as KernelEntry[];
      const rows: DumpRow[] = kernel.map((e) => ({ key: bytes(e.key), value: e.values ? e.values.map((v) => bytes(v.value)) : bytes(e.value ?? []) }));
      expect(dumpPlain(info, rows)).toBe(golden(`raw-${name}.kernel.txt`));
      expect(JSON.parse(dumpJsonText(info, rows))).toEqual(kernel);
    });
  }

  it('fprint_hex breaks after 8 and 16 bytes', () => {
    expect(fprintHex(Uint8Array.from({ length: 17 }, (_, i) => i))).toBe('00 01 02 03 04 05 06 07  08 09 0a 0b 0c 0d 0e 0f\n10');
  });
});

describe('[cli] tcxlab map dump (plain, no run, errors)', () => {
  it('prints the plain hex layout after a run', async () => {
    // rawh's key 7 holds the bytes `count` writes into hsh (record.sh puts them there).
    const line = golden('raw-rawh.kernel.txt').split('\n').find((l) => l.startsWith('key: 07 00 00 00'));
    const r = await cli(['map', 'dump', DUMP, 'hsh', 'count', ONE]);
    expect(r.code).toBe(0);
    expect(r.out).toBe(`${line}\nFound 1 element\n`);
  });

  it('without PROG dumps what loading put there', async () => {
    const r = await cli(['map', 'dump', DUMP, 'hsh']);
    expect(r.out).toBe('Found 0 elements\n');
    const a = await cli(['map', 'dump', DUMP, 'arr', '--set', 'arr', '02000000', '0900000000000000', '--json']);
    const entries = JSON.parse(a.out) as KernelEntry[];
    expect(entries).toHaveLength(3);
    expect(entries[2].value).toEqual(['0x09', '0x00', '0x00', '0x00', '0x00', '0x00', '0x00', '0x00']);
  });

  it('formats global data of an object without a run: the DATASEC as libbpf lays it out', async () => {
    const r = await cli(['map', 'dump', path('progs/globals.bpf.o'), '.data', '--json']);
    expect(r.code).toBe(0);
    const [e] = JSON.parse(r.out) as (KernelEntry & { formatted?: { key?: unknown; value: Record<string, unknown[]> } })[];
    expect(e.value?.slice(0, 4)).toEqual(['0x64', '0x00', '0x00', '0x00']); // seen_packets = 100
    // No key type for global data (do_dump_btf prints none); the static hidden_counter is listed
    // where clang put it (offset 16), as libbpf's fixup leaves static variables.
    expect(e.formatted?.key).toBeUndefined();
    expect(e.formatted?.value).toEqual({ '.data': [{ seen_packets: 100 }, { seen_bytes: 2 ** 40 }, { hidden_counter: 3 }] });
  });

  it('dumps maps named after Object.prototype keys, and bounds a 100,000,000-slot prog array', async () => {
    const hostile = path('test/goldens/cli/hostile.bpf.o');
    const proto = await cli(['map', 'dump', hostile, '__proto__', '--json']);
    expect(proto.code).toBe(0);
    expect((JSON.parse(proto.out) as KernelEntry[])[0].key).toEqual(['0x00', '0x00', '0x00', '0x00']);
    const jt = await cli(['map', 'dump', hostile, 'jt', '--set', 'jt', '03000000', '@leaf', '--max-entries', '10']);
    expect(jt.code).toBe(0);
    // Empty prog array slots are left out, as bpftool does; the filled one shows the slot's value.
    expect(jt.out).toMatch(/^key: 03 00 00 00 {2}value: [0-9a-f]{2}( [0-9a-f]{2}){3}\nFound 1 element\n$/);
    expect(jt.err).toBe('tcxlab: note: map jt: dump cut after 10 entries (--max-entries, or 16777216 value bytes in all)\n');
  });

  it('reports bad arguments in the CLI error style', async () => {
    const noMap = await cli(['map', 'dump', DUMP, 'nope']);
    expect(noMap.code).toBe(1);
    expect(noMap.err).toMatch(/^tcxlab: no map "nope" \(have: (\w+, ){4}\w+\)\n$/);
    const noPackets = await cli(['map', 'dump', DUMP, 'arr', 'count']);
    expect(noPackets.code).toBe(1);
    expect(noPackets.err).toMatch(/^tcxlab: map dump: PROG count needs a PACKETS_FILE/);
    const queue = await cli(['map', 'dump', path('progs/maps_btf.bpf.o'), 'm_queue']);
    expect(queue.code).toBe(1);
    expect(queue.err).toMatch(/^tcxlab: map dump: map m_queue is a queue/);
    const badLoad = await cli(['map', 'dump', path('progs/invalid_verifier.bpf.o'), 'x', 'bad_pkt_read', ONE]);
    expect(badLoad.code).toBe(1);
    expect(badLoad.err).toMatch(/^tcxlab: .*invalid_verifier\.bpf\.o: load failed \(EACCES\): /);
    const h = await cli(['map', 'dump', '--help']);
    expect(h.out).toMatch(/bpftool map dump/);
  });
});
