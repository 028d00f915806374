/**
 * @fileoverview Live kernel parity, the pure half: given what `tcxlab run` printed (the oracle-run
 * JSON of src/cli/commands/run.ts) and what the real kernel answered for the same object and
 * frames (a KernelRunReport, made by ./bpftool.ts from `bpftool prog run` and `bpftool map dump`),
 * list every difference field by field. No I/O here, so the rules are tested with recorded kernel
 * output (test/kernel-parity/, recorded by test/goldens/kernel-parity/record.sh).
 *
 * What is compared (docs/kernel-parity.md):
 *   - per frame: whether the test run was refused (err / errname), retval, data_out (length and the
 *     offset of the first differing byte), ctx_out field by field by `struct __sk_buff` name;
 *   - after all frames: the entries of every map both sides dumped (per-CPU values per CPU),
 *     except maps whose values are ids (prog arrays, map-in-map, perf event arrays) and maps
 *     bpftool could not dump.
 * `duration_ns` is never compared (time), and neither is anything tcxlab prints that the kernel
 * has no counterpart for (faults, trace lines).
 */
import { SKB_OFF, SK_BUFF_SIZE } from '../skb/sk-buff-ctx.js';
import { tcActLabel } from '../tc-verdict.js';
import { BPF_MAP_TYPE, ERRNO, mapTypeName, type ErrnoName } from '../uapi.js';

/** One run as `oracle run` and `tcxlab run` print it (docs/kernel-oracle.md §2). */
export interface RunRecord {
  line: number;
  data_size_in?: number;
  err: number;
  errname?: string;
  /** A refusal's text (bpftool's error message on the kernel side). */
  message?: string;
  retval?: number;
  data_out?: string;
  ctx_out?: string;
  /** tcxlab only: the program faulted (the kernel's verifier would have refused it). */
  fault?: { code: string; insn: number; message: string };
}

/** One map's entries in the oracle's layout: `[keyhex, valhex]`, per-CPU `[keyhex, [cpu0hex, ...]]`. */
export type MapEntries = Array<[string, string | string[] | null]>;

/** What the kernel answered for one object, in the shape of `oracle run` plus what could not be compared. */
export interface KernelRunReport {
  /** `uname -r` and `bpftool version` of the machine that answered. */
  kernel?: string;
  bpftool?: string;
  /** Set when bpftool could not load the object: its message (the verifier log's last lines). */
  load_error?: string;
  /** The errno of that refusal when the kernel gave one (EACCES: the verifier). */
  load_errname?: string;
  runs: RunRecord[];
  /** Map name (the kernel's, at most 15 characters) → entries, or a reason it was not dumped. */
  maps: Record<string, { type?: number; entries?: MapEntries; skipped?: string }>;
}

/** What `tcxlab run` printed (runJob's object), or its load error object. */
export interface TcxlabRunJson {
  error?: string;
  errname?: string;
  log?: string;
  runs?: RunRecord[];
  maps?: Record<string, { type: number; entries: MapEntries }>;
}

export interface FieldDifference {
  /** `retval`, `err`, `data_out`, `ctx_out.mark`, `load`, `map fw_stats` ... */
  field: string;
  tcxlab: string;
  kernel: string;
  /** A sentence for the reader (first differing byte, which key and CPU). */
  detail?: string;
}

export interface FrameParity {
  line: number;
  differences: FieldDifference[];
  /** The kernel's retval when both ran (for the "same" line). */
  retval?: number;
  dataOutBytes?: number;
  /** The kernel's refusal (errno name) when both refused the frame. */
  refused?: string;
}

export interface ParityReport {
  load: FieldDifference[];
  frames: FrameParity[];
  maps: FieldDifference[];
  /** Maps not compared, with the reason ("prog_array: values are ids"). */
  notCompared: string[];
  /** Number of differences in all. */
  count: number;
  /** Both refused to load the object: each side's reason. */
  bothRefused?: { tcxlab: string; kernel: string };
}

