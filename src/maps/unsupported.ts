/**
 * @fileoverview A map of a type tcxlab does not implement yet (sockmap, devmap, cgroup storage...).
 *
 * The kernel would create it, so the object still loads: the Collection keeps this placeholder
 * in its place (spec indexes stay aligned) and refuses only the programs that reference it,
 * naming the map and its type. Every host-side operation fails with ENOTSUPP; programs never
 * see it (they are refused before they can run).
 */
import type { Region } from '../../vm/memory.js';
import { BaseMap } from './base.js';
import type { HostValue } from './types.js';
import { ERRNO } from '../uapi.js';

export class UnsupportedMap extends BaseMap {
  lookupElem(_key: Uint8Array, _cpu: number): Region | undefined {
    return undefined;
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

  /** Nothing to list: a dump shows the map's definition with no entries. */
  keys(): Uint8Array[] {
    return [];
  }
}
