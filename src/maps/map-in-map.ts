/**
 * @fileoverview BPF_MAP_TYPE_ARRAY_OF_MAPS and BPF_MAP_TYPE_HASH_OF_MAPS
 * (kernel/bpf/arraymap.c, hashtab.c, map_in_map.c).
 *
 * Values are maps. A program lookup returns the inner map itself, as the address of its
 * `handle` region (offset 0), which helpers then accept as a map argument; NULL for an index
 * past max_entries, an empty slot or a missing key. From the host, values are u32 map ids
 * (the kernel takes an inner map fd on update and returns the inner map id on lookup).
 *
 * Every inner map must match the template given at creation (bpf_map_meta_equal): same type,
 * key size, value size and flags, and for arrays also max_entries unless the template has
 * BPF_F_INNER_MAP (array_map_meta_equal). A mismatch is −EINVAL.
 */
import type { Region } from '../../vm/memory.js';
import { BPF_ANY, BPF_EXIST, BPF_F_INNER_MAP, BPF_F_NO_PREALLOC, BPF_MAP_TYPE, ERRNO } from '../uapi.js';
import { BaseMap, throwErrno } from './base.js';
import { compareBytes, keyOf, le32, u32le } from './bytes.js';
import { Slots } from './slots.js';
import { checkFlags } from './hash.js';
import type { BpfMap, HostValue, MapDefinition, MapEnv } from './types.js';

const ARRAY_LIKE: ReadonlySet<number> = new Set([BPF_MAP_TYPE.BPF_MAP_TYPE_ARRAY, BPF_MAP_TYPE.BPF_MAP_TYPE_PERCPU_ARRAY]);

/** Whether `inner` may be stored in a map-in-map whose template is `tpl`. */
export function innerMapMatches(tpl: MapDefinition, inner: BpfMap): boolean {
  if (inner.type !== tpl.type || inner.keySize !== tpl.keySize || inner.valueSize !== tpl.valueSize) return false;
  if (inner.flags !== tpl.flags) return false;
  if (ARRAY_LIKE.has(tpl.type) && !(tpl.flags & BPF_F_INNER_MAP)) return inner.maxEntries === tpl.maxEntries;
  return true;
}

abstract class MapOfMaps extends BaseMap {
  readonly template: MapDefinition;

  constructor(env: MapEnv, def: MapDefinition) {
    super(env, def);
    if (!def.innerMap) throwErrno(this, 'create', -ERRNO.EBADF, 'no inner map template');
    this.template = def.innerMap;
  }

  /** A host value (u32 map id) → the map, or an errno. */
  protected resolveInner(value: Uint8Array): BpfMap | number {
    const m = this.env.maps.get(u32le(value));
    if (!m) return -ERRNO.EBADF;
    return innerMapMatches(this.template, m) ? m : -ERRNO.EINVAL;
  }

  protected checkInner(op: string, inner: BpfMap): void {
    if (!innerMapMatches(this.template, inner)) throwErrno(this, op, -ERRNO.EINVAL, `map ${JSON.stringify(inner.name)} does not match the inner map template`);
  }
}

export class ArrayOfMapsMap extends MapOfMaps {
  private readonly slots: Slots<BpfMap>;

  constructor(env: MapEnv, def: MapDefinition) {
    super(env, def);
    this.slots = new Slots(this.maxEntries);
  }

  lookupElem(key: Uint8Array, _cpu: number): Region | undefined {
    const i = u32le(key);
    const m = i < this.maxEntries ? this.slots.get(i) : undefined;
    if (!m) return undefined;
    this.lastOffset = 0;
    return m.handle;
  }

  /** The inner map in slot `index`, if any. */
  getInner(index: number): BpfMap | undefined {
    return index >>> 0 < this.maxEntries ? this.slots.get(index >>> 0) : undefined;
  }