/** Map types whose values are object ids or fds (or that bpftool cannot dump), which differ between any two loads. */
const ID_VALUED_MAP_TYPES: ReadonlySet<number> = new Set([
  BPF_MAP_TYPE.BPF_MAP_TYPE_PROG_ARRAY,
  BPF_MAP_TYPE.BPF_MAP_TYPE_PERF_EVENT_ARRAY,
  BPF_MAP_TYPE.BPF_MAP_TYPE_CGROUP_ARRAY,
  BPF_MAP_TYPE.BPF_MAP_TYPE_ARRAY_OF_MAPS,
  BPF_MAP_TYPE.BPF_MAP_TYPE_HASH_OF_MAPS,
  BPF_MAP_TYPE.BPF_MAP_TYPE_DEVMAP,
  BPF_MAP_TYPE.BPF_MAP_TYPE_DEVMAP_HASH,
  BPF_MAP_TYPE.BPF_MAP_TYPE_CPUMAP,
  BPF_MAP_TYPE.BPF_MAP_TYPE_XSKMAP,
  BPF_MAP_TYPE.BPF_MAP_TYPE_SOCKMAP,
  BPF_MAP_TYPE.BPF_MAP_TYPE_SOCKHASH,
  BPF_MAP_TYPE.BPF_MAP_TYPE_RINGBUF,
  BPF_MAP_TYPE.BPF_MAP_TYPE_USER_RINGBUF,
]);

/** Widths of the `struct __sk_buff` fields named in SKB_OFF (4 bytes unless listed). */
const FIELD_WIDTH: Readonly<Record<string, number>> = { cb: 20, tstamp: 8, sk: 8, flow_keys: 8, hwtstamp: 8, tstamp_type: 1, family: 4, local_port: 4 };

/** The `struct __sk_buff` field at byte `off` of a ctx: `mark`, `cb[2]`, `tstamp`, or `offset 96`. */
export function ctxFieldAt(off: number): { name: string; start: number; size: number } {
  if (off >= SKB_OFF.cb && off < SKB_OFF.cb + 20) {
    const i = Math.floor((off - SKB_OFF.cb) / 4);
    return { name: `cb[${i}]`, start: SKB_OFF.cb + 4 * i, size: 4 };
  }
  for (const [name, start] of Object.entries(SKB_OFF)) {
    const size = FIELD_WIDTH[name] ?? 4;
    if (name !== 'cb' && off >= start && off < start + size) return { name, start, size };
  }
  // The socket fields 88..139 (family, remote_ip4, ...) are rejected for tc and read back as 0.
  const start = off & ~3;
  return { name: `offset ${start}`, start, size: 4 };
}

const hexBytes = (h: string): Uint8Array => Uint8Array.from(Buffer.from(h, 'hex'));

function fieldValue(b: Uint8Array, start: number, size: number): string {
  const s = b.subarray(start, start + size);
  if (s.length < size) return s.length === 0 ? '(absent)' : `${Buffer.from(s).toString('hex')} (cut)`;
  let v = 0n;
  for (let i = size - 1; i >= 0; i--) v = (v << 8n) | BigInt(s[i]);
  return `0x${v.toString(16)}`;
}

/** ctx_out compared by field: one difference per `struct __sk_buff` field whose bytes differ. */
export function diffCtx(tcxlab: string, kernel: string): FieldDifference[] {
  const a = hexBytes(tcxlab);
  const b = hexBytes(kernel);
  const out: FieldDifference[] = [];
  const n = Math.max(a.length, b.length, 0);
  for (let off = 0; off < Math.min(n, SK_BUFF_SIZE); ) {
    const f = ctxFieldAt(off);
    const end = f.start + f.size;
    let differs = false;
    for (let i = f.start; i < end; i++) if (a[i] !== b[i]) differs = true;
    if (differs) out.push({ field: `ctx_out.${f.name}`, tcxlab: fieldValue(a, f.start, f.size), kernel: fieldValue(b, f.start, f.size), detail: `offset ${f.start}` });
    off = end;
  }
  if (a.length !== b.length) out.push({ field: 'ctx_out size', tcxlab: String(a.length), kernel: String(b.length) });
  return out;
}

/** Where two byte strings first differ (undefined: identical). */
export function firstDifference(a: Uint8Array, b: Uint8Array): number | undefined {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return i;
  return a.length === b.length ? undefined : n;
}

