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
// every subpath of package.json "exports" resolves to its own CommonJS file and loads
const pkg = require('tcxlab/package.json');
const subpaths = Object.keys(pkg.exports).filter((k) => !['.', './vitest', './package.json'].includes(k));
assert.ok(subpaths.length >= 6, 'subpath exports');
const sub = {};
for (const k of subpaths) {
  const id = 'tcxlab' + k.slice(1);
  assert.strictEqual(require.resolve(id), join(root, 'dist', k.slice(2) + '.cjs'));
  sub[k.slice(2)] = require(id);
  assert.ok(Object.keys(sub[k.slice(2)]).length > 0, id + ' exports something');
}
// one copy of each module across entries (shared chunks): classes are the same objects
assert.strictEqual(sub.vm.BpfError, tcxlab.BpfError);
assert.strictEqual(sub.net.Host, tcxlab.Host);
assert.strictEqual(sub.packet.buildPacket, tcxlab.buildPacket);
const r0 = sub.vm.runProgram(sub.vm.link(sub.vm.decode(sub.vm.assemble('mov %r0, 7\nexit')), { name: 'demo', helpers: {} }), new sub.vm.Memory(), { args: [], budget: 10 }, 'interp');
assert.strictEqual(r0.r0lo, 7);
assert.strictEqual(sub.loader.loadCollectionSpec(new Uint8Array(readFileSync(join(root, 'progs/bench_parse.bpf.o')))).programs.length > 0, true);
assert.strictEqual(typeof sub.runtime.createMap, 'function');
assert.strictEqual(typeof sub.btf.parseBtf, 'function');
assert.strictEqual(sub.btf.BtfError, tcxlab.BtfError);
assert.strictEqual(typeof sub.testsuite.runTestSuite, 'function');
assert.strictEqual(typeof sub.trace.formatAnnotated, 'function');
assert.strictEqual(typeof sub.pcap.PcapngWriter, 'function');
console.log('require(tcxlab): ok (dist/index.cjs)');
