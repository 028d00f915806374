/**
 * @fileoverview Global variables by name, as libbpf skeletons (`skel->rodata->x = 1` before
 * load, `skel->bss->y` after) and cilium/ebpf's Variables offer them.
 *
 * Before load, `rodata` / `data` / `bss` values rewrite the initial value of the data section's
 * map in the spec (the same step `tcxlab run --set .rodata ...` takes), so the verifier sees the
 * new `.rodata` bytes as the frozen constants it prunes branches with (bpf_map_direct_read), as
 * it does after libbpf writes them before BPF_MAP_FREEZE. After load, `.data`/`.bss` variables
 * are read and written in place in the map's memory (libbpf's mmap of the map); `.rodata` ones
 * are read-only.
 *
 * Where a variable is and how big comes from the loader (MapSpec.variables: the BTF DATASEC with
 * offsets from the ELF symbols); how a JS value becomes bytes comes from the variable's BTF type.
 */
import {
  NotGlobalDataError,
  ReadOnlyVariableError,
  UnknownVariableError,
  VariableSizeError,
  VariableValueError,
} from '../vm/errors.js';
import type { Btf } from '../loader/btf/parse.js';
import { BTF_KIND } from '../loader/btf/wire.js';
import type { CollectionSpec, MapSpec, VariableSpec } from '../loader/spec.js';
import type { BpfMap } from './maps/index.js';
import { decodeBtfValue, encodeBtfValue, type BtfCodecErrors, type BtfValue } from './btf-value.js';

/**
 * A value for a variable: numbers or bigints for integers, enums (or an enumerator's name),
 * floats and pointers; booleans for `bool`; a string for an array of 1-byte integers (a C
 * string: UTF-8, NUL-padded); an array for any other array; an object of member values for a
 * struct or union (members left out keep their bytes); raw bytes of the exact size for anything.
 */
export type VariableValue = BtfValue;

/** Values by variable name (own enumerable keys are read; the object's prototype is not). */
export type VariableValues = Readonly<Record<string, VariableValue>>;

/** The kind of data section a variable lives in, as skeletons group them. */
export type DataKind = 'rodata' | 'data' | 'bss';

/** Variables to set before load, by section kind (CollectionOptions). */
export interface VariableOptions {
  /** `.rodata*` (`const volatile`) values: frozen after load, constants for the verifier. */
  rodata?: VariableValues;
  /** `.data*` (initialised globals) values. */
  data?: VariableValues;
  /** `.bss*` (zero-initialised globals) values. */
  bss?: VariableValues;
}

/** The kind of a global-data map's section (libbpf: `.rodata*`, `.data*`, `.bss*`). */
export function dataKindOf(ms: MapSpec): DataKind | undefined {
  if (ms.source !== 'data') return undefined;
  if (ms.name.startsWith('.rodata')) return 'rodata';
  if (ms.name.startsWith('.bss')) return 'bss';
  if (ms.name.startsWith('.data')) return 'data';
  return undefined;
}

/** Where a variable is: its map (spec index) and its place in the value. */
export interface VariableLocation {
  readonly mapIndex: number;
  readonly map: MapSpec;
  readonly kind: DataKind;
  readonly spec: VariableSpec;
}

/** Every variable of the spec's data sections by name (a Map: names come from the object). */
export function variableLocations(spec: CollectionSpec): Map<string, VariableLocation> {
  const out = new Map<string, VariableLocation>();
  spec.maps.forEach((map, mapIndex) => {
    const kind = dataKindOf(map);
    if (kind === undefined) return;
    for (const v of map.variables ?? []) if (!out.has(v.name)) out.set(v.name, { mapIndex, map, kind, spec: v });
  });
  return out;
}

/** Levenshtein distance, bounded by `max` (returns max + 1 beyond it). */
function distance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      best = Math.min(best, cur[j]);
    }
    if (best > max) return max + 1;
    prev = cur;
  }
  return prev[b.length];
}

/** Names among `names` close to `name` (case-insensitive match, substring, or a few edits). */
export function closeNames(name: string, names: Iterable<string>, limit = 5): string[] {
  const lower = name.toLowerCase();
  const max = Math.max(2, Math.floor(name.length / 3));
  const scored: [number, string][] = [];
  for (const n of names) {
    const l = n.toLowerCase();
    const d = l === lower ? 0 : l.includes(lower) || lower.includes(l) ? 1 : distance(lower, l, max);
    if (d <= max) scored.push([d, n]);
  }
  return scored
    .sort((a, b) => a[0] - b[0] || (a[1] < b[1] ? -1 : 1))
    .slice(0, limit)
    .map((s) => s[1]);
}

