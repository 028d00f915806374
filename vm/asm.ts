/**
 * @fileoverview The assembler for the bpf_conformance / uBPF text syntax (the `-- asm` sections of
 * the conformance `.data` files): `mov32 %r0, 0`, `ldxh %r0, [%r1+2]`, `jeq %r1, 3, +2`, ...
 *
 * Syntax, one instruction per line:
 *   - comments start with `#` (also `//` and `;`) and run to the end of the line;
 *   - a label is `name:` at the start of a line; an instruction may follow it;
 *   - registers are `%r0`..`%r10` (`r0`.. and `%fp`/`fp` for r10 are accepted too);
 *   - numbers are decimal or `0x` hex, with an optional sign;
 *   - memory operands are `[%rN]`, `[%rN+off]`, `[%rN-off]`;
 *   - jump targets are `+N`/`-N` (slots, relative to the next instruction) or a label. As in the
 *     conformance suite's files expect, the target `exit` names the program's first `exit`
 *     instruction when no label of that name exists (jeq-reg.data jumps backwards to it).
 *
 * Mnemonics (a `32` suffix selects the 32-bit ALU/JMP32 class, none or `64` the 64-bit one):
 *   ALU:   add sub mul div or and lsh rsh neg mod xor mov arsh; sdiv smod (off = 1);
 *          movsx{8,16}32 and movsx{8,16,32}64 (MOVSX, off = 8/16/32)
 *   END:   le16/32/64 (ALU|END|K), be16/32/64 (ALU|END|X), bswap16/32/64 = swap16/32/64 (ALU64|END)
 *   JMP:   ja, ja32 (= gotol; JMP32|JA with the offset in imm), jeq jgt jge jset jne jsgt jsge jlt
 *          jle jslt jsle (+ `32`), may_goto, call N | call NAME | call local TARGET | call %rN
 *          (= callx; uBPF puts the register in dst), exit
 *   LD:    lddw %rN, IMM64; ldabs{b,h,w,dw} IMM; ldind{b,h,w,dw} %rN, IMM
 *   LDX:   ldx{b,h,w,dw} %rD, [%rS+off]; ldxs{b,h,w} (MEMSX)
 *   ST:    st{b,h,w,dw} [%rD+off], IMM; stx{b,h,w,dw} [%rD+off], %rS
 *   ATOMIC: lock [fetch] {add,or,and,xor}[32] [%rD+off], %rS; lock {xchg,cmpxchg}[32] ...
 *          (xchg and cmpxchg always fetch); load_acq{b,h,w,dw} %rD, [%rS+off];
 *          store_rel{b,h,w,dw} [%rD+off], %rS
 *   raw:   `raw 0x<16 hex digits>` emits one 8-byte slot verbatim (bytes in file order, as in
 *          the conformance `-- raw` sections); the disassembler uses it for what has no mnemonic.
 */
import { AsmError } from './errors.js';
import { decode, type DecodedProgram } from './program.js';
import { helperId } from './helpers.js';
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
} from './isa.js';

/** One encoded slot before label resolution. */
interface Slot {
  op: number;
  dst: number;
  src: number;
  off: number;
  imm: number;
  line: number;
  /** Unresolved jump target (label) stored in `off` (or `imm` when `inImm`). */
  target?: { label: string; inImm: boolean };
  /** A raw slot given as 8 bytes. */
  raw?: Uint8Array;
}

/** ALU operation names → op field. */
const ALU_OPS: Record<string, number> = {
  add: AluOp.ADD,
  sub: AluOp.SUB,
  mul: AluOp.MUL,
  div: AluOp.DIV,
  or: AluOp.OR,
  and: AluOp.AND,
  lsh: AluOp.LSH,
  rsh: AluOp.RSH,
  neg: AluOp.NEG,
  mod: AluOp.MOD,
  xor: AluOp.XOR,
  mov: AluOp.MOV,
  arsh: AluOp.ARSH,
  sdiv: AluOp.DIV,
  smod: AluOp.MOD,
};

