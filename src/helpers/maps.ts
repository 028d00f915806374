/**
 * @fileoverview Map helpers and control-flow helpers (kernel/bpf/helpers.c, ringbuf.c,
 * bpf_trace.c, filter.c): lookup/update/delete, push/pop/peek, lookup_percpu, for_each,
 * tail_call, ringbuf_*, perf_event_output, loop, spin_lock/unlock.
 *
 * A map argument is a pointer to the map's handle region (LD_IMM64 BPF_PSEUDO_MAP_* resolves to
 * it; a map-in-map lookup returns an inner map's handle). Value pointers come back as
 * region.hi : Memory.lo(map.lastOffset), so later accesses hit the map's own storage.
 */
import type { CalleeName } from './args.js';
import { byName, type HelperFamily } from './family.js';
import { HELPER_IDS as H } from '../../vm/helpers.js';
import { Memory, type Region } from '../../vm/memory.js';
import { CODE_HI, readsArgsOnly, withIndexLookup, type HelperCall, type HelperFn } from '../../vm/program.js';
import type { BpfMap } from '../maps/types.js';
import { ProgArrayMap } from '../maps/prog-array.js';
import { RingbufMap } from '../maps/ringbuf.js';
import { isPushPopMap, type PushPopMap } from '../maps/push-pop.js';
import { PerfEventArrayMap } from '../maps/perf-event-array.js';
import { isSockMap } from '../maps/sockmap.js';
import { BPF_MAX_LOOPS, ERRNO } from '../uapi.js';
import { argMem, argPassThrough, argSize, argU32, argU64, helperFault, setR0, setR0Ptr } from './args.js';
import type { BaseRunState } from './base.js';

/** perf_event_output flag layout: low 32 bits index, bits 32..51 packet bytes to append. */
const BPF_F_CTXLEN_MASK_HI = 0xfffff;

/** The map a register points at, or a fault (the verifier guarantees a map pointer). */
export function argMap(call: HelperCall, n: number, helper: CalleeName): BpfMap {
  const r = call.mem.regionOfTagged(call.regs.hi[n], call.regs.tag[n]);
  if (r === undefined || r.kind !== 'map' || Memory.offsetOf(call.regs.lo[n]) !== 0) {
    throw helperFault(call, helper, `argument r${n} is not a map pointer`);
  }
  return r.owner as BpfMap;
}

const cpuOf = (call: HelperCall): number => (call.run as Partial<BaseRunState> | undefined)?.cpu ?? 0;

function returnValuePtr(call: HelperCall, map: BpfMap, region: ReturnType<BpfMap['lookupElem']>): void {
  if (region === undefined) setR0Ptr(call, 0, 0);
  else setR0Ptr(call, region.hi, Memory.lo(map.lastOffset));
}

/**
 * bpf_map_lookup_elem's direct form for the JIT (vm/program.ts IndexLookup): on an array map
 * (lookupIndex) with a 4-byte key, the same element region lookupElem returns (offset 0, so r0's
 * low half is the region's first byte); -1 for any other map, left to the helper.
 */
const mapLookupIndex = (call: HelperCall, mapHi: number, key: number): number => {
  const r = call.mem.regionOf(mapHi);
  if (r === undefined || r.kind !== 'map') return -1;
  const map = r.owner as BpfMap;
  if (map.lookupIndex === undefined || map.keySize !== 4) return -1;
  const v = map.lookupIndex(key >>> 0, cpuOf(call));
  return v === undefined ? 0 : v.hi;
};

const mapLookup: HelperFn = withIndexLookup(
  readsArgsOnly((call) => {
    const map = argMap(call, 1, 'bpf_map_lookup_elem');
    const key = argMem(call, 2, map.keySize, false, 'bpf_map_lookup_elem');
    returnValuePtr(call, map, map.lookupElem(key, cpuOf(call)));
  }),
  mapLookupIndex,
);

const mapLookupPercpu: HelperFn = readsArgsOnly((call) => {
  const map = argMap(call, 1, 'bpf_map_lookup_percpu_elem');
  const key = argMem(call, 2, map.keySize, false, 'bpf_map_lookup_percpu_elem');
  const cpu = argU32(call, 3);
  // kernel: NULL when cpu >= nr_cpu_ids
  if (!map.percpu) throw helperFault(call, 'bpf_map_lookup_percpu_elem', 'map is not per-CPU');
  if (cpu >= map.ncpus) return setR0Ptr(call, 0, 0);
  returnValuePtr(call, map, map.lookupElem(key, cpu));
});

