/**
 * @fileoverview Two printers over a DecodedProgram: the kernel/bpftool text (`disassemble`), and
 * the bpf_conformance assembly syntax that `assemble` reads back (`formatConformance`).
 *
 * The kernel form is the one `kernel/bpf/disasm.c` (`print_bpf_insn`) writes into verifier logs
 * and bpftool prints for `prog dump xlated`, e.g.
 *
 *     0: (bf) r6 = r1
 *     1: (61) r1 = *(u32 *)(r6 +76)
 *     2: (2d) if r1 > r8 goto pc+24
 *     3: (85) call bpf_map_lookup_elem#1
 *     4: (18) r0 = 0x1122334455667788
 *
 * Our golden test compares it line by line with the 6.18 kernel's own listing (the verifier's
 * "Live regs before insn" dump at log level 2), see test/goldens/text/.
 * Where the kernel has no text we choose one, marked "(ours)" below.
 */
import { assemble } from './asm.js';
import { helperName } from './helpers.js';
import {
  AluOp,
  AtomicOp,
  CallSrc,
  Class,
  JmpOp,
  Mode,
  Op,
  PseudoSrc,
  Size,
  Source,
  opClass,
  opCode,
  opMode,
  opSize,
  opSource,
} from './isa.js';
import { decode, type DecodedProgram } from './program.js';

/** A source line attached to an instruction (from `.BTF.ext` line info). */
export interface SourceLine {
  file: string;
  line: number;
  text: string;
}

/** Options of the kernel-style printer. */
export interface DisasmOptions {
  /** Helper id → name for `call name#id`; default: the kernel's names (vm/helpers.ts). */
  helperName?: (id: number) => string | undefined;
  /** kfunc (call src 2) id → name for `call name#id`, as the kernel prints it from BTF; default `kernel-function`. */
  kfuncName?: (id: number) => string | undefined;
  /**
   * Text of a pseudo LD_IMM64 (src 1..6) operand. Default: bpftool's forms `map[id:N]`,
   * `map[id:N][0]+OFF`, `subprog[+N]`, and (ours) `map[idx:N]`, `map[idx:N]+OFF`, `btf_id[N]`.
   */
  ldImm64?: (src: number, imm: number, nextImm: number, insnIndex: number) => string | undefined;
  /** Source line of an instruction, printed as `; text (file:line)` before it when it changes. */
  lineInfo?: (insnIndex: number) => SourceLine | undefined;
  /** Prefix each line with `%4d: ` (default true). */
  indexes?: boolean;
  /** Prefix each instruction with `(%02x) ` as the kernel does (default true). */
  opcodes?: boolean;
}

const LDST = ['u32', 'u16', 'u8', 'u64'] as const;
const LDSX = ['s32', 's16', 's8', '?'] as const;
const sizeName = (op: number): string => LDST[opSize(op) >> 3];

const ALU_STR: Record<number, string> = {
  [AluOp.ADD]: '+=',
  [AluOp.SUB]: '-=',
  [AluOp.MUL]: '*=',
  [AluOp.DIV]: '/=',
  [AluOp.OR]: '|=',
  [AluOp.AND]: '&=',
  [AluOp.LSH]: '<<=',
  [AluOp.RSH]: '>>=',
  [AluOp.MOD]: '%=',
  [AluOp.XOR]: '^=',
  [AluOp.MOV]: '=',
  [AluOp.ARSH]: 's>>=',
};

const JMP_STR: Record<number, string> = {
  [JmpOp.JEQ]: '==',
  [JmpOp.JGT]: '>',
  [JmpOp.JGE]: '>=',
  [JmpOp.JSET]: '&',
  [JmpOp.JNE]: '!=',
  [JmpOp.JSGT]: 's>',
  [JmpOp.JSGE]: 's>=',
  [JmpOp.JLT]: '<',
  [JmpOp.JLE]: '<=',
  [JmpOp.JSLT]: 's<',
  [JmpOp.JSLE]: 's<=',
};

const ATOMIC_ALU: Record<number, string> = {
  [AtomicOp.ADD]: 'add',
  [AtomicOp.OR]: 'or',
  [AtomicOp.AND]: 'and',
  [AtomicOp.XOR]: 'xor',
};

