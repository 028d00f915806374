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
    const modules = new Set(['test/goldens/skb/bpfasm.py', 'test/goldens/skb/packets.py', 'test/goldens/record.ts', 'test/goldens/kfuncs/record-protos.py', 'test/goldens/verifier/record-as-tc.sh', 'test/goldens/verifier/record-object.sh', 'test/goldens/verifier/record-objects.sh']);
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

  it('every recorder anywhere under test/ (record* scripts, host-side C recorders) is registered or run by a registered script', () => {
    const stepScripts = new Set(steps.map(scriptOf).filter((f) => existsSync(join(ROOT, f)) && statSync(join(ROOT, f)).isFile()));
    const registeredText = [...stepScripts].map((f) => readFileSync(join(ROOT, f), 'utf8')).join('\n') + '\n' + inputsText;
    const testFiles = walk(join(ROOT, 'test')).filter((f) => !f.startsWith('test/corpus/verifier-selftests/src/') && !f.startsWith('test/corpus/verifier-selftests/obj/'));
    const base = (f: string): string => f.split('/').pop()!;
    // record*.{sh,py,ts,c} and *-record.c anywhere, and C programs beside the goldens that are not BPF sources (they run on the host).
    const recorders = testFiles.filter(
      (f) =>
        (/record/.test(base(f)) && /\.(sh|py|ts|c)$/.test(f) && !f.endsWith('.test.ts')) ||
        ((f.startsWith('test/goldens/') || f.startsWith('test/corpus/')) && f.endsWith('.c') && !f.endsWith('.bpf.c') && base(f) !== 'xlated.c'),
    );
    expect(recorders.length).toBeGreaterThan(30);
    const unregistered = recorders.filter((f) => f !== 'test/goldens/record.ts' && !stepScripts.has(f) && !registeredText.includes(base(f)));
    expect(unregistered).toEqual([]);
  });

  it('every area says what it writes, and --list prints needs and writes for each', () => {
    for (const [name, a] of Object.entries(AREAS)) expect(a.writes.length, name).toBeGreaterThan(0);
    const lines: string[] = [];
    const spy = vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void lines.push(a.join(' ')));
    try {
      expect(main(['--list'])).toBe(0);
    } finally {
      spy.mockRestore();
    }
    const text = lines.join('\n');
    for (const [name, a] of Object.entries(AREAS)) {
      const block = text.slice(text.indexOf(`\n${name.padEnd(18)} `));
      expect(block, name).toMatch(/^\n\S+\s+.*\n\s+script: .*\n\s+needs: .*\n\s+writes: /);
      expect(block).toContain(`writes: ${a.writes}`);
    }
  });
});

describe('BPF C sources under test/ are built by test/Makefile', () => {
  const makefile = readFileSync(join(ROOT, 'test/Makefile'), 'utf8');
  const recordScripts = walk(join(ROOT, 'test/goldens')).filter((f) => /\.sh$/.test(f));

  it('no recording script compiles BPF C itself (one pinned build: make -C test AREA)', () => {
    const code = (f: string): string =>
      readFileSync(join(ROOT, f), 'utf8')
        .split('\n')
        .filter((l) => !/^\s*#/.test(l))
        .join('\n');
    const compiling = recordScripts.filter((f) => /clang(-19)?\s[^\n]*-target bpf/.test(code(f)));
    expect(recordScripts.length).toBeGreaterThan(20);
    expect(compiling).toEqual([]);
  });

  it('every BPF C source outside progs/ and the selftest corpus is in an area of test/Makefile', () => {
    const sources = walk(join(ROOT, 'test')).filter((f) => f.endsWith('.bpf.c') && !f.startsWith('test/corpus/'));
    expect(sources.length).toBeGreaterThan(40);
    // The Makefile names each area's objects by directory (wildcards), by object, or by source (one source, several objects).
    const covered = (src: string): boolean => {
      const rel = src.slice('test/'.length);
      const dir = rel.slice(0, rel.lastIndexOf('/'));
      const obj = rel.replace(/\.c$/, '.o').replace('goldens/btf/src/', 'goldens/btf/');
      return makefile.includes(obj) || makefile.includes(`${rel} `) || makefile.includes(`$(wildcard ${dir}/*.bpf.c`) || makefile.includes(` ${dir}/*.bpf.c`);
    };
    expect(sources.filter((f) => !covered(f))).toEqual([]);
    expect(makefile).toContain('goldens/text/bpftool/xlated.o');
  });

  it('the build is pinned to clang 19 and maps debug paths', () => {
    expect(makefile).toMatch(/CLANG\s+\?= clang-19/);
    expect(makefile).toContain("grep -q 'clang version 19\\.'");
    expect(makefile).toContain('-fdebug-prefix-map=');
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
