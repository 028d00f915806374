/**
 * @fileoverview BaseMap: what every map type shares. Identity and the map handle region,
 * the host-side (bpf(2)) wrappers with their generic checks (key/value sizes, BPF_F_RDONLY,
 * BPF_F_WRONLY, frozen maps), errno → ErrnoError, per-CPU value packing and the oracle dump.
 *
 * Subclasses implement the program side directly and the host side through `sys*` methods
 * that return kernel results (value / −errno), so host and program paths share one rule set.
 */
import { ErrnoError, ErrorCode } from '../../vm/errors.js';
import type { Region } from '../../vm/memory.js';
import { BPF_F_LOCK, BPF_F_RDONLY, BPF_F_RDONLY_PROG, BPF_F_WRONLY, BPF_MAP_TYPE, ERRNO, errnoName, mapTypeName, uapiName } from '../uapi.js';
import { compareBytes, copyBytes, isBytes, roundUp8, toHex } from './bytes.js';
import { rawOrIntKey, type MapCodec, type MapValue } from './typed.js';
import type { BpfMap, DumpEntry, DumpOptions, ForEachCallback, HostValue, MapDefinition, MapDump, MapEnv } from './types.js';
// Imported bindings read once: the TS runners used by tests make every import use a getter call.
const _copyBytes = copyBytes;

/** Map types whose values are per CPU (the oracle's is_percpu). */
export const PERCPU_TYPES: ReadonlySet<number> = new Set([
  BPF_MAP_TYPE.BPF_MAP_TYPE_PERCPU_HASH,
  BPF_MAP_TYPE.BPF_MAP_TYPE_PERCPU_ARRAY,
  BPF_MAP_TYPE.BPF_MAP_TYPE_LRU_PERCPU_HASH,
  BPF_MAP_TYPE.BPF_MAP_TYPE_PERCPU_CGROUP_STORAGE,
]);

/**
 * True for update flags no map accepts: the kernel's flags are a u64 and every type refuses
 * anything above BPF_F_LOCK | BPF_EXIST as its first check. JS bit operators would truncate a
 * flags value past 32 bits, so callers test this before looking at bits.
 */
export function badFlags(flags: number): boolean {
  return !(flags >= 0 && flags <= 7);
}

/** Throw the ErrnoError for a negative kernel result. */
export function throwErrno(map: { name: string }, op: string, err: number, detail?: string): never {
  const name = uapiName(ERRNO, -err);
  if (name === undefined) throw new Error(`map ${map.name}: ${op} returned ${err}, not a negative errno tcxlab names`);
  throw new ErrnoError(ErrorCode.Map, name, `map ${JSON.stringify(map.name)}: ${op}${detail ? `: ${detail}` : ''}`);
}

export abstract class BaseMap implements BpfMap {
  readonly id: number;
  readonly name: string;
  readonly type: number;
  readonly typeName: string;
  readonly keySize: number;
  readonly valueSize: number;
  readonly maxEntries: number;
  readonly flags: number;
  readonly percpu: boolean;
  readonly def: MapDefinition;
  readonly handle: Region;
  lastOffset = 0;
  /** round_up(value_size, 8): element stride of arrays and per-CPU copies. */
  readonly stride: number;
  /** CPU the host-side (syscall) operations run on: matters for per-CPU extra elements. */
  hostCpu = 0;
  protected frozen = false;
  protected readonly env: MapEnv;

  constructor(env: MapEnv, def: MapDefinition, maxEntries = def.maxEntries) {
    this.env = env;
    this.def = def;
    this.id = env.nextMapId++;
    this.name = def.name;
    this.type = def.type;
    this.typeName = mapTypeName(def.type);
    this.keySize = def.keySize;
    this.valueSize = def.valueSize;
    this.maxEntries = maxEntries;
    this.flags = def.flags;
    this.percpu = PERCPU_TYPES.has(def.type);
    this.stride = roundUp8(def.valueSize);
    this.handle = env.mem.alloc('map', new Uint8Array(0), { writable: false, owner: this, label: `map ${def.name}` });
    env.maps.set(this.id, this);
  }

  // ---------------------------------------------------------------- program side
  abstract lookupElem(key: Uint8Array, cpu: number): Region | undefined;

  /** Types whose update the verifier rejects for programs answer −EINVAL. */
  updateElem(_key: Uint8Array, _value: Uint8Array, _flags: number, _cpu: number): number {
    return -ERRNO.EINVAL;
  }

