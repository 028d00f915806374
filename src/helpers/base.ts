/**
 * @fileoverview Helpers that do not touch the packet or maps: time, randomness, CPU, process
 * ids, printing and strings (kernel/bpf/helpers.c, kernel/trace/bpf_trace.c).
 *
 * Everything that varies on a real machine is made deterministic and configurable through the
 * run's `BaseRunState`: a virtual clock, a seeded PRNG, a fixed CPU, fixed pid/uid.
 */
import type { CalleeName } from './args.js';
import { byName, type HelperFamily } from './family.js';
import { HELPER_IDS } from '../../vm/helpers.js';
import type { HelperCall } from '../../vm/program.js';
import { ERRNO } from '../uapi.js';
import { argIsNull, argMem, argSize, argU32, argU64, helperFault, setR0, setR0Big } from './args.js';
import { bprintf, MAX_BPRINTF_BUF, type PrintkMemory } from './printk.js';

/** A virtual clock: nanoseconds that move only when told (`advance`) or by `stepNs` per read. */
export class VirtualClock {
  /** CLOCK_MONOTONIC, ns, without `pendingNs`. */
  private baseNs: bigint;
  /**
   * Nanoseconds added by `skip` and not yet folded into baseNs: a plain number, so that moving
   * the clock after every run of a repeated test run allocates no BigInt.
   */
  private pendingNs = 0;
  /** BOOTTIME minus MONOTONIC (time spent suspended). */
  bootOffsetNs = 0n;
  /** TAI minus MONOTONIC. */
  taiOffsetNs = 1_700_000_000_000_000_000n;
  /** Added after each read, so that successive reads differ (0: time stands still). */
  stepNs: bigint;
  constructor(startNs = 1_000_000_000_000n, stepNs = 0n) {
    this.baseNs = startNs;
    this.stepNs = stepNs;
  }
  /** CLOCK_MONOTONIC, ns. */
  get monoNs(): bigint {
    if (this.pendingNs !== 0) {
      this.baseNs += BigInt(this.pendingNs);
      this.pendingNs = 0;
    }
    return this.baseNs;
  }
  set monoNs(v: bigint) {
    this.baseNs = v;
    this.pendingNs = 0;
  }
  /** advance(ns) for a small non-negative integer ns, without allocating (see pendingNs). */
  skip(ns: number): void {
    this.pendingNs += ns;
    // Fold before the double loses integer precision.
    if (this.pendingNs > 2 ** 52) void this.monoNs;
  }
  advance(ns: bigint | number): void {
    this.monoNs += BigInt(ns);
  }
  read(): bigint {
    const v = this.monoNs;
    this.monoNs += this.stepNs;
    return v;
  }
}

const DEFAULT_SEED = 0x7463786cn; /* "tcxl" */
let DEFAULT_STATE: { s0: bigint; s1: bigint } | undefined;

/** A seeded xorshift128+ generator standing in for the kernel's per-CPU prandom state. */
export class SeededRandom {
  private s0: bigint;
  private s1: bigint;
  constructor(seed = DEFAULT_SEED) {
    if (seed === DEFAULT_SEED && DEFAULT_STATE !== undefined) {
      // The default generator's state, computed once (every send of the netdev makes one).
      this.s0 = DEFAULT_STATE.s0;
      this.s1 = DEFAULT_STATE.s1;
      return;
    }
    this.s0 = BigInt.asUintN(64, seed ^ 0x9e3779b97f4a7c15n) || 1n;
    this.s1 = BigInt.asUintN(64, seed * 0xbf58476d1ce4e5b9n + 1n) || 1n;
  }
  /** Back to the state `new SeededRandom()` starts in (the default seed), without allocating. */
  reset(): this {
    const d = DEFAULT_STATE as { s0: bigint; s1: bigint };
    this.s0 = d.s0;
    this.s1 = d.s1;
    return this;
  }
  nextU32(): number {
    let x = this.s0;
    const y = this.s1;
    this.s0 = y;
    x ^= BigInt.asUintN(64, x << 23n);
    x ^= x >> 17n;
    x ^= y ^ (y >> 26n);
    this.s1 = x;
    return Number(BigInt.asUintN(64, x + y) >> 32n) >>> 0;
  }
}

