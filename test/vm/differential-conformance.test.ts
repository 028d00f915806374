/**
 * Differential test: every bpf_conformance case (test/data/conformance/cases.jsonl, 313) under
 * the interpreter and the JIT: same r0, executed instructions, fault code and index, and the
 * same bytes in the case's memory afterwards; once with the default budget and once with a
 * budget that runs out half-way.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CONFORMANCE_HELPERS } from '../../src/cli/commands/conformance.js';
import { interpret } from '../../vm/interpreter.js';
import { compile } from '../../vm/jit/index.js';
import { link } from '../../vm/link.js';
import { Memory } from '../../vm/memory.js';
import { decode, type RunOptions } from '../../vm/program.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
interface JsonCase {
  file: string;
  raw: string;
  mem?: string;
}
const cases: JsonCase[] = readFileSync(join(root, 'test', 'data', 'conformance', 'cases.jsonl'), 'utf8')
  .split('\n')
  .filter((l) => l.trim() !== '')
  .map((l) => JSON.parse(l) as JsonCase);
const hex = (s: string): Uint8Array => new Uint8Array(Buffer.from(s.replace(/\s+/g, ''), 'hex'));

function observe(c: JsonCase, engine: 'interp' | 'jit', budget?: number) {
  let prog;
  try {
    prog = link(decode(hex(c.raw)), { name: c.file, helpers: CONFORMANCE_HELPERS });
  } catch (e) {
    return { linkError: (e as { code?: string }).code };
  }
  const mem = new Memory();
  const bytes = hex(c.mem ?? '');
  const opts: RunOptions = { budget };
  if (bytes.length > 0) {
    const region = mem.alloc('mem', bytes, { label: 'mem' });
    opts.args = [[Memory.lo(0), region.hi], [bytes.length, 0]];
  }
  const r = engine === 'interp' ? interpret(prog, mem, opts) : compile(prog).run(mem, opts);
  return { r0: r.r0, insns: r.insns, fault: r.fault && [r.fault.code, r.fault.insnIndex, r.fault.opcode], mem: Buffer.from(bytes).toString('hex') };
}

describe('[vm/differential]: bpf_conformance cases, interpreter vs JIT', () => {
  it('has the 313 cases', () => expect(cases).toHaveLength(313));

  it.each(cases.map((c) => [c.file, c] as const))('%s', (_f, c) => {
    const a = observe(c, 'interp');
    expect(observe(c, 'jit')).toEqual(a);
    if ('insns' in a && (a.insns ?? 0) > 1) {
      const budget = Math.floor((a.insns as number) / 2);
      expect(observe(c, 'jit', budget)).toEqual(observe(c, 'interp', budget));
    }
  });
});
