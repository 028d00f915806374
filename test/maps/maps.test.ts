/**
 * Unit tests of the map model: behaviour the kernel goldens do not reach (for_each, per-CPU
 * LRU lists, ring wrap-around, dumps, creation options, host value packing, spin locks).
 * Expected values follow the kernel rules cited in src/maps (and docs/skb-and-helpers.md §12).
 */
import { describe, expect, it } from 'vitest';
import { ErrnoError } from '../../vm/errors.js';
import { Memory, type Region } from '../../vm/memory.js';
import type { LinkedProgram } from '../../vm/program.js';
import {
  ArrayMap,
  ArrayOfMapsMap,
  BloomFilterMap,
  createMap,
  createMapEnv,
  HashMap,
  HashOfMapsMap,
  isPushPopMap,
  keyOf,
  LruHashMap,
  PerfEventArrayMap,
  ProgArrayMap,
  QueueStackMap,
  RingbufMap,
  toHex,
  type BpfMap,
  type MapDefinition,
  type MapEnv,
} from '../../src/maps/index.js';
import {
  BPF_ANY,
  BPF_EXIST,
  BPF_F_CURRENT_CPU,
  BPF_F_INNER_MAP,
  BPF_F_LOCK,
  BPF_F_MMAPABLE,
  BPF_F_NO_COMMON_LRU,
  BPF_F_NO_PREALLOC,
  BPF_F_RDONLY,
  BPF_F_RDONLY_PROG,
  BPF_F_WRONLY,
  BPF_MAP_TYPE as T,
  BPF_NOEXIST,
  ERRNO,
} from '../../src/uapi.js';

const u32 = (v: number) => new Uint8Array(new Uint32Array([v >>> 0]).buffer);
const u64 = (v: number) => {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setBigUint64(0, BigInt(v), true);
  return b;
};
const r32 = (r: Region | undefined, off: number) => (r ? r.view.getUint32(off, true) : undefined);

function env(ncpus = 2): MapEnv {
  return createMapEnv(new Memory(), { ncpus });
}

function mk<M extends BpfMap = BpfMap>(e: MapEnv, type: number, keySize: number, valueSize: number, maxEntries: number, flags = 0, extra: Partial<MapDefinition> = {}): M {
  return createMap({ name: `m${type}`, type, keySize, valueSize, maxEntries, flags, ...extra }, e) as M;
}

function errno(fn: () => unknown): string | undefined {
  try {
    fn();
    return undefined;
  } catch (e) {
    if (e instanceof ErrnoError) return e.errno;
    throw e;
  }
}

describe('[maps/common]: identity, handles, regions', () => {
  it('ids count from 1, the handle is a map region owned by the map, values are map-value regions', () => {
    const e = env();
    const a = mk<ArrayMap>(e, T.BPF_MAP_TYPE_ARRAY, 4, 4, 2);
    const h = mk(e, T.BPF_MAP_TYPE_HASH, 4, 4, 2);
    expect([a.id, h.id]).toEqual([1, 2]);
    expect(e.maps.get(2)).toBe(h);
    expect(a.handle.kind).toBe('map');
    expect(e.mem.regionOf(a.handle.hi)?.owner).toBe(a);
    expect(a.lookupElem(u32(0), 0)?.kind).toBe('map-value');
    expect(a.typeName).toBe('array');
  });

  it('keyOf gives distinct identities for distinct keys of every size', () => {
    for (const n of [1, 2, 3, 4, 5, 6, 7, 8, 13, 16]) {
      const seen = new Set<number | string>();
      for (let i = 0; i < 64; i++) {
        const k = new Uint8Array(n);
        k[i % n] = (i >> 2) + 1;
        k[(i * 7) % n] ^= i;
        seen.add(keyOf(k, n));
        expect(keyOf(k.slice(), n)).toBe(keyOf(k, n));
      }
      expect(seen.size).toBeGreaterThan(n === 1 ? 30 : 40);
    }
  });

  it('host API checks key size, BPF_F_RDONLY / BPF_F_WRONLY and frozen maps', () => {
    const e = env();
    const a = mk(e, T.BPF_MAP_TYPE_ARRAY, 4, 4, 2);
    expect(errno(() => a.update(new Uint8Array(3), u32(1)))).toBe('EINVAL');
    expect(errno(() => a.update(u32(0), new Uint8Array(3)))).toBe('EINVAL');
    const ro = mk(e, T.BPF_MAP_TYPE_ARRAY, 4, 4, 2, BPF_F_RDONLY);
    expect(errno(() => ro.update(u32(0), u32(1)))).toBe('EPERM');
    expect(ro.lookup(u32(0))).toEqual(u32(0));
    const wo = mk(e, T.BPF_MAP_TYPE_HASH, 4, 4, 2, BPF_F_WRONLY);
    wo.update(u32(1), u32(2));
    expect(errno(() => wo.lookup(u32(1)))).toBe('EPERM');
    a.freeze();
    expect(errno(() => a.update(u32(0), u32(1)))).toBe('EPERM');
    expect(errno(() => a.delete(u32(0)))).toBe('EPERM');
    const err = (() => {
      try {
        ro.update(u32(0), u32(1));
      } catch (x) {
        return x as ErrnoError;
      }
    })();
    expect(err?.code).toBe('E_MAP');
  });
});

