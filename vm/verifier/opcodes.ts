/**
 * @fileoverview Which opcode bytes the kernel knows and what each field of an instruction may
 * hold (the type-free checks of do_check_insn).
 *
 * Sources: `kernel/bpf/core.c` (`bpf_opcode_in_insntable`), `kernel/bpf/verifier.c`
 * (`resolve_pseudo_ldimm64`, `check_alu_op`, `check_atomic`, `check_ld_abs`, `check_ld_imm`,
 * `do_check_insn`), and measurements on 6.18: the set of known opcodes was confirmed by loading
 * every opcode byte (test/goldens/verifier/opcodes.kernel.json).
 */
import { AluOp, AtomicOp, CallSrc, Class, JcondSrc, JmpOp, Mode, Size, Source, accessBytes, opClass, opCode, opMode, opSource } from '../isa.js';

/** How the verifier checks the fields of an instruction, by opcode group. */
export type OpcodeKind =
  | 'alu' // ADD SUB MUL DIV OR AND LSH RSH MOD XOR ARSH (K or X)
  | 'neg' // NEG (K only)
  | 'end' // ALU END (le/be) and ALU64 END (bswap)
  | 'mov' // MOV (K or X; X carries MOVSX offsets)
  | 'ldx' // LDX MEM / MEMSX
  | 'st' // ST MEM
  | 'stx' // STX MEM
  | 'atomic' // STX ATOMIC (imm selects the operation)
  | 'ldabs' // LD ABS / IND (legacy packet loads)
  | 'lddw' // LD IMM DW (two slots)
  | 'ja' // JMP JA (off) and JMP32 JA (gotol, imm)
  | 'jcond' // JMP JCOND (may_goto)
  | 'jcc' // conditional jumps, JMP and JMP32
  | 'call' // JMP CALL
  | 'exit'; // JMP EXIT

/** One row of the opcode table. */
export interface OpcodeRow {
  readonly op: number;
  readonly kind: OpcodeKind;
  /** Access size in bytes for loads, stores and atomics. */
  readonly bytes?: number;
}

function buildTable(): Map<number, OpcodeRow> {
  const t = new Map<number, OpcodeRow>();
  // `sized`: a load, store or atomic, whose row carries its access size
  const add = (op: number, kind: OpcodeKind, sized = false) => t.set(op, { op, kind, bytes: sized ? accessBytes(op) : undefined });
  for (const cls of [Class.ALU, Class.ALU64]) {
    for (const aop of [AluOp.ADD, AluOp.SUB, AluOp.MUL, AluOp.DIV, AluOp.OR, AluOp.AND, AluOp.LSH, AluOp.RSH, AluOp.MOD, AluOp.XOR, AluOp.ARSH]) {
      add(cls | aop | Source.K, 'alu');
      add(cls | aop | Source.X, 'alu');
    }
    add(cls | AluOp.MOV | Source.K, 'mov');
    add(cls | AluOp.MOV | Source.X, 'mov');
    add(cls | AluOp.NEG | Source.K, 'neg'); // NEG has no X form
  }
  add(Class.ALU | AluOp.END | Source.K, 'end'); // to little-endian
  add(Class.ALU | AluOp.END | Source.X, 'end'); // to big-endian
  add(Class.ALU64 | AluOp.END | Source.K, 'end'); // bswap; ALU64|END|X does not exist
  for (const cls of [Class.JMP, Class.JMP32]) {
    for (const jop of [JmpOp.JEQ, JmpOp.JGT, JmpOp.JGE, JmpOp.JSET, JmpOp.JNE, JmpOp.JSGT, JmpOp.JSGE, JmpOp.JLT, JmpOp.JLE, JmpOp.JSLT, JmpOp.JSLE]) {
      add(cls | jop | Source.K, 'jcc');
      add(cls | jop | Source.X, 'jcc');
    }
    add(cls | JmpOp.JA | Source.K, 'ja');
  }
  add(Class.JMP | JmpOp.CALL | Source.K, 'call'); // callx (0x8d) is not a kernel opcode
  add(Class.JMP | JmpOp.EXIT | Source.K, 'exit');
  add(Class.JMP | JmpOp.JCOND | Source.K, 'jcond');
  add(Class.LD | Mode.IMM | Size.DW, 'lddw');
  for (const size of [Size.W, Size.H, Size.B]) {
    // LD_ABS / LD_IND have no DW form
    add(Class.LD | Mode.ABS | size, 'ldabs', true);
    add(Class.LD | Mode.IND | size, 'ldabs', true);
    add(Class.LDX | Mode.MEMSX | size, 'ldx', true); // no sign-extending DW load
  }
  for (const size of [Size.W, Size.H, Size.B, Size.DW]) {
    add(Class.LDX | Mode.MEM | size, 'ldx', true);
    add(Class.ST | Mode.MEM | size, 'st', true);
    add(Class.STX | Mode.MEM | size, 'stx', true);
    add(Class.STX | Mode.ATOMIC | size, 'atomic', true); // B/H only for load_acq/store_rel
  }
  return t;
}

