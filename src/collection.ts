/**
 * @fileoverview A Collection is a CollectionSpec made live (cilium/ebpf's Spec → Object step):
 * maps created in one Memory, programs linked against them and the helper table, prog arrays and
 * maps-of-maps filled from the object's static initialisers.
 *
 * Binding of the loader's symbolic references (see loader/spec.ts):
 *
 *   lddw src=BPF_PSEUDO_MAP_IDX i          → the map's handle address   (handle.hi : BASE_LO)
 *   lddw src=BPF_PSEUDO_MAP_IDX_VALUE i,o  → byte o of element 0 of map i (global data)
 *   lddw src=BPF_PSEUDO_FUNC d             → CODE_HI : (pc + 1 + d)     (callbacks)
 */
import { BpfError, ErrnoError, ErrorCode, RelocationError, VerifierError } from '../vm/errors.js';
import { PseudoSrc } from '../vm/isa.js';
import { link } from '../vm/link.js';
import { verify } from '../vm/verifier/index.js';
import { Memory } from '../vm/memory.js';
import { CODE_HI, decode, type HelperFn, type HelperTable, type LinkedProgram } from '../vm/program.js';
import { loadCollectionSpec, type LoadOptions } from '../loader/index.js';
import type { CollectionSpec, MapSpec, ProgramSpec, Unsupported } from '../loader/spec.js';
import { buildHelperTable } from './helpers/table.js';
// From the modules themselves, not the maps/index.ts barrel: the CLI bundle loads the map types
// on first use (src/cli/lazy-units.ts), and the barrel names them all.
import { createMap, createUnsupportedMap, isUnimplementedMapType } from './maps/create.js';
import { createMapEnv, type BpfMap, type MapEnv } from './maps/types.js';
import { UnsupportedMap } from './maps/unsupported.js';
import { codecForSpec } from './maps/typed.js';
import { snapshotMaps, type MapsSnapshot, type SnapshotOptions } from './maps/snapshot.js';
import { buildKfuncTable } from './kfuncs/index.js';
import { kfuncCallRefusal } from '../vm/kfuncs.js';
import { ProgArrayMap } from './maps/prog-array.js';
import { ArrayOfMapsMap, HashOfMapsMap } from './maps/map-in-map.js';
import { BPF_MAP_TYPE, BPF_PROG_TYPE } from './uapi.js';
import { verifierOptionsFor } from './verifier-env.js';
import { exceptionCallbackOf } from './exception-cb.js';
import { testRun, type TestRunOptions, type TestRunResult } from './test-run.js';
import { defaultBaseState, SeededRandom, type VirtualClock } from './helpers/base.js';
import { mockSkbEnv, resolveMockEnv, type MockEnv, type ResolvedMockEnv } from './mock-env.js';
import { timerHost, type TimerFiring } from './helpers/timer.js';
import type { Engine } from '../vm/engine.js';
import type { FlowHashKey } from './skb/flow-hash.js';
import { SKB_CTX_REWRITE } from './skb/sk-buff-ctx.js';
import { findVariable, Variable, variableLocations, withVariables, type VariableLocation, type VariableOptions } from './variables.js';

/**
 * Options of a Collection. `rodata` / `data` / `bss` set global variables by name before load
 * (src/variables.ts), as a libbpf skeleton's `skel->rodata->x = v` between open and load.
 */
