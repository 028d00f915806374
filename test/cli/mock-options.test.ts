import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { run } from '../../src/cli/main.js';
import { memoryIo } from '../../src/cli/io.js';
import { SeededRandom } from '../../src/helpers/base.js';

// `--env FILE`, `--mock-time`, `--seed` (src/cli/mock-options.ts) on the commands that run
// programs. test/data/mock/mock.bpf.o records what it saw in map `out` (see test/mock-env.test.ts).
const file = (p: string): string => new URL(`../../${p}`, import.meta.url).pathname;
const MOCK = file('test/data/mock/mock.bpf.o');
const FRAMES = file('test/data/mock/frames.txt');
const dir = mkdtempSync(join(tmpdir(), 'tcxlab-mock-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const write = (name: string, text: string | Uint8Array): string => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};
const ENV = write(
  'env.json',
  JSON.stringify({
    time_ns: 5000,
    seed: 42,
    routes: [{ dst: '10.1.2.0/24', ifindex: 4, smac: '02:00:00:00:00:04' }],
    neighbours: [{ ip: '10.1.2.3', mac: '02:00:00:00:00:99' }],
    sockets: [{ protocol: 'tcp', local: '10.1.2.3:80' }],
    helpers: { bpf_get_smp_processor_id: 3 },
  }),
);

async function cli(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = memoryIo();
  const code = await run(argv, io);
  return { code, out: io.stdout, err: io.stderr };
}

type Dump = { formatted: { value: Record<string, unknown> } }[];
async function outMap(extra: string[]): Promise<Record<string, unknown>> {
  const r = await cli(['map', 'dump', MOCK, 'out', 'world', FRAMES, '--json', ...extra]);
  expect(r.err).toBe('');
  expect(r.code).toBe(0);
  return (JSON.parse(r.out) as Dump)[0].formatted.value;
}

describe('[cli] --env, --mock-time, --seed', () => {
  it('map dump after a run with --env: clock, seed, CPU, FIB and socket as the file declares', async () => {
    const v = await outMap(['--env', ENV]);
    const g = new SeededRandom(42n);
    expect(v).toMatchObject({ t0: 5000, t1: 5000, r0: g.nextU32(), r1: g.nextU32(), cpu: 3, fib_ret: 0, fib_ifindex: 4, sk_found: 1, sk_state: 10, sk_src_port: 80 });
    expect(v.dmac).toEqual([2, 0, 0, 0, 0, 0x99]);
  });

  it('the README\'s env file (test/data/mock/env.json)', async () => {
    const v = await outMap(['--env', file('test/data/mock/env.json')]);
    // t1 one step later; the /24 beats the /16; the connected socket beats the listener.
    expect(v).toMatchObject({ t0: 5000, t1: 5010, cpu: 3, fib_ret: 0, fib_ifindex: 4, mtu_result: 1500, sk_found: 1, sk_state: 1, sk_src_port: 80 });
    expect(v.smac).toEqual([2, 0, 0, 0, 0, 4]);
  });

  it('--mock-time and --seed override the file', async () => {
    const v = await outMap(['--env', ENV, '--mock-time', '0x1b58', '--seed', '1']);
    expect(v.t0).toBe(7000);
    expect(v.r0).toBe(new SeededRandom(1n).nextU32());
    expect(v.cpu).toBe(3);
    // Without any: the defaults (no route: forwarding disabled on lo; CPU 0).
    const d = await outMap([]);
    expect(d.cpu).toBe(0);
    expect(d.fib_ret).toBe(5); // BPF_FIB_LKUP_RET_FWD_DISABLED
  });

  it('run --env: the map dump in the JSON holds the mocked clock', async () => {
    const r = await cli(['run', MOCK, 'world', FRAMES, '--env', ENV]);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out) as { maps: { out: { entries: [string, string][] } } };
    expect(j.maps.out.entries[0][1].slice(0, 16)).toBe('8813000000000000'); // t0 = 5000, little-endian
  });

  it('trace and cover take them too', async () => {
    const t = await cli(['trace', MOCK, 'world', FRAMES, '--mock-time', '5000']);
    expect(t.code).toBe(0);
    expect(t.out).toMatch(/call bpf_ktime_get_ns#5 +; R0=0x1388 /);
    const c = await cli(['cover', MOCK, 'world', FRAMES, '--env', ENV]);
    expect(c.code).toBe(0);
    expect(c.out).toMatch(/^1 frames, 1 ran/);
  });

  it('prog run takes them too', async () => {
    const bin = write('frame.bin', Buffer.from('02000000000202000000000108004500002800010000400664cb0a0000010a01020304d2005000000000000000005002ffff94bc0000', 'hex'));
    const r = await cli(['prog', 'run', 'file', MOCK, 'data_in', bin, '--env', ENV, '--seed', '7']);
    expect(r.err).toBe('');
    expect(r.out).toMatch(/^Return value: 0, duration/);
    const bad = await cli(['prog', 'run', 'file', MOCK, 'data_in', bin, '--env', write('bad0.json', '{"seed": "x"}')]);
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/^tcxlab: --env .*bad0\.json: seed: expected a non-negative integer/);
  });

  it('a bad file is one line naming the file and the field; the read is size-capped', async () => {
    const notJson = await cli(['run', MOCK, 'world', FRAMES, '--env', write('bad1.json', '{"seed": 1,')]);
    expect(notJson.code).toBe(1);
    expect(notJson.err).toMatch(/^tcxlab: --env .*bad1\.json: not JSON: [^\n]*\n$/);
    const field = await cli(['run', MOCK, 'world', FRAMES, '--env', write('bad2.json', '{"routes": [{"dst": "10.0.0.0/8", "ifindex": 2, "gateway": "::1"}]}')]);
    expect(field.code).toBe(1);
    expect(field.err).toMatch(/^tcxlab: --env .*bad2\.json: routes\[0\]\.gateway: not of the route's address family\n$/);
    const big = await cli(['run', MOCK, 'world', FRAMES, '--env', write('big.json', new Uint8Array((1 << 20) + 1).fill(0x20))]);
    expect(big.code).toBe(1);
    expect(big.err).toMatch(/^tcxlab: env file ".*big\.json": larger than the 1 MiB limit/);
    const kernel = await cli(['run', MOCK, 'world', FRAMES, '--kernel', '--env', ENV]);
    expect(kernel.code).toBe(1);
    expect(kernel.err).toBe("tcxlab: --kernel cannot be combined with --env: the kernel's clock, prandom, FIB and sockets are its own\n");
    const seed = await cli(['run', MOCK, 'world', FRAMES, '--seed', '-1']);
    expect(seed.code).toBe(1);
    expect(seed.err).toMatch(/--seed: expected an unsigned 64-bit integer/);
  });
});
