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
 */
import { readFileSync } from 'node:fs';
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

/**
 * Every non-ASCII UTF-16 unit of the output → `\uXXXX`: in a comment that is text, and in
 * code it is the same character (esbuild has already escaped strings, regexps and templates).
 */
const asciiOutput: TsupPlugin = {
  name: 'tcxlab-ascii-output',
  renderChunk: (code) => ({ code: code.replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`) }),
};

export default builds.map((b) =>
  b.name === 'cli' ? { ...b, removeNodeProtocol: false, esbuildPlugins: [lazyChildProcess, lazyAssertForElfy], plugins: [asciiOutput] } : b,
);
