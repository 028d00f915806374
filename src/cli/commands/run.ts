/**
 * @fileoverview `tcxlab run OBJ PROG PACKETS_FILE [--ctx HEX] [--ctx-out] [--set MAP KEY VAL]...
 * [--engine auto|interp|jit] [--repeat N] [--cpu N] [--type T] [--pretty] [--kernel]`
 *
 * `--kernel`: the same run in the real kernel too, and the differences instead of the JSON
 * (src/kernel-parity, docs/kernel-parity.md).
 *
 * Prints one JSON object of exactly the shape `oracle run` prints (docs/kernel-oracle.md §2), so a
 * run can be diffed against the real kernel with one command:
 *
 *   {"prog","cpu","programs":[{name,section,type,type_name}],"runs":[...],"maps":{...}}
 */
import { ErrorCode, UsageError, VerifierError } from '../../../vm/errors.js';
import { chooseEngine, type EngineChoice } from '../../../vm/engine.js';
import { defaultBaseState } from '../../helpers/base.js';
import type { Collection } from '../../collection.js';
import { toHex } from '../../maps/bytes.js';
import { faultJson } from '../../tc-run.js';
import { testRun, type TestRunResult } from '../../test-run.js';
import type { VariableValue } from '../../variables.js';
import { ERRNO, progTypeName } from '../../uapi.js';
import type { CliIo } from '../io.js';
import { fromHex, LoadFailure, loadForRun, parseSets, parseVars, type PacketLine, type SetArg } from '../load.js';
import { checkArgOrder, tryRead, verifyMode, type VerifyMode } from '../args.js';
import { readPacketsFile, reportInputError, writePcapOut } from '../frames.js';
import type { InputFrame } from '../../pcap/input.js';
import { mockBaseState, mockSkbEnv, type MockEnv } from '../../mock-env.js';
import { mockFromOptions } from '../mock-options.js';

/** Map dumps in `run` output: bytes of one value shown at most, and of all maps together. */
export const DUMP_VALUE_BYTES = 1 << 20;
export const DUMP_TOTAL_BYTES = 16 << 20;

