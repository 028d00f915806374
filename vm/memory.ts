/**
 * @fileoverview Memory regions and the 64-bit address scheme shared by the interpreter, the JIT
 * and every helper.
 *
 * The VM has no flat memory. Each thing a program may point at (its stack frames, the ctx,
 * the packet, a map value, global data) is a Region. An address is a 64-bit value held as two
 * int32 halves; the high half names the region, the low half is an offset biased by BASE_LO:
 *
 *    63                32 31                              0
 *   +--------------------+---------------------------------+
 *   | REGION_HI0 + id    |  BASE_LO + offset-in-region     |
 *   +--------------------+---------------------------------+
 *
 * The bias keeps `ptr - 8` or `ptr + 4000` inside the same high half, so pointer arithmetic
 * and pointer comparisons (data vs data_end, both in the packet region) work as 64-bit integer
 * operations with no special casing. NULL is 0 and belongs to no region.
 *
 * A region either owns bytes (stack, packet, map values, global data) or, for the ctx, routes
 * each load/store through a CtxAccess, which is how the kernel's ctx rewriting is modelled.
 */

/** High half of region id 0. */
export const REGION_HI0 = 0x0000_1000;
/** Bias added to in-region offsets in the low half. */
export const BASE_LO = 0x4000_0000;

export type RegionKind = 'stack' | 'ctx' | 'packet' | 'map-value' | 'global' | 'map' | 'mem' | 'scratch';

/**
 * Field-level access to a ctx (the `__sk_buff` model). Loads write the 64-bit result into
 * out[0] (low half) and out[1] (high half); both return false for an access the kernel's
 * context rules reject (the VM then faults with E_BAD_ACCESS).
 */
export interface CtxAccess {
  load(offset: number, size: number, out: Int32Array): boolean;
  store(offset: number, size: number, lo: number, hi: number): boolean;
}

/** One addressable piece of memory. */
export interface Region {
  readonly id: number;
  /** High half of every address in this region. */
  readonly hi: number;
  readonly kind: RegionKind;
  /** Backing bytes (empty for ctx regions and map handles). */
  bytes: Uint8Array;
  view: DataView;
  writable: boolean;
  /** Set for ctx regions: loads/stores go through it instead of `bytes`. */
  ctx?: CtxAccess;
  /** Whatever the region stands for (a map, a map element...), for helpers. */
  owner?: unknown;
  /** Human label for faults and traces (never reaches generated code). */
  label: string;
}

/** Region table: allocates regions and resolves addresses. */
export class Memory {
  private readonly regions: (Region | undefined)[] = [];
  private readonly free: number[] = [];

  /** Create a region over `bytes` (shared, not copied). */
  alloc(
    kind: RegionKind,
    bytes: Uint8Array,
    opts: { writable?: boolean; ctx?: CtxAccess; owner?: unknown; label?: string; /** A DataView over exactly `bytes`, reused (the JIT's pooled stack). */ view?: DataView } = {},
  ): Region {
    const id = this.free.length ? (this.free.pop() as number) : this.regions.length;
    const region: Region = {
      id,
      hi: REGION_HI0 + id,
      kind,
      bytes,
      view: opts.view ?? new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength),
      writable: opts.writable ?? true,
      ctx: opts.ctx,
      owner: opts.owner,
      label: opts.label ?? kind,
    };
    this.regions[id] = region;
    return region;
  }

  /** Point an existing region at new bytes (the packet after a layout change). */
  rebind(region: Region, bytes: Uint8Array): void {
    region.bytes = bytes;
    region.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  /** Release a region; later accesses through old pointers fault. */
  release(region: Region): void {
    if (this.regions[region.id] === region) {
      this.regions[region.id] = undefined;
      this.free.push(region.id);
    }
  }

  /** The region an address's high half names, if live. */
  regionOf(hi: number): Region | undefined {
    return this.regions[(hi - REGION_HI0) | 0];
  }

  /** Offset of an address inside its region (may be out of bounds: check before use). */
  static offsetOf(lo: number): number {
    return (lo >>> 0) - BASE_LO;
  }

  /** Low half of the address of byte `offset` of a region. */
  static lo(offset: number): number {
    return (BASE_LO + offset) | 0;
  }

  /** 64-bit address of byte `offset` of `region`, as a bigint (host-side convenience only). */
  static address(region: Region, offset = 0): bigint {
    return (BigInt(region.hi >>> 0) << 32n) | BigInt((BASE_LO + offset) >>> 0);
  }

  /**
   * Bounds-checked resolution of [hi:lo, +size) to a byte-backed region. Returns the region and
   * stores the in-region offset in `lastOffset`, or returns undefined for a bad access.
   */
  lastOffset = 0;
  resolve(hi: number, lo: number, size: number, write: boolean): Region | undefined {
    const r = this.regions[(hi - REGION_HI0) | 0];
    if (r === undefined || r.ctx !== undefined) return undefined;
    const off = (lo >>> 0) - BASE_LO;
    if (off < 0 || off + size > r.bytes.length) return undefined;
    if (write && !r.writable) return undefined;
    this.lastOffset = off;
    return r;
  }

  /** Host-side helper: a copy-free view of [hi:lo, +size), or undefined when out of bounds. */
  slice(hi: number, lo: number, size: number, write = false): Uint8Array | undefined {
    const r = this.resolve(hi, lo, size, write);
    return r ? r.bytes.subarray(this.lastOffset, this.lastOffset + size) : undefined;
  }
}