/** `%+d` */
const signed = (n: number): string => (n < 0 ? `${n}` : `+${n}`);
const hex32 = (n: number): string => `0x${(n >>> 0).toString(16)}`;
const u64 = (lo: number, hi: number): bigint => (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0);

function defaultLdImm64(src: number, imm: number, nextImm: number): string | undefined {
  switch (src) {
    case PseudoSrc.BPF_PSEUDO_MAP_FD:
      return `map[id:${imm >>> 0}]`;
    case PseudoSrc.BPF_PSEUDO_MAP_VALUE:
      return `map[id:${imm >>> 0}][0]+${nextImm >>> 0}`;
    case PseudoSrc.BPF_PSEUDO_FUNC:
      return `subprog[${signed(imm)}]`;
    case PseudoSrc.BPF_PSEUDO_MAP_IDX:
      return `map[idx:${imm >>> 0}]`;
    case PseudoSrc.BPF_PSEUDO_MAP_IDX_VALUE:
      return `map[idx:${imm >>> 0}]+${nextImm >>> 0}`;
    case PseudoSrc.BPF_PSEUDO_BTF_ID:
      return `btf_id[${imm >>> 0}]`;
    default:
      return undefined;
  }
}

/**
 * The kernel text of the instruction at `pc`, without index or opcode prefix
 * (`r1 = *(u32 *)(r6 +76)`). `pc` must not be the second slot of an LD_IMM64.
 */
