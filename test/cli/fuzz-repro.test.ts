/**
 * Reproducers for what the CLI fuzzer (test/fuzz/cli-fuzz.ts) found: each was an untyped
 * exception (TypeError, SyntaxError...) with a stack trace, or a failure without a message.
 */
import { describe, expect, it } from 'vitest';
import { run } from '../../src/cli/main.js';
import { memoryIo } from '../../src/cli/io.js';

const SETUP = ['ip link add veth0 type veth peer name veth1', 'ip link set veth0 up', 'ip link set veth1 up'];

async function cli(argv: string[], stdin = '') {
  const io = memoryIo(stdin);
  const code = await run(argv, io);
  return { code, out: io.stdout, err: io.stderr };
}

function expectClean(r: { code: number; out: string; err: string }): void {
  expect(r.err + r.out).not.toMatch(/TypeError|SyntaxError|RangeError|\n\s+at /);
}

describe('[cli/fuzz-repro]: net scenarios', () => {
  it.each([
    // seed 2 #18: `send DEV DIR udp` cut short read SRC:PORT from undefined
    ['send veth0 ingress udp 10', /send: udp SRC:PORT DST:PORT/],
    ['send veth0 ingress udp', /send: udp SRC:PORT DST:PORT/],
    // a huge len allocated a frame of that many bytes (RangeError past 2^31)
    ['send veth0 ingress udp 10.0.0.1:1 10.0.0.2:2 len 99999999999', /len 99999999999 is not 0\.\.65535/],
    // seed 107 #81: `ip link set DEV address` without the address (TypeError in parseMac)
    ['ip link set veth0 address', /missing MAC address/],
    ['ip addr add', /missing IPv4 address/],
    // `map write` parsed its value with BigInt(): a word was a SyntaxError
    ['map write nosuch/.bss 0 u32 abc', /no object|nosuch|map write/],
  ])('%s', async (line, message) => {
    const r = await cli(['net', '-'], [...SETUP, line].join('\n'));
    expectClean(r);
    expect([1, 2]).toContain(r.code);
    expect(r.err + r.out).toMatch(message);
  });

  it('map write with a non-integer value is a one-line error naming it', async () => {
    const r = await cli(
      ['net', '-'],
      [...SETUP, 'load test/goldens/net/verdicts.bpf.o as vd', 'map write vd/.data 4 s32 abc'].join('\n'),
    );
    expectClean(r);
    expect([1, 2]).toContain(r.code);
    expect(r.err + r.out).toMatch(/map write: value must be an integer, not "abc"/);
  });

  it.each([
    ['tc filter add dev veth0 ingress protocol __proto__ prio 1 handle 1 bpf da pinned vd/v1', /protocol: not a number: __proto__/],
    ['map write vd/.data 4 constructor 1', /map write: bad type or offset/],
  ])('a name from Object.prototype is refused, not looked up there: %s', async (line, message) => {
    const r = await cli(['net', '-'], [...SETUP, 'load test/goldens/net/verdicts.bpf.o as vd', 'tc qdisc add dev veth0 clsact', line].join('\n'));
    expectClean(r);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message);
    expect(r.err.trimEnd().split('\n')).toHaveLength(1);
  });
});

describe('[cli/fuzz-repro]: tcx scripts', () => {
  it.each(['__proto__ ingress', 'constructor', 'toString x', 'hasOwnProperty'])(
    // seed 9 #42: the operation table was a plain object, `__proto__` found Object.prototype
    'operation %j is a script error (status 3, as the oracle)',
    async (line) => {
      const r = await cli(['tcx-script', '-'], `${line}\n`);
      expectClean(r);
      expect(r.code).toBe(3);
      expect(JSON.parse(r.out.trim())).toMatchObject({ line: 1, result: 'script-error', message: `unknown operation '${line.split(' ')[0]}'` });
    },
  );
});

describe('[cli/fuzz-repro]: run', () => {
  it('a load failure keeps the oracle JSON on stdout and says why on stderr (seed 2 #95)', async () => {
    const r = await cli(['run', 'progs/invalid_verifier.bpf.o', 'bad_pkt_read', 'test/goldens/cli/one.txt', '--pretty']);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.out)).toMatchObject({ error: 'load', errname: 'EACCES' });
    expect(r.err).toMatch(/^tcxlab: progs\/invalid_verifier\.bpf\.o: load failed \(EACCES\): verifier: insn #1/);
    expect(r.err.trimEnd().split('\n')).toHaveLength(1);
  });
});

describe('[cli/fuzz-repro]: compare', () => {
  it('--fail-on-diff says on stderr how many frames differ (seed 2000 #46 failed silently)', async () => {
    const r = await cli(['compare', 'test/goldens/cli/hostile.bpf.o', 'leaf', 'test/goldens/cli/one.txt', '--fail-on-diff', '--priority', '2']);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^tcxlab compare: 1 of 1 frames differ between paths \(--fail-on-diff\)\n$/);
  });
});
