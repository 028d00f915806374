/**
 * @fileoverview Slots of an fd array (prog array, perf event array, array of maps), filled
 * lazily: the kernel allocates max_entries pointers up front, but a JS array of 2^27 slots would
 * take gigabytes before anything is stored, so only occupied slots are kept.
 */
import { le32, u32le } from './bytes.js';

export class Slots<T> {
  private readonly used = new Map<number, T>();

  constructor(readonly size: number) {}

  get(i: number): T | undefined {
    return this.used.get(i);
  }

  /** Store `v` in slot `i` (undefined empties it); callers check `i < size`. */
  set(i: number, v: T | undefined): void {
    if (v === undefined) this.used.delete(i);
    else this.used.set(i, v);
  }

  /** Every index in order, as u32 keys, up to `limit` of them (array maps list empty slots too). */
  keys(limit = Infinity): Uint8Array[] {
    const out: Uint8Array[] = [];
    const n = Math.min(this.size, limit);
    for (let i = 0; i < n; i++) out.push(le32(i));
    return out;
  }

  /** array_map_get_next_key: no key or one out of range restarts at 0; the last index ends. */
  nextKey(key?: Uint8Array): Uint8Array | undefined {
    const i = key === undefined || key.length !== 4 ? this.size : u32le(key);
    if (i >= this.size) return this.size > 0 ? le32(0) : undefined;
    return i + 1 < this.size ? le32(i + 1) : undefined;
  }
}
