/**
 * CLI hardening (issue 9, items 3-6, and the verification switches of issue 10): every bad input
 * is a one-line error and a non-zero exit, never a stack trace, an endless read or lost output.
 * The hostile fixture's kernel answers (test/goldens/cli/*.out.json) were recorded by
 * test/goldens/cli/record.sh with the oracle.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { run } from '../../src/cli/main.js';
import { INPUT_LIMITS, memoryIo } from '../../src/cli/io.js';
import { Collection } from '../../src/collection.js';
import { VerifierError } from '../../vm/errors.js';
import { JIT_MAX_INSNS, compile } from '../../vm/jit/index.js';
import { link } from '../../vm/link.js';
import { decode } from '../../vm/program.js';
import { Memory } from '../../vm/memory.js';

const G = 'test/goldens/cli';
const HOSTILE = `${G}/hostile.bpf.o`;
const BIGBSS = `${G}/bigbss.bpf.o`;
const INVALID = 'progs/invalid_verifier.bpf.o';
const PKT = `${G}/one.txt`;

async function cli(argv: string[]) {
  const io = memoryIo();
  const code = await run(argv, io);
  return { code, out: io.stdout, err: io.stderr };
}

/** The invariant for bad input: exit 1 or 2, exactly one line on stderr, no stack trace. */
function expectOneLineError(r: { code: number; err: string }, message: RegExp): void {
  expect([1, 2]).toContain(r.code);
  expect(r.err).toMatch(message);
  expect(r.err.trimEnd().split('\n')).toHaveLength(1);
  expect(r.err).not.toMatch(/\n\s+at |RangeError|TypeError/);
}

