/**
 * @fileoverview bpf_timer (kernel/bpf/helpers.c: bpf_timer_init, _set_callback, _start, _cancel,
 * bpf_timer_cb) on the virtual clock.
 *
 * A `struct bpf_timer` lives inside a map value; the kernel hangs a bpf_hrtimer off it and hides
 * the field from syscall reads. Here the timer state is kept beside the map, keyed by the field's
 * VM address, and the 16 bytes are never written (a dump shows zeros there, as the kernel's does).
 *
 * Time does not pass by itself: `TimerHost.advance(ns)` (Collection.advanceClock) moves the
 * monotonic clock and fires every timer that expires on the way, earliest first, with the clock
 * set to each expiry while its callback runs — what the hrtimer softirq would have done.
 *
 * Rules [measured, test/goldens/helpers2 timer_cases]:
 *   init:   clock not MONOTONIC/REALTIME/BOOTTIME (or flags ≥ MAX_CLOCKS) -EINVAL; again -EBUSY
 *   set_callback / start / cancel on an uninitialised timer: -EINVAL
 *   start:  flags outside ABS|CPU_PIN -EINVAL; no callback -EINVAL
 *   cancel: from the timer's own callback -EDEADLK; otherwise forgets the callback (a later start
 *           is -EINVAL until set_callback again) and returns 1 if it was armed, else 0
 */
import type { CalleeName } from './args.js';
import { type HelperFamily } from './family.js';
import { ErrorCode, VmFault } from '../../vm/errors.js';
import { runProgram, type Engine } from '../../vm/engine.js';
import { HELPER_IDS as H } from '../../vm/helpers.js';
import { CallSrc, Op } from '../../vm/isa.js';
import { Memory, type Region } from '../../vm/memory.js';
import { CODE_HI, type DecodedProgram, type HelperCall, type HelperFn, type LinkedProgram } from '../../vm/program.js';
import type { BpfMap } from '../maps/types.js';
import { ERRNO } from '../uapi.js';
import { argMem, argU64, helperFault, setR0 } from './args.js';
import { defaultBaseState, VirtualClock, type BaseRunState } from './base.js';
import { argMap } from './maps.js';

/** Clock ids (uapi linux/time.h) and MAX_CLOCKS. */
export const CLOCK = { REALTIME: 0, MONOTONIC: 1, BOOTTIME: 7 } as const;
const MAX_CLOCKS = 16n;
/** bpf_timer_start flags (uapi bpf.h). */
export const BPF_F_TIMER_ABS = 1n;
export const BPF_F_TIMER_CPU_PIN = 2n;
/** REALTIME minus TAI (the 37 leap seconds since 1972). */
const TAI_MINUS_REALTIME_NS = 37_000_000_000n;

/** What a run state carries so that bpf_timer_set_callback knows which program the callback is in. */
export interface TimerRunContext {
  program: LinkedProgram;
  engine: Engine;
}
/** Run-state field read by the timer helpers (the tc run core, src/tc-run.ts, sets it). */
export interface TimerRunState {
  timerContext?: TimerRunContext;
}

interface TimerState {
  hi: number;
  off: number;
  map: BpfMap;
  clockId: number;
  ctx?: TimerRunContext;
  pc?: number;
  /** Monotonic expiry when armed. */
  expiresNs?: bigint;
  /** Arming order: equal expiries fire in the order they were armed. */
  seq: number;
  cpu: number;
}

/** One callback run by `advance`. */
export interface TimerFiring {
  map: string;
  /** Key of the element whose timer fired (hex). */
  key: string;
  /** Monotonic time of the expiry (the clock while the callback ran). */
  atNs: bigint;
  /** The callback's r0 (the verifier requires 0). */
  r0: bigint;
  fault?: VmFault;
  /** bpf_trace_printk lines of the callback. */
  trace: string[];
}

const NO_FIRINGS: readonly TimerFiring[] = Object.freeze([]);

const hex = (b: Uint8Array): string => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');

/** All timers of one Memory (one emulated machine) and the clock they run on. */
export class TimerHost {
  readonly clock = new VirtualClock();
  private readonly timers = new Map<string, TimerState>();
  private readonly trampolines = new WeakMap<LinkedProgram, Map<number, LinkedProgram>>();
  private running?: TimerState;
  private seq = 0;
  constructor(readonly mem: Memory) {}

