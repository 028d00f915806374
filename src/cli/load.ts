/**
 * @fileoverview Loading an object for a run, shared by the commands that run a program on frames
 * (`run`, `trace`, `cover`, `map dump`): the argument parsers (`--set`, `--var`, hex), the load
 * as `oracle run` does it (`loadForRun`). Each command imports these from here.
 */
import { BpfError, UsageError } from '../../vm/errors.js';
import { Collection, libbpfMapName, objectNameOf } from '../collection.js';
import { loadCollectionSpec } from '../../loader/index.js';
import type { CollectionSpec, MapSpec } from '../../loader/spec.js';
import { fromHex as parseHex } from '../maps/bytes.js';
import { parseHexFrames } from '../pcap/input.js';
import { parseVariableText, withInitialValues, withNamedVariables, type VariableValue } from '../variables.js';
import { BPF_PROG_TYPE, progTypeName } from '../uapi.js';
import type { VerifyMode } from './args.js';
import type { MockEnv } from '../mock-env.js';

/** How an object is loaded for a run: verification mode and where its warnings go. */
export interface LoadRunOptions {
  type?: string;
  btf?: Uint8Array;
  verify?: VerifyMode;
  /** Called with a line for each rejection `verify: 'warn'` let through. */
  warn?: (line: string) => void;
  /** `--var NAME=VALUE`: global variables set by name before load (src/variables.ts). */
  vars?: ReadonlyMap<string, VariableValue>;
  /** `--env` / `--mock-time` / `--seed` (src/mock-env.ts). */
  mock?: MockEnv;
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
      mock: lo.mock,
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

