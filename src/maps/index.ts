/**
 * @fileoverview The map types tc programs use, with the kernel's semantics (see README
 * section "maps"). `createMap(def, env)` makes one; helpers use the program-side methods of
 * `BpfMap` and of the type-specific classes (queue/stack push/pop/peek, ringbuf reserve/commit/
 * output/query, perf output, prog array getProgram, map-in-map inner handles).
 */
export type {
  BpfMap,
  DumpEntry,
  DumpOptions,
  ForEachCallback,
  HostValue,
  MapDefinition,
  MapDefinitionInput,
  MapDump,
  MapEnv,
} from './types.js';
export { createMapEnv, toMapDefinition } from './types.js';
export { BaseMap, PERCPU_TYPES } from './base.js';
export { ArrayMap } from './array.js';
export { PercpuArrayMap } from './percpu-array.js';
export { HashMap, PercpuHashMap, HashTableBase, checkFlags } from './hash.js';
export { LruHashMap, lruMaxEntries } from './lru.js';
export { LpmTrieMap, LPM_DATA_SIZE_MAX, LPM_DATA_SIZE_MIN } from './lpm-trie.js';
export { ProgArrayMap } from './prog-array.js';
export { PerfEventArrayMap, type PerfRecord } from './perf-event-array.js';
export { RingbufMap, RINGBUF_MAX_RECORD_SZ, type RingbufRecord } from './ringbuf.js';
export { QueueStackMap } from './queue-stack.js';
export { BloomFilterMap, bloomGeometry, BLOOM_DEFAULT_NR_HASH_FUNCS } from './bloom-filter.js';
export { jhash, jhash2 } from './jhash.js';
export { isPushPopMap, type PushPopMap } from './push-pop.js';
export { ArrayOfMapsMap, HashOfMapsMap, innerMapMatches } from './map-in-map.js';
export { createMap, createUnsupportedMap, checkDefinition, hasByteValues, isUnimplementedMapType, MAP_MEMORY_LIMIT, SUPPORTED_MAP_TYPES } from './create.js';
export { UnsupportedMap } from './unsupported.js';
export { DevMap, DevMapHash } from './devmap.js';
export { CpuMap } from './cpumap.js';
export { SockMap, SockHash, isSockMap } from './sockmap.js';
export { CgroupArrayMap } from './cgroup-array.js';
export { SkStorageMap } from './sk-storage.js';
export { toHex, fromHex, compareBytes, keyOf } from './bytes.js';
export { btfMapCodec, dataSectionCodec, codecForSpec, type MapCodec, type MapValue } from './typed.js';
export { snapshotMaps, diffSnapshots, SNAPSHOT_MAX_ENTRIES } from './snapshot.js';
export type { MapsSnapshot, MapState, SnapshotOptions, MapDiff, DiffEntry, ChangedEntry } from './snapshot.js';