  /** Time of `clockId` on the monotonic base: offsets from the VirtualClock. */
  private offsetOf(clockId: number): bigint {
    if (clockId === CLOCK.BOOTTIME) return this.clock.bootOffsetNs;
    if (clockId === CLOCK.REALTIME) return this.clock.taiOffsetNs - TAI_MINUS_REALTIME_NS;
    return 0n;
  }

  /** Number of armed timers. */
  get armed(): number {
    let n = 0;
    for (const t of this.timers.values()) if (t.expiresNs !== undefined) n++;
    return n;
  }

  /** Earliest armed expiry (monotonic ns), if any. */
  nextExpiry(): bigint | undefined {
    return this.earliest()?.expiresNs;
  }

  private earliest(): TimerState | undefined {
    let best: TimerState | undefined;
    for (const t of this.timers.values()) {
      if (t.expiresNs === undefined) continue;
      if (!best || t.expiresNs < best.expiresNs! || (t.expiresNs === best.expiresNs && t.seq < best.seq)) best = t;
    }
    return best;
  }

  /**
   * Move the monotonic clock forward by `ns` (≥ 0), firing every timer due on the way, in expiry
   * order. A callback that re-arms its timer within the window fires again. Returns the firings.
   */
  /**
   * advance(ns) for the clock step after every program run: with no timer armed nothing can fire,
   * so the clock moves without allocating (`ns` a non-negative safe integer). Returns the firings
   * (a shared empty array when there are none).
   */
  tick(ns: number): readonly TimerFiring[] {
    if (this.timers.size === 0) {
      this.clock.skip(ns);
      return NO_FIRINGS;
    }
    return this.advance(ns);
  }

  advance(ns: bigint | number): TimerFiring[] {
    const d = BigInt(ns);
    if (d < 0n) throw new RangeError('advanceClock: time does not run backwards');
    const target = this.clock.monoNs + d;
    const out: TimerFiring[] = [];
    for (;;) {
      const t = this.earliest();
      if (t === undefined || t.expiresNs! > target) break;
      if (t.expiresNs! > this.clock.monoNs) this.clock.monoNs = t.expiresNs!;
      t.expiresNs = undefined;
      const f = this.fire(t);
      if (f) out.push(f);
    }
    this.clock.monoNs = target;
    return out;
  }

  /** The map element holding the timer: key and value pointers, or undefined once deleted. */
  private locate(t: TimerState): { kr: Region; ko: number; vr: Region; vo: number } | undefined {
    let found: { kr: Region; ko: number; vr: Region; vo: number } | undefined;
    t.map.forEachElem(t.cpu, (kr, ko, vr, vo) => {
      if (vr.hi === t.hi && t.off >= vo && t.off < vo + t.map.valueSize) {
        found = { kr, ko, vr, vo };
        return true;
      }
      return false;
    });
    return found;
  }

  /** bpf_timer_cb: callback(map, key, value) with the timer marked running (for -EDEADLK). */
  private fire(t: TimerState): TimerFiring | undefined {
    const el = this.locate(t);
    // A deleted element frees its timer in the kernel (bpf_obj_free_timer): drop it.
    if (el === undefined || t.ctx === undefined || t.pc === undefined) {
      if (el === undefined) this.timers.delete(`${t.hi}:${t.off}`);
      return undefined;
    }
    const key = hex(el.kr.bytes.slice(el.ko, el.ko + t.map.keySize));
    const base: BaseRunState & TimerRunState = { ...defaultBaseState(), clock: this.clock, cpu: t.cpu, timerContext: t.ctx };
    const prev = this.running;
    this.running = t;
    try {
      const res = runProgram(
        this.trampoline(t.ctx.program, t.pc),
        this.mem,
        {
          args: [
            [Memory.lo(0), t.map.handle.hi],
            [Memory.lo(el.ko), el.kr.hi],
            [Memory.lo(el.vo), el.vr.hi],
          ],
          run: base,
        },
        t.ctx.engine,
      );
      return { map: t.map.name, key, atNs: this.clock.monoNs, r0: res.r0, fault: res.fault, trace: base.trace };
    } finally {
      this.running = prev;
    }
  }