const around = (b: Uint8Array, at: number): string => (at >= b.length ? '(ends)' : Buffer.from(b.subarray(at, at + 8)).toString('hex'));

/** data_out: the lengths, and the first differing byte with the 8 bytes from there on each side. */
export function diffDataOut(tcxlab: string, kernel: string): FieldDifference[] {
  const a = hexBytes(tcxlab);
  const b = hexBytes(kernel);
  const at = firstDifference(a, b);
  if (at === undefined) return [];
  return [
    {
      field: 'data_out',
      tcxlab: `${a.length} bytes, from offset ${at}: ${around(a, at)}`,
      kernel: `${b.length} bytes, from offset ${at}: ${around(b, at)}`,
      detail: `first difference at byte ${at}${a.length !== b.length ? ` (lengths ${a.length} and ${b.length})` : ''}`,
    },
  ];
}

const retvalText = (v: number): string => {
  const s = v | 0;
  const name = tcActLabel(s);
  return name === String(s) ? String(s) : `${s} (${name})`;
};

const runState = (r: RunRecord): string => (r.fault ? `fault ${r.fault.code} at insn ${r.fault.insn}` : r.err === 0 ? 'ran' : `refused: ${r.errname ?? r.err}${r.message ? ` (${r.message})` : ''}`);

/** One frame: refusal, retval, data_out, ctx_out. */
export function diffRun(t: RunRecord, k: RunRecord): FrameParity {
  const d: FieldDifference[] = [];
  const tRan = t.err === 0 && !t.fault;
  const kRan = k.err === 0;
  if (tRan !== kRan || t.err !== k.err || (!tRan && !kRan && t.errname !== k.errname)) {
    d.push({ field: 'err', tcxlab: runState(t), kernel: runState(k) });
  }
  if (tRan && kRan) {
    if ((t.retval ?? 0) >>> 0 !== (k.retval ?? 0) >>> 0) d.push({ field: 'retval', tcxlab: retvalText(t.retval ?? 0), kernel: retvalText(k.retval ?? 0) });
    d.push(...diffDataOut(t.data_out ?? '', k.data_out ?? ''));
    if (t.ctx_out !== undefined || k.ctx_out !== undefined) {
      if (t.ctx_out === undefined || k.ctx_out === undefined) d.push({ field: 'ctx_out', tcxlab: t.ctx_out === undefined ? '(none)' : 'present', kernel: k.ctx_out === undefined ? '(none)' : 'present' });
      else d.push(...diffCtx(t.ctx_out, k.ctx_out));
    }
  }
  return {
    line: t.line,
    differences: d,
    retval: kRan ? k.retval : undefined,
    dataOutBytes: kRan && k.data_out !== undefined ? k.data_out.length / 2 : undefined,
    refused: kRan ? undefined : k.errname,
  };
}

/**
 * The tcxlab map a kernel map name stands for. tcxlab names global data as libbpf does
 * (`globals_.rodata`, src/collection.ts libbpfMapName), so those match exactly; the kernel keeps
 * only 15 characters of any other name (BPF_OBJ_NAME_LEN), tcxlab the whole name.
 */
export function matchMapName(kernelName: string, tcxlabNames: readonly string[]): string | undefined {
  if (tcxlabNames.includes(kernelName)) return kernelName;
  const hits = kernelName.length === 15 ? tcxlabNames.filter((n) => n.slice(0, 15) === kernelName) : [];
  return hits.length === 1 ? hits[0] : undefined;
}

function valueText(v: string | string[] | null | undefined): string {
  if (v === undefined) return '(no entry)';
  if (v === null) return '(empty)';
  return Array.isArray(v) ? v.map((x, i) => `cpu${i} ${x}`).join(', ') : v;
}

