/**
 * @fileoverview createMap: a map from its definition, with the kernel's creation checks and
 * errnos (the per-type map_alloc_check / map_alloc functions), then the loader's initial
 * contents and freezing.
 *
 * Supported types: hash, array, prog_array, perf_event_array, percpu_hash, percpu_array,
 * lru_hash, lru_percpu_hash, lpm_trie, array_of_maps, hash_of_maps, queue, stack, ringbuf,
 * bloom_filter, devmap, devmap_hash, cpumap, sockmap, sockhash, cgroup_array, sk_storage.
 * Any other type is refused with ENOTSUPP (E_MAP), an unknown type id with EINVAL; a Collection
 * creates an UnsupportedMap for those instead and refuses only the programs that use it.
 */
import {
  BPF_F_ACCESS_MASK,
  BPF_F_INNER_MAP,
  BPF_F_MMAPABLE,
  BPF_F_NO_COMMON_LRU,
  BPF_F_NO_PREALLOC,
  BPF_F_NUMA_NODE,
  BPF_F_PRESERVE_ELEMS,
  BPF_F_RDONLY,
  BPF_F_RDONLY_PROG,
  BPF_F_WRONLY,
  BPF_F_WRONLY_PROG,
  BPF_F_ZERO_SEED,
  BPF_MAP_TYPE,
  ERRNO,
  errnoName,
  mapTypeName,
} from '../uapi.js';
import { ErrnoError, ErrorCode } from '../../vm/errors.js';
import { ArrayMap } from './array.js';
import { BloomFilterMap } from './bloom-filter.js';
import { HashMap, PercpuHashMap } from './hash.js';
import { LpmTrieMap, LPM_DATA_SIZE_MAX, LPM_DATA_SIZE_MIN } from './lpm-trie.js';
import { LruHashMap } from './lru.js';
import { ArrayOfMapsMap, HashOfMapsMap } from './map-in-map.js';
import { PercpuArrayMap } from './percpu-array.js';
import { PerfEventArrayMap } from './perf-event-array.js';
import { ProgArrayMap } from './prog-array.js';
import { QueueStackMap } from './queue-stack.js';
import { RingbufMap } from './ringbuf.js';
import { roundUp8 } from './bytes.js';
import { toMapDefinition, type BpfMap, type MapDefinition, type MapDefinitionInput, type MapEnv } from './types.js';
import { UnsupportedMap } from './unsupported.js';
import { DevMap, DevMapHash } from './devmap.js';
import { CpuMap } from './cpumap.js';
import { SockHash, SockMap } from './sockmap.js';
import { CgroupArrayMap } from './cgroup-array.js';
import { SkStorageMap } from './sk-storage.js';

const T = BPF_MAP_TYPE;
const PAGE_SIZE = 4096;
/** Kernel limits used by the checks. */
const KMALLOC_MAX_SIZE = 1 << 22;
const PCPU_MIN_UNIT_SIZE = 32 << 10;
/** tcxlab's own cap on one map's storage (the kernel would fail with ENOMEM somewhere). */
export const MAP_MEMORY_LIMIT = 1 << 30;

const ARRAY_CREATE_FLAG_MASK = BPF_F_NUMA_NODE | BPF_F_MMAPABLE | BPF_F_ACCESS_MASK | BPF_F_PRESERVE_ELEMS | BPF_F_INNER_MAP;
const HTAB_CREATE_FLAG_MASK = BPF_F_NO_PREALLOC | BPF_F_NO_COMMON_LRU | BPF_F_NUMA_NODE | BPF_F_ACCESS_MASK | BPF_F_ZERO_SEED;
const LPM_CREATE_FLAG_MASK = BPF_F_NO_PREALLOC | BPF_F_NUMA_NODE | BPF_F_ACCESS_MASK;
const QUEUE_STACK_CREATE_FLAG_MASK = BPF_F_NUMA_NODE | BPF_F_ACCESS_MASK;
const RINGBUF_CREATE_FLAG_MASK = BPF_F_NUMA_NODE;
const BLOOM_CREATE_FLAG_MASK = BPF_F_NUMA_NODE | BPF_F_ZERO_SEED | BPF_F_ACCESS_MASK;
/** DEV_CREATE_FLAG_MASK (devmap.c) and SOCK_CREATE_FLAG_MASK (sock_map.c). */
const DEV_SOCK_CREATE_FLAG_MASK = BPF_F_NUMA_NODE | BPF_F_RDONLY | BPF_F_WRONLY;
/** BPF_F_CLONE (uapi): copy sk storage to a child socket. */
const BPF_F_CLONE = 1 << 9;
/** NR_CPUS of the reference kernel (/sys/devices/system/cpu/kernel_max + 1 on 6.18). */
const NR_CPUS = 256;
/** MAX_BPF_STACK: sock_hash_alloc's key size limit. */
const MAX_BPF_STACK = 512;

