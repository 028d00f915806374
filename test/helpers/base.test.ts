import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Memory } from '../../vm/memory.js';
import type { HelperCall, RegisterFile } from '../../vm/program.js';
import { HELPER_IDS as H } from '../../vm/helpers.js';
import { baseHelpers, defaultBaseState } from '../../src/helpers/base.js';

/** A host-side register file whose every value counts as a trusted pointer (tag aliases hi). */
function trustedRegisters(): { lo: Int32Array; hi: Int32Array; tag: Int32Array } {
  const hi = new Int32Array(11);
  return { lo: new Int32Array(11), hi, tag: hi };
}

// Kernel answers: test/goldens/helpers/printk.out.json (see the README there).
const golden = JSON.parse(readFileSync(new URL('../goldens/helpers/printk.out.json', import.meta.url), 'utf8'));
const kernel = (i: number): bigint => {
  const hex: string = golden.maps.results.entries[i][1];
  return BigInt.asIntN(64, BigInt('0x' + (hex.match(/../g) as string[]).reverse().join('')));
};
const bss: string = golden.maps['printk.bss'].entries[0][1];
const bssString = (slot: number): string => {
  const bytes = Buffer.from(bss.slice(slot * 64, slot * 64 + 64), 'hex');
  return bytes.subarray(0, bytes.indexOf(0)).toString('latin1');
};

function harness() {
  const mem = new Memory();
  const scratch = mem.alloc('scratch', new Uint8Array(4096));
  let next = 0;
  const regs: RegisterFile = trustedRegisters();
  const state = defaultBaseState();
  const call: HelperCall = { regs, mem, insnIndex: 7, run: state };
  /** Place bytes in scratch memory; returns [hi, lo]. */
  const place = (bytes: Uint8Array | string): [number, number] => {
    const b = typeof bytes === 'string' ? new TextEncoder().encode(bytes) : bytes;
    scratch.bytes.set(b, next);
    const at: [number, number] = [scratch.hi, Memory.lo(next)];
    next += (b.length + 7) & ~7;
    return at;
  };
  const set = (n: number, v: bigint | number | [number, number]) => {
    if (Array.isArray(v)) {
      regs.hi[n] = v[0];
      regs.lo[n] = v[1];
    } else {
      const u = BigInt.asUintN(64, BigInt(v));
      regs.lo[n] = Number(u & 0xffffffffn) | 0;
      regs.hi[n] = Number(u >> 32n) | 0;
    }
  };
  const r0 = () => BigInt.asIntN(64, (BigInt(regs.hi[0] >>> 0) << 32n) | BigInt(regs.lo[0] >>> 0));
  return { mem, scratch, state, call, place, set, r0 };
}

function printk(fmt: string, ...args: (bigint | number | [number, number])[]): { r0: bigint; trace: string[] } {
  const h = harness();
  const f = h.place(fmt + '\0');
  h.set(1, f);
  h.set(2, fmt.length + 1);
  args.forEach((a, i) => h.set(3 + i, a));
  baseHelpers[H.bpf_trace_printk](h.call);
  return { r0: h.r0(), trace: h.state.trace };
}

describe('[helpers/base]: bpf_trace_printk return values match the kernel', () => {
  const ip = new Uint8Array([127, 0, 0, 1]);
  const cases: [number, string, (h: ReturnType<typeof harness>) => (bigint | number | [number, number])[]][] = [
    [0, 'hi %d\n', () => [42]],
    [1, '%llx', () => [-1n]],
    [2, '%5d', () => [7]],
    [3, '%c', () => [65]],
    [4, '%s', () => [0]],
    [5, '%p', () => [0x1234n]],
    [6, '%d %d %d %d', () => [1, 2, 3]],
    [7, '%x', () => [0x100000005n]],
    [8, '%-6u|', () => [12]],
    [9, '%pI4', (h) => [h.place(ip)]],
    [10, '%o', () => [8]],
    [11, '%.2d', () => [8]],
    [12, '%hd', () => [8]],
    [13, '%+d % d %05d', () => [5, 6, -7]],
    [14, '%lu %ld', () => [-1n, -1n]],
    [15, '%pi4', (h) => [h.place(ip)]],
    [17, '%sx', (h) => [h.place('ab\0')]],
    [18, '%%%d%%', () => [3]],
  ];
  it.each(cases)('case %i: %j', (i, fmt, mk) => {
    const h = harness();
    const f = h.place(fmt + '\0');
    h.set(1, f);
    h.set(2, fmt.length + 1);
    mk(h).forEach((a, k) => h.set(3 + k, a));
    baseHelpers[H.bpf_trace_printk](h.call);
    expect(h.r0()).toBe(kernel(i));
    if (h.r0() >= 0n) expect(h.state.trace.at(-1)?.length).toBe(Number(h.r0()));
  });

  it('rejects a format without NUL inside fmt_size (case 16)', () => {
    const h = harness();
    h.set(1, h.place('abcd'));
    h.set(2, 4);
    baseHelpers[H.bpf_trace_printk](h.call);
    expect(h.r0()).toBe(kernel(16));
  });

  it('formats text as vsnprintf does', () => {
    expect(printk('%+d % d %05d', 5, 6, -7).trace).toEqual(['+5  6 -0007']);
    expect(printk('%lu %ld', -1n, -1n).trace).toEqual(['18446744073709551615 -1']);
  });
});

