/**
 * @fileoverview One run of a tc program on an skb: the core that `testRun` (BPF_PROG_TEST_RUN,
 * src/test-run.ts) and the datapath (a tcx program or cls_bpf filter on a hook,
 * src/net/datapath.ts) share, so that a program sees the same world on both paths:
 *
 *   r1            the `__sk_buff` of the skb run state (ctxArg)
 *   HelperCall.run the skb run state joined with the base state (clock, PRNG, CPU, trace sink)
 *                 and the timer context (bpf_timer_set_callback resolves callbacks in the
 *                 running program: helpers/timer.ts)
 *   packet        LD_ABS/LD_IND read the skb's current layout (skb/ld-abs.ts)
 *
 * and, after a run without a fault, the program's virtual run time passes on the machine's
 * monotonic clock and the bpf_timers due by then fire, as the hrtimer softirq does on the CPU
 * that ran the program (docs/kfuncs.md "Timers around a test run").
 *
 * A fault is returned as the VmFault of the run (code, instruction index); callers keep it typed.
 */
import { runProgram, type Engine } from '../vm/engine.js';
import { VmFault, type BpfError } from '../vm/errors.js';
import type { CompiledProgram } from '../vm/jit/index.js';
import { interpretCode, VmRunResult } from '../vm/interpreter.js';
import { interpCode, type InterpCode } from '../vm/interp-code.js';
import type { Memory } from '../vm/memory.js';
import type { LinkedProgram, RunOptions, RunResult, StepHook } from '../vm/program.js';
import type { BaseRunState } from './helpers/base.js';
import { timerHost, type TimerFiring, type TimerHost, type TimerRunContext, type TimerRunState } from './helpers/timer.js';
import { ctxArg, type SkbRunState } from './skb/index.js';
import { skbPacketProvider } from './skb/ld-abs.js';

/** What the helpers see as `HelperCall.run` during a tc program run. */
export type TcRunState = SkbRunState & BaseRunState & TimerRunState;

/** Run options whose run state is a TcRunState. */
export type TcRunOptions = RunOptions & { run: TcRunState };

/** Default virtual duration of one program run (1 µs; see the file comment). */
export const TC_RUN_VIRTUAL_NS = 1000n;

/** What runs: the linked program, its engine, and (engine 'jit') its compiled form if the caller compiled it ahead. */
export interface TcExecutable {
  prog: LinkedProgram;
  engine: Engine;
  jit?: CompiledProgram;
  /** (engine 'interp') the program's InterpCode, held here so a run need not look it up. */
  interp?: InterpCode;
  /** The timer context of its runs, made on the first (runs alternating programs allocate none). */
  timerContext?: TimerRunContext;
}

/**
 * The run options of every run on one skb run state: the helpers get the skb state with the
 * base state's fields added (SkbRunState and BaseRunState share no field names), r1 is the
 * `__sk_buff`, LD_ABS reads the skb. Built once and reused by every run on that state.
 */
export function tcRunOptions(state: SkbRunState, base: BaseRunState, opts: { budget?: number; step?: StepHook } = {}): TcRunOptions {
  const run = Object.assign(state, base) as TcRunState;
  return {
    args: [ctxArg(state)],
    run,
    budget: opts.budget,
    packet: skbPacketProvider(state.skb),
    step: opts.step,
    result: new VmRunResult(0, 0, 0),
  };
}

/** Run `x` once with `runOpts` (made by tcRunOptions; the result object is reused). */
export function runTc(x: TcExecutable, mem: Memory, runOpts: TcRunOptions): RunResult {
  // (kept small: the netdev's run path inlines it, within V8's inlining budget)
  runOpts.run.timerContext = x.timerContext ?? timerContextOf(x);
  if (x.jit !== undefined) return x.jit.run(mem, runOpts);
  return x.engine === 'interp' ? interpretCode(x.interp ?? interpOf(x), mem, runOpts) : runProgram(x.prog, mem, runOpts, x.engine);
}

/** The InterpCode of `x`, made on its first interpreted run and held by it. */
function interpOf(x: TcExecutable): InterpCode {
  return (x.interp = interpCode(x.prog));
}

/** The timer context of `x`'s runs, made on its first (runs alternating programs allocate none). */
function timerContextOf(x: TcExecutable): TimerRunContext {
  return (x.timerContext = { program: x.prog, engine: x.engine });
}

/**
 * A run's virtual duration as tcRunElapsed takes it cheapest: a number when it is a non-negative
 * safe integer (the clock then moves without a BigInt), else the bigint itself.
 */
export function tcRunStep(runNs: bigint): number | bigint {
  return runNs >= 0n && runNs <= MAX_SAFE_NS ? Number(runNs) : runNs;
}

/**
 * After a run: unless it faulted, `runNs` pass on the monotonic clock of the machine whose timers
 * `host` has (timerHost of the run's Memory) and the timers due by then fire (their callbacks
 * run now); their firings are appended to `fired`. A number `runNs` must come from tcRunStep.
 */
export function tcRunElapsed(res: RunResult, runNs: bigint | number, fired: TimerFiring[], host: TimerHost): void {
  if (res.fault !== undefined) return;
  // A step that is an exact number goes through TimerHost.tick, which allocates nothing (no
  // BigInt, no array) when no timer is armed: the steady state of a repeated run. (Small: the
  // netdev's run path inlines it within V8's budget; the rest is in elapsedBig and fire.)
  const f = typeof runNs === 'number' ? host.tick(runNs) : elapsedBig(host, runNs);
  if (f.length !== 0) fire(fired, f);
}

/** tcRunElapsed's bigint step: tcRunStep first (a safe one still ticks). */
function elapsedBig(host: TimerHost, runNs: bigint): readonly TimerFiring[] {
  const step = tcRunStep(runNs);
  return typeof step === 'number' ? host.tick(step) : host.advance(step);
}

/** Append a run's timer firings (out of tcRunElapsed: a spread call is long bytecode). */
function fire(fired: TimerFiring[], f: readonly TimerFiring[]): void {
  fired.push(...f);
}
const MAX_SAFE_NS = BigInt(Number.MAX_SAFE_INTEGER);

/**
 * tcRunElapsed for a loop of runs on one Memory with one run time (a repeated test run): the
 * timer host and the step are looked up once, not per run.
 */
export class TcRunClock {
  private readonly host: TimerHost;
  private readonly step: number | bigint;
  constructor(mem: Memory, runNs: bigint) {
    this.host = timerHost(mem);
    this.step = tcRunStep(runNs);
  }
  elapsed(res: RunResult, fired: TimerFiring[]): void {
    tcRunElapsed(res, this.step, fired, this.host);
  }
}

/**
 * A program fault as JSON (`run`, `test`, `net --json`): its code, instruction index and message
 * (JSON.stringify of the error itself would drop the message, which is not enumerable).
 */
export function faultJson(f: VmFault): { code: string; insn: number; message: string };
export function faultJson(f: BpfError): { code: string; insn?: number; message: string };
export function faultJson(f: BpfError): { code: string; insn?: number; message: string } {
  return f instanceof VmFault ? { code: f.code, insn: f.insnIndex, message: f.message } : { code: f.code, message: f.message };
}
