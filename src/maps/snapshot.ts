/**
 * @fileoverview Snapshots of maps and their difference: what a test run added, removed and
 * changed (`collection.snapshot()` before and after, then `diffSnapshots`). A snapshot copies
 * the bytes; keys and values are decoded by the maps' BTF codecs (src/maps/typed.ts) when the
 * difference is taken. Maps without keys (queue, stack, ringbuf) are left out; each map is read
 * up to `maxEntries` entries (its `truncated` flag says when more were there).
 */
import { toHex } from './bytes.js';
import type { MapValue } from './typed.js';
import type { BpfMap, HostValue } from './types.js';

/** Entries read per map at most by default. */
export const SNAPSHOT_MAX_ENTRIES = 1 << 16;

/** One map's entries at snapshot time. */
export interface MapState {
  readonly map: BpfMap;
  /** Key bytes (hex) → [key bytes, value bytes (per CPU: one per CPU)]. */
  readonly entries: ReadonlyMap<string, readonly [Uint8Array, HostValue]>;
  /** More than `maxEntries` entries: the rest were not read. */
  readonly truncated: boolean;
}

/** All maps of a collection at one point of a test, by map name. */
export interface MapsSnapshot {
  readonly maps: ReadonlyMap<string, MapState>;
}

/** Options of snapshotMaps. */
export interface SnapshotOptions {
  /** Entries read per map at most (default SNAPSHOT_MAX_ENTRIES). */
  maxEntries?: number;
}

/** Copy the entries of `maps` (name → map). */
export function snapshotMaps(maps: Iterable<readonly [string, BpfMap]>, opts: SnapshotOptions = {}): MapsSnapshot {
  const max = opts.maxEntries ?? SNAPSHOT_MAX_ENTRIES;
  const out = new Map<string, MapState>();
  for (const [name, map] of maps) {
    if (map.keySize === 0 || out.has(name)) continue;
    const keys = map.keys(max + 1);
    const entries = new Map<string, readonly [Uint8Array, HostValue]>();
    for (const k of keys.slice(0, max)) {
      let v: HostValue | undefined;
      try {
        v = map.lookup(k);
      } catch {
        v = undefined; // fd slots and write-only maps have no value to show
      }
      if (v !== undefined) entries.set(toHex(k), [k.slice(), Array.isArray(v) ? v.map((x) => x.slice()) : v.slice()]);
    }
    out.set(name, { map, entries, truncated: keys.length > max });
  }
  return { maps: out };
}

/** One entry in a difference: decoded key and value, and the key's bytes in hex. */
export interface DiffEntry {
  readonly keyHex: string;
  readonly key: MapValue;
  readonly value: MapValue;
}

/** A changed entry: the value before and after. */
export interface ChangedEntry {
  readonly keyHex: string;
  readonly key: MapValue;
  readonly before: MapValue;
  readonly after: MapValue;
}

/** What happened to one map between two snapshots (only maps with a difference are listed). */
export interface MapDiff {
  readonly map: string;
  readonly added: DiffEntry[];
  readonly removed: DiffEntry[];
  readonly changed: ChangedEntry[];
}

const sameValue = (a: HostValue, b: HostValue): boolean => {
  const xs = Array.isArray(a) ? a : [a];
  const ys = Array.isArray(b) ? b : [b];
  return xs.length === ys.length && xs.every((x, i) => x.length === ys[i].length && x.every((byte, j) => byte === ys[i][j]));
};

function decodeKey(map: BpfMap, k: Uint8Array): MapValue {
  return map.codec ? map.codec.decodeKey(k) : k;
}

function decodeValue(map: BpfMap, v: HostValue): MapValue {
  const one = (x: Uint8Array): MapValue => (map.codec ? map.codec.decodeValue(x) : x);
  return Array.isArray(v) ? v.map(one) : one(v);
}

/**
 * The entries `after` has that `before` had not (added), had that `after` has not (removed),
 * and holds with other bytes (changed), per map, in map and key order.
 */
export function diffSnapshots(before: MapsSnapshot, after: MapsSnapshot): MapDiff[] {
  const out: MapDiff[] = [];
  const names = [...new Set([...before.maps.keys(), ...after.maps.keys()])];
  for (const name of names) {
    const a = before.maps.get(name);
    const b = after.maps.get(name);
    const map = (b ?? a)!.map;
    const ea = a?.entries ?? new Map<string, readonly [Uint8Array, HostValue]>();
    const eb = b?.entries ?? new Map<string, readonly [Uint8Array, HostValue]>();
    const d: MapDiff = { map: name, added: [], removed: [], changed: [] };
    for (const [hex, [k, v]] of eb) {
      const old = ea.get(hex);
      if (old === undefined) d.added.push({ keyHex: hex, key: decodeKey(map, k), value: decodeValue(map, v) });
      else if (!sameValue(old[1], v)) d.changed.push({ keyHex: hex, key: decodeKey(map, k), before: decodeValue(map, old[1]), after: decodeValue(map, v) });
    }
    for (const [hex, [k, v]] of ea) if (!eb.has(hex)) d.removed.push({ keyHex: hex, key: decodeKey(map, k), value: decodeValue(map, v) });
    if (d.added.length + d.removed.length + d.changed.length > 0) out.push(d);
  }
  return out;
}