const mapUpdate: HelperFn = readsArgsOnly((call) => {
  const map = argMap(call, 1, 'bpf_map_update_elem');
  const key = argMem(call, 2, map.keySize, false, 'bpf_map_update_elem');
  // sockmap/sockhash: the value is a socket pointer, not value_size bytes (sock_map_update_elem).
  if (isSockMap(map)) return setR0(call, map.updateSock(argSize(call, 4)));
  const value = argMem(call, 3, map.valueSize, false, 'bpf_map_update_elem');
  setR0(call, map.updateElem(key, value, argSize(call, 4), cpuOf(call)));
});

const mapDelete: HelperFn = readsArgsOnly((call) => {
  const map = argMap(call, 1, 'bpf_map_delete_elem');
  const key = argMem(call, 2, map.keySize, false, 'bpf_map_delete_elem');
  setR0(call, map.deleteElem(key, cpuOf(call)));
});

function queueStack(call: HelperCall, name: CalleeName): PushPopMap {
  const map = argMap(call, 1, name);
  if (!isPushPopMap(map)) throw helperFault(call, name, `map ${map.name} is not a queue, stack or bloom filter`);
  return map;
}

const mapPush: HelperFn = (call) => {
  const map = queueStack(call, 'bpf_map_push_elem');
  setR0(call, map.pushElem(argMem(call, 2, map.valueSize, false, 'bpf_map_push_elem'), argSize(call, 3)));
};
const mapPop: HelperFn = (call) => {
  const map = queueStack(call, 'bpf_map_pop_elem');
  setR0(call, map.popElem(argMem(call, 2, map.valueSize, true, 'bpf_map_pop_elem')));
};
const mapPeek: HelperFn = (call) => {
  const map = queueStack(call, 'bpf_map_peek_elem');
  setR0(call, map.peekElem(argMem(call, 2, map.valueSize, true, 'bpf_map_peek_elem')));
};

/** A callback pointer (LD_IMM64 BPF_PSEUDO_FUNC) → instruction index. */
function argCallback(call: HelperCall, n: number, helper: CalleeName): number {
  if (call.regs.hi[n] !== CODE_HI) throw helperFault(call, helper, `argument r${n} is not a callback pointer`);
  if (call.callback === undefined) throw helperFault(call, helper, 'the engine does not provide callbacks');
  return call.regs.lo[n] >>> 0;
}

const forEachMapElem: HelperFn = (call) => {
  const map = argMap(call, 1, 'bpf_for_each_map_elem');
  const pc = argCallback(call, 2, 'bpf_for_each_map_elem');
  const ctx = argPassThrough(call, 3);
  if (argU64(call, 4) !== 0n) return setR0(call, -ERRNO.EINVAL);
  const mapPtr = argPassThrough(call, 1);
  const invoke = call.callback!;
  const n = map.forEachElem(cpuOf(call), (kr, ko, vr, vo) => {
    const [lo] = invoke(pc, [mapPtr, [Memory.lo(ko), kr.hi, kr.hi], [Memory.lo(vo), vr.hi, vr.hi], ctx]);
    return (lo | 0) === 1;
  });
  setR0(call, n);
};

const loop: HelperFn = (call) => {
  const n = argU32(call, 1);
  const pc = argCallback(call, 2, 'bpf_loop');
  const ctx = argPassThrough(call, 3);
  if (argU64(call, 4) !== 0n) return setR0(call, -ERRNO.EINVAL);
  if (n > BPF_MAX_LOOPS) return setR0(call, -ERRNO.E2BIG);
  const invoke = call.callback!;
  for (let i = 0; i < n; i++) {
    const [lo] = invoke(pc, [[i, 0], ctx]);
    // The verifier restricts the callback's return to 0 (continue) or 1 (stop).
    if ((lo | 0) === 1) return setR0(call, i + 1);
  }
  setR0(call, n);
};

const tailCall: HelperFn = (call) => {
  const map = argMap(call, 2, 'bpf_tail_call');
  if (!(map instanceof ProgArrayMap)) throw helperFault(call, 'bpf_tail_call', `map ${map.name} is not a prog array`);
  const target = map.getProgram(argU32(call, 3));
  // A missing slot or index out of range falls through (the engine also enforces the 33 limit).
  if (target !== undefined) call.tailCall = target;
  // r0 is not defined after a failed tail call; the kernel leaves the helper's -ENOENT-like
  // value unspecified to the program (the verifier marks r0 unknown). Use 0.
  setR0(call, 0);
};

