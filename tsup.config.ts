/**
 * @fileoverview tsup's configuration: the two builds in package.json "tsup" (the library, and
 * the CLI bundle), plus one esbuild plugin for the CLI that JSON cannot hold.
 *
 * commander requires `node:child_process` when it loads, for executable subcommands
 * (`.command(name, description)`), which tcxlab has none of. On Node 20 that built-in pulls in
 * `net`, `dgram` and the stream classes: a few milliseconds of every cold `tcxlab` run, --help
 * included (README "Benchmarks", cold start). In the CLI bundle commander gets a stand-in that
 * loads the real module on first use.
 */
import { readFileSync } from 'node:fs';
import type { Options } from 'tsup';

type Plugin = NonNullable<Options['esbuildPlugins']>[number];

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

export default builds.map((b) => (b.name === 'cli' ? { ...b, removeNodeProtocol: false, esbuildPlugins: [lazyChildProcess] } : b));
