import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { run } from '../../src/cli/main.js';
import { memoryIo } from '../../src/cli/io.js';
import type { ProgShowEntry } from '../../src/cli/commands/prog-show.js';

// `tcxlab prog show` against what bpftool prints for the same object loaded into the kernel
// (test/goldens/bpftool/prog-show.kernel.*, recorded by test/goldens/bpftool/record.sh), and the
// kernel's verifier message for a refused program (test/goldens/run/, recorded by the oracle).
const root = new URL('../../', import.meta.url);
const path = (p: string): string => new URL(p, root).pathname;
const golden = (p: string): string => readFileSync(new URL(`test/goldens/${p}`, root), 'utf8');
const DUMP = path('test/goldens/bpftool/dump.bpf.o');

async function cli(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = memoryIo();
  const code = await run(argv, io);
  return { code, out: io.stdout, err: io.stderr };
}

async function showJson(obj: string, ...rest: string[]): Promise<ProgShowEntry[]> {
  const r = await cli(['prog', 'show', obj, ...rest, '--json']);
  expect(r.code).toBe(0);
  return JSON.parse(r.out) as ProgShowEntry[];
}

describe('[cli] tcxlab prog show', () => {
  it('gives the type, name, tag and GPL flag bpftool -j prints for the loaded program', async () => {
    const kernel = JSON.parse(golden('bpftool/prog-show.kernel.json')) as Record<string, unknown> & { map_ids: number[] };
    const [ours] = await showJson(DUMP);
    for (const k of ['type', 'name', 'tag', 'gpl_compatible'] as const) expect(ours[k], k).toEqual(kernel[k]);
    // The same maps in the same order (the kernel numbers them in creation order, we by spec index).
    expect(ours.map_ids.map((id) => id - ours.map_ids[0])).toEqual(kernel.map_ids.map((id) => id - kernel.map_ids[0]));
    expect(ours.map_names).toEqual(['arr', 'hsh', 'pcpu', 'pch', 'rich']);
    expect(ours.verified).toBe(true);
    expect(ours.processed_insns).toBeGreaterThan(0);
    expect(ours.bytes_insns).toBe(ours.insns * 8);
  });

  it("prints bpftool's first line, with the object's facts under it", async () => {
    const kernelFirst = golden('bpftool/prog-show.kernel.txt').split('\n')[0].replace(/^\d+:/, '1:');
    const r = await cli(['prog', 'show', DUMP]);
    expect(r.code).toBe(0);
    const lines = r.out.split('\n');
    expect(lines[0]).toBe(kernelFirst);
    expect(lines[1]).toMatch(/^\tsection tc {2}insns \d+ {2}maps arr,hsh,pcpu,pch,rich$/);
    expect(lines[2]).toMatch(/^\tverifier ok {2}processed \d+ insns$/);
  });

  it("reports a refused program with the kernel's first error line", async () => {
    const log = (JSON.parse(golden('run/invalid_verifier.bad_pkt_read.json')) as { libbpf_log: string }).libbpf_log
      .split('-- BEGIN PROG LOAD LOG --\n')[1]
      .split('\n');
    const lastInsn = log.reduce((last, l, i) => (/^\d+: \(/.test(l) ? i : last), -1);
    const [e] = await showJson(path('progs/invalid_verifier.bpf.o'));
    expect(e.verified).toBe(false);
    expect(e.verifier_error).toBe(log[lastInsn + 1]);
    expect(e.verifier_insn).toBe(Number(/^(\d+):/.exec(log[lastInsn])?.[1]));
    expect(e.verifier_source).toMatch(/invalid_verifier\.bpf\.c:12$/);
    const plain = await cli(['prog', 'show', path('progs/invalid_verifier.bpf.o')]);
    expect(plain.out).toContain(`verifier rejects at insn ${e.verifier_insn}`);
    expect(plain.out).toContain(log[lastInsn + 1]);
  });

  it('lists every program with its section and expected attach type, or only the one named', async () => {
    const all = await showJson(path('progs/maps_btf.bpf.o'));
    expect(all.map((p) => p.id)).toEqual(all.map((_, i) => i + 1));
    const tcx = all.find((p) => p.section === 'tcx/ingress');
    expect(tcx?.expected_attach_type).toBe('tcx_ingress');
    expect(all.find((p) => p.section === 'tc')?.expected_attach_type).toBeUndefined();
    const one = await showJson(path('progs/maps_btf.bpf.o'), all[1].name);
    expect(one).toEqual([all[1]]);
  });

  it('names an unknown program in the CLI error style, and has --help', async () => {
    const r = await cli(['prog', 'show', DUMP, 'nope']);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^tcxlab: prog show: no program "nope" in .* \(have: count\)\n$/);
    const h = await cli(['prog', 'show', '--help']);
    expect(h.out).toMatch(/bpftool prog show/);
    expect(h.out).toMatch(/--json/);
  });
});