/** Run the oracle-compatible `run` job and return its JSON object. */
export function runJob(
  objBytes: Uint8Array,
  objPath: string,
  progName: string,
  packets: PacketLine[],
  opts: {
    ctx?: string;
    ctxOut?: boolean;
    sets?: SetArg[];
    /** `--var NAME=VALUE` (LoadRunOptions.vars). */
    vars?: ReadonlyMap<string, VariableValue>;
    /** LoadRunOptions.mock. */
    mock?: MockEnv;
    engine?: EngineChoice;
    repeat?: number;
    cpu?: number;
    type?: string;
    btf?: Uint8Array;
    /** Called after each run (--pcap-out). */
    onRun?: (p: PacketLine, r: TestRunResult) => void;
    verify?: VerifyMode;
    /** Warnings (verification let through, dumps cut) as lines; the JSON keeps the oracle's shape. */
    warn?: (line: string) => void;
    /** Entries dumped per map (the oracle's --max-entries, default 4096). */
    maxEntries?: number;
    /** Called with the collection after the runs, before the maps are dumped (`map dump`). */
    onCollection?: (coll: Collection) => void;
    /** false: leave `maps` empty (the caller dumps what it wants from `onCollection`). */
    dumpMaps?: boolean;
  },
): Record<string, unknown> {
  let coll: Collection;
  try {
    coll = loadForRun(objBytes, objPath, progName, opts.sets ?? [], { type: opts.type, btf: opts.btf, verify: opts.verify, warn: opts.warn, vars: opts.vars, mock: opts.mock });
  } catch (e) {
    if (!(e instanceof LoadFailure)) throw e;
    // As `oracle run` does when the object does not load: one error object (exit status 1).
    // tcxlab's own refusals (a kfunc or map type it lacks) say ENOTSUPP, as unsupported map types do.
    const errname = e.reason instanceof VerifierError ? 'EACCES' : e.reason.code === ErrorCode.Unsupported ? 'ENOTSUPP' : 'EINVAL';
    return { error: 'load', errno: ERRNO[errname], errname, message: objPath, log: e.reason.message };
  }
  const spec = coll.spec;
  const prog = coll.program(progName);
  const cpu = opts.cpu ?? 0;
  if (!(Number.isInteger(cpu) && cpu >= 0 && cpu < coll.mapEnv.ncpus)) throw new UsageError(`--cpu ${cpu}: the emulated machine has CPUs 0..${coll.mapEnv.ncpus - 1}`);
  const base = coll.mock ? mockBaseState(coll.mock) : defaultBaseState();
  base.cpu = cpu;
  const env = coll.mock ? mockSkbEnv(coll.mock) : undefined;
  const ctxIn = opts.ctx !== undefined ? fromHex(opts.ctx) : undefined;
  const runs: Record<string, unknown>[] = [];
  const list = opts.repeat !== undefined ? packets.slice(0, 1) : packets;
  const engine = chooseEngine(opts.engine ?? 'auto', opts.repeat ?? list.length);
  for (const p of list) {
    const r = testRun(prog.linked, coll.mem, {
      data: p.data,
      ctxIn,
      ctxOut: opts.ctxOut,
      repeat: opts.repeat,
      engine,
      base,
      env,
    });
    opts.onRun?.(p, r);
    const run: Record<string, unknown> = { line: p.line, data_size_in: p.data.length };
    if (r.fault) {
      run.err = ERRNO.EFAULT;
      run.errname = 'EFAULT';
      run.fault = faultJson(r.fault);
    } else if (r.err !== 0) {
      run.err = ERRNO[r.err];
      run.errname = r.err;
    } else {
      run.err = 0;
      run.retval = r.retval;
      run.retval_s32 = (r.retval ?? 0) | 0;
      run.data_size_out = r.dataOut?.length ?? 0;
      run.data_out = toHex(r.dataOut ?? new Uint8Array(0));
      if (r.ctxOut) run.ctx_out = toHex(r.ctxOut);
      if (opts.repeat !== undefined) run.duration_ns = Math.round(r.durationNs ?? 0);
    }
    if (r.trace.length) run.trace = r.trace.splice(0);
    runs.push(run);
  }
  opts.onCollection?.(coll);
  // Names come from the object: a map called __proto__ must be a key like any other.
  const maps: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  let budget = DUMP_TOTAL_BYTES;
  for (const m of opts.dumpMaps === false ? [] : coll.mapList) {
    const d = m.dumpJson({ maxEntries: opts.maxEntries, maxValueBytes: DUMP_VALUE_BYTES, maxBytes: Math.max(budget, 0) });
    for (const [, v] of d.entries) for (const x of v === null ? [] : Array.isArray(v) ? v : [v]) budget -= x.length / 2;
    if (d.value_bytes_shown !== undefined) opts.warn?.(`note: map ${m.name}: values cut to their first ${d.value_bytes_shown} bytes in the dump`);
    if (d.truncated) opts.warn?.(`note: map ${m.name}: dump truncated after ${d.entries.length} entries (--max-entries, or ${DUMP_TOTAL_BYTES} value bytes for all maps)`);
    Object.defineProperty(maps, m.name, { value: d, enumerable: true, writable: true, configurable: true });
  }
  return {
    prog: progName,
    cpu,
    programs: spec.programs.map((p) => ({ name: p.name, section: p.section, type: p.type.id, type_name: progTypeName(p.type.id) })),
    // as `oracle run --repeat N` prints it (benchmark mode: the first packet only)
    ...(opts.repeat !== undefined ? { repeat: opts.repeat } : {}),
    runs,
    maps,
  };
}

