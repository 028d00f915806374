/**
 * @fileoverview `tcxlab conformance [DIR] [--engine interp|jit]`: runs the bpf_conformance
 * `.data` cases (github.com/Alan-Jowett/bpf_conformance) and prints `PASS: file` /
 * `FAIL: file (reason)` per case and `Passed N out of M tests.`; exit code 1 if any fail.
 *
 * A case's program comes from its `-- raw` section when present, else from `-- asm` through the
 * assembler (`vm/asm.ts`). Memory: r1 points at a copy of the `-- mem` bytes and r2 holds their
 * length (no memory: r1 = r2 = 0). Helpers are those of the suite's reference plugin (uBPF's
 * `ubpf_plugin/test_helpers.h`): 0 gather_bytes, 1 memfrob, 2 no_op, 3 sqrti, 4 strcmp_ext,
 * 5 unwind (returns r1; a zero result ends the program with r0 = 0).
 */
import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { BpfError, UsageError } from '../../../vm/errors.js';
import { ENGINES, runProgram, type Engine } from '../../../vm/engine.js';
import { assemble } from '../../../vm/asm.js';
import { link } from '../../../vm/link.js';
import { Memory } from '../../../vm/memory.js';
import { decode, type HelperCall, type HelperFn, type LinkedProgram } from '../../../vm/program.js';
import type { CliIo } from '../io.js';
import { packageRoot } from '../package-root.js';

export { packageRoot };

/** One parsed `.data` file: section name → text. */
export interface ConformanceCase {
  asm?: string;
  raw?: Uint8Array;
  mem: Uint8Array;
  /** Expected r0 (64-bit), when the case has `-- result`. */
  result?: bigint;
  /** Expected error text, when the case has `-- error`. */
  error?: string;
}