/** Conditional jump names → op field. */
const JMP_OPS: Record<string, number> = {
  jeq: JmpOp.JEQ,
  jgt: JmpOp.JGT,
  jge: JmpOp.JGE,
  jset: JmpOp.JSET,
  jne: JmpOp.JNE,
  jsgt: JmpOp.JSGT,
  jsge: JmpOp.JSGE,
  jlt: JmpOp.JLT,
  jle: JmpOp.JLE,
  jslt: JmpOp.JSLT,
  jsle: JmpOp.JSLE,
};

const SIZES: Record<string, number> = { b: Size.B, h: Size.H, w: Size.W, dw: Size.DW };

const ATOMIC_OPS: Record<string, number> = {
  add: AtomicOp.ADD,
  or: AtomicOp.OR,
  and: AtomicOp.AND,
  xor: AtomicOp.XOR,
  xchg: AtomicOp.XCHG,
  cmpxchg: AtomicOp.CMPXCHG,
};

const INT32_MIN = -0x8000_0000;
const UINT32_MAX = 0xffff_ffff;

/** Parser state for one line. */
class Line {
  constructor(
    readonly n: number,
    readonly ops: string[],
  ) {}

  fail(msg: string): never {
    throw new AsmError(msg, this.n);
  }

  count(k: number): void {
    if (this.ops.length !== k) this.fail(`expected ${k} operand${k === 1 ? '' : 's'}, got ${this.ops.length}`);
  }

  reg(i: number): number {
    const m = /^%?(?:r(\d+)|(fp))$/i.exec(this.ops[i] ?? '');
    if (!m) this.fail(`expected a register, got ${JSON.stringify(this.ops[i] ?? '')}`);
    if (m[2]) return 10;
    const r = Number(m[1]);
    if (r > 10) this.fail(`no register r${r}`);
    return r;
  }

  isReg(i: number): boolean {
    return /^%?(?:r\d+|fp)$/i.test(this.ops[i] ?? '');
  }

  /** An integer in [min, max]. */
  int(text: string, min: bigint, max: bigint, what: string): bigint {
    const v = parseInteger(text);
    if (v === undefined) this.fail(`expected ${what}, got ${JSON.stringify(text)}`);
    if (v < min || v > max) this.fail(`${what} ${text} out of range`);
    return v;
  }

  /** A 32-bit immediate: signed or unsigned 32-bit values, stored as int32. */
  imm32(i: number): number {
    return Number(BigInt.asIntN(32, this.int(this.ops[i] ?? '', BigInt(INT32_MIN), BigInt(UINT32_MAX), 'an immediate')));
  }

  /** A memory operand `[%rN+off]` → [reg, off]. */
  mem(i: number): [number, number] {
    const m = /^\[\s*(%?(?:r\d+|fp))\s*(?:([+-])\s*([0-9a-fx]+))?\s*\]$/i.exec(this.ops[i] ?? '');
    if (!m) this.fail(`expected a memory operand [%rN+off], got ${JSON.stringify(this.ops[i] ?? '')}`);
    const reg = new Line(this.n, [m[1]]).reg(0);
    let off = 0;
    if (m[2]) {
      const v = this.int(m[3], 0n, 0x8000n, 'an offset');
      off = Number(m[2] === '-' ? -v : v);
      if (off > 0x7fff) this.fail(`offset ${m[2]}${m[3]} out of range`);
    }
    return [reg, off];
  }
}

/** Parse a decimal or hex integer with an optional sign; undefined when it is not one. */
function parseInteger(text: string): bigint | undefined {
  const m = /^([+-]?)(0x[0-9a-f]+|\d+)$/i.exec(text.trim());
  if (!m) return undefined;
  const v = BigInt(m[2]);
  return m[1] === '-' ? -v : v;
}

/** Split operands on commas outside brackets. */
function splitOperands(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of text) {
    if (ch === '[') depth++;
    if (ch === ']') depth--;
    if (ch === ',' && depth === 0) {
      out.push(cur.trim());
      cur = '';
    } else cur += ch;
  }
  if (cur.trim() !== '') out.push(cur.trim());
  return out;
}

