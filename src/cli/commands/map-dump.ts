/**
 * @fileoverview `tcxlab map dump OBJ MAP [PROG PACKETS_FILE] [--json] [run options]`: one map of
 * an object as bpftool's `map dump` prints it (tools/bpf/bpftool/map.c), after running PROG on
 * every frame of PACKETS_FILE through the same code path as `tcxlab run` (same loading, `--set`,
 * `--cpu`, verification). Without PROG the map holds what loading put there (global data,
 * static initialisers, `--set`).
 *
 * Plain: bpftool's hex layout (print_entry_plain), `key: 01 00 00 00  value: ...`, per-CPU maps
 * as `value (CPU 00): ...` lines, then `Found N elements`. bpftool prints maps that have BTF as
 * formatted JSON-like text instead; tcxlab always prints the hex layout (the formatted values are
 * in `--json`).
 *
 * Layouts: docs/bpftool-views.md §2. `--json`: bpftool -j's array: `{"key": ["0x01", ...], "value": [...]}` per entry, per-CPU maps
 * `{"key": [...], "values": [{"cpu": 0, "value": [...]}, ...]}`, map-in-map entries add
 * `inner_map_id`, and `formatted` ({"key": .., "value"/"values": ..}, btf_dumper's JSON) when the
 * map has BTF key and value types, or is global data (a DATASEC value laid out as libbpf fixes it
 * up, and no key: docs/bpftool-views.md §2). Empty prog array / map-in-map slots are left out, as
 * bpftool does. `--env` / `--mock-time` / `--seed` mock the run's world (src/cli/mock-options.ts).
 */
import { UsageError } from '../../../vm/errors.js';
import type { Btf } from '../../../loader/btf/parse.js';
import type { Collection } from '../../collection.js';
import type { BpfMap } from '../../maps/types.js';
import { BPF_MAP_TYPE } from '../../uapi.js';
import type { CliIo } from '../io.js';
import { MAP_DUMP_MAX_ENTRIES, verifyMode } from '../args.js';
import { readPacketsFile, reportInputError } from '../frames.js';
import { mockFromOptions } from '../mock-options.js';
import { datasecLayout, formatBtf, formatDatasec, type DatasecVar } from '../btf-format.js';
import { LoadFailure, loadForRun, parseSets } from '../load.js';
import { DUMP_TOTAL_BYTES, DUMP_VALUE_BYTES, runJob } from './run.js';

/** Entries dumped at most by default (bpftool has no limit; tcxlab bounds every output). Defined in args.ts, for the help. */
export { MAP_DUMP_MAX_ENTRIES };

/** One entry: key bytes, and the value (per-CPU: one per CPU), or undefined for an empty fd slot. */
export interface DumpRow {
  key: Uint8Array;
  value: Uint8Array | Uint8Array[] | undefined;
}

/** What the renderers need to know about the map (bpf_map_info's fields). */
export interface DumpMapInfo {
  type: number;
  keySize: number;
  valueSize: number;
  percpu: boolean;
}

const isMapOfMaps = (t: number): boolean => t === BPF_MAP_TYPE.BPF_MAP_TYPE_ARRAY_OF_MAPS || t === BPF_MAP_TYPE.BPF_MAP_TYPE_HASH_OF_MAPS;
const isFdMap = (t: number): boolean => isMapOfMaps(t) || t === BPF_MAP_TYPE.BPF_MAP_TYPE_PROG_ARRAY;

/** bpftool's fprint_hex: bytes separated by `sep`, two spaces every 8, a new line every 16. */
export function fprintHex(b: Uint8Array, sep = ' '): string {
  let s = '';
  for (let i = 0; i < b.length; i++) {
    if (i && i % 16 === 0) s += '\n';
    else if (i && i % 8 === 0) s += '  ';
    else if (i) s += sep;
    s += b[i].toString(16).padStart(2, '0');
  }
  return s;
}

const u32 = (b: Uint8Array): number => new DataView(b.buffer, b.byteOffset, b.byteLength).getUint32(0, true);

/** bpftool's plain dump (print_entry_plain, print_entry_error_msg, the `Found` line). */
export function dumpPlain(info: DumpMapInfo, rows: DumpRow[]): string {
  let s = '';
  let n = 0;
  for (const r of rows) {
    if (r.value === undefined) {
      if (isFdMap(info.type)) continue;
      const msg = '<no entry>';
      const breakNames = info.keySize > 16 || msg.length > 16;
      const single = info.keySize + msg.length <= 24 && !breakNames;
      s += `key:${breakNames ? '\n' : ' '}${fprintHex(r.key)}${single ? '  ' : '\n'}value:${breakNames ? '\n' : ' '}${msg}\n`;
      continue;
    }
    n++;
    if (!Array.isArray(r.value)) {
      const breakNames = info.keySize > 16 || info.valueSize > 16;
      const single = info.keySize + info.valueSize <= 24 && !breakNames;
      if (info.keySize) s += `key:${breakNames ? '\n' : ' '}${fprintHex(r.key)}${single ? '  ' : '\n'}`;
      if (info.valueSize) {
        s += isMapOfMaps(info.type) ? `inner_map_id:${breakNames ? '\n' : ' '}${u32(r.value)} ` : `value:${breakNames ? '\n' : ' '}${fprintHex(r.value)}`;
      }
      s += '\n';
    } else {
      if (info.keySize) s += `key:\n${fprintHex(r.key)}\n`;
      r.value.forEach((v, cpu) => {
        s += `value (CPU ${String(cpu).padStart(2, '0')}):${info.valueSize > 16 ? '\n' : ' '}${fprintHex(v)}\n`;
      });
    }
  }
  return `${s}Found ${n} element${n !== 1 ? 's' : ''}\n`;
}

