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
 *
 * Isolation (docs/memory-isolation.md). Address arithmetic alone cannot keep regions apart: a
 * program may add k·2^32 to a pointer and land on another region's high half. So every register
 * carries a provenance tag next to its value (RegisterFile.tag): the high half of the region the
 * value was derived from, set only by trusted sources (r10, the run's arguments, ctx pointer
 * loads, relocated LD_IMM64, helper return values, 64-bit fills of spilled pointers, copies of
 * tagged registers). A load, store or helper memory argument is allowed only when the address's
 * high half equals its register's tag, and then only inside that region's bounds. Arithmetic that
 * carries into the high half therefore faults instead of reaching a neighbour. Everything a
 * program can point at separately is its own region: each call frame, each array element, each
 * ring-buffer record. A released region's slot is not reused while any run on this Memory is in
 * progress (`enterRun`/`leaveRun`), so a stale pointer faults instead of reaching a newcomer; between
 * runs no tagged value survives (registers and stack tags are reset at every run start).
 */

/** High half of region id 0. */
export const REGION_HI0 = 0x0000_1000;
/** Bias added to in-region offsets in the low half. */
export const BASE_LO = 0x4000_0000;

export type RegionKind = 'stack' | 'ctx' | 'packet' | 'map-value' | 'global' | 'map' | 'mem' | 'scratch';

/**
 * Field-level access to a ctx (the `__sk_buff` model). Loads write the 64-bit result into
 * out[0] (low half) and out[1] (high half) and, for a field that is a pointer (data, data_end,
 * sk...), that region's high half into out[2] (the engines zero it first: a scalar); both return
 * false for an access the kernel's context rules reject (the VM then faults with E_BAD_ACCESS).
 */
export interface CtxAccess {
  load(offset: number, size: number, out: Int32Array): boolean;
  store(offset: number, size: number, lo: number, hi: number): boolean;
  /**
   * The load-time rewrite table this view implements (see CtxRewrite), when it has one. An
   * engine uses a program's rewritten accesses only on a ctx whose `rewrite` is the very table
   * the program was linked with.
   */
  readonly rewrite?: CtxRewrite;
}

/**
 * How one constant-offset ctx load reads its field, decided once per (offset, size) — the
 * kernel's `convert_ctx_accesses`, which turns each ctx access into a direct read of the
 * underlying field at load time. Every function gets the CtxAccess the run's ctx region routes
 * through. Results are exactly what `CtxAccess.load` gives for the same access:
 *   scalar    a value of at most 32 bits, zero-extended (high half 0, no provenance)
 *   scalar64  a 64-bit value written to out[0] (low) and out[1] (high), no provenance
 *   pointer   NULL when `region` gives undefined, else offset `offset` in the region it gives
 *             (the value is tagged with that region: "Isolation" above)
 */
export type CtxLoad =
  | { readonly kind: 'scalar'; readonly get: (ctx: CtxAccess) => number }
  | { readonly kind: 'scalar64'; readonly get: (ctx: CtxAccess, out: Int32Array) => void }
  | { readonly kind: 'pointer'; readonly region: (ctx: CtxAccess) => Region | undefined; readonly offset: (ctx: CtxAccess) => number };

/** How one constant-offset ctx store writes its field (same effect as `CtxAccess.store`). */
export interface CtxStore {
  readonly set: (ctx: CtxAccess, lo: number, hi: number) => void;
}

/**
 * A program type's ctx rewrite table, handed to `link` by the runtime that defines the ctx (the
 * VM knows no ctx layout). `load`/`store` answer for an access at ctx offset `off` of `size`
 * bytes: undefined when the access is not allowed or has no rewrite (the engine then takes the
 * generic CtxAccess path, which faults for a disallowed access). Sign-extending loads are never
 * rewritten.
 */
export interface CtxRewrite {
  load(off: number, size: number): CtxLoad | undefined;
  store(off: number, size: number): CtxStore | undefined;
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
  /** Changed only through Memory.protect, which bumps the epoch the engines' caches check. */
  readonly writable: boolean;
  /** Set for ctx regions: loads/stores go through it instead of `bytes`. */
  ctx?: CtxAccess;
  /** Whatever the region stands for (a map, a map element...), for helpers. */
  owner?: unknown;
  /** Human label for faults and traces (never reaches generated code). */
  label: string;
  /**
   * Stack frames only: the provenance tag of each 8-byte slot, so a pointer spilled with a
   * 64-bit store and filled with a 64-bit load at the same aligned offset stays a pointer (the
   * kernel's spilled-register state). Every other load yields an untagged scalar.
   */
  shadow?: Int32Array;
}

