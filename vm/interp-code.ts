/**
 * @fileoverview What the interpreter prepares once per program (as the JIT compiles once per
 * program, and the kernel rewrites a program once at load): its instructions packed into one
 * array and its ctx rewrite rules.
 * A run reads them from this record instead of looking each up per run.
 *
 * Packing: two int32 words per instruction, `op | dst << 8 | src << 12 | off << 16` and `imm`,
 * so the dispatch loop makes one typed-array read where it made five (op, dst, src, off, imm in
 * arrays of their own), each of which V8 compiled with its own map, length and bounds checks.
 * The register fields are the encoding's 4-bit fields (decode masks them; encode would too).
 * Two zero words follow the last instruction: op 0 is no opcode, so running off the end lands
 * in the loop's default case, which reports it (no per-instruction end test).
 */
import { Class, Mode, accessBytes, opClass, opMode } from './isa.js';
import type { CtxLoad, CtxRewrite, CtxStore } from './memory.js';
import { indexLookupOf, writesNoArgs, type HelperFn, type IndexLookup, type LinkedProgram } from './program.js';

/** A program's rewritten ctx accesses by instruction index (undefined: the generic path). */
export interface CtxRules {
  readonly loads: ReadonlyArray<CtxLoad | undefined>;
  readonly stores: ReadonlyArray<CtxStore | undefined>;
}
export const NO_CTX_RULES: CtxRules = { loads: [], stores: [] };

/** Word layout (see the file comment). */
export const W_DST_SHIFT = 8;
export const W_SRC_SHIFT = 12;
export const W_OFF_SHIFT = 16;

/** Pack one instruction's op, register fields and offset into its first word. */
export function packWord(op: number, dst: number, src: number, off: number): number {
  return (op & 0xff) | ((dst & 0xf) << W_DST_SHIFT) | ((src & 0xf) << W_SRC_SHIFT) | (off << W_OFF_SHIFT);
}

export class InterpCode {
  /** Two words per instruction and two zero words after the last (see the file comment). */
  readonly words: Int32Array;
  private rules: CtxRules | undefined = undefined;
  /**
   * By call instruction: the helper (or kfunc) last called there, whether it is marked
   * readsArgsOnly (1) and its direct lookup form (program.ts IndexLookup), found once per call
   * site and helper by `site` instead of two WeakSet/WeakMap lookups per call. Kept per site,
   * not per program, since CALLX and a helper table changed after linking can call another
   * helper from the same instruction: the loop compares the helper with siteFn first.
   */
  readonly siteFn: (HelperFn | undefined)[];
  readonly siteRo: Uint8Array;
  readonly siteDirect: (IndexLookup | undefined)[];
  constructor(readonly prog: LinkedProgram) {
    const c = prog.code;
    this.siteFn = new Array<HelperFn | undefined>(c.length).fill(undefined);
    this.siteRo = new Uint8Array(c.length);
    this.siteDirect = new Array<IndexLookup | undefined>(c.length).fill(undefined);
    const w = new Int32Array(2 * c.length + 2);
    for (let i = 0; i < c.length; i++) {
      w[2 * i] = packWord(c.op[i], c.dst[i], c.src[i], c.off[i]);
      w[2 * i + 1] = c.imm[i];
    }
    this.words = w;
  }

  /** Record `fn` as the helper called at instruction `i` (see siteFn). */
  site(i: number, fn: HelperFn): void {
    this.siteFn[i] = fn;
    this.siteRo[i] = writesNoArgs(fn) ? 1 : 0;
    this.siteDirect[i] = indexLookupOf(fn);
  }

  /**
   * The rules of the program's constant-offset ctx loads and stores (memory.ts CtxRewrite),
   * chosen once per instruction as the JIT does at compile time (the same accesses:
   * non-sign-extending LDX, ST/STX not through r10); none unless the run's ctx implements the
   * table the program was linked with (`table`: the run's, undefined without one).
   */
  ctxRules(table: CtxRewrite | undefined): CtxRules {
    const t = this.prog.ctx;
    if (t === undefined || table !== t) return NO_CTX_RULES;
    return (this.rules ??= rulesOf(this.prog, t));
  }
}

function rulesOf(prog: LinkedProgram, t: CtxRewrite): CtxRules {
  const c = prog.code;
  const loads: (CtxLoad | undefined)[] = new Array<CtxLoad | undefined>(c.length).fill(undefined);
  const stores: (CtxStore | undefined)[] = new Array<CtxStore | undefined>(c.length).fill(undefined);
  for (let i = 0; i < c.length; i++) {
    const op = c.op[i];
    const cls = opClass(op);
    if (opMode(op) !== Mode.MEM) continue;
    if (cls === Class.LDX) loads[i] = t.load(c.off[i], accessBytes(op));
    else if ((cls === Class.ST || cls === Class.STX) && c.dst[i] !== 10) stores[i] = t.store(c.off[i], accessBytes(op));
  }
  return { loads, stores };
}

const cache = new WeakMap<LinkedProgram, InterpCode>();

/** The InterpCode of `prog`, made on first use. */
export function interpCode(prog: LinkedProgram): InterpCode {
  let u = cache.get(prog);
  if (u === undefined) cache.set(prog, (u = new InterpCode(prog)));
  return u;
}
