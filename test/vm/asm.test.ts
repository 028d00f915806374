import { describe, expect, it } from 'vitest';
import { asm, assemble, assembleProgram } from '../../vm/asm.js';
import { AsmError, ErrorCode } from '../../vm/errors.js';
import { loadConformance } from './asm.conformance-data.js';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const cases = loadConformance();

describe('[vm/asm]: bpf_conformance cases', () => {
  it('has all 313 cases, every one with an asm section', () => {
    expect(cases.length).toBe(313);
    expect(cases.filter((c) => c.asm !== undefined).length).toBe(313);
  });

  it.each(cases.filter((c) => c.asm !== undefined).map((c) => [c.file, c] as const))('%s assembles to the raw bytes', (_f, c) => {
    expect(hex(assemble(c.asm!))).toBe(hex(c.raw));
  });
});

describe('[vm/asm]: syntax', () => {
  // Expected bytes written by hand from RFC 9669's encoding (opcode, regs, off, imm).
  it.each([
    ['mov32 %r0, 0', 'b400000000000000'],
    ['mov %r1, -1', 'b7010000ffffffff'],
    ['ldxh %r0, [%r1+2]', '6910020000000000'],
    ['stxdw [%r10-8], %r1', '7b1af8ff00000000'],
    ['stxdw [fp-8], r1', '7b1af8ff00000000'],
    ['jeq %r1, 3, +2', '1501020003000000'],
    ['jne32 %r1, %r2, -1', '5e21ffff00000000'],
    ['ja +1', '0500010000000000'],
    ['gotol -2', '06000000feffffff'],
    ['may_goto +3', 'e500030000000000'],
    ['call 1', '8500000001000000'],
    ['call bpf_map_lookup_elem', '8500000001000000'],
    ['call local +4', '8510000004000000'],
    ['callx %r3', '8d03000000000000'],
    ['sdiv %r1, %r2', '3f21010000000000'],
    ['smod32 %r1, 7', '9401010007000000'],
    ['movsx1664 %r1, %r2', 'bf21100000000000'],
    ['ldxsw %r0, [%r10-4]', '81a0fcff00000000'],
    ['be16 %r1', 'dc01000010000000'],
    ['le64 %r1', 'd401000040000000'],
    ['bswap32 %r1', 'd701000020000000'],
    ['lock add [%r1+0], %r2', 'db21000000000000'],
    ['lock fetch xor32 [%r1+4], %r2', 'c3210400a1000000'],
    ['lock cmpxchg [%r10-8], %r1', 'db1af8fff1000000'],
    ['load_acqw %r0, [%r1+0]', 'c310000000010000'],
    ['store_relb [%r1+2], %r3', 'd331020010010000'],
    ['ldabsh 12', '280000000c000000'],
    ['ldindb %r1, 2', '5010000002000000'],
    ['lddw %r0, 0x1122334455667788', '18000000887766550000000044332211'],
    ['lddw %r0, -1', '18000000ffffffff00000000ffffffff'],
    ['raw 0x1801000005000000', '1801000005000000'],
    ['exit', '9500000000000000'],
  ])('%s', (text, bytes) => {
    expect(hex(assemble(text))).toBe(bytes);
  });

  it('resolves labels forward and backward, counting lddw as two slots', () => {
    const b = assemble('top: lddw %r0, 1\n ja end\n ja top\nend:\n exit');
    // ja end at slot 2 → end at 4: off +1; ja top at slot 3 → 0: off -4
    expect(hex(b.subarray(16, 24))).toBe('0500010000000000');
    expect(hex(b.subarray(24, 32))).toBe('0500fcff00000000');
  });

  it('builds from a tagged template and decodes', () => {
    const n = 7;
    expect(hex(asm`mov %r0, ${n}
      exit`)).toBe('b7000000070000009500000000000000');
    expect(assembleProgram('mov %r0, 1\nexit').length).toBe(2);
  });

  it.each([
    ['bogus %r0', 1],
    ['mov %r11, 1', 1],
    ['mov %r0', 1],
    ['mov %r0, 0x100000000', 1],
    ['exit\nja nowhere', 2],
    ['x:\nx:\nexit', 2],
    ['ldxw %r0, %r1', 1],
    ['ldxw %r0, [%r1+0x8000]', 1],
    ['lock nand [%r1], %r2', 1],
    ['jeq %r1, 1, +0x8000', 1],
    ['call nosuchhelper', 1],
    ['lddw %r0, 0x10000000000000000', 1],
    ['movsx3232 %r0, %r1', 1],
  ])('rejects %j with AsmError on line %i', (text, line) => {
    let err: unknown;
    try {
      assemble(text);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(AsmError);
    expect((err as AsmError).code).toBe(ErrorCode.Asm);
    expect((err as AsmError).line).toBe(line);
  });
});

describe('[vm/asm]: hostile text', () => {
  it('throws only AsmError on mutated lines', () => {
    let seed = 77;
    const rnd = (n: number) => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 8) % n;
    const base = ['mov %r0, 1', 'ldxh %r0, [%r1+2]', 'lock fetch add32 [%r10-8], %r1', 'jeq %r1, 3, +2', 'lddw %r0, 0x11', 'call local x', 'stdw [%r10-8], 4'];
    const junk = ['[', ']', ',', '%', '+', '-', '0x', 'r', '99999999999999999999', ':', ' ', 'lock', 'fetch', '#', '\u2028', 'x:'];
    for (let n = 0; n < 3000; n++) {
      let line = base[rnd(base.length)];
      for (let k = rnd(4); k >= 0; k--) {
        const at = rnd(line.length + 1);
        line = rnd(2) ? line.slice(0, at) + junk[rnd(junk.length)] + line.slice(at) : line.slice(0, at) + line.slice(at + 1 + rnd(3));
      }
      try {
        assemble(`${line}\nx:\nexit`);
      } catch (e) {
        expect(e).toBeInstanceOf(AsmError);
      }
    }
  });
});