export interface CollectionOptions extends LoadOptions, VariableOptions {
  /** Emulated CPUs (num_possible_cpus) for per-CPU maps. Default 2 (the kernel oracle machine's). */
  ncpus?: number;
  /** LRU eviction: 'strict' (default, deterministic) or 'kernel' (the kernel's LRU lists). */
  lru?: 'strict' | 'kernel';
  /** Share a Memory with other collections (one emulated machine). */
  mem?: Memory;
  /** Extra or replacement helpers by id. */
  helpers?: Readonly<Record<number, HelperFn>>;
  /**
   * The world the programs see (src/mock-env.ts, the `--env` JSON format): clock start and
   * step, prandom seed, FIB routes and neighbours, socket table, helpers by name. Applied to
   * the machine's clock at load and to every `run` that brings no `base` / `env` part of its own.
   */
  mock?: MockEnv;
  /** Implementations of caller-supplied kfuncs (LoadOptions.kfuncs ids), or replacements by id. */
  kfuncImpls?: ReadonlyMap<number, HelperFn>;
  /**
   * kfuncs tcxlab implements but the recording 6.18 kernel refuses at load (vm/kfuncs.ts
   * `kernelRefuses`, e.g. bpf_dynptr_slice_rdwr): 'refuse' (default, as that kernel) or 'allow'
   * (as kernels that accept them).
   */
  kernelRefusedKfuncs?: 'refuse' | 'allow';
  /**
   * The flow hash key (the kernel's per-boot SipHash key) for `run` when `env` sets none: the
   * machine's skb->hash values follow from it (src/skb/flow-hash.ts). Default DEFAULT_FLOW_HASH_KEY.
   */
  flowHashKey?: FlowHashKey;
  /** Object name used for libbpf-style internal map names (default "obj"). */
  objectName?: string;
  /** Default engine for `run` (default 'interp'). */
  engine?: Engine;
  /**
   * Load-time verification (default true): every program goes through the verifier and a
   * rejection throws its VerifierError, as the kernel refuses to load. `false` skips it (a
   * program the kernel would refuse may then run, and fault or misbehave); `'warn'` verifies,
   * records each rejection in `verifierWarnings` (and calls `onVerifierWarning`), and loads anyway.
   */
  verify?: boolean | 'warn';
  /** With `verify: 'warn'`: called with each program the verifier rejects. */
  onVerifierWarning?: (warning: VerifierWarning) => void;
  /**
   * Load (verify and link) only the programs with these function names, like libbpf's
   * `bpf_program__set_autoload(prog, false)` for the others; default all. Maps are created anyway.
   */
  programs?: readonly string[];
  /**
   * Whether a net device with this ifindex exists where the maps live (devmap updates need one).
   * Unset: every non-zero ifindex does. Host.loadObject answers from the host's devices.
   */
  ifindexExists?: (ifindex: number) => boolean;
}

/** A verifier rejection that `verify: 'warn'` let through. */
export interface VerifierWarning {
  /** Program (function) name. */
  program: string;
  error: VerifierError;
}

export { isGplCompatible } from './verifier-env.js';

/** A program of a live collection. */
export interface LoadedProgram {
  readonly name: string;
  readonly spec: ProgramSpec;
  /** Kernel-like program id (1, 2, ... per collection). */
  readonly id: number;
  readonly linked: LinkedProgram;
}

/**
 * A program of the object that tcxlab refuses to run because it calls a kfunc or references a
 * map type tcxlab does not implement. The kernel would load it if the kfunc existed, so the
 * rest of the object loads; asking for this program throws `error`.
 */
export interface RefusedProgram {
  readonly name: string;
  readonly spec: ProgramSpec;
  readonly unsupported: readonly Unsupported[];
  readonly error: UnsupportedProgramError;
}

/** Thrown when a refused program is asked for (code E_UNSUPPORTED). */
export class UnsupportedProgramError extends BpfError {
  readonly program: string;
  readonly unsupported: readonly Unsupported[];
  constructor(program: ProgramSpec, unsupported: readonly Unsupported[]) {
    const seen = new Set<string>();
    const what: string[] = [];
    for (const u of unsupported) {
      const s = u.kind === 'kfunc' ? `kfunc ${JSON.stringify(u.name)}` : `map ${JSON.stringify(u.name)} of type ${u.detail ?? 'unknown'}`;
      if (!seen.has(s)) what.push(s);
      seen.add(s);
    }
    super(
      ErrorCode.Unsupported,
      `program ${JSON.stringify(program.name)} (section ${program.section}) is not loaded: it uses ${what.join(', ')}, which tcxlab does not implement (insn #${unsupported[0]?.insn ?? 0}; the other programs of the object are loaded)`,
    );
    this.program = program.name;
    this.unsupported = unsupported;
  }
}

/** Pinned maps of each emulated machine (one Memory): bpffs path -> map. */
const pinsByMemory = new WeakMap<Memory, Map<string, BpfMap>>();

/** The bpffs of the machine that owns `mem`: pin path -> map (iproute2 / libbpf pinning). */
export function pinnedMaps(mem: Memory): Map<string, BpfMap> {
  let m = pinsByMemory.get(mem);
  if (m === undefined) pinsByMemory.set(mem, (m = new Map()));
  return m;
}

