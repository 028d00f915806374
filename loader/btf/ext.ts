/**
 * @fileoverview The .BTF.ext parser: func_info, line_info and CO-RE relocation records, grouped
 * by the name of the code section they describe (libbpf btf_ext__new / btf_ext_setup_info).
 * Strings (section names, file names, source lines, access strings) live in the .BTF string
 * table, so the owning Btf is needed.
 */
import { BtfError } from '../../vm/errors.js';
import type { Btf } from './parse.js';
import {
  BPF_CORE_RELO_MIN, BPF_FUNC_INFO_MIN, BPF_LINE_INFO_MIN, BTF_EXT_HEADER_CORE, BTF_EXT_HEADER_MIN, BTF_MAGIC,
  BTF_VERSION, colOf, lineOf, type CoreReloKind,
} from './wire.js';

/** One bpf_func_info record. `insnOff` is in BYTES from the start of the section (as in the file). */
export interface FuncInfoRecord {
  readonly insnOff: number;
  /** BTF id of the FUNC type in the object's .BTF. */
  readonly typeId: number;
}

/** One bpf_line_info record. `insnOff` is in BYTES from the start of the section (as in the file). */
export interface LineInfoRecord {
  readonly insnOff: number;
  readonly file: string;
  /** line_col >> 10. */
  readonly line: number;
  /** line_col & 0x3ff. */
  readonly col: number;
  /** The source line as clang recorded it (may be ''). */
  readonly text: string;
}

/** One bpf_core_relo record. `insnOff` is in BYTES from the start of the section (as in the file). */
export interface CoreRelo {
  readonly insnOff: number;
  /** Root type id in the object's (local) .BTF. */
  readonly typeId: number;
  /** Accessor string such as "0:1:2" ("0" for type-based relocations). */
  readonly accessStr: string;
  /** BPF_CORE_* relocation kind. */
  readonly kind: CoreReloKind;
}

/** A parsed .BTF.ext: records per code section name, in file order. */
export interface BtfExt {
  readonly funcInfo: Map<string, FuncInfoRecord[]>;
  readonly lineInfo: Map<string, LineInfoRecord[]>;
  readonly coreRelos: Map<string, CoreRelo[]>;
}

const SECTION = '.BTF.ext';
const owners = new WeakMap<BtfExt, Btf>();

/** The Btf a BtfExt was parsed against (its strings and type ids). */
export function btfOfExt(ext: BtfExt): Btf | undefined {
  return owners.get(ext);
}

/**
 * Parses a .BTF.ext blob against the object's parsed .BTF (for its strings and type ids).
 * Records larger than the known record size (a newer format) are read by their known prefix,
 * as libbpf does; smaller ones are an error.
 */
