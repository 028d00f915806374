/**
 * @fileoverview BPF_PROG_TEST_RUN for sched_cls, offline: build the skb exactly as the kernel's
 * bpf_prog_test_run_skb does (src/skb/test-run.ts), run the program with r1 = the `__sk_buff`,
 * and hand back retval, data_out, ctx_out and what the helpers recorded.
 *
 * With `repeat` the same skb runs N times (kernel: bpf_test_run's loop), so packet and map
 * changes accumulate, and `durationNs` is the average wall time per run after a warm-up
 * (the first min(N/2, WARMUP_RUNS) runs are not timed).
 *
 * Timers: every program run takes `virtualRunNs` (default 1 µs) of the machine's monotonic clock
 * (timerHost(mem).clock, the one Collection.advanceClock moves), and the bpf_timers that expire
 * by the end of a run fire right after it — before the next repetition and before the test run
 * returns — as the kernel's hrtimer softirq does on the CPU that ran the program [measured:
 * test/goldens/kfuncs timer_*: 0 ns, 1 ns and 1 µs timers have always fired by the next run and
 * by the map dump; 100 µs and longer ones only when the wall clock happened to pass them;
 * docs/kfuncs.md "Timers around a test run"].
 */
import { tcActLabel, tcxRetName } from './tc-verdict.js';
import { ErrnoError, type VmFault } from '../vm/errors.js';
import type { Engine } from '../vm/engine.js';
import { compile } from '../vm/jit/index.js';
import { Memory } from '../vm/memory.js';
import type { LinkedProgram, StepHook } from '../vm/program.js';
import { defaultBaseState, type BaseRunState } from './helpers/base.js';
import type { TimerFiring } from './helpers/timer.js';
import {
  releaseSkbRunState,
  runSkbTestRun,
  type SkbExec,
  usesTstampType,
  type SkbEnv,
  type SkbRunState,
  type TestRunInput,
} from './skb/index.js';
import type { ErrnoName } from './uapi.js';
import { runTc, TC_RUN_VIRTUAL_NS, TcRunClock, tcRunOptions, type TcExecutable, type TcRunOptions } from './tc-run.js';

/** Options of one test run. */
export interface TestRunOptions extends TestRunInput {
  /** Runs on the same skb (default 1). */
  repeat?: number;
  engine?: Engine;
  /** Instruction budget per run. */
  budget?: number;
  /** The world around the skb (devices, FIB, ...). */
  env?: SkbEnv;
  /** Base helper state (clock, PRNG, CPU, trace sink); a fresh default one otherwise. */
  base?: BaseRunState;
  /** Called before every executed instruction (traces, coverage); runs use the interpreter then. */
  step?: StepHook;
  /**
   * Virtual monotonic time one program run takes (default TEST_RUN_VIRTUAL_NS, 1 µs): the clock
   * moves by it after each run and the timers due by then fire. 0: time stands still.
   */
  virtualRunNs?: bigint | number;
}

/** Default virtual duration of one program run in a test run (see the file comment). */
export const TEST_RUN_VIRTUAL_NS = TC_RUN_VIRTUAL_NS;

/** What a test run gives back (the syscall's outputs plus what tcxlab saw). */
export interface TestRunResult {
  /** 0, or the errno name the syscall would return (EINVAL, E2BIG, ...). */
  err: 0 | ErrnoName;
  /** r0 as u32 (what BPF_PROG_TEST_RUN reports). */
  retval?: number;
  /**
   * r0 as s32, the way tc and tcx read it: TC_ACT_UNSPEC and TCX_NEXT are -1 (retval says
   * 4294967295). Present whenever retval is.
   */
  verdict?: number;
  /** The verdict's TC_ACT_* name ("TC_ACT_SHOT"; a value without a name as a number). */
  verdictName?: string;
  /** What tcx makes of it (tcx_action_code): TCX_PASS, TCX_DROP, TCX_REDIRECT, or TCX_NEXT for every other value. */
  tcxVerdictName?: 'TCX_PASS' | 'TCX_DROP' | 'TCX_REDIRECT' | 'TCX_NEXT';
  /** The packet after the run; empty when the run failed (err or fault). */
  dataOut: Uint8Array;
  ctxOut?: Uint8Array;
  /** Average ns per run (wall clock of this machine; with repeat ≥ 2, of the runs after the warm-up: see testRun). */
  durationNs?: number;
  /** Instructions executed by the last run. */
  insns?: number;
  /** A VM fault ends the run: retval is absent, and the kernel would never have loaded this. */
  fault?: VmFault;
  /** bpf_trace_printk output. */
  trace: string[];
  /** The run state after the last run (redirect request, events, tunnel metadata, skb). */
  state?: SkbRunState & BaseRunState;
  /** bpf_timer callbacks that ran during the test run (after the program run that made them due). */
  timers?: TimerFiring[];
}