function fail(def: MapDefinition, errno: keyof typeof ERRNO, why: string): never {
  throw new ErrnoError(ErrorCode.Map, errno, `map ${JSON.stringify(def.name)} (${mapTypeName(def.type)}): create: ${why}`);
}

/** bpf_map_flags_access_ok: not both read-only and write-only, for syscalls or programs. */
function accessOk(flags: number): boolean {
  return (flags & (BPF_F_RDONLY | BPF_F_WRONLY)) !== (BPF_F_RDONLY | BPF_F_WRONLY) &&
    (flags & (BPF_F_RDONLY_PROG | BPF_F_WRONLY_PROG)) !== (BPF_F_RDONLY_PROG | BPF_F_WRONLY_PROG);
}

function isU32(n: number): boolean {
  return Number.isInteger(n) && n >= 0 && n <= 0xffff_ffff;
}

/** array_map_alloc_check (arraymap.c). */
function checkArray(d: MapDefinition): void {
  const percpu = d.type === T.BPF_MAP_TYPE_PERCPU_ARRAY;
  if (d.maxEntries === 0 || d.keySize !== 4 || d.valueSize === 0) fail(d, 'EINVAL', 'needs key_size 4, value_size > 0, max_entries > 0');
  if (d.flags & ~ARRAY_CREATE_FLAG_MASK || !accessOk(d.flags)) fail(d, 'EINVAL', `bad flags 0x${d.flags.toString(16)}`);
  if (percpu && d.flags & BPF_F_NUMA_NODE) fail(d, 'EINVAL', 'BPF_F_NUMA_NODE on a per-CPU array');
  if (d.type !== T.BPF_MAP_TYPE_ARRAY && d.flags & (BPF_F_MMAPABLE | BPF_F_INNER_MAP)) fail(d, 'EINVAL', 'BPF_F_MMAPABLE / BPF_F_INNER_MAP only for arrays');
  if (d.type !== T.BPF_MAP_TYPE_PERF_EVENT_ARRAY && d.flags & BPF_F_PRESERVE_ELEMS) fail(d, 'EINVAL', 'BPF_F_PRESERVE_ELEMS only for perf event arrays');
  if (d.valueSize > 0x7fff_ffff) fail(d, 'E2BIG', 'value_size too large');
  if (percpu && roundUp8(d.valueSize) > PCPU_MIN_UNIT_SIZE) fail(d, 'E2BIG', `per-CPU value_size over ${PCPU_MIN_UNIT_SIZE}`);
}

/** fd_array_map_alloc_check: prog, perf event and map arrays hold u32 fds. */
function checkFdArray(d: MapDefinition): void {
  if (d.valueSize !== 4) fail(d, 'EINVAL', 'value_size must be 4');
  if (d.flags & (BPF_F_RDONLY_PROG | BPF_F_WRONLY_PROG)) fail(d, 'EINVAL', 'BPF_F_RDONLY_PROG / BPF_F_WRONLY_PROG not allowed');
  checkArray(d);
}

