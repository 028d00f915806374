/**
 * @fileoverview Reads the bpf_conformance `.data` files and their expected raw bytes (cases.jsonl)
 * for the text-form tests, from the vendored copy in test/data/conformance (the tests read nothing
 * outside the repository).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface ConformanceCase {
  file: string;
  asm?: string;
  raw: Uint8Array;
}

const candidates = [fileURLToPath(new URL('../data/conformance', import.meta.url))];

export const conformanceDir = candidates.find((d) => existsSync(join(d, 'cases.jsonl')));

export function hexBytes(hex: string): Uint8Array {
  return Uint8Array.from(hex.match(/../g) ?? [], (h) => parseInt(h, 16));
}

export function loadConformance(): ConformanceCase[] {
  if (!conformanceDir) throw new Error('conformance data not found in ' + candidates.join(' or '));
  const raw = new Map<string, string>();
  for (const line of readFileSync(join(conformanceDir, 'cases.jsonl'), 'utf8').split('\n')) {
    if (line.trim()) {
      const c = JSON.parse(line) as { file: string; raw: string };
      raw.set(c.file, c.raw);
    }
  }
  return readdirSync(conformanceDir)
    .filter((f) => f.endsWith('.data'))
    .sort()
    .map((file) => {
      const text = readFileSync(join(conformanceDir, file), 'utf8');
      const m = /^-- asm[^\n]*\n([\s\S]*?)(?=^-- |(?![\s\S]))/m.exec(text);
      return { file, asm: m?.[1], raw: hexBytes(raw.get(file) ?? '') };
    });
}