describe('[cli/hardening]: item 5, strict arguments', () => {
  it.each([
    [['--repeat', 'abc'], /--repeat <n>' argument 'abc' is invalid/],
    [['--repeat', '-1'], /--repeat <n>' argument '-1' is invalid/],
    [['--repeat', '0'], /--repeat <n>' argument '0' is invalid/],
    [['--repeat', '1000000000000'], /--repeat <n>' argument '1000000000000' is invalid/],
    [['--repeat', '1e3'], /--repeat <n>' argument '1e3' is invalid/],
    [['--cpu', 'abc'], /--cpu <n>' argument 'abc' is invalid/],
    [['--cpu', '99999'], /--cpu <n>' argument '99999' is invalid/],
    [['--cpu', '2'], /--cpu 2: the emulated machine has CPUs 0\.\.1/],
    [['--ctx', 'abc'], /--ctx <hex>' argument 'abc' is invalid/],
    [['--max-entries', 'x'], /--max-entries <n>' argument 'x' is invalid/],
    [['--set', 'jt', '00', '@leaf'], /--set jt 00 @leaf: a prog array slot key is 4 bytes/],
    [['--set', 'jt', '00'], /--set takes three values/],
    [['--set', 'nosuch', '00000000', '00'], /no map "nosuch"/],
    [['--engine', 'fast'], /argument 'fast' is invalid/],
    [['--verify=maybe'], /--verify \[mode\]' argument 'maybe' is invalid/],
  ])('run %j', async (extra, message) => {
    expectOneLineError(await cli(['run', HOSTILE, 'hostile', PKT, ...extra]), message);
  });

  it.each([
    [['--limit', '-3'], /--limit <n>' argument '-3' is invalid/],
    [['--packet', '0'], /--packet <n>' argument '0' is invalid/],
    [['--packet', '2'], /--packet 2: the file has 1 frames/],
  ])('trace %j', async (extra, message) => {
    expectOneLineError(await cli(['trace', HOSTILE, 'hostile', PKT, ...extra]), message);
  });

  it.each([
    [['repeat', 'abc'], /repeat takes a decimal integer/],
    [['repeat', ''], /repeat takes a decimal integer/],
    [['repeat', '0x10'], /repeat takes a decimal integer/],
    [['repeat', '4294967296'], /repeat takes a decimal integer/],
    [['data_out', '-', 'data_size_out', '1e3'], /data_size_out takes a decimal integer/],
  ])('prog run %j', async (extra, message) => {
    expectOneLineError(await cli(['prog', 'run', 'file', HOSTILE, 'name', 'hostile', 'data_in', PKT, ...extra]), message);
  });

  it('--repeat N runs N times (the program returns 0 without a tail call target)', async () => {
    const r = await cli(['run', HOSTILE, 'hostile', PKT, '--repeat', '3', '--max-entries', '0']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.runs[0].retval).toBe(0);
    expect(j.maps.__proto__.entries).toEqual([]);
  });
});

describe('[cli/hardening]: item 4, bounded input reading', () => {
  it.each([
    [['run', '/dev/zero', 'p', PKT], /object "\/dev\/zero": larger than the 64 MiB limit/],
    [['run', HOSTILE, 'hostile', '/dev/zero'], /packets file "\/dev\/zero": larger than the 256 MiB limit/],
    [['run', HOSTILE, 'hostile', PKT, '--btf', '/dev/zero'], /BTF file "\/dev\/zero": larger than the 64 MiB limit/],
    [['trace', HOSTILE, 'hostile', '/dev/zero'], /packets file "\/dev\/zero"/],
    [['cover', HOSTILE, 'hostile', '/dev/zero'], /packets file "\/dev\/zero"/],
    [['net', '/dev/zero'], /scenario "\/dev\/zero": larger than the 16 MiB limit/],
    [['tcx-script', '/dev/zero'], /script "\/dev\/zero": larger than the 16 MiB limit/],
    [['prog', 'run', 'file', HOSTILE, 'name', 'hostile', 'data_in', '/dev/zero'], /input "\/dev\/zero": larger than the 16 MiB limit/],
    [['prog', 'run', 'file', HOSTILE, 'name', 'hostile', 'data_in', PKT, 'ctx_in', '/dev/zero'], /input "\/dev\/zero"/],
    [['inspect', '/dev/zero'], /object "\/dev\/zero"/],
    [['disasm', '/dev/zero'], /object "\/dev\/zero"/],
    [['jit', '/dev/zero'], /object "\/dev\/zero"/],
    [['compare', '/dev/zero'], /object "\/dev\/zero"/],
    [['compare', HOSTILE, 'hostile', '/dev/zero'], /"\/dev\/zero"/],
    [['run', 'test', 'p', PKT], /cannot read "test": EISDIR/],
    [['prog', 'run', 'file', HOSTILE, 'name', 'hostile', 'data_in', `${G}/one.bin`, 'data_out', '/nonexistent/dir/out'], /cannot write "\/nonexistent\/dir\/out": ENOENT/],
  ])('%j', async (argv, message) => {
    expectOneLineError(await cli(argv), message);
  });

  it('the limits are what the README says', () => {
    expect(INPUT_LIMITS).toEqual({
      object: 64 << 20,
      packets: 256 << 20,
      btf: 64 << 20,
      scenario: 16 << 20,
      script: 16 << 20,
      env: 1 << 20,
      data: 16 << 20,
      file: 256 << 20,
    });
  });
});

describe('[cli/hardening]: items 3 and 6, map sizes and output (kernel goldens)', () => {
  const want = (f: string) => JSON.parse(readFileSync(`${G}/${f}`, 'utf8'));

  it('a 100,000,000-slot prog array loads lazily; maps named __proto__ and constructor are in the JSON', async () => {
    const r = await cli(['run', HOSTILE, 'hostile', PKT]);
    expect(r.code).toBe(0);
    const got = JSON.parse(r.out);
    const k = want('hostile.out.json');
    expect(got.runs).toEqual(k.runs);
    expect(Object.keys(got.maps)).toEqual(['__proto__', 'constructor', 'jt']);
    expect(got.maps).toEqual(k.maps);
  });

  it('--set on slot 99,999,999 of that prog array tail-calls leaf (retval 2)', async () => {
    const r = await cli(['run', HOSTILE, 'hostile', PKT, '--set', 'jt', 'ffe0f505', '@leaf', '--max-entries', '4']);
    expect(r.code).toBe(0);
    const got = JSON.parse(r.out);
    const k = want('hostile-set.out.json');
    expect(got.runs).toEqual(k.runs);
    expect(got.maps).toEqual(k.maps);
  });

  it('a 60 MiB .bss dump is cut to 1 MiB of value, and stderr says so', async () => {
    const r = await cli(['run', BIGBSS, 'bigbss', PKT]);
    expect(r.code).toBe(0);
    expect(r.out.length).toBeLessThan(3 << 20);
    const bss = JSON.parse(r.out).maps['bigbss.bss'];
    expect(bss.value_bytes_shown).toBe(1 << 20);
    expect(bss.entries[0][1]).toHaveLength(2 << 20);
    expect(bss.entries[0][1].slice(0, 2)).toBe('01'); // big[0] = 1
    expect(r.err).toMatch(/map bigbss\.bss: values cut to their first 1048576 bytes/);
  });
});

describe('[cli/hardening]: item 6, JIT compile is bounded', () => {
  it(`a program over ${JIT_MAX_INSNS} instructions runs under the interpreter, with the same result`, () => {
    const n = JIT_MAX_INSNS + 10;
    const code = new Uint8Array((n + 1) * 8);
    for (let i = 0; i < n; i++) code.set([0x07, 0x00, 0, 0, 1, 0, 0, 0], i * 8); // r0 += 1
    code.set([0x95], n * 8); // exit
    const prog = link(decode(code), { name: 'long', helpers: [] });
    const t0 = performance.now();
    const c = compile(prog);
    expect(c.interpreted).toBe(true);
    expect(c.tooLong).toBe(true);
    expect(c.run(new Memory()).r0lo).toBe(n);
    expect(performance.now() - t0).toBeLessThan(1000);
  });

  it('`tcxlab jit` on raw bytecode over the limit says so', async () => {
    const r = await cli(['jit', `${G}/long.bin`]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(new RegExp(`runs under the interpreter \\(over ${JIT_MAX_INSNS} instructions`));
  });
});

describe('[cli/hardening]: issue 10, verification switches', () => {
  it('by default a program the verifier rejects does not load (the oracle\'s load error, exit 1)', async () => {
    const r = await cli(['run', INVALID, 'bad_pkt_read', PKT]);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.out)).toMatchObject({ error: 'load', errname: 'EACCES' });
  });

  it.each([
    ['run', ['run', INVALID, 'bad_pkt_read', PKT]],
    ['trace', ['trace', INVALID, 'bad_pkt_read', PKT]],
    ['cover', ['cover', INVALID, 'bad_pkt_read', PKT]],
    ['prog run', ['prog', 'run', 'file', INVALID, 'data_in', PKT]],
    ['jit', ['jit', INVALID, 'bad_pkt_read']],
    ['compare', ['compare', INVALID, 'bad_pkt_read', PKT]],
  ])('%s --no-verify runs it, --verify=warn runs it and warns on stderr', async (_n, argv) => {
    const plain = await cli(argv);
    expect(plain.code).toBe(1);
    const off = await cli([...argv, '--no-verify']);
    expect(off.code).toBe(0);
    expect(off.err).toBe('');
    const warn = await cli([...argv, '--verify=warn']);
    expect(warn.code).toBe(0);
    expect(warn.err).toMatch(/warning: the verifier rejects bad_pkt_read .*invalid access to packet, off=20 size=1, R1\(id=0,off=20,r=0\)/);
    const strip = (s: string) => s.replace(/duration: \d+ns/, 'duration: Xns');
    expect(strip(warn.out)).toBe(strip(off.out));
  });

  it('net: --no-verify and --verify=warn reach the objects a scenario loads', async () => {
    const argv = ['net', `${G}/invalid.scenario`];
    const plain = await cli(argv);
    expectOneLineError(plain, /line 5: verifier: insn #1: invalid access to packet, off=20 size=1, R1\(id=0,off=20,r=0\)/);
    const off = await cli([...argv, '--no-verify']);
    expect(off.code).toBe(0);
    const warn = await cli([...argv, '--verify=warn']);
    expect(warn.code).toBe(0);
    expect(warn.err).toMatch(/warning: the verifier rejects bad_pkt_read/);
  });

  it('library: verify false loads, verify "warn" records the rejection, default throws', () => {
    const bytes = new Uint8Array(readFileSync(INVALID));
    expect(() => Collection.load(bytes)).toThrow(VerifierError);
    expect(Collection.load(bytes, { verify: false }).verifierWarnings).toEqual([]);
    const seen: string[] = [];
    const c = Collection.load(bytes, { verify: 'warn', onVerifierWarning: (w) => seen.push(w.program) });
    expect(seen).toEqual(['bad_pkt_read']);
    expect(c.verifierWarnings.map((w) => [w.program, w.error instanceof VerifierError])).toEqual([['bad_pkt_read', true]]);
    expect(c.run('bad_pkt_read', new Uint8Array(64)).err).toBe(0);
  });
});