/** htab_map_alloc_check (hashtab.c). */
function checkHash(d: MapDefinition): void {
  const lru = d.type === T.BPF_MAP_TYPE_LRU_HASH || d.type === T.BPF_MAP_TYPE_LRU_PERCPU_HASH;
  const percpu = d.type === T.BPF_MAP_TYPE_PERCPU_HASH || d.type === T.BPF_MAP_TYPE_LRU_PERCPU_HASH;
  const prealloc = !(d.flags & BPF_F_NO_PREALLOC);
  const percpuLru = (d.flags & BPF_F_NO_COMMON_LRU) !== 0;
  if (d.flags & ~HTAB_CREATE_FLAG_MASK || !accessOk(d.flags)) fail(d, 'EINVAL', `bad flags 0x${d.flags.toString(16)}`);
  if (!lru && percpuLru) fail(d, 'EINVAL', 'BPF_F_NO_COMMON_LRU needs an LRU map');
  if (lru && !prealloc) fail(d, 'ENOTSUPP', 'LRU maps cannot be BPF_F_NO_PREALLOC');
  if (d.flags & BPF_F_NUMA_NODE && (percpu || percpuLru)) fail(d, 'EINVAL', 'BPF_F_NUMA_NODE on a per-CPU map');
  if (d.maxEntries === 0 || d.keySize === 0 || d.valueSize === 0) fail(d, 'EINVAL', 'needs key_size, value_size and max_entries > 0');
  // htab_map_alloc_check: key + value must fit one kmalloc with the element header.
  if (d.keySize + d.valueSize >= KMALLOC_MAX_SIZE - 48) fail(d, 'E2BIG', 'element too large');
  if (percpu && roundUp8(d.valueSize) > PCPU_MIN_UNIT_SIZE) fail(d, 'E2BIG', `per-CPU value_size over ${PCPU_MIN_UNIT_SIZE}`);
}

/** sizeof(struct bucket) in hashtab.c: an hlist_nulls_head and a lock, 16 bytes on 64-bit. */
const HTAB_BUCKET_SIZE = 16n;

/**
 * htab_map_alloc's size checks: max_entries over 2^31, or a bucket array (max_entries rounded up
 * to a power of 2, after the per-CPU LRU rounding to a multiple of the CPU count) of more than
 * U32_MAX bytes, is E2BIG. Elements are allocated lazily here, so no memory check follows.
 */
function checkHashSize(d: MapDefinition, ncpus: number): void {
  let max = BigInt(d.maxEntries);
  if (d.flags & BPF_F_NO_COMMON_LRU) {
    // roundup() in u32: wrapping past U32_MAX falls back to rounddown().
    const n = BigInt(ncpus);
    const up = (((max + n - 1n) / n) * n) & 0xffff_ffffn;
    max = up < max ? (max / n) * n : up;
  }
  if (max > 1n << 31n) fail(d, 'E2BIG', 'max_entries over 2^31');
  let buckets = 1n;
  while (buckets < max) buckets <<= 1n;
  if (buckets > 0xffff_ffffn / HTAB_BUCKET_SIZE) fail(d, 'E2BIG', `${buckets} hash buckets overflow a u32 size`);
}

/** bpf_map_meta_alloc (map_in_map.c): the inner map template of a map of maps. */
function checkInner(d: MapDefinition): void {
  const inner = d.innerMap;
  if (!inner) fail(d, 'EBADF', 'a map of maps needs an inner map template');
  if (inner.type === T.BPF_MAP_TYPE_ARRAY_OF_MAPS || inner.type === T.BPF_MAP_TYPE_HASH_OF_MAPS)
    fail(d, 'EINVAL', 'maps of maps cannot nest');
  if (inner.type === T.BPF_MAP_TYPE_PROG_ARRAY) fail(d, 'EINVAL', 'a prog array cannot be an inner map');
  checkDefinition(inner);
}

/** trie_alloc (lpm_trie.c). */
function checkLpm(d: MapDefinition): void {
  if (
    d.maxEntries === 0 ||
    !(d.flags & BPF_F_NO_PREALLOC) ||
    d.flags & ~LPM_CREATE_FLAG_MASK ||
    !accessOk(d.flags) ||
    d.keySize < 4 + LPM_DATA_SIZE_MIN ||
    d.keySize > 4 + LPM_DATA_SIZE_MAX ||
    d.valueSize < 1 ||
    d.valueSize > KMALLOC_MAX_SIZE - LPM_DATA_SIZE_MAX - 48
  )
    fail(d, 'EINVAL', 'needs BPF_F_NO_PREALLOC, key_size 5..260, value_size > 0, max_entries > 0');
}

