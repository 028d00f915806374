/**
 * A deliberately tiny executor for the straight-line raw programs of the skb goldens (ldx/ldsx/
 * stx/st on ctx and the stack, mov, lddw, rsh, sub, jeq, call, exit), so the skb model and the
 * helpers can be checked against the kernel before the real interpreter is involved. It faults
 * (throws) on anything else.
 */
import { Memory } from '../../vm/memory.js';
import type { HelperFn, RegisterFile } from '../../vm/program.js';
import type { SkBuffCtx, SkbRunState } from '../../src/skb/index.js';

/** A host-side register file whose every value counts as a trusted pointer (tag aliases hi). */
function trustedRegisters(): { lo: Int32Array; hi: Int32Array; tag: Int32Array } {
  const hi = new Int32Array(11);
  return { lo: new Int32Array(11), hi, tag: hi };
}

const SIZES: Record<number, number> = { 0x00: 4, 0x08: 2, 0x10: 1, 0x18: 8 };

export interface RawResult {
  /** false when a ctx access was refused (the kernel would not have loaded the program). */
  ok: boolean;
  r0: bigint;
}

const toBig = (lo: number, hi: number): bigint => (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0);
const sext = (v: bigint, bits: number): bigint => BigInt.asUintN(64, BigInt.asIntN(bits, v));

export function runRaw(hex: string, state: SkbRunState, helpers: Record<number, HelperFn> = {}): RawResult {
  const code = Buffer.from(hex, 'hex');
  const dv = new DataView(code.buffer, code.byteOffset, code.byteLength);
  const r: bigint[] = new Array(11).fill(0n);
  r[1] = Memory.address(state.ctx);
  const stack = new Uint8Array(512);
  const stackRegion = state.mem.alloc('stack', stack);
  r[10] = Memory.address(stackRegion, 512);
  const out = new Int32Array(2);
  try {
    for (let pc = 0; pc * 8 < code.length; pc++) {
      const op = code[pc * 8];
      const dst = code[pc * 8 + 1] & 0xf;
      const src = code[pc * 8 + 1] >> 4;
      const off = dv.getInt16(pc * 8 + 2, true);
      const imm = dv.getInt32(pc * 8 + 4, true);
      const cls = op & 7;
      const size = SIZES[op & 0x18];
      const lohi = (v: bigint): [number, number] => [Number(v & 0xffffffffn) | 0, Number((v >> 32n) & 0xffffffffn) | 0];
      const access = (base: bigint, write: boolean, value?: bigint, fromImm = false): bigint | undefined => {
        const [lo, hi] = lohi(base + BigInt(off));
        const reg = state.mem.regionOf(hi);
        if (!reg) throw new Error(`bad pointer at insn ${pc}`);
        if (reg.ctx) {
          const o = Memory.offsetOf(lo);
          if (write) {
            const [vl, vh] = lohi(value as bigint);
            return (reg.ctx as SkBuffCtx).store(o, size, vl, vh, fromImm) ? 0n : undefined;
          }
          return reg.ctx.load(o, size, out) ? toBig(out[0], out[1]) : undefined;
        }
        const view = state.mem.slice(hi, lo, size, write);
        if (!view) throw new Error(`out of bounds at insn ${pc}`);
        if (write) {
          for (let i = 0; i < size; i++) view[i] = Number(((value as bigint) >> BigInt(8 * i)) & 0xffn);
          return 0n;
        }
        let v = 0n;
        for (let i = size - 1; i >= 0; i--) v = (v << 8n) | BigInt(view[i]);
        return v;
      };
      if (cls === 1) {
        const v = access(r[src], false);
        if (v === undefined) return { ok: false, r0: 0n };
        r[dst] = (op & 0xe0) === 0x80 ? sext(v, size * 8) : v;
      } else if (cls === 3 || cls === 2) {
        const v = cls === 3 ? r[src] : BigInt.asUintN(64, BigInt(imm));
        if (access(r[dst], true, v, cls === 2) === undefined) return { ok: false, r0: 0n };
      } else if (op === 0xb7) r[dst] = BigInt.asUintN(64, BigInt(imm));
      else if (op === 0xbf) r[dst] = r[src];
      else if (op === 0x18) {
        const hiImm = dv.getInt32(pc * 8 + 12, true);
        r[dst] = toBig(imm, hiImm);
        pc++;
      } else if (op === 0x77) r[dst] = r[dst] >> BigInt(imm);
      else if (op === 0x07) r[dst] = BigInt.asUintN(64, r[dst] + BigInt(imm));
      else if (op === 0x1f) r[dst] = BigInt.asUintN(64, r[dst] - r[src]);
      else if (op === 0x15) {
        if (r[dst] === BigInt.asUintN(64, BigInt(imm))) pc += off;
      } else if (op === 0x05) pc += off;
      else if (op === 0x85) {
        const fn = helpers[imm];
        if (!fn) throw new Error(`no helper ${imm}`);
        const regs: RegisterFile = trustedRegisters();
        for (let i = 0; i < 11; i++) [regs.lo[i], regs.hi[i]] = lohi(r[i]);
        fn({ regs, mem: state.mem, insnIndex: pc, run: state });
        r[0] = toBig(regs.lo[0], regs.hi[0]);
      } else if (op === 0x95) return { ok: true, r0: r[0] };
      else throw new Error(`raw-runner: unsupported opcode 0x${op.toString(16)} at ${pc}`);
    }
    throw new Error('fell off the end');
  } finally {
    state.mem.release(stackRegion);
  }
}