  deleteElem(_key: Uint8Array, _cpu: number): number {
    return -ERRNO.EINVAL;
  }

  /** Only array- and hash-like maps have map_for_each_callback in the kernel. */
  forEachElem(_cpu: number, _cb: ForEachCallback): number {
    return -ERRNO.EINVAL;
  }

  // ---------------------------------------------------------------- host side
  /** Kernel lookup from the syscall: the value or a negative errno. */
  protected abstract sysLookup(key: Uint8Array): HostValue | number;
  /** Kernel update from the syscall with a value already packed (per-CPU: ncpus × stride). */
  protected abstract sysUpdate(key: Uint8Array, value: Uint8Array, flags: number): number;
  protected abstract sysDelete(key: Uint8Array): number;
  /** Every key in dump order (at most `limit` of them when given). */
  abstract keys(limit?: number): Uint8Array[];

  /**
   * Typed views of keys and values for dumps and inspection, e.g. from BTF
   * (def.btfKeyTypeId / btfValueTypeId). Unset: `decodedEntries()` gives hex strings.
   */
  decoders?: { key?: (b: Uint8Array) => unknown; value?: (b: Uint8Array) => unknown };

  /** entries() through `codec`, else `decoders` (per-CPU values: one decoded value per CPU). */
  decodedEntries(): Array<[unknown, unknown]> {
    const dk = this.codec?.decodeKey ?? this.decoders?.key ?? toHex;
    const dv = this.codec?.decodeValue ?? this.decoders?.value ?? toHex;
    return this.entries().map(([k, v]) => [dk(k), v === undefined ? null : Array.isArray(v) ? v.map((x) => dv(x)) : dv(v)]);
  }

  // ---------------------------------------------------------------- typed host side (BTF)
  /**
   * Keys and values typed by the object's BTF (src/maps/typed.ts), set by Collection. Unset:
   * `get`/`put`/iteration work on bytes.
   */
  codec?: MapCodec;

  /** A decoded key (or the key's bytes) as bytes. */
  encodeKey(key: MapValue): Uint8Array {
    return isBytes(key) || this.codec === undefined ? rawOrIntKey(this.name, this.keySize, key) : this.codec.encodeKey(key);
  }

  /** A value's bytes decoded (bytes again without a codec). */
  private decodeValue(v: Uint8Array): MapValue {
    return this.codec ? this.codec.decodeValue(v) : v;
  }

  /**
   * The value under `key`, decoded by BTF (per-CPU maps: an array, one value per CPU), or
   * undefined when there is none. `key` is a decoded key or the key's bytes. Raw: `lookup`.
   */
  get(key: MapValue): MapValue | undefined {
    const v = this.lookup(this.encodeKey(key));
    if (v === undefined) return undefined;
    return Array.isArray(v) ? v.map((x) => this.decodeValue(x)) : this.decodeValue(v);
  }

  /**
   * Store a decoded value (BPF_MAP_UPDATE_ELEM with `flags`). Per-CPU maps take an array of one
   * value per CPU, or one value for every CPU. Members left out of an object are zero. Raw:
   * `update`.
   */
  put(key: MapValue, value: MapValue, flags = 0): void {
    const k = this.encodeKey(key);
    const enc = (v: MapValue): Uint8Array => {
      if (isBytes(v)) return v;
      if (this.codec === undefined) throwErrno(this, 'update', -ERRNO.EINVAL, `map has no BTF value type: pass the value's ${this.valueSize} bytes`);
      return this.codec.encodeValue(v);
    };
    if (this.percpu && Array.isArray(value) && (!this.codec?.valueIsArray || value.every((x) => Array.isArray(x) || typeof x === 'string' || isBytes(x)))) {
      this.update(k, (value as readonly MapValue[]).map(enc), flags);
      return;
    }
    this.update(k, enc(value), flags);
  }

  /** Decoded [key, value] pairs in dump order (per-CPU values as arrays); empty fd slots left out. */
  *[Symbol.iterator](): IterableIterator<[MapValue, MapValue]> {
    for (const [k, v] of this.entries()) {
      if (v === undefined) continue;
      yield [this.codec ? this.codec.decodeKey(k) : k, Array.isArray(v) ? v.map((x) => this.decodeValue(x)) : this.decodeValue(v)];
    }
  }

