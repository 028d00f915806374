/**
 * @fileoverview JS values <-> bytes by BTF type: the one codec behind global variables by name
 * (src/variables.ts) and maps typed by BTF (src/maps/typed.ts).
 *
 * Integers up to 4 bytes are numbers, 8-byte ones bigints (numbers are accepted when safe);
 * `bool` is a boolean; enums are numbers (an enumerator's name is accepted); a `char` array is a
 * string (UTF-8, NUL-padded); other arrays are JS arrays; structs and unions are objects of
 * member values without a prototype (members left out of an encoded object keep their bytes);
 * raw bytes of the exact size are accepted for anything.
 *
 * With `net` (maps; see README "Maps typed by BTF"):
 * - integers whose type is the `__be16` / `__be32` / `__be64` typedef are big-endian in memory and
 *   read and written as host-order numbers (`port: 80` for a `__be16 port`);
 * - a member whose name says it is an address (`addr`, `saddr`, `lo_addr`, `addr6`, `ip`,
 *   `src_ip`, `vip`, `mac`, `smac`, `h_dest`...; see ADDRESS_NAME) decodes as text by its size: 4 bytes as a dotted
 *   IPv4 address, 16 bytes as an IPv6 address (RFC 5952), 6 bytes as a MAC address
 *   ("aa:bb:cc:dd:ee:ff"), the bytes taken in memory order (network order, as headers carry
 *   them), and accepts that text back;
 * - any 4-byte integer also accepts a dotted IPv4 string (written in network order).
 */
import type { Btf } from '../loader/btf/parse.js';
import type { BtfType } from '../loader/btf/types.js';
import { parseAddr, parseMac } from './packet/build.js';
import { formatAddr, formatMac } from './packet/dissect.js';
import { isBytes } from './maps/bytes.js';

/**
 * A value for a BTF-typed place: numbers or bigints for integers, enums (or an enumerator's
 * name), floats and pointers; booleans for `bool`; a string for a char array (and, with `net`,
 * for addresses); an array for any other array; an object of member values for a struct or
 * union; raw bytes of the exact size for anything.
 */
export type BtfValue = number | bigint | boolean | string | Uint8Array | readonly BtfValue[] | { readonly [member: string]: BtfValue };

/** How the codec reports a bad value (the caller's typed errors). */
export interface BtfCodecErrors {
  /** A value that does not fit the type (range, kind of JS value, enumerator). */
  value(path: string, message: string): never;
  /** Raw bytes, a string or an array whose length is not the type's. */
  size(path: string, message: string, expected: number, got: number): never;
}

/** Codec options. */
export interface BtfCodecOptions {
  /** Network-aware rules (see the file comment). Default false. */
  net?: boolean;
  /** The name of what the value is (a variable's): the net rules read addresses by name. */
  name?: string;
}

/** Nesting bound for types (struct in array in struct ...): BTF chains are bounded too. */
const MAX_DEPTH = 32;

interface Ctx {
  readonly btf: Btf;
  readonly errors: BtfCodecErrors;
  readonly net: boolean;
}

const isPlainObject = (v: unknown): v is { readonly [k: string]: BtfValue } =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && !isBytes(v);

/** Little-endian read of `bytes` as an unsigned bigint. */
function readUint(bytes: Uint8Array, bigEndian = false): bigint {
  let v = 0n;
  if (bigEndian) for (let i = 0; i < bytes.length; i++) v = (v << 8n) | BigInt(bytes[i]);
  else for (let i = bytes.length - 1; i >= 0; i--) v = (v << 8n) | BigInt(bytes[i]);
  return v;
}

function writeUint(bytes: Uint8Array, v: bigint, bigEndian = false): void {
  for (let i = 0; i < bytes.length; i++) {
    bytes[bigEndian ? bytes.length - 1 - i : i] = Number(v & 0xffn);
    v >>= 8n;
  }
}

