/**
 * The interpreter's switch uses numeric case labels (for V8's jump table) with the composite
 * name in a comment; this keeps each label equal to isa.ts `Op[name]`, and every opcode of the
 * ISA handled.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { Op, type OpName } from '../../vm/isa.js';

const source = readFileSync(fileURLToPath(new URL('../../vm/interpreter.ts', import.meta.url)), 'utf8');
const labels = [...source.matchAll(/case (0x[0-9a-f]+):(?: \{)? \/\/ (\w+)/g)].map((m) => [Number(m[1]), m[2]] as const);

describe('[vm/interpreter]: case labels', () => {
  it('every named label matches isa.ts', () => {
    const named = labels.filter(([, name]) => name in Op);
    expect(named.length).toBeGreaterThan(100);
    for (const [value, name] of named) expect(value, name).toBe(Op[name as OpName]);
  });
  it('every composite opcode of isa.ts has a case', () => {
    const values = new Set(labels.map(([v]) => v));
    for (const [name, value] of Object.entries(Op)) expect(values.has(value), name).toBe(true);
  });
});