  lookup(key: Uint8Array): HostValue | undefined {
    this.checkKey('lookup', key);
    if (this.flags & BPF_F_WRONLY) throwErrno(this, 'lookup', -ERRNO.EPERM, 'map is write-only (BPF_F_WRONLY)');
    const r = this.sysLookup(key);
    if (typeof r === 'number') {
      if (r === -ERRNO.ENOENT) return undefined;
      throwErrno(this, 'lookup', r);
    }
    return r;
  }

  update(key: Uint8Array, value: HostValue, flags = 0): void {
    this.checkKey('update', key);
    this.checkWritable('update');
    // map_update_elem (syscall.c) refuses BPF_F_LOCK on values without a lock before the map does.
    if (flags & BPF_F_LOCK && this.def.spinLockOffset === undefined) throwErrno(this, 'update', -ERRNO.EINVAL, 'BPF_F_LOCK without a bpf_spin_lock');
    const r = this.sysUpdate(key, this.packValue(value), flags);
    if (r < 0) throwErrno(this, 'update', r);
  }

  /** BPF_MAP_DELETE_ELEM of the key's bytes or a decoded key. */
  delete(key: Uint8Array | MapValue): void {
    // Bytes go to the syscall checks as they always did (EINVAL for a wrong size).
    if (!isBytes(key)) key = this.encodeKey(key);
    this.checkKey('delete', key);
    this.checkWritable('delete');
    const r = this.sysDelete(key);
    if (r < 0) throwErrno(this, 'delete', r);
  }

  nextKey(key?: Uint8Array): Uint8Array | undefined {
    const all = this.keys();
    if (key === undefined) return all[0];
    // Like htab_map_get_next_key: an unknown key restarts from the first one.
    for (let i = 0; i < all.length; i++) if (compareBytes(all[i], key) === 0) return all[i + 1];
    return all[0];
  }

  entries(): Array<[Uint8Array, HostValue | undefined]> {
    return this.keys().map((k) => {
      const v = this.sysLookup(k);
      return [k, typeof v === 'number' ? undefined : v];
    });
  }

  freeze(): void {
    this.frozen = true;
  }

  get ncpus(): number {
    return this.env.ncpus;
  }

  get isFrozen(): boolean {
    return this.frozen;
  }

  dumpJson(opts: DumpOptions = {}): MapDump {
    const max = opts.maxEntries ?? 4096;
    // Built field by field: JSON key order must match the oracle's.
    const d: Omit<MapDump, 'entries'> & { entries?: DumpEntry[] } = {
      type: this.type,
      type_name: this.typeName,
      key_size: this.keySize,
      value_size: this.valueSize,
      max_entries: this.maxEntries,
      map_flags: this.flags,
      percpu: this.percpu,
    };
    if (this.percpu) d.ncpus = this.env.ncpus;
    if (this.keySize === 0) {
      // The oracle cannot walk keyless maps (queue, stack, ringbuf).
      d.dump_err = ERRNO.EINVAL;
      d.dump_errname = 'EINVAL';
      d.entries = [];
      return d as MapDump;
    }
    let keys = this.keys(max + 1);
    if (keys.length > max) {
      keys = keys.slice(0, max);
      d.truncated = true;
    }
    const perValue = opts.maxValueBytes ?? Infinity;
    let budget = opts.maxBytes ?? Infinity;
    const hex = (v: Uint8Array): string => {
      if (v.length <= perValue) return toHex(v);
      d.value_bytes_shown = perValue;
      return toHex(v.subarray(0, perValue));
    };
    d.entries = [];
    for (const k of keys) {
      const v = this.sysLookup(k);
      if (typeof v === 'number') {
        d.entries.push([toHex(k), null]);
        continue;
      }
      const vs = Array.isArray(v) ? v : [v];
      const cost = vs.reduce((n, x) => n + Math.min(x.length, perValue), 0);
      if (cost > budget && d.entries.length > 0) {
        d.truncated = true;
        break;
      }
      budget -= cost;
      d.entries.push([toHex(k), Array.isArray(v) ? v.map(hex) : hex(v)]);
    }
    return d as MapDump;
  }

  // ---------------------------------------------------------------- shared checks
  protected checkKey(op: string, key: Uint8Array): void {
    if (!isBytes(key) || key.length !== this.keySize)
      throwErrno(this, op, -ERRNO.EINVAL, `key must be ${this.keySize} bytes`);
  }

  /** Syscall write permission: BPF_F_RDONLY maps and frozen maps refuse writes (EPERM). */
  protected checkWritable(op: string): void {
    if (this.flags & BPF_F_RDONLY) throwErrno(this, op, -ERRNO.EPERM, 'map is read-only (BPF_F_RDONLY)');
    if (this.frozen) throwErrno(this, op, -ERRNO.EPERM, 'map is frozen');
  }

