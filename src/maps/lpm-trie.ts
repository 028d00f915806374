/**
 * @fileoverview BPF_MAP_TYPE_LPM_TRIE (kernel/bpf/lpm_trie.c): longest-prefix match.
 *
 * Key layout (struct bpf_lpm_trie_key_u8), key_size = 4 + data_size:
 *
 *   | prefixlen: u32, host order | data[0] data[1] ... data[data_size-1] |
 *                                  bit i = data[i / 8] & (0x80 >> i % 8), MSB first
 *
 * A stored entry is identified by (prefixlen, its first prefixlen bits); the bits past the
 * prefix are ignored for matching but the node keeps the key bytes as given (a dump shows
 * 10.99.99.99/8 if that is what was inserted). A lookup returns the value of the longest stored
 * prefix P with P.len <= key.prefixlen whose bits equal the key's.
 *
 * The model keeps one table per prefix length (masked data → node) and probes lengths from
 * longest to shortest, instead of the kernel's path-compressed trie; results are the same.
 * Each node's value is its own region; an update replaces the node (old pointers keep the old
 * value) and freed node regions are reused LIFO.
 */
import type { Region } from '../../vm/memory.js';
import { BPF_EXIST, BPF_NOEXIST } from '../uapi.js';
import { BaseMap, EEXIST, EINVAL, ENOENT, ENOSPC } from './base.js';
import { compareBytes, u32le } from './bytes.js';
import type { HostValue, MapDefinition, MapEnv } from './types.js';

interface LpmNode {
  /** The full key as last inserted. */
  key: Uint8Array;
  region: Region;
}

/** Kernel limits (lpm_trie.c): data 1..256 bytes. */
export const LPM_DATA_SIZE_MIN = 1;
export const LPM_DATA_SIZE_MAX = 256;

export class LpmTrieMap extends BaseMap {
  readonly dataSize: number;
  readonly maxPrefixlen: number;
  /** byLen[p]: nodes of prefix length p by masked prefix bits. */
  private readonly byLen: Map<string, LpmNode>[];
  /** Prefix lengths in use, longest first. */
  private lens: number[] = [];
  private count = 0;
  private readonly free: Region[] = [];

  constructor(env: MapEnv, def: MapDefinition) {
    super(env, def);
    this.dataSize = def.keySize - 4;
    this.maxPrefixlen = this.dataSize * 8;
    this.byLen = Array.from({ length: this.maxPrefixlen + 1 }, () => new Map());
  }

  /** Number of stored prefixes. */
  get size(): number {
    return this.count;
  }

  /** Identity of the first `plen` bits of the key's data. */
  private static prefixId(key: Uint8Array, plen: number): string {
    const full = plen >> 3;
    let s = '';
    for (let i = 0; i < full; i++) s += String.fromCharCode(key[4 + i]);
    const rem = plen & 7;
    if (rem) s += String.fromCharCode(key[4 + full] & (0xff << (8 - rem)) & 0xff);
    return s;
  }

  /** trie_lookup_elem: longest match (also the syscall lookup). */
  private match(key: Uint8Array): LpmNode | undefined {
    const plen = u32le(key);
    if (plen > this.maxPrefixlen) return undefined;
    for (const l of this.lens) {
      if (l > plen) continue;
      const n = this.byLen[l].get(LpmTrieMap.prefixId(key, l));
      if (n) return n;
    }
    return undefined;
  }

  lookupElem(key: Uint8Array, _cpu: number): Region | undefined {
    const n = this.match(key);
    if (!n) return undefined;
    this.lastOffset = 0;
    return n.region;
  }

  /** trie_update_elem. */
  override updateElem(key: Uint8Array, value: Uint8Array, flags: number, _cpu: number): number {
    if (!(flags >= 0 && flags <= BPF_EXIST)) return EINVAL;
    const plen = u32le(key);
    if (plen > this.maxPrefixlen) return EINVAL;
    const id = LpmTrieMap.prefixId(key, plen);
    const table = this.byLen[plen];
    const old = table.get(id);
    if (old) {
      if (flags === BPF_NOEXIST) return EEXIST;
    } else {
      if (flags === BPF_EXIST) return ENOENT;
      if (this.count >= this.maxEntries) return ENOSPC;
    }
    const region = this.free.pop() ?? this.allocValues(new Uint8Array(this.valueSize), 'node');
    region.bytes.set(value.subarray(0, this.valueSize));
    table.set(id, { key: key.slice(0, this.keySize), region });
    if (old) this.free.push(old.region);
    else {
      this.count++;
      if (table.size === 1) this.lens = this.lens.concat(plen).sort((a, b) => b - a);
    }
    return 0;
  }

  /** trie_delete_elem: exact (prefixlen, prefix) match only. */
  override deleteElem(key: Uint8Array, _cpu: number): number {
    const plen = u32le(key);
    if (plen > this.maxPrefixlen) return EINVAL;
    const table = this.byLen[plen];
    const id = LpmTrieMap.prefixId(key, plen);
    const n = table.get(id);
    if (!n) return ENOENT;
    table.delete(id);
    this.free.push(n.region);
    this.count--;
    if (table.size === 0) this.lens = this.lens.filter((l) => l !== plen);
    return 0;
  }

  protected sysLookup(key: Uint8Array): HostValue | number {
    const n = this.match(key);
    return n ? n.region.bytes.slice(0, this.valueSize) : ENOENT;
  }

  protected sysUpdate(key: Uint8Array, value: Uint8Array, flags: number): number {
    return this.updateElem(key, value, flags, this.hostCpu);
  }

  protected sysDelete(key: Uint8Array): number {
    return this.deleteElem(key, this.hostCpu);
  }

  /** Stored keys sorted by key bytes (the kernel's get_next_key walks the trie post-order). */
  keys(): Uint8Array[] {
    const out: Uint8Array[] = [];
    for (const l of this.lens) for (const n of this.byLen[l].values()) out.push(n.key.slice());
    return out.sort(compareBytes);
  }
}
