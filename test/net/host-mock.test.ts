/**
 * The mocked world (src/mock-env.ts) on the network path: Host({ mock }) and `tcxlab net --env /
 * --mock-time / --seed`. test/data/mock/mock.bpf.o records in map `out` what one run saw of the
 * clock, bpf_get_prandom_u32, the CPU, bpf_fib_lookup and bpf_sk_lookup_tcp (test/mock-env.test.ts
 * checks the same program through Collection.run).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { run } from '../../src/cli/main.js';
import { memoryIo } from '../../src/cli/io.js';
import { SeededRandom } from '../../src/helpers/base.js';
import { Host, type MockEnv } from '../../src/index.js';

const file = (p: string): string => new URL(`../../${p}`, import.meta.url).pathname;
const MOCK = file('test/data/mock/mock.bpf.o');
const ENV_FILE = file('test/data/mock/env.json');
const ENV = JSON.parse(readFileSync(ENV_FILE, 'utf8')) as MockEnv;
const HEX = readFileSync(file('test/data/mock/frames.txt'), 'utf8').split('\n').filter((l) => /^[0-9a-f]+$/.test(l))[0];
const FRAME = Uint8Array.from(Buffer.from(HEX, 'hex'));

type Out = Record<string, unknown>;
function hostRun(mock: MockEnv | undefined, sends = 1): Out[] {
  const host = new Host({ mock });
  const [veth0, veth1] = host.addVeth('veth0', 'veth1');
  veth0.up = veth1.up = true;
  const obj = host.loadObject(new Uint8Array(readFileSync(MOCK)));
  veth0.tcx('ingress').attach(obj.program('world'));
  const out: Out[] = [];
  for (let i = 0; i < sends; i++) {
    host.send(veth0, FRAME, { dir: 'ingress' });
    out.push(obj.collection.map('out').get(0) as Out);
  }
  return out;
}

describe('Host({ mock }): the world of every send', () => {
  it('clock, seeded prandom, helper override, FIB route and socket as the env file declares', () => {
    const [o] = hostRun(ENV);
    const g = new SeededRandom(42n);
    // t1 one time_step_ns after t0; the /24 route beats the /16; the connected socket beats the listener
    expect(o).toMatchObject({ t0: 5000n, t1: 5010n, r0: g.nextU32(), r1: g.nextU32(), cpu: 3, fib_ret: 0, fib_ifindex: 4, mtu_result: 1500, sk_found: 1, sk_state: 1, sk_src_port: 80 });
    expect([o.dmac, o.smac]).toEqual(['02:00:00:00:00:99', '02:00:00:00:00:04']);
  });

  it('one prandom sequence and one clock across sends', () => {
    const [a, b] = hostRun(ENV, 2);
    const g = new SeededRandom(42n);
    const seq = [g.nextU32(), g.nextU32(), g.nextU32(), g.nextU32()];
    expect([a.r0, a.r1, b.r0, b.r1]).toEqual(seq);
    expect(b.t0 as bigint).toBeGreaterThan(a.t1 as bigint);
  });

  it('without a mock: no route (bpf_fib_lookup does not forward), no socket, CPU 0', () => {
    const [o] = hostRun(undefined);
    expect(o.fib_ret).not.toBe(0);
    expect([o.cpu, o.sk_found]).toEqual([0, 0]);
  });

  it('a namespace given an existing kernel keeps its clock; a bad env is a typed error', () => {
    const main = new Host({ mock: { time_ns: 7000 } });
    const ns = new Host({ kernel: main.kernel, mock: { time_ns: 1 } });
    expect(ns.mock?.timeNs).toBe(1n);
    const obj = ns.loadObject(new Uint8Array(readFileSync(MOCK)));
    const [veth0] = ns.addVeth('veth0', 'veth1');
    veth0.up = true;
    ns.device('veth1')!.up = true;
    veth0.tcx('ingress').attach(obj.program('world'));
    ns.send(veth0, FRAME);
    expect((obj.collection.map('out').get(0) as Out).t0).toBe(7000n);
    expect(() => new Host({ mock: { routes: [{ dst: '10.0.0.0/8' }] } })).toThrow(/^env: routes\[0\]\.ifindex: a unicast route needs its output device/);
  });
});

/** `map dump m/out` of a scenario: the struct result's bytes (mock.bpf.c). */
async function net(args: string[]): Promise<{ code: number; out: string; err: string; value?: DataView }> {
  const scenario = [
    'ip link add veth0 type veth peer name veth1',
    'ip link set veth0 up',
    'ip link set veth1 up',
    `load ${MOCK} as m`,
    'bpftool net attach tcx_ingress pinned m/world dev veth0',
    `send veth0 ingress ${HEX}`,
    'map dump m/out',
  ].join('\n');
  const io = memoryIo(scenario);
  const code = await run(['net', '-', '--json', ...args], io);
  const dump = io.stdout
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as { cmd: string; value?: string })
    .find((s) => s.cmd === 'map dump m/out');
  const value = dump?.value !== undefined ? new DataView(Uint8Array.from(Buffer.from(dump.value, 'hex')).buffer) : undefined;
  return { code, out: io.stdout, err: io.stderr, value };
}

describe('[cli] tcxlab net --env, --mock-time, --seed', () => {
  it('--env: the run sees the file\'s clock, CPU and FIB route', async () => {
    const r = await net(['--env', ENV_FILE]);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const v = r.value!;
    expect([v.getBigUint64(0, true), v.getBigUint64(8, true)]).toEqual([5000n, 5010n]);
    expect(v.getUint32(24, true)).toBe(3); // cpu, from helpers.bpf_get_smp_processor_id
    expect([v.getInt32(28, true), v.getUint32(32, true)]).toEqual([0, 4]); // fib_ret BPF_FIB_LKUP_RET_SUCCESS, fib_ifindex
  });

  it('--mock-time and --seed override the file, and work alone', async () => {
    const r = await net(['--env', ENV_FILE, '--mock-time', '0x100000', '--seed', '7']);
    expect(r.code).toBe(0);
    const g = new SeededRandom(7n);
    expect(r.value!.getBigUint64(0, true)).toBe(0x100000n);
    expect([r.value!.getUint32(16, true), r.value!.getUint32(20, true)]).toEqual([g.nextU32(), g.nextU32()]);
    const alone = await net(['--mock-time', '123456']);
    expect(alone.value!.getBigUint64(0, true)).toBe(123456n);
    expect(alone.value!.getUint32(32, true)).not.toBe(4); // no routes without --env
  });

  it('a bad --env names the file, exit status 2, nothing run', async () => {
    const r = await net(['--env', MOCK]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^tcxlab net: --env .*mock\.bpf\.o: not JSON/);
    expect(r.out).toBe('');
  });
});