/**
 * Reusing a pinned map needs the same definition (iproute2 bpf_map_selfcheck_pinned, libbpf
 * map_is_reuse_compat: type, key and value size, max_entries, flags); otherwise EINVAL.
 */
function checkPinnedCompat(ms: MapSpec, pinned: BpfMap, path: string): void {
  const d = pinned.def;
  if (d.type !== ms.type.id || d.keySize !== ms.keySize || d.valueSize !== ms.valueSize || pinned.maxEntries !== ms.maxEntries || d.flags !== ms.flags) {
    throw new ErrnoError(
      ErrorCode.Map,
      'EINVAL',
      `map ${JSON.stringify(ms.name)}: pinned map ${path} has another definition (type ${d.type}, key ${d.keySize}, value ${d.valueSize}, max_entries ${pinned.maxEntries}, flags 0x${d.flags.toString(16)})`,
    );
  }
}

const le32 = (b: Uint8Array): number => (b[0] | (b[1] << 8) | (b[2] << 16) | (b[3] << 24)) >>> 0;

/**
 * libbpf's name for a map: global data maps get `internal_map_name()` (an object-name prefix of up
 * to 8 characters, unless the section name has a second dot), other maps keep their own name.
 */
export function libbpfMapName(objectName: string, spec: MapSpec): string {
  if (spec.source !== 'data') return spec.name;
  const real = spec.name;
  const OBJ_NAME_LEN = 16;
  let sfx = Math.max(7, real.length);
  if (sfx >= OBJ_NAME_LEN) sfx = OBJ_NAME_LEN - 1;
  const pfx = real.slice(1).includes('.') ? 0 : Math.min(OBJ_NAME_LEN - sfx - 1, objectName.length);
  return (objectName.slice(0, pfx) + real.slice(0, sfx)).replace(/[^A-Za-z0-9_.]/g, '_');
}

/** libbpf's object name: the file's base name up to its first dot. */
export function objectNameOf(path: string): string {
  const base = path.split('/').pop() ?? path;
  const dot = base.indexOf('.');
  return dot > 0 ? base.slice(0, dot) : base;
}

/**
 * Programs the verifier already accepted, per parsed spec and instruction bytes, with the options
 * that change the verdict: a fresh Collection per test from one parsed spec (the cheap isolation
 * test authors want) skips verification. Specs are data nothing changes after loading; global
 * variables set before load make a new spec, so they are verified again.
 */
const ACCEPTED = new WeakMap<CollectionSpec, WeakMap<Uint8Array, Set<string>>>();

export class Collection {
  readonly spec: CollectionSpec;
  readonly mem: Memory;
  readonly mapEnv: MapEnv;
  readonly helpers: HelperTable;
  /** Maps in spec order. */
  readonly mapList: BpfMap[] = [];
  /** Maps by libbpf name (and by spec name when different). */
  readonly maps = new Map<string, BpfMap>();
  /** Programs by function name. */
  readonly programs = new Map<string, LoadedProgram>();
  /** Programs of the object tcxlab refuses (unsupported kfunc or map type), by function name. */
  readonly refused = new Map<string, RefusedProgram>();
  readonly objectName: string;
  readonly engine: Engine;
  /** Verifier rejections let through by `verify: 'warn'` (empty otherwise). */
  readonly verifierWarnings: VerifierWarning[] = [];
  /** Programs whose verification an earlier Collection of the same spec already passed. */
  readonly reusedVerdicts: string[] = [];
  /** CollectionOptions.flowHashKey. */
  readonly flowHashKey?: FlowHashKey;
  /** CollectionOptions.mock, checked. */
  readonly mock?: ResolvedMockEnv;
  /** With `mock.seed`: the one bpf_get_prandom_u32 sequence of all runs (else each run starts afresh). */
  readonly random?: SeededRandom;
  /** kfunc implementations by tcxlab kfunc id (vm/kfuncs.ts records, plus `kfuncImpls`). */
  readonly kfuncs: ReadonlyMap<number, HelperFn>;

