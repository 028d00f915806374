/**
 * @fileoverview The .BTF parser and the `Btf` type graph: header and section validation, every
 * kind up to ENUM64, name lookup, modifier resolution and sizes (after the kernel's
 * `btf_parse_hdr`/`btf_check_all_metas` and libbpf's `btf__resolve_size`).
 *
 * Hostile input gives a BtfError with the byte offset (relative to the start of the blob),
 * never a TypeError/RangeError: every read is bounds-checked before it happens, every type id
 * is checked after the type section is read, and every walk along type references is bounded
 * by MAX_RESOLVE_DEPTH (so a cycle is an error, not a hang).
 */
import { BtfError } from '../../vm/errors.js';
import {
  BTF_ARRAY_SIZE, BTF_DECL_TAG_SIZE, BTF_ENUM64_SIZE, BTF_ENUM_SIZE, BTF_HEADER_SIZE, BTF_INT_BOOL,
  BTF_INT_CHAR, BTF_INT_DATA, BTF_INT_SIGNED, BTF_KIND, BTF_KIND_NAMES, BTF_MAGIC, BTF_MAX_TYPE,
  BTF_MEMBER_SIZE, BTF_PARAM_SIZE, BTF_TYPE_SIZE, BTF_VAR_SECINFO_SIZE, BTF_VAR_SIZE, BTF_VERSION,
} from './wire.js';
import {
  MODIFIER_KINDS, type BtfComposite, type BtfEnumValue, type BtfMember, type BtfParam, type BtfType,
  type BtfTypeKind, type BtfVarSecinfo,
} from './types.js';

/** libbpf's MAX_RESOLVE_DEPTH: longest chain of references followed by resolve/sizeof. */
export const MAX_RESOLVE_DEPTH = 32;
/** Size of a pointer on BPF (64-bit). */
export const BTF_PTR_SIZE = 8;

/** Options for parseBtf. */
export interface ParseBtfOptions {
  /** Name used in error messages (default ".BTF"). */
  section?: string;
}

/** The string section of a BTF blob: NUL-terminated strings addressed by byte offset. */
export class BtfStrings {
  /** The raw string section (first and last byte are NUL). */
  readonly bytes: Uint8Array;
  readonly #ascii: string | undefined;
  readonly #cache = new Map<number, string>();
  private static readonly decoder = new TextDecoder('utf-8', { fatal: false });

  constructor(bytes: Uint8Array) {
    this.bytes = bytes;
    // Fast path: kernel and clang strings are ASCII, so byte offset = string index.
    let ascii = true;
    for (let i = 0; i < bytes.length; i++) if (bytes[i] > 0x7f) { ascii = false; break; }
    this.#ascii = ascii ? latin1(bytes) : undefined;
  }

  /** The string at byte offset `off`, or undefined when `off` is outside the section. */
  at(off: number): string | undefined {
    if (!Number.isInteger(off) || off < 0 || off >= this.bytes.length) return undefined;
    if (this.#ascii !== undefined) {
      const end = this.#ascii.indexOf('\0', off);
      return this.#ascii.substring(off, end < 0 ? this.#ascii.length : end);
    }
    let s = this.#cache.get(off);
    if (s === undefined) {
      let end = off;
      while (end < this.bytes.length && this.bytes[end] !== 0) end++;
      s = BtfStrings.decoder.decode(this.bytes.subarray(off, end));
      this.#cache.set(off, s);
    }
    return s;
  }
}

function latin1(bytes: Uint8Array): string {
  // Buffer's latin1 decoder is native (a 2.3 MB vmlinux string section in ~2 ms, not ~30).
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
}

