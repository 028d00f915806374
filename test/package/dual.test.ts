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

describe('[package] ESM + CJS', () => {
  it('exports: import → dist/index.js with index.d.ts, require → dist/index.cjs with index.d.cts', () => {
    expect(pkg.exports['.']).toEqual({
      import: { types: './dist/index.d.ts', default: './dist/index.js' },
      require: { types: './dist/index.d.cts', default: './dist/index.cjs' },
    });
    expect(pkg.main).toBe('dist/index.cjs');
    expect(pkg.module).toBe('dist/index.js');
    expect(pkg.tsup.format).toEqual(['esm', 'cjs']);
    expect(pkg.tsup.shims).toBe(true);
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
