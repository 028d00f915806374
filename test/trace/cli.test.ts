import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from '../../src/cli/main.js';
import { memoryIo } from '../../src/cli/io.js';
import { kernelRuns, MIXED, mixedPackets, parseL4 } from './frames.js';

async function cli(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = memoryIo();
  const code = await run(argv, io);
  return { code, out: io.stdout, err: io.stderr };
}

describe('[cli] tcxlab trace', () => {
  it('prints one block per frame ending in the kernel verdict, with the right symbolic names', async () => {
    const r = await cli(['trace', 'progs/bench_parse.bpf.o', 'bench_parse', MIXED]);
    expect(r.code).toBe(0);
    const kernel = kernelRuns('bench_parse.bench_parse');
    const verdicts = r.out.split('\n').filter((l) => l.startsWith('=> '));
    expect(verdicts).toHaveLength(kernel.length);
    kernel.forEach((k, i) => {
      if (k.err !== 0) expect(verdicts[i]).toMatch(/^=> error EINVAL/);
      else if (k.retval === 2) expect(verdicts[i]).toMatch(/^=> retval 2 \(TC_ACT_SHOT, TCX_DROP\), \d+ insns$/);
      else expect(verdicts[i]).toMatch(/^=> retval 0 \(TC_ACT_OK, TCX_PASS\), \d+ insns$/);
    });
    // Instruction lines: index, opcode, kernel text, source location.
    expect(r.out).toMatch(/^ {3}1: \(61\) r2 = \*\(u32 \*\)\(r1 \+80\)\s+; R2=0x[0-9a-f]+\s+@ bench_parse\.bpf\.c:16$/m);
  });

  it('--packet and --limit; tail calls show the program switch', async () => {
    const frames = mixedPackets();
    const n = frames.findIndex((p) => parseL4(p.data).l4 === 6) + 1; // first TCP frame
    const r = await cli(['trace', 'progs/tailcall.bpf.o', 'tail_dispatch', MIXED, '--packet', String(n)]);
    expect(r.out).toContain('-- tail call jump_table[6]: tail_dispatch -> tail_tcp');
    expect(r.out.match(/^== packet/gm)).toHaveLength(1);
    const cut = await cli(['trace', 'progs/tailcall.bpf.o', 'tail_dispatch', MIXED, '--packet', String(n), '--limit', '3']);
    expect(cut.out.split('\n').filter((l) => /^\s+\d+: \(/.test(l))).toHaveLength(3);
    expect(cut.out).toMatch(/--limit 3: \d+ more instructions not shown/);
  });

  it('--set @PROG fills an empty slot (the default slot of non-IPv4 frames)', async () => {
    const frames = mixedPackets();
    const n = frames.findIndex((p) => parseL4(p.data).l3 === 'ip6') + 1;
    const r = await cli(['trace', 'progs/tailcall.bpf.o', 'tail_dispatch', MIXED, '--packet', String(n), '--set', 'jump_table', '00000000', '@tail_default']);
    expect(r.out).toContain('-- tail call jump_table[0]: tail_dispatch -> tail_default');
    const k = kernelRuns('tailcall.tail_dispatch.default').find((x) => x.line === frames[n - 1].line)!;
    expect(r.out).toContain(`=> retval ${k.retval! | 0} (TC_ACT_PIPE`);
  });

  it('bad input is a usage error', async () => {
    expect((await cli(['trace', 'progs/bench_parse.bpf.o', 'bench_parse', MIXED, '--packet', '999'])).err).toMatch(/--packet 999/);
    expect((await cli(['trace', 'progs/bench_parse.bpf.o', 'nosuch', MIXED])).code).toBe(1);
  });
});

describe('[cli] tcxlab cover', () => {
  it('summary, --show with source next to the object, --lcov to a file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tcxlab-cover-'));
    const file = join(dir, 'cov.info');
    const r = await cli(['cover', 'progs/bench_parse.bpf.o', 'bench_parse', MIXED, '--show', '--lcov', file]);
    expect(r.code).toBe(0);
    const ran = kernelRuns('bench_parse.bench_parse').filter((k) => k.err === 0).length;
    expect(r.out).toContain(`25 frames, ${ran} ran, 2 refused`);
    expect(r.out).toMatch(/^ {2}instructions\s+\d+\/\d+/m);
    expect(r.out).toContain('Source:./bench_parse.bpf.c');
    expect(r.out).toMatch(/^\s+-:\s+1:\/\/ SPDX-License-Identifier: GPL-2.0$/m);
    const lcov = readFileSync(file, 'utf8');
    // SF is the source file found next to the object (absolute), so genhtml can open it.
    expect(lcov).toMatch(/^SF:\/.*progs\/bench_parse\.bpf\.c$/m);
    expect(lcov.trimEnd().endsWith('end_of_record')).toBe(true);
  });

  it('--lcov - writes only the tracefile to stdout', async () => {
    const r = await cli(['cover', 'progs/tailcall.bpf.o', 'tail_dispatch', MIXED, '--lcov', '-']);
    expect(r.out.startsWith('TN:tail_dispatch\n')).toBe(true);
    expect(r.out).not.toContain('frames,');
  });
});