export function formatInsn(code: DecodedProgram, pc: number, opts: DisasmOptions = {}): string {
  const op = code.op[pc];
  const dst = code.dst[pc];
  const src = code.src[pc];
  const off = code.off[pc];
  const imm = code.imm[pc];
  const cls = opClass(op);

  switch (cls) {
    case Class.ALU:
    case Class.ALU64: {
      const r = cls === Class.ALU ? 'w' : 'r';
      const aop = opCode(op);
      if (aop === AluOp.END) {
        if (cls === Class.ALU64) return `r${dst} = bswap${imm} r${dst}`;
        return `r${dst} = ${opSource(op) === Source.X ? 'be' : 'le'}${imm} r${dst}`;
      }
      if (aop === AluOp.NEG) return `${r}${dst} = -${r}${dst}`;
      const sdiv = (aop === AluOp.DIV || aop === AluOp.MOD) && off === 1;
      const opstr = sdiv ? (aop === AluOp.DIV ? 's/=' : 's%=') : (ALU_STR[aop] ?? '?');
      if (opSource(op) === Source.X) {
        const movsx = aop === AluOp.MOV && (off === 8 || off === 16 || off === 32) ? `(s${off})` : '';
        return `${r}${dst} ${opstr} ${movsx}${r}${src}`;
      }
      return `${r}${dst} ${opstr} ${imm}`;
    }
    case Class.STX: {
      const mode = opMode(op);
      const sz = sizeName(op);
      if (mode === Mode.MEM) return `*(${sz} *)(r${dst} ${signed(off)}) = r${src}`;
      if (mode === Mode.ATOMIC) {
        const a64 = opSize(op) === Size.DW ? '64' : '';
        const base = imm & ~AtomicOp.FETCH;
        if (ATOMIC_ALU[imm] !== undefined) return `lock *(${sz} *)(r${dst} ${signed(off)}) ${ALU_STR[imm]} r${src}`;
        if ((imm & AtomicOp.FETCH) && ATOMIC_ALU[base] !== undefined)
          return `r${src} = atomic${a64}_fetch_${ATOMIC_ALU[base]}((${sz} *)(r${dst} ${signed(off)}), r${src})`;
        if (imm === AtomicOp.CMPXCHG) return `r0 = atomic${a64}_cmpxchg((${sz} *)(r${dst} ${signed(off)}), r0, r${src})`;
        if (imm === AtomicOp.XCHG) return `r${src} = atomic${a64}_xchg((${sz} *)(r${dst} ${signed(off)}), r${src})`;
        if (imm === AtomicOp.LOAD_ACQ) return `r${dst} = load_acquire((${sz} *)(r${src} ${signed(off)}))`;
        if (imm === AtomicOp.STORE_REL) return `store_release((${sz} *)(r${dst} ${signed(off)}), r${src})`;
      }
      return `BUG_${hex2(op)}`;
    }
    case Class.ST:
      if (opMode(op) === Mode.MEM) return `*(${sizeName(op)} *)(r${dst} ${signed(off)}) = ${imm}`;
      return `BUG_st_${hex2(op)}`;
    case Class.LDX: {
      const mode = opMode(op);
      if (mode === Mode.MEM) return `r${dst} = *(${sizeName(op)} *)(r${src} ${signed(off)})`;
      if (mode === Mode.MEMSX) return `r${dst} = *(${LDSX[opSize(op) >> 3]} *)(r${src} ${signed(off)})`;
      return `BUG_ldx_${hex2(op)}`;
    }
    case Class.LD: {
      const mode = opMode(op);
      if (mode === Mode.ABS) return `r0 = *(${sizeName(op)} *)skb[${imm}]`;
      if (mode === Mode.IND) return `r0 = *(${sizeName(op)} *)skb[r${src} + ${imm}]`;
      if (op === Op.LDDW) {
        const next = pc + 1 < code.length ? code.imm[pc + 1] : 0;
        if (src !== PseudoSrc.IMM) {
          const text = (opts.ldImm64 ?? defaultLdImm64)(src, imm, next, pc) ?? defaultLdImm64(src, imm, next);
          if (text !== undefined) return `r${dst} = ${text}`;
        }
        return `r${dst} = 0x${u64(imm, next).toString(16)}`;
      }
      return `BUG_ld_${hex2(op)}`;
    }
    default: {
      // JMP, JMP32
      const jop = opCode(op);
      const r = cls === Class.JMP32 ? 'w' : 'r';
      if (jop === JmpOp.CALL) {
        if (opSource(op) === Source.X) return `callx r${dst}`; // (ours) no kernel text: the kernel rejects callx
        if (src === CallSrc.BPF_PSEUDO_CALL) return `call pc${signed(imm)}`;
        if (src === CallSrc.BPF_PSEUDO_KFUNC_CALL) return `call ${opts.kfuncName?.(imm) ?? 'kernel-function'}#${imm}`;
        const name = (opts.helperName ?? helperName)(imm) ?? 'unknown';
        return `call ${name}#${imm}`;
      }
      if (op === Op.JA) return `goto pc${signed(off)}`;
      if (op === Op.JA32) return `gotol pc${signed(imm)}`;
      if (op === Op.EXIT) return 'exit';
      if (op === Op.JCOND) return `may_goto pc${signed(off)}`;
      const cmp = JMP_STR[jop];
      if (cmp === undefined) return `BUG_jmp_${hex2(op)}`;
      if (opSource(op) === Source.X) return `if ${r}${dst} ${cmp} ${r}${src} goto pc${signed(off)}`;
      return `if ${r}${dst} ${cmp} ${hex32(imm)} goto pc${signed(off)}`;
    }
  }
}

const hex2 = (n: number): string => n.toString(16).padStart(2, '0');

/** One printed instruction. */
export interface DisasmInsn {
  index: number;
  opcode: number;
  text: string;
  source?: SourceLine;
}

/** The instructions of a program in kernel text, one entry per instruction (lddw's second slot skipped). */
export function disassembleInsns(code: DecodedProgram | Uint8Array, opts: DisasmOptions = {}): DisasmInsn[] {
  const p = code instanceof Uint8Array ? decode(code) : code;
  const out: DisasmInsn[] = [];
  for (let pc = 0; pc < p.length; pc++) {
    out.push({ index: pc, opcode: p.op[pc], text: formatInsn(p, pc, opts), source: opts.lineInfo?.(pc) });
    if (p.op[pc] === Op.LDDW) pc++;
  }
  return out;
}

/**
 * Kernel/bpftool-style listing: lines `%4d: (%02x) text`, with `; source (file:line)` lines
 * interleaved when `lineInfo` is given (printed when the source line changes, like
 * `bpftool prog dump xlated` and `llvm-objdump -S`).
 */