/** queue_stack_map_alloc_check (queue_stack_maps.c). */
function checkQueueStack(d: MapDefinition): void {
  if (d.maxEntries === 0 || d.keySize !== 0 || d.valueSize === 0 || d.flags & ~QUEUE_STACK_CREATE_FLAG_MASK || !accessOk(d.flags))
    fail(d, 'EINVAL', 'needs key_size 0, value_size > 0, max_entries > 0');
  if (d.valueSize > KMALLOC_MAX_SIZE) fail(d, 'E2BIG', 'value_size too large');
}

/** ringbuf_map_alloc (ringbuf.c). */
function checkRingbuf(d: MapDefinition): void {
  if (d.flags & ~RINGBUF_CREATE_FLAG_MASK) fail(d, 'EINVAL', `bad flags 0x${d.flags.toString(16)}`);
  const m = d.maxEntries;
  if (d.keySize || d.valueSize || m === 0 || (m & (m - 1)) !== 0 || m % PAGE_SIZE !== 0)
    fail(d, 'EINVAL', 'needs key_size 0, value_size 0 and a power-of-2 page-multiple max_entries');
}

/** bloom_map_alloc_check, then bloom_map_alloc (bloom_filter.c). */
function checkBloom(d: MapDefinition): void {
  if (d.valueSize > KMALLOC_MAX_SIZE) fail(d, 'E2BIG', 'value_size too large');
  if (d.keySize !== 0 || d.valueSize === 0 || d.maxEntries === 0 || d.flags & ~BLOOM_CREATE_FLAG_MASK || !accessOk(d.flags) || (d.mapExtra ?? 0) & ~0xf)
    fail(d, 'EINVAL', 'needs key_size 0, value_size > 0, max_entries > 0, map_extra < 16');
}

/** dev_map_alloc_check (devmap.c): value is bpf_devmap_val up to ifindex (4) or bpf_prog.fd (8). */
function checkDevmap(d: MapDefinition): void {
  if (d.maxEntries === 0 || d.keySize !== 4 || (d.valueSize !== 4 && d.valueSize !== 8) || d.flags & ~DEV_SOCK_CREATE_FLAG_MASK)
    fail(d, 'EINVAL', 'needs key_size 4, value_size 4 or 8, max_entries > 0, flags within NUMA_NODE|RDONLY|WRONLY');
  if (d.type === T.BPF_MAP_TYPE_DEVMAP_HASH && d.maxEntries > 2 ** 31) fail(d, 'EINVAL', 'max_entries over 2^31');
}

/** cpu_map_alloc (cpumap.c). */
function checkCpumap(d: MapDefinition): void {
  if (d.maxEntries === 0 || d.keySize !== 4 || (d.valueSize !== 4 && d.valueSize !== 8) || d.flags & ~BPF_F_NUMA_NODE)
    fail(d, 'EINVAL', 'needs key_size 4, value_size 4 or 8, max_entries > 0, flags within NUMA_NODE');
  if (d.maxEntries > NR_CPUS) fail(d, 'E2BIG', `max_entries over NR_CPUS (${NR_CPUS})`);
}

/** sock_map_alloc / sock_hash_alloc (sock_map.c). */
function checkSockmap(d: MapDefinition): void {
  const hash = d.type === T.BPF_MAP_TYPE_SOCKHASH;
  if (
    d.maxEntries === 0 ||
    (!hash && d.maxEntries > 0x7fffffff) ||
    (hash ? d.keySize === 0 : d.keySize !== 4) ||
    (d.valueSize !== 4 && d.valueSize !== 8) ||
    d.flags & ~DEV_SOCK_CREATE_FLAG_MASK
  )
    fail(d, 'EINVAL', `needs ${hash ? 'key_size > 0' : 'key_size 4'}, value_size 4 or 8, max_entries > 0`);
  if (hash && d.keySize > MAX_BPF_STACK) fail(d, 'E2BIG', `key_size over ${MAX_BPF_STACK}`);
}

