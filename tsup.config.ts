/**
 * @fileoverview tsup's configuration: the two builds in package.json "tsup" (the library, and
 * the CLI bundle), plus one esbuild plugin for the CLI that JSON cannot hold.
 *
 * commander requires `node:child_process` when it loads, for executable subcommands
 * (`.command(name, description)`), which tcxlab has none of. On Node 20 that built-in pulls in
 * `net`, `dgram` and the stream classes: a few milliseconds of every cold `tcxlab` run, --help
 * included (README "Benchmarks", cold start). In the CLI bundle commander gets a stand-in that
 * loads the real module on first use.
 *
 * elfy (bundled into the CLI too) requires `node:assert` when it loads, for one
 * `assert.equal(strtab.type, 'strtab')` per parse. On Node 20 node:assert costs a cold process
 * about 6 ms (its AssertionError loads the colour support, which opens standard error). In the
 * CLI bundle elfy gets an `equal` that compares as `==` does and calls the real assert.equal only
 * when they differ (so a failure throws the same AssertionError); any other member loads node:assert.
 *
 * The CLI's files are pure ASCII: esbuild escapes non-ASCII characters in strings but keeps the
 * comments it copies (doc comments with `−`, `→`, `µ`) as they are, and one such character makes
 * Node read the whole file as a two-byte string, which a cold process pays for in reading and
 * parsing (about 20 M instructions, 5 ms, for the 860 KB chunk of `run`).
 *
 * Lazy units: a cold process pays for every byte of the files it loads (V8 pre-parses all of it,
 * about 0.1 M instructions per KB), and the CLI's code is split only where a command's action
 * imports its module. The modules in src/cli/lazy-units.ts are what a command may need but most
 * runs do not (the JIT for a one-frame `run`, CO-RE relocations for an object without them, ...).
 * They are one more entry of the CLI build, `dist/cli/lazy-units.cjs` (one file: every file costs a
 * cold process too), and every import of one of them gets a stand-in whose exports are getters
 * that require that file on first access, so the importing code (sources unchanged, synchronous
 * APIs unchanged) loads the units when it first calls into one. What a cold one-frame `run`
 * loads is checked by test/package/cli-cold.cjs.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Options } from 'tsup';

type Plugin = NonNullable<Options['esbuildPlugins']>[number];
type TsupPlugin = NonNullable<Options['plugins']>[number];

const builds = (JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')) as { tsup: Options[] }).tsup;

/** `require('node:child_process')` from commander → an object that requires it on first property access. */
const lazyChildProcess: Plugin = {
  name: 'tcxlab-lazy-child-process',
  setup(build) {
    build.onResolve({ filter: /^(node:)?child_process$/ }, (args) =>
      /[\\/]commander[\\/]/.test(args.importer) ? { path: 'child_process', namespace: 'tcxlab-lazy' } : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: 'tcxlab-lazy' }, () => ({
      contents: "module.exports = new Proxy({}, { get: (_, key) => require('node:child_process')[key] });\n",
      loader: 'js',
    }));
  },
};

/** `require('assert')` from elfy → a cheap `equal` before node:assert is needed, node:assert for the rest. */
const lazyAssertForElfy: Plugin = {
  name: 'tcxlab-lazy-assert',
  setup(build) {
    build.onResolve({ filter: /^(node:)?assert$/ }, (args) =>
      /[\\/]elfy[\\/]/.test(args.importer) ? { path: 'assert', namespace: 'tcxlab-lazy-assert' } : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: 'tcxlab-lazy-assert' }, () => ({
      contents: [
        'const equal = (actual, expected, message) => { if (actual != expected) require("node:assert").equal(actual, expected, message); };',
        'module.exports = new Proxy({}, { get: (_, key) => (key === "equal" ? equal : require("node:assert")[key]) });',
        '',
      ].join('\n'),
      loader: 'js',
    }));
  },
};

/** The lazy units (src/cli/lazy-units.ts, `export * as NAME from 'PATH'`): absolute source path → NAME. */
const LAZY_UNITS_ENTRY = 'src/cli/lazy-units.ts';
const root = new URL('.', import.meta.url).pathname;
const lazyByPath = new Map(
  [...readFileSync(resolve(root, LAZY_UNITS_ENTRY), 'utf8').matchAll(/^export \* as (\w+) from '([^']+)\.js';$/gm)].map(
    ([, name, path]) => [resolve(root, 'src/cli', `${path}.ts`), name] as const,
  ),
);

/** Imports of a lazy unit (outside lazy-units.ts) → a stand-in whose getters require `./lazy-units.cjs` on first use. */
const lazyUnits: Plugin = {
  name: 'tcxlab-lazy-units',
  setup(build) {
    build.onResolve({ filter: /^\.\/lazy-units\.cjs$/ }, (args) => (args.namespace === 'tcxlab-lazy-unit' ? { path: args.path, external: true } : undefined));
    build.onResolve({ filter: /^\./ }, async (args) => {
      if (args.kind === 'entry-point' || args.pluginData === 'tcxlab-lazy-units' || args.importer === resolve(root, LAZY_UNITS_ENTRY)) return undefined;
      const r = await build.resolve(args.path, { kind: args.kind, importer: args.importer, resolveDir: args.resolveDir, pluginData: 'tcxlab-lazy-units' });
      const name = lazyByPath.get(r.path);
      return name === undefined ? undefined : { path: r.path, namespace: 'tcxlab-lazy-unit', pluginData: name };
    });
    build.onLoad({ filter: /.*/, namespace: 'tcxlab-lazy-unit' }, async (args) => {
      // The unit's value exports, as esbuild sees them.
      const probe = await build.esbuild.build({ entryPoints: [args.path], bundle: true, packages: 'external', platform: 'node', format: 'esm', write: false, metafile: true, logLevel: 'silent' });
      const names = Object.values(probe.metafile!.outputs)[0]!.exports;
      const unit = JSON.stringify(args.pluginData as string);
      return {
        contents: [
          `let unit;`,
          `const load = () => (unit ??= require('./lazy-units.cjs')[${unit}]);`,
          `for (const name of ${JSON.stringify(names)}) Object.defineProperty(exports, name, { enumerable: true, get: () => load()[name] });`,
          '',
        ].join('\n'),
        loader: 'js',
        resolveDir: root,
      };
    });
  },
};

/**
 * Every non-ASCII UTF-16 unit of the output → `\uXXXX`: in a comment that is text, and in
 * code it is the same character (esbuild has already escaped strings, regexps and templates).
 */
const asciiOutput: TsupPlugin = {
  name: 'tcxlab-ascii-output',
  renderChunk: (code) => ({ code: code.replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`) }),
};

export default builds.map((b) =>
  b.name === 'cli'
    ? {
        ...b,
        entry: { ...(b.entry as Record<string, string>), 'lazy-units': LAZY_UNITS_ENTRY },
        removeNodeProtocol: false,
        esbuildPlugins: [lazyChildProcess, lazyAssertForElfy, lazyUnits],
        plugins: [asciiOutput],
      }
    : b,
);