/**
 * The opcodes the kernel knows (`bpf_opcode_in_insntable`), with how their fields are checked.
 * Any other opcode byte is "unknown opcode XX".
 */
export const OPCODE_TABLE: ReadonlyMap<number, OpcodeRow> = buildTable();

/** Valid END immediates (`check_alu_op`). */
export const END_IMMS: readonly number[] = [16, 32, 64];
/** Valid MOVSX offsets: 8/16 for ALU, 8/16/32 for ALU64 (`check_alu_op`). */
export const MOVSX_OFFS_ALU: readonly number[] = [8, 16];
export const MOVSX_OFFS_ALU64: readonly number[] = [8, 16, 32];
/** `off` of ALU64 MOV X that means "address space cast" (BPF_ADDR_SPACE_CAST, arena programs). */
export const ADDR_SPACE_CAST = 1;

/** Atomic read-modify-write operations (W and DW only, `check_atomic_rmw`). */
export const ATOMIC_RMW: ReadonlySet<number> = new Set([
  AtomicOp.ADD,
  AtomicOp.ADD | AtomicOp.FETCH,
  AtomicOp.OR,
  AtomicOp.OR | AtomicOp.FETCH,
  AtomicOp.AND,
  AtomicOp.AND | AtomicOp.FETCH,
  AtomicOp.XOR,
  AtomicOp.XOR | AtomicOp.FETCH,
  AtomicOp.XCHG,
  AtomicOp.CMPXCHG,
]);
/** Atomic loads/stores with ordering (any size, `check_atomic_load` / `check_atomic_store`). */
export const ATOMIC_LOAD_STORE: ReadonlySet<number> = new Set([AtomicOp.LOAD_ACQ, AtomicOp.STORE_REL]);

/**
 * Field rules of one instruction (the checks of `do_check_insn` and the functions it calls that
 * need no register types). Returns the kernel's message, or undefined when the fields are legal.
 * Register-number and frame-pointer checks are done by the caller.
 */