/**
 * bpf_local_storage_map_alloc_check (bpf_local_storage.c): BPF_F_NO_PREALLOC, max_entries 0,
 * key_size 4 (a socket fd) and BTF for key and value. (Its E2BIG for huge values is not modelled.)
 */
function checkSkStorage(d: MapDefinition): void {
  if (
    d.flags & ~(BPF_F_NO_PREALLOC | BPF_F_CLONE) ||
    !(d.flags & BPF_F_NO_PREALLOC) ||
    d.maxEntries !== 0 ||
    d.keySize !== 4 ||
    d.valueSize === 0 ||
    !d.btfKeyTypeId ||
    !d.btfValueTypeId
  )
    fail(d, 'EINVAL', 'needs BPF_F_NO_PREALLOC, max_entries 0, key_size 4, value_size > 0 and BTF key/value types');
}

/**
 * Bytes tcxlab would allocate up front, in exact 64-bit arithmetic (for MAP_MEMORY_LIMIT). fd
 * arrays (prog, perf event, array of maps) count the kernel's 8 bytes per slot although tcxlab
 * fills them lazily: array_map_alloc allocates them, and refuses with ENOMEM when it cannot.
 * Hash-like maps, LPM tries and bloom filters hold only what is inserted.
 */
export function footprint(d: MapDefinition, ncpus: number): bigint {
  const stride = BigInt(roundUp8(d.valueSize));
  const max = BigInt(d.maxEntries);
  switch (d.type) {
    case T.BPF_MAP_TYPE_ARRAY:
      return stride * max;
    case T.BPF_MAP_TYPE_PERCPU_ARRAY:
      return stride * max * BigInt(ncpus);
    case T.BPF_MAP_TYPE_PROG_ARRAY:
    case T.BPF_MAP_TYPE_PERF_EVENT_ARRAY:
    case T.BPF_MAP_TYPE_ARRAY_OF_MAPS:
      return 8n * max;
    case T.BPF_MAP_TYPE_QUEUE:
    case T.BPF_MAP_TYPE_STACK:
      return (max + 1n) * BigInt(d.valueSize);
    case T.BPF_MAP_TYPE_RINGBUF:
      return max * 2n;
    case T.BPF_MAP_TYPE_DEVMAP:
      // tcxlab: the values plus a presence byte per slot (the kernel: a pointer per slot).
      return (stride + 1n) * max;
    default:
      return 0n;
  }
}

/** The kernel's creation checks for `def` (throws ErrnoError). */
export function checkDefinition(def: MapDefinition, ncpus = 1): void {
  if (!isU32(def.keySize) || !isU32(def.valueSize) || !isU32(def.maxEntries) || !isU32(def.flags))
    fail(def, 'EINVAL', 'sizes and flags must be u32');
  switch (def.type) {
    case T.BPF_MAP_TYPE_ARRAY:
    case T.BPF_MAP_TYPE_PERCPU_ARRAY:
      checkArray(def);
      break;
    case T.BPF_MAP_TYPE_PROG_ARRAY:
    case T.BPF_MAP_TYPE_PERF_EVENT_ARRAY:
      checkFdArray(def);
      break;
    case T.BPF_MAP_TYPE_ARRAY_OF_MAPS:
      checkInner(def);
      checkFdArray(def);
      break;
    case T.BPF_MAP_TYPE_HASH:
    case T.BPF_MAP_TYPE_PERCPU_HASH:
    case T.BPF_MAP_TYPE_LRU_HASH:
    case T.BPF_MAP_TYPE_LRU_PERCPU_HASH:
      checkHash(def);
      checkHashSize(def, ncpus);
      break;
    case T.BPF_MAP_TYPE_HASH_OF_MAPS:
      checkInner(def);
      if (def.valueSize !== 4) fail(def, 'EINVAL', 'value_size must be 4');
      checkHash(def);
      checkHashSize(def, ncpus);
      break;
    case T.BPF_MAP_TYPE_LPM_TRIE:
      checkLpm(def);
      break;
    case T.BPF_MAP_TYPE_QUEUE:
    case T.BPF_MAP_TYPE_STACK:
      checkQueueStack(def);
      break;
    case T.BPF_MAP_TYPE_RINGBUF:
      checkRingbuf(def);
      break;
    case T.BPF_MAP_TYPE_BLOOM_FILTER:
      checkBloom(def);
      break;
    case T.BPF_MAP_TYPE_DEVMAP:
    case T.BPF_MAP_TYPE_DEVMAP_HASH:
      checkDevmap(def);
      break;
    case T.BPF_MAP_TYPE_CPUMAP:
      checkCpumap(def);
      break;
    case T.BPF_MAP_TYPE_SOCKMAP:
    case T.BPF_MAP_TYPE_SOCKHASH:
      checkSockmap(def);
      break;
    case T.BPF_MAP_TYPE_CGROUP_ARRAY:
      checkFdArray(def);
      break;
    case T.BPF_MAP_TYPE_SK_STORAGE:
      checkSkStorage(def);
      break;
    default:
      if (Object.values(T).includes(def.type as never) && def.type !== T.BPF_MAP_TYPE_UNSPEC)
        fail(def, 'ENOTSUPP', 'map type not supported by tcxlab');
      fail(def, 'EINVAL', `unknown map type ${def.type}`);
  }
  const bytes = footprint(def, ncpus);
  if (bytes > BigInt(MAP_MEMORY_LIMIT)) fail(def, 'ENOMEM', `needs ${bytes} bytes, over tcxlab's ${MAP_MEMORY_LIMIT}-byte map limit`);
}

