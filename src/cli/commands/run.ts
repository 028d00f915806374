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
import type { Command } from 'commander';
import { Option } from 'commander';
import { BpfError, ErrorCode, UsageError, VerifierError } from '../../../vm/errors.js';
import { chooseEngine, ENGINE_CHOICES, type EngineChoice } from '../../../vm/engine.js';
import { defaultBaseState } from '../../helpers/base.js';
import { Collection, libbpfMapName, objectNameOf } from '../../collection.js';
import { loadCollectionSpec } from '../../../loader/index.js';
import type { CollectionSpec, MapSpec } from '../../../loader/spec.js';
import { fromHex as parseHex, toHex } from '../../maps/index.js';
import { testRun, type TestRunResult } from '../../test-run.js';
import { parseVariableText, withInitialValues, withNamedVariables, type VariableValue } from '../../variables.js';
import { BPF_PROG_TYPE, ERRNO, progTypeName } from '../../uapi.js';
import type { CliIo } from '../io.js';
import { addVerifyOptions, checkArgOrder, CPU_ARG_MAX, CTX_MAX_BYTES, hexArg, intArg, REPEAT_MAX, tryRead, verifyMode, type VerifyMode } from '../args.js';
import { readPacketsFile, reportInputError, writePcapOut } from '../frames.js';
import { parseHexFrames, type InputFrame } from '../../pcap/input.js';
import { HookCapture } from '../../pcap/hook-capture.js';
import { kernelParityJob, kernelRefusal, kernelSets, KERNEL_UNAVAILABLE_EXIT } from '../../kernel-parity/index.js';

/** Map dumps in `run` output: bytes of one value shown at most, and of all maps together. */
export const DUMP_VALUE_BYTES = 1 << 20;
export const DUMP_TOTAL_BYTES = 16 << 20;

/** How an object is loaded for a run: verification mode and where its warnings go. */
export interface LoadRunOptions {
  type?: string;
  btf?: Uint8Array;
  verify?: VerifyMode;
  /** Called with a line for each rejection `verify: 'warn'` let through. */
  warn?: (line: string) => void;
  /** `--var NAME=VALUE`: global variables set by name before load (src/variables.ts). */
  vars?: ReadonlyMap<string, VariableValue>;
}

/** Hex → bytes, or a usage error naming what was being parsed. */
export function fromHex(hex: string, what = 'hex value'): Uint8Array {
  const b = parseHex(hex);
  if (b === undefined) throw new UsageError(`${what}: not an even-length hex string: ${JSON.stringify(hex.slice(0, 40))}`);
  return b;
}

/** One frame of a packets file with its 1-based line number. */
export interface PacketLine {
  line: number;
  data: Uint8Array;
}

/** Parse a packets file: one hex frame per line, `#` comments, blank lines ignored. */
export function parsePackets(text: string): PacketLine[] {
  return parseHexFrames(text);
}


export interface SetArg {
  map: string;
  key: string;
  value: string;
}

/** Apply `--set` to global-data map specs before load (the oracle rewrites their initial value). */
function withDataSets(spec: CollectionSpec, sets: SetArg[], nameOf: (ms: MapSpec) => string): CollectionSpec {
  const mineOf = (ms: MapSpec): SetArg[] => (ms.source !== 'data' ? [] : sets.filter((s) => nameOf(ms) === s.map || nameOf(ms).endsWith(s.map) || ms.name === s.map));
  const indexes = spec.maps.flatMap((ms, i) => (mineOf(ms).length > 0 ? [i] : []));
  return withInitialValues(spec, indexes, (i, init) => {
    const ms = spec.maps[i];
    for (const s of mineOf(ms)) {
      if (fromHex(s.key).some((b) => b !== 0)) throw new UsageError(`--set ${s.map}: global data takes key 00000000`);
      const v = fromHex(s.value);
      if (v.length > ms.valueSize) throw new UsageError(`--set ${s.map}: value longer than ${ms.valueSize} bytes`);
      init.set(v);
    }
  });
}

/** The object did not load (loader or verifier): `oracle run` reports this as one error object. */
export class LoadFailure extends BpfError {
  constructor(readonly reason: BpfError) {
    super(reason.code, reason.message, { cause: reason });
  }
}

