/**
 * `tcxlab compare` and the CLI polish that came with it: --version, swapped arguments named as
 * such, and a `net` scenario that stops still printing the lines before the one that stopped it.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from '../../src/cli/main.js';
import { memoryIo } from '../../src/cli/io.js';
import { verdictText } from '../../src/cli/commands/trace.js';

const OBJ = 'test/goldens/net/compare.bpf.o';
const PACKETS = 'test/data/compare/returns.txt';

async function cli(argv: string[], stdin = ''): Promise<{ code: number; out: string; err: string }> {
  const io = memoryIo(stdin);
  const code = await run(argv, io);
  return { code, out: io.stdout, err: io.stderr };
}

describe('[cli] compare OBJ PROG PACKETS', () => {
  it('prints a table per frame with the differing rows marked and the reasons', async () => {
    const r = await cli(['compare', OBJ, 'first,second', PACKETS]);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const frame2 = r.out.slice(r.out.indexOf('frame 2 '), r.out.indexOf('frame 3 '));
    expect(frame2).toMatch(/^frame 2 \(64 bytes\) ingress — differs in verdict, fate, bytes, tc_index, classid/);
    expect(frame2).toMatch(/! verdict +TC_ACT_UNSPEC \(-1\) +TC_ACT_STOLEN \(4\) +TC_ACT_OK \(0\)/);
    expect(frame2).toMatch(/! fate +stack at eth0 +consumed at eth0 +stack at eth0/);
    expect(frame2).toMatch(/ {4}ran +first +first +first/);
    expect(frame2).toContain('tcx: tcx maps TC_ACT_STOLEN (4) from first to TCX_NEXT (tcx_action_code): the tcx run ends there and the classic filters run next');
    expect(frame2).toContain('da: sch_handle_ingress: TC_ACT_STOLEN means the packet is consumed (consume_skb): it goes no further');
    expect(r.out.match(/^frame \d+ /gm)).toHaveLength(10);
  });

  it('--json gives the comparison as data: signed verdicts, names, hex bytes', async () => {
    const r = await cli(['compare', OBJ, 'first,second', PACKETS, '--json', '--paths', 'tcx,da']);
    const j = JSON.parse(r.out) as { paths: string[]; frames: Array<{ outcomes: Record<string, { verdict: number; verdictName: string; bytes: string }>; differences: Array<{ field: string }> }> };
    expect(j.paths).toEqual(['tcx', 'da']);
    expect(j.frames[1].outcomes.tcx.verdict).toBe(-1);
    expect(j.frames[1].outcomes.da.verdictName).toBe('TC_ACT_STOLEN');
    expect(j.frames[1].outcomes.da.bytes).toMatch(/^[0-9a-f]{128}$/);
    expect(j.frames[0].differences).toEqual([]);
  });

  it('--fail-on-diff: exit status 1 when a frame differs, 0 when none does', async () => {
    expect((await cli(['compare', OBJ, 'first,second', PACKETS, '--fail-on-diff'])).code).toBe(1);
    // frame 7 (TC_ACT_OK from first) is the same under tcx and da
    const one = readFileSync(PACKETS, 'utf8').split('\n').filter((l) => /^[0-9a-f]+$/.test(l))[6];
    const dir = mkdtempSync(join(tmpdir(), 'tcxlab-compare-'));
    writeFileSync(join(dir, 'one.txt'), `${one}\n`);
    const r = await cli(['compare', OBJ, 'first', join(dir, 'one.txt'), '--fail-on-diff', '--paths', 'tcx,da']);
    expect(r.out).toContain('frame 1 (64 bytes) ingress — the same under every path');
    expect(r.code).toBe(0);
  });

  it('--dir egress, --prio, --classid', async () => {
    const r = await cli(['compare', OBJ, 'first,second', PACKETS, '--dir', 'egress', '--prio', '5', '--classid', '2:7', '--paths', 'da,nonda']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('first, second on egress');
    expect(r.out).toContain('TC_ACT_OK from the prio 5 filter (first) ends the classic chain: the prio 6 filter (second) never ran');
    expect(r.out).toMatch(/classid +- +2:7/);
    expect(r.out).toContain('transmitted at eth0');
  });

  it('a net scenario: tcx as written against the classic view, per send line', async () => {
    const r = await cli(['compare', 'test/goldens/net/example.net']);
    expect(r.err).toBe('');
    expect(r.out).toMatch(/^test\/goldens\/net\/example.net: tcx as written; classic: each hook's tcx programs as cls_bpf filters/);
    expect(r.out).toMatch(/^line \d+: send veth0 ingress udp 10.77.0.2:4000 10.77.0.1:7777 \(frame 1, 64 bytes\)/m);
  });

  it('usage errors', async () => {
    for (const [argv, msg] of [
      [['compare', OBJ, 'first'], /OBJ PROG\[,PROG...\] PACKETS_FILE, or a scenario file alone/],
      [['compare', OBJ, 'first', PACKETS, '--prio', 'x'], /--prio: expected an integer/],
      [['compare', OBJ, 'first', PACKETS, '--classid', 'zz'], /--classid: expected MAJ:MIN/],
      [['compare', OBJ, 'first,first', PACKETS], /only once/],
      [['compare', OBJ, 'nope', PACKETS], /no program "nope"/],
    ] as const) {
      const r = await cli([...argv]);
      expect(r.code, argv.join(' ')).toBe(1);
      expect(r.err, argv.join(' ')).toMatch(msg);
    }
  });
});

describe('[readme] compare example', () => {
  it('the compare-example block is what the command prints', async () => {
    const readme = readFileSync('README.md', 'utf8');
    const at = readme.indexOf('<!-- compare-example');
    expect(at).toBeGreaterThan(0);
    const block = /```\n([\s\S]*?)```/.exec(readme.slice(at))![1];
    const r = await cli(['compare', OBJ, 'first,second', 'test/data/compare/stolen.txt']);
    expect(r.code).toBe(0);
    expect(r.out).toBe(block);
  });
});

describe('[cli] polish', () => {
  it('tcxlab trace names verdicts: TC_ACT_* and what tcx makes of them', () => {
    const res = (retval: number) => ({ err: 0 as const, retval, dataOut: new Uint8Array(0), trace: [] });
    expect(verdictText(res(4))).toBe('retval 4 (TC_ACT_STOLEN, TCX_NEXT)');
    expect(verdictText(res(0xffffffff))).toBe('retval -1 (TC_ACT_UNSPEC, TCX_NEXT)');
    expect(verdictText(res(7))).toBe('retval 7 (TC_ACT_REDIRECT, TCX_REDIRECT)');
    expect(verdictText(res(42))).toBe('retval 42 (42, TCX_NEXT)');
  });

  it('--version prints the package version', async () => {
    const r = await cli(['--version']);
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };
    expect(r.out.trim()).toBe(pkg.version);
    expect(r.code).toBe(0);
  });

  it.each([
    [['run', PACKETS, 'first', OBJ], `PACKETS_FILE ${OBJ} is an ELF object — did you mean \`tcxlab run ${OBJ} first ${PACKETS}\`?`],
    [['trace', OBJ, 'first', OBJ], `PACKETS_FILE ${OBJ} is an ELF object — did you mean the packets file in place of ${OBJ}?`],
    [['cover', 'first', OBJ, PACKETS], `OBJ first is not an ELF object but PROG ${OBJ} is a file that is — did you mean \`tcxlab cover ${OBJ} first ${PACKETS}\`?`],
    [['compare', PACKETS, 'first', OBJ], `PACKETS_FILE ${OBJ} is an ELF object — did you mean \`tcxlab compare ${OBJ} first ${PACKETS}\`?`],
  ])('swapped arguments: %j', async (argv, msg) => {
    const r = await cli(argv);
    expect(r.code).toBe(1);
    expect(r.err).toBe(`tcxlab: ${msg}\n`);
  });

  it('a net scenario that stops at a bad line still prints the lines before it', async () => {
    const text = ['ip link add veth0 type veth peer name veth1', 'ip link set veth0 up', 'tc qdisc show', 'frobnicate the device', 'ip link set veth1 up'].join('\n');
    const r = await cli(['net', '-'], text);
    expect(r.code).toBe(2);
    expect(r.out).toBe('$ ip link add veth0 type veth peer name veth1\n$ ip link set veth0 up\n$ tc qdisc show\n');
    expect(r.err).toBe('tcxlab net: line 4: unknown command frobnicate\n');
  });
});