describe('[helpers/base]: bpf_snprintf, strtol, strtoul, strncmp match the kernel', () => {
  function snprintf(size: number) {
    const h = harness();
    const out = h.place(new Uint8Array(32));
    const fmt = h.place('%d-%s-%x\0');
    const data = new Uint8Array(24);
    const dv = new DataView(data.buffer);
    dv.setBigUint64(0, 12n, true);
    dv.setBigUint64(8, 0x13n, true); // the unrelocated .rodata offset the kernel saw
    dv.setBigUint64(16, 255n, true);
    h.set(1, out);
    h.set(2, size);
    h.set(3, fmt);
    h.set(4, h.place(data));
    h.set(5, 24);
    baseHelpers[H.bpf_snprintf](h.call);
    const text = h.mem.slice(out[0], out[1], 32)!;
    return { r0: h.r0(), text: Buffer.from(text.subarray(0, text.indexOf(0))).toString('latin1') };
  }
  it('returns length + 1 and truncates', () => {
    expect(snprintf(32)).toEqual({ r0: kernel(19), text: bssString(0) });
    expect(snprintf(4)).toEqual({ r0: kernel(20), text: bssString(1) });
  });

  function strto(id: number, s: string, size: number, flags: number) {
    const h = harness();
    const res = h.place(new Uint8Array(8));
    h.set(1, h.place(s));
    h.set(2, size);
    h.set(3, flags);
    h.set(4, res);
    baseHelpers[id](h.call);
    const v = new DataView(h.mem.slice(res[0], res[1], 8)!.slice().buffer).getBigInt64(0, true);
    return { r0: h.r0(), v };
  }
  it('strtol / strtoul', () => {
    const a = strto(H.bpf_strtol, '  -1234xyz\0', 11, 0);
    expect(a.r0).toBe(kernel(22));
    expect(a.v).toBe(kernel(23));
    const b = strto(H.bpf_strtol, '0x1fz\0', 6, 0);
    expect(b.r0).toBe(kernel(24));
    expect(b.v).toBe(kernel(25));
    expect(strto(H.bpf_strtoul, '  -1234xyz\0', 11, 10).r0).toBe(kernel(26));
  });

  it('strncmp', () => {
    const cmp = (n: number, s2: string) => {
      const h = harness();
      h.set(1, h.place('0x1fz\0'));
      h.set(2, n);
      h.set(3, h.place(s2 + '\0'));
      baseHelpers[H.bpf_strncmp](h.call);
      return h.r0();
    };
    expect(cmp(3, '0x2')).toBe(kernel(27));
    expect(cmp(3, '0x1')).toBe(kernel(28));
    expect(cmp(2, '0x1')).toBe(kernel(29));
  });
});

describe('[helpers/base]: deterministic time and randomness', () => {
  it('the virtual clock only moves when told', () => {
    const h = harness();
    baseHelpers[H.bpf_ktime_get_ns](h.call);
    const t0 = h.r0();
    baseHelpers[H.bpf_ktime_get_ns](h.call);
    expect(h.r0()).toBe(t0);
    h.state.clock.advance(1500);
    baseHelpers[H.bpf_ktime_get_ns](h.call);
    expect(h.r0()).toBe(t0 + 1500n);
  });
  it('prandom is reproducible for a seed and varies between calls', () => {
    const seq = () => {
      const h = harness();
      return [0, 1, 2].map(() => (baseHelpers[H.bpf_get_prandom_u32](h.call), h.r0()));
    };
    const a = seq();
    expect(seq()).toEqual(a);
    expect(new Set(a).size).toBe(3);
    for (const v of a) expect(v >= 0n && v < 2n ** 32n).toBe(true);
  });
});
