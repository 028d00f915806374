/**
 * `tcxlab net` on the command line, the README's net examples (they must stay true), and the
 * scenario language's own corners (pcap input, JSON output, errors and exit codes).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from '../../src/cli/main.js';
import { memoryIo } from '../../src/cli/io.js';
import { Host, formatNetTrace, udpFrame } from '../../src/index.js';
import { readPcap, runScenario } from '../../src/net/scenario.js';

const ROOT = join(__dirname, '..', '..');
const readFile = (p: string): Uint8Array => new Uint8Array(readFileSync(p));

async function cli(args: string[], stdin = ''): Promise<ReturnType<typeof memoryIo>> {
  const io = memoryIo(stdin);
  io.exitCode = await run(args, io);
  return io;
}

const trimLines = (s: string): string => s.split('\n').map((l) => l.trimEnd()).join('\n');

describe('README examples', () => {
  it('the net-example block is what `tcxlab net -q example.net` prints', async () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const at = readme.indexOf('<!-- net-example');
    expect(at).toBeGreaterThan(0);
    const block = /```\n([\s\S]*?)```/.exec(readme.slice(at))![1];
    const io = await cli(['net', '-q', join(ROOT, 'test/goldens/net/example.net')]);
    expect(io.exitCode).toBe(0);
    expect(trimLines(io.stdout)).toContain(trimLines(block).trimEnd());
  });

  it('the library snippet runs: bench_chain counts one IPv4 packet and one classic run', () => {
    const host = new Host();
    const [veth0, veth1] = host.addVeth('veth0', 'veth1');
    veth0.up = veth1.up = true;
    const obj = host.loadObject(readFileSync(join(ROOT, 'progs', 'bench_chain.bpf.o')));
    veth0.tcx('ingress').attach(obj.program('chain_count'));
    veth0.tc.qdisc('clsact');
    veth0.tc.filter({ dir: 'ingress', prio: 1, handle: 1, prog: obj.program('chain_classic'), da: true });
    const trace = host.send(veth0, udpFrame('10.77.0.2:4000', '10.77.0.1:7777'), { dir: 'ingress' });
    expect(trace.fate).toMatchObject({ kind: 'stack', dev: 'veth0' });
    expect(formatNetTrace(trace)).toMatch(/tcx chain_count#\d+ -> TCX_NEXT \(-1\)[\s\S]*chain_classic#\d+ da: TC_ACT_OK \(0\) -> TC_ACT_OK/);
    const stats = obj.collection.map('chain_stats');
    const count = (i: number): bigint => {
      const v = stats.lookup(Uint8Array.of(i, 0, 0, 0));
      return new DataView((Array.isArray(v) ? v[0] : v)!.buffer).getBigUint64(0, true);
    };
    expect([0, 1, 2, 3].map(count)).toEqual([1n, 0n, 0n, 1n]);
  });
});

describe('tcxlab net', () => {
  it('--json gives one object per step with the trace', async () => {
    const io = await cli(['net', '--json', join(ROOT, 'test/goldens/net/example.net')]);
    const steps = io.stdout.trim().split('\n').map((l) => JSON.parse(l));
    const send = steps.find((s) => s.cmd.startsWith('send'));
    expect(send.delivered).toBe(1);
    expect(send.trace.events[0]).toMatchObject({ kind: 'hook', dev: 'veth0', dir: 'ingress', tcxVerdict: 'next' });
    expect(send.trace.fates[0]).toMatchObject({ kind: 'stack', dev: 'veth0' });
  });

  it('an errno step is printed and gives exit status 1; bad syntax gives 2', async () => {
    let io = await cli(['net', '-'], 'ip link add veth0 type veth peer name veth1\ntc qdisc del dev veth0 clsact\n');
    expect(io.exitCode).toBe(1);
    expect(io.stdout).toMatch(/Error: .*ENOENT/);
    io = await cli(['net', '-'], 'ip link add veth0 type veth peer name veth1\ntc frobnicate dev veth0\n');
    expect(io.exitCode).toBe(2);
    expect(io.stderr).toMatch(/line 2/);
  });

  it('send takes hex and pcap frames; obj FILE prog FUNC loads an object once', () => {
    const f = udpFrame('10.77.0.2:1', '10.77.0.1:2');
    const hdr = new Uint8Array(24);
    const dv = new DataView(hdr.buffer);
    dv.setUint32(0, 0xa1b2c3d4, true);
    dv.setUint16(4, 2, true);
    dv.setUint16(6, 4, true);
    dv.setUint32(16, 65535, true);
    dv.setUint32(20, 1, true);
    const rec = new Uint8Array(16);
    new DataView(rec.buffer).setUint32(8, f.length, true);
    new DataView(rec.buffer).setUint32(12, f.length, true);
    const pcap = new Uint8Array([...hdr, ...rec, ...f, ...rec, ...f]);
    expect(readPcap(pcap)).toEqual([f, f]);
    const files = new Map<string, Uint8Array>([[join(ROOT, 'x.pcap'), pcap]]);
    const text = [
      'ip link add veth0 type veth peer name veth1',
      'ip link set veth0 up',
      'bpftool net attach tcx_ingress obj test/goldens/net/verdicts.bpf.o prog v0 dev veth0',
      'tc qdisc add dev veth0 clsact',
      'tc filter add dev veth0 ingress bpf da obj test/goldens/net/verdicts.bpf.o sec tc',
      'send veth0 ingress pcap x.pcap',
      `send veth0 ingress ${Buffer.from(f).toString('hex')}`,
      'map dump test/goldens/net/verdicts.bpf.o/.bss',
      'tc filter show dev veth0 ingress',
    ].join('\n');
    const r = runScenario(text, { readFile: (p) => files.get(p) ?? readFile(p), cwd: ROOT });
    expect(r.steps.every((s) => s.rc === 0)).toBe(true);
    const bss = Buffer.from(r.steps[7].value!, 'hex');
    // v0 (tcx) and v0 again as the first program of section "tc" (the classic filter): 3 packets each
    expect(Number(bss.readBigUInt64LE(0))).toBe(6);
    expect(r.steps[8].text).toContain('verdicts.bpf.o:[tc] direct-action');
  });
});