/** Parse repeated `--var NAME=VALUE` (a Map: names come from the command line). */
export function parseVars(raw: string[] | undefined): Map<string, VariableValue> {
  const out = new Map<string, VariableValue>();
  for (const a of raw ?? []) {
    const eq = a.indexOf('=');
    if (eq <= 0) throw new UsageError(`--var ${JSON.stringify(a)}: expected NAME=VALUE`);
    const v = parseVariableText(a.slice(eq + 1));
    if (v === undefined) throw new UsageError(`--var ${JSON.stringify(a)}: not a value (JSON array or string, integer, true/false, hex:BYTES, or text)`);
    out.set(a.slice(0, eq), v);
  }
  return out;
}

/** Parse repeated `--set MAP KEY VALUE` triples. */
export function parseSets(raw: string[] | undefined): SetArg[] {
  const r = raw ?? [];
  if (r.length % 3 !== 0) throw new UsageError('--set takes three values: MAP KEYHEX VALHEX');
  const out: SetArg[] = [];
  for (let i = 0; i < r.length; i += 3) out.push({ map: r[i], key: r[i + 1], value: r[i + 2] });
  return out;
}

/**
 * Load OBJ as `oracle run` does: unknown section names as sched_cls (libbpf 1.1 + the oracle's
 * fallback) unless `type` says otherwise, `--set` on global data rewrites the initial value
 * before load (so .rodata stays frozen), other maps get entries after load (per-CPU: one value
 * for every CPU, or all CPUs' values in 8-byte strides; prog arrays: `@PROG`). Throws
 * LoadFailure when the object does not load, UsageError for bad arguments.
 */
export function loadForRun(objBytes: Uint8Array, objPath: string, progName: string | undefined, sets: SetArg[], lo: LoadRunOptions = {}): Collection {
  const objectName = objectNameOf(objPath);
  let spec: CollectionSpec;
  try {
    spec = loadCollectionSpec(objBytes, { programType: lo.type ?? 'sched_cls', btf: lo.btf });
  } catch (e) {
    if (e instanceof BpfError) throw new LoadFailure(e);
    throw e;
  }
  // The names the Collection will give the maps (no probe load: a 60 MiB .bss would be made twice).
  const nameOfSpec = (ms: MapSpec): string => libbpfMapName(objectName, ms);
  spec = withDataSets(spec, sets, nameOfSpec);
  if (lo.vars !== undefined) spec = withNamedVariables(spec, lo.vars);
  let coll: Collection;
  try {
    coll = new Collection(spec, {
      objectName,
      verify: lo.verify ?? true,
      onVerifierWarning: (w) => lo.warn?.(`warning: the verifier rejects ${w.program} (running it anyway, --verify=warn): ${w.error.message.split('\n')[0]}`),
    });
  } catch (e) {
    if (e instanceof BpfError) throw new LoadFailure(e);
    throw e;
  }
  // A program tcxlab refuses (unsupported kfunc or map type) fails to load, naming what it uses.
  // No program (`map dump` without a run): only the maps matter.
  if (progName !== undefined) {
    const refused = coll.refused.get(progName);
    if (refused !== undefined) throw new LoadFailure(refused.error);
    const t = coll.program(progName).spec.type.id;
    if (t !== BPF_PROG_TYPE.BPF_PROG_TYPE_SCHED_CLS && t !== BPF_PROG_TYPE.BPF_PROG_TYPE_SCHED_ACT) {
      throw new UsageError(`program ${progName} is ${progTypeName(t)}: tcxlab runs sched_cls and sched_act programs`);
    }
  }
  for (const s of sets) {
    const map = coll.map(s.map);
    if (spec.maps[coll.mapList.indexOf(map)]?.source === 'data') continue;
    const key = fromHex(s.key, `--set ${s.map} key`);
    if (s.value.startsWith('@')) {
      if (key.length !== 4) throw new UsageError(`--set ${s.map} ${s.key} ${s.value}: a prog array slot key is 4 bytes (u32, little-endian)`);
      coll.setProgArraySlot(map.name, new DataView(key.buffer, key.byteOffset).getUint32(0, true), s.value.slice(1));
      continue;
    }
    const value = fromHex(s.value, `--set ${s.map} value`);
    if (map.percpu) {
      const stride = (map.valueSize + 7) & ~7;
      const n = coll.mapEnv.ncpus;
      const values =
        value.length === n * stride
          ? Array.from({ length: n }, (_, i) => value.slice(i * stride, i * stride + map.valueSize))
          : Array.from({ length: n }, () => value.slice());
      map.update(key, values);
    } else {
      map.update(key, value);
    }
  }
  return coll;
}

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
    coll = loadForRun(objBytes, objPath, progName, opts.sets ?? [], { type: opts.type, btf: opts.btf, verify: opts.verify, warn: opts.warn, vars: opts.vars });
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
  const base = defaultBaseState();
  base.cpu = cpu;
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
    });
    opts.onRun?.(p, r);
    const run: Record<string, unknown> = { line: p.line, data_size_in: p.data.length };
    if (r.fault) {
      run.err = ERRNO.EFAULT;
      run.errname = 'EFAULT';
      run.fault = { code: r.fault.code, insn: r.fault.insnIndex, message: r.fault.message };
    } else if (r.err !== 0) {
      const n = (ERRNO as Record<string, number>)[r.err] ?? 0;
      run.err = n;
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
    runs,
    maps,
  };
}

