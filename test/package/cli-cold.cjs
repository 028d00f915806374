// The built CLI (dist/cli/tcxlab.cjs, package.json "bin") at a cold start: which modules a
// `tcxlab --help` and a one-frame `tcxlab run` load (issue 11, "fast start"; the CPU figures are
// test/bench/cold-start.js's). test/cli/lazy-imports.test.ts checks the sources' import graph;
// this checks what the bundle really loads, chunking included: each process is started with a
// preload that reports, at exit, the bundle files in require.cache (their source modules read
// from esbuild's `// path` comments) and Node's process.moduleLoadList (the built-in modules).
// Run after `npm run build` (`npm run test:package` does both).
'use strict';
const assert = require('node:assert');
const { spawnSync } = require('node:child_process');
const { mkdtempSync, readFileSync, rmSync, writeFileSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');

const root = join(__dirname, '..', '..');
const pkg = require(join(root, 'package.json'));
assert.strictEqual(pkg.bin.tcxlab, 'dist/cli/tcxlab.cjs');
const cli = join(root, pkg.bin.tcxlab);

const dir = mkdtempSync(join(tmpdir(), 'tcxlab-cli-cold-'));
const preload = join(dir, 'report.cjs');
const report = join(dir, 'report.json');
writeFileSync(
  preload,
  `process.on('exit', () => require('node:fs').writeFileSync(${JSON.stringify(report)}, JSON.stringify({ files: Object.keys(require.cache), builtins: process.moduleLoadList })));\n`,
);

/** Run the CLI with `args` under the preload: its stdout, the source modules of the bundle files it loaded, the built-ins. */
function coldRun(args) {
  const r = spawnSync(process.execPath, ['--require', preload, cli, ...args], { cwd: root, encoding: 'utf8' });
  assert.strictEqual(r.status, 0, `tcxlab ${args.join(' ')}: ${r.stderr}`);
  const { files, builtins } = JSON.parse(readFileSync(report, 'utf8'));
  const bundle = files.filter((f) => f.startsWith(join(root, 'dist', 'cli')));
  assert.ok(bundle.includes(cli), 'the report lists the bundle files');
  const sources = new Set();
  // ASCII only (tsup.config.ts): one other character makes Node read the whole file as a two-byte string.
  for (const f of bundle) assert.ok(!/[^\x00-\x7f]/.test(readFileSync(f, 'latin1')), `${f}: not ASCII`);
  // (`// tcxlab-lazy-unit:/abs/path.ts`: the stand-in of a lazy unit, not the unit.)
  for (const f of bundle) for (const m of readFileSync(f, 'utf8').matchAll(/^\/\/ ([^\s:]+\.(?:ts|js|mjs|cjs))$/gm)) sources.add(m[1].replace(/^(\.\.\/)*(\w[\w-]*\/)*node_modules\//, 'node_modules/'));
  return { stdout: r.stdout, files: bundle.map((f) => f.slice(join(root, 'dist', 'cli').length + 1)), sources: [...sources].sort(), builtins: builtins.filter((b) => b.startsWith('NativeModule ')).map((b) => b.slice(13)) };
}

try {
  // --help: the command line's definition, commander, and nothing of the VM.
  const help = coldRun(['--help']);
  assert.match(help.stdout, /^Usage: tcxlab \[options\] \[command\]/);
  const ours = help.sources.filter((s) => !s.startsWith('node_modules/'));
  assert.deepStrictEqual(ours, ['src/cli/args.ts', 'src/cli/bin.ts', 'src/cli/io.ts', 'src/cli/main.ts', 'src/cli/package-root.ts', 'src/cli/program.ts', 'src/net/compare-paths.ts', 'vm/engine-choice.ts', 'vm/errors.ts']);
  assert.deepStrictEqual(
    help.sources.filter((s) => s.startsWith('node_modules/') && !s.startsWith('node_modules/commander/') && !s.startsWith('node_modules/tsup/assets/')),
    [],
  );
  // No ES module loader (a CommonJS entry), no child_process (commander's is loaded on first use).
  // (node:net may load: standard output is a pipe here, a net.Socket.)
  for (const b of ['child_process', 'internal/modules/esm/translators', 'assert', 'crypto', 'zlib']) {
    assert.ok(!help.builtins.includes(b), `--help loads node:${b}`);
  }

  // A one-frame run: the loader, verifier and interpreter, but not what only rarer options need.
  const run = coldRun(['run', 'progs/bench_parse.bpf.o', 'bench_parse', 'test/goldens/run/packets/one_ipv4.txt']);
  assert.strictEqual(JSON.parse(run.stdout).runs.length, 1);
  for (const s of ['loader/index.ts', 'vm/verifier/index.ts', 'vm/interpreter.ts', 'src/test-run.ts']) assert.ok(run.sources.includes(s), `run loads ${s}`);
  const rare = run.sources.filter((s) => s.startsWith('src/kernel-parity/') || s.startsWith('src/net/') || s.startsWith('src/testsuite/') || s === 'src/pcap/writer.ts' || s === 'src/pcap/hook-capture.ts');
  assert.deepStrictEqual(rare, ['src/net/compare-paths.ts']);
  // The lazy units (src/cli/lazy-units.ts, tsup.config.ts): not loaded by a one-frame run.
  const LAZY = ['vm/jit/', 'vm/disasm.ts', 'vm/asm.ts', 'loader/btf/core.ts', 'loader/btf/maps.ts', 'src/btf-value.ts', 'src/mock-env.ts', 'src/skb/flow-hash.ts'];
  // ... and every map type: the map classes, with their base class (bench_parse has no maps).
  const MAP_MODULES = new Set(['src/maps/types.ts', 'src/maps/bytes.ts', 'src/maps/snapshot.ts']);
  assert.deepStrictEqual(run.sources.filter((s) => s.startsWith('src/maps/') && !MAP_MODULES.has(s)), []);
  assert.deepStrictEqual(run.sources.filter((s) => LAZY.some((l) => s.startsWith(l))), []);
  assert.ok(!run.files.includes('lazy-units.cjs'), 'a one-frame run loads dist/cli/lazy-units.cjs');
  // No node:assert: elfy's is loaded only when its one assert.equal fails (tsup.config.ts).
  for (const b of ['child_process', 'internal/modules/esm/translators', 'assert', 'crypto', 'zlib']) assert.ok(!run.builtins.includes(b), `run loads node:${b}`);

  // The same run under the JIT: the stand-ins load the unit on first use, and the result is the same.
  const jit = coldRun(['run', '--engine', 'jit', 'progs/bench_parse.bpf.o', 'bench_parse', 'test/goldens/run/packets/one_ipv4.txt']);
  assert.ok(jit.files.includes('lazy-units.cjs') && jit.sources.includes('vm/jit/index.ts'), '--engine jit loads the JIT');
  assert.deepStrictEqual(JSON.parse(jit.stdout), JSON.parse(run.stdout));
  // A run with maps loads the map types it needs (the golden replays compare whole outputs).
  const maps = coldRun(['run', 'progs/conntrack.bpf.o', 'conntrack', 'test/goldens/run/packets/flows.txt']);
  assert.ok(maps.files.includes('lazy-units.cjs') && maps.sources.includes('src/maps/hash.ts'), 'a run with a hash map loads the map types');
  assert.ok(Object.keys(JSON.parse(maps.stdout).maps).length > 0);
  // A verifier log needs the instruction text (vm/disasm.ts, a lazy unit).
  const log = coldRun(['verify', '--log', '1', 'progs/bench_parse.bpf.o']);
  assert.match(log.stdout, /^0: \(b4\) w0 = 0 /m);
  assert.ok(log.sources.includes('vm/disasm.ts'));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
console.log('cli-cold: ok');