describe('[maps/array]: global data and for_each', () => {
  it('initialValue fills element 0; readOnly freezes; RDONLY_PROG makes the region read-only', () => {
    const e = env();
    const ro = mk<ArrayMap>(e, T.BPF_MAP_TYPE_ARRAY, 4, 6, 1, BPF_F_MMAPABLE | BPF_F_RDONLY_PROG, {
      initialValue: Uint8Array.of(1, 2, 3, 4, 5, 6),
      readOnly: true,
    });
    expect(ro.lookup(u32(0))).toEqual(Uint8Array.of(1, 2, 3, 4, 5, 6));
    expect(ro.values.writable).toBe(false);
    expect(ro.values.bytes.length).toBe(8);
    expect(errno(() => ro.update(u32(0), new Uint8Array(6)))).toBe('EPERM');
    const h = mk(e, T.BPF_MAP_TYPE_HASH, 4, 4, 3, BPF_F_RDONLY_PROG);
    h.update(u32(1), u32(1));
    expect(h.lookupElem(u32(1), 0)?.writable).toBe(false);
    const rw = mk<ArrayMap>(e, T.BPF_MAP_TYPE_ARRAY, 4, 4, 3, BPF_F_MMAPABLE);
    expect(rw.values.writable).toBe(true);
    expect(rw.valueOffset(2)).toBe(16);
  });

  it('contents are applied with BPF_ANY; MapSpec-style {id} types are accepted', () => {
    const e = env();
    const m = createMap(
      { name: 'c', type: { id: T.BPF_MAP_TYPE_HASH }, keySize: 4, valueSize: 4, maxEntries: 4, flags: 0, contents: [[u32(1), u32(10)], [u32(2), u32(20)]] },
      e,
    );
    expect(m.lookup(u32(2))).toEqual(u32(20));
    expect(() => createMap({ name: 'x', type: T.BPF_MAP_TYPE_ARRAY, keySize: 4, valueSize: 4, maxEntries: 1, flags: 0, contents: [[u32(3), u32(1)]] }, e)).toThrow(/initial contents/);
  });

  it('for_each visits every index in order, stops after a callback returning true, counts it', () => {
    const e = env();
    const a = mk(e, T.BPF_MAP_TYPE_ARRAY, 4, 4, 5);
    for (let i = 0; i < 5; i++) a.update(u32(i), u32(i * 10));
    const seen: number[][] = [];
    const n = a.forEachElem(0, (kr, ko, vr, vo) => {
      seen.push([kr.view.getUint32(ko, true), vr.view.getUint32(vo, true)]);
      return seen.length === 3;
    });
    expect(n).toBe(3);
    expect(seen).toEqual([
      [0, 0],
      [1, 10],
      [2, 20],
    ]);
    expect(a.forEachElem(0, () => false)).toBe(5);
  });

  it('per-CPU array: each CPU its own zeroed copy; host values per CPU; for_each sees this CPU', () => {
    const e = env(3);
    const p = mk(e, T.BPF_MAP_TYPE_PERCPU_ARRAY, 4, 4, 2);
    expect(p.updateElem(u32(1), u32(7), BPF_ANY, 2)).toBe(0);
    expect(p.lookup(u32(1))).toEqual([u32(0), u32(0), u32(7)]);
    p.update(u32(0), [u32(1), u32(2), u32(3)]);
    p.update(u32(1), u32(9)); // one value: copied to every CPU
    expect(p.lookup(u32(1))).toEqual([u32(9), u32(9), u32(9)]);
    expect(r32(p.lookupElem(u32(0), 1), p.lastOffset)).toBe(2);
    const vals: number[] = [];
    p.forEachElem(2, (_k, _ko, vr, vo) => (vals.push(vr.view.getUint32(vo, true)), false));
    expect(vals).toEqual([3, 9]);
    expect(errno(() => p.update(u32(0), [u32(1)]))).toBe('EINVAL');
    expect(errno(() => p.update(u32(0), new Uint8Array(5)))).toBe('EINVAL');
  });
});