export function register(program: Command, io: CliIo): void {
  const cmd = program
    .command('run')
    .description('run PROG of OBJ on each frame of PACKETS_FILE as BPF_PROG_TEST_RUN does; prints oracle-run JSON')
    .argument('<obj>', 'BPF object file (.o)')
    .argument('<prog>', 'program (function) name')
    .argument('<packets>', 'pcap/pcapng capture, or a file with one hex frame per line (# comments)')
    .option('--ctx <hex>', 'struct __sk_buff ctx_in (192 bytes or a prefix) for every packet', hexArg(CTX_MAX_BYTES))
    .option('--pcap-out <file>', 'write every data_out to a pcapng file, with the verdict in packet comments')
    .option('--ctx-out', 'ask for ctx_out without a ctx_in (the kernel then runs with a zeroed ctx)')
    .option('--set <map-key-value...>', 'set a map entry before the run: MAP KEYHEX VALHEX, or MAP KEYHEX @PROG for a prog array (repeatable)')
    .option('--var <name=value...>', 'set a global variable (.rodata/.data/.bss, by BTF name and type) before load, e.g. --var ENCAP_PORT=6080 cfg_mode=MODE_DROP (repeatable)')
    .addOption(new Option('--engine <engine>', 'execution engine (auto: the JIT from 256 runs on)').choices(ENGINE_CHOICES as string[]).default('auto'))
    .option('--repeat <n>', `run the first packet N times (1..${REPEAT_MAX}) on the same skb and report duration_ns`, intArg(1, REPEAT_MAX))
    .option('--cpu <n>', 'CPU the program runs on (per-CPU maps; 0 or 1 on the default 2-CPU machine)', intArg(0, CPU_ARG_MAX), 0)
    .option('--max-entries <n>', 'entries dumped per map (default 4096, as the oracle)', intArg(0, 1 << 24))
    .option('--type <type>', 'program type for unknown section names (e.g. sched_cls)')
    .option('--btf <file>', 'target BTF for CO-RE relocations (e.g. another kernel\'s /sys/kernel/btf/vmlinux; default: the built-in vmlinux BTF of Linux 6.18)')
    .option('--pretty', 'indent the JSON')
    .option('--kernel', 'also run OBJ and the frames through the real kernel (root, Linux, bpftool) and print the differences instead of the JSON; exit status 1 when they differ, 2 when the kernel cannot be asked');
  addVerifyOptions(cmd).action(async (obj: string, prog: string, packetsFile: string, o: Record<string, unknown>) => {
      checkArgOrder('run', obj, prog, packetsFile, tryRead(io.readFile));
      if (o.kernel) {
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
      const cap = o.pcapOut !== undefined ? new HookCapture() : undefined;
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
      });
      if (o.kernel) {
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
    });
}