/** bpftool's print_hex_data_json: ["0x01","0x00",...] as JSON text. */
const hexJson = (b: Uint8Array): string => `[${Array.from(b, (x) => `"0x${x.toString(16).padStart(2, '0')}"`).join(',')}]`;

/**
 * BTF of the map's key and value (bpftool formats only maps with a value type). Global data maps
 * have no key type (keyTypeId 0: no `key` in `formatted`, as do_dump_btf) and a DATASEC value
 * laid out as libbpf fixed it up (`datasec`).
 */
export interface DumpBtf {
  btf: Btf;
  keyTypeId: number;
  valueTypeId: number;
  datasec?: { name: string; vars: readonly DatasecVar[] };
}

/** `formatted` of one entry (do_dump_btf), or undefined when a part cannot be formatted. */
function formattedEntry(types: DumpBtf, key: Uint8Array, value: Uint8Array | Uint8Array[]): string | undefined {
  let head = '';
  if (types.keyTypeId) {
    const fk = formatBtf(types.btf, types.keyTypeId, key);
    if (fk === undefined) return undefined;
    head = `"key":${fk},`;
  }
  const fmt = (v: Uint8Array): string | undefined =>
    types.datasec ? formatDatasec(types.btf, types.datasec.name, types.datasec.vars, v) : formatBtf(types.btf, types.valueTypeId, v);
  if (!Array.isArray(value)) {
    const fv = fmt(value);
    return fv === undefined ? undefined : `{${head}"value":${fv}}`;
  }
  const fvs = value.map(fmt);
  if (fvs.some((x) => x === undefined)) return undefined;
  return `{${head}"values":[${fvs.map((v, cpu) => `{"cpu":${cpu},"value":${v}}`).join(',')}]}`;
}

/**
 * bpftool -j's dump (print_entry_json) as JSON text: u64 values in `formatted` stay exact, which
 * JSON.stringify of JS numbers could not promise.
 */
export function dumpJsonText(info: DumpMapInfo, rows: DumpRow[], types?: DumpBtf): string {
  const out: string[] = [];
  for (const r of rows) {
    if (r.value === undefined) {
      if (isFdMap(info.type)) continue;
      out.push(`{"key":${hexJson(r.key)},"value":{"error":"No such file or directory"}}`);
      continue;
    }
    let e = Array.isArray(r.value)
      ? `{"key":${hexJson(r.key)},"values":[${r.value.map((v, cpu) => `{"cpu":${cpu},"value":${hexJson(v)}}`).join(',')}]`
      : `{"key":${hexJson(r.key)},"value":${hexJson(r.value)}`;
    if (!Array.isArray(r.value) && isMapOfMaps(info.type)) e += `,"inner_map_id":${u32(r.value)}`;
    const f = types && formattedEntry(types, r.key, r.value);
    if (f !== undefined) e += `,"formatted":${f}`;
    out.push(`${e}}`);
  }
  return `[${out.join(',')}]`;
}

/**
 * The map's entries, bounded as `tcxlab run`'s dumps are: at most `max` entries, each value cut
 * to its first DUMP_VALUE_BYTES bytes (`valueBytesShown` set), and DUMP_TOTAL_BYTES of values in
 * all (`truncated` set when entries were left out).
 */
export function mapRows(map: BpfMap, max: number): { rows: DumpRow[]; truncated: boolean; valueBytesShown?: number } {
  const keys = map.keys(max + 1);
  let truncated = keys.length > max;
  let valueBytesShown: number | undefined;
  let budget = DUMP_TOTAL_BYTES;
  const cut = (v: Uint8Array): Uint8Array => {
    if (v.length <= DUMP_VALUE_BYTES) return v;
    valueBytesShown = DUMP_VALUE_BYTES;
    return v.subarray(0, DUMP_VALUE_BYTES);
  };
  const rows: DumpRow[] = [];
  for (const key of keys.slice(0, max)) {
    let value: DumpRow['value'];
    try {
      const v = map.lookup(key);
      value = v === undefined ? undefined : Array.isArray(v) ? v.map(cut) : cut(v);
    } catch {
      value = undefined;
    }
    const cost = value === undefined ? 0 : Array.isArray(value) ? value.reduce((n, x) => n + x.length, 0) : value.length;
    if (cost > budget && rows.length > 0) {
      truncated = true;
      break;
    }
    budget -= cost;
    rows.push({ key, value });
  }
  return { rows, truncated, valueBytesShown };
}