describe('[maps/hash]: element lifetime and iteration', () => {
  it('a deleted element is reused by the next insert (stale pointers then see the new key)', () => {
    const e = env();
    const h = mk(e, T.BPF_MAP_TYPE_HASH, 4, 4, 4);
    h.updateElem(u32(1), u32(0x11), BPF_ANY, 0);
    const r = h.lookupElem(u32(1), 0);
    const off = h.lastOffset;
    expect(off).toBe(8); // round_up(key_size, 8)
    expect(h.deleteElem(u32(1), 0)).toBe(0);
    expect(r32(r, off)).toBe(0x11); // still readable after delete
    h.updateElem(u32(2), u32(0x22), BPF_ANY, 0);
    expect(r32(r, off)).toBe(0x22);
    expect(h.lookupElem(u32(1), 0)).toBeUndefined();
  });

  it('the pre-allocated spare element is per CPU', () => {
    const e = env();
    const h = mk(e, T.BPF_MAP_TYPE_HASH, 4, 4, 4);
    h.updateElem(u32(1), u32(1), BPF_ANY, 0);
    h.updateElem(u32(2), u32(2), BPF_ANY, 0);
    const p1 = h.lookupElem(u32(1), 0);
    h.updateElem(u32(1), u32(0x10), BPF_ANY, 0); // p1's element becomes CPU 0's spare
    h.updateElem(u32(2), u32(0x20), BPF_ANY, 1); // CPU 1 uses its own spare
    expect(r32(p1, 8)).toBe(1);
    h.updateElem(u32(2), u32(0x30), BPF_ANY, 0); // CPU 0's spare (p1's element) is reused
    expect(r32(p1, 8)).toBe(0x30);
  });

  it('for_each gives key and value pointers, insertion order; keys() is sorted by bytes', () => {
    const e = env();
    const h = mk(e, T.BPF_MAP_TYPE_HASH, 2, 4, 8);
    for (const k of [0x0300, 0x0001, 0x0200]) h.update(Uint8Array.of(k & 0xff, k >> 8), u32(k));
    const seen: string[] = [];
    expect(h.forEachElem(0, (kr, ko, vr, vo) => (seen.push(`${toHex(kr.bytes.subarray(ko, ko + 2))}=${vr.view.getUint32(vo, true)}`), false))).toBe(3);
    expect(seen).toEqual(['0003=768', '0100=1', '0002=512']);
    expect(h.keys().map(toHex)).toEqual(['0002', '0003', '0100']);
    expect(h.nextKey()).toEqual(Uint8Array.of(0, 2));
    expect(h.nextKey(Uint8Array.of(0, 3))).toEqual(Uint8Array.of(1, 0));
    expect(h.nextKey(Uint8Array.of(1, 0))).toBeUndefined();
    expect(h.nextKey(Uint8Array.of(9, 9))).toEqual(Uint8Array.of(0, 2));
  });

  it('percpu hash: a new key from a program zero-fills other CPUs; lookup_percpu_elem bounds', () => {
    const e = env(2);
    const h = mk(e, T.BPF_MAP_TYPE_PERCPU_HASH, 4, 4, 4);
    h.update(u32(1), [u32(5), u32(6)]);
    h.delete(u32(1));
    expect(h.updateElem(u32(1), u32(7), BPF_ANY, 1)).toBe(0); // reuses the freed element
    expect(h.lookup(u32(1))).toEqual([u32(0), u32(7)]);
    expect(h.lookupElem(u32(1), 2)).toBeUndefined();
    expect(r32(h.lookupElem(u32(1), 1), h.lastOffset)).toBe(7);
    const n = h.forEachElem(1, (_k, _ko, vr, vo) => (expect(vr.view.getUint32(vo, true)).toBe(7), false));
    expect(n).toBe(1);
  });

  it('BPF_F_LOCK: needs a spin lock; then updates in place and never copies the lock word', () => {
    const e = env();
    const h = mk(e, T.BPF_MAP_TYPE_HASH, 4, 8, 4, 0, { spinLockOffset: 0 });
    h.updateElem(u32(1), Uint8Array.of(1, 1, 1, 1, 2, 0, 0, 0), BPF_ANY, 0);
    const r = h.lookupElem(u32(1), 0) as Region;
    const off = h.lastOffset;
    r.view.setUint32(off, 0xdead, true); // the program holds the lock
    expect(h.updateElem(u32(1), Uint8Array.of(9, 9, 9, 9, 3, 0, 0, 0), BPF_F_LOCK, 0)).toBe(0);
    expect(h.lookupElem(u32(1), 0)).toBe(r); // in place
    expect(r.view.getUint32(off, true)).toBe(0xdead);
    expect(r.view.getUint32(off + 4, true)).toBe(3);
    expect(h.lookup(u32(1))).toEqual(Uint8Array.of(0, 0, 0, 0, 3, 0, 0, 0)); // lock reads as 0
    expect(h.updateElem(u32(2), u64(1), BPF_F_LOCK | BPF_EXIST, 0)).toBe(-ERRNO.ENOENT);
    const plain = mk(e, T.BPF_MAP_TYPE_HASH, 4, 8, 4);
    expect(plain.updateElem(u32(1), u64(1), BPF_F_LOCK, 0)).toBe(-ERRNO.EINVAL);
    const arr = mk(e, T.BPF_MAP_TYPE_ARRAY, 4, 8, 1, 0, { spinLockOffset: 4 });
    arr.lookupElem(u32(0), 0)?.view.setUint32(4, 1, true);
    expect(arr.updateElem(u32(0), Uint8Array.of(5, 0, 0, 0, 9, 9, 9, 9), BPF_F_LOCK, 0)).toBe(0);
    expect(arr.lookupElem(u32(0), 0)?.view.getUint32(4, true)).toBe(1);
  });

  it('no-prealloc hash: replace in a full map works, a new key gives E2BIG', () => {
    const e = env();
    const h = mk<HashMap>(e, T.BPF_MAP_TYPE_HASH, 4, 4, 2, BPF_F_NO_PREALLOC);
    expect(h.prealloc).toBe(false);
    h.update(u32(1), u32(1));
    h.update(u32(2), u32(2));
    expect(h.updateElem(u32(2), u32(3), BPF_EXIST, 0)).toBe(0);
    expect(h.updateElem(u32(3), u32(3), BPF_ANY, 0)).toBe(-ERRNO.E2BIG);
    expect(h.size).toBe(2);
  });
});