/** The DATASEC holding a BTF VAR named `name` (any linkage), for messages about non-variables. */
function datasecOfVar(btf: Btf | undefined, name: string): { section: string; isStatic: boolean } | undefined {
  if (btf === undefined) return undefined;
  for (const id of btf.idsByName(name)) {
    const v = btf.typeById(id);
    if (v.kind !== 'VAR') continue;
    for (let d = 1; d < btf.count; d++) {
      if (btf.nameOf(d) === '' || btf.kindOf(d) !== BTF_KIND.DATASEC) continue;
      const ds = btf.typeById(d);
      if (ds.kind === 'DATASEC' && ds.vars.some((x) => x.type === id)) return { section: ds.name, isStatic: v.linkage === 0 };
    }
  }
  return undefined;
}

/**
 * The variable `name` among `locs` (of kind `kind` when given), or the typed error that says
 * why not: not a global-data section (E_NOT_GLOBAL_DATA), another kind of section, static, or
 * unknown with the closest names (E_UNKNOWN_VARIABLE).
 */
export function findVariable(spec: CollectionSpec, locs: ReadonlyMap<string, VariableLocation>, name: string, kind?: DataKind): VariableLocation {
  const loc = locs.get(name);
  if (loc !== undefined && (kind === undefined || loc.kind === kind)) return loc;
  if (loc !== undefined) {
    throw new UnknownVariableError(name, `variable ${JSON.stringify(name)} is in ${loc.map.name}, not a ${kind} section: give it under \`${loc.kind}\``, [name]);
  }
  const where = datasecOfVar(spec.btf, name);
  const dataSections = new Set(spec.maps.filter((m) => dataKindOf(m) !== undefined).map((m) => m.name));
  if (where !== undefined && !dataSections.has(where.section)) {
    throw new NotGlobalDataError(name, `${JSON.stringify(name)} is in section ${where.section}, which is not a global-data section (.rodata*, .data*, .bss*)`, where.section);
  }
  const pool = [...locs.values()].filter((l) => kind === undefined || l.kind === kind).map((l) => l.spec.name);
  const close = closeNames(name, pool);
  if (where?.isStatic) {
    throw new UnknownVariableError(name, `variable ${JSON.stringify(name)} in ${where.section} is static: only non-static globals can be set by name, as in libbpf skeletons`, close);
  }
  const what = kind === undefined ? 'global variable' : `${kind} variable`;
  const hint = close.length > 0 ? `did you mean ${close.join(', ')}?` : pool.length > 0 ? `have: ${pool.slice(0, 12).join(', ')}${pool.length > 12 ? ', ...' : ''}` : 'the object has none';
  throw new UnknownVariableError(name, `no ${what} ${JSON.stringify(name)} in the object (${hint})`, close);
}

// ---------------------------------------------------------------------------------------------
// Values <-> bytes by BTF type (src/btf-value.ts)

/** The codec's errors as the variables' typed errors. */
function variableErrors(variable: string, section: string): BtfCodecErrors {
  return {
    value: (path, msg) => {
      throw new VariableValueError(variable, `variable ${path}: ${msg}`, section);
    },
    size: (path, msg, expected, got) => {
      throw new VariableSizeError(variable, `variable ${path}: ${msg}`, expected, got, section);
    },
  };
}

/** Encode `value` for variable `v` over `current` (its present bytes, which are not modified). */
export function encodeVariable(btf: Btf, v: VariableSpec, section: string, value: VariableValue, current: Uint8Array): Uint8Array {
  return encodeBtfValue(btf, v.btfTypeId, value, current.slice(0, v.size), v.name, variableErrors(v.name, section));
}

/** Decode variable `v` from its bytes. */
export function decodeVariable(btf: Btf, v: VariableSpec, bytes: Uint8Array): VariableValue {
  return decodeBtfValue(btf, v.btfTypeId, bytes);
}

// ---------------------------------------------------------------------------------------------
// Before load

/**
 * `spec` with the initial value of some global-data maps rewritten: `patch(index, bytes)` is
 * called once per map index in `indexes` with a private copy of its initial value to modify.
 * The one place initial values change before load (library options and `tcxlab run --set`).
 */
export function withInitialValues(spec: CollectionSpec, indexes: Iterable<number>, patch: (index: number, init: Uint8Array) => void): CollectionSpec {
  const todo = new Set(indexes);
  if (todo.size === 0) return spec;
  const maps = spec.maps.map((ms, i) => {
    if (!todo.has(i)) return ms;
    const init = new Uint8Array(ms.valueSize);
    init.set(ms.initialValue?.subarray(0, ms.valueSize) ?? new Uint8Array(0));
    patch(i, init);
    return { ...ms, initialValue: init };
  });
  return { ...spec, maps };
}

/** `spec` with the variables of `opts` written into the initial values of their sections. */
export function withVariables(spec: CollectionSpec, opts: VariableOptions): CollectionSpec {
  const kinds: DataKind[] = ['rodata', 'data', 'bss'];
  if (!kinds.some((k) => opts[k] !== undefined && Object.keys(opts[k] as object).length > 0)) return spec;
  const btf = spec.btf;
  const locs = variableLocations(spec);
  const writes: [VariableLocation, VariableValue][] = [];
  for (const kind of kinds) {
    const given = opts[kind];
    if (given === undefined) continue;
    for (const name of Object.keys(given)) writes.push([findVariable(spec, locs, name, kind), given[name]]);
  }
  if (btf === undefined) return spec; // findVariable found nothing without BTF
  return withInitialValues(
    spec,
    writes.map(([l]) => l.mapIndex),
    (index, init) => {
      for (const [l, value] of writes) {
        if (l.mapIndex !== index) continue;
        const v = l.spec;
        init.set(encodeVariable(btf, v, l.map.name, value, init.subarray(v.offset, v.offset + v.size)), v.offset);
      }
    },
  );
}

