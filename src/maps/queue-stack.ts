/**
 * @fileoverview BPF_MAP_TYPE_QUEUE and BPF_MAP_TYPE_STACK (kernel/bpf/queue_stack_maps.c).
 *
 * Both are a ring of max_entries + 1 value slots with head (next write) and tail (oldest):
 *
 *   slots: [ 0 | 1 | ... | max_entries ]      empty: head == tail
 *            ^tail        ^head               full:  head + 1 == tail (mod size)
 *
 * A queue pops at the tail (FIFO), a stack at head − 1 (LIFO). Pushing with BPF_EXIST into a
 * full map first advances the tail, dropping the oldest element, for both kinds. Values are
 * copied in and out; programs never get pointers into the ring, so it needs no region.
 */
import type { Region } from '../../vm/memory.js';
import { BPF_EXIST, BPF_MAP_TYPE, BPF_NOEXIST, ERRNO } from '../uapi.js';
import { BaseMap, throwErrno } from './base.js';
import { copyBytes } from './bytes.js';
import type { HostValue, MapDefinition, MapEnv } from './types.js';
// Imported bindings read once: the TS runners used by tests make every import use a getter call.
const _BPF_EXIST = BPF_EXIST;
const _BPF_NOEXIST = BPF_NOEXIST;
const _E2BIG = -ERRNO.E2BIG;
const _EINVAL = -ERRNO.EINVAL;
const _ENOENT = -ERRNO.ENOENT;
const _copyBytes = copyBytes;

export class QueueStackMap extends BaseMap {
  readonly isStack: boolean;
  private readonly slots: Uint8Array;
  private readonly size: number;
  private head = 0;
  private tail = 0;

  constructor(env: MapEnv, def: MapDefinition) {
    super(env, def);
    this.isStack = def.type === BPF_MAP_TYPE.BPF_MAP_TYPE_STACK;
    this.size = def.maxEntries + 1;
    this.slots = new Uint8Array(this.size * def.valueSize);
  }

  /** Number of queued elements. */
  get length(): number {
    return (this.head - this.tail + this.size) % this.size;
  }

  private isFull(): boolean {
    return (this.head + 1 === this.size ? 0 : this.head + 1) === this.tail;
  }

  /** Programs cannot look up, update or delete: only push/pop/peek. */
  lookupElem(_key: Uint8Array, _cpu: number): Region | undefined {
    return undefined;
  }

  /** queue_stack_map_push_elem: 0, −_E2BIG when full, −_EINVAL for NOEXIST or unknown flags. */
  pushElem(value: Uint8Array, flags: number): number {
    if (flags > _BPF_EXIST || !(flags >= 0) || flags & _BPF_NOEXIST) return _EINVAL;
    if (this.isFull()) {
      if (!(flags & _BPF_EXIST)) return _E2BIG;
      // _BPF_EXIST makes room by dropping the oldest element.
      if (++this.tail >= this.size) this.tail = 0;
    }
    const vs = this.valueSize;
    _copyBytes(this.slots, this.head * vs, value, 0, vs);
    if (++this.head >= this.size) this.head = 0;
    return 0;
  }

  /** bpf_map_pop_elem into `out` (value_size bytes): 0, or −_ENOENT with `out` zeroed. */
  popElem(out: Uint8Array): number {
    return this.take(out, true);
  }

  /** bpf_map_peek_elem into `out`: like pop without removing. */
  peekElem(out: Uint8Array): number {
    return this.take(out, false);
  }

  private take(out: Uint8Array, del: boolean): number {
    const vs = this.valueSize;
    if (this.head === this.tail) {
      out.fill(0, 0, vs);
      return _ENOENT;
    }
    let i: number;
    if (this.isStack) {
      i = this.head - 1;
      if (i < 0) i = this.size - 1;
      if (del) this.head = i;
    } else {
      i = this.tail;
      if (del && ++this.tail >= this.size) this.tail = 0;
    }
    _copyBytes(out, 0, this.slots, i * vs, vs);
    return 0;
  }

  /** The syscall's BPF_MAP_UPDATE_ELEM pushes (key is NULL). */
  override updateElem(_key: Uint8Array, value: Uint8Array, flags: number, _cpu: number): number {
    return this.pushElem(value, flags);
  }

  protected sysLookup(_key: Uint8Array): HostValue | number {
    const out = new Uint8Array(this.valueSize);
    const r = this.peekElem(out);
    return r < 0 ? r : out;
  }

  protected sysUpdate(_key: Uint8Array, value: Uint8Array, flags: number): number {
    return this.pushElem(value, flags);
  }

  protected sysDelete(_key: Uint8Array): number {
    return _EINVAL;
  }

  /** Host push (BPF_MAP_UPDATE_ELEM with a NULL key); throws ErrnoError. */
  push(value: Uint8Array, flags = 0): void {
    this.update(new Uint8Array(0), value, flags);
  }

  /** Host pop (BPF_MAP_LOOKUP_AND_DELETE_ELEM): the value, or undefined when empty. */
  pop(): Uint8Array | undefined {
    this.checkWritable('pop');
    const out = new Uint8Array(this.valueSize);
    return this.popElem(out) < 0 ? undefined : out;
  }

  /** Host peek (BPF_MAP_LOOKUP_ELEM). */
  peek(): Uint8Array | undefined {
    return this.lookup(new Uint8Array(0)) as Uint8Array | undefined;
  }

  /** Elements from the next pop to the last (for inspection; no kernel equivalent). */
  values(): Uint8Array[] {
    const out: Uint8Array[] = [];
    const vs = this.valueSize;
    for (let n = 0; n < this.length; n++) {
      let i: number;
      if (this.isStack) i = (this.head - 1 - n + 2 * this.size) % this.size;
      else i = (this.tail + n) % this.size;
      out.push(this.slots.slice(i * vs, i * vs + vs));
    }
    return out;
  }

  /** There are no keys to walk (get_next_key is −_EINVAL). */
  keys(): Uint8Array[] {
    return [];
  }

  override nextKey(_key?: Uint8Array): Uint8Array | undefined {
    return throwErrno(this, 'get_next_key', _EINVAL);
  }
}