describe('[maps/lru]: strict recency', () => {
  it('lookups from programs mark use, host lookups do not', () => {
    const e = env();
    const l = mk<LruHashMap>(e, T.BPF_MAP_TYPE_LRU_HASH, 4, 4, 3);
    for (const k of [1, 2, 3]) l.update(u32(k), u32(k));
    l.lookup(u32(1)); // host: no mark
    l.lookupElem(u32(2), 0); // program: 2 becomes most recent
    expect(l.recency().map((k) => k[0])).toEqual([1, 3, 2]);
    l.updateElem(u32(4), u32(4), BPF_ANY, 0);
    expect(l.keys().map((k) => k[0])).toEqual([2, 3, 4]);
    expect(l.evictions).toBe(1);
  });

  it('an evicted element is the new node: its old pointer shows the new value', () => {
    const e = env();
    const l = mk(e, T.BPF_MAP_TYPE_LRU_HASH, 4, 4, 2);
    l.updateElem(u32(1), u32(0x11), BPF_ANY, 0);
    const p = l.lookupElem(u32(1), 0);
    const off = l.lastOffset;
    l.updateElem(u32(2), u32(0x22), BPF_ANY, 0);
    l.updateElem(u32(3), u32(0x33), BPF_ANY, 0); // evicts 1
    expect(r32(p, off)).toBe(0x33);
  });

  it('BPF_F_NO_COMMON_LRU: each CPU evicts among its own nodes; max_entries rounds up to ncpus', () => {
    const e = env(2);
    const l = mk<LruHashMap>(e, T.BPF_MAP_TYPE_LRU_HASH, 4, 4, 3, BPF_F_NO_COMMON_LRU);
    expect(l.maxEntries).toBe(4);
    l.updateElem(u32(1), u32(1), BPF_ANY, 0);
    l.updateElem(u32(2), u32(2), BPF_ANY, 0);
    l.updateElem(u32(3), u32(3), BPF_ANY, 0); // CPU 0 owns 2 nodes: evicts 1 although CPU 1 has free ones
    expect(l.keys().map((k) => k[0])).toEqual([2, 3]);
    l.updateElem(u32(4), u32(4), BPF_ANY, 1);
    l.updateElem(u32(5), u32(5), BPF_ANY, 1);
    expect(l.keys().map((k) => k[0])).toEqual([2, 3, 4, 5]);
    expect(l.dumpJson().max_entries).toBe(4);
  });

  it('LRU percpu: in-place update marks use, new keys zero other CPUs, host writes all CPUs', () => {
    const e = env(2);
    const l = mk(e, T.BPF_MAP_TYPE_LRU_PERCPU_HASH, 4, 4, 2);
    expect(l.updateElem(u32(1), u32(5), BPF_ANY, 1)).toBe(0);
    const p = l.lookupElem(u32(1), 1);
    const off = l.lastOffset;
    expect(l.updateElem(u32(1), u32(6), BPF_EXIST, 1)).toBe(0);
    expect(r32(p, off)).toBe(6);
    expect(l.lookup(u32(1))).toEqual([u32(0), u32(6)]);
    l.update(u32(2), [u32(1), u32(2)]);
    expect(l.lookup(u32(2))).toEqual([u32(1), u32(2)]);
    expect(l.updateElem(u32(1), u32(6), BPF_F_LOCK, 0)).toBe(-ERRNO.EINVAL);
  });

  it('for_each does not change the recency order', () => {
    const e = env();
    const l = mk<LruHashMap>(e, T.BPF_MAP_TYPE_LRU_HASH, 4, 4, 3);
    for (const k of [1, 2, 3]) l.update(u32(k), u32(k));
    expect(l.forEachElem(0, () => false)).toBe(3);
    expect(l.recency().map((k) => k[0])).toEqual([1, 2, 3]);
  });
});

