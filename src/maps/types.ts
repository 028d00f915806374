/**
 * @fileoverview The BpfMap contract shared by every map type, the helpers and the runtime.
 *
 * A map has two faces, as in the kernel:
 *
 * - the program side (`lookupElem`, `updateElem`, `deleteElem`, `pushElem`...), called by the
 *   helper implementations while a program runs. Results are kernel results: a Region plus
 *   `lastOffset` for a value pointer (undefined for NULL) and 0 / −errno numbers for the rest.
 *   These paths avoid allocation: keys and values come in as views of VM memory.
 * - the host side (`lookup`, `update`, `delete`, `keys`, `dumpJson`...), the bpf(2) syscall
 *   view used by tests, the CLI and map seeding. Failures throw ErrnoError with the errno name.
 *
 * Map values live in Memory regions (vm/memory.ts) so that programs get real pointers to them:
 * a pointer taken by a lookup keeps seeing the element's storage after later updates, exactly
 * as far as the kernel's storage is shared (see each map type for what "in place" means).
 */
import type { Memory, Region } from '../../vm/memory.js';
import type { MapCodec, MapValue } from './typed.js';

/** What a map is made from: the loader's MapSpec is structurally one of these. */
export interface MapDefinition {
  /** Map name (for errors and dumps). */
  name: string;
  /** `enum bpf_map_type` id (src/uapi.ts BPF_MAP_TYPE). */
  type: number;
  keySize: number;
  valueSize: number;
  maxEntries: number;
  /** Creation flags (BPF_F_NO_PREALLOC, BPF_F_RDONLY_PROG, ...). */
  flags: number;
  /** Template of the inner maps, for array_of_maps / hash_of_maps. */
  innerMap?: MapDefinition;
  /** map_extra (bloom filter: number of hash functions in bits 0..3; 0 means 5). */
  mapExtra?: number;
  /** Initial bytes of element 0 (global data: .data, .rodata, .bss). */
  initialValue?: Uint8Array;
  /**
   * Initial [key, value] pairs. createMap applies them to maps with byte values; for prog arrays
   * and maps of maps the loader's values are spec indexes, which the collection resolves.
   */
  contents?: ReadonlyArray<readonly [Uint8Array, Uint8Array]>;
  /** Frozen after creation (libbpf freezes .rodata / .kconfig): host updates give EPERM. */
  readOnly?: boolean;
  /**
   * Offset of a `struct bpf_spin_lock` inside the value when BTF says there is one (enables
   * BPF_F_LOCK; the lock word is never copied by updates and reads back as 0 from the host).
   */
  spinLockOffset?: number;
  /** BTF type ids of key and value, kept for typed decoding later (not used by the maps). */
  btfKeyTypeId?: number;
  btfValueTypeId?: number;
}

/**
 * What createMap accepts: a MapDefinition, or the loader's MapSpec, whose `type` is a
 * `{ id, name }` pair and whose inner map is a MapSpec too.
 */
export type MapDefinitionInput = Omit<MapDefinition, 'type' | 'innerMap'> & {
  type: number | { readonly id: number };
  innerMap?: MapDefinitionInput;
};

/** Normalise a MapDefinitionInput (numeric type id, normalised inner template). */
export function toMapDefinition(d: MapDefinitionInput): MapDefinition {
  const type = typeof d.type === 'number' ? d.type : d.type.id;
  return { ...d, type, innerMap: d.innerMap ? toMapDefinition(d.innerMap) : undefined };
}

/** Where maps live: the VM's region table and the emulated machine's CPU count. */
export interface MapEnv {
  readonly mem: Memory;
  /** num_possible_cpus(): per-CPU maps keep this many copies (default 2 in createMapEnv). */
  readonly ncpus: number;
  /** Next map id to hand out (kernel map ids start at 1); createMap bumps it. */
  nextMapId: number;
  /** Live maps by id: map-in-map host updates name inner maps by id (the kernel takes an fd). */
  readonly maps: Map<number, BpfMap>;
  /**
   * LRU eviction policy: 'strict' (default, exact recency) or 'kernel' (Linux's node lists,
   * batch refills and second chances: evicts what the kernel evicts for the same operations on
   * the same CPUs).
   */
  readonly lru?: 'strict' | 'kernel';
  /**
   * Whether a net device with this ifindex exists in the map owner's namespace (devmap updates
   * need one, dev_get_by_index). Unset: every non-zero ifindex does.
   */
  ifindexExists?: (ifindex: number) => boolean;
}

/** Make a MapEnv over `mem`. The kernel oracle machine has 2 CPUs, hence the default. */
export function createMapEnv(mem: Memory, opts: { ncpus?: number; lru?: 'strict' | 'kernel' } = {}): MapEnv {
  const ncpus = opts.ncpus ?? 2;
  if (!Number.isInteger(ncpus) || ncpus < 1 || ncpus > 4096) throw new RangeError(`ncpus ${ncpus} out of range`);
  return { mem, ncpus, nextMapId: 1, maps: new Map(), lru: opts.lru ?? 'strict' };
}

/**
 * Program-side for_each callback (bpf_for_each_map_elem): key and value pointers as region +
 * offset. Return true to stop (the BPF callback returned 1).
 */
export type ForEachCallback = (keyRegion: Region, keyOffset: number, valueRegion: Region, valueOffset: number) => boolean;

/** A host-side value: bytes, or one Uint8Array per CPU for per-CPU maps. */
export type HostValue = Uint8Array | Uint8Array[];

/**
 * One map entry in the oracle's JSON: [keyhex, valhex], [keyhex, [cpu0hex, ...]] for per-CPU
 * maps, or [keyhex, null] when the kernel cannot return the value (empty fd slots).
 */