/** Map types createMap implements (every other valid `enum bpf_map_type` is ENOTSUPP). */
export const SUPPORTED_MAP_TYPES: ReadonlySet<number> = new Set([
  T.BPF_MAP_TYPE_HASH, T.BPF_MAP_TYPE_ARRAY, T.BPF_MAP_TYPE_PROG_ARRAY, T.BPF_MAP_TYPE_PERF_EVENT_ARRAY,
  T.BPF_MAP_TYPE_PERCPU_HASH, T.BPF_MAP_TYPE_PERCPU_ARRAY, T.BPF_MAP_TYPE_LRU_HASH, T.BPF_MAP_TYPE_LRU_PERCPU_HASH,
  T.BPF_MAP_TYPE_LPM_TRIE, T.BPF_MAP_TYPE_ARRAY_OF_MAPS, T.BPF_MAP_TYPE_HASH_OF_MAPS, T.BPF_MAP_TYPE_QUEUE,
  T.BPF_MAP_TYPE_STACK, T.BPF_MAP_TYPE_RINGBUF, T.BPF_MAP_TYPE_BLOOM_FILTER, T.BPF_MAP_TYPE_DEVMAP,
  T.BPF_MAP_TYPE_DEVMAP_HASH, T.BPF_MAP_TYPE_CPUMAP, T.BPF_MAP_TYPE_SOCKMAP, T.BPF_MAP_TYPE_SOCKHASH,
  T.BPF_MAP_TYPE_CGROUP_ARRAY, T.BPF_MAP_TYPE_SK_STORAGE,
]);

/** A valid kernel map type (not UNSPEC) that createMap does not implement. */
export function isUnimplementedMapType(type: number): boolean {
  return type !== T.BPF_MAP_TYPE_UNSPEC && Object.values(T).includes(type as never) && !SUPPORTED_MAP_TYPES.has(type);
}

/**
 * A stand-in for a map whose type tcxlab does not implement (the kernel would create it): the
 * object loads, and the Collection refuses only the programs that reference this map.
 */
export function createUnsupportedMap(input: MapDefinitionInput, env: MapEnv): BpfMap {
  const def = toMapDefinition(input);
  if (!isU32(def.keySize) || !isU32(def.valueSize) || !isU32(def.maxEntries) || !isU32(def.flags))
    fail(def, 'EINVAL', 'sizes and flags must be u32');
  return new UnsupportedMap(env, def);
}

/**
 * Create a map: the kernel's checks, then the object. libbpf's adjustments are applied too:
 * a perf event array with max_entries 0 gets one slot per CPU. Initial values and byte
 * contents are applied with BPF_ANY, then `readOnly` maps are frozen.
 */