/** `tcxlab run`: the command's action (its arguments and options are defined in src/cli/program.ts). */
export async function action(io: CliIo, obj: string, prog: string, packetsFile: string, o: Record<string, unknown>): Promise<void> {
  checkArgOrder('run', obj, prog, packetsFile, tryRead(io.readFile));
  // Imported only with --kernel and --pcap-out: most runs need neither (a cold start loads less).
  const parity = o.kernel ? await import('../../kernel-parity/index.js') : undefined;
  if (parity) {
    const { kernelRefusal, KERNEL_UNAVAILABLE_EXIT } = parity;
    for (const [k, flag] of [['env', '--env'], ['mockTime', '--mock-time'], ['seed', '--seed']] as const) {
      if (o[k] !== undefined) throw new UsageError(`--kernel cannot be combined with ${flag}: the kernel's clock, prandom, FIB and sockets are its own`);
    }
    // Say at once when the kernel cannot be asked, before any work (src/kernel-parity/job.ts).
    const refusal = kernelRefusal();
    if (refusal !== undefined) {
      io.err(`${refusal}\n`);
      io.exitCode = KERNEL_UNAVAILABLE_EXIT;
      return;
    }
    for (const [k, flag] of [['var', '--var'], ['btf', '--btf']] as const) {
      if (o[k] !== undefined) throw new UsageError(`--kernel cannot be combined with ${flag}: bpftool loads the object as it is`);
    }
    if (o.type !== undefined && o.type !== 'sched_cls') throw new UsageError('--kernel loads every program as sched_cls (bpftool ... type classifier): --type must be sched_cls or left out');
  }
  const sets = parseSets(o.set as string[] | undefined);
  const vars = parseVars(o.var as string[] | undefined);
  const input = readPacketsFile(io, packetsFile);
  const objBytes = io.readFile(obj, 'object');
  const cap = o.pcapOut !== undefined ? new (await import('../../pcap/hook-capture.js')).HookCapture() : undefined;
  const what = input.format === 'hex' ? 'line' : 'frame';
  const result = runJob(objBytes, obj, prog, input.frames, {
    onRun: cap && ((p, r) => cap.addTestRun(prog, `${packetsFile} ${what} ${p.line}`, p.data, r, (p as InputFrame).timestampNs)),
    ctx: o.ctx as string | undefined,
    ctxOut: Boolean(o.ctxOut),
    sets,
    vars,
    engine: o.engine as EngineChoice,
    repeat: o.repeat as number | undefined,
    cpu: o.cpu as number,
    type: o.type as string | undefined,
    btf: o.btf !== undefined ? io.readFile(o.btf as string, 'btf') : undefined,
    verify: verifyMode(o),
    warn: (line) => io.err(`tcxlab: ${line}\n`),
    maxEntries: o.maxEntries as number | undefined,
    mock: mockFromOptions(io, o),
  });
  if (parity) {
    const { kernelParityJob, kernelSets } = parity;
    const report = await kernelParityJob({
      objPath: obj,
      prog,
      frames: input.frames,
      tcxlab: result,
      ctx: o.ctx !== undefined ? fromHex(o.ctx as string) : undefined,
      ctxOut: Boolean(o.ctxOut),
      repeat: o.repeat as number | undefined,
      cpu: o.cpu as number,
      sets: kernelSets(sets),
      out: (l) => io.out(`${l}\n`),
      note: (l) => io.err(`tcxlab: ${l}\n`),
    });
    if (report.count > 0) io.exitCode = 1;
  } else io.out(JSON.stringify(result, null, o.pretty ? 1 : undefined) + '\n');
  if (cap) writePcapOut(o.pcapOut as string, cap.bytes());
  if ('error' in result && !o.kernel) {
    // The JSON keeps the oracle's error object; stderr gets the one-line reason.
    io.err(`tcxlab: ${obj}: load failed (${String(result.errname)}): ${String(result.log).split('\n')[0]}\n`);
    io.exitCode = 1;
  }
  reportInputError(io, packetsFile, input);
}
