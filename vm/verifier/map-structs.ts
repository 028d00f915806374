/**
 * @fileoverview The kernel struct behind each map type, as the verifier names it when a program
 * reads `struct bpf_map` fields through a map pointer (each map type's `map_btf_id` in
 * kernel/bpf/*.c and net/core/bpf_sk_storage.c; used by check_ptr_to_map_access). Map types
 * without one refuse such accesses.
 */
import { BPF_MAP_TYPE as T } from '../uapi.js';

const STRUCTS: ReadonlyMap<number, string> = new Map([
  [T.BPF_MAP_TYPE_HASH, 'bpf_htab'],
  [T.BPF_MAP_TYPE_PERCPU_HASH, 'bpf_htab'],
  [T.BPF_MAP_TYPE_LRU_HASH, 'bpf_htab'],
  [T.BPF_MAP_TYPE_LRU_PERCPU_HASH, 'bpf_htab'],
  [T.BPF_MAP_TYPE_HASH_OF_MAPS, 'bpf_htab'],
  [T.BPF_MAP_TYPE_ARRAY, 'bpf_array'],
  [T.BPF_MAP_TYPE_PERCPU_ARRAY, 'bpf_array'],
  [T.BPF_MAP_TYPE_PROG_ARRAY, 'bpf_array'],
  [T.BPF_MAP_TYPE_PERF_EVENT_ARRAY, 'bpf_array'],
  [T.BPF_MAP_TYPE_CGROUP_ARRAY, 'bpf_array'],
  [T.BPF_MAP_TYPE_ARRAY_OF_MAPS, 'bpf_array'],
  [T.BPF_MAP_TYPE_STACK_TRACE, 'bpf_stack_map'],
  [T.BPF_MAP_TYPE_LPM_TRIE, 'lpm_trie'],
  [T.BPF_MAP_TYPE_DEVMAP, 'bpf_dtab'],
  [T.BPF_MAP_TYPE_DEVMAP_HASH, 'bpf_dtab'],
  [T.BPF_MAP_TYPE_CPUMAP, 'bpf_cpu_map'],
  [T.BPF_MAP_TYPE_XSKMAP, 'xsk_map'],
  [T.BPF_MAP_TYPE_CGROUP_STORAGE, 'bpf_cgroup_storage_map'],
  [T.BPF_MAP_TYPE_PERCPU_CGROUP_STORAGE, 'bpf_cgroup_storage_map'],
  [T.BPF_MAP_TYPE_REUSEPORT_SOCKARRAY, 'reuseport_array'],
  [T.BPF_MAP_TYPE_QUEUE, 'bpf_queue_stack'],
  [T.BPF_MAP_TYPE_STACK, 'bpf_queue_stack'],
  [T.BPF_MAP_TYPE_SK_STORAGE, 'bpf_local_storage_map'],
  [T.BPF_MAP_TYPE_INODE_STORAGE, 'bpf_local_storage_map'],
  [T.BPF_MAP_TYPE_TASK_STORAGE, 'bpf_local_storage_map'],
  [T.BPF_MAP_TYPE_CGRP_STORAGE, 'bpf_local_storage_map'],
  [T.BPF_MAP_TYPE_STRUCT_OPS, 'bpf_struct_ops_map'],
  [T.BPF_MAP_TYPE_RINGBUF, 'bpf_ringbuf_map'],
  [T.BPF_MAP_TYPE_USER_RINGBUF, 'bpf_ringbuf_map'],
  [T.BPF_MAP_TYPE_BLOOM_FILTER, 'bpf_bloom_filter'],
  [T.BPF_MAP_TYPE_ARENA, 'bpf_arena'],
]);

/** The struct name for map type `type`, or undefined (sockmap, sockhash: no BTF for the map). */
export function mapStructName(type: number): string | undefined {
  return STRUCTS.get(type);
}