function describe(v: unknown): string {
  if (isBytes(v)) return `${v.length} raw bytes`;
  if (Array.isArray(v)) return `an array of ${v.length}`;
  if (typeof v === 'string') return `the string ${JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}...` : v)}`;
  return typeof v;
}

/** An integer value as a bigint, or a typed error (fractions, unsafe numbers, other kinds). */
function toBigInt(c: Ctx, path: string, value: BtfValue, typeName: string): bigint {
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number') {
    if (!Number.isInteger(value)) c.errors.value(path, `${value} is not an integer (type ${typeName})`);
    if (!Number.isSafeInteger(value)) c.errors.value(path, `${value} is beyond 2^53: pass a bigint (type ${typeName})`);
    return BigInt(value);
  }
  return c.errors.value(path, `expected a number or bigint for type ${typeName}, got ${describe(value)}`);
}

function checkRange(c: Ctx, path: string, v: bigint, bits: number, signed: boolean, typeName: string): bigint {
  const lo = signed ? -(1n << BigInt(bits - 1)) : 0n;
  const hi = signed ? (1n << BigInt(bits - 1)) - 1n : (1n << BigInt(bits)) - 1n;
  if (v < lo || v > hi) c.errors.value(path, `${v} is out of range for ${typeName} (${lo}..${hi})`);
  return BigInt.asUintN(bits, v);
}

/** Whether an integer type is a C `char` (decoded as text inside arrays). */
const isCharInt = (t: BtfType): boolean => t.kind === 'INT' && t.size === 1 && (t.char || t.name === 'char');

const BE_TYPEDEFS: ReadonlySet<string> = new Set(['__be16', '__be32', '__be64']);

/** Whether type `id` is reached through a `__be16/32/64` typedef (big-endian in memory). */
function isBigEndian(btf: Btf, id: number): boolean {
  for (let depth = 0, cur = id; depth < MAX_DEPTH; depth++) {
    const t = btf.typeById(cur);
    if (t.kind === 'TYPEDEF' && BE_TYPEDEFS.has(t.name)) return true;
    if (t.kind !== 'TYPEDEF' && t.kind !== 'CONST' && t.kind !== 'VOLATILE' && t.kind !== 'RESTRICT' && t.kind !== 'TYPE_TAG') return false;
    cur = t.type;
  }
  return false;
}

/**
 * Member names that say "address": ending in `addr` (saddr, lo_addr, addr6), `ip`/`vip`/`sip`/
 * `dip` alone or `_ip`/`_vip` at the end (src_ip, backend_ip6); MACs: `mac`, `smac`, `dmac`,
 * `src_mac`, `h_source`, `h_dest`. A bare `ipv4`/`ipv6` is a counter or flag as often as not.
 */
const ADDRESS_NAME = /addr(?:v?[46])?$|^(?:ip|vip|sip|dip)$|_v?ip(?:v?[46])?$|(?:^|_)[sd]?mac$|^h_(?:source|dest)$/i;

/** Whether a member called `name` of `size` bytes holds an address the net rules print as text. */
export function isAddressMember(name: string | undefined, size: number): boolean {
  return name !== undefined && (size === 4 || size === 16 || size === 6) && ADDRESS_NAME.test(name);
}

/** Address text of `size` bytes (IPv4, IPv6, MAC) → bytes, or undefined. */
function parseAddress(s: string, size: number): Uint8Array | undefined {
  try {
    if (size === 6) return parseMac(s);
    if (size === 4 && !s.includes(':')) return parseAddr(s, 4);
    if (size === 16 && s.includes(':')) return parseAddr(s, 16);
  } catch {
    // PacketError: not an address; the caller says so in its own terms
  }
  return undefined;
}

function formatAddress(b: Uint8Array): string {
  return b.length === 6 ? formatMac(b) : formatAddr(b);
}

/**
 * Encode `value` as type `typeId` into `out` (exactly the type's size; untouched parts kept).
 * `name` is the member name the value is for (net rules), `path` how errors name the place.
 */
function encode(c: Ctx, typeId: number, value: BtfValue, out: Uint8Array, path: string, depth: number, name?: string): void {
  if (depth > MAX_DEPTH) c.errors.value(path, `types nest deeper than ${MAX_DEPTH}`);
  const typeName = c.btf.typeName(typeId);
  if (isBytes(value)) {
    if (value.length !== out.length) c.errors.size(path, `${value.length} bytes given, type ${typeName} has ${out.length}`, out.length, value.length);
    out.set(value);
    return;
  }
  const t = c.btf.resolve(typeId);
  if (c.net && typeof value === 'string' && isAddressMember(name, out.length) && !(t.kind === 'ARRAY' && isCharInt(c.btf.resolve(t.type)))) {
    const b = parseAddress(value, out.length);
    if (b === undefined) c.errors.value(path, `${JSON.stringify(value)} is not ${out.length === 4 ? 'an IPv4' : out.length === 16 ? 'an IPv6' : 'a MAC'} address (type ${typeName})`);
    out.set(b as Uint8Array);
    return;
  }
  switch (t.kind) {
    case 'INT': {
      if (t.bool) {
        if (typeof value === 'boolean') out.fill(0)[0] = value ? 1 : 0;
        else if (value === 0 || value === 1 || value === 0n || value === 1n) out.fill(0)[0] = Number(value);
        else c.errors.value(path, `expected true or false for ${typeName}, got ${describe(value)}${typeof value === 'number' || typeof value === 'bigint' ? ` ${value}` : ''}`);
        return;
      }
      let v: BtfValue = value;
      if (typeof v === 'string' && isCharInt(t)) {
        const b = new TextEncoder().encode(v);
        if (b.length !== 1) c.errors.value(path, `expected one 1-byte character for ${typeName}, got ${describe(v)}`);
        v = b[0];
      }
      if (c.net && typeof v === 'string' && t.size === 4) {
        const b = parseAddress(v, 4);
        if (b === undefined) c.errors.value(path, `${JSON.stringify(v)} is not a dotted IPv4 address or a number (type ${typeName})`);
        out.set(b as Uint8Array);
        return;
      }
      const be = c.net && isBigEndian(c.btf, typeId);
      writeUint(out, checkRange(c, path, toBigInt(c, path, v, typeName), t.size * 8, t.signed, typeName), be);
      return;
    }
    case 'ENUM':
    case 'ENUM64': {
      let v: bigint;
      if (typeof value === 'string') {
        const e = t.values.find((x) => x.name === value);
        if (e === undefined) c.errors.value(path, `${JSON.stringify(value)} is not an enumerator of ${typeName} (have: ${t.values.map((x) => x.name).join(', ')})`);
        v = (e as { value: bigint }).value;
      } else {
        v = toBigInt(c, path, value, typeName);
      }
      // C converts between an enum and either signedness of its size: accept both ranges.
      const bits = BigInt(t.size * 8);
      if (v < -(1n << (bits - 1n)) || v >= 1n << bits) c.errors.value(path, `${v} is out of range for ${typeName} (${t.size} bytes)`);
      writeUint(out, BigInt.asUintN(t.size * 8, v));
      return;
    }
    case 'PTR':
      writeUint(out, checkRange(c, path, toBigInt(c, path, value, typeName), 64, false, typeName));
      return;
    case 'FLOAT': {
      if (typeof value !== 'number') c.errors.value(path, `expected a number for ${typeName}, got ${describe(value)}`);
      const dv = new DataView(out.buffer, out.byteOffset, out.byteLength);
      if (t.size === 4) dv.setFloat32(0, value as number, true);
      else if (t.size === 8) dv.setFloat64(0, value as number, true);
      else c.errors.value(path, `${t.size}-byte floats are set as raw bytes (a Uint8Array)`);
      return;
    }
    case 'ARRAY': {
      const elemSize = t.nelems === 0 ? 0 : out.length / t.nelems;
      const elem = c.btf.resolve(t.type);
      if (typeof value === 'string') {
        if (elem.kind !== 'INT' || elem.size !== 1) c.errors.value(path, `a string needs an array of 1-byte integers, type is ${typeName}`);
        const b = new TextEncoder().encode(value);
        if (b.length > out.length) c.errors.size(path, `the string is ${b.length} bytes (UTF-8), ${typeName} holds ${out.length}`, out.length, b.length);
        out.fill(0).set(b);
        return;
      }
      if (!Array.isArray(value)) return c.errors.value(path, `expected an array of ${t.nelems} for ${typeName}, got ${describe(value)}`);
      if (value.length !== t.nelems) c.errors.size(path, `${value.length} elements given, ${typeName} has ${t.nelems}`, t.nelems, value.length);
      value.forEach((x: BtfValue, i: number) => encode(c, t.type, x, out.subarray(i * elemSize, (i + 1) * elemSize), `${path}[${i}]`, depth + 1));
      return;
    }
    case 'STRUCT':
    case 'UNION': {
      if (!isPlainObject(value)) return c.errors.value(path, `expected an object of members for ${typeName}, got ${describe(value)}`);
      const members = new Map(t.members.filter((m) => m.name !== '').map((m) => [m.name, m] as const));
      for (const key of Object.keys(value)) {
        const m = members.get(key);
        if (m === undefined) c.errors.value(path, `${typeName} has no member ${JSON.stringify(key)} (have: ${[...members.keys()].join(', ')})`);
        const mem = m as (typeof t.members)[number];
        const v = value[key];
        if (mem.bitfieldSize > 0) {
          encodeBitfield(c, mem.type, v, out, mem.bitOffset, mem.bitfieldSize, `${path}.${key}`);
          continue;
        }
        const size = c.btf.sizeof(mem.type);
        const off = mem.bitOffset / 8;
        encode(c, mem.type, v, out.subarray(off, off + size), `${path}.${key}`, depth + 1, key);
      }
      return;
    }
    default:
      c.errors.value(path, `type ${typeName} is set as raw bytes: pass a Uint8Array of ${out.length}`);
  }
}

function encodeBitfield(c: Ctx, typeId: number, value: BtfValue, out: Uint8Array, bitOffset: number, bits: number, path: string): void {
  const t = c.btf.resolve(typeId);
  const typeName = c.btf.typeName(typeId);
  let v: bigint;
  if (t.kind === 'INT' && t.bool && typeof value === 'boolean') v = value ? 1n : 0n;
  else if ((t.kind === 'ENUM' || t.kind === 'ENUM64') && typeof value === 'string') {
    const e = t.values.find((x) => x.name === value);
    if (e === undefined) return c.errors.value(path, `${JSON.stringify(value)} is not an enumerator of ${typeName}`);
    v = e.value;
  } else v = toBigInt(c, path, value, typeName);
  const signed = (t.kind === 'INT' && t.signed) || ((t.kind === 'ENUM' || t.kind === 'ENUM64') && t.signed);
  const u = checkRange(c, path, v, bits, signed, `${typeName}:${bits}`);
  const first = Math.floor(bitOffset / 8);
  const last = Math.floor((bitOffset + bits - 1) / 8);
  const span = out.subarray(first, last + 1);
  const shift = BigInt(bitOffset - first * 8);
  const mask = ((1n << BigInt(bits)) - 1n) << shift;
  writeUint(span, (readUint(span) & ~mask) | (u << shift));
}

/** Decode type `typeId` from `bytes` (the type's size); `name` is the member's (net rules). */
function decode(c: Ctx, typeId: number, bytes: Uint8Array, depth: number, name?: string): BtfValue {
  if (depth > MAX_DEPTH) return bytes.slice();
  const btf = c.btf;
  const t = btf.resolve(typeId);
  if (c.net && isAddressMember(name, bytes.length) && !(t.kind === 'ARRAY' && isCharInt(btf.resolve(t.type))) && t.kind !== 'FLOAT' && t.kind !== 'PTR') {
    return formatAddress(bytes);
  }
  switch (t.kind) {
    case 'INT': {
      if (t.bool) return bytes[0] !== 0;
      const u = readUint(bytes, c.net && isBigEndian(btf, typeId));
      const v = t.signed ? BigInt.asIntN(t.size * 8, u) : u;
      return t.size <= 4 ? Number(v) : v;
    }
    case 'ENUM':
    case 'ENUM64': {
      const u = readUint(bytes);
      const v = t.signed ? BigInt.asIntN(t.size * 8, u) : u;
      return t.size <= 4 ? Number(v) : v;
    }
    case 'PTR':
      return readUint(bytes);
    case 'FLOAT': {
      const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      return t.size === 4 ? dv.getFloat32(0, true) : t.size === 8 ? dv.getFloat64(0, true) : bytes.slice();
    }
    case 'ARRAY': {
      const elem = btf.resolve(t.type);
      if (isCharInt(elem)) {
        const nul = bytes.indexOf(0);
        return new TextDecoder().decode(nul < 0 ? bytes : bytes.subarray(0, nul));
      }
      const size = t.nelems === 0 ? 0 : bytes.length / t.nelems;
      return Array.from({ length: t.nelems }, (_, i) => decode(c, t.type, bytes.subarray(i * size, (i + 1) * size), depth + 1));
    }
    case 'STRUCT':
    case 'UNION': {
      // Keyed by member names from the object: no prototype.
      const o = Object.create(null) as Record<string, BtfValue>;
      for (const m of t.members) {
        if (m.name === '') continue;
        if (m.bitfieldSize > 0) {
          const first = Math.floor(m.bitOffset / 8);
          const last = Math.floor((m.bitOffset + m.bitfieldSize - 1) / 8);
          const raw = (readUint(bytes.subarray(first, last + 1)) >> BigInt(m.bitOffset - first * 8)) & ((1n << BigInt(m.bitfieldSize)) - 1n);
          const mt = btf.resolve(m.type);
          const signed = (mt.kind === 'INT' || mt.kind === 'ENUM' || mt.kind === 'ENUM64') && mt.signed;
          const v = signed ? BigInt.asIntN(m.bitfieldSize, raw) : raw;
          o[m.name] = mt.kind === 'INT' && mt.bool ? v !== 0n : m.bitfieldSize <= 32 ? Number(v) : v;
          continue;
        }
        const size = btf.sizeof(m.type);
        const off = m.bitOffset / 8;
        o[m.name] = decode(c, m.type, bytes.subarray(off, off + size), depth + 1, m.name);
      }
      return o;
    }
    default:
      return bytes.slice();
  }
}

/**
 * Encode `value` as BTF type `typeId` over `current` (the present bytes, not modified): a new
 * array of the type's size. `path` names the place in errors (`errors` throws them).
 */
export function encodeBtfValue(btf: Btf, typeId: number, value: BtfValue, current: Uint8Array, path: string, errors: BtfCodecErrors, opts: BtfCodecOptions = {}): Uint8Array {
  const out = current.slice();
  encode({ btf, errors, net: opts.net ?? false }, typeId, value, out, path, 0, opts.name);
  return out;
}

/** Decode BTF type `typeId` from `bytes` (its size). */
export function decodeBtfValue(btf: Btf, typeId: number, bytes: Uint8Array, opts: BtfCodecOptions = {}): BtfValue {
  return decode({ btf, errors: NO_ERRORS, net: opts.net ?? false }, typeId, bytes, 0, opts.name);
}

const NO_ERRORS: BtfCodecErrors = {
  value: (p, m) => {
    throw new Error(`${p}: ${m}`);
  },
  size: (p, m) => {
    throw new Error(`${p}: ${m}`);
  },
};