// Local copies: hot loops must not go through module-namespace getters.
const {
  INT: K_INT, PTR: K_PTR, ARRAY: K_ARRAY, STRUCT: K_STRUCT, UNION: K_UNION, ENUM: K_ENUM, FWD: K_FWD,
  TYPEDEF: K_TYPEDEF, VOLATILE: K_VOLATILE, CONST: K_CONST, RESTRICT: K_RESTRICT, FUNC: K_FUNC,
  FUNC_PROTO: K_FUNC_PROTO, VAR: K_VAR, DATASEC: K_DATASEC, FLOAT: K_FLOAT, DECL_TAG: K_DECL_TAG,
  TYPE_TAG: K_TYPE_TAG, ENUM64: K_ENUM64,
} = BTF_KIND;
const KIND_NAMES = BTF_KIND_NAMES.slice();
const TYPE_SIZE = BTF_TYPE_SIZE;
const MEMBER_SIZE = BTF_MEMBER_SIZE;

/**
 * A parsed BTF blob: types by id (0 = void) and the string table.
 *
 * parseBtf validates the whole blob up front; type objects are then decoded on first use,
 * so a 6 MB vmlinux BTF costs one validation pass and only the types a caller touches.
 */
export class Btf {
  readonly strings: BtfStrings;
  /** Section name used in errors. */
  readonly section: string;
  /** The raw blob this was parsed from. */
  readonly bytes: Uint8Array;
  // Lazy state lives in #private fields so two parses of the same bytes compare equal
  // (vitest toEqual, structuredClone-free specs) whatever each has decoded so far.
  readonly #dv: DataView;
  /** Byte offset (in the blob) of each type record; index = type id, [0] unused. */
  readonly #recordAt: Uint32Array;
  readonly #cache: (BtfType | undefined)[];
  #all: BtfType[] | undefined;
  #byName: Map<string, number[]> | undefined;

  /** @internal Use parseBtf. */
  constructor(dv: DataView, recordAt: Uint32Array, strings: BtfStrings, section: string) {
    this.bytes = new Uint8Array(dv.buffer, dv.byteOffset, dv.byteLength);
    this.#dv = dv;
    this.#recordAt = recordAt;
    this.strings = strings;
    this.section = section;
    this.#cache = new Array(recordAt.length);
    this.#cache[0] = { id: 0, kind: 'VOID', name: '', offset: -1 };
  }

  /** Number of types including void. */
  get count(): number {
    return this.#recordAt.length;
  }

