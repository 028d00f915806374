/**
 * @fileoverview Writing reproducers: test/fuzz/corpus/<category>/<hash>.bin plus a one-line JSON
 * description (<hash>.json: category, kind, seed, iteration, source, failure, and `expect`, the
 * outcome once fixed) that test/fuzz/corpus.test.ts replays.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CORPUS } from './fuzzers.js';

/** Writes a reproducer; returns its path. */
export function saveReproducer(category: string, bytes: Uint8Array, description: Record<string, unknown>): string {
  const hash = createHash('sha256').update(bytes).digest('hex').slice(0, 16);
  const dir = join(CORPUS, category);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `${hash}.bin`), bytes);
  writeFileSync(join(dir, `${hash}.json`), `${JSON.stringify({ category, ...description })}\n`);
  return join(dir, `${hash}.bin`);
}

