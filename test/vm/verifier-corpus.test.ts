import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadCollectionSpec } from '../../loader/index.js';
import { verify } from '../../vm/verifier.js';

// The kernel goldens of progs/ (test/goldens/run): an `oracle run` output without "error" means
// the 6.18 kernel loaded every program of that object. The verifier-lite must accept them all:
// it may miss rejections (see vm/verifier.ts), it must never invent one.
const root = new URL('../../', import.meta.url);
const manifest = JSON.parse(readFileSync(new URL('test/goldens/run/manifest.json', root), 'utf8')) as {
  goldens: { object: string; output: string }[];
};
const loaded = [
  ...new Set(
    manifest.goldens
      .filter((g) => !('error' in JSON.parse(readFileSync(new URL(g.output, root), 'utf8'))))
      .map((g) => g.object),
  ),
].sort();

describe('[vm/verifier]: the progs/ corpus the kernel accepted', () => {
  it('covers the corpus', () => expect(loaded.length).toBeGreaterThanOrEqual(15));
  it.each(loaded)('%s: every program passes', (object) => {
    // unknown section names load as sched_cls, as the oracle does (bpftool's "type classifier")
    const spec = loadCollectionSpec(new Uint8Array(readFileSync(new URL(object, root))), { programType: 'sched_cls' });
    expect(spec.programs.length).toBeGreaterThan(0);
    // kfunc calls were resolved (or refused) by the loader already
    for (const prog of spec.programs) expect(() => verify(prog.instructions, { kfuncAllowed: () => true }), prog.name).not.toThrow();
  });
});
