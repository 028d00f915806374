/**
 * @fileoverview BPF_MAP_TYPE_BLOOM_FILTER (kernel/bpf/bloom_filter.c).
 *
 * A bitset of nr_bits bits probed by nr_hash_funcs hashes (map_extra bits 0..3, default 5):
 * push sets the bits of a value, peek answers 0 ("maybe present") when all are set, −ENOENT
 * otherwise. Bit i of a value is jhash2(value words, seed + i) when value_size is a multiple
 * of 4, jhash(value bytes, seed + i) otherwise, masked to the bitset size, which is
 * max_entries × nr_hash_funcs / 5 × 7 rounded up to a power of two (at least 64).
 *
 * The kernel seeds the hash randomly unless BPF_F_ZERO_SEED; tcxlab always uses seed 0, so
 * false positives are deterministic and those of a BPF_F_ZERO_SEED kernel map.
 */
import type { Region } from '../../vm/memory.js';
import { BPF_ANY, ERRNO } from '../uapi.js';
import { BaseMap, throwErrno } from './base.js';
import { jhash, jhash2 } from './jhash.js';
import { isBytes } from './bytes.js';
import type { HostValue, MapDefinition, MapEnv } from './types.js';

/** Default nr_hash_funcs when map_extra is 0. */
export const BLOOM_DEFAULT_NR_HASH_FUNCS = 5;

/** nr_hash_funcs and bitset mask for a definition (bloom_map_alloc). */
export function bloomGeometry(def: MapDefinition): { nrHashFuncs: number; mask: number } {
  const nrHashFuncs = (def.mapExtra ?? 0) & 0xf || BLOOM_DEFAULT_NR_HASH_FUNCS;
  let bits = def.maxEntries * nrHashFuncs;
  if (bits > 0xffff_ffff) return { nrHashFuncs, mask: 0xffff_ffff };
  bits = Math.floor(bits / 5) * 7;
  if (bits > 0xffff_ffff || bits > 2 ** 31) return { nrHashFuncs, mask: 0xffff_ffff };
  if (bits <= 64) bits = 64;
  else bits = 2 ** Math.ceil(Math.log2(bits));
  return { nrHashFuncs, mask: bits - 1 };
}

export class BloomFilterMap extends BaseMap {
  readonly nrHashFuncs: number;
  /** Bitset size − 1. */
  readonly bitsetMask: number;
  readonly seed = 0;
  /** Bitset; a Set of bit numbers for huge filters (which the kernel would vmalloc). */
  private readonly bits?: Uint8Array;
  private readonly sparse?: Set<number>;

  constructor(env: MapEnv, def: MapDefinition) {
    super(env, def);
    const g = bloomGeometry(def);
    this.nrHashFuncs = g.nrHashFuncs;
    this.bitsetMask = g.mask;
    const bytes = Math.floor(g.mask / 8) + 1;
    if (bytes <= 1 << 24) this.bits = new Uint8Array(bytes);
    else this.sparse = new Set();
  }

  private bit(value: Uint8Array, i: number): number {
    const vs = this.valueSize;
    const h = vs % 4 === 0 ? jhash2(value, vs / 4, this.seed + i) : jhash(value, vs, this.seed + i);
    return (h & this.bitsetMask) >>> 0;
  }

  /** Programs may only push and peek. */
  lookupElem(_key: Uint8Array, _cpu: number): Region | undefined {
    return undefined;
  }

  /** bloom_map_push_elem: only BPF_ANY. */
  pushElem(value: Uint8Array, flags: number): number {
    if (flags !== BPF_ANY) return -ERRNO.EINVAL;
    for (let i = 0; i < this.nrHashFuncs; i++) {
      const b = this.bit(value, i);
      if (this.bits) this.bits[b >>> 3] |= 1 << (b & 7);
      else this.sparse?.add(b);
    }
    return 0;
  }

  /** bloom_map_peek_elem: `value` is an input here: 0 if maybe present, −ENOENT if not. */
  peekElem(value: Uint8Array): number {
    for (let i = 0; i < this.nrHashFuncs; i++) {
      const b = this.bit(value, i);
      const set = this.bits ? (this.bits[b >>> 3] >> (b & 7)) & 1 : this.sparse?.has(b) ? 1 : 0;
      if (!set) return -ERRNO.ENOENT;
    }
    return 0;
  }

  /** bloom_map_pop_elem: not supported. */
  popElem(_out: Uint8Array): number {
    return -ERRNO.EOPNOTSUPP;
  }

  /** BPF_MAP_UPDATE_ELEM (NULL key) pushes. */
  override updateElem(_key: Uint8Array, value: Uint8Array, flags: number, _cpu: number): number {
    return this.pushElem(value, flags);
  }

  /** Host membership test (BPF_MAP_LOOKUP_ELEM with the value as input). */
  has(value: Uint8Array): boolean {
    if (!isBytes(value) || value.length !== this.valueSize) throwErrno(this, 'lookup', -ERRNO.EINVAL, `value must be ${this.valueSize} bytes`);
    return this.peekElem(value) === 0;
  }

  /** Host push (BPF_MAP_UPDATE_ELEM with a NULL key). */
  push(value: Uint8Array, flags = BPF_ANY): void {
    this.update(new Uint8Array(0), value, flags);
  }

  /** The value is an input of the kernel's lookup: use `has(value)`. */
  protected sysLookup(_key: Uint8Array): HostValue | number {
    return -ERRNO.EINVAL;
  }

  protected sysUpdate(_key: Uint8Array, value: Uint8Array, flags: number): number {
    return this.pushElem(value, flags);
  }

  protected sysDelete(_key: Uint8Array): number {
    return -ERRNO.EOPNOTSUPP;
  }

  keys(): Uint8Array[] {
    return [];
  }

  /** bloom_map_get_next_key: −EOPNOTSUPP. */
  override nextKey(_key?: Uint8Array): Uint8Array | undefined {
    return throwErrno(this, 'get_next_key', -ERRNO.EOPNOTSUPP);
  }
}