describe("[maps/lru]: the 'kernel' policy", () => {
  const kenv = (ncpus = 2) => createMapEnv(new Memory(), { ncpus, lru: 'kernel' });

  it('steals a pending node from another CPU when every list is empty', () => {
    const e = kenv();
    const l = mk<LruHashMap>(e, T.BPF_MAP_TYPE_LRU_HASH, 4, 4, 1);
    expect(l.policyName).toBe('kernel');
    expect(l.updateElem(u32(1), u32(1), BPF_ANY, 1)).toBe(0);
    expect(l.updateElem(u32(2), u32(2), BPF_ANY, 0)).toBe(0);
    expect(l.keys().map((k) => k[0])).toEqual([2]);
    expect(l.evictions).toBe(1);
  });

  it('deletes return nodes to the free lists; host updates run on hostCpu', () => {
    const e = kenv();
    const l = mk<LruHashMap>(e, T.BPF_MAP_TYPE_LRU_PERCPU_HASH, 4, 4, 4);
    for (let k = 0; k < 4; k++) l.update(u32(k), u32(k));
    l.delete(u32(1));
    l.update(u32(9), u32(9));
    expect(l.keys().map((k) => k[0])).toEqual([0, 2, 3, 9]);
    expect(l.evictions).toBe(0);
    expect(l.lookup(u32(9))).toEqual([u32(9), u32(9)]);
  });
});

describe('[maps/lpm]: longest prefix match', () => {
  const key = (plen: number, ...b: number[]) => Uint8Array.of(plen, 0, 0, 0, ...b);
  it.each([
    [key(32, 10, 1, 2, 3), 24],
    [key(32, 10, 1, 9, 9), 16],
    [key(32, 10, 9, 9, 9), 8],
    [key(32, 11, 0, 0, 0), 0],
    [key(20, 10, 1, 2, 3), 16],
    [key(7, 10, 1, 2, 3), 0],
    [key(23, 10, 1, 2, 0), 16],
  ])('%o → /%i', (k, want) => {
    const e = env();
    const m = mk(e, T.BPF_MAP_TYPE_LPM_TRIE, 8, 4, 8, BPF_F_NO_PREALLOC);
    for (const [p, a, b, c] of [
      [0, 0, 0, 0],
      [8, 10, 0, 0],
      [16, 10, 1, 0],
      [24, 10, 1, 2],
    ])
      m.update(key(p, a, b, c, 0), u32(p));
    expect(r32(m.lookupElem(k, 0), m.lastOffset)).toBe(want);
    expect(m.lookup(k)).toEqual(u32(want));
  });

  it('odd prefix lengths compare only the prefix bits', () => {
    const e = env();
    const m = mk(e, T.BPF_MAP_TYPE_LPM_TRIE, 6, 1, 4, BPF_F_NO_PREALLOC);
    m.update(Uint8Array.of(9, 0, 0, 0, 0xab, 0xff), Uint8Array.of(9));
    expect(m.lookup(Uint8Array.of(16, 0, 0, 0, 0xab, 0x80))).toEqual(Uint8Array.of(9));
    expect(m.lookup(Uint8Array.of(16, 0, 0, 0, 0xab, 0x7f))).toBeUndefined();
    // same (prefixlen, prefix bits) replaces, and the dump shows the key bytes of the last update
    expect(m.updateElem(Uint8Array.of(9, 0, 0, 0, 0xab, 0x80), Uint8Array.of(7), BPF_NOEXIST, 0)).toBe(-ERRNO.EEXIST);
    m.update(Uint8Array.of(9, 0, 0, 0, 0xab, 0x80), Uint8Array.of(7));
    expect(m.dumpJson().entries).toEqual([['09000000ab80', '07']]);
  });
});

describe('[maps/queue-stack]: ring wrap-around', () => {
  it.each([
    [T.BPF_MAP_TYPE_QUEUE, [3, 4, 5]],
    [T.BPF_MAP_TYPE_STACK, [5, 4, 3]],
  ])('type %i keeps order across many wraps', (type, want) => {
    const e = env();
    const q = mk<QueueStackMap>(e, type, 0, 4, 3);
    for (let i = 0; i < 10; i++) {
      q.push(u32(i));
      q.pop();
    }
    for (const v of [3, 4, 5]) q.push(u32(v));
    expect(q.length).toBe(3);
    expect(q.values().map((b) => b[0])).toEqual(want);
    expect(errno(() => q.push(u32(6)))).toBe('E2BIG');
    expect(q.peek()).toEqual(u32(want[0]));
    const out = new Uint8Array(4);
    for (const w of want) {
      expect(q.popElem(out)).toBe(0);
      expect(out[0]).toBe(w);
    }
    expect(q.pop()).toBeUndefined();
    expect(q.lookupElem(new Uint8Array(0), 0)).toBeUndefined();
    expect(errno(() => q.delete(new Uint8Array(0)))).toBe('EINVAL');
  });
});

