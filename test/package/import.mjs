// ES module consumers: `import ... from 'tcxlab'` resolves to dist/index.js through package.json
// "exports" (run after `npm run build`; `npm run test:package` does both).
import assert from 'node:assert';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
const root = fileURLToPath(new URL('../../', import.meta.url));
// self-reference: inside the package, the package name resolves through its own "exports"
const tcxlab = await import('tcxlab');
assert.strictEqual(import.meta.resolve('tcxlab'), new URL('../../dist/index.js', import.meta.url).href);
assert.strictEqual(createRequire(import.meta.url).resolve('tcxlab'), root + 'dist/index.cjs');
const obj = readFileSync(new URL('../goldens/net/compare.bpf.o', import.meta.url));
const line = readFileSync(new URL('../data/compare/returns.txt', import.meta.url), 'utf8').split('\n').filter((l) => /^[0-9a-f]+$/.test(l))[1];
const r = tcxlab.compare(obj, ['first', 'second'], [Buffer.from(line, 'hex')]);
assert.strictEqual(r.frames[0].outcomes.da.verdictName, 'TC_ACT_STOLEN');
const coll = tcxlab.loadObject(fileURLToPath(new URL('../../progs/bench_parse.bpf.o', import.meta.url)));
assert.ok(coll.programs.size > 0);
assert.strictEqual(typeof tcxlab.matchers.toHaveVerdict, 'function');
assert.strictEqual(tcxlab.matchers.toHaveVerdict.call({}, r.frames[0].outcomes.da, 'TC_ACT_STOLEN').pass, true);
// tcxlab/vitest holds types only: an empty module at run time
assert.deepStrictEqual(Object.keys(await import('tcxlab/vitest')), []);
console.log('import tcxlab: ok (dist/index.js)');
