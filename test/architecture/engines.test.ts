/**
 * Engine-agnostic suites run under every engine by name (`describe.each(ENGINES)`, vm/engine.ts),
 * not by mocking the interpreter and not from a hand-written engine list that a new engine would miss.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SELF = 'test/architecture/engines.test.ts';

function walk(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (p.endsWith('.ts')) out.push(relative(ROOT, p));
  }
  return out;
}

const tests = walk(join(ROOT, 'test')).filter((f) => f !== SELF);

describe('[architecture] engines in the tests', () => {
  it('no test mocks the interpreter, the JIT or the engine switch', () => {
    const mocked = tests.filter((f) => /vi\.(do)?mock\([^)]*vm\/(interpreter|engine|jit)/.test(readFileSync(join(ROOT, f), 'utf8')));
    expect(tests.length).toBeGreaterThan(100);
    expect(mocked).toEqual([]);
  });

  it('engine lists come from ENGINES, not spelled out', () => {
    const spelled = tests.filter((f) => /\[\s*'(interp|jit)'\s*,\s*'(interp|jit)'\s*\]/.test(readFileSync(join(ROOT, f), 'utf8')));
    expect(spelled).toEqual([]);
  });
});