describe('[maps/ringbuf]: records across the end of the ring', () => {
  it('a record crossing the end reads back whole; BUSY records block the consumer', () => {
    const e = env();
    const rb = mk<RingbufMap>(e, T.BPF_MAP_TYPE_RINGBUF, 0, 0, 4096);
    const big = new Uint8Array(3000).fill(1);
    expect(rb.output(big, 0)).toBe(0);
    expect(rb.consume().length).toBe(1);
    // next record starts at 3008 and ends past 4096
    const data = new Uint8Array(2000).map((_, i) => i & 0xff);
    const r = rb.reserve(2000, 0) as Region;
    // The record is a region of exactly its sample, over data bytes 3016..5015.
    expect(rb.lastOffset).toBe(0);
    expect(r.bytes.length).toBe(2000);
    expect(r.bytes.byteOffset - rb.data.bytes.byteOffset).toBe(3008 + 8);
    r.bytes.set(data);
    expect(rb.query(0)).toBe(2008);
    expect(rb.consume()).toEqual([]); // still BUSY
    expect(rb.commitRecord(r, false, 0)).toBe(true);
    expect(rb.commitRecord(r, false, 0)).toBe(false); // already committed
    expect(e.mem.regionOf(r.hi)).toBeUndefined(); // released: later accesses fault
    const got = rb.consume();
    expect(got).toHaveLength(1);
    expect(got[0].data).toEqual(data);
    expect(got[0].pos).toBe(3008);
    expect(rb.query(2)).toBe(5016);
    // header: size, and the page offset of the header from the start of the kernel's struct
    expect(rb.data.view.getUint32(3008, true)).toBe(2000);
    expect(rb.data.view.getUint32(3012, true)).toBe(3);
  });

  it('a BUSY record blocks the consumer, so its space and all after it stay used', () => {
    const e = env();
    const rb = mk<RingbufMap>(e, T.BPF_MAP_TYPE_RINGBUF, 0, 0, 4096);
    const first = rb.reserve(1000, 0) as Region;
    expect(first).toBeDefined();
    expect(rb.output(new Uint8Array(2000), 0)).toBe(0);
    expect(rb.consume()).toEqual([]); // blocked by the BUSY first record
    expect(rb.output(new Uint8Array(1100), 0)).toBe(-ERRNO.EAGAIN); // 1008 + 2008 + 1112 > 4095
    expect(rb.output(new Uint8Array(1000), 0)).toBe(0); // 1008 + 2008 + 1008 fits
    rb.commitRecord(first, true, 0); // discard
    expect(rb.consume().map((x) => x.data.length)).toEqual([2000, 1000]);
    expect(rb.output(new Uint8Array(1100), 0)).toBe(0);
  });

  it('wakeups follow the flags and the consumer position', () => {
    const e = env();
    const rb = mk<RingbufMap>(e, T.BPF_MAP_TYPE_RINGBUF, 0, 0, 4096);
    rb.output(new Uint8Array(8), 0); // consumer waits on this record: wakeup
    rb.output(new Uint8Array(8), 0); // not at the consumer: none
    rb.output(new Uint8Array(8), 2); // forced
    rb.consume();
    rb.output(new Uint8Array(8), 1); // NO_WAKEUP
    expect(rb.wakeups).toBe(2);
    expect(errno(() => rb.lookup(new Uint8Array(0)))).toBe('ENOTSUPP');
    expect(errno(() => rb.nextKey())).toBe('ENOTSUPP');
  });
});

describe('[maps/perf]: captured samples', () => {
  it('attached slots capture samples; the event CPU must be the current one', () => {
    const e = env(2);
    const p = mk<PerfEventArrayMap>(e, T.BPF_MAP_TYPE_PERF_EVENT_ARRAY, 4, 4, 0);
    expect(p.maxEntries).toBe(2); // libbpf: one slot per CPU
    p.attachAll();
    expect(p.output(BPF_F_CURRENT_CPU, 1, Uint8Array.of(1, 2), Uint8Array.of(9))).toBe(0);
    expect(p.output(0, 1, Uint8Array.of(3), undefined)).toBe(-ERRNO.EOPNOTSUPP);
    expect(p.output(0, 0, Uint8Array.of(3), undefined)).toBe(0);
    expect(p.drain()).toEqual([
      { index: 1, cpu: 1, data: Uint8Array.of(1, 2, 9) },
      { index: 0, cpu: 0, data: Uint8Array.of(3) },
    ]);
    expect(p.records).toEqual([]);
    p.delete(u32(0));
    expect(p.output(0, 0, Uint8Array.of(3))).toBe(-ERRNO.ENOENT);
    p.update(u32(0), u32(0));
    expect(p.output(0, 0, Uint8Array.of(3))).toBe(0);
    expect(errno(() => p.lookup(u32(0)))).toBe('ENOTSUPP');
  });
});

