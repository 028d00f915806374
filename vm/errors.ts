/**
 * @fileoverview The BpfError hierarchy: every error tcxlab raises on purpose is one of these.
 *
 * Each error has a stable `code` (tests and callers match on it, never on message text) and
 * structured location fields. Messages read `stage: insn #N (mnemonic): problem` or
 * `stage: section S +0xOFF: problem`. Anything that is not a BpfError escaping a run is a bug.
 */

import type { ERRNO } from './uapi.js';

/** An errno name of uapi.ts ERRNO ('EINVAL', ...), as ErrnoError and test-run results carry it. */
export type ErrnoName = keyof typeof ERRNO;

/** Stable error codes, one table for the whole project. */
export const ErrorCode = {
  // vm: faults raised while a program runs (these are results, not exceptions, at the API edge)
  BadAccess: 'E_BAD_ACCESS',
  UnknownOpcode: 'E_UNKNOWN_OPCODE',
  JumpOutOfRange: 'E_JUMP_OUT_OF_RANGE',
  BudgetExceeded: 'E_BUDGET_EXCEEDED',
  CallDepth: 'E_CALL_DEPTH',
  UnknownHelper: 'E_UNKNOWN_HELPER',
  UnsupportedHelper: 'E_UNSUPPORTED_HELPER',
  HelperFault: 'E_HELPER_FAULT',
  DivByZero: 'E_DIV_BY_ZERO',
  FellOffEnd: 'E_FELL_OFF_END',
  BadLdImm64: 'E_BAD_LDIMM64',
  ReadOnly: 'E_READ_ONLY',
  // vm: text forms and decoding
  Decode: 'E_DECODE',
  Asm: 'E_ASM',
  // verifier-lite
  Verifier: 'E_VERIFIER',
  // loader
  Elf: 'E_ELF',
  Btf: 'E_BTF',
  Relocation: 'E_RELOCATION',
  UnknownSection: 'E_UNKNOWN_SECTION',
  Core: 'E_CORE',
  // runtime
  Map: 'E_MAP',
  Skb: 'E_SKB',
  Ctx: 'E_CTX',
  Net: 'E_NET',
  Usage: 'E_USAGE',
  // packet captures (pcap/pcapng) and packet builders
  Pcap: 'E_PCAP',
  Packet: 'E_PACKET',
  Jit: 'E_JIT',
  /** A program uses a kfunc or map type tcxlab does not implement (only that program is refused). */
  Unsupported: 'E_UNSUPPORTED',
  // global variables by name (src/variables.ts)
  /** No global variable of that name in the object (or not in the section kind asked for). */
  UnknownVariable: 'E_UNKNOWN_VARIABLE',
  /** A value that does not fit the variable's BTF type (range, kind of JS value, enumerator). */
  VariableValue: 'E_VARIABLE_VALUE',
  /** Raw bytes, a string or an array whose length is not the variable's. */
  VariableSize: 'E_VARIABLE_SIZE',
  /** The name is a variable of a section that is no global-data map (`license`, `.maps`). */
  NotGlobalData: 'E_NOT_GLOBAL_DATA',
  /** A write to a `.rodata` variable after load (the map is frozen). */
  ReadOnlyVariable: 'E_READ_ONLY_VARIABLE',
  /** A map key or value (maps typed by BTF, src/maps/typed.ts) that does not fit the map's type. */
  MapValue: 'E_MAP_VALUE',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** Base class of every deliberate tcxlab error. */
export class BpfError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
  }
}

/**
 * A fault while a program runs: bad memory access, unknown opcode, budget exhausted...
 * The runner turns it into a result (`{ fault }`); it never escapes `run()`.
 */
export class VmFault extends BpfError {
  readonly insnIndex: number;
  readonly opcode: number;
  /** Faulting address as a 64-bit bigint (bad accesses only). */
  readonly address?: bigint;
  readonly size?: number;
  constructor(
    code: ErrorCode,
    message: string,
    insnIndex: number,
    opcode: number,
    extra?: { address?: bigint; size?: number; cause?: unknown },
  ) {
    super(code, `vm: insn #${insnIndex} (op 0x${opcode.toString(16).padStart(2, '0')}): ${message}`, {
      cause: extra?.cause,
    });
    this.insnIndex = insnIndex;
    this.opcode = opcode;
    this.address = extra?.address;
    this.size = extra?.size;
  }
}

/** Errors of the text forms (assembler) and of the instruction decoder. */
export class AsmError extends BpfError {
  readonly line: number;
  constructor(message: string, line: number) {
    super(ErrorCode.Asm, `asm: line ${line}: ${message}`);
    this.line = line;
  }
}

export class DecodeError extends BpfError {
  readonly insnIndex: number;
  constructor(message: string, insnIndex: number) {
    super(ErrorCode.Decode, `decode: insn #${insnIndex}: ${message}`);
    this.insnIndex = insnIndex;
  }
}

/** A program rejected by the verifier-lite; `log` holds the full explanation. */
export class VerifierError extends BpfError {
  readonly insnIndex: number;
  readonly opcode: number;
  readonly log: string[];
  /** `file:line` of the offending instruction when line info is known. */
  readonly source?: string;
  /** The kernel's words alone, without the instruction and source. */
  readonly reason: string;
  /**
   * Instructions walked before the error, the failing one included (the kernel's "processed N
   * insns" after a rejection); undefined when the program was refused before the walk.
   */
  processed?: number;
  constructor(message: string, insnIndex: number, opcode: number, log: string[], source?: string) {
    super(ErrorCode.Verifier, `verifier: insn #${insnIndex}: ${message}${source ? ` (${source})` : ''}`);
    this.reason = message;
    this.insnIndex = insnIndex;
    this.opcode = opcode;
    this.log = log;
    this.source = source;
  }
}