  /** Every type, indexed by type id; `types[0]` is void. (Decodes all types on first use.) */
  get types(): readonly BtfType[] {
    if (this.#all === undefined) {
      const all: BtfType[] = new Array(this.#recordAt.length);
      for (let i = 0; i < all.length; i++) all[i] = this.typeById(i);
      this.#all = all;
    }
    return this.#all;
  }

  /** The type with id `id`; BtfError when out of range. */
  typeById(id: number): BtfType {
    if (!Number.isInteger(id) || id < 0 || id >= this.#recordAt.length) {
      throw new BtfError(`type id ${id} out of range (${this.#recordAt.length} types)`, { section: this.section });
    }
    let t = this.#cache[id];
    if (t === undefined) {
      t = decodeType(this.#dv, this.#recordAt[id], id, this.strings);
      this.#cache[id] = t;
    }
    return t;
  }

  /** Ids of all types named `name` (ascending). */
  idsByName(name: string): readonly number[] {
    if (this.#byName === undefined) {
      const m = new Map<string, number[]>();
      for (let id = 1; id < this.#recordAt.length; id++) {
        const off = this.#dv.getUint32(this.#recordAt[id], true);
        if (off === 0) continue;
        const s = this.strings.at(off) as string;
        const l = m.get(s);
        if (l) l.push(id);
        else m.set(s, [id]);
      }
      this.#byName = m;
    }
    return this.#byName.get(name) ?? [];
  }

  /** The kind number (BTF_KIND.*) of type `id` without decoding it (cheap scans of big BTF). */
  kindOf(id: number): number {
    const at = this.#recordOffset(id);
    return at < 0 ? 0 : (this.#dv.getUint32(at + 4, true) >>> 24) & 0x1f;
  }

  /** The name of type `id` without decoding it. */
  nameOf(id: number): string {
    const at = this.#recordOffset(id);
    return at < 0 ? '' : (this.strings.at(this.#dv.getUint32(at, true)) as string);
  }

  /** Offset of type `id`'s record (-1 for void); BtfError when out of range. */
  #recordOffset(id: number): number {
    if (!Number.isInteger(id) || id < 0 || id >= this.#recordAt.length) {
      throw new BtfError(`type id ${id} out of range (${this.#recordAt.length} types)`, { section: this.section });
    }
    return id === 0 ? -1 : this.#recordAt[id];
  }

  /** The first type named `name` (optionally of kind `kind`), or undefined. */
  typeByName(name: string, kind?: BtfTypeKind): BtfType | undefined {
    for (const id of this.idsByName(name)) {
      const t = this.typeById(id);
      if (kind === undefined || t.kind === kind) return t;
    }
    return undefined;
  }

  /** Id of the type behind typedef/const/volatile/restrict/type_tag (libbpf skip_mods_and_typedefs). */
  resolveId(id: number): number {
    let cur = id;
    for (let depth = 0; depth <= MAX_RESOLVE_DEPTH; depth++) {
      const t = this.typeById(cur);
      if (!MODIFIER_KINDS.has(t.kind)) return cur;
      cur = (t as { type: number }).type;
    }
    throw new BtfError(`type [${id}] ${this.typeName(id)}: modifier chain longer than ${MAX_RESOLVE_DEPTH} (cycle?)`, {
      section: this.section, offset: this.offsetOf(id),
    });
  }

  /** The type behind modifiers and typedefs. */
  resolve(id: number): BtfType {
    return this.typeById(this.resolveId(id));
  }

  /** Size in bytes of type `id` (libbpf btf__resolve_size); BtfError for sizeless types. */
  sizeof(id: number): number {
    let cur = id;
    let nelems = 1;
    for (let depth = 0; depth <= MAX_RESOLVE_DEPTH; depth++) {
      const t = this.typeById(cur);
      switch (t.kind) {
        case 'INT': case 'STRUCT': case 'UNION': case 'ENUM': case 'ENUM64': case 'DATASEC': case 'FLOAT':
          return this.checkSize(id, nelems * t.size);
        case 'PTR':
          return this.checkSize(id, nelems * BTF_PTR_SIZE);
        case 'TYPEDEF': case 'VOLATILE': case 'CONST': case 'RESTRICT': case 'VAR': case 'DECL_TAG': case 'TYPE_TAG':
          cur = t.type;
          break;
        case 'ARRAY':
          nelems *= t.nelems;
          if (nelems > 0xffffffff) this.checkSize(id, nelems);
          cur = t.type;
          break;
        default:
          throw new BtfError(`type [${id}] ${this.typeName(id)} has no size`, { section: this.section, offset: this.offsetOf(id) });
      }
    }
    throw new BtfError(`type [${id}]: reference chain longer than ${MAX_RESOLVE_DEPTH} (cycle?)`, {
      section: this.section, offset: this.offsetOf(id),
    });
  }

  private offsetOf(id: number): number | undefined {
    return id > 0 && id < this.#recordAt.length ? this.#recordAt[id] : undefined;
  }

  private checkSize(id: number, size: number): number {
    if (size > 0xffffffff) throw new BtfError(`type [${id}] is larger than 4 GiB`, { section: this.section, offset: this.offsetOf(id) });
    return size;
  }

  /**
   * A C-like rendering of type `id` for messages: `struct __sk_buff`, `const char *`,
   * `__u32[4]`, `int (*)(...)`. Bounded; never throws.
   */
  typeName(id: number): string {
    return this.render(id, 0);
  }

  private render(id: number, depth: number): string {
    if (!Number.isInteger(id) || id < 0 || id >= this.#recordAt.length) return `<bad type id ${id}>`;
    const t = this.typeById(id);
    if (depth > MAX_RESOLVE_DEPTH) return '...';
    const named = (prefix: string): string => (t.name ? `${prefix}${t.name}` : `${prefix}<anon>`);
    switch (t.kind) {
      case 'VOID': return 'void';
      case 'INT': case 'FLOAT': case 'TYPEDEF': return t.name || `<anon ${t.kind.toLowerCase()}>`;
      case 'STRUCT': return named('struct ');
      case 'UNION': return named('union ');
      case 'ENUM': case 'ENUM64': return named('enum ');
      case 'FWD': return named(t.union ? 'union ' : 'struct ');
      case 'PTR': return `${this.render(t.type, depth + 1)} *`;
      case 'CONST': case 'VOLATILE': case 'RESTRICT':
        return `${t.kind.toLowerCase()} ${this.render(t.type, depth + 1)}`;
      case 'TYPE_TAG': return `${this.render(t.type, depth + 1)} __attribute__((btf_type_tag("${t.name}")))`;
      case 'ARRAY': return `${this.render(t.type, depth + 1)}[${t.nelems}]`;
      case 'FUNC': return `func ${t.name}`;
      case 'FUNC_PROTO': return `${this.render(t.type, depth + 1)} (*)(${t.params.length ? '...' : 'void'})`;
      case 'VAR': return `var ${t.name}`;
      case 'DATASEC': return `datasec ${t.name}`;
      case 'DECL_TAG': return `decl_tag ${t.name}`;
    }
  }
}

/** Decodes the (already validated) type record at `pos`. */
function decodeType(dv: DataView, pos: number, id: number, strings: BtfStrings): BtfType {
  const offset = pos;
  const name = strings.at(dv.getUint32(pos, true)) as string;
  const info = dv.getUint32(pos + 4, true);
  const sizeOrType = dv.getUint32(pos + 8, true);
  const vlen = info & 0xffff;
  const kindNo = (info >>> 24) & 0x1f;
  const kflag = (info >>> 31) === 1;
  pos += TYPE_SIZE;
  switch (kindNo) {
    case K_INT: {
      const data = dv.getUint32(pos, true);
      const encoding = (data >>> 24) & 0x0f;
      return {
        id, name, offset, kind: 'INT', size: sizeOrType, encoding, bitOffset: (data >>> 16) & 0xff, bits: data & 0xff,
        signed: (encoding & BTF_INT_SIGNED) !== 0, char: (encoding & BTF_INT_CHAR) !== 0, bool: (encoding & BTF_INT_BOOL) !== 0,
      };
    }
    case K_PTR: case K_TYPEDEF: case K_VOLATILE: case K_CONST: case K_RESTRICT: case K_TYPE_TAG:
      return { id, name, offset, kind: KIND_NAMES[kindNo] as 'PTR', type: sizeOrType };
    case K_ARRAY:
      return { id, name, offset, kind: 'ARRAY', type: dv.getUint32(pos, true), indexType: dv.getUint32(pos + 4, true), nelems: dv.getUint32(pos + 8, true) };
    case K_STRUCT: case K_UNION: {
      const members: BtfMember[] = new Array(vlen);
      for (let i = 0; i < vlen; i++, pos += MEMBER_SIZE) {
        const raw = dv.getUint32(pos + 8, true);
        members[i] = {
          name: strings.at(dv.getUint32(pos, true)) as string,
          type: dv.getUint32(pos + 4, true),
          bitOffset: kflag ? raw & 0xffffff : raw,
          bitfieldSize: kflag ? raw >>> 24 : 0,
        };
      }
      return { id, name, offset, kind: kindNo === K_STRUCT ? 'STRUCT' : 'UNION', size: sizeOrType, kindFlag: kflag, members } satisfies BtfComposite;
    }
    case K_ENUM: case K_ENUM64: {
      const is64 = kindNo === K_ENUM64;
      const rec = is64 ? BTF_ENUM64_SIZE : BTF_ENUM_SIZE;
      const values: BtfEnumValue[] = new Array(vlen);
      for (let i = 0; i < vlen; i++, pos += rec) {
        let value: bigint;
        if (is64) {
          const u = (BigInt(dv.getUint32(pos + 8, true)) << 32n) | BigInt(dv.getUint32(pos + 4, true));
          value = kflag ? BigInt.asIntN(64, u) : u;
        } else {
          value = kflag ? BigInt(dv.getInt32(pos + 4, true)) : BigInt(dv.getUint32(pos + 4, true));
        }
        values[i] = { name: strings.at(dv.getUint32(pos, true)) as string, value };
      }
      return { id, name, offset, kind: is64 ? 'ENUM64' : 'ENUM', size: sizeOrType, signed: kflag, values };
    }
    case K_FWD:
      return { id, name, offset, kind: 'FWD', union: kflag };
    case K_FUNC:
      return { id, name, offset, kind: 'FUNC', type: sizeOrType, linkage: vlen };
    case K_FUNC_PROTO: {
      const params: BtfParam[] = new Array(vlen);
      for (let i = 0; i < vlen; i++, pos += BTF_PARAM_SIZE) {
        params[i] = { name: strings.at(dv.getUint32(pos, true)) as string, type: dv.getUint32(pos + 4, true) };
      }
      return { id, name, offset, kind: 'FUNC_PROTO', type: sizeOrType, params };
    }
    case K_VAR:
      return { id, name, offset, kind: 'VAR', type: sizeOrType, linkage: dv.getUint32(pos, true) };
    case K_DATASEC: {
      const vars: BtfVarSecinfo[] = new Array(vlen);
      for (let i = 0; i < vlen; i++, pos += BTF_VAR_SECINFO_SIZE) {
        vars[i] = { type: dv.getUint32(pos, true), offset: dv.getUint32(pos + 4, true), size: dv.getUint32(pos + 8, true) };
      }
      return { id, name, offset, kind: 'DATASEC', size: sizeOrType, vars };
    }
    case K_FLOAT:
      return { id, name, offset, kind: 'FLOAT', size: sizeOrType };
    default: // K_DECL_TAG (validated)
      return { id, name, offset, kind: 'DECL_TAG', type: sizeOrType, componentIdx: dv.getInt32(pos, true) };
  }
}

/**
 * Parses a raw .BTF blob (an object's `.BTF` section or /sys/kernel/btf/vmlinux). The whole
 * blob is validated here (header, sections, every record's bounds, name offsets and type ids);
 * problems are BtfErrors with the byte offset of the offending record.
 */
export function parseBtf(bytes: Uint8Array, opts: ParseBtfOptions = {}): Btf {
  const section = opts.section ?? '.BTF';
  const fail = (message: string, offset?: number): never => {
    throw new BtfError(message, { section, ...(offset !== undefined ? { offset } : {}) });
  };
  if (!(bytes instanceof Uint8Array)) fail('input is not a byte array');
  if (bytes.length < BTF_HEADER_SIZE) fail(`${bytes.length} bytes is shorter than the ${BTF_HEADER_SIZE}-byte header`, 0);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);

  // Header (kernel btf_parse_hdr).
  const magic = dv.getUint16(0, true);
  if (magic !== BTF_MAGIC) {
    if (magic === 0x9feb) fail('big-endian BTF is not supported', 0);
    fail(`bad magic 0x${magic.toString(16)} (want 0x${BTF_MAGIC.toString(16)})`, 0);
  }
  const version = dv.getUint8(2);
  if (version !== BTF_VERSION) fail(`unsupported version ${version}`, 2);
  const hdrLen = dv.getUint32(4, true);
  if (hdrLen < BTF_HEADER_SIZE || hdrLen > bytes.length) fail(`header length ${hdrLen} out of range`, 4);
  for (let i = BTF_HEADER_SIZE; i < hdrLen; i++) {
    if (bytes[i] !== 0) fail('unsupported header fields (non-zero bytes past the known header)', i);
  }
  const typeOff = dv.getUint32(8, true);
  const typeLen = dv.getUint32(12, true);
  const strOff = dv.getUint32(16, true);
  const strLen = dv.getUint32(20, true);
  const dataLen = bytes.length - hdrLen;
  if (typeOff % 4 !== 0) fail(`type section offset ${typeOff} is not 4-byte aligned`, 8);
  if (typeOff + typeLen > dataLen) fail(`type section [${typeOff}, +${typeLen}) runs past the end (${dataLen} data bytes)`, 8);
  if (strOff + strLen > dataLen) fail(`string section [${strOff}, +${strLen}) runs past the end (${dataLen} data bytes)`, 16);
  if (typeOff < strOff + strLen && strOff < typeOff + typeLen) fail('type and string sections overlap', 8);
  if (typeLen % 4 !== 0) fail(`type section length ${typeLen} is not a multiple of 4`, 12);

  // Strings (kernel btf_parse_str_sec): non-empty, starts and ends with NUL.
  const strStart = hdrLen + strOff;
  const strBytes = bytes.subarray(strStart, strStart + strLen);
  if (strLen === 0) fail('empty string section', 20);
  if (strBytes[0] !== 0) fail('string section does not start with NUL', strStart);
  if (strBytes[strLen - 1] !== 0) fail('string section is not NUL-terminated', strStart + strLen - 1);
  const strings = new BtfStrings(strBytes);

  // Pass 1: record boundaries, kinds, sizes and name offsets.
  const typeStart = hdrLen + typeOff;
  const typeEnd = typeStart + typeLen;
  const maxTypes = Math.floor(typeLen / TYPE_SIZE) + 1;
  let recordAt = new Uint32Array(Math.min(maxTypes, 1024));
  let count = 1;
  let pos = typeStart;
  const checkName = (off: number, at: number): void => {
    if (off >= strLen) fail(`name offset ${off} is outside the string section (${strLen} bytes)`, at);
  };
  while (pos < typeEnd) {
    const at = pos;
    if (count > BTF_MAX_TYPE) fail(`more than ${BTF_MAX_TYPE} types`, at);
    if (pos + TYPE_SIZE > typeEnd) fail('type record runs past the end of the type section', at);
    if (count === recordAt.length) {
      const grown = new Uint32Array(Math.min(maxTypes, recordAt.length * 2));
      grown.set(recordAt);
      recordAt = grown;
    }
    recordAt[count] = at;
    const id = count++;
    checkName(dv.getUint32(pos, true), at);
    const info = dv.getUint32(pos + 4, true);
    const sizeOrType = dv.getUint32(pos + 8, true);
    const vlen = info & 0xffff;
    const kindNo = (info >>> 24) & 0x1f;
    pos += TYPE_SIZE;
    let extra: number;
    let perItem = 0;
    switch (kindNo) {
      case K_INT: extra = BTF_INT_DATA; break;
      case K_PTR: case K_TYPEDEF: case K_VOLATILE: case K_CONST: case K_RESTRICT: case K_TYPE_TAG:
      case K_FWD: case K_FUNC: case K_FLOAT:
        extra = 0; break;
      case K_ARRAY: extra = BTF_ARRAY_SIZE; break;
      case K_STRUCT: case K_UNION: perItem = MEMBER_SIZE; extra = vlen * MEMBER_SIZE; break;
      case K_ENUM: perItem = BTF_ENUM_SIZE; extra = vlen * BTF_ENUM_SIZE; break;
      case K_ENUM64: perItem = BTF_ENUM64_SIZE; extra = vlen * BTF_ENUM64_SIZE; break;
      case K_FUNC_PROTO: perItem = BTF_PARAM_SIZE; extra = vlen * BTF_PARAM_SIZE; break;
      case K_VAR: extra = BTF_VAR_SIZE; break;
      case K_DATASEC: extra = vlen * BTF_VAR_SECINFO_SIZE; break;
      case K_DECL_TAG: extra = BTF_DECL_TAG_SIZE; break;
      default:
        return fail(`[${id}] unknown kind ${kindNo}`, at);
    }
    if (pos + extra > typeEnd) fail(`[${id}] ${KIND_NAMES[kindNo]} data (${extra} bytes) runs past the end of the type section`, at);
    if (kindNo === K_INT) {
      const data = dv.getUint32(pos, true);
      const bits = data & 0xff;
      const bitOffset = (data >>> 16) & 0xff;
      if (sizeOrType > 16 || sizeOrType === 0) fail(`[${id}] INT: bad size ${sizeOrType}`, at);
      if (bitOffset + bits > sizeOrType * 8) fail(`[${id}] INT: ${bits} bits at offset ${bitOffset} do not fit ${sizeOrType} bytes`, at);
    }
    // Names of members, enumerators and parameters are checked here so decoding cannot fail.
    if (perItem !== 0) for (let p = pos; p < pos + extra; p += perItem) checkName(dv.getUint32(p, true), p);
    pos += extra;
  }
  recordAt = recordAt.slice(0, count);

  // Pass 2: every referenced type id exists.
  for (let id = 1; id < count; id++) checkRecordRefs(dv, recordAt[id], id, count, fail);
  return new Btf(dv, recordAt, strings, section);
}

/** Checks the type ids one validated record refers to. */
function checkRecordRefs(dv: DataView, at: number, id: number, n: number, fail: (m: string, o?: number) => never): void {
  const info = dv.getUint32(at + 4, true);
  const vlen = info & 0xffff;
  const kindNo = (info >>> 24) & 0x1f;
  const ref = dv.getUint32(at + 8, true);
  const p = at + TYPE_SIZE;
  const bad = (what: string, t: number, where: number): never =>
    fail(`[${id}] ${KIND_NAMES[kindNo]}: ${what} type id ${t} out of range (${n} types)`, where);
  switch (kindNo) {
    case K_PTR: case K_TYPEDEF: case K_VOLATILE: case K_CONST: case K_RESTRICT: case K_TYPE_TAG:
    case K_FUNC: case K_VAR: case K_DECL_TAG: case K_FUNC_PROTO:
      if (ref >= n) bad('referenced', ref, at);
      if (kindNo === K_FUNC_PROTO) {
        for (let i = 0; i < vlen; i++) {
          const t = dv.getUint32(p + i * BTF_PARAM_SIZE + 4, true);
          if (t >= n) bad(`parameter ${i}`, t, p + i * BTF_PARAM_SIZE);
        }
      }
      break;
    case K_ARRAY: {
      const elem = dv.getUint32(p, true);
      const index = dv.getUint32(p + 4, true);
      if (elem >= n) bad('element', elem, p);
      if (index >= n) bad('index', index, p + 4);
      break;
    }
    case K_STRUCT: case K_UNION:
      for (let i = 0; i < vlen; i++) {
        const t = dv.getUint32(p + i * MEMBER_SIZE + 4, true);
        if (t >= n) bad(`member ${i}`, t, p + i * MEMBER_SIZE);
      }
      break;
    case K_DATASEC:
      for (let i = 0; i < vlen; i++) {
        const t = dv.getUint32(p + i * BTF_VAR_SECINFO_SIZE, true);
        if (t >= n) bad(`variable ${i}`, t, p + i * BTF_VAR_SECINFO_SIZE);
      }
      break;
    default:
      break;
  }
}
