import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadCollectionSpec } from '../../loader/index.js';
import { verify } from '../../vm/verifier/index.js';
import { verifierOptionsFor } from '../../src/verifier-env.js';

// The kernel goldens of progs/ (test/goldens/run): an `oracle run` output without "error" means
// the 6.18 kernel loaded every program of that object. The verifier must accept them all.
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
    for (const prog of spec.programs) expect(() => verify(prog.instructions, verifierOptionsFor(spec, prog)), prog.name).not.toThrow();
  });
});

describe('[vm/verifier]: CO-RE dead code (test/goldens/btf)', () => {
  const btf = (name: string) => loadCollectionSpec(new Uint8Array(readFileSync(new URL(`test/goldens/btf/${name}`, root))));

  it('accepts core.bpf.o, whose poisoned CO-RE calls sit behind branches the kernel proves dead', () => {
    // the kernel loaded and ran it (core.oracle.json has runs and no error)
    const oracle = JSON.parse(readFileSync(new URL('test/goldens/btf/core.oracle.json', root), 'utf8'));
    expect('error' in oracle).toBe(false);
    const spec = btf('core.bpf.o');
    const prog = spec.programs[0];
    const poisoned = [...Array(prog.instructions.length / 8).keys()].filter(
      (i) => prog.instructions[i * 8] === 0x85 && new DataView(prog.instructions.buffer, prog.instructions.byteOffset).getUint32(i * 8 + 4, true) === 0xbad2310,
    );
    expect(poisoned.length).toBeGreaterThan(0);
    expect(() => verify(prog.instructions, verifierOptionsFor(spec, prog))).not.toThrow();
  });

  it('rejects poison.bpf.o, whose poisoned call is reached (the kernel refused it: load -22)', () => {
    expect(readFileSync(new URL('test/goldens/btf/poison.libbpf.txt', root), 'utf8')).toMatch(/^load -22$/m);
    const spec = btf('poison.bpf.o');
    expect(() => verify(spec.programs[0].instructions, verifierOptionsFor(spec, spec.programs[0]))).toThrow('invalid func unknown#195896080');
  });
});
