/**
 * The interpreter's own test suites, re-run with `interpret` answered by the JIT: every
 * assertion those files make about the interpreter (ALU, jumps, memory, calls, tail calls,
 * callbacks, LD_ABS, faults with their index, the kernel ISA goldens) must hold for the JIT too.
 * Runs with a step hook and programs the JIT leaves to the interpreter still go to the real
 * interpreter (see vm/jit/index.ts).
 */
import { vi } from 'vitest';
import type { LinkedProgram, RunOptions, RunResult } from '../../vm/program.js';
import type { Memory } from '../../vm/memory.js';

const jit = vi.hoisted(() => ({ run: undefined as undefined | ((p: LinkedProgram, m: Memory, o?: RunOptions) => RunResult), calls: 0 }));

vi.mock('../../vm/interpreter.js', async (importOriginal) => {
  const orig = await importOriginal<typeof import('../../vm/interpreter.js')>();
  return {
    ...orig,
    interpret: (p: LinkedProgram, m: Memory, o: RunOptions = {}): RunResult => {
      if (jit.run === undefined || o.step !== undefined) return orig.interpret(p, m, o);
      jit.calls++;
      return jit.run(p, m, o);
    },
  };
});

const { compile } = await import('../../vm/jit/index.js');
const { interpret: realInterpret } = await vi.importActual<typeof import('../../vm/interpreter.js')>('../../vm/interpreter.js');
jit.run = (p, m, o) => {
  const c = compile(p);
  return c.interpreted ? realInterpret(p, m, o) : c.run(m, o);
};

await import('./interpreter-alu.test.js');
await import('./interpreter-jmp-mem.test.js');
await import('./interpreter-calls-faults.test.js');
await import('./kernel-goldens.test.js');
await import('./interpreter-random.test.js');

const { describe, expect, it } = await import('vitest');
describe('[vm/jit]: the suites above really ran under the JIT', () => {
  it('counted JIT runs', () => expect(jit.calls).toBeGreaterThan(100));
});
