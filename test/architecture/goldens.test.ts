/**
 * The recording entry point (test/goldens/record.ts, `npm run record-goldens`) knows every
 * recording script, refuses to run without what an area needs, and the repository neither reads
 * nor cites anything outside itself (the kernel oracle is named only through TCXLAB_ORACLE).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AREAS, main, scriptOf } from '../goldens/record.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

function walk(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else out.push(relative(ROOT, p));
  }
  return out;
}

const steps = Object.values(AREAS).flatMap((a) => a.steps);
const stepText = steps.map((s) => s.join(' ')).join('\n');
const inputsText = Object.values(AREAS).map((a) => a.inputs ?? '').join('\n');

describe('record-goldens: the area table', () => {
  it('every step runs a script that exists', () => {
    for (const s of steps) expect(existsSync(join(ROOT, scriptOf(s))), scriptOf(s)).toBe(true);
  });

  it('every recording script under test/goldens belongs to an area; generators are named as inputs', () => {
    // Modules and sub-steps that a listed script runs itself.
    const modules = new Set(['test/goldens/skb/bpfasm.py', 'test/goldens/skb/packets.py', 'test/goldens/record.ts', 'test/goldens/kfuncs/record-protos.py']);
    const files = walk(join(ROOT, 'test/goldens')).filter((f) => /\.(sh|py)$/.test(f) || /\/(record|pcap-out|gen-target)\.ts$/.test(f));
    expect(files.length).toBeGreaterThan(25);
    const orphans = files.filter((f) => {
      if (modules.has(f)) return false;
      const base = f.split('/').pop()!;
      const isGenerator = /^(gen[-_].*|gen|manifest)\.py$/.test(base);
      return isGenerator ? !inputsText.includes(f) : !stepText.includes(f) && !steps.some((s) => scriptOf(s) === f);
    });
    expect(orphans).toEqual([]);
  });
});

describe('record-goldens: refusals', () => {
  let saved: string | undefined;
  const errors: string[] = [];
  beforeEach(() => {
    saved = process.env.TCXLAB_ORACLE;
    delete process.env.TCXLAB_ORACLE;
    errors.length = 0;
    vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void errors.push(a.join(' ')));
    vi.spyOn(console, 'log').mockImplementation(() => {});
  });
  afterEach(() => {
    if (saved !== undefined) process.env.TCXLAB_ORACLE = saved;
    vi.restoreAllMocks();
  });

  it('an oracle area without an oracle records nothing and says how to give one', () => {
    expect(main(['vm'])).toBe(2);
    expect(errors.some((e) => e.includes('vm:') && e.includes('TCXLAB_ORACLE') && e.includes('--oracle'))).toBe(true);
    expect(errors.at(-1)).toContain('nothing recorded');
  });

  it('an oracle path that is not an executable is refused', () => {
    expect(main(['vm', '--oracle', join(ROOT, 'no-such-oracle')])).toBe(2);
    expect(errors.some((e) => e.includes('not an executable file'))).toBe(true);
  });

  it('an unknown area is refused', () => {
    expect(main(['no-such-area'])).toBe(2);
    expect(errors[0]).toContain('unknown area no-such-area');
  });
});

describe('the repository stays inside itself', () => {
  it('no source, test, script or doc reads or cites a path outside the repository', () => {
    // Spelled in pieces so that this file does not match itself.
    const banned = [['/work', '/'], ['/tmp/', 'oracle'], ['../', 'shared'], ['skb-helpers', '-isa'], ['kernel-tcx', '-semantics']].map((p) => p.join(''));
    const files = [
      ...['vm', 'loader', 'src', 'test', 'docs', 'progs'].flatMap((d) => walk(join(ROOT, d))),
      'README.md',
      'package.json',
    ].filter((f) => !f.startsWith('test/corpus/') && !f.startsWith('test/data/') && /\.(ts|js|mjs|cjs|md|sh|py|c|h)$|^package\.json$/.test(f));
    expect(files.length).toBeGreaterThan(200);
    const hits: string[] = [];
    for (const f of files) {
      const text = readFileSync(join(ROOT, f), 'utf8');
      for (const b of banned) if (text.includes(b)) hits.push(`${f}: ${b}`);
    }
    expect(hits).toEqual([]);
  });
});
