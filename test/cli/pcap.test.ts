/**
 * Captures wherever the CLI takes frames (run, trace, cover, prog run, net send ... pcap FILE),
 * `--pcap-out` on run and net (read back with our reader, and with tshark when installed, both
 * against what tshark read when the golden was recorded), and captures that break off part-way:
 * the frames before the fault are processed and written, then the error with its byte offset.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { memoryIo } from '../../src/cli/io.js';
import { run } from '../../src/cli/main.js';
import { readCapture } from '../../src/pcap/index.js';
import { PCAP_OUT_COMMANDS } from './pcap-out-commands.js';

const ROOT = join(__dirname, '..', '..');
const G = 'test/goldens/pcap';
const tmp = mkdtempSync(join(tmpdir(), 'tcxlab-pcap-cli-'));

async function cli(argv: string[]): Promise<ReturnType<typeof memoryIo>> {
  const io = memoryIo();
  io.exitCode = await run(argv, io);
  return io;
}

interface OutFrame {
  interface: string;
  description: string;
  comments: string[];
  direction?: string;
  time_epoch: string;
  raw: string;
}
const outGolden = JSON.parse(readFileSync(join(ROOT, G, 'pcap-out.tshark.json'), 'utf8')) as { files: Record<string, OutFrame[]> };

/** tshark on the PATH (looked up without starting it: it takes a second to start). */
const hasTshark = (process.env.PATH ?? '').split(delimiter).some((d) => d !== '' && existsSync(join(d, 'tshark')));

/** Our reader's view of a --pcap-out file in the golden's terms. */
function ourView(bytes: Uint8Array): Omit<OutFrame, 'time_epoch'>[] {
  const c = readCapture(bytes);
  return c.frames.map((f) => ({
    interface: c.interfaces[f.interfaceId].name ?? '',
    description: c.interfaces[f.interfaceId].description ?? '',
    comments: f.comments ?? [],
    direction: f.direction === 'inbound' ? '0x00000001' : f.direction === 'outbound' ? '0x00000002' : undefined,
    raw: Buffer.from(f.data).toString('hex'),
  }));
}

const run$ = promisify(execFile);

/** tshark's view (asynchronous: tshark takes a second to start, the worker must not block). */
async function tsharkView(file: string): Promise<Omit<OutFrame, 'time_epoch'>[]> {
  const SEP = '\x1f';
  const fields = ['frame.interface_name', 'frame.interface_description', 'frame.comment', 'frame.packet_flags_direction'];
  const [f, j] = await Promise.all([
    run$('tshark', ['-r', file, '-T', 'fields', '-E', 'occurrence=a', '-E', `aggregator=${SEP}`, ...fields.flatMap((x) => ['-e', x])], { encoding: 'utf8' }),
    run$('tshark', ['-r', file, '-T', 'json', '-x'], { encoding: 'utf8', maxBuffer: 1 << 26 }),
  ]);
  const rows = f.stdout.trimEnd().split('\n');
  const raw = JSON.parse(j.stdout) as { _source: { layers: { frame_raw: string[] } } }[];
  return rows.map((r, i) => {
    const [iface, desc, comments, dir] = r.split('\t');
    return { interface: iface, description: desc, comments: comments.split(SEP), direction: dir || undefined, raw: raw[i]._source.layers.frame_raw[0] };
  });
}

