/**
 * @fileoverview Live kernel parity, the half that asks the kernel: load an object with
 * `bpftool prog loadall`, run frames through BPF_PROG_TEST_RUN with `bpftool prog run`, dump the
 * maps with `bpftool map dump`, and return a KernelRunReport (./diff.ts) in the shape of
 * `oracle run`. bpftool is spawned with execFile (an argument array, no shell); the pins live in
 * a fresh directory under /sys/fs/bpf and are removed afterwards, whatever happened (also on
 * SIGINT/SIGTERM while it runs). docs/kernel-parity.md says what each step relies on.
 */
import { execFile } from 'node:child_process';
import { accessSync, constants, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statfsSync, writeFileSync } from 'node:fs';
import { release, tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { UsageError } from '../../vm/errors.js';
import { SK_BUFF_SIZE } from '../skb/sk-buff-ctx.js';
import { BPF_FS_DEFAULT_PATH, errnoName } from '../uapi.js';
import { entriesFromBpftool, refusedRun, type KernelRunReport, type RunRecord } from './diff.js';

/** BPF_FS_MAGIC (include/uapi/linux/magic.h): the file system type of a mounted bpffs. */
const BPF_FS_MAGIC = 0xcafe4a11;
/** Where the pins go (the usual bpffs mount point). */
export const BPFFS = BPF_FS_DEFAULT_PATH;
/** Most bytes read from one bpftool run's output, and the longest one bpftool call may take. */
const EXEC_MAX_BUFFER = 256 << 20;
const EXEC_TIMEOUT_MS = 120_000;

/** What decides whether the kernel can be asked; injectable for tests. */
export interface KernelHost {
  platform: string;
  /** process.getuid() (undefined where it does not exist). */
  uid: number | undefined;
  /** Absolute path of an executable on PATH (or in the sbin directories), or undefined. */
  which(name: string): string | undefined;
  /** Whether `path` is a mounted bpffs. */
  isBpffs(path: string): boolean;
  /** The running kernel's release (`uname -r`). */
  release(): string;
  /** Where the pins go (BPFFS; a test replaying recorded bpftool output uses a temporary directory). */
  bpffs: string;
}

/** The executable `name` on PATH or in the sbin directories root's PATH usually has. */
function whichOnPath(name: string): string | undefined {
  const dirs = [...(process.env.PATH ?? '').split(delimiter), '/usr/local/sbin', '/usr/sbin', '/sbin'];
  for (const d of dirs) {
    if (d === '') continue;
    const p = join(d, name);
    try {
      accessSync(p, constants.X_OK);
      return p;
    } catch {
      // not there
    }
  }
  return undefined;
}

export function processKernelHost(): KernelHost {
  return {
    platform: process.platform,
    uid: process.getuid?.(),
    which: whichOnPath,
    bpffs: BPFFS,
    release,
    isBpffs: (p) => {
      try {
        return statfsSync(p).type === BPF_FS_MAGIC;
      } catch {
        return false;
      }
    },
  };
}

/** Why the kernel cannot be asked here (one line), or undefined when it can. */
export function kernelUnavailable(host: KernelHost = processKernelHost()): string | undefined {
  if (host.platform !== 'linux') return `needs Linux (BPF_PROG_TEST_RUN through bpftool); this is ${host.platform}`;
  if (host.uid !== 0) return `needs root (loading and test-running BPF programs; uid ${host.uid ?? 'unknown'})`;
  if (host.which('bpftool') === undefined) return 'needs bpftool on PATH (e.g. the linux-tools or bpftool package)';
  if (!host.isBpffs(host.bpffs)) return `needs a bpffs mounted at ${host.bpffs} (mount -t bpf bpf ${host.bpffs})`;
  return undefined;
}

/** An execFile-like runner: resolves with the exit code, never rejects for a non-zero one. */
export type Exec = (file: string, args: string[]) => Promise<{ code: number; stdout: string; stderr: string }>;

export const execTool: Exec = (file, args) =>
  new Promise((resolve, reject) => {
    execFile(file, args, { maxBuffer: EXEC_MAX_BUFFER, timeout: EXEC_TIMEOUT_MS, encoding: 'utf8' }, (err, stdout, stderr) => {
      if (err && typeof (err as NodeJS.ErrnoException).code === 'string') return reject(err); // ENOENT, E2BIG...
      if (err && err.killed) return reject(new Error(`${file} ${args.slice(0, 3).join(' ')}: killed after ${EXEC_TIMEOUT_MS / 1000} s`));
      resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });

/** A plain map entry to set before the runs (`--set MAP KEYHEX VALHEX`, or `@PROG` for a prog array slot). */
export interface KernelSet {
  map: string;
  key: Uint8Array;
  value: Uint8Array | { prog: string };
}

export interface KernelRunOptions {
  /** The frames with the line (or frame number) each is reported under. */
  frames: Array<{ line: number; data: Uint8Array }>;
  /** struct __sk_buff ctx_in (or a prefix); with ctxOut and no ctx, a zeroed 192-byte one. */
  ctx?: Uint8Array;
  ctxOut?: boolean;
  /** Run the first frame N times (BPF_PROG_TEST_RUN repeat). */
  repeat?: number;
  /** CPU bpftool is pinned to with taskset (per-CPU maps). */
  cpu?: number;
  sets?: KernelSet[];
  exec?: Exec;
  host?: KernelHost;
  /** Notes for stderr (taskset missing, ...). */
  note?: (line: string) => void;
}


const lastLines = (s: string, n = 3): string => s.split('\n').map((l) => l.trim()).filter(Boolean).slice(-n).join(' / ');

/** bpftool's byte-list arguments: `hex 01 02 ...` */
const hexArgs = (b: Uint8Array): string[] => ['hex', ...Array.from(b, (x) => x.toString(16).padStart(2, '0'))];

/**
 * What a failed `bpftool prog loadall` said: the errno of libbpf's "failed to load: -13" and the
 * verifier's own lines (those between the last instruction of the log and "processed N insns"),
 * or libbpf's and bpftool's error lines when the object never reached the kernel.
 */
export function loadFailure(stderr: string, code: number): { load_error: string; load_errname?: string } {
  const lines = stderr.split('\n').map((l) => l.trimEnd());
  const errno = /failed to load: -(\d+)/.exec(stderr);
  const load_errname = errno ? errnoName(Number(errno[1])) : undefined;
  const end = lines.indexOf('-- END PROG LOAD LOG --');
  if (end > 0) {
    let last = end;
    for (let i = end - 1; i >= 0; i--) {
      if (/^processed \d+ insns/.test(lines[i])) {
        last = i;
        break;
      }
    }
    let first = last;
    while (first > 0 && !/^\d+: \([0-9a-f]{2}\)/.test(lines[first - 1]) && !/BEGIN PROG LOAD LOG/.test(lines[first - 1])) first--;
    const why = lines.slice(first, last).filter(Boolean).join(' / ');
    if (why) return { load_error: `${load_errname ? `${load_errname}: ` : ''}${why}`, load_errname };
  }
  const said = lines.filter((l) => /^(libbpf|Error):/.test(l)).slice(0, 3).join(' / ');
  return { load_error: said || `bpftool prog loadall exited with ${code}`, load_errname };
}

/**
 * Load OBJ in the kernel, run PROG on every frame, dump the maps, and remove every pin. Throws
 * only when bpftool cannot be run at all; a refused load or test run is part of the report.
 */
export async function runInKernel(objPath: string, prog: string, o: KernelRunOptions): Promise<KernelRunReport> {
  const host = o.host ?? processKernelHost();
  const run = o.exec ?? execTool;
  // bpftool that cannot be started (or is killed after EXEC_TIMEOUT_MS) is a typed error, not a crash.
  const exec: Exec = (file, args) =>
    run(file, args).catch((e: unknown) => {
      throw new UsageError(`--kernel: ${[file, ...args.slice(0, 3)].join(' ')}: ${e instanceof Error ? e.message : String(e)}`);
    });
  const bpftool = host.which('bpftool') ?? 'bpftool';
  const taskset = o.cpu !== undefined ? host.which('taskset') : undefined;
  if (o.cpu !== undefined && taskset === undefined) o.note?.(`--kernel: taskset not found: the kernel runs on any CPU, so per-CPU map values may sit on another CPU than tcxlab's --cpu ${o.cpu}`);
  const tool = (args: string[]): Promise<{ code: number; stdout: string; stderr: string }> =>
    taskset !== undefined ? exec(taskset, ['-c', String(o.cpu), bpftool, ...args]) : exec(bpftool, args);

  const pin = mkdtempSync(join(host.bpffs, 'tcxlab-parity-'));
  const tmp = mkdtempSync(join(tmpdir(), 'tcxlab-parity-'));
  const cleanup = (): void => {
    rmSync(pin, { recursive: true, force: true });
    rmSync(tmp, { recursive: true, force: true });
  };
  const onSignal = (sig: NodeJS.Signals): void => {
    cleanup();
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
    process.kill(process.pid, sig);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    const version = await exec(bpftool, ['-j', 'version']).catch(() => undefined);
    const report: KernelRunReport = { kernel: host.release(), runs: [], maps: Object.create(null) as KernelRunReport['maps'] };
    try {
      const v = JSON.parse(version?.stdout ?? '') as { version?: string; libbpf_version?: string };
      report.bpftool = `bpftool v${v.version} (libbpf v${v.libbpf_version})`;
    } catch {
      // an old bpftool without -j version: leave it out
    }
    // `type classifier`: every program loads as sched_cls, as tcxlab and libbpf's fallback for
    // section names libbpf 1.1 does not know (tcx/ingress, ...) do.
    const load = await exec(bpftool, ['prog', 'loadall', objPath, join(pin, 'progs'), 'pinmaps', join(pin, 'maps'), 'type', 'classifier']);
    if (load.code !== 0) {
      Object.assign(report, loadFailure(load.stderr, load.code));
      return report;
    }
    const progPin = join(pin, 'progs', prog);
    if (!existsSync(progPin)) {
      report.load_error = `no program ${prog} among the pinned programs (${readdirSync(join(pin, 'progs')).join(', ')})`;
      return report;
    }
    const mapsDir = join(pin, 'maps');
    const mapPins = existsSync(mapsDir) ? readdirSync(mapsDir).sort() : [];
    for (const s of o.sets ?? []) {
      const p = mapPins.find((m) => m === s.map || m === s.map.replace(/\./g, '_'));
      if (p === undefined) throw new UsageError(`--set ${s.map}: bpftool pinned no map of that name (global data cannot be set with --kernel: bpftool loads the object as it is)`);
      const value = 'prog' in s.value ? ['pinned', join(pin, 'progs', s.value.prog)] : hexArgs(s.value);
      const r = await exec(bpftool, ['map', 'update', 'pinned', join(mapsDir, p), 'key', ...hexArgs(s.key), 'value', ...value]);
      if (r.code !== 0) throw new UsageError(`--set ${s.map}: bpftool map update failed: ${lastLines(r.stderr + r.stdout, 1)}`);
    }
    const dataIn = join(tmp, 'data_in');
    const dataOut = join(tmp, 'data_out');
    const ctxIn = join(tmp, 'ctx_in');
    const ctxOut = join(tmp, 'ctx_out');
    const ctx = o.ctx ?? (o.ctxOut ? new Uint8Array(SK_BUFF_SIZE) : undefined);
    if (ctx !== undefined) writeFileSync(ctxIn, ctx);
    const frames = o.repeat !== undefined ? o.frames.slice(0, 1) : o.frames;
    for (const f of frames) {
      writeFileSync(dataIn, f.data);
      rmSync(dataOut, { force: true });
      rmSync(ctxOut, { force: true });
      const args = ['-j', 'prog', 'run', 'pinned', progPin, 'data_in', dataIn, 'data_out', dataOut];
      if (ctx !== undefined) args.push('ctx_in', ctxIn, 'ctx_out', ctxOut);
      args.push('repeat', String(o.repeat ?? 1));
      const r = await tool(args);
      let j: { retval?: number; duration?: number; error?: string } = {};
      try {
        j = JSON.parse(r.stdout) as typeof j;
      } catch {
        j = { error: lastLines(r.stderr || r.stdout, 1) || `bpftool exited with ${r.code}` };
      }
      if (r.code !== 0 || j.error !== undefined || j.retval === undefined) {
        report.runs.push(refusedRun(f.line, f.data.length, j.error ?? `bpftool exited with ${r.code}`));
        continue;
      }
      const out = existsSync(dataOut) ? readFileSync(dataOut) : Buffer.alloc(0);
      const run: RunRecord = { line: f.line, data_size_in: f.data.length, err: 0, retval: j.retval >>> 0, data_out: out.toString('hex') };
      if (ctx !== undefined) run.ctx_out = (existsSync(ctxOut) ? readFileSync(ctxOut) : Buffer.alloc(0)).toString('hex');
      report.runs.push(run);
    }
    for (const m of mapPins) {
      const p = join(mapsDir, m);
      const show = await exec(bpftool, ['-j', 'map', 'show', 'pinned', p]);
      let name = m;
      try {
        name = (JSON.parse(show.stdout) as { name?: string }).name ?? m;
      } catch {
        // keep the pin's name
      }
      const dump = await exec(bpftool, ['-j', 'map', 'dump', 'pinned', p]);
      try {
        const j = JSON.parse(dump.stdout) as unknown;
        if (!Array.isArray(j)) report.maps[name] = { skipped: `bpftool map dump: ${(j as { error?: string }).error ?? 'no entries'}` };
        else report.maps[name] = { entries: entriesFromBpftool(j) };
      } catch (e) {
        report.maps[name] = { skipped: `bpftool map dump: ${lastLines(dump.stderr, 1) || (e as Error).message}` };
      }
    }
    return report;
  } finally {
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
    cleanup();
  }
}