  constructor(spec: CollectionSpec, opts: CollectionOptions = {}) {
    // Before anything is created or verified: the verifier must see the new .rodata constants.
    spec = withVariables(spec, opts);
    this.spec = spec;
    this.objectName = opts.objectName ?? 'obj';
    this.engine = opts.engine ?? 'interp';
    this.flowHashKey = opts.flowHashKey;
    this.mem = opts.mem ?? new Memory();
    this.mapEnv = createMapEnv(this.mem, { ncpus: opts.ncpus, lru: opts.lru });
    if (opts.ifindexExists) this.mapEnv.ifindexExists = opts.ifindexExists;
    this.mock = opts.mock !== undefined ? resolveMockEnv(opts.mock) : undefined;
    this.helpers = buildHelperTable({ ...opts.helpers, ...this.mock?.helpers });
    if (this.mock?.timeNs !== undefined) this.clock.monoNs = this.mock.timeNs;
    if (this.mock?.timeStepNs !== undefined) this.clock.stepNs = this.mock.timeStepNs;
    if (this.mock?.seed !== undefined) this.random = new SeededRandom(this.mock.seed);
    this.kfuncs = new Map([...buildKfuncTable(), ...(opts.kfuncImpls ?? [])]);
    const pins = pinnedMaps(this.mem);
    const reused = new Set<number>();
    spec.maps.forEach((ms, i) => {
      const named = { ...ms, name: libbpfMapName(this.objectName, ms) };
      const pinned = ms.pinPath !== undefined ? pins.get(ms.pinPath) : undefined;
      let map: BpfMap;
      if (pinned !== undefined) {
        // Loaders reuse a pinned map as it is: no new contents, no freezing.
        checkPinnedCompat(ms, pinned, ms.pinPath as string);
        map = pinned;
        reused.add(i);
      } else {
        map = isUnimplementedMapType(ms.type.id) ? createUnsupportedMap(named, this.mapEnv) : createMap(named, this.mapEnv);
        if (ms.readOnly) map.freeze();
        if (ms.pinPath !== undefined) pins.set(ms.pinPath, map);
      }
      // Keys and values typed by the object's BTF (map.get / put / iteration).
      map.codec ??= codecForSpec(spec.btf, ms, named.name);
      this.mapList.push(map);
      this.maps.set(named.name, map);
      if (!this.maps.has(ms.name)) this.maps.set(ms.name, map);
    });
    this.reusedMaps = reused;
    let nextId = 1;
    for (const ps of spec.programs) {
      if (opts.programs !== undefined && !opts.programs.includes(ps.name)) continue;
      const code = decode(ps.instructions);
      const unsupported = [...(ps.unsupported ?? []), ...this.unsupportedMapRefs(ps)].sort((a, b) => a.insn - b.insn);
      if (unsupported.length > 0) {
        this.refused.set(ps.name, { name: ps.name, spec: ps, unsupported, error: new UnsupportedProgramError(ps, unsupported) });
        continue;
      }
      let accepted = ACCEPTED.get(spec);
      if (accepted === undefined) ACCEPTED.set(spec, (accepted = new WeakMap()));
      let verdicts = accepted.get(ps.instructions);
      if (verdicts === undefined) accepted.set(ps.instructions, (verdicts = new Set()));
      const verdictKey = `${opts.kernelRefusedKfuncs ?? 'refuse'}|${[...(opts.kfuncImpls?.keys() ?? [])].join(',')}`;
      if (opts.verify !== false && verdicts.has(verdictKey)) {
        this.reusedVerdicts.push(ps.name);
      } else if (opts.verify !== false) {
        try {
          verify(
            code,
            verifierOptionsFor(spec, ps, {
              // kfunc calls were bound by the loader: an id is either a record of vm/kfuncs.ts or a
              // caller-supplied extra (LoadOptions.kfuncs) implemented through `opts.kfuncImpls`.
              kfuncRefusal: (id) => (opts.kfuncImpls?.has(id) ? undefined : kfuncCallRefusal(id, opts.kernelRefusedKfuncs === 'allow')),
            }),
          );
          verdicts.add(verdictKey);
        } catch (e) {
          if (opts.verify !== 'warn' || !(e instanceof VerifierError)) throw e;
          const w = { program: ps.name, error: e };
          this.verifierWarnings.push(w);
          opts.onVerifierWarning?.(w);
        }
      }
      const exceptionCb = exceptionCallbackOf(spec, ps);
      const linked = link(code, {
        name: ps.name,
        ...(typeof exceptionCb === 'number' ? { exceptionCb } : {}),
        helpers: this.helpers,
        kfuncs: this.kfuncs,
        resolveLdImm64: (src, imm, nextImm, insn) => this.resolve(ps, src, imm, nextImm, insn),
        // __sk_buff accesses compiled once (the JIT uses it only on a run whose ctx is a __sk_buff).
        ctx: SKB_CTX_REWRITE,
      });
      this.programs.set(ps.name, { name: ps.name, spec: ps, id: nextId++, linked });
    }
    this.fillStaticInitialisers();
  }