export type DumpEntry = [string, string | string[] | null];

/** The oracle's map JSON (`oracle run` → maps.NAME), field order included. */
export interface MapDump {
  type: number;
  type_name: string;
  key_size: number;
  value_size: number;
  max_entries: number;
  map_flags: number;
  percpu: boolean;
  ncpus?: number;
  dump_err?: number;
  dump_errname?: string;
  truncated?: boolean;
  /** Set when values were cut: each value shows at most its first this many bytes. */
  value_bytes_shown?: number;
  entries: DumpEntry[];
}

/** Options of dumpJson. */
export interface DumpOptions {
  /** Entries dumped at most (the oracle's --max-entries, default 4096). */
  maxEntries?: number;
  /** Bytes of each value shown at most (default: all); a cut sets `value_bytes_shown`. */
  maxValueBytes?: number;
  /** Value bytes of the whole dump at most (default: no limit); entries past it set `truncated`. */
  maxBytes?: number;
}

/** The interface every map type implements. */
export interface BpfMap {
  /** Map id (1, 2, ... in creation order within a MapEnv). */
  readonly id: number;
  readonly name: string;
  readonly type: number;
  /** libbpf's type name ("hash", "percpu_array", ...). */
  readonly typeName: string;
  readonly keySize: number;
  readonly valueSize: number;
  readonly maxEntries: number;
  readonly flags: number;
  /** Values are per CPU (percpu_array, percpu_hash, lru_percpu_hash). */
  readonly percpu: boolean;
  /** num_possible_cpus() of the map's MapEnv (bpf_map_lookup_percpu_elem bounds). */
  readonly ncpus: number;
  readonly def: MapDefinition;
  /**
   * The region whose address (offset 0) is this map's pointer inside programs (LD_IMM64
   * BPF_PSEUDO_MAP_FD resolves to it; map-in-map lookups return it). Kind 'map', no bytes,
   * `owner` is the map.
   */
  readonly handle: Region;
  /** In-region offset of the last value pointer handed out by lookupElem/reserve. */
  lastOffset: number;

  // ---- program side (helpers) ----
  /**
   * bpf_map_lookup_elem: the value's region (offset in `lastOffset`) or undefined for NULL.
   * `cpu` is the CPU the program runs on (per-CPU maps return that CPU's copy).
   */
  lookupElem(key: Uint8Array, cpu: number): Region | undefined;
  /**
   * lookupElem for a 4-byte key given as its u32 value, on maps whose key is an index (arrays):
   * the same region (offset 0) or undefined, with no key bytes to read. The JIT's inline map
   * lookups call it (vm/program.ts IndexLookup); maps without it take the ordinary helper call.
   */
  lookupIndex?(index: number, cpu: number): Region | undefined;
  /** bpf_map_update_elem: 0 or −errno. `flags` is the u64 argument as a JS number. */
  updateElem(key: Uint8Array, value: Uint8Array, flags: number, cpu: number): number;
  /** bpf_map_delete_elem: 0 or −errno. */
  deleteElem(key: Uint8Array, cpu: number): number;
  /**
   * bpf_for_each_map_elem over this map; returns the number of elements visited (the one
   * that stopped included), or −EINVAL for map types the kernel does not iterate.
   */
  forEachElem(cpu: number, cb: ForEachCallback): number;

  // ---- host side (bpf(2)) ----
  /** BPF_MAP_LOOKUP_ELEM: a copy of the value (one per CPU for per-CPU maps) or undefined. */
  lookup(key: Uint8Array): HostValue | undefined;
  /** BPF_MAP_UPDATE_ELEM; throws ErrnoError. */
  update(key: Uint8Array, value: HostValue, flags?: number): void;
  /** BPF_MAP_DELETE_ELEM of the key's bytes or a decoded key; throws ErrnoError. */
  delete(key: Uint8Array | MapValue): void;
  /** BPF_MAP_GET_NEXT_KEY in dump order; undefined at the end. */
  nextKey(key?: Uint8Array): Uint8Array | undefined;
  /** Keys in dump order (arrays: index order; hash-like: sorted by key bytes), at most `limit`. */
  keys(limit?: number): Uint8Array[];
  /** All entries in dump order; undefined values for empty fd slots. */
  entries(): Array<[Uint8Array, HostValue | undefined]>;
  /** BPF_MAP_FREEZE: later host updates and deletes give EPERM. */
  freeze(): void;
  /** Typed views of keys and values (a BTF formatter hooks in here); hex when unset. */
  decoders?: { key?: (b: Uint8Array) => unknown; value?: (b: Uint8Array) => unknown };
  /** entries() through `decoders`. */
  decodedEntries(): Array<[unknown, unknown]>;
  /** The oracle's JSON for this map. */
  dumpJson(opts?: DumpOptions): MapDump;

  // ---- host side typed by BTF (src/maps/typed.ts) ----
  /** The BTF codec of keys and values (set by Collection when the object has the types). */
  codec?: MapCodec;
  /** A decoded key (or the key's bytes) as the key's bytes. */
  encodeKey(key: MapValue): Uint8Array;
  /** The decoded value under `key` (per-CPU: one per CPU), or undefined. */
  get(key: MapValue): MapValue | undefined;
  /** Store a decoded value (per-CPU: an array of one per CPU, or one for all). */
  put(key: MapValue, value: MapValue, flags?: number): void;
  /** Decoded [key, value] pairs in dump order. */
  [Symbol.iterator](): IterableIterator<[MapValue, MapValue]>;
}
