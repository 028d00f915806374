/**
 * ALU, ALU64, END and MOVSX: table-driven. Expected values follow docs/isa-semantics.md §2 (the
 * kernel's documented and measured rules); cases marked [kernel] are the spec's measured examples.
 */
import { describe, expect, it } from 'vitest';
import { asm, ENGINES, onEngine } from './vm-harness.js';

type Case = [title: string, program: string, expected: bigint];

const alu64: Case[] = [
  ['add wraps mod 2^64', 'lddw %r0, 0xffffffffffffffff\nadd %r0, 2', 1n],
  ['add carries into the high half', 'lddw %r0, 0xffffffff\nadd %r0, 1', 0x100000000n],
  ['sub borrows from the high half', 'lddw %r0, 0x100000000\nsub %r0, 1', 0xffffffffn],
  ['K sign-extends imm: or 0x80000000 [kernel]', 'mov %r0, 0\nor %r0, -2147483648', 0xffffffff80000000n],
  ['K sign-extends imm: and -2 [kernel]', 'lddw %r0, 0xffffffffffffffff\nand %r0, -2', 0xfffffffffffffffen],
  ['mov -1 is all ones [kernel]', 'mov %r0, -1', 0xffffffffffffffffn],
  ['mul 64x64 low word', 'lddw %r0, 0x123456789abcdef\nlddw %r1, 0xfedcba987654321\nmul %r0, %r1', (0x123456789abcdefn * 0xfedcba987654321n) & ((1n << 64n) - 1n)],
  ['mul by negative imm', 'mov %r0, 3\nmul %r0, -2', 0xfffffffffffffffan],
  ['div by zero register gives 0', 'mov %r0, 7\nmov %r1, 0\ndiv %r0, %r1', 0n],
  ['mod by zero register keeps dst', 'lddw %r0, 0x100000007\nmov %r1, 0\nmod %r0, %r1', 0x100000007n],
  ['unsigned div by sign-extended -1 imm is 0', 'mov %r0, 1000\ndiv %r0, -1', 0n],
  ['unsigned div of all-ones by -1 is 1', 'mov %r0, -1\ndiv %r0, -1', 1n],
  ['sdiv truncates toward zero', 'mov %r0, -7\nsdiv %r0, 2', 0xfffffffffffffffdn],
  ['smod has the sign of the dividend: -7 s% 2', 'mov %r0, -7\nsmod %r0, 2', 0xffffffffffffffffn],
  ['smod: 7 s% -2 = 1', 'mov %r0, 7\nsmod %r0, -2', 1n],
  ['sdiv LLONG_MIN / -1 = LLONG_MIN', 'lddw %r0, 0x8000000000000000\nmov %r1, -1\nsdiv %r0, %r1', 0x8000000000000000n],
  ['smod by -1 gives 0', 'lddw %r0, 0x8000000000000000\nsmod %r0, -1', 0n],
  ['sdiv by zero register gives 0', 'mov %r0, -7\nmov %r1, 0\nsdiv %r0, %r1', 0n],
  ['smod by zero register keeps dst', 'mov %r0, -7\nmov %r1, 0\nsmod %r0, %r1', 0xfffffffffffffff9n],
  ['lsh by register masks & 63: 1 << 65 = 2 [kernel]', 'mov %r0, 1\nmov %r1, 65\nlsh %r0, %r1', 2n],
  ['rsh is logical', 'mov %r0, -1\nrsh %r0, 60', 0xfn],
  ['arsh is arithmetic', 'mov %r0, -16\narsh %r0, 2', 0xfffffffffffffffcn],
  ['arsh by 63', 'lddw %r0, 0x8000000000000000\narsh %r0, 63', 0xffffffffffffffffn],
  ['neg', 'mov %r0, 1\nneg %r0', 0xffffffffffffffffn],
  ['neg of 2^32', 'lddw %r0, 0x100000000\nneg %r0', 0xffffffff00000000n],
  ['xor with register', 'lddw %r0, 0xff00ff00ff00ff00\nlddw %r1, 0x0ff00ff00ff00ff0\nxor %r0, %r1', 0xf0f0f0f0f0f0f0f0n],
  ['movsx8 [kernel]', 'mov %r1, 0x80\nmovsx864 %r0, %r1', 0xffffffffffffff80n],
  ['movsx16', 'mov %r1, 0x8001\nmovsx1664 %r0, %r1', 0xffffffffffff8001n],
  ['movsx32', 'mov32 %r1, 0x80000000\nmovsx3264 %r0, %r1', 0xffffffff80000000n],
  ['bswap16 truncates', 'lddw %r0, 0x1122334455667788\nbswap16 %r0', 0x8877n],
  ['bswap32 truncates', 'lddw %r0, 0x1122334455667788\nbswap32 %r0', 0x88776655n],
  ['bswap64 [kernel]', 'lddw %r0, 0x0102030405060708\nbswap64 %r0', 0x0807060504030201n],
];

