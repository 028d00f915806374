/**
 * @fileoverview Small builders for the VM tests: assemble + link + run on a chosen engine, hex helpers.
 * Engine-agnostic suites run under every engine with `describe.each(ENGINES)` and take their
 * runners from `onEngine(engine)`.
 */
import { asm } from '../../vm/asm.js';
import { ENGINES, runProgram, type Engine } from '../../vm/engine.js';
import { link } from '../../vm/link.js';
import { Memory } from '../../vm/memory.js';
import { decode, type HelperTable, type LinkedProgram, type RunOptions, type RunResult } from '../../vm/program.js';

export { asm };

/** Link raw program bytes with a helper table. */
export function linkBytes(bytes: Uint8Array, helpers: HelperTable = [], name = 'test'): LinkedProgram {
  return link(decode(bytes), { name, helpers });
}

export { ENGINES, type Engine };

/** Runners bound to one engine. */
export interface EngineRunners {
  /** Run a linked program (the JIT leaves step-hook runs to the interpreter, as in production). */
  run(prog: LinkedProgram, mem: Memory, opts?: RunOptions): RunResult;
  /** Run program bytes on a fresh Memory. */
  runBytes(bytes: Uint8Array, opts?: RunOptions, helpers?: HelperTable, mem?: Memory): RunResult;
  /** Run and return r0 as a u64 bigint; fails the test on a fault. */
  r0Of(bytes: Uint8Array, opts?: RunOptions, helpers?: HelperTable): bigint;
}

export function onEngine(engine: Engine): EngineRunners {
  const run = (prog: LinkedProgram, mem: Memory, opts: RunOptions = {}): RunResult => runProgram(prog, mem, opts, engine);
  const runBytes = (bytes: Uint8Array, opts: RunOptions = {}, helpers: HelperTable = [], mem = new Memory()): RunResult =>
    run(linkBytes(bytes, helpers), mem, opts);
  const r0Of = (bytes: Uint8Array, opts: RunOptions = {}, helpers: HelperTable = []): bigint => {
    const r = runBytes(bytes, opts, helpers);
    if (r.fault) throw new Error(`unexpected fault: ${r.fault.message}`);
    return r.r0;
  };
  return { run, runBytes, r0Of };
}

/** Little-endian instruction bytes from (op, dst, src, off, imm) tuples. */
export function insns(...list: [op: number, dst?: number, src?: number, off?: number, imm?: number][]): Uint8Array {
  const out = new Uint8Array(list.length * 8);
  const dv = new DataView(out.buffer);
  list.forEach(([op, dst = 0, src = 0, off = 0, imm = 0], k) => {
    out[k * 8] = op;
    out[k * 8 + 1] = (dst & 0xf) | ((src & 0xf) << 4);
    dv.setInt16(k * 8 + 2, off, true);
    dv.setInt32(k * 8 + 4, imm | 0, true);
  });
  return out;
}

export const hexToBytes = (hex: string): Uint8Array => new Uint8Array(Buffer.from(hex.replace(/\s+/g, ''), 'hex'));
export const u64 = (v: bigint): bigint => BigInt.asUintN(64, v);