function stripComment(line: string): string {
  let end = line.length;
  for (const marker of ['#', '//', ';']) {
    const i = line.indexOf(marker);
    if (i >= 0 && i < end) end = i;
  }
  return line.slice(0, end).trim();
}

/** Encode one instruction line into one or two slots. */
function encodeLine(mnemonic: string, l: Line): Slot[] {
  const s = (op: number, dst = 0, src = 0, off = 0, imm = 0): Slot => ({ op, dst, src, off, imm, line: l.n });
  const m = mnemonic.toLowerCase();

  if (m === 'exit') {
    l.count(0);
    return [s(Op.EXIT)];
  }
  if (m === 'raw') {
    l.count(1);
    const hex = /^(?:0x)?([0-9a-f]{16})$/i.exec(l.ops[0]);
    if (!hex) l.fail('raw expects 16 hex digits');
    const bytes = new Uint8Array(8);
    for (let i = 0; i < 8; i++) bytes[i] = parseInt(hex[1].slice(i * 2, i * 2 + 2), 16);
    return [{ ...s(0), raw: bytes }];
  }
  if (m === 'lddw') {
    l.count(2);
    const dst = l.reg(0);
    const v = BigInt.asUintN(64, l.int(l.ops[1], -(1n << 63n), (1n << 64n) - 1n, 'a 64-bit immediate'));
    const lo = Number(BigInt.asIntN(32, v));
    const hi = Number(BigInt.asIntN(32, v >> 32n));
    return [s(Op.LDDW, dst, PseudoSrc.IMM, 0, lo), s(0, 0, 0, 0, hi)];
  }
  if (m === 'call') {
    if (l.ops.length === 1 && l.isReg(0)) return [s(Op.CALLX, l.reg(0))];
    // `call local TARGET` arrives as one operand "local TARGET"
    const local = /^local\s+(\S+)$/i.exec(l.ops[0] ?? '');
    l.count(1);
    if (local) {
      const slot = s(Op.CALL, 0, CallSrc.BPF_PSEUDO_CALL);
      return [target(l, slot, local[1], true)];
    }
    const n = parseInteger(l.ops[0]);
    if (n !== undefined) return [s(Op.CALL, 0, CallSrc.HELPER, 0, l.imm32(0))];
    const id = helperId(l.ops[0]);
    if (id === undefined) l.fail(`unknown helper ${JSON.stringify(l.ops[0])}`);
    return [s(Op.CALL, 0, CallSrc.HELPER, 0, id)];
  }
  if (m === 'callx') {
    l.count(1);
    return [s(Op.CALLX, l.reg(0))];
  }
  if (m === 'ja') {
    l.count(1);
    return [target(l, s(Class.JMP | JmpOp.JA), l.ops[0], false)];
  }
  if (m === 'ja32' || m === 'gotol') {
    l.count(1);
    return [target(l, s(Class.JMP32 | JmpOp.JA), l.ops[0], true)];
  }
  if (m === 'may_goto') {
    l.count(1);
    return [target(l, s(Class.JMP | JmpOp.JCOND), l.ops[0], false)];
  }

  // conditional jumps: jeq %r1, 3|%r2, TARGET
  const jm = /^(j[a-z]+?)(32|64)?$/.exec(m);
  if (jm && JMP_OPS[jm[1]] !== undefined) {
    l.count(3);
    const cls = jm[2] === '32' ? Class.JMP32 : Class.JMP;
    const dst = l.reg(0);
    const slot = l.isReg(1)
      ? s(cls | JMP_OPS[jm[1]] | Source.X, dst, l.reg(1))
      : s(cls | JMP_OPS[jm[1]] | Source.K, dst, 0, 0, l.imm32(1));
    return [target(l, slot, l.ops[2], false)];
  }

  // byte swaps
  const end = /^(le|be|bswap|swap)(16|32|64)$/.exec(m);
  if (end) {
    l.count(1);
    const op = end[1] === 'le' ? Op.LE : end[1] === 'be' ? Op.BE : Op.BSWAP;
    return [s(op, l.reg(0), 0, 0, Number(end[2]))];
  }

  // movsx: movsx{8,16}32, movsx{8,16,32}64
  const sx = /^movsx(8|16|32)(32|64)$/.exec(m);
  if (sx) {
    l.count(2);
    if (sx[2] === '32' && sx[1] === '32') l.fail('movsx3232 does not exist');
    const cls = sx[2] === '32' ? Class.ALU : Class.ALU64;
    return [s(cls | AluOp.MOV | Source.X, l.reg(0), l.reg(1), Number(sx[1]))];
  }

  // ALU: add %r0, 1|%r1 ; neg %r0
  const am = /^([a-z]+?)(32|64)?$/.exec(m);
  if (am && ALU_OPS[am[1]] !== undefined) {
    const cls = am[2] === '32' ? Class.ALU : Class.ALU64;
    const off = am[1] === 'sdiv' || am[1] === 'smod' ? 1 : 0;
    const op = ALU_OPS[am[1]];
    if (op === AluOp.NEG) {
      l.count(1);
      return [s(cls | op | Source.K, l.reg(0))];
    }
    l.count(2);
    const dst = l.reg(0);
    return l.isReg(1) ? [s(cls | op | Source.X, dst, l.reg(1), off)] : [s(cls | op | Source.K, dst, 0, off, l.imm32(1))];
  }

  // loads and stores
  const ldx = /^ldx(s?)(b|h|w|dw)$/.exec(m);
  if (ldx) {
    l.count(2);
    if (ldx[1] && ldx[2] === 'dw') l.fail('ldxsdw does not exist');
    const [src, off] = l.mem(1);
    return [s(Class.LDX | (ldx[1] ? Mode.MEMSX : Mode.MEM) | SIZES[ldx[2]], l.reg(0), src, off)];
  }
  const st = /^st(x?)(b|h|w|dw)$/.exec(m);
  if (st) {
    l.count(2);
    const [dst, off] = l.mem(0);
    return st[1]
      ? [s(Class.STX | Mode.MEM | SIZES[st[2]], dst, l.reg(1), off)]
      : [s(Class.ST | Mode.MEM | SIZES[st[2]], dst, 0, off, l.imm32(1))];
  }
  const abs = /^ld(abs|ind)(b|h|w|dw)$/.exec(m);
  if (abs) {
    if (abs[1] === 'abs') {
      l.count(1);
      return [s(Class.LD | Mode.ABS | SIZES[abs[2]], 0, 0, 0, l.imm32(0))];
    }
    l.count(2);
    return [s(Class.LD | Mode.IND | SIZES[abs[2]], 0, l.reg(0), 0, l.imm32(1))];
  }
  const acq = /^(load_acq|store_rel)(b|h|w|dw)$/.exec(m);
  if (acq) {
    l.count(2);
    const op = Class.STX | Mode.ATOMIC | SIZES[acq[2]];
    if (acq[1] === 'load_acq') {
      const [src, off] = l.mem(1);
      return [s(op, l.reg(0), src, off, AtomicOp.LOAD_ACQ)];
    }
    const [dst, off] = l.mem(0);
    return [s(op, dst, l.reg(1), off, AtomicOp.STORE_REL)];
  }
  if (m === 'lock') {
    // operands arrive as "[fetch ]op[32] [%rD+off]", "%rS"
    l.count(2);
    const head = /^(fetch\s+)?([a-z]+?)(32|64)?\s+(\[.*\])$/is.exec(l.ops[0]);
    if (!head || ATOMIC_OPS[head[2].toLowerCase()] === undefined) l.fail(`bad atomic operation ${JSON.stringify(l.ops[0])}`);
    let imm = ATOMIC_OPS[head[2].toLowerCase()];
    if (head[1]) imm |= AtomicOp.FETCH;
    const [dst, off] = new Line(l.n, [head[4]]).mem(0);
    const size = head[3] === '32' ? Size.W : Size.DW;
    return [s(Class.STX | Mode.ATOMIC | size, dst, l.reg(1), off, imm)];
  }
  l.fail(`unknown mnemonic ${JSON.stringify(mnemonic)}`);
}

