import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { run } from '../../src/cli/main.js';
import { memoryIo } from '../../src/cli/io.js';

async function runCli(argv: string[]): Promise<{ code: number; out: string }> {
  const io = memoryIo();
  const code = await run(argv, io);
  return { code, out: io.stdout };
}

// `tcxlab verify`: the kernel-style log, compared with the kernel's own log for the same object
// (test/goldens/run/invalid_verifier.bad_pkt_read.json, recorded by test/goldens/run/record.sh).
const root = new URL('../../', import.meta.url);
const obj = (name: string) => new URL(`progs/${name}`, root).pathname;

describe('[cli] tcxlab verify', () => {
  it('prints the kernel verifier log of a rejected program, line for line', async () => {
    const golden = JSON.parse(readFileSync(new URL('test/goldens/run/invalid_verifier.bad_pkt_read.json', root), 'utf8')) as { libbpf_log: string };
    const kernel = golden.libbpf_log.split('-- BEGIN PROG LOAD LOG --\n')[1].split('\nprocessed ')[0].split('\n');
    const r = await runCli(['verify', obj('invalid_verifier.bpf.o'), '--log', '1']);
    expect(r.code).toBe(1);
    const ours = r.out.trim().split('\n');
    expect(ours.slice(0, kernel.length)).toEqual(kernel);
    expect(ours.at(-1)).toMatch(/^bad_pkt_read: rejected at insn 1 \(\S*invalid_verifier\.bpf\.c:12\)$/);
  });

  it('accepts the programs the kernel loaded, with processed-instruction counts and a full log at level 2', async () => {
    const r = await runCli(['verify', obj('nat.bpf.o')]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^nat_dnat: ok \(processed \d+ insns/m);
    expect(r.out).toMatch(/^nat_snat: ok \(processed \d+ insns/m);
    const two = await runCli(['verify', obj('calls.bpf.o'), 'calls_other', '--log', '2']);
    expect(two.code).toBe(0);
    expect(two.out).toMatch(/^0: R1=ctx\(\) R10=fp0$/m);
    expect(two.out).toMatch(/^processed \d+ insns \(limit 1000000\)/m);
  });

  it('refuses a bad log level and an unknown program name', async () => {
    expect((await runCli(['verify', obj('nat.bpf.o'), '--log', '3'])).code).not.toBe(0);
    expect((await runCli(['verify', obj('nat.bpf.o'), 'nope'])).code).not.toBe(0);
  });
});