export function fieldError(row: OpcodeRow, dst: number, src: number, off: number, imm: number): string | undefined {
  const op = row.op;
  const cls = opClass(op);
  const x = opSource(op) === Source.X;
  switch (row.kind) {
    case 'neg':
      return src !== 0 || off !== 0 || imm !== 0 ? 'BPF_NEG uses reserved fields' : undefined;
    case 'end':
      return src !== 0 || off !== 0 || !END_IMMS.includes(imm) ? 'BPF_END uses reserved fields' : undefined;
    case 'mov':
      if (!x) return src !== 0 || off !== 0 ? 'BPF_MOV uses reserved fields' : undefined;
      if (cls === Class.ALU) return (off !== 0 && !MOVSX_OFFS_ALU.includes(off)) || imm !== 0 ? 'BPF_MOV uses reserved fields' : undefined;
      if (off === ADDR_SPACE_CAST) {
        if (imm !== 1 && imm !== 1 << 16) return 'addr_space_cast insn can only convert between address space 1 and 0';
        return 'addr_space_cast insn can only be used in a program that has an associated arena';
      }
      return (off !== 0 && !MOVSX_OFFS_ALU64.includes(off)) || imm !== 0 ? 'BPF_MOV uses reserved fields' : undefined;
    case 'alu': {
      const signedOk = off === 0 || (off === 1 && (opCode(op) === AluOp.DIV || opCode(op) === AluOp.MOD));
      if (x ? imm !== 0 || !signedOk : src !== 0 || !signedOk) return 'BPF_ALU uses reserved fields';
      return undefined;
    }
    case 'ldx':
      return undefined; // its reserved fields are checked with the opcode (resolve_pseudo_ldimm64)
    case 'st':
      return src !== 0 ? 'BPF_ST uses reserved fields' : undefined;
    case 'stx':
      return imm !== 0 ? 'BPF_STX uses reserved fields' : undefined;
    case 'atomic':
      if (ATOMIC_RMW.has(imm)) return row.bytes !== 4 && row.bytes !== 8 ? 'invalid atomic operand size' : undefined;
      if (ATOMIC_LOAD_STORE.has(imm)) return undefined;
      return `BPF_ATOMIC uses invalid atomic opcode ${(imm & 0xff).toString(16).padStart(2, '0')}`;
    case 'ldabs':
      return dst !== 0 || off !== 0 || (opMode(op) === Mode.ABS && src !== 0) ? 'BPF_LD_[ABS|IND] uses reserved fields' : undefined;
    case 'lddw':
      return off !== 0 ? 'BPF_LD_IMM64 uses reserved fields' : undefined;
    case 'ja':
      return x || src !== 0 || dst !== 0 || (cls === Class.JMP && imm !== 0) || (cls === Class.JMP32 && off !== 0)
        ? 'BPF_JA uses reserved fields'
        : undefined;
    case 'jcond':
      return src !== JcondSrc.BPF_MAY_GOTO || dst !== 0 || imm !== 0 ? `invalid may_goto imm ${imm}` : undefined;
    case 'jcc':
      return (x ? imm !== 0 : src !== 0) ? 'BPF_JMP/JMP32 uses reserved fields' : undefined;
    case 'call':
      return (src !== CallSrc.BPF_PSEUDO_KFUNC_CALL && off !== 0) || (src !== CallSrc.HELPER && src !== CallSrc.BPF_PSEUDO_CALL && src !== CallSrc.BPF_PSEUDO_KFUNC_CALL) || dst !== 0
        ? 'BPF_CALL uses reserved fields'
        : undefined;
    case 'exit':
      return imm !== 0 || src !== 0 || dst !== 0 ? 'BPF_EXIT uses reserved fields' : undefined;
  }
}

/** Whether the instruction writes its dst register (so dst = r10 is "frame pointer is read only"). */
export function writesDst(row: OpcodeRow, imm: number): boolean {
  switch (row.kind) {
    case 'alu':
    case 'neg':
    case 'end':
    case 'mov':
    case 'ldx':
    case 'lddw':
      return true;
    case 'atomic':
      return imm === AtomicOp.LOAD_ACQ;
    default:
      return false;
  }
}

/** Shift width of an ALU class (shift immediates must be in [0, width)). */
export const shiftWidth = (op: number): number => (opClass(op) === Class.ALU64 ? 64 : 32);
export const isShift = (op: number): boolean => [AluOp.LSH, AluOp.RSH, AluOp.ARSH].includes(opCode(op) as 0x60);
export const isDivMod = (op: number): boolean => opCode(op) === AluOp.DIV || opCode(op) === AluOp.MOD;

