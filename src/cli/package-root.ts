/**
 * @fileoverview Where tcxlab is installed: the package root, for `--version` and the bundled
 * conformance suite. A module of its own so that `tcxlab --version` and `--help` need not load the
 * conformance command (and the VM with it).
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UsageError } from '../../vm/errors.js';

/** The package root (the folder whose package.json names tcxlab), from src/ or dist/. */
export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pj = join(dir, 'package.json');
    if (existsSync(pj)) {
      try {
        if ((JSON.parse(readFileSync(pj, 'utf8')) as { name?: string }).name === 'tcxlab') return dir;
      } catch {
        // not ours; keep walking up
      }
    }
    const up = dirname(dir);
    if (up === dir) throw new UsageError('conformance: cannot find the tcxlab package root');
    dir = up;
  }
}
