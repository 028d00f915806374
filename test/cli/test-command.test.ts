import { describe, expect, it } from 'vitest';
import { run } from '../../src/cli/main.js';
import { memoryIo } from '../../src/cli/io.js';

const PASS = 'progs/trf_pass.bpf.o';
const FAIL = 'progs/trf_fail.bpf.o';

async function cli(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = memoryIo();
  const code = await run(argv, io);
  return { code, out: io.stdout, err: io.stderr };
}

describe('[cli] tcxlab test: Cilium-style BPF unit tests', () => {
  it('a passing object exits 0 and lists every group and TEST()', async () => {
    const r = await cli(['test', PASS]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/--- PASS: a_http_dnat\/dnat_rewrites_destination\n/);
    expect(r.out).toMatch(/--- PASS: c_state_persists\n/);
    expect(r.out).toMatch(/ok: 10 passed, 0 failed, 0 skipped, 0 errors\n$/);
    // logs of passing tests only with --verbose
    expect(r.out).not.toMatch(/daddr 0a000063/);
    expect((await cli(['test', '-v', PASS])).out).toMatch(/\n {4}daddr 0a000063 dport 8080\n/);
  });

  it('a failing test makes the exit status 1 and prints its log', async () => {
    const r = await cli(['test', PASS, FAIL]);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/--- FAIL: fail_assert\/fails\n {4}u=4464 d=-2 x=2345\n/);
    expect(r.out).toMatch(/--- ERROR: setup_error \(setup program setup_error_setup returned status 102\)/);
    expect(r.out).toMatch(/--- ERROR: too_big \(pktgen program too_big_pktgen: test run failed with ENOSPC\)/);
    expect(r.out).toMatch(/--- ERROR: wire_len_einval \(check program wire_len_check: test run failed with EINVAL\)/);
    expect(r.out).toMatch(/--- SKIP: xdp_only \(xdp test: tcxlab runs tc programs only\)/);
    expect(r.out).toMatch(/FAIL: 13 passed, 3 failed, 2 skipped, 3 errors\n$/);
  });

  it('--run picks groups by name', async () => {
    const r = await cli(['test', FAIL, '--run', '^(fail_assert|unknown_status)$']);
    expect(r.out).not.toMatch(/too_big|setup_error/);
    expect(r.out).toMatch(/--- PASS: unknown_status\n/);
    expect(r.code).toBe(1);
    expect((await cli(['test', FAIL, '--run', 'unknown'])).code).toBe(0);
  });

  it('--format tap', async () => {
    const r = await cli(['test', FAIL, '--format', 'tap']);
    const lines = r.out.split('\n');
    expect(lines[0]).toBe('TAP version 13');
    expect(lines[1]).toBe('1..11');
    expect(lines).toContain('not ok 2 - trf_fail.bpf.o: fail_assert/fails');
    expect(lines).toContain('ok 3 - trf_fail.bpf.o: fail_assert/skipped # SKIP');
    expect(lines).toContain('  # assertion failed: len == 1');
    expect(lines.filter((l) => /^(not )?ok \d+ /.test(l))).toHaveLength(11);
  });

  it('--format junit', async () => {
    const r = await cli(['test', FAIL, '--format', 'junit']);
    expect(r.out).toMatch(/<testsuite name="trf_fail.bpf.o" tests="11" failures="3" errors="3" skipped="2">/);
    expect(r.out).toMatch(/<testcase classname="trf_fail.bpf.o.fail_assert" name="fails"><failure message="assertion failed: len == 1"\/>/);
    expect(r.out).toMatch(/<testcase classname="trf_fail.bpf.o" name="too_big"><error message="pktgen program too_big_pktgen: test run failed with ENOSPC"\/>/);
    expect(r.out).toMatch(/bad %!\(INVALID\) %!\(INVALID\) %!\(INVALID\)/);
  });

  it('--format json carries the steps and the decoded records', async () => {
    const r = await cli(['test', PASS, '--format', 'json']);
    const j = JSON.parse(r.out) as { groups: { name: string; steps: { kind: string; retval: number }[]; tests: { name: string; log: { args: string[] }[] }[] }[] };
    expect(j.groups[0].steps.map((s) => [s.kind, s.retval])).toEqual([
      ['pktgen', 0],
      ['setup', 0],
      ['check', 101],
    ]);
    expect(j.groups[0].tests[1].log[0].args).toEqual(['167772259', '8080']);
  });

  it('an object that does not load is an error of that object; the others still run', async () => {
    const r = await cli(['test', 'package.json', PASS]);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/=== package.json\n--- ERROR: \(load\) \(E_ELF: /);
    expect(r.out).toMatch(/--- PASS: c_state_persists\n/);
    const bad = await cli(['test', PASS, '--run', '(']);
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/--run: not a regular expression/);
  });
});