  /** Load an object file's bytes. */
  static load(bytes: Uint8Array, opts: CollectionOptions = {}): Collection {
    return new Collection(loadCollectionSpec(bytes, opts), opts);
  }

  /** Spec indexes of maps taken over from a pin (created by an earlier object). */
  readonly reusedMaps: ReadonlySet<number>;

  /** lddw references (map or map value) of `ps` to maps tcxlab does not implement. */
  private unsupportedMapRefs(ps: ProgramSpec): Unsupported[] {
    const out: Unsupported[] = [];
    const b = ps.instructions;
    const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
    for (let i = 0; i + 1 < b.length / 8; i++) {
      if (b[i * 8] !== 0x18) continue; // BPF_LD | BPF_IMM | BPF_DW
      const src = b[i * 8 + 1] >> 4;
      if (src === PseudoSrc.BPF_PSEUDO_MAP_IDX || src === PseudoSrc.BPF_PSEUDO_MAP_IDX_VALUE) {
        const m = this.mapList[dv.getInt32(i * 8 + 4, true)];
        if (m instanceof UnsupportedMap) out.push({ kind: 'map', name: m.name, insn: i, detail: this.spec.maps[this.mapList.indexOf(m)]?.type.name });
      }
      i++;
    }
    return out;
  }

  /** The program with this function name, or a BpfError listing the ones there are. */
  program(name: string): LoadedProgram {
    const p = this.programs.get(name);
    if (p === undefined) {
      const r = this.refused.get(name);
      if (r !== undefined) throw r.error;
      throw new BpfError(ErrorCode.Usage, `no program ${JSON.stringify(name)} (have: ${[...this.programs.keys()].join(', ')})`);
    }
    return p;
  }

  #variables?: Map<string, VariableLocation>;
  #variableCache = new Map<string, Variable>();