/** Location of a problem inside an object file. */
export interface FileLocation {
  section?: string;
  /** Byte offset (in the file, or in `section` when it is given). */
  offset?: number;
  symbol?: string;
}

function where(loc: FileLocation): string {
  const parts: string[] = [];
  if (loc.section !== undefined) parts.push(`section ${JSON.stringify(loc.section)}`);
  if (loc.offset !== undefined) parts.push(`+0x${loc.offset.toString(16)}`);
  if (loc.symbol !== undefined) parts.push(`symbol ${JSON.stringify(loc.symbol)}`);
  return parts.length ? `${parts.join(' ')}: ` : '';
}

class LocatedError extends BpfError {
  readonly section?: string;
  readonly offset?: number;
  readonly symbol?: string;
  constructor(code: ErrorCode, stage: string, message: string, loc: FileLocation, cause?: unknown) {
    super(code, `${stage}: ${where(loc)}${message}`, { cause });
    this.section = loc.section;
    this.offset = loc.offset;
    this.symbol = loc.symbol;
  }
}

export class ElfError extends LocatedError {
  constructor(message: string, loc: FileLocation = {}, cause?: unknown) {
    super(ErrorCode.Elf, 'elf', message, loc, cause);
  }
}

export class BtfError extends LocatedError {
  constructor(message: string, loc: FileLocation = {}, cause?: unknown) {
    super(ErrorCode.Btf, 'btf', message, loc, cause);
  }
}

export class RelocationError extends LocatedError {
  constructor(message: string, loc: FileLocation = {}, cause?: unknown) {
    super(ErrorCode.Relocation, 'reloc', message, loc, cause);
  }
}

/**
 * An executable section whose name maps to no program type, when the caller gave none
 * (code E_UNKNOWN_SECTION; the loader's equivalent of libbpf's "failed to guess program type").
 */
export class UnknownSectionError extends LocatedError {
  constructor(message: string, loc: FileLocation = {}) {
    super(ErrorCode.UnknownSection, 'elf', message, loc);
  }
}

/**
 * An error carrying a kernel errno name (EEXIST, ENOENT, E2BIG, ...), as returned by bpf(2)
 * or a netlink request. Used by maps (host-side API), tcx/mprog and classic tc.
 */
export class ErrnoError extends BpfError {
  readonly errno: ErrnoName;
  constructor(code: ErrorCode, errno: ErrnoName, message: string) {
    super(code, `${message} (${errno})`);
    this.errno = errno;
  }
}

/** Bad command-line or API usage. */
export class UsageError extends BpfError {
  constructor(message: string) {
    super(ErrorCode.Usage, message);
  }
}

/**
 * A capture file (pcap or pcapng) that cannot be read on: `offset` is the byte offset in the
 * file of the record or block at fault; `frame` the 1-based number the next frame would have had.
 * Readers return the frames before the error alongside it.
 */
export class PcapError extends BpfError {
  readonly offset: number;
  readonly frame: number;
  constructor(message: string, offset: number, frame: number) {
    super(ErrorCode.Pcap, `pcap: byte offset ${offset} (0x${offset.toString(16)}): ${message}`);
    this.offset = offset;
    this.frame = frame;
  }
}

/** A packet builder given impossible fields, or a dissector asked about bytes it cannot read. */
export class PacketError extends BpfError {
  constructor(message: string) {
    super(ErrorCode.Packet, `packet: ${message}`);
  }
}

/** Base of the errors of global variables by name (src/variables.ts); `variable` is its name. */
export class VariableError extends BpfError {
  readonly variable: string;
  /** The data section of the variable, when known. */
  readonly section?: string;
  constructor(code: ErrorCode, variable: string, message: string, section?: string) {
    super(code, message);
    this.variable = variable;
    this.section = section;
  }
}

/** E_UNKNOWN_VARIABLE; `closeNames` are the object's variables with similar names. */
export class UnknownVariableError extends VariableError {
  readonly closeNames: readonly string[];
  constructor(variable: string, message: string, closeNames: readonly string[]) {
    super(ErrorCode.UnknownVariable, variable, message);
    this.closeNames = closeNames;
  }
}

/** E_VARIABLE_VALUE: out of range for the type, wrong kind of value, unknown enumerator. */
export class VariableValueError extends VariableError {
  constructor(variable: string, message: string, section?: string) {
    super(ErrorCode.VariableValue, variable, message, section);
  }
}

/** E_VARIABLE_SIZE: `expected` bytes or elements were needed, `got` were given. */
export class VariableSizeError extends VariableError {
  constructor(variable: string, message: string, readonly expected: number, readonly got: number, section?: string) {
    super(ErrorCode.VariableSize, variable, message, section);
  }
}

/** E_NOT_GLOBAL_DATA: the variable lives in a section that is not a global-data map. */
export class NotGlobalDataError extends VariableError {
  constructor(variable: string, message: string, section: string) {
    super(ErrorCode.NotGlobalData, variable, message, section);
  }
}

/** E_READ_ONLY_VARIABLE: `.rodata` variables cannot be written after load. */
export class ReadOnlyVariableError extends VariableError {
  constructor(variable: string, message: string, section: string) {
    super(ErrorCode.ReadOnlyVariable, variable, message, section);
  }
}

/**
 * E_MAP_VALUE: a decoded key or value given to a map typed by BTF (src/maps/typed.ts) that does
 * not fit its BTF type; `path` names the place (`key.saddr`, `value.counts[1]`).
 */
export class MapValueError extends BpfError {
  readonly map: string;
  readonly path: string;
  constructor(map: string, path: string, message: string) {
    super(ErrorCode.MapValue, `map ${JSON.stringify(map)}: ${path}: ${message}`);
    this.map = map;
    this.path = path;
  }
}