{
  const r = new SeededRandom(DEFAULT_SEED) as unknown as { s0: bigint; s1: bigint };
  DEFAULT_STATE = { s0: r.s0, s1: r.s1 };
}

/** What the base helpers need from the run state (`HelperCall.run`). */
export interface BaseRunState {
  clock: VirtualClock;
  random: SeededRandom;
  /** The emulated CPU this run is on. */
  cpu: number;
  /** Captured bpf_trace_printk/trace_vprintk lines, without the trailing newline handling. */
  trace: string[];
  pid: number;
  tgid: number;
  uid: number;
  gid: number;
  comm: string;
}

/** A fresh base state with the documented defaults. */
export function defaultBaseState(): BaseRunState {
  return {
    clock: new VirtualClock(),
    random: new SeededRandom(),
    cpu: 0,
    trace: [],
    pid: 1000,
    tgid: 1000,
    uid: 0,
    gid: 0,
    comm: 'tcxlab',
  };
}

const base = (call: HelperCall): BaseRunState => call.run as BaseRunState;
/** CONFIG_HZ of the kernel tcxlab follows (Debian's 250): jiffies from the monotonic clock (INITIAL_JIFFIES offsets are not modelled). */
export const HZ = 250n;

function printkMemory(call: HelperCall): PrintkMemory {
  const at = (addr: bigint): [number, number] => [Number(addr >> 32n) | 0, Number(addr & 0xffffffffn) | 0];
  return {
    readBytes(addr, size) {
      const [hi, lo] = at(addr);
      const v = call.mem.slice(hi, lo, size);
      return v ? v.slice() : undefined;
    },
    readString(addr, max) {
      const [hi, lo] = at(addr);
      let s = '';
      for (let i = 0; i < max; i++) {
        const b = call.mem.slice(hi, (lo + i) | 0, 1);
        if (b === undefined) return i === 0 ? undefined : s;
        if (b[0] === 0) return s;
        s += String.fromCharCode(b[0]);
      }
      return s;
    },
  };
}

/** u64 varargs from a data/data_len pair (trace_vprintk, snprintf): ≤ 12, multiple of 8. */
function varargs(call: HelperCall, dataArg: number, lenArg: number, name: CalleeName): bigint[] | undefined {
  const len = argU32(call, lenArg);
  if (len % 8 !== 0 || len > 96 || (len > 0 && argIsNull(call, dataArg))) return undefined;
  const bytes = argMem(call, dataArg, len, false, name);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out: bigint[] = [];
  for (let i = 0; i < len; i += 8) out.push(dv.getBigUint64(i, true));
  return out;
}

function emitTrace(call: HelperCall, fmt: Uint8Array, args: bigint[], max: number): void {
  const r = bprintf(fmt, args, max, printkMemory(call));
  if (!r.ok) return setR0(call, -r.errno);
  base(call).trace.push(r.text.slice(0, MAX_BPRINTF_BUF - 1));
  setR0(call, r.text.length);
}

const H = HELPER_IDS;