/** Entries of one map on both sides: one difference per key whose value (or presence) differs. */
export function diffMapEntries(name: string, tcxlab: MapEntries, kernel: MapEntries, maxListed = 16): FieldDifference[] {
  const t = new Map(tcxlab.map(([k, v]) => [k, v]));
  const k = new Map(kernel.map(([kk, v]) => [kk, v]));
  const keys = [...new Set([...t.keys(), ...k.keys()])].sort();
  const out: FieldDifference[] = [];
  let more = 0;
  for (const key of keys) {
    const a = t.get(key);
    const b = k.get(key);
    if (JSON.stringify(a ?? '') === JSON.stringify(b ?? '')) continue;
    if (out.length >= maxListed) {
      more++;
      continue;
    }
    let detail: string | undefined;
    if (Array.isArray(a) && Array.isArray(b)) {
      const cpus = a.map((x, i) => (x !== b[i] ? i : -1)).filter((i) => i >= 0);
      detail = `CPU ${cpus.join(', ')}${a.length !== b.length ? ` (${a.length} and ${b.length} CPUs)` : ''}`;
    } else if (typeof a === 'string' && typeof b === 'string') {
      const at = firstDifference(hexBytes(a), hexBytes(b));
      if (at !== undefined) detail = `first difference at value byte ${at}`;
    }
    out.push({ field: `map ${name} key ${key}`, tcxlab: valueText(a), kernel: valueText(b), detail });
  }
  if (more) out.push({ field: `map ${name}`, tcxlab: '', kernel: '', detail: `and ${more} more keys differ` });
  return out;
}

/** The whole comparison: load outcome, every frame, every map both sides have. */
export function diffParity(tcxlab: TcxlabRunJson, kernel: KernelRunReport): ParityReport {
  const load: FieldDifference[] = [];
  const tLoaded = tcxlab.error === undefined;
  const kLoaded = kernel.load_error === undefined;
  if (tLoaded !== kLoaded) {
    load.push({
      field: 'load',
      tcxlab: tLoaded ? 'loaded' : `refused (${tcxlab.errname ?? 'error'}): ${(tcxlab.log ?? '').split('\n')[0]}`,
      kernel: kLoaded ? 'loaded' : `refused: ${kernel.load_error!.split('\n').filter(Boolean).slice(-1)[0] ?? ''}`,
    });
  }
  if (!tLoaded && !kLoaded && kernel.load_errname !== undefined && tcxlab.errname !== kernel.load_errname) {
    load.push({ field: 'load errno', tcxlab: tcxlab.errname ?? '?', kernel: kernel.load_errname, detail: 'both refused the object, with different errors' });
  }
  const bothRefused = !tLoaded && !kLoaded ? { tcxlab: `${tcxlab.errname ?? 'error'}: ${(tcxlab.log ?? '').split('\n')[0]}`, kernel: kernel.load_error! } : undefined;
  const frames: FrameParity[] = [];
  const maps: FieldDifference[] = [];
  const notCompared: string[] = [];
  if (tLoaded && kLoaded) {
    const kRuns = new Map(kernel.runs.map((r) => [r.line, r]));
    for (const t of tcxlab.runs ?? []) {
      const k = kRuns.get(t.line);
      if (k === undefined) frames.push({ line: t.line, differences: [{ field: 'run', tcxlab: runState(t), kernel: '(not run)' }] });
      else frames.push(diffRun(t, k));
    }
    const tMaps = tcxlab.maps ?? {};
    const tNames = Object.keys(tMaps);
    const seen = new Set<string>();
    for (const [kName, km] of Object.entries(kernel.maps).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      const tName = matchMapName(kName, tNames);
      if (tName === undefined) {
        notCompared.push(`${kName}: no map of that name in tcxlab's dump`);
        continue;
      }
      seen.add(tName);
      const type = tMaps[tName].type;
      if (ID_VALUED_MAP_TYPES.has(type)) notCompared.push(`${tName}: ${mapTypeName(type)}: values are ids or event records, not data both sides share`);
      else if (km.skipped !== undefined || km.entries === undefined) notCompared.push(`${tName}: ${km.skipped ?? 'not dumped'}`);
      else maps.push(...diffMapEntries(tName, tMaps[tName].entries, km.entries));
    }
    for (const n of tNames) if (!seen.has(n)) notCompared.push(`${n}: the kernel's pinned maps have no map of that name`);
  }
  const count = load.length + maps.filter((m) => m.tcxlab !== '' || m.kernel !== '').length + frames.reduce((s, f) => s + f.differences.length, 0);
  return { load, frames, maps, notCompared, count, ...(bothRefused ? { bothRefused } : {}) };
}

