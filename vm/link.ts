/**
 * @fileoverview Linking: turn a DecodedProgram into a LinkedProgram that both engines run.
 *
 * The only rewrite is the one the kernel's verifier does in `resolve_pseudo_ldimm64`: every
 * LD_IMM64 whose src names a pseudo value (map fd, map value, BTF id, function, map index...)
 * is resolved once, through the caller's resolver, into a plain 64-bit immediate (src 0).
 * BPF_PSEUDO_FUNC (src 4) needs nothing external: without a resolver it becomes the function
 * pointer CODE_HI : (pc + 1 + imm), the form HelperCall.callback takes. The input is never
 * mutated: the code arrays are copied.
 */
import { ErrorCode, VmFault } from './errors.js';
import { Op, PseudoSrc } from './isa.js';
import type { CtxRewrite } from './memory.js';
import { CODE_HI, type DecodedProgram, type HelperFn, type HelperTable, type LdImm64Resolver, type LinkedProgram } from './program.js';

/** What `link` needs besides the code. */
export interface LinkOptions {
  /** Program name (traces and faults; never reaches generated code). */
  name: string;
  helpers: HelperTable;
  /** kfunc implementations by BTF id (call src = 2). */
  kfuncs?: ReadonlyMap<number, HelperFn>;
  /** Resolves pseudo LD_IMM64 (src 1..6); required when the program has any. */
  resolveLdImm64?: LdImm64Resolver;
  /** The program type's ctx rewrite table (LinkedProgram.ctx), if it has one. */
  ctx?: CtxRewrite;
  /** First instruction of the exception callback (LinkedProgram.exceptionCb). */
  exceptionCb?: number;
}

/** Copy of a decoded program (fresh typed arrays). */
function copyCode(code: DecodedProgram): DecodedProgram {
  return {
    length: code.length,
    op: code.op.slice(),
    dst: code.dst.slice(),
    src: code.src.slice(),
    off: code.off.slice(),
    imm: code.imm.slice(),
  };
}

/**
 * Link a decoded program: resolve every pseudo LD_IMM64 once and attach the helper and kfunc
 * tables. Throws a VmFault (E_BAD_LDIMM64) for an LD_IMM64 with a pseudo src and no resolver,
 * an unknown src, or a missing second slot.
 */
export function link(code: DecodedProgram, opts: LinkOptions): LinkedProgram {
  const out = copyCode(code);
  let pointers: Uint8Array | undefined;
  for (let i = 0; i < out.length; i++) {
    if (out.op[i] !== Op.LDDW) continue;
    if (i + 1 >= out.length) {
      throw new VmFault(ErrorCode.BadLdImm64, 'lddw is missing its second slot', i, Op.LDDW);
    }
    const src = out.src[i];
    if (src !== PseudoSrc.IMM) {
      if (src > PseudoSrc.BPF_PSEUDO_MAP_IDX_VALUE) {
        throw new VmFault(ErrorCode.BadLdImm64, `lddw with unknown src ${src}`, i, Op.LDDW);
      }
      if (src === PseudoSrc.BPF_PSEUDO_FUNC && opts.resolveLdImm64 === undefined) {
        // A subprogram address needs nothing from outside: CODE_HI : (pc + 1 + imm).
        const target = i + 1 + out.imm[i];
        if (target < 0 || target >= out.length) {
          throw new VmFault(ErrorCode.BadLdImm64, `lddw function pointer to insn ${target} is outside the program`, i, Op.LDDW);
        }
        out.src[i] = PseudoSrc.IMM;
        out.imm[i] = target;
        out.imm[i + 1] = CODE_HI;
        i++;
        continue;
      }
      if (opts.resolveLdImm64 === undefined) {
        throw new VmFault(ErrorCode.BadLdImm64, `lddw with pseudo src ${src} and no resolver`, i, Op.LDDW);
      }
      const [lo, hi] = opts.resolveLdImm64(src, out.imm[i], out.imm[i + 1], i);
      // A resolved map, map value or kernel symbol is a pointer: the engines tag it on load.
      if (src !== PseudoSrc.BPF_PSEUDO_FUNC) (pointers ??= new Uint8Array(out.length))[i] = 1;
      out.src[i] = PseudoSrc.IMM;
      out.imm[i] = lo | 0;
      out.imm[i + 1] = hi | 0;
    }
    i++; // skip the second slot
  }
  const exceptionCb = opts.exceptionCb;
  if (exceptionCb !== undefined && !(exceptionCb > 0 && exceptionCb < out.length)) {
    throw new VmFault(ErrorCode.JumpOutOfRange, `exception callback at insn ${exceptionCb} is outside the program`, 0, out.op[0] ?? 0);
  }
  return { code: out, name: opts.name, helpers: opts.helpers, kfuncs: opts.kfuncs, pointers, ctx: opts.ctx, ...(exceptionCb !== undefined ? { exceptionCb } : {}) };
}
