/**
 * @fileoverview The BPF instruction set, after RFC 9669 "BPF Instruction Set Architecture"
 * (and `Documentation/bpf/standardization/instruction-set.rst`). One source of truth for
 * opcode fields, composite opcodes, registers and limits.
 *
 * Instruction encoding (8 bytes, little-endian), RFC 9669 §3:
 *
 *   0       8      12     16               32                              64
 *   +-------+------+------+----------------+-------------------------------+
 *   |opcode | dst  | src  |   offset s16   |          imm s32              |
 *   +-------+------+------+----------------+-------------------------------+
 *
 * Opcode byte for ALU/ALU64/JMP/JMP32 (RFC 9669 §3.1):   Opcode byte for LD/LDX/ST/STX:
 *   +--------+----+-------+                               +------+------+-------+
 *   | op (4) | s  | class |                               | mode | size | class |
 *   +--------+----+-------+                               | (3)  | (2)  |  (3)  |
 *    s = 1: source is register (X), 0: immediate (K)      +------+------+-------+
 *
 * LD_IMM64 (0x18) takes two slots; the second slot's imm is the upper 32 bits.
 */

/** Instruction classes (RFC 9669 §3.1), low 3 bits of the opcode. */
export const Class = {
  LD: 0x00,
  LDX: 0x01,
  ST: 0x02,
  STX: 0x03,
  ALU: 0x04,
  JMP: 0x05,
  JMP32: 0x06,
  ALU64: 0x07,
} as const;

/** Source operand bit for arithmetic and jump classes (RFC 9669 §4). */
export const Source = { K: 0x00, X: 0x08 } as const;

/** Arithmetic operations, high 4 bits (RFC 9669 §4.1). */
export const AluOp = {
  ADD: 0x00,
  SUB: 0x10,
  MUL: 0x20,
  DIV: 0x30,
  OR: 0x40,
  AND: 0x50,
  LSH: 0x60,
  RSH: 0x70,
  NEG: 0x80,
  MOD: 0x90,
  XOR: 0xa0,
  MOV: 0xb0,
  ARSH: 0xc0,
  END: 0xd0,
} as const;

/** Jump operations, high 4 bits (RFC 9669 §4.3). JCOND is may_goto (kernel extension). */
export const JmpOp = {
  JA: 0x00,
  JEQ: 0x10,
  JGT: 0x20,
  JGE: 0x30,
  JSET: 0x40,
  JNE: 0x50,
  JSGT: 0x60,
  JSGE: 0x70,
  CALL: 0x80,
  EXIT: 0x90,
  JLT: 0xa0,
  JLE: 0xb0,
  JSLT: 0xc0,
  JSLE: 0xd0,
  JCOND: 0xe0,
} as const;

/** Load/store size field (RFC 9669 §5.1). */
export const Size = { W: 0x00, H: 0x08, B: 0x10, DW: 0x18 } as const;
/** Bytes per size field value, indexed by (size >> 3). */
export const SIZE_BYTES = [4, 2, 1, 8] as const;

/** Load/store mode field (RFC 9669 §5.1). */
export const Mode = {
  IMM: 0x00,
  ABS: 0x20,
  IND: 0x40,
  MEM: 0x60,
  MEMSX: 0x80,
  ATOMIC: 0xc0,
} as const;

/** Atomic operations, carried in imm (RFC 9669 §5.3; LOAD_ACQ/STORE_REL are kernel 6.15+). */
export const AtomicOp = {
  ADD: 0x00,
  OR: 0x40,
  AND: 0x50,
  XOR: 0xa0,
  FETCH: 0x01,
  XCHG: 0xe0 | 0x01,
  CMPXCHG: 0xf0 | 0x01,
  LOAD_ACQ: 0x100,
  STORE_REL: 0x110,
} as const;

/** src_reg values of LD_IMM64 (RFC 9669 §5.4; uapi BPF_PSEUDO_*). */
export const PseudoSrc = {
  IMM: 0,
  BPF_PSEUDO_MAP_FD: 1,
  BPF_PSEUDO_MAP_VALUE: 2,
  BPF_PSEUDO_BTF_ID: 3,
  BPF_PSEUDO_FUNC: 4,
  BPF_PSEUDO_MAP_IDX: 5,
  BPF_PSEUDO_MAP_IDX_VALUE: 6,
} as const;