  /**
   * A program that calls the subprogram at `pc` and exits: the original code with slot 0 turned
   * into `ja` to two appended slots `call pc; exit`. Every other slot is unchanged, so relative
   * jumps and calls, and absolute callback pointers (CODE_HI:pc), keep their meaning. Slot 0
   * belongs to the main program, which a callback never runs.
   */
  private trampoline(prog: LinkedProgram, pc: number): LinkedProgram {
    let byPc = this.trampolines.get(prog);
    if (!byPc) this.trampolines.set(prog, (byPc = new Map()));
    const hit = byPc.get(pc);
    if (hit) return hit;
    const c = prog.code;
    const n = c.length;
    const grow = <T extends Uint8Array | Int16Array | Int32Array>(a: T, extra: number[]): T => {
      const b = new (a.constructor as new (k: number) => T)(n + 2);
      b.set(a);
      b[n] = extra[0];
      b[n + 1] = extra[1];
      return b;
    };
    const code: DecodedProgram = {
      length: n + 2,
      op: grow(c.op, [Op.CALL, Op.EXIT]),
      dst: grow(c.dst, [0, 0]),
      src: grow(c.src, [CallSrc.BPF_PSEUDO_CALL, 0]),
      off: grow(c.off, [0, 0]),
      imm: grow(c.imm, [pc - (n + 1), 0]),
    };
    code.op[0] = Op.JA;
    code.dst[0] = 0;
    code.src[0] = 0;
    code.off[0] = n - 1;
    code.imm[0] = 0;
    const t: LinkedProgram = { ...prog, code, name: `${prog.name}/timer@${pc}` };
    byPc.set(pc, t);
    return t;
  }

  // ---- helper side ----

  get(hi: number, off: number): TimerState | undefined {
    return this.timers.get(`${hi}:${off}`);
  }

  init(hi: number, off: number, map: BpfMap, clockId: number, cpu: number): number {
    if (this.get(hi, off)) return -ERRNO.EBUSY;
    this.timers.set(`${hi}:${off}`, { hi, off, map, clockId, seq: 0, cpu });
    this.watch(map);
    return 0;
  }

  /** Drop (cancel and free) the timers inside the value at (hi, offset) of `map`. */
  private freeTimersIn(map: BpfMap, hi: number, off: number): void {
    for (const [k, t] of this.timers) {
      if (t.map === map && t.hi === hi && t.off >= off && t.off < off + map.valueSize) this.timers.delete(k);
    }
  }

  private readonly watched = new WeakSet<BpfMap>();
  /**
   * Updating or deleting an element frees its timers: array_map_update_elem and the hash paths
   * call bpf_obj_free_fields on the old value [measured: after an update, cancel is -EINVAL and
   * init 0 again]. The map types know nothing of timers, so the map's update/delete entry points
   * are wrapped, once per map, to drop the timers of the element they replace.
   */
  private watch(map: BpfMap): void {
    if (this.watched.has(map)) return;
    this.watched.add(map);
    // Found by walking the elements (a lookup would touch LRU state); only while the map has timers.
    const where = (key: Uint8Array, cpu: number): [number, number] | undefined => {
      let has = false;
      for (const t of this.timers.values()) if (t.map === map) has = true;
      if (!has) return undefined;
      let at: [number, number] | undefined;
      map.forEachElem(cpu, (kr, ko, vr, vo) => {
        for (let i = 0; i < map.keySize; i++) if (kr.bytes[ko + i] !== key[i]) return false;
        at = [vr.hi, vo];
        return true;
      });
      return at;
    };
    const wrap = <A extends unknown[], R>(fn: (key: Uint8Array, ...rest: A) => R, cpuOf: (rest: A) => number, ok: (r: R) => boolean) =>
      (key: Uint8Array, ...rest: A): R => {
        const at = where(key, cpuOf(rest));
        const r = fn.call(map, key, ...rest);
        if (at && ok(r)) this.freeTimersIn(map, at[0], at[1]);
        return r;
      };
    const m = map as unknown as Record<string, unknown>;
    m.updateElem = wrap(map.updateElem as (k: Uint8Array, v: Uint8Array, f: number, c: number) => number, (r) => r[2], (r) => r === 0);
    m.deleteElem = wrap(map.deleteElem as (k: Uint8Array, c: number) => number, (r) => r[0], (r) => r === 0);
    // Host side (bpf(2)): throws on failure, so returning means success.
    m.update = wrap(map.update as (k: Uint8Array, v: unknown, f?: number) => void, () => 0, () => true);
    m.delete = wrap(map.delete as (k: Uint8Array) => void, () => 0, () => true);
  }

