/**
 * The comparison rules of src/kernel-parity/diff.ts on one recorded kernel answer
 * (test/goldens/kernel-parity/fw, bench_fw with a zeroed ctx_in) with one field changed at a time:
 * each change must show up as exactly that difference, in the words the report prints.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ctxFieldAt, diffParity, entriesFromBpftool, formatParity, loadFailure, matchMapName, refusedRun, runInKernel, kernelSets, type KernelRunReport, type TcxlabRunJson } from '../../src/kernel-parity/index.js';
import { runJob } from '../../src/cli/commands/run.js';
import { parseHexFrames } from '../../src/pcap/input.js';
import { recordedCase, replayExec, replayHost } from './replay.js';

async function fw(): Promise<{ mine: TcxlabRunJson; kernel: KernelRunReport }> {
  const c = recordedCase('fw');
  const frames = parseHexFrames(readFileSync(c.packets, 'utf8'));
  const mine = runJob(new Uint8Array(readFileSync(c.obj)), c.obj, c.prog, frames, { ctxOut: true, sets: c.sets, cpu: 0 }) as TcxlabRunJson;
  const kernel = await runInKernel(c.obj, c.prog, { frames, ctxOut: true, cpu: 0, sets: kernelSets(c.sets), exec: replayExec(c), host: replayHost() });
  return { mine, kernel };
}

const flipByte = (hex: string, at: number): string => hex.slice(0, 2 * at) + (Number.parseInt(hex.slice(2 * at, 2 * at + 2), 16) ^ 0xff).toString(16).padStart(2, '0') + hex.slice(2 * at + 2);

describe('[kernel-parity] diffParity reports each changed field', () => {
  it('retval: both values with their TC_ACT names', async () => {
    const { mine, kernel } = await fw();
    const run = kernel.runs.find((r) => r.err === 0)!;
    run.retval = 2;
    (mine.runs!.find((r) => r.line === run.line)!).retval = 0;
    const r = diffParity(mine, kernel);
    expect(r.count).toBe(1);
    expect(r.frames.find((f) => f.line === run.line)!.differences).toEqual([{ field: 'retval', tcxlab: '0 (TC_ACT_OK)', kernel: '2 (TC_ACT_SHOT)' }]);
  });

  it('data_out: the offset of the first differing byte and the bytes from there', async () => {
    const { mine, kernel } = await fw();
    const run = kernel.runs.find((r) => r.err === 0)!;
    run.data_out = flipByte(run.data_out!, 23);
    const d = diffParity(mine, kernel).frames.find((f) => f.line === run.line)!.differences;
    expect(d).toHaveLength(1);
    expect(d[0].field).toBe('data_out');
    expect(d[0].detail).toBe('first difference at byte 23');
    expect(d[0].kernel).toBe(`${run.data_out!.length / 2} bytes, from offset 23: ${run.data_out!.slice(46, 62)}`);
  });

  it('data_out: a shorter packet is a difference at its end', async () => {
    const { mine, kernel } = await fw();
    const run = kernel.runs.find((r) => r.err === 0)!;
    const n = run.data_out!.length / 2;
    run.data_out = run.data_out!.slice(0, -2);
    const d = diffParity(mine, kernel).frames.find((f) => f.line === run.line)!.differences[0];
    expect(d.detail).toBe(`first difference at byte ${n - 1} (lengths ${n} and ${n - 1})`);
    expect(d.kernel).toBe(`${n - 1} bytes, from offset ${n - 1}: (ends)`);
  });

  it('ctx_out: by struct __sk_buff field name (mark at 8, cb[2] at 56, tstamp at 152)', async () => {
    const { mine, kernel } = await fw();
    const run = kernel.runs.find((r) => r.err === 0)!;
    run.ctx_out = flipByte(flipByte(flipByte(run.ctx_out!, 8), 57), 155);
    const d = diffParity(mine, kernel).frames.find((f) => f.line === run.line)!.differences;
    expect(d.map((x) => `${x.field} ${x.detail}`)).toEqual(['ctx_out.mark offset 8', 'ctx_out.cb[2] offset 56', 'ctx_out.tstamp offset 152']);
    expect(d[0].kernel).toBe('0xff');
    expect(d[0].tcxlab).toBe('0x0');
  });

  it('a frame the kernel refuses and tcxlab runs: err, with bpftool\'s message', async () => {
    const { mine, kernel } = await fw();
    const i = kernel.runs.findIndex((r) => r.err === 0);
    kernel.runs[i] = refusedRun(kernel.runs[i].line, 40, 'failed to run program: No space left on device');
    const d = diffParity(mine, kernel).frames.find((f) => f.line === kernel.runs[i].line)!.differences;
    expect(d).toEqual([{ field: 'err', tcxlab: 'ran', kernel: 'refused: ENOSPC (failed to run program: No space left on device)' }]);
  });

  it('maps: the key and the CPUs whose per-CPU value differs', async () => {
    const { mine, kernel } = await fw();
    const e = kernel.maps.fw_stats.entries!;
    const before = e[0][1] as string[]; // the kernel's recorded values (tcxlab's are the same: see parity.test.ts)
    e[0][1] = [before[0], 'ff00000000000000'];
    const r = diffParity(mine, kernel);
    expect(r.maps).toEqual([{ field: 'map fw_stats key 00000000', tcxlab: `cpu0 ${before[0]}, cpu1 ${before[1]}`, kernel: `cpu0 ${before[0]}, cpu1 ff00000000000000`, detail: 'CPU 1' }]);
    expect(r.count).toBe(1);
  });

  it('maps: a key only one side has', async () => {
    const { mine, kernel } = await fw();
    kernel.maps.blocklist.entries!.push(['200a000001', '01000000']);
    const r = diffParity(mine, kernel);
    expect(r.maps).toEqual([{ field: 'map blocklist key 200a000001', tcxlab: '(no entry)', kernel: '01000000', detail: undefined }]);
  });

  it('the text report: one line per identical frame, a block per differing one, a summary', async () => {
    const { mine, kernel } = await fw();
    const run = kernel.runs.find((r) => r.err === 0 && r.retval === 0)!;
    run.retval = 7;
    const lines = formatParity(diffParity(mine, kernel), 'head');
    expect(lines[0]).toBe('head');
    expect(lines).toContain(`line ${run.line}: differs in retval`);
    expect(lines).toContain(`  retval: tcxlab 0 (TC_ACT_OK) | kernel 7 (TC_ACT_REDIRECT)`);
    expect(lines.at(-1)).toBe('kernel parity: 1 difference (1 of 25 frames differ)');
    expect(formatParity(diffParity(mine, (await fw()).kernel)).at(-1)).toBe('kernel parity: no differences (25 frames; maps compared after the last one)');
  });
});

describe('[kernel-parity] helpers', () => {
  it('ctxFieldAt names every byte of struct __sk_buff', () => {
    expect(ctxFieldAt(0)).toEqual({ name: 'len', start: 0, size: 4 });
    expect(ctxFieldAt(67)).toEqual({ name: 'cb[4]', start: 64, size: 4 });
    expect(ctxFieldAt(159)).toEqual({ name: 'tstamp', start: 152, size: 8 });
    expect(ctxFieldAt(180)).toEqual({ name: 'tstamp_type', start: 180, size: 1 });
    expect(ctxFieldAt(96).name).toBe('offset 96');
  });

  it('matchMapName: exact names, and the kernel\'s 15-character cut of longer ones', () => {
    expect(matchMapName('globals_.rodata', ['globals_.rodata', 'x'])).toBe('globals_.rodata');
    expect(matchMapName('a_very_long_map', ['a_very_long_map_name', 'b'])).toBe('a_very_long_map_name');
    expect(matchMapName('a_very_long_map', ['a_very_long_map_1', 'a_very_long_map_2'])).toBeUndefined();
  });

  it('entriesFromBpftool: plain and per-CPU entries in the oracle layout', () => {
    expect(entriesFromBpftool([{ key: ['0x01', '0x00'], value: ['0xab'] }])).toEqual([['0100', 'ab']]);
    expect(entriesFromBpftool([{ key: ['0x01'], values: [{ cpu: 1, value: ['0x02'] }, { cpu: 0, value: ['0x01'] }] }])).toEqual([['01', ['01', '02']]]);
    expect(() => entriesFromBpftool({ error: 'x' })).toThrow(TypeError);
  });

  it('loadFailure: libbpf\'s errors when the object never reached the kernel', () => {
    expect(loadFailure('libbpf: elf: nope\nError: failed to open object file\n', 255)).toEqual({ load_error: 'libbpf: elf: nope / Error: failed to open object file', load_errname: undefined });
    expect(loadFailure('', 3)).toEqual({ load_error: 'bpftool prog loadall exited with 3', load_errname: undefined });
  });
});
