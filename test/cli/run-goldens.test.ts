import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import { manifest, replay } from './run-goldens.js';
import { ENGINES } from '../../vm/engine.js';

/**
 * Goldens whose kernel answer tcxlab does not reproduce yet, each with the reason. The test
 * asserts that these still differ, so fixing one forces its removal from this list.
 */
const KNOWN_DIFFERENT: Record<string, string> = {};

const entries = manifest();

describe('[run]: `tcxlab run` reproduces the kernel goldens (test/goldens/run)', () => {
  it('covers every recorded golden', () => {
    expect(entries.length).toBeGreaterThanOrEqual(70);
  });
  it.each(entries.flatMap((e) => ENGINES.map((engine) => [e.name, engine, e] as const)))('%s (%s)', async (name, engine, entry) => {
    const r = await replay(entry, engine);
    if (name in KNOWN_DIFFERENT) {
      expect(isDeepStrictEqual(r.ours, r.kernel), `${name} now matches: remove it from KNOWN_DIFFERENT`).toBe(false);
      return;
    }
    // A load failure is the oracle's error object on stdout plus one line on stderr saying why.
    if ((r.kernel as { error?: string }).error === 'load') expect(r.stderr).toMatch(/^tcxlab: .*: load failed \(E[A-Z]+\): [^\n]*\n$/);
    else expect(r.stderr).toBe('');
    expect(r.ours).toEqual(r.kernel);
  });
});
