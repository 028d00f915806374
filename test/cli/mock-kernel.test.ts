import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { run } from '../../src/cli/main.js';
import { memoryIo } from '../../src/cli/io.js';

// `--env` routes, neighbours and sockets against Linux: test/goldens/mock/record.sh set the same
// state up in a network namespace and ran test/data/mock/mock.bpf.o there (bpftool prog run);
// `out` holds what bpf_fib_lookup and bpf_sk_lookup_tcp answered. Clock and prandom values
// cannot agree (the kernel's are the machine's) and are left out; everything else must.
const file = (p: string): string => new URL(`../../${p}`, import.meta.url).pathname;
const CASES = ['onlink', 'gateway', 'gateway-neigh', 'noroute', 'blackhole'];

type Formatted = { formatted: { value: Record<string, unknown> } }[];
const worldOf = (v: Record<string, unknown>): Record<string, unknown> => {
  const { t0, t1, r0, r1, ...rest } = v;
  void [t0, t1, r0, r1];
  return rest;
};

describe('[cli] --env against the kernel: bpf_fib_lookup and bpf_sk_lookup_tcp', () => {
  for (const c of CASES) {
    it(c, async () => {
      const io = memoryIo();
      const code = await run(['map', 'dump', file('test/data/mock/mock.bpf.o'), 'out', 'world', file('test/data/mock/frames.txt'), '--json', '--env', file(`test/goldens/mock/${c}.env.json`)], io);
      expect(io.stderr).toBe('');
      expect(code).toBe(0);
      const ours = worldOf((JSON.parse(io.stdout) as Formatted)[0].formatted.value);
      const kernel = worldOf((JSON.parse(readFileSync(file(`test/goldens/mock/${c}.kernel.json`), 'utf8')) as Formatted)[0].formatted.value);
      expect(Object.keys(kernel)).toHaveLength(10);
      expect(ours).toEqual(kernel);
    });
  }
});
