/**
 * @fileoverview BPF_MAP_TYPE_PERF_EVENT_ARRAY (kernel/bpf/arraymap.c fd arrays,
 * kernel/trace/bpf_trace.c __bpf_perf_event_output).
 *
 * Slot i holds a perf event (in the kernel: an fd of a PERF_COUNT_SW_BPF_OUTPUT event opened
 * on some CPU). Offline there are no perf fds: a slot is attached with `attach(index, cpu)`
 * (libbpf's perf_buffer opens slot i on CPU i, the default) and every successful output is
 * captured in `records`. A map nobody attached to answers −ENOENT, like a test run in the
 * kernel with no reader.
 */
import type { Region } from '../../vm/memory.js';
import { BPF_ANY, BPF_F_CURRENT_CPU, ERRNO } from '../uapi.js';
import { BaseMap, throwErrno } from './base.js';
import type { HostValue, MapDefinition, MapEnv } from './types.js';
import { Slots } from './slots.js';
import { le32, u32le } from './bytes.js';

/** One captured perf sample. */
export interface PerfRecord {
  /** Slot the sample went to. */
  index: number;
  cpu: number;
  /** The raw sample: the data, then any appended packet bytes. */
  data: Uint8Array;
}

export class PerfEventArrayMap extends BaseMap {
  /** CPU of the event in each slot, or undefined for an empty slot. */
  private readonly slots: Slots<number>;
  /** Captured samples in output order. */
  readonly records: PerfRecord[] = [];

  constructor(env: MapEnv, def: MapDefinition) {
    super(env, def);
    this.slots = new Slots(this.maxEntries);
  }

  lookupElem(_key: Uint8Array, _cpu: number): Region | undefined {
    return undefined;
  }

  /** Put an event bound to `cpu` (default: the slot index) into slot `index`. */
  attach(index: number, cpu = index): void {
    if (!(index >= 0 && index < this.maxEntries)) throwErrno(this, 'attach', -ERRNO.E2BIG);
    this.slots.set(index, cpu);
  }

  /** Attach slot i to CPU i for every CPU (libbpf's perf_buffer__new: min(max_entries, CPUs) slots). */
  attachAll(): void {
    for (let i = 0; i < Math.min(this.maxEntries, this.env.ncpus); i++) this.slots.set(i, i);
  }

  /** The CPU of the event in slot `index`, or undefined for an empty slot. */
  eventCpu(index: number): number | undefined {
    return this.slots.get(index);
  }

  detach(index: number): void {
    if (index >= 0 && index < this.maxEntries) this.slots.set(index, undefined);
  }

  /**
   * __bpf_perf_event_output for index field `index` (the low 32 bits of the helper's flags;
   * BPF_F_CURRENT_CPU for the running CPU): 0, −E2BIG for an index past max_entries, −ENOENT
   * for an empty slot, −EOPNOTSUPP for an event of another CPU. `tail` (packet bytes the helper
   * appends) follows `data` in the sample. The helper checks its flag bits and ctx length.
   */
  output(index: number, cpu: number, data: Uint8Array, tail?: Uint8Array): number {
    const i = index === BPF_F_CURRENT_CPU ? cpu : index >>> 0;
    if (i >= this.maxEntries) return -ERRNO.E2BIG;
    const ev = this.slots.get(i);
    if (ev === undefined) return -ERRNO.ENOENT;
    if (ev !== cpu) return -ERRNO.EOPNOTSUPP;
    const rec = new Uint8Array(data.length + (tail?.length ?? 0));
    rec.set(data);
    if (tail) rec.set(tail, data.length);
    this.records.push({ index: i, cpu, data: rec });
    return 0;
  }

  /** Take the captured samples (like reading the perf buffers). */
  drain(): PerfRecord[] {
    return this.records.splice(0);
  }

  /** The syscall cannot read perf event slots back (−ENOTSUPP): the oracle dumps them as null. */
  protected sysLookup(_key: Uint8Array): HostValue | number {
    return -ERRNO.ENOTSUPP;
  }

  /**
   * bpf_fd_array_map_update_elem. Offline the value is not a perf fd: it is the u32 CPU the
   * event is bound to.
   */
  protected sysUpdate(key: Uint8Array, value: Uint8Array, flags: number): number {
    if (flags !== BPF_ANY) return -ERRNO.EINVAL;
    const i = u32le(key);
    if (i >= this.maxEntries) return -ERRNO.E2BIG;
    this.slots.set(i, u32le(value));
    return 0;
  }

  /** fd_array_map_delete_elem. */
  protected sysDelete(key: Uint8Array): number {
    const i = u32le(key);
    if (i >= this.maxEntries) return -ERRNO.E2BIG;
    if (this.slots.get(i) === undefined) return -ERRNO.ENOENT;
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
