/**
 * @fileoverview A small BTF writer: serialises decoded types (the model of types.ts) back to a
 * raw .BTF blob. Used to build the built-in target BTF (test/goldens/btf/gen-target.ts) and by
 * tests to make hand-written and hostile BTF.
 */
import {
  BTF_HEADER_SIZE, BTF_KIND, BTF_MAGIC, BTF_VERSION,
} from './wire.js';
import type { BtfType } from './types.js';

/** A type to write: a decoded type without `id`/`offset` (ids are positions, starting at 1). */
export type BtfTypeSpec = BtfType extends infer T ? (T extends BtfType ? Omit<T, 'id' | 'offset'> : never) : never;

/** Serialises `types` (type id i+1 = types[i]) into a .BTF blob. */
export function writeBtf(types: readonly BtfTypeSpec[]): Uint8Array {
  const strs: number[] = [0];
  const strOff = new Map<string, number>([['', 0]]);
  const enc = new TextEncoder();
  const str = (s: string): number => {
    let o = strOff.get(s);
    if (o === undefined) {
      o = strs.length;
      strs.push(...enc.encode(s), 0);
      strOff.set(s, o);
    }
    return o;
  };
  const words: number[] = [];
  const head = (name: string, kind: number, vlen: number, kflag: boolean, sizeOrType: number): void => {
    words.push(str(name), ((kflag ? 1 : 0) << 31) | (kind << 24) | (vlen & 0xffff), sizeOrType);
  };
  for (const t of types) {
    switch (t.kind) {
      case 'VOID': throw new Error('void is implicit (id 0)');
      case 'INT':
        head(t.name, BTF_KIND.INT, 0, false, t.size);
        words.push((t.encoding << 24) | (t.bitOffset << 16) | t.bits);
        break;
      case 'PTR': case 'TYPEDEF': case 'VOLATILE': case 'CONST': case 'RESTRICT': case 'TYPE_TAG':
        head(t.name, BTF_KIND[t.kind], 0, false, t.type);
        break;
      case 'ARRAY':
        head(t.name, BTF_KIND.ARRAY, 0, false, 0);
        words.push(t.type, t.indexType, t.nelems);
        break;
      case 'STRUCT': case 'UNION':
        head(t.name, BTF_KIND[t.kind], t.members.length, t.kindFlag, t.size);
        for (const m of t.members) words.push(str(m.name), m.type, t.kindFlag ? (m.bitfieldSize << 24) | m.bitOffset : m.bitOffset);
        break;
      case 'ENUM':
        head(t.name, BTF_KIND.ENUM, t.values.length, t.signed, t.size);
        for (const v of t.values) words.push(str(v.name), Number(BigInt.asUintN(32, v.value)));
        break;
      case 'ENUM64':
        head(t.name, BTF_KIND.ENUM64, t.values.length, t.signed, t.size);
        for (const v of t.values) {
          const u = BigInt.asUintN(64, v.value);
          words.push(str(v.name), Number(u & 0xffffffffn), Number(u >> 32n));
        }
        break;
      case 'FWD':
        head(t.name, BTF_KIND.FWD, 0, t.union, 0);
        break;
      case 'FUNC':
        head(t.name, BTF_KIND.FUNC, t.linkage, false, t.type);
        break;
      case 'FUNC_PROTO':
        head(t.name, BTF_KIND.FUNC_PROTO, t.params.length, false, t.type);
        for (const p of t.params) words.push(str(p.name), p.type);
        break;
      case 'VAR':
        head(t.name, BTF_KIND.VAR, 0, false, t.type);
        words.push(t.linkage);
        break;
      case 'DATASEC':
        head(t.name, BTF_KIND.DATASEC, t.vars.length, false, t.size);
        for (const v of t.vars) words.push(v.type, v.offset, v.size);
        break;
      case 'FLOAT':
        head(t.name, BTF_KIND.FLOAT, 0, false, t.size);
        break;
      case 'DECL_TAG':
        head(t.name, BTF_KIND.DECL_TAG, 0, false, t.type);
        words.push(t.componentIdx);
        break;
    }
  }
  const typeLen = words.length * 4;
  const out = new Uint8Array(BTF_HEADER_SIZE + typeLen + strs.length);
  const dv = new DataView(out.buffer);
  dv.setUint16(0, BTF_MAGIC, true);
  dv.setUint8(2, BTF_VERSION);
  dv.setUint8(3, 0);
  dv.setUint32(4, BTF_HEADER_SIZE, true);
  dv.setUint32(8, 0, true);
  dv.setUint32(12, typeLen, true);
  dv.setUint32(16, typeLen, true);
  dv.setUint32(20, strs.length, true);
  words.forEach((w, i) => dv.setUint32(BTF_HEADER_SIZE + i * 4, w >>> 0, true));
  out.set(strs, BTF_HEADER_SIZE + typeLen);
  return out;
}
