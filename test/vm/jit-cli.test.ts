/**
 * `tcxlab jit OBJ PROG`: the generated source of a committed object and of raw bytecode, and
 * an object whose names are hostile never showing them.
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { memoryIo } from '../../src/cli/io.js';
import { run } from '../../src/cli/main.js';
import { jitSource } from '../../src/cli/commands/jit.js';
import { asm } from './vm-harness.js';

const obj = fileURLToPath(new URL('../../progs/bench_parse.bpf.o', import.meta.url));

describe('[vm/jit]: tcxlab jit', () => {
  it('prints the source for a program of an object, one commented line per insn', async () => {
    const io = memoryIo();
    expect(await run(['jit', obj, 'bench_parse'], io)).toBe(0);
    expect(io.stdout).toMatch(/^'use strict';/);
    expect(io.stdout).toContain('// insn 0 MOV32_IMM');
    expect(io.stdout).toContain('// insn 37 EXIT');
    // the object's names never reach the source
    expect(io.stdout).not.toContain('bench_parse');
    expect(io.stdout).not.toContain('tcx/ingress');
  });
  it('--compact drops the comments; the output parses as a function body', async () => {
    const io = memoryIo();
    expect(await run(['jit', obj, 'bench_parse', '--compact'], io)).toBe(0);
    expect(io.stdout).not.toContain('// insn');
    expect(() => new Function(io.stdout)).not.toThrow();
  });
  it('raw bytecode and hex text', () => {
    const bytes = asm`mov %r0, 7\nexit`;
    expect(jitSource(bytes, undefined)).toContain('l0 = 7; h0 = 0;');
    expect(jitSource(new TextEncoder().encode(Buffer.from(bytes).toString('hex')), undefined, { hex: true })).toContain('l0 = 7;');
  });
  it('unknown program name is a usage error', async () => {
    const io = memoryIo();
    expect(await run(['jit', obj, 'nope'], io)).toBe(1);
    expect(io.stderr).toMatch(/no program/);
  });
  it('tcxlab conformance --engine jit passes 313/313', async () => {
    const io = memoryIo();
    expect(await run(['conformance', '--engine', 'jit'], io)).toBe(0);
    expect(io.stdout).toContain('Passed 313 out of 313 tests.');
  });
  it('conformance-plugin --jit answers as the interpreter', async () => {
    for (const prog of ['b7 00 00 00 2a 00 00 00 95 00 00 00 00 00 00 00', 'b7 01 00 00 07 00 00 00 27 01 00 00 06 00 00 00 bf 10 00 00 00 00 00 00 95 00 00 00 00 00 00 00']) {
      const a = memoryIo(`${prog}\n`);
      const b = memoryIo(`${prog}\n`);
      expect(await run(['conformance-plugin', '', '--jit'], a)).toBe(0);
      expect(await run(['conformance-plugin', ''], b)).toBe(0);
      expect(a.stdout).toBe(b.stdout);
    }
  });
});