describe('--pcap-out: what tshark read is what our reader reads', () => {
  for (const [name, argv] of Object.entries(PCAP_OUT_COMMANDS)) {
    it(name, async () => {
      const file = join(tmp, `${name}.pcapng`);
      // paths as the recorder gave them (relative to the repository root, the tests' directory)
      const io = await cli([...argv, '--pcap-out', file]);
      expect(io.stderr).toBe('');
      expect(io.exitCode).toBe(0);
      const want = outGolden.files[name].map(({ time_epoch: _t, ...f }) => f);
      expect(want.length).toBeGreaterThan(0);
      expect(ourView(new Uint8Array(readFileSync(file)))).toEqual(want);
      if (hasTshark) expect(await tsharkView(file)).toEqual(want);
    });
  }
  it('net: one interface per device and direction; the comments tell program, verdict, fate and drop reason', () => {
    const egress = outGolden.files['net-egress'];
    expect(new Set(egress.map((f) => f.interface))).toEqual(new Set(['veth1 egress', 'veth0 ingress', 'veth3 ingress']));
    // egress.net line 20: v1 (tcx egress on veth1) returns TC_ACT_SHOT
    const drop = egress.find((f) => f.comments[0].startsWith('line 20 '))!;
    expect(drop.comments).toEqual(['line 20 send veth1 egress frame 1: veth1 egress', 'tcx v1#2: returned 2 (TCX_DROP)', 'verdict: TC_ACT_SHOT (tcx: drop)', 'fate: drop (SKB_DROP_REASON_TC_EGRESS) at veth1']);
    expect(drop.direction).toBe('0x00000002');
    // the README's example: tcx v0 says NEXT, cls_bpf v1 says OK, the packet goes up the stack
    expect(outGolden.files['net-example'][0].comments).toEqual([
      'line 19 send veth0 ingress frame 1: veth0 ingress',
      'tcx v0#1: returned -1 (TCX_NEXT)',
      'cls_bpf chain 0 pref 1 v1#2: returned 0 (TC_ACT_OK)',
      'verdict: TC_ACT_OK (tcx: next)',
      'fate: stack at veth0',
    ]);
  });
  it('run: one frame per run, data_out, the retval named', async () => {
    const io = await cli(PCAP_OUT_COMMANDS['run-mixed']);
    const runs = JSON.parse(io.stdout).runs as { data_out?: string; retval?: number; errname?: string }[];
    const frames = outGolden.files['run-mixed'];
    expect(frames.length).toBe(runs.length);
    runs.forEach((r, i) => {
      if (r.data_out !== undefined) expect(frames[i].raw).toBe(r.data_out);
      if (r.retval !== undefined) expect(frames[i].comments[1]).toMatch(new RegExp(`^program bench_parse returned ${r.retval | 0}: TC_ACT_`));
      else expect(frames[i].comments.join(' ')).toContain(`test run refused the input: ${r.errname}`);
    });
  });
});

