/**
 * The layers (docs/architecture.md): vm/ is the bottom (no I/O, nothing from loader/ or src/),
 * loader/ sits on vm/ (nothing from src/), src/ on both. This test reads every import and
 * re-export of every module, type-only ones included, and fails on an upward edge.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { root, sources, specifiers } from './imports.js';

/** The layer of a resolved path: its top-level folder. */
const layerOf = (abs: string): string => relative(root, abs).split(/[\\/]/)[0];

const FORBIDDEN: Record<string, string[]> = {
  vm: ['loader', 'src', 'test'],
  loader: ['src', 'test'],
  src: ['test'],
};

/** Node built-ins vm/ must not use (it does no I/O). */
const VM_NO_IO = /^(node:)?(fs|fs\/promises|child_process|net|http|https|os|process|worker_threads)$/;

describe('[architecture]: layers only import downwards', () => {
  for (const layer of Object.keys(FORBIDDEN)) {
    it(`${layer}/ imports nothing from ${FORBIDDEN[layer].join(', ')}`, () => {
      const bad: string[] = [];
      for (const file of sources(join(root, layer))) {
        for (const spec of specifiers(readFileSync(file, 'utf8'))) {
          if (layer === 'vm' && VM_NO_IO.test(spec)) bad.push(`${relative(root, file)} → ${spec} (I/O in vm/)`);
          if (!spec.startsWith('.')) continue;
          const target = layerOf(resolve(dirname(file), spec));
          if (FORBIDDEN[layer].includes(target)) bad.push(`${relative(root, file)} → ${spec}`);
        }
      }
      expect(bad).toEqual([]);
    });
  }

  it('the scanner sees real edges (src/ imports vm/ and loader/)', () => {
    const targets = new Set<string>();
    for (const file of sources(join(root, 'src'))) {
      for (const spec of specifiers(readFileSync(file, 'utf8'))) if (spec.startsWith('.')) targets.add(layerOf(resolve(dirname(file), spec)));
    }
    expect([...targets].sort()).toEqual(expect.arrayContaining(['loader', 'src', 'vm']));
  });
});
