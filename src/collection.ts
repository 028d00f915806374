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
import { BpfError, ErrorCode, RelocationError } from '../vm/errors.js';
import { PseudoSrc } from '../vm/isa.js';
import { link } from '../vm/link.js';
import { verify } from '../vm/verifier.js';
import { Memory } from '../vm/memory.js';
import { CODE_HI, decode, type HelperFn, type HelperTable, type LinkedProgram } from '../vm/program.js';
import { loadCollectionSpec, type LoadOptions } from '../loader/index.js';
import type { CollectionSpec, MapSpec, ProgramSpec } from '../loader/spec.js';
import { buildHelperTable } from './helpers/table.js';
import { createMap, createMapEnv, type BpfMap, type MapEnv } from './maps/index.js';
import { ProgArrayMap } from './maps/prog-array.js';
import { ArrayOfMapsMap, HashOfMapsMap } from './maps/map-in-map.js';
import { BPF_MAP_TYPE, BPF_PROG_TYPE } from './uapi.js';
import { checkCtxAccess, SKB_OFF } from './skb/sk-buff-ctx.js';
import { testRun, type TestRunOptions, type TestRunResult } from './test-run.js';
import { defaultBaseState, type VirtualClock } from './helpers/base.js';
import { timerHost, type TimerFiring } from './helpers/timer.js';
import type { Engine } from '../vm/engine.js';

/** Options of a Collection. */
export interface CollectionOptions extends LoadOptions {
  /** Emulated CPUs (num_possible_cpus) for per-CPU maps. Default 2 (the kernel oracle machine's). */
  ncpus?: number;
  /** LRU eviction: 'strict' (default, deterministic) or 'kernel' (the kernel's LRU lists). */
  lru?: 'strict' | 'kernel';
  /** Share a Memory with other collections (one emulated machine). */
  mem?: Memory;
  /** Extra or replacement helpers by id. */
  helpers?: Readonly<Record<number, HelperFn>>;
  /** Object name used for libbpf-style internal map names (default "obj"). */
  objectName?: string;
  /** Default engine for `run` (default 'interp'). */
  engine?: Engine;
  /** Run the verifier-lite on every program at load (default true), as the kernel would refuse to load. */
  verify?: boolean;
  /**
   * Load (verify and link) only the programs with these function names, like libbpf's
   * `bpf_program__set_autoload(prog, false)` for the others; default all. Maps are created anyway.
   */
  programs?: readonly string[];
}

/** license_is_gpl_compatible() (include/linux/license.h). */
export function isGplCompatible(license: string): boolean {
  return ['GPL', 'GPL v2', 'GPL and additional rights', 'Dual BSD/GPL', 'Dual MIT/GPL', 'Dual MPL/GPL'].includes(license);
}

/** A program of a live collection. */
export interface LoadedProgram {
  readonly name: string;
  readonly spec: ProgramSpec;
  /** Kernel-like program id (1, 2, ... per collection). */
  readonly id: number;
  readonly linked: LinkedProgram;
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
  readonly objectName: string;
  readonly engine: Engine;

  constructor(spec: CollectionSpec, opts: CollectionOptions = {}) {
    this.spec = spec;
    this.objectName = opts.objectName ?? 'obj';
    this.engine = opts.engine ?? 'interp';
    this.mem = opts.mem ?? new Memory();
    this.mapEnv = createMapEnv(this.mem, { ncpus: opts.ncpus, lru: opts.lru });
    this.helpers = buildHelperTable(opts.helpers);
    for (const ms of spec.maps) {
      const map = createMap({ ...ms, name: libbpfMapName(this.objectName, ms) }, this.mapEnv);
      if (ms.readOnly) map.freeze();
      this.mapList.push(map);
      this.maps.set(map.name, map);
      if (!this.maps.has(ms.name)) this.maps.set(ms.name, map);
    }
    let nextId = 1;
    const gpl = isGplCompatible(spec.license);
    for (const ps of spec.programs) {
      if (opts.programs !== undefined && !opts.programs.includes(ps.name)) continue;
      const code = decode(ps.instructions);
      if (opts.verify !== false) {
        const lines = new Map(ps.lineInfo.map((l) => [l.insn, l] as const));
        const tc = ps.type.id === BPF_PROG_TYPE.BPF_PROG_TYPE_SCHED_CLS || ps.type.id === BPF_PROG_TYPE.BPF_PROG_TYPE_SCHED_ACT;
        verify(code, {
          gplCompatible: gpl,
          lineInfo: (i) => lines.get(i),
          // tc programs: __sk_buff access rules and packet bounds proven by data_end compares.
          ...(tc ? { ctxAccess: checkCtxAccess, packet: { data: SKB_OFF.data, dataEnd: SKB_OFF.data_end } } : {}),
        });
      }
      const linked = link(code, {
        name: ps.name,
        helpers: this.helpers,
        resolveLdImm64: (src, imm, nextImm, insn) => this.resolve(ps, src, imm, nextImm, insn),
      });
      this.programs.set(ps.name, { name: ps.name, spec: ps, id: nextId++, linked });
    }
    this.fillStaticInitialisers();
  }

  /** Load an object file's bytes. */
  static load(bytes: Uint8Array, opts: CollectionOptions = {}): Collection {
    return new Collection(loadCollectionSpec(bytes, opts), opts);
  }

  /** The program with this function name, or a BpfError listing the ones there are. */
  program(name: string): LoadedProgram {
    const p = this.programs.get(name);
    if (p === undefined) {
      throw new BpfError(ErrorCode.Usage, `no program ${JSON.stringify(name)} (have: ${[...this.programs.keys()].join(', ')})`);
    }
    return p;
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
      for (const [k, v] of ms.contents ?? []) {
        if (ms.type.id === BPF_MAP_TYPE.BPF_MAP_TYPE_PROG_ARRAY && map instanceof ProgArrayMap) {
          const target = this.spec.programs[le32(v)];
          const loaded = target && this.programs.get(target.name);
          if (loaded) map.setProgram(le32(k), loaded.linked, loaded.id);
        } else if (map instanceof ArrayOfMapsMap) {
          map.setInner(le32(k), this.mapList[le32(v)]);
        } else if (map instanceof HashOfMapsMap) {
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
    const base = opts.base ?? { ...defaultBaseState(), clock: this.clock };
    return testRun(this.program(progName).linked, this.mem, { engine: this.engine, ...opts, base, data: frame });
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
