/**
 * The interpreter's per-program record (vm/interp-code.ts): instructions packed into two words
 * each. Checked two ways: the words unpack to the decoded fields for every opcode byte, every
 * register field and offsets and immediates at their extremes; and seeded programs whose
 * fields sit at those extremes (negative jump and memory offsets, jumps out of range either way,
 * accesses just outside the frame, sign-bit immediates) run identically under the interpreter
 * and the JIT (which reads the decoded fields, not the words). A packing that dropped the
 * offset's sign or a bit of a register field fails both.
 */
import { describe, expect, it } from 'vitest';
import { decode } from '../../vm/program.js';
import { interpCode, W_DST_SHIFT, W_OFF_SHIFT, W_SRC_SHIFT } from '../../vm/interp-code.js';
import { link } from '../../vm/link.js';
import { observe, prng } from './random-programs.js';

const EXTREME_OFF = [0, 1, -1, 2, -2, 0x7fff, -0x8000, 0x4000, -0x4000, 512, -512, -520];
const EXTREME_IMM = [0, 1, -1, 0x7fffffff, -0x80000000, 0xff, 0xffff, 0x10000, 31, 32, 63, 64];

/** One instruction's 8 bytes. */
function insn(op: number, dst: number, src: number, off: number, imm: number): number[] {
  const b = new Uint8Array(8);
  const dv = new DataView(b.buffer);
  b[0] = op;
  b[1] = (dst & 15) | ((src & 15) << 4);
  dv.setInt16(2, off, true);
  dv.setInt32(4, imm, true);
  return [...b];
}