export function parseBtfExt(bytes: Uint8Array, btf: Btf): BtfExt {
  const fail = (message: string, offset?: number): never => {
    throw new BtfError(message, { section: SECTION, ...(offset !== undefined ? { offset } : {}) });
  };
  if (!(bytes instanceof Uint8Array)) fail('input is not a byte array');
  if (bytes.length < BTF_EXT_HEADER_MIN) fail(`${bytes.length} bytes is shorter than the ${BTF_EXT_HEADER_MIN}-byte header`, 0);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = dv.getUint16(0, true);
  if (magic !== BTF_MAGIC) fail(magic === 0x9feb ? 'big-endian .BTF.ext is not supported' : `bad magic 0x${magic.toString(16)}`, 0);
  if (dv.getUint8(2) !== BTF_VERSION) fail(`unsupported version ${dv.getUint8(2)}`, 2);
  const hdrLen = dv.getUint32(4, true);
  if (hdrLen < BTF_EXT_HEADER_MIN || hdrLen > bytes.length) fail(`header length ${hdrLen} out of range`, 4);

  const str = (off: number, at: number, what: string): string => {
    const s = btf.strings.at(off);
    if (s === undefined) fail(`${what} string offset ${off} is outside the .BTF string section`, at);
    return s as string;
  };

  /** Walks one info block: calls `rec(pos, secName)` for each record. */
  const walk = (offField: number, what: string, minRec: number, rec: (pos: number, sec: string, at: number) => void): void => {
    if (offField + 8 > hdrLen) return; // block not present in this header
    const off = dv.getUint32(offField, true);
    const len = dv.getUint32(offField + 4, true);
    if (len === 0) return;
    const start = hdrLen + off;
    const end = start + len;
    if (end > bytes.length) fail(`${what} [${off}, +${len}) runs past the end`, offField);
    if (off % 4 !== 0) fail(`${what} offset ${off} is not 4-byte aligned`, offField);
    if (len < 4) fail(`${what} has no record size`, start);
    const recSize = dv.getUint32(start, true);
    if (recSize < minRec || recSize % 4 !== 0) fail(`${what} record size ${recSize} is invalid (minimum ${minRec})`, start);
    let pos = start + 4;
    while (pos < end) {
      if (pos + 8 > end) fail(`${what} section header runs past the end`, pos);
      const secName = str(dv.getUint32(pos, true), pos, `${what} section name`);
      const num = dv.getUint32(pos + 4, true);
      if (num === 0) fail(`${what} for section ${JSON.stringify(secName)} has no records`, pos);
      pos += 8;
      if (num > (end - pos) / recSize) fail(`${what} for section ${JSON.stringify(secName)}: ${num} records run past the end`, pos - 4);
      for (let i = 0; i < num; i++, pos += recSize) rec(pos, secName, pos);
    }
  };

  const push = <T>(m: Map<string, T[]>, k: string, v: T): void => {
    const l = m.get(k);
    if (l) l.push(v);
    else m.set(k, [v]);
  };

  const funcInfo = new Map<string, FuncInfoRecord[]>();
  const lineInfo = new Map<string, LineInfoRecord[]>();
  const coreRelos = new Map<string, CoreRelo[]>();

  walk(8, 'func_info', BPF_FUNC_INFO_MIN, (p, sec, at) => {
    const insnOff = dv.getUint32(p, true);
    const typeId = dv.getUint32(p + 4, true);
    if (insnOff % 8 !== 0) fail(`func_info insn_off ${insnOff} is not a multiple of 8`, at);
    if (typeId === 0 || typeId >= btf.count || btf.kindOf(typeId) !== 12 /* FUNC */) fail(`func_info type id ${typeId} is not a FUNC`, at);
    push(funcInfo, sec, { insnOff, typeId });
  });
  walk(16, 'line_info', BPF_LINE_INFO_MIN, (p, sec, at) => {
    const insnOff = dv.getUint32(p, true);
    if (insnOff % 8 !== 0) fail(`line_info insn_off ${insnOff} is not a multiple of 8`, at);
    const file = str(dv.getUint32(p + 4, true), at, 'line_info file');
    const text = str(dv.getUint32(p + 8, true), at, 'line_info line');
    const lc = dv.getUint32(p + 12, true);
    push(lineInfo, sec, { insnOff, file, line: lineOf(lc), col: colOf(lc), text });
  });
  if (hdrLen >= BTF_EXT_HEADER_CORE) {
    walk(24, 'core_relo', BPF_CORE_RELO_MIN, (p, sec, at) => {
      const insnOff = dv.getUint32(p, true);
      if (insnOff % 8 !== 0) fail(`core_relo insn_off ${insnOff} is not a multiple of 8`, at);
      const typeId = dv.getUint32(p + 4, true);
      if (typeId >= btf.count) fail(`core_relo type id ${typeId} out of range`, at);
      const accessStr = str(dv.getUint32(p + 8, true), at, 'core_relo access');
      const kind = dv.getUint32(p + 12, true);
      if (kind > 12) fail(`core_relo kind ${kind} is unknown`, at);
      push(coreRelos, sec, { insnOff, typeId, accessStr, kind: kind as CoreReloKind });
    });
  }
  const ext: BtfExt = { funcInfo, lineInfo, coreRelos };
  owners.set(ext, btf);
  return ext;
}
