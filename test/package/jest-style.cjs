// A jest-style CommonJS consumer of the built package (run after `npm run build`; `npm run
// test:package` does both). jest does not load modules with Node's require: jest-runtime
// resolves through package.json "exports" with the "require" condition, reads each file, wraps
// it in its own module function and runs it with vm in a separate context that holds the test
// environment's globals (jest-environment-node), so the library's Uint8Array, Error and friends
// are that context's while Node's Buffer comes from outside. This loader does the same for
// dist/index.cjs and its dependencies, then uses the library the way a jest test does:
// `expect.extend(matchers)` with jest's matcher protocol, typed maps, snapshots.
'use strict';
const assert = require('node:assert');
const fs = require('node:fs');
const path = require('node:path');
const vm = require('node:vm');
const { builtinModules } = require('node:module');

const root = path.join(__dirname, '..', '..');
const context = vm.createContext({
  console,
  process,
  Buffer,
  setTimeout,
  clearTimeout,
  setImmediate,
  clearImmediate,
  queueMicrotask,
  TextEncoder,
  TextDecoder,
  URL,
  performance,
});
// The context's own intrinsics (jest-environment-node installs the context's, not Node's).
const ctx = (name) => vm.runInContext(name, context);

const registry = new Map();
function load(file) {
  const cached = registry.get(file);
  if (cached) return cached.exports;
  const module = { exports: {}, filename: file };
  registry.set(file, module);
  const src = fs.readFileSync(file, 'utf8');
  const fn = vm.runInContext(`(function (module, exports, require, __dirname, __filename) {${src}\n})`, context, { filename: file });
  fn.call(module.exports, module, module.exports, makeRequire(path.dirname(file)), path.dirname(file), file);
  return module.exports;
}
function makeRequire(dir) {
  return (id) => {
    const bare = id.startsWith('node:') ? id.slice(5) : id;
    if (builtinModules.includes(bare)) return require(id);
    // Node's resolver with the "require" condition, as jest's default resolver (exports aware).
    return load(require.resolve(id, { paths: [dir] }));
  };
}

const tcxlab = makeRequire(path.join(root, 'test', 'package'))('tcxlab');
assert.ok(registry.has(path.join(root, 'dist', 'index.cjs')), 'tcxlab resolved to dist/index.cjs');

// A minimal jest `expect` with `expect.extend`: matchers get { isNot } as `this` and return
// { pass, message }.
const custom = {};
function expect(actual) {
  const api = { not: {} };
  for (const [name, fn] of Object.entries(custom)) {
    api[name] = (...args) => {
      const r = fn.call({ isNot: false }, actual, ...args);
      if (!r.pass) throw new Error(r.message());
    };
    api.not[name] = (...args) => {
      const r = fn.call({ isNot: true }, actual, ...args);
      if (r.pass) throw new Error(r.message());
    };
  }
  return api;
}
expect.extend = (m) => Object.assign(custom, m);
expect.extend(tcxlab.matchers);

// Inputs the way a jest test makes them: files read with fs (outer-realm Buffers) and the
// test's own typed arrays (the context's).
const coll = tcxlab.loadObject(path.join(root, 'test/goldens/bpftool/typed.bpf.o'));
const frames = fs
  .readFileSync(path.join(root, 'test/goldens/bpftool/typed-frames.txt'), 'utf8')
  .split('\n')
  .filter((l) => /^[0-9a-f]+$/.test(l))
  .map((l) => Buffer.from(l, 'hex'));
const before = coll.snapshot();
for (const f of frames) {
  const r = coll.run('track', f);
  expect(r).toHaveVerdict('TC_ACT_OK');
  expect(r).toEqualPacket(f);
  expect(r).not.toHaveVerdict('TC_ACT_SHOT');
}
const own = new (ctx('Uint8Array'))(frames[0]);
expect(coll.run('track', own)).toHaveVerdict(0);
const flows = coll.map('flows');
const v = flows.get({ saddr: '192.168.1.10', daddr: '10.0.0.2', sport: 40000, dport: 80, proto: 6 });
assert.strictEqual(v.tag, 'new');
assert.strictEqual(v.packets, 1n);
assert.strictEqual(v.smac, '02:00:00:00:00:0a');
const diff = tcxlab.diffSnapshots(before, coll.snapshot());
assert.deepStrictEqual(Array.from(diff, (d) => d.map).sort(), ['flows', 'per_cpu', 'typed.bss', 'typed.data', 'v6_seen']);
// Errors keep their class and stable code across the realm boundary.
try {
  flows.get({ saddr: 'not an address' });
  assert.fail('no error');
} catch (e) {
  assert.ok(e instanceof tcxlab.MapValueError);
  assert.strictEqual(e.code, 'E_MAP_VALUE');
}
console.log('jest-style require(tcxlab): ok (dist/index.cjs in a vm context)');
