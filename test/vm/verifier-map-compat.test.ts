/**
 * check_map_func_compatibility from the helper side (the map types a helper takes) against the
 * kernel: bpf_map_lookup_percpu_elem takes only per-CPU maps, push/peek also take bloom filters.
 * Objects and verdicts: test/goldens/verifier/map-compat/record.sh (bpftool on Linux 6.18).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadObject } from '../../src/index.js';

const dir = new URL('../goldens/verifier/map-compat/', import.meta.url);
const golden = JSON.parse(readFileSync(new URL('kernel.json', dir), 'utf8')) as {
  cases: { object: string; program: string; verdict: 'accept' | 'reject'; message: string }[];
};

describe('[vm/verifier]: map types a helper takes (check_map_func_compatibility)', () => {
  it.each(golden.cases.map((c) => [c.program, c] as const))('%s as the kernel decides', (_n, c) => {
    const bytes = new Uint8Array(readFileSync(new URL(c.object, dir)));
    let error: Error | undefined;
    try {
      loadObject(bytes).program(c.program);
    } catch (e) {
      error = e as Error;
    }
    if (c.verdict === 'accept') expect(error).toBeUndefined();
    else expect(error?.message.replace(/^verifier: insn #\d+: /, '')).toBe(c.message);
  });
});
