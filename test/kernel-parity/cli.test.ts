/**
 * `tcxlab run --kernel` and `tcxlab compare --kernel` through the CLI entry: the one-line refusal
 * where the kernel cannot be asked (the environment check injected through kernelTools), and a
 * whole run against recorded kernel answers (test/goldens/kernel-parity, replayed).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { run } from '../../src/cli/main.js';
import { memoryIo } from '../../src/cli/io.js';
import { kernelTools, kernelUnavailable, processKernelHost, execTool, type KernelHost } from '../../src/kernel-parity/index.js';
import { recordedCase, replayExec, replayHost } from './replay.js';

const host = (o: Partial<KernelHost>): KernelHost => ({ platform: 'linux', uid: 0, which: () => '/usr/sbin/bpftool', isBpffs: () => true, bpffs: '/sys/fs/bpf', release: () => '6.18.0', ...o });

afterEach(() => {
  kernelTools.host = processKernelHost;
  kernelTools.exec = execTool;
});

describe('[kernel-parity] kernelUnavailable: one line saying what is missing', () => {
  it.each([
    [{ platform: 'darwin' }, 'needs Linux (BPF_PROG_TEST_RUN through bpftool); this is darwin'],
    [{ uid: 1000 }, 'needs root (loading and test-running BPF programs; uid 1000)'],
    [{ uid: undefined }, 'needs root (loading and test-running BPF programs; uid unknown)'],
    [{ which: () => undefined }, 'needs bpftool on PATH (e.g. the linux-tools or bpftool package)'],
    [{ isBpffs: () => false }, 'needs a bpffs mounted at /sys/fs/bpf (mount -t bpf bpf /sys/fs/bpf)'],
  ] as Array<[Partial<KernelHost>, string]>)('%o', (o, msg) => {
    expect(kernelUnavailable(host(o))).toBe(msg);
  });
  it('nothing missing: undefined', () => {
    expect(kernelUnavailable(host({}))).toBeUndefined();
  });
});

describe('[kernel-parity] --kernel where the kernel cannot be asked', () => {
  for (const argv of [
    ['run', 'progs/bench_parse.bpf.o', 'bench_parse', 'test/goldens/run/packets/mixed.txt', '--kernel'],
    ['compare', 'test/goldens/net/compare.bpf.o', 'first,second', 'test/data/compare/returns.txt', '--kernel'],
  ]) {
    it(`${argv[0]}: one line on stderr, nothing on stdout, exit status 2, bpftool never started`, async () => {
      kernelTools.host = () => host({ uid: 1000 });
      let started = 0;
      kernelTools.exec = async () => {
        started++;
        return { code: 0, stdout: '', stderr: '' };
      };
      const io = memoryIo();
      expect(await run(argv, io)).toBe(2);
      expect(io.stderr).toBe('tcxlab: --kernel needs root (loading and test-running BPF programs; uid 1000); nothing was run\n');
      expect(io.stdout).toBe('');
      expect(started).toBe(0);
    });
  }
});

describe('[kernel-parity] --kernel against recorded kernel answers', () => {
  it('run: the report says every frame is the same, exit status 0', async () => {
    const c = recordedCase('fw');
    kernelTools.host = replayHost;
    kernelTools.exec = replayExec(c);
    const io = memoryIo();
    const code = await run(['run', c.obj, c.prog, c.packets, '--kernel', '--ctx-out', '--cpu', '0', '--set', ...c.sets.flatMap((s) => [s.map, s.key, s.value])], io);
    expect(io.stderr).toBe('');
    expect(code).toBe(0);
    const lines = io.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^kernel parity: bench_fw of progs\/bench_fw\.bpf\.o on 25 frames: tcxlab vs Linux 6\.18\.44-fc-v1272 \(BPF_PROG_TEST_RUN through bpftool v7\.1\.0 \(libbpf v1\.1\)\)$/);
    expect(lines.filter((l) => /^line \d+: same/.test(l))).toHaveLength(25);
    expect(lines.at(-1)).toBe('kernel parity: no differences (25 frames; maps compared after the last one)');
  });

  it('run: a difference (bpftool refuses the legacy maps section) gives exit status 1 and says which side refused', async () => {
    const c = recordedCase('legacy');
    kernelTools.host = replayHost;
    kernelTools.exec = replayExec(c);
    const io = memoryIo();
    expect(await run(['run', c.obj, c.prog, c.packets, '--kernel'], io)).toBe(1);
    expect(io.stdout).toContain("load: tcxlab loaded | kernel refused: libbpf: elf: legacy map definitions in 'maps' section are not supported by libbpf v1.0+");
    expect(io.stdout.trimEnd().split('\n').at(-1)).toBe('kernel parity: 1 difference (0 of 0 frames differ, load)');
  });

  it('compare: the path table, then the kernel parity of `first`', async () => {
    const c = recordedCase('compare');
    kernelTools.host = replayHost;
    kernelTools.exec = replayExec(c);
    const io = memoryIo();
    // --mark 0 gives both sides a zeroed ctx_in, as the recording's `zero` case
    expect(await run(['compare', c.obj, c.prog, c.packets, '--kernel', '--mark', '0'], io)).toBe(0);
    expect(io.stdout).toContain('first on ingress: tcx in this order');
    expect(io.stdout).toContain('kernel parity: first of test/goldens/net/compare.bpf.o on 10 frames');
    expect(io.stdout.trimEnd().split('\n').at(-1)).toBe('kernel parity: no differences (10 frames; maps compared after the last one)');
  });

  it('compare --json: the comparison with the kernel parity of each program as data', async () => {
    const c = recordedCase('compare');
    kernelTools.host = replayHost;
    kernelTools.exec = replayExec(c);
    const io = memoryIo();
    expect(await run(['compare', c.obj, c.prog, c.packets, '--kernel', '--mark', '0', '--json'], io)).toBe(0);
    const j = JSON.parse(io.stdout) as { frames: unknown[]; kernel_parity: Array<{ prog: string; report: { count: number; frames: unknown[] } }> };
    expect(j.frames).toHaveLength(10);
    expect(j.kernel_parity.map((p) => [p.prog, p.report.count, p.report.frames.length])).toEqual([['first', 0, 10]]);
  });

  it('options bpftool cannot carry out are usage errors', async () => {
    kernelTools.host = () => host({});
    for (const [extra, msg] of [
      [['--var', 'x=1'], '--kernel cannot be combined with --var'],
      [['--btf', 'x'], '--kernel cannot be combined with --btf'],
      [['--type', 'sched_act'], '--type must be sched_cls'],
    ]) {
      const io = memoryIo();
      expect(await run(['run', 'progs/bench_parse.bpf.o', 'bench_parse', 'test/goldens/run/packets/mixed.txt', '--kernel', ...extra], io)).toBe(1);
      expect(io.stderr).toContain(msg);
    }
    const io = memoryIo();
    expect(await run(['compare', 'test/goldens/net/egress.net', '--kernel'], io)).toBe(1);
    expect(io.stderr).toContain('compare --kernel takes OBJ PROG[,PROG...] PACKETS_FILE');
  });
});
