/**
 * @fileoverview The list of subcommands. Each module exports `register(program, io)`.
 */
import type { Command } from 'commander';
import type { CliIo } from '../io.js';
import { register as conformance } from './conformance.js';
import { register as conformancePlugin } from './conformance-plugin.js';
import { register as tcxScript } from './tcx-script.js';
import { register as disasm } from './disasm.js';
import { register as inspect } from './inspect.js';
import { register as run } from './run.js';
import { register as progRun } from './prog-run.js';
import { register as jit } from './jit.js';
import { register as net } from './net.js';
import { register as trace } from './trace.js';
import { register as cover } from './cover.js';
import { register as compare } from './compare.js';
import { register as test } from './test.js';
import { register as verify } from './verify.js';
import { register as progShow } from './prog-show.js';
import { register as mapDump } from './map-dump.js';

export type RegisterCommand = (program: Command, io: CliIo) => void;

export const commands: RegisterCommand[] = [conformance, conformancePlugin, tcxScript, disasm, run, progRun, inspect, net, compare, jit, trace, cover, test, verify, progShow, mapDump];
