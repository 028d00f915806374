/**
 * A real program against the kernel: the Linux BPF selftest test_cls_redirect
 * (test/bench/data/test_cls_redirect.bpf.o, 1,571 instructions) on GUE-encapsulated frames that
 * take each of its paths (decapsulation, forwarding by GUE and by GRE, ICMP, IPv6 extension
 * headers, the refusals and the early return), and the frames the per-packet benchmark times,
 * repeated on the same skb. tcxlab's `run` must print what `oracle run` printed (retval, data_out,
 * ctx, the per-CPU metrics map) under both engines. Goldens: test/goldens/bench-kernel/
 * cls_redirect.kernel.json, recorded by record-cls-redirect.py.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from '../../src/cli/main.js';
import { memoryIo } from '../../src/cli/io.js';
import { ENGINES } from '../../vm/engine.js';

const ROOT = new URL('../../', import.meta.url).pathname;

interface Case {
  name: string;
  argv: string[];
  output: { runs: Record<string, unknown>[] } & Record<string, unknown>;
}

const golden: { cases: Case[] } = JSON.parse(readFileSync(join(ROOT, 'test/goldens/bench-kernel/cls_redirect.kernel.json'), 'utf8'));

describe('test_cls_redirect (selftest) matches the kernel', () => {
  it('the goldens cover every path the benchmark and the test rely on', () => {
    const all = golden.cases.find((c) => c.name === 'all')!;
    const retvals = new Set(all.output.runs.map((r) => r.retval_s32));
    // TC_ACT_OK (not for us), TC_ACT_SHOT (refused), TC_ACT_REDIRECT (decapsulated or forwarded)
    expect([...retvals].sort()).toEqual([0, 2, 7]);
    // decapsulated (shorter), re-encapsulated in GRE (shorter), forwarded (same length) frames
    expect(all.output.runs.some((r) => (r.data_size_out as number) < (r.data_size_in as number))).toBe(true);
    expect(all.output.runs.filter((r) => r.retval_s32 === 7 && r.data_size_out === r.data_size_in).length).toBeGreaterThanOrEqual(3);
    expect(golden.cases.filter((c) => c.name.endsWith('.repeat3')).length).toBe(4);
  });

  it.each(golden.cases.flatMap((c) => ENGINES.map((engine) => [c.name, engine, c] as const)))('%s (%s)', async (_name, engine, c) => {
    const io = memoryIo();
    const argv = c.argv.map((a) => (a.startsWith('test/') ? join(ROOT, a) : a));
    // Verification of this program is checked once, against the kernel's processed count, in
    // test/vm/verifier-processed.test.ts; here each case only runs it (a verify per case would
    // block the worker for seconds on a loaded machine).
    const code = await run([...argv, '--engine', engine, '--no-verify'], io);
    expect(io.stderr).toBe('');
    expect(code).toBe(0);
    const ours = JSON.parse(io.stdout) as Case['output'];
    for (const r of ours.runs) {
      delete r.duration_ns; // a timing (the golden has none)
      delete r.trace; // tcxlab's own addition (bpf_trace_printk output)
    }
    // `--repeat N` cases print `"repeat": N` at the top level, as `oracle run` does
    expect(ours).toEqual(c.output);
  });
});
