/**
 * @fileoverview The actions of every command but `run`, for src/cli/program.ts, which imports this
 * module when one of them runs (`run` has a module graph of its own: see program.ts).
 */
export { action as conformance } from './conformance.js';
export { action as conformancePlugin } from './conformance-plugin.js';
export { action as tcxScript } from './tcx-script.js';
export { action as disasm } from './disasm.js';
export { action as progRun } from './prog-run.js';
export { action as inspect } from './inspect.js';
export { action as net } from './net.js';
export { action as compare } from './compare.js';
export { action as jit } from './jit.js';
export { action as trace } from './trace.js';
export { action as cover } from './cover.js';
export { action as test } from './test.js';
export { action as verify } from './verify.js';
export { action as progShow } from './prog-show.js';
export { action as mapDump } from './map-dump.js';