describe('[maps/prog-array, map-in-map]', () => {
  it('prog array: getProgram, ids in lookups and dumps, resolveProgram for host updates', () => {
    const e = env();
    const pa = mk<ProgArrayMap>(e, T.BPF_MAP_TYPE_PROG_ARRAY, 4, 4, 3);
    const prog = { name: 'p' } as LinkedProgram;
    expect(pa.getProgram(0)).toBeUndefined();
    pa.setProgram(1, prog, 42);
    expect(pa.getProgram(1)).toBe(prog);
    expect(pa.getProgram(0xffffffff)).toBeUndefined();
    expect(pa.lookup(u32(1))).toEqual(u32(42));
    expect(pa.dumpJson().entries).toEqual([
      ['00000000', null],
      ['01000000', '2a000000'],
      ['02000000', null],
    ]);
    expect(errno(() => pa.update(u32(0), u32(7)))).toBe('EBADF');
    pa.resolveProgram = (id) => (id === 7 ? prog : undefined);
    pa.update(u32(0), u32(7));
    expect(pa.getProgram(0)).toBe(prog);
    pa.clearProgram(0);
    expect(pa.getProgram(0)).toBeUndefined();
    expect(pa.lookupElem(u32(1), 0)).toBeUndefined();
  });

  it('array of maps: BPF_F_INNER_MAP templates accept any max_entries; mismatches are EINVAL', () => {
    const e = env();
    const tpl: MapDefinition = { name: 'tpl', type: T.BPF_MAP_TYPE_ARRAY, keySize: 4, valueSize: 4, maxEntries: 1, flags: BPF_F_INNER_MAP };
    const outer = mk<ArrayOfMapsMap>(e, T.BPF_MAP_TYPE_ARRAY_OF_MAPS, 4, 4, 2, 0, { innerMap: tpl });
    const small = mk(e, T.BPF_MAP_TYPE_ARRAY, 4, 4, 8, BPF_F_INNER_MAP);
    outer.setInner(0, small);
    expect(outer.lookupElem(u32(0), 0)).toBe(small.handle);
    expect(outer.lastOffset).toBe(0);
    expect(outer.getInner(0)).toBe(small);
    const other = mk(e, T.BPF_MAP_TYPE_ARRAY, 4, 4, 8);
    expect(errno(() => outer.setInner(1, other))).toBe('EINVAL');
    expect(outer.lookup(u32(0))).toEqual(u32(small.id));
  });

  it('hash of maps: E2BIG when full, NOEXIST/EXIST rules, lookups return the inner handle', () => {
    const e = env();
    const tpl: MapDefinition = { name: 'tpl', type: T.BPF_MAP_TYPE_HASH, keySize: 4, valueSize: 4, maxEntries: 1, flags: 0 };
    const outer = mk<HashOfMapsMap>(e, T.BPF_MAP_TYPE_HASH_OF_MAPS, 4, 4, 1, 0, { innerMap: tpl });
    const a = mk(e, T.BPF_MAP_TYPE_HASH, 4, 4, 1);
    const b = mk(e, T.BPF_MAP_TYPE_HASH, 4, 4, 9);
    outer.setInner(u32(1), a);
    expect(errno(() => outer.setInner(u32(2), b))).toBe('E2BIG');
    expect(errno(() => outer.setInner(u32(1), b, BPF_NOEXIST))).toBe('EEXIST');
    outer.setInner(u32(1), b, BPF_EXIST);
    expect(outer.lookupElem(u32(1), 0)).toBe(b.handle);
    expect(outer.lookupElem(u32(2), 0)).toBeUndefined();
    expect(outer.dumpJson().entries).toEqual([['01000000', toHex(u32(b.id))]]);
  });

  it('creation refuses maps of maps without a template or with nested templates', () => {
    const e = env();
    expect(errno(() => mk(e, T.BPF_MAP_TYPE_ARRAY_OF_MAPS, 4, 4, 1))).toBe('EBADF');
    const nested: MapDefinition = { name: 'n', type: T.BPF_MAP_TYPE_ARRAY_OF_MAPS, keySize: 4, valueSize: 4, maxEntries: 1, flags: 0 };
    expect(errno(() => mk(e, T.BPF_MAP_TYPE_HASH_OF_MAPS, 4, 4, 1, 0, { innerMap: nested }))).toBe('EINVAL');
    expect(errno(() => mk(e, T.BPF_MAP_TYPE_XSKMAP, 4, 4, 1))).toBe('ENOTSUPP');
    expect(errno(() => mk(e, 1000, 4, 4, 1))).toBe('EINVAL');
    expect(errno(() => mk(e, T.BPF_MAP_TYPE_ARRAY, 4, 1 << 20, 4096))).toBe('ENOMEM');
  });
});