export function disassemble(code: DecodedProgram | Uint8Array, opts: DisasmOptions = {}): string[] {
  const lines: string[] = [];
  let last: SourceLine | undefined;
  for (const insn of disassembleInsns(code, opts)) {
    const s = insn.source;
    if (s && (!last || s.file !== last.file || s.line !== last.line)) lines.push(`; ${s.text.trim()} (${s.file}:${s.line})`);
    if (s) last = s;
    let line = opts.opcodes === false ? insn.text : `(${hex2(insn.opcode)}) ${insn.text}`;
    if (opts.indexes !== false) line = `${String(insn.index).padStart(4)}: ${line}`;
    lines.push(line);
  }
  return lines;
}

// ---------------------------------------------------------------------------------------------
// bpf_conformance syntax

const ALU_MN: Record<number, string> = {
  [AluOp.ADD]: 'add',
  [AluOp.SUB]: 'sub',
  [AluOp.MUL]: 'mul',
  [AluOp.DIV]: 'div',
  [AluOp.OR]: 'or',
  [AluOp.AND]: 'and',
  [AluOp.LSH]: 'lsh',
  [AluOp.RSH]: 'rsh',
  [AluOp.NEG]: 'neg',
  [AluOp.MOD]: 'mod',
  [AluOp.XOR]: 'xor',
  [AluOp.MOV]: 'mov',
  [AluOp.ARSH]: 'arsh',
};
const JMP_MN: Record<number, string> = {
  [JmpOp.JEQ]: 'jeq',
  [JmpOp.JGT]: 'jgt',
  [JmpOp.JGE]: 'jge',
  [JmpOp.JSET]: 'jset',
  [JmpOp.JNE]: 'jne',
  [JmpOp.JSGT]: 'jsgt',
  [JmpOp.JSGE]: 'jsge',
  [JmpOp.JLT]: 'jlt',
  [JmpOp.JLE]: 'jle',
  [JmpOp.JSLT]: 'jslt',
  [JmpOp.JSLE]: 'jsle',
};
const SZ_MN = ['w', 'h', 'b', 'dw'] as const;
const ATOMIC_MN: Record<number, string> = {
  [AtomicOp.ADD]: 'add',
  [AtomicOp.OR]: 'or',
  [AtomicOp.AND]: 'and',
  [AtomicOp.XOR]: 'xor',
  [AtomicOp.ADD | AtomicOp.FETCH]: 'fetch add',
  [AtomicOp.OR | AtomicOp.FETCH]: 'fetch or',
  [AtomicOp.AND | AtomicOp.FETCH]: 'fetch and',
  [AtomicOp.XOR | AtomicOp.FETCH]: 'fetch xor',
  [AtomicOp.XCHG]: 'xchg',
  [AtomicOp.CMPXCHG]: 'cmpxchg',
};

const memOp = (reg: number, off: number): string => `[%r${reg}${off < 0 ? off : `+${off}`}]`;

