/**
 * Live kernel parity (src/kernel-parity): tcxlab's `run` against what the kernel answered through
 * bpftool for the same object and frames, recorded by test/goldens/kernel-parity/record.sh
 * (root, Linux 6.18, bpftool v7.1.0) and replayed through the real driver (runInKernel) with a
 * recorded-output Exec, then the pure comparison (diffParity) on both.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runJob } from '../../src/cli/commands/run.js';
import { parseHexFrames } from '../../src/pcap/input.js';
import { diffParity, kernelSets, runInKernel, type KernelRunReport, type TcxlabRunJson } from '../../src/kernel-parity/index.js';
import { recordedCase, replayExec, replayHost, type RecordedCase } from './replay.js';

function both(name: string): { c: RecordedCase; mine: TcxlabRunJson; kernel: Promise<KernelRunReport>; calls: string[][]; frames: number } {
  const c = recordedCase(name);
  const frames = parseHexFrames(readFileSync(c.packets, 'utf8'));
  const mine = runJob(new Uint8Array(readFileSync(c.obj)), c.obj, c.prog, frames, { ctxOut: c.ctx === 'zero', sets: c.sets, cpu: 0 }) as TcxlabRunJson;
  const exec = replayExec(c);
  const kernel = runInKernel(c.obj, c.prog, { frames, ctxOut: c.ctx === 'zero', cpu: 0, sets: kernelSets(c.sets), exec, host: replayHost() });
  return { c, mine, kernel, calls: exec.calls, frames: frames.length };
}

describe('[kernel-parity] recorded kernel answers agree with tcxlab', () => {
  for (const name of ['parse', 'fw', 'globals', 'nat', 'tailcall', 'events', 'compare']) {
    it(`${name}: every frame and every compared map is the same`, async () => {
      const { mine, kernel, frames } = both(name);
      const k = await kernel;
      expect(k.load_error).toBeUndefined();
      expect(k.runs).toHaveLength(frames);
      const r = diffParity(mine, k);
      expect(r.frames).toHaveLength(frames);
      expect(r.load).toEqual([]);
      expect(r.frames.flatMap((f) => f.differences.map((d) => `line ${f.line} ${d.field}: ${d.tcxlab} | ${d.kernel}`))).toEqual([]);
      expect(r.maps).toEqual([]);
      expect(r.count).toBe(0);
    });
  }

  it('parse: frames the test run refuses are refused by both with EINVAL (bpftool\'s message read as an errno)', async () => {
    const { kernel } = both('parse');
    const k = await kernel;
    const refused = k.runs.filter((r) => r.err !== 0);
    expect(refused.map((r) => r.errname)).toEqual(['EINVAL', 'EINVAL']);
    expect(refused[0].message).toBe('failed to run program: Invalid argument');
  });

  it('fw: the --set entry reaches the kernel as bpftool map update, and bpftool runs pinned to CPU 0 with a zeroed ctx_in', async () => {
    const { kernel, calls } = both('fw');
    const k = await kernel;
    expect(calls).toContainEqual(expect.arrayContaining(['map', 'update', 'key', 'hex', '08', '00', '00', '00', '0a', '00', '00', '00', 'value', 'hex', '01', '00', '00', '00']));
    const run = calls.find((a) => a.includes('run'))!;
    expect(run).toEqual(expect.arrayContaining(['ctx_in', 'ctx_out', 'repeat', '1']));
    // the per-CPU drop counter: CPU 0 counted every drop, CPU 1 none
    const stats = k.maps.fw_stats.entries!;
    expect(stats[1][1]).toHaveLength(2);
    expect((stats[1][1] as string[])[1]).toBe('0000000000000000');
    expect((stats[1][1] as string[])[0]).not.toBe('0000000000000000');
    expect(k.runs.every((r) => r.err !== 0 || r.ctx_out?.length === 384)).toBe(true);
  });

  it('globals: global data maps match by libbpf name (globals_.rodata, .rodata.config)', async () => {
    const { mine, kernel } = both('globals');
    const r = diffParity(mine, await kernel);
    expect(Object.keys((await kernel).maps).sort()).toEqual(['.rodata.config', 'globals_.bss', 'globals_.data', 'globals_.rodata']);
    expect(r.notCompared).toEqual([]);
  });

  it('tailcall and events: maps of ids and event records are listed as not compared', async () => {
    const t = both('tailcall');
    expect(diffParity(t.mine, await t.kernel).notCompared).toEqual([
      'jump_table: prog_array: values are ids or event records, not data both sides share',
      'loop_table: prog_array: values are ids or event records, not data both sides share',
    ]);
    const e = both('events');
    const nc = diffParity(e.mine, await e.kernel).notCompared;
    expect(nc.some((l) => l.startsWith('m_ringbuf: ringbuf'))).toBe(true);
    expect(nc.some((l) => l.startsWith('m_perf: perf_event_array'))).toBe(true);
    expect(nc.some((l) => l.startsWith('m_array_of_maps: array_of_maps'))).toBe(true);
  });

  it('verifier: both refuse the object with EACCES; the kernel side keeps the verifier\'s lines, not libbpf\'s chatter', async () => {
    const { mine, kernel } = both('verifier');
    const k = await kernel;
    expect(k.load_errname).toBe('EACCES');
    expect(k.load_error).toBe('EACCES: invalid access to packet, off=20 size=1, R1(id=0,off=20,r=0) / R1 offset is outside of the packet');
    const r = diffParity(mine, k);
    expect(r.count).toBe(0);
    expect(r.bothRefused?.tcxlab).toMatch(/^EACCES: verifier: insn #1: invalid access to packet, off=20 size=1/);
  });

  it('legacy: libbpf 1.x (bpftool) refuses the legacy maps section that tcxlab loads: one load difference', async () => {
    const { mine, kernel } = both('legacy');
    const r = diffParity(mine, await kernel);
    expect(r.count).toBe(1);
    expect(r.load).toEqual([
      {
        field: 'load',
        tcxlab: 'loaded',
        kernel: "refused: libbpf: elf: legacy map definitions in 'maps' section are not supported by libbpf v1.0+ / Error: failed to open object file",
      },
    ]);
  });

  it('the pins and temporary files are removed after the run, and after a failed load', async () => {
    const { readdirSync } = await import('node:fs');
    for (const name of ['fw', 'legacy']) {
      const c = recordedCase(name);
      const host = replayHost();
      const frames = parseHexFrames(readFileSync(c.packets, 'utf8'));
      await runInKernel(c.obj, c.prog, { frames, exec: replayExec(c), host, sets: kernelSets(c.sets) });
      expect(readdirSync(host.bpffs)).toEqual([]);
    }
  });

  it('the pins are removed when bpftool cannot be run at all (the error propagates)', async () => {
    const { readdirSync } = await import('node:fs');
    const host = replayHost();
    const exec = async (): Promise<never> => {
      throw Object.assign(new Error('spawn bpftool ENOENT'), { code: 'ENOENT' });
    };
    await expect(runInKernel('progs/bench_fw.bpf.o', 'bench_fw', { frames: [], exec, host })).rejects.toThrow('--kernel: /replay/bpftool prog loadall progs/bench_fw.bpf.o: spawn bpftool ENOENT');
    expect(readdirSync(host.bpffs)).toEqual([]);
  });
});