  start(t: TimerState, nsecs: bigint, flags: bigint): number {
    const s = BigInt.asIntN(64, nsecs);
    // hrtimer_start: ABS times are in the timer's clock; REL is added to now (ktime_add_safe).
    t.expiresNs = flags & BPF_F_TIMER_ABS ? s - this.offsetOf(t.clockId) : this.clock.monoNs + s;
    t.seq = ++this.seq;
    return 0;
  }

  cancel(t: TimerState): number {
    if (this.running === t) return -ERRNO.EDEADLK;
    // drop_prog_refcnt: the callback is forgotten; then hrtimer_cancel's "was active".
    t.ctx = undefined;
    t.pc = undefined;
    const was = t.expiresNs !== undefined;
    t.expiresNs = undefined;
    return was ? 1 : 0;
  }
}

const hosts = new WeakMap<Memory, TimerHost>();
/** The TimerHost of a Memory (created on first use). */
export function timerHost(mem: Memory): TimerHost {
  let h = hosts.get(mem);
  if (!h) hosts.set(mem, (h = new TimerHost(mem)));
  return h;
}

/** The bpf_timer at argument r1 (16 bytes of map memory): its address as (hi, offset). */
function timerAddr(c: HelperCall, name: CalleeName): [number, number] {
  argMem(c, 1, 16, true, name);
  return [c.regs.hi[1], Memory.offsetOf(c.regs.lo[1])];
}

const timerInit: HelperFn = (c) => {
  const [hi, off] = timerAddr(c, 'bpf_timer_init');
  const map = argMap(c, 2, 'bpf_timer_init');
  const flags = argU64(c, 3);
  const clockId = Number(flags & (MAX_CLOCKS - 1n));
  if (flags >= MAX_CLOCKS || (clockId !== CLOCK.MONOTONIC && clockId !== CLOCK.REALTIME && clockId !== CLOCK.BOOTTIME)) {
    return setR0(c, -ERRNO.EINVAL);
  }
  const cpu = (c.run as Partial<BaseRunState> | undefined)?.cpu ?? 0;
  setR0(c, timerHost(c.mem).init(hi, off, map, clockId, cpu));
};

const timerSetCallback: HelperFn = (c) => {
  const [hi, off] = timerAddr(c, 'bpf_timer_set_callback');
  if (c.regs.hi[2] !== CODE_HI) throw helperFault(c, 'bpf_timer_set_callback', 'argument r2 is not a callback pointer');
  const t = timerHost(c.mem).get(hi, off);
  if (t === undefined) return setR0(c, -ERRNO.EINVAL);
  const ctx = (c.run as TimerRunState | undefined)?.timerContext;
  // The callback pointer is an instruction index of the running program; after a tail call that
  // is another program, which the helper cannot name.
  if (ctx === undefined || (c.tailCalls ?? 0) > 0) {
    throw new VmFault(
      ErrorCode.UnsupportedHelper,
      'bpf_timer_set_callback: callbacks are only supported in runs through the tc run core (testRun, Collection.run, host.send), before any tail call',
      c.insnIndex,
      Op.CALL,
    );
  }
  t.ctx = ctx;
  t.pc = c.regs.lo[2] >>> 0;
  setR0(c, 0);
};

const timerStart: HelperFn = (c) => {
  const [hi, off] = timerAddr(c, 'bpf_timer_start');
  const nsecs = argU64(c, 2);
  const flags = argU64(c, 3);
  if (flags & ~(BPF_F_TIMER_ABS | BPF_F_TIMER_CPU_PIN)) return setR0(c, -ERRNO.EINVAL);
  const host = timerHost(c.mem);
  const t = host.get(hi, off);
  if (t === undefined || t.ctx === undefined) return setR0(c, -ERRNO.EINVAL);
  setR0(c, host.start(t, nsecs, flags));
};

const timerCancel: HelperFn = (c) => {
  const [hi, off] = timerAddr(c, 'bpf_timer_cancel');
  const host = timerHost(c.mem);
  const t = host.get(hi, off);
  if (t === undefined) return setR0(c, -ERRNO.EINVAL);
  setR0(c, host.cancel(t));
};

export const timerHelpers: HelperFamily = {
  [H.bpf_timer_init]: timerInit,
  [H.bpf_timer_set_callback]: timerSetCallback,
  [H.bpf_timer_start]: timerStart,
  [H.bpf_timer_cancel]: timerCancel,
};
