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
// every subpath of package.json "exports" resolves to its own ES module and loads
const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
const subpaths = Object.keys(pkg.exports).filter((k) => !['.', './vitest', './package.json'].includes(k));
const sub = {};
for (const k of subpaths) {
  const id = 'tcxlab' + k.slice(1);
  assert.strictEqual(import.meta.resolve(id), new URL(`../../dist/${k.slice(2)}.js`, import.meta.url).href);
  sub[k.slice(2)] = await import(id);
  assert.ok(Object.keys(sub[k.slice(2)]).length > 0, id + ' exports something');
}
assert.strictEqual(sub.vm.BpfError, tcxlab.BpfError);
assert.strictEqual(sub.net.Host, tcxlab.Host);
const r0 = sub.vm.runProgram(sub.vm.link(sub.vm.decode(sub.vm.assemble('mov %r0, 7\nexit')), { name: 'demo', helpers: {} }), new sub.vm.Memory(), { args: [], budget: 10 }, 'interp');
assert.strictEqual(r0.r0lo, 7);
assert.ok(sub.loader.loadCollectionSpec(new Uint8Array(readFileSync(new URL('../../progs/bench_parse.bpf.o', import.meta.url)))).programs.length > 0);
console.log('import tcxlab: ok (dist/index.js)');
