/**
 * @fileoverview The maps bpf_map_push_elem / pop_elem / peek_elem work on (queue, stack,
 * bloom filter), as one shape for the helpers.
 */
import { BloomFilterMap } from './bloom-filter.js';
import { QueueStackMap } from './queue-stack.js';
import type { BpfMap } from './types.js';

/** push/pop/peek as the helpers call them: 0 or −errno; `out` is value_size bytes. */
export interface PushPopMap extends BpfMap {
  pushElem(value: Uint8Array, flags: number): number;
  /** Queue/stack: copies the element out (zeroed on −ENOENT). Bloom: −EOPNOTSUPP. */
  popElem(out: Uint8Array): number;
  /** Queue/stack: copies the next element out. Bloom: `out` is the value to test (input). */
  peekElem(out: Uint8Array): number;
}

export function isPushPopMap(m: BpfMap): m is PushPopMap {
  return m instanceof QueueStackMap || m instanceof BloomFilterMap;
}
