/**
 * @fileoverview BPF_MAP_TYPE_RINGBUF (kernel/bpf/ringbuf.c): the BPF ring buffer, producer side
 * exact, with a host-side consumer.
 *
 * The data area is max_entries bytes (a power of two, a page multiple). Positions only grow;
 * a position p lives at byte p & mask. Each record is an 8-byte header plus the data, the whole
 * rounded up to 8:
 *
 *   | len: u32 (bit 31 BUSY, bit 30 DISCARD) | pg_off: u32 | data ... | pad to 8 |
 *
 * The kernel maps the data pages twice in a row so a record that crosses the end stays
 * contiguous; here the region is 2 × size bytes and a record is always read linearly from its
 * start offset, which gives the same view. pg_off is the header's page offset from the start of
 * the kernel's struct bpf_ringbuf (3 pages of control data precede the data).
 *
 * Space rules (__bpf_ringbuf_reserve): a record fits if, after it, producer − consumer and
 * producer − (oldest record still BUSY) both stay <= size − 1. Discarded records still use
 * space until consumed. Nothing consumes unless the host calls `consume()`: a program that
 * fills the ring then sees NULL / −EAGAIN, as in a BPF_PROG_TEST_RUN with no reader.
 */
import type { Region } from '../../vm/memory.js';
import {
  BPF_RB_AVAIL_DATA,
  BPF_RB_CONS_POS,
  BPF_RB_FORCE_WAKEUP,
  BPF_RB_NO_WAKEUP,
  BPF_RB_PROD_POS,
  BPF_RB_RING_SIZE,
  BPF_RINGBUF_BUSY_BIT,
  BPF_RINGBUF_DISCARD_BIT,
  BPF_RINGBUF_HDR_SZ,
  ERRNO,
} from '../uapi.js';
import { BaseMap, throwErrno } from './base.js';
import type { HostValue, MapDefinition, MapEnv } from './types.js';

/** Largest record data size the kernel accepts (RINGBUF_MAX_RECORD_SZ). */
export const RINGBUF_MAX_RECORD_SZ = 0x3fff_ffff;
const PAGE_SHIFT = 12;
/** Pages of struct bpf_ringbuf before `data` (control page, consumer page, producer page). */
const RINGBUF_DATA_PGOFF = 3;

/** A record as a consumer sees it. */
export interface RingbufRecord {
  /** Position of the record header. */
  pos: number;
  data: Uint8Array;
}

export class RingbufMap extends BaseMap {
  /** Data area, doubled (see the file comment). Sample pointers point into it. */
  readonly data: Region;
  readonly mask: number;
  consumerPos = 0;
  producerPos = 0;
  /** Oldest record that may still be BUSY (rb->pending_pos). */
  pendingPos = 0;
  /** Wakeups the kernel would have sent to a consumer (for curiosity and tests). */
  wakeups = 0;

  constructor(env: MapEnv, def: MapDefinition) {
    super(env, def);
    this.mask = def.maxEntries - 1;
    this.data = this.allocValues(new Uint8Array(def.maxEntries * 2), 'ringbuf data');
  }

  lookupElem(_key: Uint8Array, _cpu: number): Region | undefined {
    return undefined;
  }

  /** Reserved records handed to programs: each is its own region over its sample bytes. */
  private readonly records = new Map<Region, number>();

  /**
   * bpf_ringbuf_reserve: a region of exactly the sample's `size` bytes (`lastOffset` 0), or
   * undefined (NULL) for flags != 0, an oversized record or no space. The record is its own
   * region so that a write past its size, or after submit/discard (which release it), faults
   * instead of reaching the next record (memory.ts, "Isolation").
   */
  reserve(size: number, flags: number): Region | undefined {
    const off = this.reserveAt(size, flags);
    if (off === undefined) return undefined;
    const record = this.env.mem.alloc('map-value', this.data.bytes.subarray(off, off + size), { owner: this, label: `map ${this.name} record` });
    this.records.set(record, off);
    this.lastOffset = 0;
    return record;
  }

  /** bpf_ringbuf_submit / discard of a record from `reserve`: false if it is not a live one. */
  commitRecord(record: Region, discard: boolean, flags: number): boolean {
    const off = this.records.get(record);
    if (off === undefined) return false;
    this.records.delete(record);
    this.env.mem.release(record);
    return this.commit(off, discard, flags);
  }

