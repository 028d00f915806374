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
import { BPF_EXIST, BPF_NOEXIST, ERRNO } from '../uapi.js';
import { BaseMap } from './base.js';
import { compareBytes, copyBytes, u32le } from './bytes.js';
import type { HostValue, MapDefinition, MapEnv } from './types.js';
// Imported bindings read once: the TS runners used by tests make every import use a getter call.
const _BPF_EXIST = BPF_EXIST;
const _BPF_NOEXIST = BPF_NOEXIST;
const _EEXIST = -ERRNO.EEXIST;
const _EINVAL = -ERRNO.EINVAL;
const _ENOENT = -ERRNO.ENOENT;
const _ENOSPC = -ERRNO.ENOSPC;
const _copyBytes = copyBytes;
const _u32le = u32le;

interface LpmNode {
  /** The full key as last inserted. */
  key: Uint8Array;
  region: Region;
}

/** 2^i for the numeric prefix ids (i up to 48). */
const POW2: number[] = Array.from({ length: 49 }, (_, i) => 2 ** i);

/** Kernel limits (lpm_trie.c): data 1..256 bytes. */
export const LPM_DATA_SIZE_MIN = 1;
export const LPM_DATA_SIZE_MAX = 256;

export class LpmTrieMap extends BaseMap {
  readonly dataSize: number;
  readonly maxPrefixlen: number;
  /** byLen[p]: nodes of prefix length p by their prefix bits. */
  private readonly byLen: Map<number | string, LpmNode>[];
  /** Data of at most 6 bytes (IPv4 and friends): prefixes are exact numbers, not strings. */
  private readonly numeric: boolean;
  /** Prefix lengths in use, longest first. */
  private lens: number[] = [];
  private count = 0;
  private readonly free: Region[] = [];

  constructor(env: MapEnv, def: MapDefinition) {
    super(env, def);
    this.dataSize = def.keySize - 4;
    this.maxPrefixlen = this.dataSize * 8;
    this.byLen = Array.from({ length: this.maxPrefixlen + 1 }, () => new Map());
    this.numeric = this.dataSize <= 6;
  }

  /** Number of stored prefixes. */
  get size(): number {
    return this.count;
  }

  /** Identity of the first `plen` bits of the key's data. */
  private prefixId(key: Uint8Array, plen: number): number | string {
    if (this.numeric) return Math.floor(this.dataValue(key) / POW2[this.maxPrefixlen - plen]);
    const full = plen >> 3;
    let s = '';
    for (let i = 0; i < full; i++) s += String.fromCharCode(key[4 + i]);
    const rem = plen & 7;
    if (rem) s += String.fromCharCode(key[4 + full] & (0xff << (8 - rem)) & 0xff);
    return s;
  }

  /** The data bytes as a big-endian number (numeric mode). */
  private dataValue(key: Uint8Array): number {
    let v = 0;
    for (let i = 0; i < this.dataSize; i++) v = v * 256 + key[4 + i];
    return v;
  }

  /** trie_lookup_elem: longest match (also the syscall lookup). */
  private match(key: Uint8Array): LpmNode | undefined {
    const plen = _u32le(key);
    if (plen > this.maxPrefixlen) return undefined;
    if (this.numeric) {
      const v = this.dataValue(key);
      for (const l of this.lens) {
        if (l > plen) continue;
        const n = this.byLen[l].get(Math.floor(v / POW2[this.maxPrefixlen - l]));
        if (n) return n;
      }
      return undefined;
    }
    for (const l of this.lens) {
      if (l > plen) continue;
      const n = this.byLen[l].get(this.prefixId(key, l));
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
    if (!(flags >= 0 && flags <= _BPF_EXIST)) return _EINVAL;
    const plen = _u32le(key);
    if (plen > this.maxPrefixlen) return _EINVAL;
    const id = this.prefixId(key, plen);
    const table = this.byLen[plen];
    const old = table.get(id);
    if (old) {
      if (flags === _BPF_NOEXIST) return _EEXIST;
    } else {
      if (flags === _BPF_EXIST) return _ENOENT;
      if (this.count >= this.maxEntries) return _ENOSPC;
    }
    const region = this.free.pop() ?? this.allocValues(new Uint8Array(this.valueSize), 'node');
    _copyBytes(region.bytes, 0, value, 0, this.valueSize);
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
    const plen = _u32le(key);
    if (plen > this.maxPrefixlen) return _EINVAL;
    const table = this.byLen[plen];
    const id = this.prefixId(key, plen);
    const n = table.get(id);
    if (!n) return _ENOENT;
    table.delete(id);
    this.free.push(n.region);
    this.count--;
    if (table.size === 0) this.lens = this.lens.filter((l) => l !== plen);
    return 0;
  }

  protected sysLookup(key: Uint8Array): HostValue | number {
    const n = this.match(key);
    return n ? n.region.bytes.slice(0, this.valueSize) : _ENOENT;
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