/**
 * `spec` with variables set by name alone (`tcxlab run --var`): each goes to the kind of
 * section it is in. Unknown names throw as in withVariables.
 */
export function withNamedVariables(spec: CollectionSpec, values: ReadonlyMap<string, VariableValue>): CollectionSpec {
  if (values.size === 0) return spec;
  const locs = variableLocations(spec);
  const byKind: Record<DataKind, Record<string, VariableValue>> = { rodata: Object.create(null), data: Object.create(null), bss: Object.create(null) };
  for (const [name, value] of values) byKind[findVariable(spec, locs, name).kind][name] = value;
  return withVariables(spec, byKind);
}

/**
 * A command-line value: integers (decimal, 0x hex, a trailing `n` for bigint; beyond 2^53 a
 * bigint), true/false, JSON arrays and quoted strings, `hex:` raw bytes, otherwise the text
 * itself (an enumerator name or a string for a char array).
 */
export function parseVariableText(text: string): VariableValue | undefined {
  const t = text.trim();
  const int = /^(-?)(0x[0-9a-f]+|\d+)n?$/i.exec(t);
  if (int) {
    const v = BigInt(int[2]) * (int[1] === '-' ? -1n : 1n);
    return t.endsWith('n') || v > BigInt(Number.MAX_SAFE_INTEGER) || v < BigInt(Number.MIN_SAFE_INTEGER) ? v : Number(v);
  }
  if (t === 'true' || t === 'false') return t === 'true';
  if (t.startsWith('hex:')) {
    const h = t.slice(4);
    if (!/^([0-9a-f]{2})*$/i.test(h)) return undefined;
    return Uint8Array.from(h.match(/../g) ?? [], (x) => parseInt(x, 16));
  }
  if (t.startsWith('[') || t.startsWith('"')) {
    try {
      return JSON.parse(t) as VariableValue;
    } catch {
      return undefined;
    }
  }
  return text;
}

// ---------------------------------------------------------------------------------------------
// After load

/**
 * A global variable of a loaded collection (cilium/ebpf's Variable): reads and writes go to
 * the map's memory, so programs see a `set` on their next run and `get` sees what they wrote.
 */
export class Variable {
  readonly name: string;
  /** The data section (map spec name): `.data`, `.bss`, `.rodata.config`... */
  readonly section: string;
  readonly kind: DataKind;
  /** Byte offset in the section and size. */
  readonly offset: number;
  readonly size: number;
  /** `.rodata*`: frozen after load, `set` throws E_READ_ONLY_VARIABLE. */
  readonly readOnly: boolean;
  /** The variable's C type, as BTF spells it (`const volatile __u32`, `char[8]`...). */
  readonly typeName: string;
  readonly #btf: Btf;
  readonly #map: BpfMap;
  readonly #spec: VariableSpec;

  /** @internal Collection.variable() makes these. */
  constructor(btf: Btf, loc: VariableLocation, map: BpfMap) {
    this.name = loc.spec.name;
    this.section = loc.map.name;
    this.kind = loc.kind;
    this.offset = loc.spec.offset;
    this.size = loc.spec.size;
    this.readOnly = loc.kind === 'rodata';
    this.typeName = btf.typeName(loc.spec.btfTypeId);
    this.#btf = btf;
    this.#map = map;
    this.#spec = loc.spec;
  }

  /** The variable's bytes in the map (a live view: element 0 of the one-entry array). */
  #view(): Uint8Array {
    const r = this.#map.lookupElem(new Uint8Array(4), 0);
    if (r === undefined) throw new VariableValueError(this.name, `variable ${this.name}: map ${this.#map.name} has no element 0`, this.section);
    const at = this.#map.lastOffset + this.offset;
    return r.bytes.subarray(at, at + this.size);
  }

  /** A copy of the variable's bytes. */
  bytes(): Uint8Array {
    return this.#view().slice();
  }

  /** The value, decoded by its BTF type (see VariableValue; ints over 4 bytes are bigints). */
  get(): VariableValue {
    return decodeVariable(this.#btf, this.#spec, this.#view());
  }

  /** Write a value (encoded by the BTF type; struct members left out keep their bytes). */
  set(value: VariableValue): void {
    if (this.readOnly) {
      throw new ReadOnlyVariableError(this.name, `variable ${this.name} is in ${this.section}, which is frozen after load: set it before load (rodata: { ${this.name}: ... })`, this.section);
    }
    const view = this.#view();
    view.set(encodeVariable(this.#btf, this.#spec, this.section, value, view));
  }
}
