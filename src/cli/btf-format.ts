/**
 * @fileoverview A map key or value as bpftool's BTF dumper prints it in JSON (tools/bpf/bpftool/
 * btf_dumper.c, JSON mode): integers as numbers (u64/s64 exact, written as JSON text so that no
 * precision is lost), chars as one-character strings, bools, enums by enumerator name, char
 * arrays that hold a NUL-terminated printable string as strings, structs and unions as objects,
 * bitfields and 128-bit integers as "0x..." strings, pointers as numbers, a VAR as
 * {"name": value} and a DATASEC as {"section": [vars...]}. Returns JSON text, or undefined for a
 * type it does not handle (float, func...): the caller then omits `formatted` as bpftool does
 * when it cannot format.
 */
import type { Btf } from '../../loader/btf/parse.js';

const MAX_DEPTH = 32;

/** Little-endian unsigned integer of `n` bytes at `off` (n ≤ 16). */
function readUnsigned(b: Uint8Array, off: number, n: number): bigint {
  let v = 0n;
  for (let i = n - 1; i >= 0; i--) v = (v << 8n) | BigInt(b[off + i] ?? 0);
  return v;
}

/** `nbits` bits from bit `bitOff` of the little-endian bytes at `off` (btf_dumper_bitfield). */
function bits(b: Uint8Array, off: number, bitOff: number, nbits: number): bigint {
  const bytes = Math.ceil((bitOff + nbits) / 8);
  return (readUnsigned(b, off, Math.min(bytes, 16)) >> BigInt(bitOff)) & ((1n << BigInt(nbits)) - 1n);
}

const hexStr = (v: bigint): string => `"0x${v.toString(16)}"`;

function isPrintable(c: number): boolean {
  return c >= 0x20 && c < 0x7f;
}

/** JSON text of the value of BTF type `id` at `data[off..]`, or undefined when unsupported. */
export function formatBtf(btf: Btf, id: number, data: Uint8Array, off = 0, bitOff = 0, depth = 0): string | undefined {
  if (depth > MAX_DEPTH) return undefined;
  const t = btf.typeById(id);
  switch (t.kind) {
    case 'TYPEDEF':
    case 'VOLATILE':
    case 'CONST':
    case 'RESTRICT':
    case 'TYPE_TAG':
      return formatBtf(btf, t.type, data, off, bitOff, depth + 1);
    case 'INT': {
      if (bitOff !== 0 || t.bitOffset !== 0 || t.bits % 8 !== 0) {
        const total = bitOff + t.bitOffset;
        return hexStr(bits(data, off + (total >> 3), total & 7, t.bits));
      }
      if (t.bits === 128) return hexStr(readUnsigned(data, off, 16));
      if (t.bool) return data[off] !== 0 ? 'true' : 'false';
      if (t.char) {
        const c = data[off];
        return isPrintable(c) ? JSON.stringify(String.fromCharCode(c)) : `"\\u00${c.toString(16).padStart(2, '0')}"`;
      }
      if (![8, 16, 32, 64].includes(t.bits)) return hexStr(bits(data, off, 0, t.bits));
      const u = readUnsigned(data, off, t.bits / 8);
      return (t.signed ? BigInt.asIntN(t.bits, u) : u).toString();
    }
    case 'PTR':
      return readUnsigned(data, off, 8).toString();
    case 'ENUM':
    case 'ENUM64': {
      const v = BigInt.asIntN(t.size * 8, readUnsigned(data, off, t.size));
      // btf_dumper_enum compares the sign-extended value with each enumerator.
      const hit = t.values.find((e) => BigInt.asIntN(64, e.value) === v || BigInt.asIntN(t.size * 8, e.value) === v);
      return hit !== undefined ? JSON.stringify(hit.name) : v.toString();
    }
    case 'ARRAY': {
      if (t.nelems === 0) return '[]';
      let elem = btf.typeById(t.type);
      while (elem.kind === 'VOLATILE' || elem.kind === 'CONST' || elem.kind === 'RESTRICT' || elem.kind === 'TYPE_TAG') elem = btf.typeById(elem.type);
      // is_str_array: a char array holding a NUL-terminated printable string prints as a string.
      if (elem.kind === 'INT' && elem.size === 1 && (elem.char || elem.name === 'char')) {
        for (let i = 0; i < t.nelems; i++) {
          const c = data[off + i];
          if (c === 0) return JSON.stringify(Buffer.from(data.subarray(off, off + i)).toString('latin1'));
          if (!isPrintable(c)) break;
        }
      }
      const size = btf.sizeof(t.type);
      const parts: string[] = [];
      for (let i = 0; i < t.nelems; i++) {
        const s = formatBtf(btf, t.type, data, off + i * size, 0, depth + 1);
        if (s === undefined) return undefined;
        parts.push(s);
      }
      return `[${parts.join(',')}]`;
    }
    case 'STRUCT':
    case 'UNION': {
      const parts: string[] = [];
      for (const m of t.members) {
        const at = off + (m.bitOffset >> 3);
        const s =
          m.bitfieldSize !== 0
            ? hexStr(bits(data, at, m.bitOffset & 7, m.bitfieldSize))
            : formatBtf(btf, m.type, data, at, m.bitOffset & 7, depth + 1);
        if (s === undefined) return undefined;
        parts.push(`${JSON.stringify(m.name)}:${s}`);
      }
      return `{${parts.join(',')}}`;
    }
    case 'VAR': {
      const s = formatBtf(btf, t.type, data, off, bitOff, depth + 1);
      return s === undefined ? undefined : `{${JSON.stringify(t.name)}:${s}}`;
    }
    case 'DATASEC':
      return formatDatasec(btf, t.name, t.vars, data, off, depth);
    default:
      return undefined;
  }
}

