/**
 * link(): pseudo LD_IMM64 resolution, copy semantics and errors.
 */
import { describe, expect, it } from 'vitest';
import { ErrorCode, VmFault } from '../../vm/errors.js';
import { interpret } from '../../vm/interpreter.js';
import { link } from '../../vm/link.js';
import { Memory } from '../../vm/memory.js';
import { CODE_HI, decode } from '../../vm/program.js';
import { insns } from './vm-harness.js';

describe('[vm/link]: pseudo lddw', () => {
  const code = decode(insns([0x18, 0, 1, 0, 7], [0x00, 0, 0, 0, 0], [0x95]));

  it('resolves src 1..6 once through the resolver and leaves src 0', () => {
    const calls: number[][] = [];
    const prog = link(code, {
      name: 'p',
      helpers: [],
      resolveLdImm64: (src, imm, next, index) => {
        calls.push([src, imm, next, index]);
        return [0x1234, 0x5678];
      },
    });
    expect(calls).toEqual([[1, 7, 0, 0]]);
    expect(prog.code.src[0]).toBe(0);
    expect(prog.code.imm[0]).toBe(0x1234);
    expect(prog.code.imm[1]).toBe(0x5678);
    expect(interpret(prog, new Memory()).r0).toBe(0x0000567800001234n);
  });

  it('never mutates its input', () => {
    link(code, { name: 'p', helpers: [], resolveLdImm64: () => [1, 2] });
    expect(code.src[0]).toBe(1);
    expect(code.imm[0]).toBe(7);
  });

  it('a pseudo lddw without a resolver is an E_BAD_LDIMM64 error at its index', () => {
    const c = decode(insns([0xb7], [0x18, 0, 2, 0, 0], [0x00], [0x95]));
    let err: unknown;
    try {
      link(c, { name: 'p', helpers: [] });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(VmFault);
    expect((err as VmFault).code).toBe(ErrorCode.BadLdImm64);
    expect((err as VmFault).insnIndex).toBe(1);
  });

  it('an unknown pseudo src is rejected', () => {
    const c = decode(insns([0x18, 0, 9, 0, 0], [0x00], [0x95]));
    expect(() => link(c, { name: 'p', helpers: [], resolveLdImm64: () => [0, 0] })).toThrow(VmFault);
  });

  it('BPF_PSEUDO_FUNC resolves to CODE_HI:(pc + 1 + imm) without a resolver', () => {
    // kernel: the subprogram at i + imm + 1, i being the lddw's first slot (here 0 + 2 + 1).
    const c = decode(insns([0x18, 1, 4, 0, 2], [0x00], [0x95], [0x95]));
    const prog = link(c, { name: 'p', helpers: [] });
    expect(prog.code.imm[0]).toBe(3);
    expect(prog.code.imm[1]).toBe(CODE_HI);
  });

  it('an unlinked pseudo lddw faults at run time instead of loading garbage', () => {
    const prog = { name: 'raw', helpers: [], code };
    const r = interpret(prog, new Memory());
    expect(r.fault?.code).toBe(ErrorCode.BadLdImm64);
    expect(r.fault?.insnIndex).toBe(0);
  });
});