describe('[vm/interp-code]: packed instructions', () => {
  it('unpack to the decoded fields (every opcode byte, register field, extreme offsets and immediates)', () => {
    const rnd = prng(0x1c0de);
    const bytes: number[] = [];
    for (let op = 0; op < 256; op++) {
      if (op === 0x18) continue; // lddw takes two slots: covered by the programs below
      for (let r = 0; r < 16; r++) {
        const off = rnd() < 0.5 ? EXTREME_OFF[Math.floor(rnd() * EXTREME_OFF.length)] : (Math.floor(rnd() * 0x10000) << 16) >> 16;
        const imm = rnd() < 0.5 ? EXTREME_IMM[Math.floor(rnd() * EXTREME_IMM.length)] : Math.floor(rnd() * 0x100000000) | 0;
        bytes.push(...insn(op, r, 15 - r, off, imm));
      }
    }
    const code = decode(Uint8Array.from(bytes));
    const w = interpCode(link(code, { name: 'packed', helpers: [] })).words;
    const bad: string[] = [];
    for (let i = 0; i < code.length; i++) {
      const x = w[2 * i];
      const got = [x & 0xff, (x >> W_DST_SHIFT) & 15, (x >> W_SRC_SHIFT) & 15, x >> W_OFF_SHIFT, w[2 * i + 1]];
      const want = [code.op[i], code.dst[i], code.src[i], code.off[i], code.imm[i]];
      if (got.join() !== want.join()) bad.push(`insn ${i}: ${got.join()} != ${want.join()}`);
      if (bad.length > 5) break;
    }
    expect(bad).toEqual([]);
    // the two words after the last instruction: op 0, which no instruction has
    expect([w[2 * code.length], w[2 * code.length + 1]]).toEqual([0, 0]);
  });

  /** A program of `n` random instructions with extreme fields over r0–r9 (r1 is the frame pointer's copy). */
  function extremeProgram(seed: number, n: number): Uint8Array {
    const rnd = prng(seed);
    const pick = <T>(a: readonly T[]): T => a[Math.floor(rnd() * a.length)];
    const reg = (): number => Math.floor(rnd() * 10);
    // a destination other than r1, which keeps the frame pointer
    const dreg = (): number => [0, 2, 3, 4, 5, 6, 7, 8, 9][Math.floor(rnd() * 9)];
    const out: number[] = [];
    for (let r = 0; r < 10; r++) out.push(...insn(0x18, r, 0, 0, pick(EXTREME_IMM)), ...insn(0, 0, 0, 0, pick(EXTREME_IMM)));
    out.push(...insn(0xbf, 1, 10, 0, 0)); // r1 = r10
    for (let k = 0; k < n; k++) {
      const c = rnd();
      if (c < 0.35) {
        // ALU64/ALU32, K or X (no division: its offset selects signedness and is checked separately)
        const code = pick([0x00, 0x10, 0x20, 0x40, 0x50, 0x60, 0x70, 0xa0, 0xb0, 0xc0]);
        const cls = rnd() < 0.5 ? 0x07 : 0x04;
        const x = rnd() < 0.5 ? 0x08 : 0;
        const d = dreg();
        out.push(...insn(cls | code | x, d, reg(), 0, pick(EXTREME_IMM)));
      } else if (c < 0.6) {
        // conditional jump, K or X, JMP or JMP32, short offsets either way (may leave the program)
        const code = pick([0x10, 0x20, 0x30, 0x40, 0x50, 0x60, 0x70, 0xa0, 0xb0, 0xc0, 0xd0]);
        const cls = rnd() < 0.5 ? 0x05 : 0x06;
        const x = rnd() < 0.5 ? 0x08 : 0;
        out.push(...insn(cls | code | x, reg(), reg(), rnd() < 0.9 ? Math.floor(rnd() * 4) : pick([-1, -2, -3, 40, -0x8000]), pick(EXTREME_IMM)));
      } else if (c < 0.75) {
        // store through r1 (the frame) at offsets in and just outside it
        const op = pick([0x7b, 0x63, 0x6b, 0x73, 0x7a, 0x62, 0x6a, 0x72]);
        out.push(...insn(op, 1, reg(), rnd() < 0.97 ? -8 * (1 + Math.floor(rnd() * 64)) : pick(EXTREME_OFF), pick(EXTREME_IMM)));
      } else if (c < 0.9) {
        // load through r1
        const op = pick([0x79, 0x61, 0x69, 0x71, 0x81, 0x89, 0x91]);
        const d = dreg();
        out.push(...insn(op, d, 1, rnd() < 0.97 ? -8 * (1 + Math.floor(rnd() * 64)) : pick(EXTREME_OFF), 0));
      } else if (c < 0.97) {
        // MOVSX / movsx32 (the offset selects the width; a bad width faults)
        out.push(...insn(rnd() < 0.5 ? 0xbf : 0xbc, dreg(), reg(), rnd() < 0.9 ? pick([0, 8, 16, 32]) : pick([1, -1]), 0));
      } else {
        // ja with an offset that may leave the program either way
        out.push(...insn(0x05, 0, 0, pick([1, 2, -1, -0x8000, 0x7fff]), 0));
      }
    }
    out.push(...insn(0x95, 0, 0, 0, 0));
    return Uint8Array.from(out);
  }

  const PROGRAMS = 240;
  const CHUNK = 60;
  let faults = 0;
  let done = 0;
  for (let first = 1; first <= PROGRAMS; first += CHUNK) {
    it(`seeded programs ${first}..${first + CHUNK - 1} with extreme fields: interpreter and JIT agree on r0, executed count and fault`, () => {
    const bad: string[] = [];
    for (let seed = first; seed < first + CHUNK; seed++) {
      const p = extremeProgram(seed, 30);
      const a = observe(p, 'interp', { budget: 5_000 });
      const b = observe(p, 'jit', { budget: 5_000 });
      if (a.fault) faults++;
      if (JSON.stringify(a) !== JSON.stringify(b)) bad.push(`seed ${seed}: interp ${JSON.stringify(a)} jit ${JSON.stringify(b)}`);
      if (bad.length > 3) break;
    }
    expect(bad).toEqual([]);
    done += CHUNK;
    });
  }

  it('the programs reached faults (jumps out, bad accesses, bad widths, the budget) and runs that finish', () => {
    expect(done).toBe(PROGRAMS);
    expect(faults).toBeGreaterThan(PROGRAMS / 10);
    expect(faults).toBeLessThan((PROGRAMS * 9) / 10);
  });
});
