/**
 * @fileoverview Seeded generators of programs for the JIT's value ranges (test/vm/jit-ranges.test.ts):
 * loops whose counters start and end near 0, ±2^31, 2^32 and 2^63, and straight-line compares at
 * the ends of known ranges, each followed by arithmetic that lands next to a 2^32 window boundary.
 */
import { mulberry32 } from '../fuzz/rng.js';

const EDGES = [0n, 0n, 1n << 31n, 1n << 32n, -(1n << 31n), -(1n << 32n), 1n << 63n, (1n << 32n) * 5n, 1000n];
export const JUMPS = ['jeq', 'jne', 'jgt', 'jge', 'jlt', 'jle', 'jsgt', 'jsge', 'jslt', 'jsle', 'jset'];

/** 64-bit two's complement text of v for lddw. */
export const hex = (v: bigint): string => `0x${BigInt.asUintN(64, v).toString(16)}`;
/** v as a 32-bit immediate (what the assembler stores). */
const imm32 = (v: bigint): number => Number(BigInt.asIntN(32, v));

/** One random loop program: a counter r1 moving by a step towards (or past) a bound. */
export function loopProgram(seed: number): string {
  const rnd = mulberry32(seed);
  const int = (n: number): number => Math.floor(rnd() * n);
  const pick = <T>(a: readonly T[]): T => a[int(a.length)];
  const near = (v: bigint): bigint => v + BigInt(int(9) - 4);
  const start = rnd() < 0.9 ? near(pick(EDGES)) : BigInt.asIntN(64, BigInt(int(2 ** 32)) * BigInt(int(2 ** 32)));
  const step = BigInt(1 + int(3)) * (rnd() < 0.5 ? 1n : -1n);
  const trips = BigInt(int(12));
  // The bound: reached after `trips` steps, or a few off it, or an edge.
  const off = rnd() < 0.6 ? 0n : BigInt(int(3) - 1);
  const bound = rnd() < 0.8 ? start + step * trips + off : near(pick(EDGES));
  // Half the loops exit by the compare that fits their direction (ending on the bound or past it).
  const natural = step > 0n ? ['jlt', 'jslt', 'jne', 'jle', 'jsle'] : ['jgt', 'jsgt', 'jne', 'jge', 'jsge'];
  const lines = [`lddw %r1, ${hex(start)}`, `lddw %r2, ${hex(bound)}`, `mov %r5, ${imm32(step)}`, 'mov %r0, 0', `mov %r3, ${int(5)}`, 'mov %r4, 0', 'loop:'];
  const body = [
    'add %r0, %r1',
    'xor %r0, %r1',
    'mov %r3, %r1',
    'add %r3, %r1',
    'sub %r3, %r1',
    `add %r3, ${imm32(near(pick(EDGES)))}`,
    `mul %r3, ${int(7)}`,
    'mul %r3, %r1',
    `lsh %r3, ${int(40)}`,
    'neg %r3',
    'add32 %r4, %r1',
    'mov %r6, %r4',
    'sub %r6, 3',
    `mov %r3, %r1\nsub %r3, %r5`,
    `mov %r3, %r1\nadd %r3, ${int(9) - 4}\n${pick(JUMPS)} %r3, ${int(9) - 4}, +1\nadd %r0, 7`,
  ];
  // the counter's neighbours: off-by-one range bounds show up as a wrong high half here
  if (rnd() < 0.7) lines.push('mov %r3, %r1', `add %r3, ${int(9) - 4}`, 'xor %r0, %r3', 'lsh %r0, 1');
  for (let k = int(3); k > 0; k--) lines.push(pick(body));
  if (rnd() < 0.4) {
    // a second block in the loop: a forward compare of the counter (narrows the skipping edge)
    lines.push(`${pick(JUMPS)}${rnd() < 0.3 ? '32' : ''} %r1, ${rnd() < 0.5 ? '%r2' : imm32(near(pick(EDGES)))}, skip`, 'add %r3, 1', 'skip:');
  }
  const s = imm32(step);
  const update = [`add %r1, ${s}`, `sub %r1, ${-s}`, 'add %r1, %r5', 'sub %r1, %r5', `add32 %r1, ${s}`, `add %r1, ${s}\nadd %r1, ${s}`];
  lines.push(pick(update));
  const j = `${rnd() < 0.5 ? pick(natural) : pick(JUMPS)}${rnd() < 0.3 ? '32' : ''}`;
  lines.push(`${j} %r1, ${rnd() < 0.5 ? '%r2' : imm32(bound)}, loop`);
  // After the loop: the exit edge's ranges, used by more narrowed arithmetic and compares.
  lines.push(`mov %r7, %r1`, `add %r7, ${rnd() < 0.5 ? int(9) - 4 : imm32(near(pick(EDGES)))}`, `${pick(JUMPS)} %r7, ${imm32(near(pick(EDGES)))}, out`, 'mul %r7, 3', 'out:');
  lines.push('xor %r0, %r1', 'lsh %r0, 1', 'xor %r0, %r3', 'lsh %r0, 1', 'xor %r0, %r7', 'add %r0, %r4', 'add %r0, %r6', 'exit');
  return lines.join('\n');
}

/** Ways to make r1 from r2 with a known range, and the ends of that range. */
export const MAKERS = [
  ['ldxb %r1, [%r10-8]', [0, 0xff]],
  ['ldxh %r1, [%r10-8]', [0, 0xffff]],
  ['ldxw %r1, [%r10-8]', [0, 0x7fffffff, 0xffffffff]],
  ['ldxsb %r1, [%r10-8]', [-0x80, 0, 0x7f]],
  ['mov %r1, %r2\nand %r1, 0xff', [0, 0xff]],
  ['movsx1664 %r1, %r2', [-0x8000, 0, 0x7fff]],
  ['movsx3264 %r1, %r2', [-0x80000000, 0, 0x7fffffff]],
  ['mov32 %r1, %r2', [0, 0x7fffffff, 0xffffffff]],
] as const;

/**
 * One straight-line program: r1 with a known range (MAKERS[m]) compared by `jump` with a
 * constant k at (or next to) the range's end `ends[e]`, r1 = k + dx, and on both edges r1 moved
 * by base - k - delta, base a window boundary (0, 2^32, ±2^31), so that the values next to k land
 * next to that boundary: an off-by-one in a branch's narrowing then shows as a wrong high half
 * (a correct range at k ± 1 crosses the boundary, a range one tighter does not).
 */
export function edgeProgram(m: number, jump: string, e: number, dx: number, delta: number, seed: number): string {
  const rnd = mulberry32(seed);
  const pick = <T>(a: readonly T[]): T => a[Math.floor(rnd() * a.length)];
  const [make, ends] = MAKERS[m];
  const k = ends[e] + (rnd() < 0.5 ? 0 : pick([-1, 1]));
  const shift = (): bigint => pick([0n, 1n << 32n, 1n << 31n, -(1n << 31n)]) - BigInt(k + delta);
  return [
    `lddw %r2, ${hex(BigInt(k + dx))}`,
    'stxdw [%r10-8], %r2',
    make,
    'mov %r0, 0',
    `${jump} %r1, ${imm32(BigInt(k))}, t`,
    `lddw %r6, ${hex(shift())}`,
    'mov %r3, %r1',
    'add %r3, %r6',
    'xor %r0, %r3',
    'lsh %r0, 1',
    'ja e',
    't:',
    `lddw %r6, ${hex(-shift())}`,
    'mov %r3, %r1',
    'sub %r3, %r6',
    'xor %r0, %r3',
    'lsh %r0, 2',
    'e:',
    'exit',
  ].join('\n');
}