/** src_reg values of CALL (uapi BPF_PSEUDO_CALL, BPF_PSEUDO_KFUNC_CALL). */
export const CallSrc = { HELPER: 0, BPF_PSEUDO_CALL: 1, BPF_PSEUDO_KFUNC_CALL: 2 } as const;

/** src_reg values of JCOND (uapi BPF_MAY_GOTO, the only one). */
export const JcondSrc = { BPF_MAY_GOTO: 0 } as const;

/** Registers. R10 is the read-only frame pointer. */
export const Reg = { R0: 0, R1: 1, R2: 2, R3: 3, R4: 4, R5: 5, R6: 6, R7: 7, R8: 8, R9: 9, R10: 10 } as const;
export const NUM_REGS = 11;

/** Limits (kernel: MAX_BPF_STACK, MAX_CALL_FRAMES, MAX_TAIL_CALL_CNT, BPF_COMPLEXITY_LIMIT_INSNS). */
export const STACK_SIZE = 512;
export const MAX_CALL_DEPTH = 8;
export const MAX_TAIL_CALLS = 33;
/**
 * Frames one run may stack up. The 8-frame limit is per program (the verifier's
 * check_max_stack_depth); a tail call made from a subprogram keeps its caller's frames, and the
 * target may call 7 deeper (kernel: no run-time frame limit, the tail-call count bounds it).
 */
export const MAX_RUN_FRAMES = MAX_CALL_DEPTH * (MAX_TAIL_CALLS + 1);
export const MAX_INSNS = 1_000_000;
/** Default budget of executed instructions per run. */
export const DEFAULT_INSN_BUDGET = 1_000_000;
/** Starting count of the hidden may_goto counter (kernel BPF_MAX_LOOPS). */
export const MAY_GOTO_START = 8 * 1024 * 1024;

/** Field extractors. */
export const opClass = (op: number): number => op & 0x07;
export const opSize = (op: number): number => op & 0x18;
export const opMode = (op: number): number => op & 0xe0;
export const opCode = (op: number): number => op & 0xf0;
export const opSource = (op: number): number => op & 0x08;

/** Bytes a load, store or atomic accesses: its size field through SIZE_BYTES (the one table). */
export const accessBytes = (op: number): number => SIZE_BYTES[opSize(op) >> 3];
/** Whether `op` is of the JMP or JMP32 class (jumps, calls, exit). */
export const isJmpClass = (op: number): boolean => opClass(op) === Class.JMP || opClass(op) === Class.JMP32;
/** Whether `op` is an atomic (STX | ATOMIC, any size; W and DW are Op.ATOMIC32/ATOMIC64). */
export const isAtomic = (op: number): boolean => opClass(op) === Class.STX && opMode(op) === Mode.ATOMIC;