/** Base helpers keyed by helper id. */
export const baseHelpers: HelperFamily = {
  [H.bpf_ktime_get_ns]: (c) => setR0Big(c, base(c).clock.read()),
  [H.bpf_ktime_get_boot_ns]: (c) => setR0Big(c, base(c).clock.read() + base(c).clock.bootOffsetNs),
  [H.bpf_ktime_get_coarse_ns]: (c) => setR0Big(c, base(c).clock.read()),
  [H.bpf_ktime_get_tai_ns]: (c) => setR0Big(c, base(c).clock.read() + base(c).clock.taiOffsetNs),
  [H.bpf_jiffies64]: (c) => setR0Big(c, (base(c).clock.read() * HZ) / 1_000_000_000n),
  [H.bpf_get_prandom_u32]: (c) => setR0Big(c, BigInt(base(c).random.nextU32())),
  [H.bpf_get_smp_processor_id]: (c) => setR0(c, base(c).cpu),
  [H.bpf_get_numa_node_id]: (c) => setR0(c, 0),
  [H.bpf_get_current_pid_tgid]: (c) => setR0Big(c, (BigInt(base(c).tgid) << 32n) | BigInt(base(c).pid)),
  [H.bpf_get_current_uid_gid]: (c) => setR0Big(c, (BigInt(base(c).gid) << 32n) | BigInt(base(c).uid)),
  [H.bpf_get_current_comm]: (c) => {
    const size = argU32(c, 2);
    const buf = argMem(c, 1, size, true, 'bpf_get_current_comm');
    buf.fill(0);
    const comm = base(c).comm.slice(0, Math.max(0, size - 1));
    for (let i = 0; i < comm.length; i++) buf[i] = comm.charCodeAt(i) & 0xff;
    setR0(c, 0);
  },
  [H.bpf_trace_printk]: (c) => {
    const size = argU32(c, 2);
    const fmt = argMem(c, 1, size, false, 'bpf_trace_printk');
    emitTrace(c, fmt, [argU64(c, 3), argU64(c, 4), argU64(c, 5)], 3);
  },
  [H.bpf_trace_vprintk]: (c) => {
    const size = argU32(c, 2);
    const fmt = argMem(c, 1, size, false, 'bpf_trace_vprintk');
    const args = varargs(c, 3, 4, 'bpf_trace_vprintk');
    if (args === undefined) return setR0(c, -ERRNO.EINVAL);
    emitTrace(c, fmt, args, 12);
  },
  [H.bpf_snprintf]: (c) => {
    const size = argU32(c, 2);
    const args = varargs(c, 4, 5, 'bpf_snprintf');
    if (args === undefined) return setR0(c, -ERRNO.EINVAL);
    // The format is a NUL-terminated constant string (ARG_PTR_TO_CONST_STR): read up to its NUL.
    const fmtStr = printkMemory(c).readString(argU64(c, 3), 65536);
    if (fmtStr === undefined) throw helperFault(c, 'bpf_snprintf', 'format is not readable');
    const fmt = new Uint8Array(fmtStr.length + 1);
    for (let i = 0; i < fmtStr.length; i++) fmt[i] = fmtStr.charCodeAt(i);
    const r = bprintf(fmt, args, 12, printkMemory(c));
    if (!r.ok) return setR0(c, -r.errno);
    if (size > 0) {
      const out = argMem(c, 1, size, true, 'bpf_snprintf');
      const n = Math.min(r.text.length, size - 1);
      for (let i = 0; i < n; i++) out[i] = r.text.charCodeAt(i) & 0xff;
      out[n] = 0;
    }
    setR0(c, r.text.length + 1);
  },
  [H.bpf_strncmp]: (c) => {
    const size = argU32(c, 2);
    const a = argMem(c, 1, size, false, 'bpf_strncmp');
    const s2 = printkMemory(c).readString(argU64(c, 3), 65536) ?? '';
    // kernel strncmp(s1, s2, s1_sz): compares as unsigned chars, stops at NUL.
    for (let i = 0; i < size; i++) {
      const x = a[i];
      const y = i < s2.length ? s2.charCodeAt(i) : 0;
      if (x !== y) return setR0(c, x < y ? -1 : 1);
      if (x === 0) break;
    }
    setR0(c, 0);
  },
  ...byName(['bpf_probe_read_kernel'], (n) => (c) => probeRead(c, false, n)),
  ...byName(['bpf_probe_read_kernel_str'], (n) => (c) => probeRead(c, true, n)),
  ...byName(['bpf_strtol'], (n) => (c) => strto(c, true, n)),
  ...byName(['bpf_strtoul'], (n) => (c) => strto(c, false, n)),
};