function ringbuf(call: HelperCall, n: number, name: CalleeName): RingbufMap {
  const map = argMap(call, n, name);
  if (!(map instanceof RingbufMap)) throw helperFault(call, name, `map ${map.name} is not a ring buffer`);
  return map;
}

const ringbufOutput: HelperFn = (call) => {
  const rb = ringbuf(call, 1, 'bpf_ringbuf_output');
  const size = argSize(call, 3);
  setR0(call, rb.output(argMem(call, 2, size, false, 'bpf_ringbuf_output'), argSize(call, 4)));
};
const ringbufReserve: HelperFn = (call) => {
  const rb = ringbuf(call, 1, 'bpf_ringbuf_reserve');
  const region = rb.reserve(argSize(call, 2), argSize(call, 3));
  returnValuePtr(call, rb, region);
};
function ringbufCommit(discard: boolean, name: CalleeName): HelperFn {
  return (call) => {
    const region = call.mem.regionOfTagged(call.regs.hi[1], call.regs.tag[1]);
    const rb = region?.owner;
    if (!(rb instanceof RingbufMap) || Memory.offsetOf(call.regs.lo[1]) !== 0) {
      throw helperFault(call, name, 'argument r1 is not a reserved ring buffer sample');
    }
    if (!rb.commitRecord(region as Region, discard, argSize(call, 2))) {
      throw helperFault(call, name, 'argument r1 is not a reserved ring buffer sample');
    }
    setR0(call, 0);
  };
}
const ringbufQuery: HelperFn = (call) => {
  const rb = ringbuf(call, 1, 'bpf_ringbuf_query');
  setR0(call, rb.query(argSize(call, 2)));
};

/** Packet bytes appended by perf_event_output come from the skb: the run state provides them. */
interface PacketSource {
  skb?: { len: number; bytes(): Uint8Array };
}

const perfEventOutput: HelperFn = (call) => {
  const map = argMap(call, 2, 'bpf_perf_event_output');
  if (!(map instanceof PerfEventArrayMap)) throw helperFault(call, 'bpf_perf_event_output', `map ${map.name} is not a perf event array`);
  const flagsHi = call.regs.hi[3] >>> 0;
  const index = call.regs.lo[3] >>> 0;
  // bpf_skb_event_output: only the index and ctx-length fields may be set.
  if (flagsHi & ~BPF_F_CTXLEN_MASK_HI) return setR0(call, -ERRNO.EINVAL);
  const ctxLen = flagsHi & BPF_F_CTXLEN_MASK_HI;
  const skb = (call.run as PacketSource | undefined)?.skb;
  if (ctxLen > (skb?.len ?? 0)) return setR0(call, -ERRNO.EFAULT);
  const data = argMem(call, 4, argSize(call, 5), false, 'bpf_perf_event_output');
  const tail = ctxLen > 0 && skb ? skb.bytes().slice(0, ctxLen) : undefined;
  setR0(call, map.output(index, cpuOf(call), data.slice(), tail));
};

/** Single-threaded: locks are no-ops (the verifier forbids calls and exits while one is held). */
const spinLockNoop: HelperFn = (call) => setR0(call, 0);

/** Map and control-flow helpers keyed by helper id. */
export const mapHelpers: HelperFamily = {
  [H.bpf_map_lookup_elem]: mapLookup,
  [H.bpf_map_update_elem]: mapUpdate,
  [H.bpf_map_delete_elem]: mapDelete,
  [H.bpf_map_push_elem]: mapPush,
  [H.bpf_map_pop_elem]: mapPop,
  [H.bpf_map_peek_elem]: mapPeek,
  [H.bpf_map_lookup_percpu_elem]: mapLookupPercpu,
  [H.bpf_for_each_map_elem]: forEachMapElem,
  [H.bpf_loop]: loop,
  [H.bpf_tail_call]: tailCall,
  [H.bpf_ringbuf_output]: ringbufOutput,
  [H.bpf_ringbuf_reserve]: ringbufReserve,
  ...byName(['bpf_ringbuf_submit'], (n) => ringbufCommit(false, n)),
  ...byName(['bpf_ringbuf_discard'], (n) => ringbufCommit(true, n)),
  [H.bpf_ringbuf_query]: ringbufQuery,
  [H.bpf_perf_event_output]: perfEventOutput,
  [H.bpf_spin_lock]: spinLockNoop,
  [H.bpf_spin_unlock]: spinLockNoop,
};