/** The report as text lines: one line per identical frame, a block per differing one. */
export function formatParity(r: ParityReport, head?: string): string[] {
  const out: string[] = [];
  if (head !== undefined) out.push(head);
  const row = (d: FieldDifference, indent: string): string =>
    d.tcxlab === '' && d.kernel === '' ? `${indent}${d.field}: ${d.detail ?? ''}` : `${indent}${d.field}: tcxlab ${d.tcxlab} | kernel ${d.kernel}${d.detail ? `  (${d.detail})` : ''}`;
  for (const d of r.load) out.push(row(d, ''));
  if (r.bothRefused) out.push(`load: refused by both:`, `  tcxlab ${r.bothRefused.tcxlab}`, `  kernel ${r.bothRefused.kernel}`);
  for (const f of r.frames) {
    if (f.differences.length === 0) {
      out.push(`line ${f.line}: same${f.retval !== undefined ? ` (retval ${retvalText(f.retval)}, ${f.dataOutBytes ?? 0} bytes out)` : ` (the test run refused it in both: ${f.refused ?? '?'})`}`);
      continue;
    }
    out.push(`line ${f.line}: differs in ${[...new Set(f.differences.map((d) => d.field.replace(/^ctx_out\..*/, 'ctx_out')))].join(', ')}`);
    for (const d of f.differences) out.push(row(d, '  '));
  }
  for (const d of r.maps) out.push(row(d, ''));
  for (const n of r.notCompared) out.push(`not compared: map ${n}`);
  const frames = r.frames.filter((f) => f.differences.length).length;
  out.push(
    r.count === 0
      ? `kernel parity: no differences (${r.frames.length} frame${r.frames.length === 1 ? '' : 's'}; maps compared after the last one)`
      : `kernel parity: ${r.count} difference${r.count === 1 ? '' : 's'} (${frames} of ${r.frames.length} frames differ${r.maps.length ? `, ${r.maps.length} map entr${r.maps.length === 1 ? 'y' : 'ies'}` : ''}${r.load.length ? ', load' : ''})`,
  );
  return out;
}

/** bpftool `-j map dump` entries → the oracle's layout (bytes as hex; per-CPU values per CPU). */
export function entriesFromBpftool(json: unknown): MapEntries {
  if (!Array.isArray(json)) throw new TypeError('bpftool map dump: expected a JSON array');
  const hex = (a: unknown): string => {
    if (!Array.isArray(a)) throw new TypeError('bpftool map dump: expected a byte list');
    return a.map((x) => Number.parseInt(String(x), 16).toString(16).padStart(2, '0')).join('');
  };
  return json.map((e: { key?: unknown; value?: unknown; values?: Array<{ cpu: number; value: unknown }> }) => {
    const key = hex(e.key);
    if (Array.isArray(e.values)) return [key, [...e.values].sort((a, b) => a.cpu - b.cpu).map((v) => hex(v.value))];
    return [key, e.value === undefined ? null : hex(e.value)];
  });
}

/** bpftool's `{"error":"failed to run program: Invalid argument"}` → the errno name tcxlab prints. */
const STRERROR: Readonly<Record<string, ErrnoName>> = {
  'Invalid argument': 'EINVAL',
  'No space left on device': 'ENOSPC',
  'Bad message': 'EBADMSG',
  'Argument list too long': 'E2BIG',
  'Bad address': 'EFAULT',
  'Operation not permitted': 'EPERM',
  'Permission denied': 'EACCES',
  'No such device': 'ENODEV',
  'Unknown error 524': 'ENOTSUPP',
  'Operation not supported': 'EOPNOTSUPP',
  'Out of memory': 'ENOMEM',
  'Cannot allocate memory': 'ENOMEM',
};

/** A refused kernel run from bpftool's error text. */
export function refusedRun(line: number, dataSizeIn: number, message: string): RunRecord {
  const m = /: ([^:]+)$/.exec(message.trim());
  const name = m ? STRERROR[m[1]] : undefined;
  return { line, data_size_in: dataSizeIn, err: name ? ERRNO[name as ErrnoName] : -1, errname: name ?? 'unknown', message: message.trim() };
}