export function createMap(input: MapDefinitionInput, env: MapEnv): BpfMap {
  let def = toMapDefinition(input);
  if (def.type === T.BPF_MAP_TYPE_PERF_EVENT_ARRAY && def.maxEntries === 0) def = { ...def, maxEntries: env.ncpus };
  checkDefinition(def, env.ncpus);
  const map = instantiate(def, env);
  if (def.contents && hasByteValues(def.type)) {
    for (const [k, v] of def.contents) {
      try {
        map.update(k, v);
      } catch (e) {
        if (e instanceof ErrnoError) throw new ErrnoError(ErrorCode.Map, e.errno, `map ${JSON.stringify(def.name)}: initial contents: ${e.message}`);
        throw e;
      }
    }
  }
  if (def.readOnly) map.freeze();
  return map;
}

/** Map types whose values are plain bytes (not programs, maps or events). */
export function hasByteValues(type: number): boolean {
  return !(
    type === T.BPF_MAP_TYPE_PROG_ARRAY ||
    type === T.BPF_MAP_TYPE_PERF_EVENT_ARRAY ||
    type === T.BPF_MAP_TYPE_ARRAY_OF_MAPS ||
    type === T.BPF_MAP_TYPE_HASH_OF_MAPS ||
    type === T.BPF_MAP_TYPE_RINGBUF ||
    type === T.BPF_MAP_TYPE_CGROUP_ARRAY ||
    type === T.BPF_MAP_TYPE_SOCKMAP ||
    type === T.BPF_MAP_TYPE_SOCKHASH ||
    type === T.BPF_MAP_TYPE_SK_STORAGE
  );
}

function instantiate(def: MapDefinition, env: MapEnv): BpfMap {
  switch (def.type) {
    case T.BPF_MAP_TYPE_ARRAY:
      return new ArrayMap(env, def);
    case T.BPF_MAP_TYPE_PERCPU_ARRAY:
      return new PercpuArrayMap(env, def);
    case T.BPF_MAP_TYPE_HASH:
      return new HashMap(env, def);
    case T.BPF_MAP_TYPE_PERCPU_HASH:
      return new PercpuHashMap(env, def);
    case T.BPF_MAP_TYPE_LRU_HASH:
    case T.BPF_MAP_TYPE_LRU_PERCPU_HASH:
      return new LruHashMap(env, def);
    case T.BPF_MAP_TYPE_LPM_TRIE:
      return new LpmTrieMap(env, def);
    case T.BPF_MAP_TYPE_PROG_ARRAY:
      return new ProgArrayMap(env, def);
    case T.BPF_MAP_TYPE_PERF_EVENT_ARRAY:
      return new PerfEventArrayMap(env, def);
    case T.BPF_MAP_TYPE_ARRAY_OF_MAPS:
      return new ArrayOfMapsMap(env, def);
    case T.BPF_MAP_TYPE_HASH_OF_MAPS:
      return new HashOfMapsMap(env, def);
    case T.BPF_MAP_TYPE_QUEUE:
    case T.BPF_MAP_TYPE_STACK:
      return new QueueStackMap(env, def);
    case T.BPF_MAP_TYPE_RINGBUF:
      return new RingbufMap(env, def);
    case T.BPF_MAP_TYPE_BLOOM_FILTER:
      return new BloomFilterMap(env, def);
    case T.BPF_MAP_TYPE_DEVMAP:
      return new DevMap(env, def);
    case T.BPF_MAP_TYPE_DEVMAP_HASH:
      return new DevMapHash(env, def);
    case T.BPF_MAP_TYPE_CPUMAP:
      return new CpuMap(env, def);
    case T.BPF_MAP_TYPE_SOCKMAP:
      return new SockMap(env, def);
    case T.BPF_MAP_TYPE_SOCKHASH:
      return new SockHash(env, def);
    case T.BPF_MAP_TYPE_CGROUP_ARRAY:
      return new CgroupArrayMap(env, def);
    case T.BPF_MAP_TYPE_SK_STORAGE:
      return new SkStorageMap(env, def);
    default:
      return fail(def, 'EINVAL', `unknown map type ${def.type} (${errnoName(ERRNO.EINVAL)})`);
  }
}
