/**
 * @fileoverview The CLI's window on the world: output streams, input and the file system
 * entry points, injectable so that commands run in-process under tests.
 *
 * Every input is read with a size cap (INPUT_LIMITS): a regular file over the cap is refused
 * from its size, and anything else (a pipe, /dev/zero, standard input) is read until one byte
 * past the cap at most. The error names the file, what it was read as, and the limit.
 */
import { closeSync, fstatSync, openSync, readSync, writeSync } from 'node:fs';
import { UsageError } from '../../vm/errors.js';

const MiB = 1 << 20;

/** What an input is read as, and the most bytes tcxlab reads for it. */
export const INPUT_LIMITS = {
  /** A BPF ELF object (`.o`). */
  object: 64 * MiB,
  /** A packets file: hex frames, or a pcap/pcapng capture (the capture reader's own cap). */
  packets: 256 * MiB,
  /** A target BTF file (`--btf`; vmlinux BTF is about 6 MiB). */
  btf: 64 * MiB,
  /** A `tcxlab net` scenario. */
  scenario: 16 * MiB,
  /** A `tcxlab tcx-script` script. */
  script: 16 * MiB,
  /** An `--env` file (mocked clock, seed, FIB, sockets, helpers: src/mock-env.ts). */
  env: 1 * MiB,
  /** bpftool `prog run` data_in / ctx_in (the kernel refuses frames over a page anyway). */
  data: 16 * MiB,
  /** Anything else: pcaps and objects named in a scenario, raw bytecode for `jit`. */
  file: 256 * MiB,
} as const;

export type InputKind = keyof typeof INPUT_LIMITS;

const KIND_TEXT: Record<InputKind, string> = {
  object: 'object',
  packets: 'packets file',
  btf: 'BTF file',
  scenario: 'scenario',
  script: 'script',
  env: 'env file',
  data: 'input',
  file: 'input file',
};

/** `64 MiB` for the limit messages. */
export function sizeText(n: number): string {
  return n % MiB === 0 ? `${n / MiB} MiB` : `${n} bytes`;
}

function tooBig(path: string, kind: InputKind): UsageError {
  return new UsageError(
    `${KIND_TEXT[kind]} ${JSON.stringify(path)}: larger than the ${sizeText(INPUT_LIMITS[kind])} limit for ${KIND_TEXT[kind]}s`,
  );
}

/**
 * Read a whole file, at most INPUT_LIMITS[kind] bytes; a missing or unreadable file, or one over
 * the limit, is a usage error naming it, not a crash or an endless read.
 */
export function readFileOrFail(path: string, kind: InputKind = 'file'): Uint8Array {
  const limit = INPUT_LIMITS[kind];
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (e) {
    throw new UsageError(`cannot read ${JSON.stringify(path)}: ${(e as NodeJS.ErrnoException).code ?? 'EIO'}`);
  }
  try {
    const st = fstatSync(fd);
    if (st.isDirectory()) throw new UsageError(`cannot read ${JSON.stringify(path)}: EISDIR`);
    if (st.isFile() && st.size > limit) throw tooBig(path, kind);
    // Regular files are read to their size; pipes and devices until EOF or one byte past the limit.
    const chunks: Uint8Array[] = [];
    let total = 0;
    for (;;) {
      const buf = new Uint8Array(Math.min(limit + 1 - total, 1 << 20));
      let n: number;
      try {
        n = readSync(fd, buf, 0, buf.length, null);
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code ?? 'EIO';
        if (code === 'EAGAIN') continue;
        throw new UsageError(`cannot read ${JSON.stringify(path)}: ${code}`);
      }
      if (n === 0) break;
      chunks.push(buf.subarray(0, n));
      total += n;
      if (total > limit) throw tooBig(path, kind);
    }
    const out = new Uint8Array(total);
    let off = 0;
    for (const c of chunks) {
      out.set(c, off);
      off += c.length;
    }
    return out;
  } finally {
    closeSync(fd);
  }
}

/** Read an async byte stream (standard input) up to INPUT_LIMITS[kind] bytes. */
export async function readStreamCapped(stream: AsyncIterable<Uint8Array | string>, kind: InputKind): Promise<Uint8Array> {
  const limit = INPUT_LIMITS[kind];
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const c of stream) {
    const b = typeof c === 'string' ? Buffer.from(c) : Buffer.from(c.buffer, c.byteOffset, c.length);
    chunks.push(b);
    total += b.length;
    if (total > limit) throw tooBig('-', kind);
  }
  return new Uint8Array(Buffer.concat(chunks));
}

export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  /** All of standard input as UTF-8 (read lazily, capped at INPUT_LIMITS[kind]). */
  stdin(kind?: InputKind): Promise<string>;
  /** A whole file, capped at INPUT_LIMITS[kind] (default `file`). */
  readFile(path: string, kind?: InputKind): Uint8Array;
  /** Set by a command to choose the process exit code (default 0). */
  exitCode: number;
}

/**
 * A writer to file descriptor `fd` (1 or 2) that writes with writeSync while it can, and through
 * `stream()` (process.stdout / process.stderr) from the first write that cannot finish at once
 * (EAGAIN: a full non-blocking pipe) or fails (EPIPE, ...) on: the stream then waits for the pipe
 * and reports errors as it always did, and the order of the output is kept. Why not the stream
 * from the start: creating process.stdout loads Node's stream modules, about 2 ms of a cold
 * `tcxlab run` that writes one JSON line (README "Benchmarks", cold start).
 */
export function fdWriter(fd: number, stream: () => NodeJS.WritableStream): (text: string) => void {
  let viaStream = false;
  return (text) => {
    if (viaStream) {
      stream().write(text);
      return;
    }
    const bytes = Buffer.from(text, 'utf8');
    let done = 0;
    try {
      while (done < bytes.length) done += writeSync(fd, bytes, done);
    } catch {
      viaStream = true;
      stream().write(bytes.subarray(done));
    }
  };
}

export function processIo(): CliIo {
  return {
    out: fdWriter(1, () => process.stdout),
    err: fdWriter(2, () => process.stderr),
    stdin: async (kind = 'file') => Buffer.from(await readStreamCapped(process.stdin, kind)).toString('utf8'),
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
    stdin: async (kind: InputKind = 'file') => {
      if (Buffer.byteLength(stdin) > INPUT_LIMITS[kind]) throw tooBig('-', kind);
      return stdin;
    },
    readFile: readFileOrFail,
  };
  return io;
}