  /** Reserve a record in the data area: the offset of its sample, or undefined. */
  private reserveAt(size: number, flags: number): number | undefined {
    if (flags !== 0) return undefined;
    if (size > RINGBUF_MAX_RECORD_SZ || size < 0) return undefined;
    const len = (size + BPF_RINGBUF_HDR_SZ + 7) & ~7;
    if (len > this.mask + 1) return undefined;
    const view = this.data.view;
    // Skip over records committed since the last reserve.
    let pend = this.pendingPos;
    const prod = this.producerPos;
    while (pend < prod) {
      const hl = view.getUint32(pend & this.mask, true);
      if (hl & BPF_RINGBUF_BUSY_BIT) break;
      pend += ((hl & ~BPF_RINGBUF_DISCARD_BIT) + BPF_RINGBUF_HDR_SZ + 7) & ~7;
    }
    this.pendingPos = pend;
    const next = prod + len;
    if (next - this.consumerPos > this.mask || next - pend > this.mask) return undefined;
    const off = prod & this.mask;
    view.setUint32(off, (size | BPF_RINGBUF_BUSY_BIT) >>> 0, true);
    view.setUint32(off + 4, (off >>> PAGE_SHIFT) + RINGBUF_DATA_PGOFF, true);
    this.producerPos = next;
    return off + BPF_RINGBUF_HDR_SZ;
  }

  /**
   * bpf_ringbuf_submit / bpf_ringbuf_discard for the sample at `offset` in `data`. Returns false
   * when no reserved (BUSY) record starts there: a program bug the verifier would prevent.
   */
  private commit(offset: number, discard: boolean, flags: number): boolean {
    const hdr = offset - BPF_RINGBUF_HDR_SZ;
    if (hdr < 0 || hdr > this.mask || (hdr & 7) !== 0) return false;
    const view = this.data.view;
    const hl = view.getUint32(hdr, true);
    if (!(hl & BPF_RINGBUF_BUSY_BIT)) return false;
    let nl = (hl ^ BPF_RINGBUF_BUSY_BIT) >>> 0;
    if (discard) nl = (nl | BPF_RINGBUF_DISCARD_BIT) >>> 0;
    view.setUint32(hdr, nl, true);
    // bpf_ringbuf_commit: wake the consumer if asked to, or if it is waiting on this record.
    if (flags & BPF_RB_FORCE_WAKEUP) this.wakeups++;
    else if (!(flags & BPF_RB_NO_WAKEUP) && hdr === (this.consumerPos & this.mask)) this.wakeups++;
    return true;
  }

  /** bpf_ringbuf_output: 0, −EINVAL for unknown flags, −EAGAIN when there is no space. */
  output(data: Uint8Array, flags: number): number {
    if (flags & ~(BPF_RB_NO_WAKEUP | BPF_RB_FORCE_WAKEUP)) return -ERRNO.EINVAL;
    const off = this.reserveAt(data.length, 0);
    if (off === undefined) return -ERRNO.EAGAIN;
    this.data.bytes.set(data, off);
    this.commit(off, false, flags);
    return 0;
  }

  /** bpf_ringbuf_query. */
  query(flags: number): number {
    switch (flags) {
      case BPF_RB_AVAIL_DATA:
        return this.producerPos - this.consumerPos;
      case BPF_RB_RING_SIZE:
        return this.mask + 1;
      case BPF_RB_CONS_POS:
        return this.consumerPos;
      case BPF_RB_PROD_POS:
        return this.producerPos;
      default:
        return 0;
    }
  }

  /**
   * Host consumer (libbpf ring_buffer__consume): returns the submitted records from the
   * consumer position on, skipping discarded ones and stopping at a record still BUSY, and
   * advances the consumer position past them.
   */
  consume(max = Infinity): RingbufRecord[] {
    const out: RingbufRecord[] = [];
    const view = this.data.view;
    while (this.consumerPos < this.producerPos && out.length < max) {
      const off = this.consumerPos & this.mask;
      const hl = view.getUint32(off, true);
      if (hl & BPF_RINGBUF_BUSY_BIT) break;
      const size = hl & ~BPF_RINGBUF_DISCARD_BIT;
      if (!(hl & BPF_RINGBUF_DISCARD_BIT))
        out.push({ pos: this.consumerPos, data: this.data.bytes.slice(off + 8, off + 8 + size) });
      this.consumerPos += (size + BPF_RINGBUF_HDR_SZ + 7) & ~7;
    }
    return out;
  }

  protected sysLookup(_key: Uint8Array): HostValue | number {
    return -ERRNO.ENOTSUPP;
  }

  protected sysUpdate(_key: Uint8Array, _value: Uint8Array, _flags: number): number {
    return -ERRNO.ENOTSUPP;
  }

  protected sysDelete(_key: Uint8Array): number {
    return -ERRNO.ENOTSUPP;
  }

  keys(): Uint8Array[] {
    return [];
  }

  /** ringbuf_map_get_next_key: −ENOTSUPP. */
  override nextKey(_key?: Uint8Array): Uint8Array | undefined {
    return throwErrno(this, 'get_next_key', -ERRNO.ENOTSUPP);
  }
}
