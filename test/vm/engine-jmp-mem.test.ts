/**
 * Jumps (JMP, JMP32, gotol, may_goto), loads/stores (stack, sign-extending loads, ST imm) and
 * atomics. Expected values follow docs/isa-semantics.md §3–4; [kernel] marks measured examples.
 */
import { describe, expect, it } from 'vitest';
import { MAY_GOTO_START } from '../../vm/isa.js';
import { asm, ENGINES, insns, onEngine } from './vm-harness.js';

/** r0 = 1 if the condition jumps, 0 otherwise. */
const jumpCase = (setup: string, jump: string): Uint8Array =>
  asm`${setup}
  mov %r0, 0
  ${jump}
  exit
  taken:
  mov %r0, 1
  exit`;

type JCase = [title: string, setup: string, jump: string, taken: boolean];

const jumps: JCase[] = [
  ['jeq 64-bit compares the high half', 'lddw %r1, 0x100000001', 'jeq %r1, 1, taken', false],
  ['jeq32 ignores the high half [kernel]', 'lddw %r1, 0x100000001', 'jeq32 %r1, 1, taken', true],
  ['jgt K is unsigned against sign-extended imm: 5 > -1 is false', 'mov %r1, 5', 'jgt %r1, -1, taken', false],
  ['jgt reg unsigned', 'mov %r1, -1\nmov %r2, 5', 'jgt %r1, %r2, taken', true],
  ['jge equal', 'mov %r1, 5', 'jge %r1, 5, taken', true],
  ['jlt unsigned', 'mov %r1, 5', 'jlt %r1, -1, taken', true],
  ['jle', 'mov %r1, 6', 'jle %r1, 5, taken', false],
  ['jslt signed [kernel]', 'mov %r1, -5', 'jslt %r1, 0, taken', true],
  ['jsle signed equal', 'mov %r1, -5', 'jsle %r1, -5, taken', true],
  ['jsgt signed', 'mov %r1, -5\nmov %r2, -6', 'jsgt %r1, %r2, taken', true],
  ['jsge signed', 'mov %r1, -7', 'jsge %r1, -6, taken', false],
  ['jset in the high half', 'lddw %r1, 0x100000000\nlddw %r2, 0x300000000', 'jset %r1, %r2, taken', true],
  ['jset32 ignores the high half', 'lddw %r1, 0x100000000\nlddw %r2, 0x300000000', 'jset32 %r1, %r2, taken', false],
  ['jne', 'mov %r1, 1', 'jne %r1, 2, taken', true],
  ['jgt32 unsigned', 'mov32 %r1, 0x80000000', 'jgt32 %r1, 1, taken', true],
  ['jsgt32 signed', 'mov32 %r1, 0x80000000', 'jsgt32 %r1, 1, taken', false],
  ['jslt32 with K', 'mov32 %r1, -1', 'jslt32 %r1, 0, taken', true],
  ['jle32 reg', 'mov32 %r1, 3\nmov32 %r2, 3', 'jle32 %r1, %r2, taken', true],
  ['ja always', '', 'ja taken', true],
  ['gotol (JMP32|JA, offset in imm)', '', 'gotol taken', true],
];
describe.each(ENGINES)('[%s]', (engine) => {
  const { runBytes, r0Of } = onEngine(engine);

  describe('[vm/jmp]: conditional and unconditional jumps', () => {
    it.each(jumps)('%s', (_t, setup, jump, taken) => {
      expect(r0Of(jumpCase(setup, jump))).toBe(taken ? 1n : 0n);
    });

    it('gotol encodes its offset in imm, not off', () => {
      // JMP32|JA with off = 0 and imm = 1 must skip one instruction.
      const r = r0Of(insns([0xb7, 0, 0, 0, 1], [0x06, 0, 0, 0, 1], [0xb7, 0, 0, 0, 2], [0x95]));
      expect(r).toBe(1n);
    });

    it('may_goto falls through MAY_GOTO_START times, then jumps', () => {
      // r0 counts fall-throughs until may_goto takes its jump.
      const prog = asm`
        mov %r0, 0
      loop:
        may_goto done
        add %r0, 1
        ja loop
      done:
        exit`;
      const r = runBytes(prog, { budget: 4 * MAY_GOTO_START });
      expect(r.fault).toBeUndefined();
      expect(r.r0).toBe(BigInt(MAY_GOTO_START));
    });
  });

  describe('[vm/mem]: loads and stores on the stack', () => {
    const cases: [string, string, bigint][] = [
      ['stdw sign-extends imm [kernel: -2 → 0xffff…fffe]', 'stdw [%r10-8], -2\nldxdw %r0, [%r10-8]', 0xfffffffffffffffen],
      ['stw truncates', 'stdw [%r10-8], -1\nstw [%r10-8], 0\nldxdw %r0, [%r10-8]', 0xffffffff00000000n],
      ['sth / stb', 'stdw [%r10-8], 0\nsth [%r10-8], 0x1234\nstb [%r10-6], 0x56\nldxdw %r0, [%r10-8]', 0x561234n],
      ['stx/ldx sizes zero-extend', 'mov %r1, -1\nstxdw [%r10-8], %r1\nldxw %r0, [%r10-8]', 0xffffffffn],
      ['ldxh little-endian', 'lddw %r1, 0x1122334455667788\nstxdw [%r10-8], %r1\nldxh %r0, [%r10-6]', 0x5566n],
      ['ldxb', 'lddw %r1, 0x1122334455667788\nstxdw [%r10-8], %r1\nldxb %r0, [%r10-1]', 0x11n],
      ['ldxsb sign-extends to 64', 'mov %r1, 0x80\nstxb [%r10-1], %r1\nldxsb %r0, [%r10-1]', 0xffffffffffffff80n],
      ['ldxsh sign-extends to 64', 'mov %r1, 0x8000\nstxh [%r10-2], %r1\nldxsh %r0, [%r10-2]', 0xffffffffffff8000n],
      ['ldxsw sign-extends to 64', 'mov32 %r1, 0x80000000\nstxw [%r10-4], %r1\nldxsw %r0, [%r10-4]', 0xffffffff80000000n],
      ['pointer arithmetic on r10', 'mov %r2, %r10\nadd %r2, -16\nstdw [%r2+8], 9\nldxdw %r0, [%r10-8]', 9n],
      ['uninitialised stack reads as zero', 'ldxdw %r0, [%r10-512]', 0n],
    ];
    it.each(cases)('%s', (_t, program, expected) => {
      expect(r0Of(asm`${program}\nexit`)).toBe(expected);
    });
  });

  describe('[vm/atomic]: atomic read-modify-write', () => {
    const cases: [string, string, bigint][] = [
      ['add32 without fetch leaves the upper half [kernel: 0xfffffffe + 5]',
        'lddw %r1, 0x11111111fffffffe\nstxdw [%r10-8], %r1\nmov %r2, 5\nlock add32 [%r10-8], %r2\nldxdw %r0, [%r10-8]', 0x1111111100000003n],
      ['add without fetch leaves src', 'stdw [%r10-8], 1\nmov %r0, 5\nlock add [%r10-8], %r0', 5n],
      ['fetch add32 on -1 gives src = 0xffffffff [kernel]',
        'stdw [%r10-8], -1\nmov %r0, 1\nlock fetch add32 [%r10-8], %r0', 0xffffffffn],
      ['fetch add64 [kernel: 5 + 3, result old + src]',
        'mov %r1, 5\nstxdw [%r10-8], %r1\nmov %r2, 3\nlock fetch add [%r10-8], %r2\nldxdw %r0, [%r10-8]\nadd %r0, %r2', 13n],
      ['or / and / xor', 'stdw [%r10-8], 0xf0\nmov %r1, 0x0f\nlock or [%r10-8], %r1\nmov %r1, 0x3c\nlock and [%r10-8], %r1\nmov %r1, 0x01\nlock xor [%r10-8], %r1\nldxdw %r0, [%r10-8]', 0x3dn],
      ['fetch or returns the old value', 'stdw [%r10-8], 0x10\nmov %r0, 1\nlock fetch or [%r10-8], %r0', 0x10n],
      ['xchg swaps', 'stdw [%r10-8], 7\nmov %r1, 9\nlock xchg [%r10-8], %r1\nldxdw %r0, [%r10-8]\nlsh %r0, 8\nor %r0, %r1', 0x907n],
      ['xchg32 zero-extends the old value', 'stdw [%r10-8], -1\nmov %r0, 0\nlock xchg32 [%r10-8], %r0', 0xffffffffn],
      ['cmpxchg matching stores src [kernel]', 'mov %r1, 5\nstxdw [%r10-8], %r1\nmov %r0, 5\nmov %r2, 9\nlock cmpxchg [%r10-8], %r2\nldxdw %r0, [%r10-8]', 9n],
      ['cmpxchg32 compares the low half of r0 and zero-extends it [kernel]',
        'stdw [%r10-8], -1\nlddw %r0, 0xdeadbeefffffffff\nmov %r2, 3\nlock cmpxchg32 [%r10-8], %r2', 0xffffffffn],
      ['cmpxchg32 stored on match [kernel]',
        'stdw [%r10-8], -1\nlddw %r0, 0xdeadbeefffffffff\nmov %r2, 3\nlock cmpxchg32 [%r10-8], %r2\nldxw %r0, [%r10-8]', 3n],
      ['cmpxchg mismatch leaves memory and returns old [kernel: 0x77]',
        'stdw [%r10-8], 0x77\nmov %r0, 1\nmov %r2, 3\nlock cmpxchg [%r10-8], %r2', 0x77n],
      ['load_acq / store_rel are plain accesses', 'mov %r1, 0x1234\nstore_relh [%r10-2], %r1\nload_acqh %r0, [%r10-2]', 0x1234n],
    ];
    it.each(cases)('%s', (_t, program, expected) => {
      expect(r0Of(asm`${program}\nexit`)).toBe(expected);
    });
  });
});
