/**
 * Direct helper calls for the cases the kernel goldens cannot reach offline: kptr_xchg swapping
 * a slot, perf_event_read on attached events, the unsupported fault naming the helper.
 */
import { describe, expect, it } from 'vitest';
import { Memory } from '../../vm/memory.js';
import { HELPER_IDS as H } from '../../vm/helpers.js';
import type { HelperCall, RegisterFile } from '../../vm/program.js';
import { defaultBaseState } from '../../src/helpers/base.js';
import { miscHelpers } from '../../src/helpers/misc.js';
import { buildHelperTable } from '../../src/helpers/table.js';
import { createMap, createMapEnv } from '../../src/maps/index.js';
import { PerfEventArrayMap } from '../../src/maps/perf-event-array.js';
import { BPF_MAP_TYPE } from '../../src/uapi.js';

/** A host-side register file whose every value counts as a trusted pointer (tag aliases hi). */
function trustedRegisters(): { lo: Int32Array; hi: Int32Array; tag: Int32Array } {
  const hi = new Int32Array(11);
  return { lo: new Int32Array(11), hi, tag: hi };
}

function harness() {
  const mem = new Memory();
  const scratch = mem.alloc('scratch', new Uint8Array(64));
  const regs: RegisterFile = trustedRegisters();
  const call: HelperCall = { regs, mem, insnIndex: 3, run: defaultBaseState() };
  const set = (n: number, hi: number, lo: number): void => {
    regs.hi[n] = hi;
    regs.lo[n] = lo;
  };
  const r0 = (): bigint => BigInt.asIntN(64, (BigInt(regs.hi[0] >>> 0) << 32n) | BigInt(regs.lo[0] >>> 0));
  return { mem, scratch, regs, call, set, r0 };
}

describe('bpf_kptr_xchg', () => {
  it('stores the new pointer and returns the old one', () => {
    const h = harness();
    const dv = new DataView(h.scratch.bytes.buffer);
    dv.setBigUint64(8, 0x1122334455667788n, true);
    h.set(1, h.scratch.hi, Memory.lo(8));
    h.set(2, 0, 0); // NULL
    miscHelpers[H.bpf_kptr_xchg](h.call);
    expect(h.r0()).toBe(0x1122334455667788n);
    expect(dv.getBigUint64(8, true)).toBe(0n);
  });
});

describe('bpf_perf_event_read', () => {
  it('reads 0 from an event on this CPU, -EINVAL on another, -ENOENT when empty', () => {
    const h = harness();
    const env = createMapEnv(h.mem);
    const map = createMap({ name: 'perf', type: BPF_MAP_TYPE.BPF_MAP_TYPE_PERF_EVENT_ARRAY, keySize: 4, valueSize: 4, maxEntries: 4, flags: 0 }, env);
    expect(map).toBeInstanceOf(PerfEventArrayMap);
    (map as PerfEventArrayMap).attach(0, 0);
    (map as PerfEventArrayMap).attach(1, 1);
    const read = (flags: number): bigint => {
      h.set(1, map.handle.hi, Memory.lo(0));
      h.set(2, 0, flags);
      miscHelpers[H.bpf_perf_event_read](h.call);
      return h.r0();
    };
    expect(read(0)).toBe(0n);
    expect(read(0xffffffff)).toBe(0n); // BPF_F_CURRENT_CPU on CPU 0
    expect(read(1)).toBe(-22n);
    expect(read(2)).toBe(-2n);
    expect(read(4)).toBe(-7n);
  });
});

describe('helpers that stay unsupported', () => {
  it('fault with E_UNSUPPORTED_HELPER naming the helper', () => {
    const h = harness();
    const table = buildHelperTable();
    for (const id of [H.bpf_task_storage_get, H.bpf_send_signal, H.bpf_per_cpu_ptr, H.bpf_find_vma]) {
      expect(() => table[id]!(h.call)).toThrow(expect.objectContaining({ code: 'E_UNSUPPORTED_HELPER' }));
    }
    expect(() => table[H.bpf_send_signal]!(h.call)).toThrow(/send_signal/);
  });
});