describe('captures as input: the same results as the kernel on the same frames', () => {
  it('run: mixed.pcapng (text2pcap of the kernel golden packets) gives the kernel golden runs', async () => {
    const io = await cli(['run', join(ROOT, 'progs/bench_parse.bpf.o'), 'bench_parse', join(ROOT, G, 'mixed.pcapng')]);
    expect(io.exitCode).toBe(0);
    const ours = JSON.parse(io.stdout);
    const kernel = JSON.parse(readFileSync(join(ROOT, 'test/goldens/run/bench_parse.bench_parse.json'), 'utf8'));
    // `line` is the frame number for a capture, the text line for hex input
    const strip = (rs: Record<string, unknown>[]) => rs.map(({ line: _l, ...r }) => r);
    expect(ours.runs.length).toBe(25);
    expect(strip(ours.runs)).toEqual(strip(kernel.runs));
    expect(ours.runs.map((r: { line: number }) => r.line)).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
    expect(ours.maps).toEqual(kernel.maps);
  });
  it('trace: frame N of the capture traces as line M of the hex file', async () => {
    const a = await cli(['trace', join(ROOT, 'progs/bench_parse.bpf.o'), 'bench_parse', join(ROOT, G, 'mixed.pcapng'), '--packet', '2']);
    const b = await cli(['trace', join(ROOT, 'progs/bench_parse.bpf.o'), 'bench_parse', join(ROOT, 'test/goldens/run/packets/mixed.txt'), '--packet', '2']);
    expect(a.exitCode).toBe(0);
    expect(a.stdout.split('\n')[0]).toBe('== packet 2 (line 2, 54 bytes)');
    expect(a.stdout.split('\n').slice(1)).toEqual(b.stdout.split('\n').slice(1));
  });
  it('cover: the same coverage from the capture as from the hex file', async () => {
    const a = await cli(['cover', join(ROOT, 'progs/bench_parse.bpf.o'), 'bench_parse', join(ROOT, G, 'mixed.pcapng')]);
    const b = await cli(['cover', join(ROOT, 'progs/bench_parse.bpf.o'), 'bench_parse', join(ROOT, 'test/goldens/run/packets/mixed.txt')]);
    expect(a.exitCode).toBe(0);
    expect(a.stdout).toMatch(/^25 frames/);
    expect(a.stdout).toBe(b.stdout);
  });
  it('compare: the same comparison from a capture as from the hex file', async () => {
    const { parseHexFrames, PcapngWriter } = await import('../../src/pcap/index.js');
    const hexFile = join(ROOT, 'test/data/compare/stolen.txt');
    const w = new PcapngWriter();
    w.addInterface({ name: 'x' });
    for (const f of parseHexFrames(readFileSync(hexFile, 'utf8'))) w.addPacket(0, f.data);
    const cap = join(tmp, 'stolen.pcapng');
    writeFileSync(cap, w.bytes());
    const obj = join(ROOT, 'test/goldens/net/compare.bpf.o');
    const a = await cli(['compare', obj, 'first,second', cap]);
    const b = await cli(['compare', obj, 'first,second', hexFile]);
    expect(a.exitCode).toBe(0);
    expect(a.stdout).toContain('frame 1 (64 bytes) ingress');
    expect(a.stdout).toBe(b.stdout);
  });
  it('prog run: data_in a capture runs every frame', async () => {
    const io = await cli(['prog', 'run', 'file', join(ROOT, 'progs/bench_parse.bpf.o'), 'data_in', join(ROOT, G, 'eth.pcapng'), 'data_out', '-']);
    expect(io.exitCode).toBe(0);
    expect(io.stdout.match(/^frame \d+:$/gm)).toEqual(['frame 1:', 'frame 2:', 'frame 3:']);
    expect(io.stdout.match(/^Return value: \d+, duration: \d+ns$/gm)?.length).toBe(3);
    // a single-frame capture prints exactly what bpftool prints for one frame
    const one = await cli(['prog', 'run', 'file', join(ROOT, 'progs/bench_parse.bpf.o'), 'data_in', join(ROOT, G, 'raw4.pcap')]);
    expect(one.stdout).toMatch(/^Return value: \d+, duration: \d+ns\n$/);
  });
  it('net: send D ingress pcap FILE takes SLL2 captures (converted to Ethernet)', async () => {
    const scen = join(tmp, 'sll2.net');
    writeFileSync(scen, ['ip link add veth0 type veth peer name veth1', 'ip link set veth0 up', 'ip link set veth1 up', 'load test/goldens/net/verdicts.bpf.o as vd', 'bpftool net attach tcx_ingress pinned vd/v0 dev veth0', `send veth0 ingress pcap ${join(ROOT, G, 'any-sll2.pcapng')}`].join('\n'));
    const io = await cli(['net', '--json', scen]);
    expect(io.exitCode).toBe(0);
    const send = io.stdout.trim().split('\n').map((l) => JSON.parse(l)).pop();
    expect(send.rc).toBe(0);
    expect(send.cmd).toContain('send veth0 ingress pcap');
  });
});