/** Composite opcodes, uBPF/rbpf naming. */
export const Op = {
  // BPF_ALU64 | BPF_K / BPF_X
  ADD64_IMM: 0x07, ADD64_REG: 0x0f,
  SUB64_IMM: 0x17, SUB64_REG: 0x1f,
  MUL64_IMM: 0x27, MUL64_REG: 0x2f,
  DIV64_IMM: 0x37, DIV64_REG: 0x3f,
  OR64_IMM: 0x47, OR64_REG: 0x4f,
  AND64_IMM: 0x57, AND64_REG: 0x5f,
  LSH64_IMM: 0x67, LSH64_REG: 0x6f,
  RSH64_IMM: 0x77, RSH64_REG: 0x7f,
  NEG64: 0x87,
  MOD64_IMM: 0x97, MOD64_REG: 0x9f,
  XOR64_IMM: 0xa7, XOR64_REG: 0xaf,
  MOV64_IMM: 0xb7, MOV64_REG: 0xbf,
  ARSH64_IMM: 0xc7, ARSH64_REG: 0xcf,
  BSWAP: 0xd7,
  // BPF_ALU | BPF_K / BPF_X
  ADD32_IMM: 0x04, ADD32_REG: 0x0c,
  SUB32_IMM: 0x14, SUB32_REG: 0x1c,
  MUL32_IMM: 0x24, MUL32_REG: 0x2c,
  DIV32_IMM: 0x34, DIV32_REG: 0x3c,
  OR32_IMM: 0x44, OR32_REG: 0x4c,
  AND32_IMM: 0x54, AND32_REG: 0x5c,
  LSH32_IMM: 0x64, LSH32_REG: 0x6c,
  RSH32_IMM: 0x74, RSH32_REG: 0x7c,
  NEG32: 0x84,
  MOD32_IMM: 0x94, MOD32_REG: 0x9c,
  XOR32_IMM: 0xa4, XOR32_REG: 0xac,
  MOV32_IMM: 0xb4, MOV32_REG: 0xbc,
  ARSH32_IMM: 0xc4, ARSH32_REG: 0xcc,
  LE: 0xd4, BE: 0xdc,
  // BPF_JMP
  JA: 0x05,
  JEQ_IMM: 0x15, JEQ_REG: 0x1d,
  JGT_IMM: 0x25, JGT_REG: 0x2d,
  JGE_IMM: 0x35, JGE_REG: 0x3d,
  JSET_IMM: 0x45, JSET_REG: 0x4d,
  JNE_IMM: 0x55, JNE_REG: 0x5d,
  JSGT_IMM: 0x65, JSGT_REG: 0x6d,
  JSGE_IMM: 0x75, JSGE_REG: 0x7d,
  CALL: 0x85, CALLX: 0x8d,
  EXIT: 0x95,
  JLT_IMM: 0xa5, JLT_REG: 0xad,
  JLE_IMM: 0xb5, JLE_REG: 0xbd,
  JSLT_IMM: 0xc5, JSLT_REG: 0xcd,
  JSLE_IMM: 0xd5, JSLE_REG: 0xdd,
  JCOND: 0xe5,
  // BPF_JMP32
  JA32: 0x06,
  JEQ32_IMM: 0x16, JEQ32_REG: 0x1e,
  JGT32_IMM: 0x26, JGT32_REG: 0x2e,
  JGE32_IMM: 0x36, JGE32_REG: 0x3e,
  JSET32_IMM: 0x46, JSET32_REG: 0x4e,
  JNE32_IMM: 0x56, JNE32_REG: 0x5e,
  JSGT32_IMM: 0x66, JSGT32_REG: 0x6e,
  JSGE32_IMM: 0x76, JSGE32_REG: 0x7e,
  JLT32_IMM: 0xa6, JLT32_REG: 0xae,
  JLE32_IMM: 0xb6, JLE32_REG: 0xbe,
  JSLT32_IMM: 0xc6, JSLT32_REG: 0xce,
  JSLE32_IMM: 0xd6, JSLE32_REG: 0xde,
  // loads and stores
  LDDW: 0x18,
  LDABSW: 0x20, LDABSH: 0x28, LDABSB: 0x30,
  LDINDW: 0x40, LDINDH: 0x48, LDINDB: 0x50,
  LDXW: 0x61, LDXH: 0x69, LDXB: 0x71, LDXDW: 0x79,
  LDXSW: 0x81, LDXSH: 0x89, LDXSB: 0x91,
  STW: 0x62, STH: 0x6a, STB: 0x72, STDW: 0x7a,
  STXW: 0x63, STXH: 0x6b, STXB: 0x73, STXDW: 0x7b,
  ATOMIC32: 0xc3, ATOMIC64: 0xdb,
} as const;
export type OpName = keyof typeof Op;

/** Reverse table opcode → composite name (first name wins). Feeds error messages. */
export const OP_NAMES: ReadonlyMap<number, OpName> = new Map(
  (Object.entries(Op) as [OpName, number][]).map(([name, code]) => [code, name] as const).reverse(),
);

/** Whether `op` is LD_IMM64, the only two-slot instruction. */
export const isLdImm64 = (op: number): boolean => op === Op.LDDW;

/**
 * Whether an instruction's dst/src fields, in the roles its opcode gives them, name a register
 * above r10 (the kernel's check_reg_arg refuses these: "R11 is invalid"). Unused fields do not count.
 */
export function namesInvalidRegister(op: number, dst: number, src: number): boolean {
  const x = opSource(op) === Source.X;
  switch (opClass(op)) {
    case Class.ALU:
    case Class.ALU64:
      return dst > 10 || (x && src > 10);
    case Class.JMP:
    case Class.JMP32: {
      const code = opCode(op);
      if (op === Op.CALLX) return dst > 10;
      if (code === JmpOp.JA || code === JmpOp.CALL || code === JmpOp.EXIT || code === JmpOp.JCOND) return false;
      return dst > 10 || (x && src > 10);
    }
    case Class.LDX:
    case Class.STX:
      return dst > 10 || src > 10;
    case Class.ST:
      return dst > 10;
    case Class.LD:
      if (op === Op.LDDW) return dst > 10;
      if (opMode(op) === Mode.IND) return src > 10;
      return false;
    default:
      return false;
  }
}
