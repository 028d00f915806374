/**
 * @fileoverview BPF_MAP_TYPE_PROG_ARRAY (kernel/bpf/arraymap.c prog_array_map_ops): the jump
 * table of bpf_tail_call.
 *
 * Slot i holds a program or nothing. Programs only use the map through bpf_tail_call, which
 * asks `getProgram(index)` (undefined for an index past max_entries or an empty slot: the
 * helper then falls through). The host fills slots with `setProgram` (bpftool
 * `map update ... value name PROG`) or `update(key, u32 program id)` resolved by
 * `resolveProgram`. Lookups from the host return the program's id, as the kernel returns
 * prog ids (ours are tcxlab's, not a kernel's).
 */
import type { Region } from '../../vm/memory.js';
import type { LinkedProgram } from '../../vm/program.js';
import { BPF_ANY, ERRNO } from '../uapi.js';
import { BaseMap, throwErrno } from './base.js';
import { Slots } from './slots.js';
import { le32, u32le } from './bytes.js';
import type { HostValue, MapDefinition, MapEnv } from './types.js';

interface ProgSlot {
  prog: LinkedProgram;
  id: number;
}

export class ProgArrayMap extends BaseMap {
  private readonly slots: Slots<ProgSlot>;
  /** Resolves a u32 program id given to `update` (set by the runtime that owns programs). */
  resolveProgram?: (id: number) => LinkedProgram | undefined;

  constructor(env: MapEnv, def: MapDefinition) {
    super(env, def);
    this.slots = new Slots(this.maxEntries);
  }

  /** The verifier only lets programs pass this map to bpf_tail_call. */
  lookupElem(_key: Uint8Array, _cpu: number): Region | undefined {
    return undefined;
  }

  /** bpf_tail_call's target: undefined when index >= max_entries or the slot is empty. */
  getProgram(index: number): LinkedProgram | undefined {
    return index >>> 0 < this.maxEntries ? this.slots.get(index >>> 0)?.prog : undefined;
  }

  /** Put `prog` (with id `id`, reported by lookups and dumps) into slot `index`. */
  setProgram(index: number, prog: LinkedProgram, id: number): void {
    this.checkWritable('update');
    if (!(index >= 0 && index < this.maxEntries)) throwErrno(this, 'update', -ERRNO.E2BIG);
    this.slots.set(index, { prog, id });
  }

  /** Empty slot `index` (fd_array_map_delete_elem). */
  clearProgram(index: number): void {
    this.delete(le32(index));
  }

  protected sysLookup(key: Uint8Array): HostValue | number {
    const s = this.slots.get(u32le(key));
    return s ? le32(s.id) : -ERRNO.ENOENT;
  }

  /** bpf_fd_array_map_update_elem: only BPF_ANY; the value names a program by id. */
  protected sysUpdate(key: Uint8Array, value: Uint8Array, flags: number): number {
    if (flags !== BPF_ANY) return -ERRNO.EINVAL;
    const i = u32le(key);
    if (i >= this.maxEntries) return -ERRNO.E2BIG;
    const id = u32le(value);
    const prog = this.resolveProgram?.(id);
    if (!prog) return -ERRNO.EBADF;
    this.slots.set(i, { prog, id });
    return 0;
  }

  protected sysDelete(key: Uint8Array): number {
    const i = u32le(key);
    if (i >= this.maxEntries) return -ERRNO.E2BIG;
    if (!this.slots.get(i)) return -ERRNO.ENOENT;
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
