#!/usr/bin/env node
/**
 * @fileoverview The `tcxlab` executable: the CLI bundle's entry (package.json "tsup", build
 * `cli`, to dist/cli/tcxlab.cjs). The bundle is CommonJS because an ES module entry makes a cold
 * Node load and run its ES module loader first (about 15 built-in modules, some milliseconds of
 * CPU, README "Benchmarks", cold start); the sources stay ES modules. main.ts's own "am I the
 * main module?" check cannot tell this file from the chunk tsup's import.meta.url shim lives in,
 * hence an entry of its own.
 */
import { main } from './main.js';

main();