/** Best-effort mnemonic text of one slot (may not encode back exactly; the caller checks). */
function conformanceText(p: DecodedProgram, pc: number): string | undefined {
  const op = p.op[pc];
  const dst = p.dst[pc];
  const src = p.src[pc];
  const off = p.off[pc];
  const imm = p.imm[pc];
  const cls = opClass(op);
  const x = opSource(op) === Source.X;
  switch (cls) {
    case Class.ALU:
    case Class.ALU64: {
      const w = cls === Class.ALU ? '32' : '';
      const aop = opCode(op);
      if (aop === AluOp.END) {
        const kind = cls === Class.ALU64 ? 'bswap' : x ? 'be' : 'le';
        return `${kind}${imm} %r${dst}`;
      }
      if (aop === AluOp.MOV && x && off !== 0) return `movsx${off}${cls === Class.ALU ? '32' : '64'} %r${dst}, %r${src}`;
      const mn = ALU_MN[aop];
      if (mn === undefined) return undefined;
      const s = (aop === AluOp.DIV || aop === AluOp.MOD) && off === 1 ? 's' : '';
      if (aop === AluOp.NEG) return `neg${w} %r${dst}`;
      return `${s}${mn}${w} %r${dst}, ${x ? `%r${src}` : imm}`;
    }
    case Class.JMP:
    case Class.JMP32: {
      const jop = opCode(op);
      if (op === Op.EXIT) return 'exit';
      if (op === Op.JA) return `ja ${signed(off)}`;
      if (op === Op.JA32) return `ja32 ${signed(imm)}`;
      if (op === Op.JCOND) return `may_goto ${signed(off)}`;
      if (op === Op.CALLX) return `callx %r${dst}`;
      if (op === Op.CALL) return src === CallSrc.BPF_PSEUDO_CALL ? `call local ${signed(imm)}` : `call ${imm}`;
      const mn = JMP_MN[jop];
      if (mn === undefined) return undefined;
      return `${mn}${cls === Class.JMP32 ? '32' : ''} %r${dst}, ${x ? `%r${src}` : imm}, ${signed(off)}`;
    }
    case Class.LDX: {
      const sx = opMode(op) === Mode.MEMSX ? 's' : '';
      return `ldx${sx}${SZ_MN[opSize(op) >> 3]} %r${dst}, ${memOp(src, off)}`;
    }
    case Class.ST:
      return `st${SZ_MN[opSize(op) >> 3]} ${memOp(dst, off)}, ${imm}`;
    case Class.STX: {
      const sz = SZ_MN[opSize(op) >> 3];
      if (opMode(op) === Mode.MEM) return `stx${sz} ${memOp(dst, off)}, %r${src}`;
      if (imm === AtomicOp.LOAD_ACQ) return `load_acq${sz} %r${dst}, ${memOp(src, off)}`;
      if (imm === AtomicOp.STORE_REL) return `store_rel${sz} ${memOp(dst, off)}, %r${src}`;
      const a = ATOMIC_MN[imm];
      if (a === undefined) return undefined;
      return `lock ${a}${opSize(op) === Size.W ? '32' : ''} ${memOp(dst, off)}, %r${src}`;
    }
    default: {
      // LD
      const mode = opMode(op);
      const sz = SZ_MN[opSize(op) >> 3];
      if (mode === Mode.ABS) return `ldabs${sz} ${imm}`;
      if (mode === Mode.IND) return `ldind${sz} %r${src}, ${imm}`;
      return undefined;
    }
  }
}

function slotHex(p: DecodedProgram, pc: number): string {
  const b = new Uint8Array(8);
  const dv = new DataView(b.buffer);
  b[0] = p.op[pc];
  b[1] = (p.dst[pc] & 0x0f) | ((p.src[pc] & 0x0f) << 4);
  dv.setInt16(2, p.off[pc], true);
  dv.setInt32(4, p.imm[pc], true);
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
}

/**
 * The program in bpf_conformance syntax, one instruction per line, with numeric jump offsets.
 * `assemble(formatConformance(p))` gives back exactly the bytes of `p`: any slot whose mnemonic
 * form would not re-encode to the same bytes (pseudo lddw, non-zero unused fields, unknown
 * opcodes) is written as `raw 0x<slot bytes>`.
 */
export function formatConformance(code: DecodedProgram | Uint8Array): string {
  const p = code instanceof Uint8Array ? decode(code) : code;
  const lines: string[] = [];
  for (let pc = 0; pc < p.length; pc++) {
    if (p.op[pc] === Op.LDDW && pc + 1 < p.length) {
      const plain = p.src[pc] === PseudoSrc.IMM && p.off[pc] === 0 && p.op[pc + 1] === 0 && p.dst[pc + 1] === 0 && p.src[pc + 1] === 0 && p.off[pc + 1] === 0;
      if (plain) {
        lines.push(`lddw %r${p.dst[pc]}, 0x${u64(p.imm[pc], p.imm[pc + 1]).toString(16)}`);
      } else {
        lines.push(`raw 0x${slotHex(p, pc)}`, `raw 0x${slotHex(p, pc + 1)}`);
      }
      pc++;
      continue;
    }
    const text = conformanceText(p, pc);
    const hex = slotHex(p, pc);
    lines.push(text !== undefined && encodesTo(text, hex) ? text : `raw 0x${hex}`);
  }
  return lines.join('\n') + (lines.length ? '\n' : '');
}

function encodesTo(text: string, hex: string): boolean {
  try {
    const b = assemble(text);
    return b.length === 8 && Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('') === hex;
  } catch {
    return false;
  }
}