/** One variable of a DATASEC: its VAR type id and byte offset in the section. */
export interface DatasecVar {
  type: number;
  offset: number;
}

/**
 * A DATASEC `name` laid out as `vars` (btf_dumper_datasec: {"name":[{"var":value},...]} in the
 * order given), e.g. as libbpf fixed it up at open (datasecLayout).
 */
export function formatDatasec(btf: Btf, name: string, vars: readonly DatasecVar[], data: Uint8Array, off = 0, depth = 0): string | undefined {
  const parts: string[] = [];
  for (const v of vars) {
    const s = formatBtf(btf, v.type, data, off + v.offset, 0, depth + 1);
    if (s === undefined) return undefined;
    parts.push(s);
  }
  return `{${JSON.stringify(name)}:[${parts.join(',')}]}`;
}

/** BTF_VAR_STATIC (uapi btf.h). */
const BTF_VAR_STATIC = 0;

/**
 * The variables of DATASEC `id` as libbpf's btf_fixup_datasec leaves them before load, when
 * clang wrote the section with size 0: each non-static variable at its ELF symbol's offset
 * (`symbolOffset`, undefined when there is none: libbpf then fails the open, and we do not
 * format), static ones where clang put them, all sorted by offset (compare_vsi_off). A DATASEC
 * that already has a size (linked objects) is sorted only.
 */
export function datasecLayout(btf: Btf, id: number, symbolOffset: (name: string) => number | undefined): DatasecVar[] | undefined {
  const t = btf.typeById(id);
  if (t.kind !== 'DATASEC') return undefined;
  const out: DatasecVar[] = [];
  for (const v of t.vars) {
    let offset = v.offset;
    const vt = btf.typeById(v.type);
    if (t.size === 0 && vt.kind === 'VAR' && vt.linkage !== BTF_VAR_STATIC) {
      const o = symbolOffset(vt.name);
      if (o === undefined) return undefined;
      offset = o;
    }
    out.push({ type: v.type, offset });
  }
  return out.sort((a, b) => a.offset - b.offset);
}
