/**
 * @fileoverview Maps typed by BTF: how `map.get(key)` / `map.put(key, value)` / `map.delete(key)`
 * and iteration (src/maps/base.ts) turn decoded keys and values into the map's bytes and back.
 *
 * The codec is src/btf-value.ts with its network rules on (README "Maps typed by BTF"): `__be*`
 * integers as host-order numbers, members named like addresses as IPv4/IPv6/MAC text, dotted IPv4
 * accepted by any 4-byte integer. A map gets a codec when its object has BTF for its key and
 * value (`__type(key, ...)` / `__type(value, ...)`); global data maps (.data, .bss, .rodata)
 * get one from their variables: the key is the number 0, the value an object of the section's
 * variables by name. Without a codec, keys and values are bytes (a number is accepted for a 4-
 * or 8-byte key, little-endian).
 */
import { MapValueError } from '../../vm/errors.js';
import type { Btf } from '../../loader/btf/parse.js';
import type { MapSpec, VariableSpec } from '../../loader/spec.js';
import { decodeBtfValue, encodeBtfValue, type BtfCodecErrors, type BtfValue } from '../btf-value.js';
import { isBytes } from './bytes.js';

/** A decoded key or value (see src/btf-value.ts BtfValue). */
export type MapValue = BtfValue;

/** Turns a map's decoded keys and values into bytes and back. */
export interface MapCodec {
  /** The key as bytes (`key` may be bytes already). */
  encodeKey(key: MapValue): Uint8Array;
  decodeKey(bytes: Uint8Array): MapValue;
  /** The value as bytes; struct members (or variables) left out are zero. */
  encodeValue(value: MapValue): Uint8Array;
  decodeValue(bytes: Uint8Array): MapValue;
  /** Whether the value type is an array (per-CPU puts then need an array of arrays). */
  readonly valueIsArray: boolean;
}

function errorsFor(map: string): BtfCodecErrors {
  return {
    value: (path, msg) => {
      throw new MapValueError(map, path, msg);
    },
    size: (path, msg) => {
      throw new MapValueError(map, path, msg);
    },
  };
}

const NET = { net: true } as const;

/** A codec over BTF types `keyTypeId` / `valueTypeId` of `btf`. */
export function btfMapCodec(btf: Btf, mapName: string, keySize: number, valueSize: number, keyTypeId: number, valueTypeId: number): MapCodec {
  const errors = errorsFor(mapName);
  return {
    encodeKey: (key) => encodeBtfValue(btf, keyTypeId, key, new Uint8Array(keySize), 'key', errors, NET),
    decodeKey: (b) => decodeBtfValue(btf, keyTypeId, b, NET),
    encodeValue: (v) => encodeBtfValue(btf, valueTypeId, v, new Uint8Array(valueSize), 'value', errors, NET),
    decodeValue: (b) => decodeBtfValue(btf, valueTypeId, b, NET),
    valueIsArray: btf.resolve(valueTypeId).kind === 'ARRAY',
  };
}

/** A global data map's codec: key 0, the value an object of the section's variables. */
export function dataSectionCodec(btf: Btf, mapName: string, valueSize: number, variables: readonly VariableSpec[]): MapCodec {
  const errors = errorsFor(mapName);
  const byName = new Map(variables.map((v) => [v.name, v] as const));
  return {
    encodeKey: (key) => rawOrIntKey(mapName, 4, key),
    decodeKey: (b) => (b[0] | (b[1] << 8) | (b[2] << 16) | (b[3] << 24)) >>> 0,
    encodeValue: (value) => {
      if (isBytes(value)) {
        if (value.length !== valueSize) errors.value('value', `${value.length} bytes given, the value has ${valueSize}`);
        return value;
      }
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        return errors.value('value', `expected an object of the section's variables (${variables.map((v) => v.name).join(', ')})`);
      }
      const out = new Uint8Array(valueSize);
      for (const name of Object.keys(value)) {
        const v = byName.get(name);
        if (v === undefined) errors.value('value', `no variable ${JSON.stringify(name)} in ${mapName} (have: ${variables.map((x) => x.name).join(', ')})`);
        const spec = v as VariableSpec;
        const at = spec.offset;
        out.set(encodeBtfValue(btf, spec.btfTypeId, (value as Record<string, MapValue>)[name], out.subarray(at, at + spec.size), `value.${name}`, errors, { net: true, name }), at);
      }
      return out;
    },
    decodeValue: (b) => {
      const o = Object.create(null) as Record<string, MapValue>;
      for (const v of variables) o[v.name] = decodeBtfValue(btf, v.btfTypeId, b.subarray(v.offset, v.offset + v.size), { net: true, name: v.name });
      return o;
    },
    valueIsArray: false,
  };
}

/** The codec a map of `spec` gets from the object's BTF, or undefined (bytes only). */
export function codecForSpec(btf: Btf | undefined, spec: MapSpec, mapName = spec.name): MapCodec | undefined {
  if (btf === undefined) return undefined;
  if (spec.source === 'data') return spec.variables !== undefined ? dataSectionCodec(btf, mapName, spec.valueSize, spec.variables) : undefined;
  const k = spec.btfKeyTypeId;
  const v = spec.btfValueTypeId;
  if (!k || !v) return undefined;
  // A key or value type whose size is not the map's (e.g. a 0-size placeholder) cannot be trusted.
  try {
    if (btf.sizeof(k) !== spec.keySize || btf.sizeof(v) !== spec.valueSize) return undefined;
  } catch {
    return undefined;
  }
  return btfMapCodec(btf, mapName, spec.keySize, spec.valueSize, k, v);
}

/** A key without a codec: bytes of the key size, or a number/bigint for a 4- or 8-byte key (LE). */
export function rawOrIntKey(mapName: string, keySize: number, key: MapValue): Uint8Array {
  if (isBytes(key)) {
    if (key.length !== keySize) throw new MapValueError(mapName, 'key', `${key.length} bytes given, the key has ${keySize}`);
    return key;
  }
  if ((typeof key === 'number' || typeof key === 'bigint') && (keySize === 4 || keySize === 8)) {
    const v = BigInt(key);
    if (typeof key === 'number' && !Number.isSafeInteger(key)) throw new MapValueError(mapName, 'key', `${key} is not a safe integer`);
    if (v < 0n || v >= 1n << BigInt(keySize * 8)) throw new MapValueError(mapName, 'key', `${v} does not fit ${keySize} bytes`);
    const out = new Uint8Array(8);
    new DataView(out.buffer).setBigUint64(0, v, true);
    return out.subarray(0, keySize);
  }
  throw new MapValueError(mapName, 'key', `map has no BTF key type: pass the key's ${keySize} bytes${keySize === 4 || keySize === 8 ? ' or a number' : ''}`);
}