describe('[maps/bloom]: membership', () => {
  it('no false negatives; host has/push; pop and delete are EOPNOTSUPP; geometry', () => {
    const e = env();
    const b = mk<BloomFilterMap>(e, T.BPF_MAP_TYPE_BLOOM_FILTER, 0, 8, 1000);
    expect(b.nrHashFuncs).toBe(5);
    expect(b.bitsetMask).toBe(8191); // 1000 * 5 / 5 * 7 = 7000 -> 8192 bits
    for (let i = 0; i < 1000; i++) b.push(u64(i * 977));
    for (let i = 0; i < 1000; i++) expect(b.has(u64(i * 977))).toBe(true);
    let fp = 0;
    for (let i = 0; i < 1000; i++) if (b.has(u64(1e9 + i))) fp++;
    expect(fp).toBeLessThan(100);
    expect(b.popElem(new Uint8Array(8))).toBe(-ERRNO.EOPNOTSUPP);
    expect(errno(() => b.delete(new Uint8Array(0)))).toBe('EOPNOTSUPP');
    expect(errno(() => b.push(u64(1), BPF_EXIST))).toBe('EINVAL');
    expect(errno(() => b.nextKey())).toBe('EOPNOTSUPP');
    expect(isPushPopMap(b)).toBe(true);
    expect(isPushPopMap(mk(e, T.BPF_MAP_TYPE_QUEUE, 0, 4, 1))).toBe(true);
    expect(isPushPopMap(mk(e, T.BPF_MAP_TYPE_ARRAY, 4, 4, 1))).toBe(false);
    const one = mk<BloomFilterMap>(e, T.BPF_MAP_TYPE_BLOOM_FILTER, 0, 4, 1, 0, { mapExtra: 1 });
    expect([one.nrHashFuncs, one.bitsetMask]).toEqual([1, 63]);
    const huge = mk<BloomFilterMap>(e, T.BPF_MAP_TYPE_BLOOM_FILTER, 0, 4, 0xffffffff);
    expect(huge.bitsetMask).toBe(0xffffffff);
    huge.push(u32(5));
    expect(huge.has(u32(5))).toBe(true);
  });
});

describe('[maps/dump]: the oracle JSON shape', () => {
  it('field order, per-CPU lists, truncation, keyless maps', () => {
    const e = env(2);
    const h = mk(e, T.BPF_MAP_TYPE_PERCPU_HASH, 4, 4, 8);
    for (const k of [3, 1, 2]) h.update(u32(k), [u32(k), u32(k * 2)]);
    const d = h.dumpJson({ maxEntries: 2 });
    expect(Object.keys(d)).toEqual(['type', 'type_name', 'key_size', 'value_size', 'max_entries', 'map_flags', 'percpu', 'ncpus', 'truncated', 'entries']);
    expect(d.entries).toEqual([
      ['01000000', ['01000000', '02000000']],
      ['02000000', ['02000000', '04000000']],
    ]);
    const q = mk(e, T.BPF_MAP_TYPE_QUEUE, 0, 4, 2);
    expect(JSON.stringify(q.dumpJson())).toBe(
      '{"type":22,"type_name":"queue","key_size":0,"value_size":4,"max_entries":2,"map_flags":0,"percpu":false,"dump_err":22,"dump_errname":"EINVAL","entries":[]}',
    );
  });
});

describe('[maps/dump]: big maps and decoders', () => {
  it('a truncated dump of a large array only walks what it prints', () => {
    const e = env();
    const a = mk(e, T.BPF_MAP_TYPE_ARRAY, 4, 4, 1 << 20);
    const d = a.dumpJson({ maxEntries: 3 });
    expect(d.truncated).toBe(true);
    expect(d.entries.map(([k]) => k)).toEqual(['00000000', '01000000', '02000000']);
    expect(a.keys(2)).toHaveLength(2);
  });

  it('decodedEntries uses the decoders hook, hex otherwise', () => {
    const e = env(2);
    const h = mk(e, T.BPF_MAP_TYPE_PERCPU_HASH, 4, 4, 4);
    h.update(u32(5), [u32(1), u32(2)]);
    expect(h.decodedEntries()).toEqual([['05000000', ['01000000', '02000000']]]);
    h.decoders = {
      key: (b: Uint8Array) => b[0],
      value: (b: Uint8Array) => new DataView(b.buffer, b.byteOffset).getUint32(0, true),
    };
    expect(h.decodedEntries()).toEqual([[5, [1, 2]]]);
  });
});

describe('[maps/errors]: program-side results never throw', () => {
  it('unsupported program operations answer −EINVAL or NULL', () => {
    const e = env();
    const rb = mk(e, T.BPF_MAP_TYPE_RINGBUF, 0, 0, 4096);
    expect(rb.updateElem(new Uint8Array(0), new Uint8Array(0), 0, 0)).toBe(-ERRNO.EINVAL);
    expect(rb.deleteElem(new Uint8Array(0), 0)).toBe(-ERRNO.EINVAL);
    expect(rb.forEachElem(0, () => false)).toBe(-ERRNO.EINVAL);
    const lpm = mk(e, T.BPF_MAP_TYPE_LPM_TRIE, 8, 4, 1, BPF_F_NO_PREALLOC);
    expect(lpm.forEachElem(0, () => false)).toBe(-ERRNO.EINVAL);
    const a = mk(e, T.BPF_MAP_TYPE_ARRAY, 4, 4, 1);
    expect(a.updateElem(u32(0), u32(1), 2 ** 40, 0)).toBe(-ERRNO.EINVAL);
  });
});