/** The BTF types bpftool would format the map with, if the object has them. */
function btfOf(coll: Collection, map: BpfMap): DumpBtf | undefined {
  const ms = coll.spec.maps[coll.mapList.indexOf(map)];
  const btf = coll.spec.btf;
  if (btf === undefined || ms === undefined || !ms.btfValueTypeId) return undefined;
  const vt = btf.typeById(ms.btfValueTypeId);
  if (vt.kind === 'DATASEC') {
    // Global data: libbpf gives the map no key type and fixes the DATASEC up at open (sizes and
    // offsets from the ELF section and symbols); the loader has the symbols' offsets.
    const symbols = new Map((ms.variables ?? []).map((v) => [v.name, v.offset] as const));
    const vars = datasecLayout(btf, ms.btfValueTypeId, (name) => symbols.get(name));
    if (vars === undefined || (vt.size !== 0 && vt.size !== ms.valueSize)) return undefined;
    return { btf, keyTypeId: 0, valueTypeId: ms.btfValueTypeId, datasec: { name: vt.name, vars } };
  }
  if (!ms.btfKeyTypeId) return undefined;
  return { btf, keyTypeId: ms.btfKeyTypeId, valueTypeId: ms.btfValueTypeId };
}

/** `tcxlab map dump`: the command's action (its arguments and options are defined in src/cli/program.ts). */
export function action(io: CliIo, obj: string, mapName: string, prog: string | undefined, packetsFile: string | undefined, o: Record<string, unknown>): void {
  if (prog !== undefined && packetsFile === undefined) throw new UsageError(`map dump: PROG ${prog} needs a PACKETS_FILE to run on`);
  const sets = parseSets(o.set as string[] | undefined);
  const objBytes = io.readFile(obj, 'object');
  const btfBytes = o.btf !== undefined ? io.readFile(o.btf as string, 'btf') : undefined;
  const warn = (line: string): void => io.err(`tcxlab: ${line}\n`);
  const mock = mockFromOptions(io, o);
  let coll: Collection | undefined;
  if (prog !== undefined && packetsFile !== undefined) {
    const input = readPacketsFile(io, packetsFile);
    const result = runJob(objBytes, obj, prog, input.frames, {
      sets,
      cpu: o.cpu as number,
      type: o.type as string | undefined,
      btf: btfBytes,
      verify: verifyMode(o),
      warn,
      dumpMaps: false,
      mock,
      onCollection: (c) => (coll = c),
    });
    reportInputError(io, packetsFile, input);
    if ('error' in result) {
      io.err(`tcxlab: ${obj}: load failed (${String(result.errname)}): ${String(result.log).split('\n')[0]}\n`);
      io.exitCode = 1;
      return;
    }
    for (const r of result.runs as { line: number; err: number; errname?: string; fault?: { message: string } }[]) {
      if (r.err !== 0) warn(`${packetsFile}: ${input.format === 'hex' ? 'line' : 'frame'} ${r.line}: run failed (${r.errname})${r.fault ? `: ${r.fault.message}` : ''}`);
    }
  } else {
    try {
      coll = loadForRun(objBytes, obj, undefined, sets, { type: o.type as string | undefined, btf: btfBytes, verify: verifyMode(o), warn, mock });
    } catch (e) {
      if (e instanceof LoadFailure) throw e.reason;
      throw e;
    }
  }
  if (coll === undefined) return;
  const m = coll.map(mapName);
  if (m.keySize === 0) throw new UsageError(`map dump: map ${m.name} is a ${m.typeName}: it has no keys to walk (bpftool map dump cannot either)`);
  const max = (o.maxEntries as number | undefined) ?? MAP_DUMP_MAX_ENTRIES;
  const { rows, truncated, valueBytesShown } = mapRows(m, max);
  // A value cut short is no longer the BTF type's layout: no `formatted` then.
  const info: DumpMapInfo = { type: m.type, keySize: m.keySize, valueSize: valueBytesShown ?? m.valueSize, percpu: m.percpu };
  io.out(o.json ? `${dumpJsonText(info, rows, valueBytesShown === undefined ? btfOf(coll, m) : undefined)}\n` : dumpPlain(info, rows));
  if (valueBytesShown !== undefined) warn(`note: map ${m.name}: values cut to their first ${valueBytesShown} bytes in the dump`);
  if (truncated) warn(`note: map ${m.name}: dump cut after ${rows.length} entries (--max-entries, or ${DUMP_TOTAL_BYTES} value bytes in all)`);
}