/** Fill a jump target: numeric now, label later. */
function target(l: Line, slot: Slot, text: string, inImm: boolean): Slot {
  const n = parseInteger(text);
  if (n !== undefined) {
    const lim = inImm ? [BigInt(INT32_MIN), 0x7fff_ffffn] : [-0x8000n, 0x7fffn];
    if (n < lim[0] || n > lim[1]) l.fail(`jump offset ${text} out of range`);
    if (inImm) slot.imm = Number(n);
    else slot.off = Number(n);
    return slot;
  }
  if (!/^[A-Za-z_.$][\w.$]*$/.test(text)) l.fail(`bad jump target ${JSON.stringify(text)}`);
  slot.target = { label: text, inImm };
  return slot;
}

/**
 * Assemble conformance-syntax text into little-endian instruction bytes.
 * Throws AsmError (with the 1-based line number) on any problem.
 */
export function assemble(text: string): Uint8Array {
  const slots: Slot[] = [];
  const labels = new Map<string, number>();
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const n = i + 1;
    let body = stripComment(lines[i]);
    // labels (possibly several) at the start of the line
    for (;;) {
      const lm = /^([A-Za-z_.$][\w.$]*)\s*:(.*)$/s.exec(body);
      if (!lm) break;
      if (labels.has(lm[1])) throw new AsmError(`label ${JSON.stringify(lm[1])} defined twice`, n);
      labels.set(lm[1], slots.length);
      body = lm[2].trim();
    }
    if (body === '') continue;
    const sp = /^(\S+)\s*(.*)$/s.exec(body)!;
    const mnemonic = sp[1];
    // `lock [fetch] op [..], %r` and `call local X` keep their extra words in the first operand
    slots.push(...encodeLine(mnemonic, new Line(n, splitOperands(sp[2]))));
  }
  // resolve labels
  for (let pc = 0; pc < slots.length; pc++) {
    const slot = slots[pc];
    if (!slot.target) continue;
    let dest = labels.get(slot.target.label);
    if (dest === undefined && slot.target.label === 'exit') {
      // conformance convention: the program's first `exit` instruction
      for (let j = 0; j < slots.length; j++) {
        if (slots[j].op === Op.EXIT && !slots[j].raw && !isSecondSlot(slots, j)) {
          dest = j;
          break;
        }
      }
    }
    if (dest === undefined) throw new AsmError(`unknown label ${JSON.stringify(slot.target.label)}`, slot.line);
    const rel = dest - (pc + 1);
    if (slot.target.inImm) slot.imm = rel;
    else {
      if (rel < -0x8000 || rel > 0x7fff) throw new AsmError(`jump to ${slot.target.label} out of range`, slot.line);
      slot.off = rel;
    }
  }
  const out = new Uint8Array(slots.length * 8);
  const dv = new DataView(out.buffer);
  slots.forEach((slot, i) => {
    const b = i * 8;
    if (slot.raw) {
      out.set(slot.raw, b);
      return;
    }
    out[b] = slot.op;
    out[b + 1] = (slot.dst & 0x0f) | ((slot.src & 0x0f) << 4);
    dv.setInt16(b + 2, slot.off, true);
    dv.setInt32(b + 4, slot.imm, true);
  });
  return out;
}

function isSecondSlot(slots: Slot[], j: number): boolean {
  return j > 0 && slots[j - 1].op === Op.LDDW && !slots[j - 1].raw;
}

/** Assemble and decode in one step. */
export function assembleProgram(text: string): DecodedProgram {
  return decode(assemble(text));
}

/**
 * Tagged-template form for tests: asm`mov %r0, ${n}\n exit`. Interpolated values are written
 * with String() (numbers, bigints, register names).
 */
export function asm(strings: TemplateStringsArray, ...values: unknown[]): Uint8Array {
  let text = strings[0];
  for (let i = 0; i < values.length; i++) text += String(values[i]) + strings[i + 1];
  return assemble(text);
}