  /**
   * A host value in the syscall's layout. Per-CPU maps take, as the kernel does, ncpus slots of
   * round_up(value_size, 8) bytes; one value_size value (copied to every CPU) or an array of
   * per-CPU values are accepted too.
   */
  protected packValue(value: HostValue): Uint8Array {
    const vs = this.valueSize;
    if (!this.percpu) {
      if (!isBytes(value) || value.length !== vs)
        throwErrno(this, 'update', -ERRNO.EINVAL, `value must be ${vs} bytes`);
      return value;
    }
    const n = this.env.ncpus;
    const out = new Uint8Array(n * this.stride);
    if (Array.isArray(value)) {
      if (value.length !== n) throwErrno(this, 'update', -ERRNO.EINVAL, `per-CPU value needs ${n} CPU values`);
      value.forEach((v, c) => {
        if (!isBytes(v) || v.length !== vs) throwErrno(this, 'update', -ERRNO.EINVAL, `value must be ${vs} bytes`);
        out.set(v, c * this.stride);
      });
      return out;
    }
    if (isBytes(value) && value.length === n * this.stride) return value;
    if (isBytes(value) && value.length === vs) {
      for (let c = 0; c < n; c++) out.set(value, c * this.stride);
      return out;
    }
    return throwErrno(this, 'update', -ERRNO.EINVAL, `per-CPU value must be ${vs} or ${n * this.stride} bytes`);
  }

  /** Per-CPU values of a packed region slice, without the padding. */
  protected unpackPercpu(bytes: Uint8Array, off: number): Uint8Array[] {
    const out: Uint8Array[] = [];
    for (let c = 0; c < this.env.ncpus; c++) {
      const o = off + c * this.stride;
      out.push(bytes.slice(o, o + this.valueSize));
    }
    return out;
  }

  /**
   * copy_map_value: value_size bytes, except the bpf_spin_lock word, which updates never
   * overwrite.
   */
  protected copyValue(dst: Uint8Array, dstOff: number, src: Uint8Array, srcOff = 0): void {
    const lock = this.def.spinLockOffset;
    const vs = this.valueSize;
    if (lock === undefined) {
      _copyBytes(dst, dstOff, src, srcOff, vs);
      return;
    }
    _copyBytes(dst, dstOff, src, srcOff, lock);
    _copyBytes(dst, dstOff + lock + 4, src, srcOff + lock + 4, vs - lock - 4);
  }

  /** A host copy of a value: the lock word reads back as 0. */
  protected readValue(src: Uint8Array, off: number): Uint8Array {
    const out = src.slice(off, off + this.valueSize);
    const lock = this.def.spinLockOffset;
    if (lock !== undefined) out.fill(0, lock, lock + 4);
    return out;
  }

  /** Index of a u32 key. */
  protected static index(key: Uint8Array): number {
    return (key[0] | (key[1] << 8) | (key[2] << 16) | (key[3] << 24)) >>> 0;
  }

  /**
   * A region for map-owned storage. BPF_F_RDONLY_PROG maps get read-only value regions: the
   * kernel's verifier refuses program writes to them at load time, here a store faults.
   */
  /** Element regions made so far, by element (byte offset / stride in their values region). */
  private elements?: (Region | undefined)[];

  /**
   * The region of one element: `size` bytes at `offset` of `values`, made on first use and the
   * same object ever after (so lookups, for_each and timers agree on its address). An element
   * is its own region so that a value pointer cannot run past value_size into the next element
   * (memory.ts, "Isolation"); the bytes stay shared with `values`.
   */
  protected elementRegion(values: Region, offset: number, size: number): Region {
    // Offsets are whole elements (stride 0 only for value_size 0, where they all coincide).
    const m = (this.elements ??= []);
    const k = this.stride > 0 ? offset / this.stride : 0;
    let r = m[k];
    if (r === undefined) {
      r = this.env.mem.alloc('map-value', values.bytes.subarray(offset, offset + size), { owner: this, writable: values.writable, label: `map ${this.name} element` });
      m[k] = r;
    }
    return r;
  }

  protected allocValues(bytes: Uint8Array, label: string, writable = !(this.flags & BPF_F_RDONLY_PROG)): Region {
    return this.env.mem.alloc('map-value', bytes, { owner: this, writable, label: `map ${this.name} ${label}` });
  }
}