/** Parse a bpf_conformance `.data` file (`# ...` header lines, then `-- name` sections). */
export function parseDataFile(text: string): ConformanceCase {
  const sections = new Map<string, string[]>();
  let cur: string[] | undefined;
  for (const line of text.split(/\r?\n/)) {
    const m = /^--\s*(.*?)\s*$/.exec(line);
    if (m) {
      cur = [];
      sections.set(m[1], cur);
    } else if (cur) {
      cur.push(line);
    }
  }
  const body = (name: string): string | undefined => sections.get(name)?.join('\n');
  const hexBytes = (s: string): Uint8Array => {
    const tokens = s
      .split('\n')
      .map((l) => l.replace(/#.*$/, ''))
      .join(' ')
      .split(/\s+/)
      .filter((t) => t !== '');
    const out = new Uint8Array(tokens.length);
    tokens.forEach((t, k) => {
      if (!/^[0-9a-fA-F]{1,2}$/.test(t)) throw new UsageError(`conformance: bad hex byte ${JSON.stringify(t)}`);
      out[k] = parseInt(t, 16);
    });
    return out;
  };
  const c: ConformanceCase = { mem: new Uint8Array(0) };
  const asm = body('asm');
  if (asm !== undefined) c.asm = asm;
  const raw = body('raw');
  if (raw !== undefined) {
    // Either 16 hex digits per instruction word (little-endian 64-bit words) or spaced bytes.
    const words = raw.split(/\s+/).filter((t) => t !== '');
    if (words.every((w) => /^(0x)?[0-9a-fA-F]{16}$/.test(w))) {
      const out = new Uint8Array(words.length * 8);
      const dv = new DataView(out.buffer);
      words.forEach((w, k) => dv.setBigUint64(k * 8, BigInt(w.startsWith('0x') ? w : `0x${w}`), true));
      c.raw = out;
    } else {
      c.raw = hexBytes(raw);
    }
  }
  const mem = body('mem');
  if (mem !== undefined) c.mem = hexBytes(mem);
  const result = body('result');
  if (result !== undefined && result.trim() !== '') c.result = BigInt.asUintN(64, BigInt(result.trim().split(/\s+/)[0]));
  const error = body('error');
  if (error !== undefined) c.error = error.trim();
  return c;
}

/** A one-instruction program `exit`: the unwind helper tail-calls it to end the run. */
const EXIT_ONLY: LinkedProgram = {
  name: 'unwind-exit',
  helpers: [],
  code: decode(new Uint8Array([0x95, 0, 0, 0, 0, 0, 0, 0])),
};

const arg = (call: HelperCall, n: number): bigint =>
  (BigInt(call.regs.hi[n] >>> 0) << 32n) | BigInt(call.regs.lo[n] >>> 0);

function setR0(call: HelperCall, v: bigint): void {
  const u = BigInt.asUintN(64, v);
  call.regs.lo[0] = Number(u & 0xffffffffn) | 0;
  call.regs.hi[0] = Number(u >> 32n) | 0;
}

/** The helpers of the bpf_conformance reference plugin, by id. */
export const CONFORMANCE_HELPERS: ReadonlyArray<HelperFn> = [
  // 0 gather_bytes(a, b, c, d, e): the low bytes of r1..r5 packed big-endian.
  (call) => {
    let v = 0n;
    for (let n = 1; n <= 5; n++) v = (v << 8n) | BigInt(call.regs.lo[n] & 0xff);
    setR0(call, v);
  },
  // 1 memfrob(p, len): xor each byte with 42.
  (call) => {
    const len = call.regs.lo[2] >>> 0;
    const bytes = call.mem.slice(call.regs.hi[1], call.regs.lo[1], len, true);
    if (bytes === undefined) throw new BpfError('E_HELPER_FAULT', 'memfrob: bad pointer');
    for (let k = 0; k < bytes.length; k++) bytes[k] ^= 42;
    setR0(call, 0n);
  },
  // 2 no_op
  (call) => setR0(call, 0n),
  // 3 sqrti(a): integer square root.
  (call) => setR0(call, BigInt(Math.floor(Math.sqrt(Number(arg(call, 1)))))),
  // 4 strcmp_ext(a, b)
  (call) => {
    const readStr = (n: number): number[] => {
      const out: number[] = [];
      for (let k = 0; ; k++) {
        const b = call.mem.slice(call.regs.hi[n], (call.regs.lo[n] + k) | 0, 1);
        if (b === undefined) throw new BpfError('E_HELPER_FAULT', 'strcmp_ext: bad pointer');
        if (b[0] === 0) return out;
        out.push(b[0]);
      }
    };
    const a = readStr(1);
    const b = readStr(2);
    let r = 0;
    for (let k = 0; r === 0 && k <= Math.max(a.length, b.length); k++) r = (a[k] ?? 0) - (b[k] ?? 0);
    setR0(call, BigInt(r));
  },
  // 5 unwind(a): returns a; a zero result stops the program with r0 = 0 (uBPF unwind index).
  (call) => {
    call.regs.lo[0] = call.regs.lo[1];
    call.regs.hi[0] = call.regs.hi[1];
    if ((call.regs.lo[1] | call.regs.hi[1]) === 0) call.tailCall = EXIT_ONLY;
  },
];

/** Result of one conformance program run: r0, or an error message. */
export type CaseOutcome = { ok: true; r0: bigint } | { ok: false; error: string };

/** Run program bytes on a copy of `memBytes` the way the conformance plugin does. */
export function runConformanceProgram(bytes: Uint8Array, memBytes: Uint8Array, engine: Engine = 'interp'): CaseOutcome {
  try {
    const prog = link(decode(bytes), { name: 'conformance', helpers: CONFORMANCE_HELPERS });
    const mem = new Memory();
    const args: [number, number][] = [];
    if (memBytes.length > 0) {
      const region = mem.alloc('mem', memBytes.slice(), { label: 'mem' });
      args.push([Memory.lo(0), region.hi], [memBytes.length, 0]);
    } else {
      args.push([0, 0], [0, 0]);
    }
    const r = runProgram(prog, mem, { args }, engine);
    if (r.fault) return { ok: false, error: r.fault.message };
    return { ok: true, r0: r.r0 };
  } catch (e) {
    if (e instanceof BpfError) return { ok: false, error: e.message };
    throw e;
  }
}

/** Default case directory: test/data/conformance under the package root. */
export const defaultConformanceDir = (): string => join(packageRoot(), 'test', 'data', 'conformance');

/** Check one case; returns undefined on success or the failure reason. */
export function checkCase(c: ConformanceCase, engine: Engine): string | undefined {
  let bytes: Uint8Array;
  try {
    if (c.raw !== undefined) bytes = c.raw;
    else if (c.asm !== undefined) bytes = assemble(c.asm);
    else return 'no -- asm or -- raw section';
  } catch (e) {
    if (!(e instanceof BpfError)) throw e;
    return c.error !== undefined ? undefined : e.message;
  }
  const out = runConformanceProgram(bytes, c.mem, engine);
  if (c.error !== undefined) return out.ok ? `expected an error (${c.error}), got r0 = 0x${out.r0.toString(16)}` : undefined;
  if (!out.ok) return out.error;
  if (c.result === undefined) return 'no -- result section';
  if (out.r0 !== c.result) return `r0 = 0x${out.r0.toString(16)}, expected 0x${c.result.toString(16)}`;
  return undefined;
}

function parseEngine(v: string): Engine {
  if (!(ENGINES as readonly string[]).includes(v)) throw new UsageError(`conformance: unknown engine ${JSON.stringify(v)} (interp or jit)`);
  return v as Engine;
}

/** `tcxlab conformance`: the command's action (its arguments and options are defined in src/cli/program.ts). */
export function action(io: CliIo, dir: string | undefined, o: { engine: string }): void {
  const engine = parseEngine(o.engine);
  const root = resolve(dir ?? defaultConformanceDir());
  let files: string[];
  try {
    files = readdirSync(root)
      .filter((f) => f.endsWith('.data'))
      .sort();
  } catch (e) {
    throw new UsageError(`conformance: cannot read ${root}: ${(e as Error).message}`);
  }
  let passed = 0;
  for (const f of files) {
    let reason: string | undefined;
    try {
      reason = checkCase(parseDataFile(new TextDecoder().decode(io.readFile(join(root, f)))), engine);
    } catch (e) {
      if (!(e instanceof BpfError)) throw e;
      reason = e.message;
    }
    if (reason === undefined) {
      passed++;
      io.out(`PASS: ${f}\n`);
    } else {
      io.out(`FAIL: ${f} (${reason})\n`);
    }
  }
  io.out(`Passed ${passed} out of ${files.length} tests.\n`);
  if (passed !== files.length || files.length === 0) io.exitCode = 1;
}
