// CommonJS consumers: `require('tcxlab')` resolves to dist/index.cjs through package.json
// "exports" (run after `npm run build`; `npm run test:package` does both).
'use strict';
const assert = require('node:assert');
const { readFileSync } = require('node:fs');
const { join } = require('node:path');
const root = join(__dirname, '..', '..');
// self-reference: inside the package, the package name resolves through its own "exports"
const tcxlab = require('tcxlab');
assert.strictEqual(require.resolve('tcxlab'), join(root, 'dist', 'index.cjs'));
const obj = readFileSync(join(root, 'test/goldens/net/compare.bpf.o'));
const frame = Buffer.from(readFileSync(join(root, 'test/data/compare/returns.txt'), 'utf8').split('\n').filter((l) => /^[0-9a-f]+$/.test(l))[1], 'hex');
const r = tcxlab.compare(obj, ['first', 'second'], [frame]);
assert.strictEqual(r.frames[0].outcomes.da.verdictName, 'TC_ACT_STOLEN');
assert.strictEqual(r.frames[0].outcomes.tcx.verdict, -1);
const coll = tcxlab.loadObject(join(root, 'progs/bench_parse.bpf.o'));
assert.ok(coll.programs.size > 0);
assert.strictEqual(tcxlab.matchers.toEqualPacket.call({}, frame, frame).pass, true);
assert.deepStrictEqual(Object.keys(require('tcxlab/vitest')), []);
console.log('require(tcxlab): ok (dist/index.cjs)');
