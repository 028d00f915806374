/**
 * @fileoverview The CLI's window on the world: output streams, input and the file system
 * entry points, injectable so that commands run in-process under tests.
 */
import { readFileSync } from 'node:fs';
import { UsageError } from '../../vm/errors.js';

/** Read a whole file; a missing or unreadable file is a usage error naming it, not a crash. */
export function readFileOrFail(path: string): Uint8Array {
  try {
    return new Uint8Array(readFileSync(path));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? 'EIO';
    throw new UsageError(`cannot read ${JSON.stringify(path)}: ${code}`);
  }
}

export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  /** All of standard input (read lazily; only commands that need it call it). */
  stdin(): Promise<string>;
  readFile(path: string): Uint8Array;
  /** Set by a command to choose the process exit code (default 0). */
  exitCode: number;
}

export function processIo(): CliIo {
  return {
    out: (t) => process.stdout.write(t),
    err: (t) => process.stderr.write(t),
    stdin: async () => {
      const chunks: Buffer[] = [];
      for await (const c of process.stdin) chunks.push(c as Buffer);
      return Buffer.concat(chunks).toString('utf8');
    },
    readFile: readFileOrFail,
    exitCode: 0,
  };
}

/** An in-memory io for tests: collects output. */
export function memoryIo(stdin = ''): CliIo & { stdout: string; stderr: string } {
  const io = {
    stdout: '',
    stderr: '',
    exitCode: 0,
    out(t: string) {
      io.stdout += t;
    },
    err(t: string) {
      io.stderr += t;
    },
    stdin: async () => stdin,
    readFile: readFileOrFail,
  };
  return io;
}