/**
 * bpf_probe_read_kernel(dst, size, unsafe_ptr) [113]: copy_from_kernel_nofault — any readable
 * address works; a fault zeroes dst and returns -EFAULT. The _str form [115] copies up to and
 * including the NUL and returns the length with the NUL (strncpy_from_kernel_nofault).
 */
function probeRead(c: HelperCall, str: boolean, name: CalleeName): void {
  const size = argU32(c, 2);
  const dst = argMem(c, 1, size, true, name);
  const hi = c.regs.hi[3];
  const lo = c.regs.lo[3];
  if (!str) {
    const src = c.mem.slice(hi, lo, size);
    if (src === undefined) {
      dst.fill(0);
      return setR0(c, -ERRNO.EFAULT);
    }
    dst.set(src);
    return setR0(c, 0);
  }
  if (size === 0) return setR0(c, 0);
  for (let i = 0; i < size; i++) {
    const b = c.mem.slice(hi, (lo + i) | 0, 1);
    if (b === undefined) {
      dst.fill(0);
      return setR0(c, -ERRNO.EFAULT);
    }
    dst[i] = i === size - 1 ? 0 : b[0];
    if (b[0] === 0 || i === size - 1) return setR0(c, i + 1);
  }
}

/** bpf_strtol / bpf_strtoul (kernel/bpf/helpers.c __bpf_strtoull): flags = base 0, 8, 10 or 16. */
function strto(c: HelperCall, signed: boolean, name: CalleeName): void {
  const len = argSize(c, 2);
  const flags = argU64(c, 3);
  if (flags & ~0x1fn || len === Infinity) return setR0(c, -ERRNO.EINVAL);
  const baseArg = Number(flags & 0x1fn);
  if (baseArg !== 0 && baseArg !== 8 && baseArg !== 10 && baseArg !== 16) return setR0(c, -ERRNO.EINVAL);
  const buf = argMem(c, 1, len, false, name);
  let i = 0;
  while (i < len && (buf[i] === 0x20 || (buf[i] >= 9 && buf[i] <= 13))) i++;
  let neg = false;
  if (i < len && buf[i] === 0x2d) {
    if (!signed) return setR0(c, -ERRNO.EINVAL);
    neg = true;
    i++;
  }
  let radix = baseArg;
  const lower = (b: number): number => b | 0x20;
  if ((radix === 0 || radix === 16) && i + 1 < len && buf[i] === 0x30 && lower(buf[i + 1]) === 0x78) {
    radix = 16;
    i += 2;
  } else if (radix === 0) radix = i < len && buf[i] === 0x30 ? 8 : 10;
  const start = i;
  let v = 0n;
  while (i < len) {
    const b = lower(buf[i]);
    const d = b >= 0x30 && b <= 0x39 ? b - 0x30 : b >= 0x61 && b <= 0x66 ? b - 0x61 + 10 : 99;
    if (d >= radix) break;
    v = v * BigInt(radix) + BigInt(d);
    if (v > 0xffffffffffffffffn) return setR0(c, -ERRNO.ERANGE);
    i++;
  }
  if (i === start) return setR0(c, -ERRNO.EINVAL);
  if (signed) {
    if (!neg && v > 0x7fffffffffffffffn) return setR0(c, -ERRNO.ERANGE);
    if (neg && v > 0x8000000000000000n) return setR0(c, -ERRNO.ERANGE);
  }
  const res = neg ? -v : v;
  const out = argMem(c, 4, 8, true, name);
  new DataView(out.buffer, out.byteOffset, 8).setBigUint64(0, BigInt.asUintN(64, res), true);
  setR0(c, i);
}
