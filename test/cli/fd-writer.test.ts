/**
 * fdWriter (src/cli/io.ts): the CLI's standard output and error write with writeSync, and go
 * through the stream from the first write that fails on, keeping the order of the output.
 */
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fdWriter } from '../../src/cli/io.js';

/** A stand-in for process.stdout that records what it is given. */
function recorder(): { chunks: string[]; stream: () => NodeJS.WritableStream } {
  const chunks: string[] = [];
  const s = { write: (c: string | Uint8Array) => chunks.push(typeof c === 'string' ? c : Buffer.from(c).toString('utf8')) > 0 };
  return { chunks, stream: () => s as unknown as NodeJS.WritableStream };
}

describe('[cli] fdWriter', () => {
  it('writes every byte to the descriptor, multi-byte characters included, without creating the stream', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tcxlab-fdwriter-'));
    try {
      const fd = openSync(join(dir, 'out'), 'w');
      const rec = recorder();
      const w = fdWriter(fd, () => {
        throw new Error('the stream was created');
      });
      w('{"a":1}\n');
      w('µs → ok\n'.repeat(10_000));
      closeSync(fd);
      expect(readFileSync(join(dir, 'out'), 'utf8')).toBe('{"a":1}\n' + 'µs → ok\n'.repeat(10_000));
      expect(rec.chunks).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a failing write goes to the stream, and so does every later one, in order', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tcxlab-fdwriter-'));
    try {
      // A descriptor open for reading only: writeSync fails (EBADF), as a closed pipe would (EPIPE).
      const fd = openSync(join(dir, 'ro'), 'w+');
      closeSync(fd);
      const ro = openSync(join(dir, 'ro'), 'r');
      const rec = recorder();
      const w = fdWriter(ro, rec.stream);
      w('one\n');
      w('two\n');
      closeSync(ro);
      expect(rec.chunks).toEqual(['one\n', 'two\n']);
      expect(readFileSync(join(dir, 'ro'), 'utf8')).toBe('');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
