#!/usr/bin/env node
/**
 * @fileoverview `tcxlab` entry point. The command line is defined in program.ts; each
 * subcommand's code lives in its own module under `commands/`, imported only when that command
 * runs (a cold `tcxlab --help` loads no VM code). `run()` is what tests call; `main()` is what
 * the executable (bin.ts) and `node --import tsx src/cli/main.ts` call.
 */
import { CommanderError } from 'commander';
import { readFileSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BpfError } from '../../vm/errors.js';
import { packageRoot } from './package-root.js';
import { buildProgram } from './program.js';
import { processIo, type CliIo } from './io.js';

/** Run the CLI with `argv` (without node and script). Resolves to the exit code. */
export async function run(argv: string[], io: CliIo = processIo()): Promise<number> {
  // argv[0]: the command, when it is one (buildProgram then defines that command alone).
  const program = buildProgram(io, packageVersion(), argv[0]);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return io.exitCode;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode;
    if (e instanceof BpfError) {
      io.err(`tcxlab: ${e.message}\n`);
      return 1;
    }
    throw e;
  }
}

/** The version in tcxlab's package.json (from src/ or dist/), or "unknown". */
function packageVersion(): string {
  try {
    return (JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version?: string }).version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

function isMain(): boolean {
  try {
    if (process.argv[1] === undefined) return false;
    // The same path needs no realpath (two walks of the file system at every start: the bundle's case).
    const self = fileURLToPath(import.meta.url);
    return process.argv[1] === self || realpathSync(process.argv[1]) === realpathSync(self);
  } catch {
    return false;
  }
}

let started = false;

/**
 * Run the CLI on this process's arguments and set its exit code. Once per process: the bundle's
 * entry (bin.ts) calls it, and so does `node --import tsx src/cli/main.ts`.
 */
export function main(): void {
  if (started) return;
  started = true;
  run(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(`tcxlab: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      process.exitCode = 70;
    },
  );
}

if (isMain()) main();