  /** Names of the object's global variables (non-static, in .rodata*, .data*, .bss*). */
  get variableNames(): string[] {
    return [...(this.#variables ??= variableLocations(this.spec)).keys()];
  }

  /**
   * The global variable `name` (cilium/ebpf's Collection.Variables): `get()`, and `set(v)` for
   * .data/.bss ones. Unknown names throw E_UNKNOWN_VARIABLE with the closest names.
   */
  variable(name: string): Variable {
    const cached = this.#variableCache.get(name);
    if (cached !== undefined) return cached;
    const loc = findVariable(this.spec, (this.#variables ??= variableLocations(this.spec)), name);
    const v = new Variable(this.spec.btf as NonNullable<CollectionSpec['btf']>, loc, this.mapList[loc.mapIndex]);
    this.#variableCache.set(name, v);
    return v;
  }

  /**
   * A copy of every map's entries now (by libbpf map name), for `diffSnapshots(before, after)`:
   * what runs between two snapshots added, removed and changed, decoded by BTF.
   */
  snapshot(opts: SnapshotOptions = {}): MapsSnapshot {
    return snapshotMaps(this.mapList.map((m) => [m.name, m] as const), opts);
  }

  /** The map with this name (libbpf name or spec name). */
  map(name: string): BpfMap {
    const m = this.maps.get(name) ?? [...this.maps.entries()].find(([k]) => k.endsWith(name))?.[1];
    if (m === undefined) throw new BpfError(ErrorCode.Usage, `no map ${JSON.stringify(name)} (have: ${this.mapList.map((x) => x.name).join(', ')})`);
    return m;
  }

  private mapAt(ps: ProgramSpec, index: number, insn: number): BpfMap {
    const m = this.mapList[index];
    if (m === undefined) throw new RelocationError(`insn #${insn} references map index ${index}, object has ${this.mapList.length}`, { section: ps.section, symbol: ps.name });
    return m;
  }

  private resolve(ps: ProgramSpec, src: number, imm: number, nextImm: number, insn: number): [number, number] {
    switch (src) {
      case PseudoSrc.BPF_PSEUDO_MAP_IDX:
      case PseudoSrc.BPF_PSEUDO_MAP_FD: {
        const m = this.mapAt(ps, imm, insn);
        return [Memory.lo(0), m.handle.hi];
      }
      case PseudoSrc.BPF_PSEUDO_MAP_IDX_VALUE:
      case PseudoSrc.BPF_PSEUDO_MAP_VALUE: {
        const m = this.mapAt(ps, imm, insn);
        const region = m.lookupElem(new Uint8Array(4), 0);
        if (region === undefined) throw new RelocationError(`insn #${insn}: map ${m.name} has no element 0 for a value reference`, { section: ps.section });
        return [Memory.lo(m.lastOffset + (nextImm >>> 0)), region.hi];
      }
      case PseudoSrc.BPF_PSEUDO_FUNC:
        return [insn + 1 + imm, CODE_HI];
      default:
        throw new RelocationError(`insn #${insn}: lddw with src ${src} is not supported`, { section: ps.section, symbol: ps.name });
    }
  }

  /** Prog arrays and maps-of-maps from `.maps` initialisers and iproute2 ID/KEY sections. */
  private fillStaticInitialisers(): void {
    this.spec.maps.forEach((ms, i) => {
      const map = this.mapList[i];
      // A reused pinned map keeps what it holds; iproute2 still adds its ID/KEY tail calls.
      if (this.reusedMaps.has(i) && ms.source !== 'iproute2') return;
      for (const [k, v] of ms.contents ?? []) {
        if (ms.type.id === BPF_MAP_TYPE.BPF_MAP_TYPE_PROG_ARRAY && map instanceof ProgArrayMap) {
          const target = this.spec.programs[le32(v)];
          const loaded = target && this.programs.get(target.name);
          if (loaded) map.setProgram(le32(k), loaded.linked, loaded.id);
        } else if (map instanceof ArrayOfMapsMap && !(this.mapList[le32(v)] instanceof UnsupportedMap)) {
          map.setInner(le32(k), this.mapList[le32(v)]);
        } else if (map instanceof HashOfMapsMap && !(this.mapList[le32(v)] instanceof UnsupportedMap)) {
          map.setInner(k, this.mapList[le32(v)]);
        }
      }
    });
  }

  /**
   * Run program `progName` on one frame as BPF_PROG_TEST_RUN does (maps keep their state between
   * runs). `frame` starts at the Ethernet header.
   */
  run(progName: string, frame: Uint8Array, opts: Omit<TestRunOptions, 'data'> = {}): TestRunResult {
    // The run sees the machine's clock (the one advanceClock moves) unless a base state is given.
    const base = opts.base ?? { ...defaultBaseState(), clock: this.clock, ...(this.random ? { random: this.random } : {}) };
    let env = this.flowHashKey && !opts.env?.flowHashKey ? { ...opts.env, flowHashKey: this.flowHashKey } : opts.env;
    if (this.mock?.fib || this.mock?.socketLookup) env = { ...mockSkbEnv(this.mock), ...env };
    return testRun(this.program(progName).linked, this.mem, { engine: this.engine, ...opts, base, env, data: frame });
  }

  /** The emulated machine's virtual clock (shared by every collection on the same Memory). */
  get clock(): VirtualClock {
    return timerHost(this.mem).clock;
  }

  /**
   * Let `ns` nanoseconds of monotonic time pass: every bpf_timer armed on this Memory that expires
   * by then fires, earliest first, its callback running with the clock at its expiry. Returns what
   * fired (faults included). `advanceClock(0)` fires only timers already due.
   */
  advanceClock(ns: bigint | number): TimerFiring[] {
    return timerHost(this.mem).advance(ns);
  }

  /** Put program `progName` into slot `index` of prog array `mapName` (like `--set MAP K @PROG`). */
  setProgArraySlot(mapName: string, index: number, progName: string): void {
    const map = this.map(mapName);
    if (!(map instanceof ProgArrayMap)) throw new BpfError(ErrorCode.Usage, `map ${map.name} is not a prog array`);
    const p = this.program(progName);
    map.setProgram(index, p.linked, p.id);
  }
}