const alu32: Case[] = [
  ['result is zero-extended: w0 += 1 on all ones gives 0', 'lddw %r0, 0xffffffffffffffff\nadd32 %r0, 1', 0n],
  ['add32 wraps [kernel]', 'mov32 %r0, -1\nadd32 %r0, 2', 1n],
  ['mov32 -1 zero-extends', 'mov32 %r0, -1', 0xffffffffn],
  ['mov32 register zero-extends', 'mov %r1, -1\nmov32 %r0, %r1', 0xffffffffn],
  ['neg32 zero-extends', 'mov32 %r0, 1\nneg32 %r0', 0xffffffffn],
  ['mul32 keeps the low word', 'mov32 %r0, 0x10001\nmul32 %r0, 0x10001', 0x20001n],
  ['div32 by zero register gives 0', 'mov %r0, 7\nmov %r1, 0\ndiv32 %r0, %r1', 0n],
  ['div32 uses only the low 32 bits of the divisor (2^32 counts as 0)', 'mov %r0, 7\nlddw %r1, 0x100000000\ndiv32 %r0, %r1', 0n],
  ['mod32 by zero zero-extends dst [kernel]', 'lddw %r0, 0x100000007\nmov %r1, 0\nmod32 %r0, %r1', 7n],
  ['div32 imm is unsigned', 'mov32 %r0, -1\ndiv32 %r0, -1', 1n],
  ['sdiv32 INT_MIN / -1 = INT_MIN, zero-extended', 'mov32 %r0, 0x80000000\nsdiv32 %r0, -1', 0x80000000n],
  ['smod32 by -1 gives 0', 'mov32 %r0, 0x80000000\nsmod32 %r0, -1', 0n],
  ['smod32 -7 % 2', 'mov32 %r0, -7\nsmod32 %r0, 2', 0xffffffffn],
  ['lsh32 by register masks & 31 [kernel]', 'mov32 %r0, 1\nmov32 %r1, 33\nlsh32 %r0, %r1', 2n],
  ['arsh32 sign-extends within 32 bits then zero-extends', 'mov32 %r0, 0x80000000\narsh32 %r0, 4', 0xf8000000n],
  ['rsh32 clears the high half', 'mov %r0, -1\nrsh32 %r0, 4', 0x0fffffffn],
  ['movsx8 32-bit zero-extends [kernel]', 'mov %r1, 0x1ff\nmovsx832 %r0, %r1', 0xffffffffn],
  ['movsx16 32-bit', 'mov %r1, 0x8000\nmovsx1632 %r0, %r1', 0xffff8000n],
  ['be16 [kernel: 0x12345678 → 0x7856]', 'mov %r0, 0x12345678\nbe16 %r0', 0x7856n],
  ['be16 of a 64-bit value', 'lddw %r0, 0x1122334455667788\nbe16 %r0', 0x8877n],
  ['be32', 'lddw %r0, 0x1122334455667788\nbe32 %r0', 0x88776655n],
  ['be64', 'lddw %r0, 0x1122334455667788\nbe64 %r0', 0x8877665544332211n],
  ['le16 truncates', 'lddw %r0, 0x1122334455667788\nle16 %r0', 0x7788n],
  ['le32 truncates', 'lddw %r0, 0x1122334455667788\nle32 %r0', 0x55667788n],
  ['le64 is identity', 'lddw %r0, 0x1122334455667788\nle64 %r0', 0x1122334455667788n],
];
describe.each(ENGINES)('[%s]', (engine) => {
  const { r0Of } = onEngine(engine);

  describe('[vm/alu64]: 64-bit arithmetic', () => {
    it.each(alu64)('%s', (_t, program, expected) => {
      expect(r0Of(asm`${program}\nexit`)).toBe(expected);
    });
  });

  describe('[vm/alu32]: 32-bit arithmetic zero-extends', () => {
    it.each(alu32)('%s', (_t, program, expected) => {
      expect(r0Of(asm`${program}\nexit`)).toBe(expected);
    });
  });
});
