/**
 * @fileoverview `tcxlab net SCENARIO [--json] [--quiet]`: run a network scenario (ip / tc /
 * bpftool lines, `send` frames) on an emulated host and print each step: packet traces,
 * `tc filter show` and `bpftool net show` listings, map dumps, errors with their errno.
 * The scenario language is described in src/net/scenario.ts and the README (section net).
 * Exit status 1 when a step failed (an errno), 2 on a usage error.
 */
import type { Engine } from '../../../vm/engine.js';
import { BpfError } from '../../../vm/errors.js';
import { runScenario, ScenarioError, type ScenarioStep } from '../../net/scenario.js';
import type { NetTrace, TraceEvent } from '../../net/trace.js';
import { faultJson } from '../../tc-run.js';
import type { CliIo } from '../io.js';
import { writePcapOut } from '../frames.js';
import { HookCapture } from '../../pcap/hook-capture.js';
import { verifyMode } from '../args.js';
import { mockFromOptions } from '../mock-options.js';

/** A trace event as JSON: no frame bytes, faults as {code, insn, message}. */
function eventJson(e: TraceEvent): unknown {
  if (e.kind !== 'hook') return e;
  const runs = <T extends { fault?: BpfError }>(rs: T[]): unknown[] => rs.map((r) => (r.fault ? { ...r, fault: faultJson(r.fault) } : r));
  return { ...e, frame: undefined, tcx: runs(e.tcx), classic: e.classic && { ...e.classic, runs: runs(e.classic.runs) } };
}

/** A step as JSON (the trace without frames' bytes as arrays). */
function stepJson(s: ScenarioStep): Record<string, unknown> {
  const o: Record<string, unknown> = { line: s.line, cmd: s.cmd, rc: s.rc };
  if (s.errno) o.errno = s.errno;
  if (s.delivered !== undefined) o.delivered = s.delivered;
  if (s.value !== undefined) o.value = s.value;
  if (s.trace) {
    o.trace = {
      events: s.trace.events.map(eventJson),
      fates: s.trace.fates.map(({ device: _d, ...f }) => ({ ...f, frame: Buffer.from(f.frame).toString('hex') })),
    };
  }
  if (s.text !== undefined && !s.trace) o.text = s.text;
  return o;
}

/** `tcxlab net`: the command's action (its arguments and options are defined in src/cli/program.ts). */
export async function action(io: CliIo, file: string, opts: { json?: boolean; quiet?: boolean; engine: Engine; pcapOut?: string; verify?: unknown; env?: string; mockTime?: string; seed?: string }): Promise<void> {
  let text: string;
  try {
    text = file === '-' ? await io.stdin('scenario') : Buffer.from(io.readFile(file, 'scenario')).toString('utf8');
  } catch (e) {
    io.err(`tcxlab net: ${file}: ${e instanceof Error ? e.message : String(e)}\n`);
    io.exitCode = 2;
    return;
  }
  let steps: ScenarioStep[];
  const cap = opts.pcapOut !== undefined ? new HookCapture() : undefined;
  const onSend = cap && ((t: NetTrace, i: { line: number; frame: number; dev: string; dir: string; timestampNs?: bigint }) => cap.addNetTrace(t, `line ${i.line} send ${i.dev} ${i.dir} frame ${i.frame}`, i.timestampNs));
  try {
    steps = runScenario(text, {
      readFile: (p) => io.readFile(p),
      file: file === '-' ? undefined : file,
      engine: opts.engine,
      onSend,
      verify: verifyMode(opts),
      mock: mockFromOptions(io, opts),
      onVerifierWarning: (w) => io.err(`tcxlab net: warning: the verifier rejects ${w.program} (running it anyway, --verify=warn): ${w.error.message.split('\n')[0]}\n`),
    }).steps;
  } catch (e) {
    if (!(e instanceof BpfError)) throw e;
    // the lines that ran before the one that stopped the scenario are still worth seeing
    if (e instanceof ScenarioError) printSteps(io, e.steps, opts);
    io.err(`tcxlab net: ${e.message}\n`);
    io.exitCode = 2;
    return;
  } finally {
    // what ran before a failing line is written too
    if (cap && opts.pcapOut !== undefined) writePcapOut(opts.pcapOut, cap.bytes());
  }
  printSteps(io, steps, opts);
  if (steps.some((s) => s.rc !== 0)) io.exitCode = 1;
}

function printSteps(io: CliIo, steps: ScenarioStep[], opts: { json?: boolean; quiet?: boolean }): void {
  for (const s of steps) {
    if (opts.json) {
      io.out(`${JSON.stringify(stepJson(s))}\n`);
      continue;
    }
    const interesting = s.rc !== 0 || s.text !== undefined || s.value !== undefined;
    if (opts.quiet && !interesting) continue;
    io.out(`$ ${s.cmd}\n`);
    if (s.rc !== 0) io.out(`Error: ${s.msg ?? s.errno}\n`);
    if (s.text) io.out(`${s.text}\n`);
    if (s.delivered !== undefined) io.out(`  delivered to a local socket: ${s.delivered}\n`);
    if (s.value !== undefined) io.out(`  ${s.value}\n`);
  }
}
