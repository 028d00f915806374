/**
 * Dual package: `import` and `require('tcxlab')` both work. package.json "exports" sends the
 * "import" condition to the ESM build and "require" to the CJS build, each with its own types;
 * the CJS build must not depend on ESM-only syntax (top-level await, a bare import.meta), which
 * tsup's `shims` covers for import.meta.url. Here the library is bundled to CommonJS the way tsup
 * does (esbuild, format cjs, import.meta.url from __filename) and required, without a prior build.
 * The built dist/ is checked by `npm run test:package` (test/package/require.cjs, import.mjs).
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

const ROOT = join(__dirname, '..', '..');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
// package.json "tsup" holds two builds: the library (the package's entries) and the CLI bundle (dist/cli/).
const tsup = pkg.tsup.find((c: { name?: string }) => c.name === 'library');

describe('[package] ESM + CJS', () => {
  it('exports: import → dist/index.js with index.d.ts, require → dist/index.cjs with index.d.cts', () => {
    expect(pkg.exports['.']).toEqual({
      import: { types: './dist/index.d.ts', default: './dist/index.js' },
      require: { types: './dist/index.d.cts', default: './dist/index.cjs' },
    });
    expect(pkg.main).toBe('dist/index.cjs');
    expect(pkg.module).toBe('dist/index.js');
    expect(tsup.format).toEqual(['esm', 'cjs']);
    expect(tsup.shims).toBe(true);
  });

  it('every subpath export has its tsup entry and declarations, ESM and CJS; entries share chunks', () => {
    const subs = Object.keys(pkg.exports).filter((k) => k.startsWith('./') && k !== './package.json');
    expect(subs).toEqual(expect.arrayContaining(['./vm', './loader', './btf', './net', './runtime', './packet', './pcap', './trace', './testsuite']));
    for (const k of subs) {
      const name = k.slice(2);
      expect(pkg.exports[k], k).toEqual({
        import: { types: `./dist/${name}.d.ts`, default: `./dist/${name}.js` },
        require: { types: `./dist/${name}.d.cts`, default: `./dist/${name}.cjs` },
      });
      expect(tsup.entry[name], k).toBe(tsup.dts.entry[name]);
      expect(readFileSync(join(ROOT, tsup.entry[name]), 'utf8'), k).toMatch(/^export /m);
    }
    // without splitting, each CJS entry would carry its own copy of every class (instanceof across entries fails)
    expect(tsup.splitting).toBe(true);
  });

  it('the uapi namespace module holds values only (a type there becomes a value in bundled declarations: TS2693)', () => {
    const src = readFileSync(join(ROOT, 'vm/uapi.ts'), 'utf8');
    expect(src).toMatch(/^export const TC_ACT = /m);
    expect(src.match(/^export (type|interface|declare|enum) .*/gm)).toBeNull();
    expect(readFileSync(join(ROOT, 'src/index.ts'), 'utf8')).toMatch(/^export \* as uapi from '\.\.\/vm\/uapi\.js';$/m);
  });

  it('the library bundled as CommonJS loads with require() and runs', async () => {
    // inside the package (tmp/ is git-ignored) so that the bundle's require('elfy') finds node_modules
    mkdirSync(join(ROOT, 'tmp'), { recursive: true });
    const dir = mkdtempSync(join(ROOT, 'tmp', 'cjs-'));
    const shim = join(dir, 'shim.js');
    writeFileSync(shim, 'export const importMetaUrl = require("node:url").pathToFileURL(__filename).href;\n');
    const out = join(dir, 'index.cjs');
    await build({
      entryPoints: [join(ROOT, 'src/index.ts')],
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      outfile: out,
      packages: 'external',
      inject: [shim],
      define: { 'import.meta.url': 'importMetaUrl' },
      logLevel: 'silent',
    });
    const lib = createRequire(join(ROOT, 'package.json'))(out) as typeof import('../../src/index.js');
    rmSync(dir, { recursive: true, force: true });
    const frame = Buffer.from(readFileSync(join(ROOT, 'test/data/compare/returns.txt'), 'utf8').split('\n').filter((l) => /^[0-9a-f]+$/.test(l))[1], 'hex');
    const r = lib.compare(new Uint8Array(readFileSync(join(ROOT, 'test/goldens/net/compare.bpf.o'))), ['first'], [frame]);
    expect(r.frames[0].outcomes.da!.verdictName).toBe('TC_ACT_STOLEN');
    expect(lib.loadObject(join(ROOT, 'progs/bench_parse.bpf.o')).programs.size).toBeGreaterThan(0);
  });
});