describe('a capture that breaks off: frames before it run and are written, then the error', () => {
  const cut = join(ROOT, G, 'cut.pcapng');
  const OFFSET = 'byte offset 432';
  it('run', async () => {
    const out = join(tmp, 'cut-run.pcapng');
    const io = await cli(['run', join(ROOT, 'progs/bench_parse.bpf.o'), 'bench_parse', cut, '--pcap-out', out]);
    expect(io.exitCode).toBe(1);
    expect(JSON.parse(io.stdout).runs.length).toBe(2);
    expect(io.stderr).toContain(OFFSET);
    expect(io.stderr).toContain('2 frames before it were processed');
    expect(readCapture(new Uint8Array(readFileSync(out))).frames.length).toBe(2);
  });
  it('trace', async () => {
    const io = await cli(['trace', join(ROOT, 'progs/bench_parse.bpf.o'), 'bench_parse', cut]);
    expect(io.exitCode).toBe(1);
    expect(io.stdout.match(/^== packet/gm)?.length).toBe(2);
    expect(io.stderr).toContain(OFFSET);
  });
  it('cover', async () => {
    const io = await cli(['cover', join(ROOT, 'progs/bench_parse.bpf.o'), 'bench_parse', cut]);
    expect(io.exitCode).toBe(1);
    expect(io.stdout).toMatch(/^2 frames/);
    expect(io.stderr).toContain(OFFSET);
  });
  it('prog run', async () => {
    const io = await cli(['prog', 'run', 'file', join(ROOT, 'progs/bench_parse.bpf.o'), 'data_in', cut]);
    expect(io.exitCode).toBe(1);
    expect(io.stdout.match(/^Return value/gm)?.length).toBe(2);
    expect(io.stderr).toContain(OFFSET);
  });
  it('net send ... pcap: the step fails after sending the frames before the fault; --pcap-out has them', async () => {
    const scen = join(tmp, 'cut.net');
    writeFileSync(scen, ['ip link add veth0 type veth peer name veth1', 'ip link set veth0 up', 'ip link set veth1 up', 'load test/goldens/net/verdicts.bpf.o as vd', 'bpftool net attach tcx_ingress pinned vd/v0 dev veth0', `send veth0 ingress pcap ${cut}`].join('\n'));
    const out = join(tmp, 'cut-net.pcapng');
    const io = await cli(['net', scen, '--pcap-out', out]);
    expect(io.exitCode).toBe(1);
    expect(io.stdout).toContain(OFFSET);
    expect(io.stdout).toContain('2 frames before it were sent');
    expect(io.stdout.match(/^packet \d+ \(/gm)).toEqual(['packet 1 (', 'packet 2 (']);
    const c = readCapture(new Uint8Array(readFileSync(out)));
    expect(c.frames.length).toBe(2);
    expect(c.interfaces.map((i) => i.name)).toEqual(['veth0 ingress']);
    // the frames keep the capture's timestamps (text2pcap's 1700000000.123456789 and 1700000001.5)
    expect(c.frames.map((f) => f.timestampNs)).toEqual([1_700_000_000_123_456_789n, 1_700_000_001_500_000_000n]);
  });
  it('a packets file over the size cap names the limit; a capture keeps the frames inside it', async () => {
    const { readPacketsFile } = await import('../../src/cli/frames.js');
    const { parseFrames, DEFAULT_MAX_FILE_BYTES } = await import('../../src/pcap/index.js');
    expect(DEFAULT_MAX_FILE_BYTES).toBe(256 * 1024 * 1024);
    const hexText = new TextEncoder().encode('00'.repeat(40));
    expect(() => parseFrames(hexText, { maxFileBytes: 39 })).toThrow(/packets file of 80 bytes exceeds the size limit of 39 bytes \(maxFileBytes\)/);
    const eth = new Uint8Array(readFileSync(join(ROOT, G, 'eth-us.pcap')));
    // 24-byte header + (16 + 42) + (16 + 42): the limit falls inside frame 3
    const r = parseFrames(eth, { maxFileBytes: 150 });
    expect(r.frames.length).toBe(2);
    expect(r.error?.message).toMatch(/file of 218 bytes exceeds the size limit of 150 bytes \(maxFileBytes\)/);
    expect(r.error?.offset).toBe(140);
    expect(() => readPacketsFile(memoryIo(), 'x.txt', hexText)).not.toThrow();
  });
});