/** Entries of Memory's view cache (`slice`; a power of two). */
const VIEW_CACHE = 16;

/** Region table: allocates regions and resolves addresses. */
export class Memory {
  private readonly regions: (Region | undefined)[] = [];
  private readonly free: number[] = [];
  /** Slots released while a run was in progress: reusable only once no run is (see enterRun). */
  private readonly quarantine: number[] = [];
  /** Runs in progress on this Memory (nested runs count). */
  private active = 0;
  /**
   * Bumped whenever a live region changes its bytes (rebind), becomes read-only (protect) or dies
   * (release): code that keeps a region's bytes, view, bounds and writability in locals (the
   * engines' region caches) may keep them across a helper call that left the epoch unchanged. Allocation does not bump it: a new region takes a
   * slot no live pointer names.
   */
  epoch = 0;

  /** A run starts: from now until the matching leaveRun, released slots are not reused. */
  enterRun(): void {
    if (this.active === 0) this.settle();
    this.active++;
  }

  /** A run ended (always paired with enterRun). */
  leaveRun(): void {
    if (this.active > 0) this.active--;
  }

  /** Make quarantined slots reusable (only when no run holds tagged values). */
  private settle(): void {
    const q = this.quarantine;
    if (q.length === 0) return;
    for (let k = 0; k < q.length; k++) this.free.push(q[k]);
    q.length = 0;
  }

  /** Create a region over `bytes` (shared, not copied). */
  alloc(
    kind: RegionKind,
    bytes: Uint8Array,
    opts: { writable?: boolean; ctx?: CtxAccess; owner?: unknown; label?: string; /** A DataView over exactly `bytes`, reused (the JIT's pooled stack). */ view?: DataView } = {},
  ): Region {
    if (this.active === 0 && this.quarantine.length) this.settle();
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
    this.epoch++;
    region.bytes = bytes;
    region.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  /** Make a live region read-only from now on: later stores through any pointer to it fault. */
  protect(region: Region): void {
    this.epoch++;
    (region as { writable: boolean }).writable = false;
  }

  /** Release a region; later accesses through old pointers fault (its slot waits in quarantine). */
  release(region: Region): void {
    if (this.regions[region.id] === region) {
      this.epoch++;
      this.regions[region.id] = undefined;
      this.quarantine.push(region.id);
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

  /**
   * resolve() for a register's value: also requires the provenance tag to name the same region
   * (a pointer moved into another region by arithmetic, or a scalar, resolves to nothing).
   */
  resolveTagged(hi: number, tag: number, lo: number, size: number, write: boolean): Region | undefined {
    return hi === tag ? this.resolve(hi, lo, size, write) : undefined;
  }

  /** slice() for a register's value (see resolveTagged). */
  sliceTagged(hi: number, tag: number, lo: number, size: number, write = false): Uint8Array | undefined {
    return hi === tag ? this.slice(hi, lo, size, write) : undefined;
  }

  /** regionOf() for a register's value: undefined unless its tag names that region. */
  regionOfTagged(hi: number, tag: number): Region | undefined {
    return hi === tag ? this.regions[(hi - REGION_HI0) | 0] : undefined;
  }

  /**
   * Host-side helper: a copy-free view of [hi:lo, +size), or undefined when out of bounds. The
   * same (region bytes, offset, size) gives the same view object as long as it stays in a small
   * cache: a helper's key or buffer argument (a map key at r10-4, say) is usually at the same
   * place every run, and making a subarray per call cost a tenth of a map lookup run plus its
   * garbage. A view is only a window on the bytes, so sharing one changes nothing a helper sees.
   */
  slice(hi: number, lo: number, size: number, write = false): Uint8Array | undefined {
    const r = this.resolve(hi, lo, size, write);
    if (r === undefined) return undefined;
    const o = this.lastOffset;
    const b = r.bytes;
    const k = ((o >> 2) ^ size) & (VIEW_CACHE - 1);
    const v = this.views[k];
    if (v !== undefined && this.viewOf[k] === b && this.viewOff[k] === o && v.length === size) return v;
    const nv = b.subarray(o, o + size);
    this.views[k] = nv;
    this.viewOf[k] = b;
    this.viewOff[k] = o;
    return nv;
  }
  /** The view cache of `slice`: view k is bytes [viewOff[k], +views[k].length) of viewOf[k]. */
  private readonly views: (Uint8Array | undefined)[] = new Array<Uint8Array | undefined>(VIEW_CACHE).fill(undefined);
  private readonly viewOf: (Uint8Array | undefined)[] = new Array<Uint8Array | undefined>(VIEW_CACHE).fill(undefined);
  private readonly viewOff = new Int32Array(VIEW_CACHE);
}