/** Most runs of a `repeat` test run spent on warm-up before the clock starts (see testRun). */
export const WARMUP_RUNS = 10_000;

/** prog->tstamp_type_access, computed once per linked program (the verifier's load-time scan). */
const tstampCache = new WeakMap<LinkedProgram, boolean>();
function tstampAccess(prog: LinkedProgram): boolean {
  let v = tstampCache.get(prog);
  if (v === undefined) tstampCache.set(prog, (v = usesTstampType(prog.code)));
  return v;
}

/** Run `prog` once (or `repeat` times) on a frame as BPF_PROG_TEST_RUN would. */
export function testRun(prog: LinkedProgram, mem: Memory, opts: TestRunOptions): TestRunResult {
  const base = opts.base ?? defaultBaseState();
  const engine = opts.engine ?? 'interp';
  let insns = 0;
  const runNs = BigInt(opts.virtualRunNs ?? TEST_RUN_VIRTUAL_NS);
  const timers: TimerFiring[] = [];
  // Everything a run needs is built on the first run and reused by every repeat (the kernel's
  // bpf_test_run loop does no per-iteration setup either): the run options, r1, and the result.
  let runOpts: TcRunOptions | undefined;
  // Timing: with N ≥ 2 runs the first min(N/2, WARMUP_RUNS) are warm-up (V8's optimising tiers
  // and the caches settle) and durationNs averages the rest; every run still happens, so results,
  // packet and maps are those of N runs. The clock covers the runs only, as bpf_test_timer does.
  const n = Math.max(1, opts.repeat ?? 1);
  const warm = n >= 2 ? Math.min(n >> 1, WARMUP_RUNS) : 0;
  let runNo = 0;
  let t0 = 0n;
  let t1 = 0n;
  let clock: TcRunClock | undefined;
  const exec: SkbExec = (state) => {
    // one run core with the datapath (src/tc-run.ts): r1, helper state, timer context, LD_ABS
    if (runOpts === undefined) {
      runOpts = tcRunOptions(state, base, opts);
      clock = new TcRunClock(mem, runNs);
    }
    if (runNo === warm) t0 = process.hrtime.bigint();
    const res = runTc(exe, mem, runOpts);
    if (++runNo === n) t1 = process.hrtime.bigint();
    insns = res.insns;
    // The run took runNs; the hrtimer softirq then runs what came due (before the next repeat).
    (clock as TcRunClock).elapsed(res, timers);
    return res;
  };
  // The kernel's duration excludes loading and JIT compilation: compile before the clock starts.
  const exe: TcExecutable = { prog, engine, jit: engine === 'jit' ? compile(prog) : undefined };
  let r;
  try {
    r = runSkbTestRun(mem, opts, exec, { env: opts.env, tstampTypeAccess: tstampAccess(prog) });
  } catch (e) {
    if (e instanceof ErrnoError) return { err: e.errno, dataOut: new Uint8Array(0), trace: base.trace, timers };
    throw e;
  }
  if (t1 === 0n) t1 = process.hrtime.bigint(); // a fault ended the runs early
  const durationNs = runNo > warm ? Number(t1 - t0) / (runNo - warm) : 0;
  const state = r.state as SkbRunState & BaseRunState;
  releaseSkbRunState(state);
  if (r.fault) return { err: 'EFAULT', fault: r.fault as VmFault, dataOut: new Uint8Array(0), insns, trace: base.trace, state, durationNs, timers };
  return {
    err: r.errno ?? 0,
    retval: r.retval,
    ...verdictOf(r.retval),
    dataOut: r.dataOut ?? new Uint8Array(0),
    ctxOut: r.ctxOut,
    durationNs,
    insns,
    trace: base.trace,
    state,
    timers,
  };
}

/** The signed verdict and its names for a u32 retval (none when there is no retval). */
export function verdictOf(retval: number | undefined): Pick<TestRunResult, 'verdict' | 'verdictName' | 'tcxVerdictName'> {
  if (retval === undefined) return {};
  const verdict = retval | 0;
  const tcx = tcxRetName(verdict);
  return { verdict, verdictName: tcActLabel(verdict), tcxVerdictName: tcx.startsWith('TCX_') ? (tcx as TestRunResult['tcxVerdictName']) : 'TCX_NEXT' };
}