  /** Store `inner` in slot `index` (host side). */
  setInner(index: number, inner: BpfMap): void {
    this.checkWritable('update');
    if (!(index >= 0 && index < this.maxEntries)) throwErrno(this, 'update', -ERRNO.E2BIG);
    this.checkInner('update', inner);
    this.slots.set(index, inner);
  }

  protected sysLookup(key: Uint8Array): HostValue | number {
    const m = this.slots.get(u32le(key));
    return m ? le32(m.id) : -ERRNO.ENOENT;
  }

  protected sysUpdate(key: Uint8Array, value: Uint8Array, flags: number): number {
    if (flags !== BPF_ANY) return -ERRNO.EINVAL;
    const i = u32le(key);
    if (i >= this.maxEntries) return -ERRNO.E2BIG;
    const m = this.resolveInner(value);
    if (typeof m === 'number') return m;
    this.slots.set(i, m);
    return 0;
  }

  protected sysDelete(key: Uint8Array): number {
    const i = u32le(key);
    if (i >= this.maxEntries) return -ERRNO.E2BIG;
    if (!this.slots.get(i)) return -ERRNO.ENOENT;
    this.slots.set(i, undefined);
    return 0;
  }

  keys(limit?: number): Uint8Array[] {
    return this.slots.keys(limit);
  }

  /** array_map_get_next_key, without listing every slot. */
  override nextKey(key?: Uint8Array): Uint8Array | undefined {
    return this.slots.nextKey(key);
  }
}

export class HashOfMapsMap extends MapOfMaps {
  private readonly table = new Map<number | string, { key: Uint8Array; inner: BpfMap }>();
  readonly prealloc: boolean;

  constructor(env: MapEnv, def: MapDefinition) {
    super(env, def);
    this.prealloc = !(def.flags & BPF_F_NO_PREALLOC);
  }

  lookupElem(key: Uint8Array, _cpu: number): Region | undefined {
    const e = this.table.get(keyOf(key, this.keySize));
    if (!e) return undefined;
    this.lastOffset = 0;
    return e.inner.handle;
  }

  getInner(key: Uint8Array): BpfMap | undefined {
    return this.table.get(keyOf(key, this.keySize))?.inner;
  }

  /** Store `inner` under `key` (host side, BPF_ANY unless flags say otherwise). */
  setInner(key: Uint8Array, inner: BpfMap, flags = BPF_ANY): void {
    this.checkKey('update', key);
    this.checkWritable('update');
    this.checkInner('update', inner);
    const r = this.putInner(key, inner, flags);
    if (r < 0) throwErrno(this, 'update', r);
  }

  /** htab_map_update_elem rules with a map as the value. */
  private putInner(key: Uint8Array, inner: BpfMap, flags: number): number {
    if (!(flags >= 0 && flags <= BPF_EXIST)) return -ERRNO.EINVAL;
    const k = keyOf(key, this.keySize);
    const old = this.table.get(k);
    const err = checkFlags(old !== undefined, flags);
    if (err) return err;
    if (!old && this.table.size >= this.maxEntries) return -ERRNO.E2BIG;
    this.table.set(k, { key: key.slice(), inner });
    return 0;
  }

  protected sysLookup(key: Uint8Array): HostValue | number {
    const e = this.table.get(keyOf(key, this.keySize));
    return e ? le32(e.inner.id) : -ERRNO.ENOENT;
  }

  protected sysUpdate(key: Uint8Array, value: Uint8Array, flags: number): number {
    if (!(flags >= 0 && flags <= BPF_EXIST)) return -ERRNO.EINVAL;
    const m = this.resolveInner(value);
    if (typeof m === 'number') return m;
    return this.putInner(key, m, flags);
  }

  protected sysDelete(key: Uint8Array): number {
    const k = keyOf(key, this.keySize);
    if (!this.table.delete(k)) return -ERRNO.ENOENT;
    return 0;
  }

  keys(): Uint8Array[] {
    return [...this.table.values()].map((e) => e.key.slice()).sort(compareBytes);
  }
}
