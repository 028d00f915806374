/**
 * @fileoverview Which program of a collection is executing, seen from a step hook.
 *
 * The VM's step hook (vm/program.ts StepHook) gets (pc, regs, frame depth) but not the program:
 * after a successful bpf_tail_call the interpreter continues at pc 0 of the target in the same
 * frame. The tracker recognises that transition: at `call bpf_tail_call#12` it notes r2 (the prog
 * array map pointer: the map handle region, see vm/memory.ts) and r3 (the index); if the next
 * step is pc 0 the call went through, and the target is the program in that slot (looked up
 * before the helper ran, as bpf_tail_call itself reads it). Any other next pc means the slot was
 * empty or the limit was hit, and execution fell through (kernel bpf_tail_call semantics).
 */
import { Op } from '../../vm/isa.js';
import type { LinkedProgram, RegisterFile } from '../../vm/program.js';
import type { CollectionSpec } from '../../loader/spec.js';
import type { Collection, LoadedProgram } from '../collection.js';
import { ProgArrayMap } from '../maps/prog-array.js';
import { SourceMap } from './source-map.js';

/** BPF_FUNC_tail_call (uapi enum bpf_func_id). */
const BPF_FUNC_TAIL_CALL = 12;

/** A program as seen by the trace and coverage code: loaded program plus its source map. */
export interface TracedProgram {
  readonly loaded: LoadedProgram;
  readonly source: SourceMap;
}

/** A switch of program by tail call. */
export interface TailCallSwitch {
  from: TracedProgram;
  to: TracedProgram;
  map: string;
  index: number;
}

/** Per-collection cache of source maps (built once per program). */
const sourceMaps = new WeakMap<LoadedProgram, SourceMap>();

export function tracedProgram(loaded: LoadedProgram, coll?: CollectionSpec): TracedProgram {
  let s = sourceMaps.get(loaded);
  if (s === undefined) sourceMaps.set(loaded, (s = new SourceMap(loaded.spec, loaded.linked.code, coll)));
  return { loaded, source: s };
}

/** Follows the current program across tail calls during one run. */
export class ProgramTracker {
  current: TracedProgram;
  private pending: { map: ProgArrayMap; index: number; target: LinkedProgram | undefined; depth: number } | undefined;
  private readonly coll: Collection;
  private readonly entry: TracedProgram;
  /** The previous step was `exit` at frame 0: the run ended, a next step is a new run (test-run repeat). */
  private ended = false;
  /** Set by `before` when the step starts a new execution of the entry program after one ended. */
  restarted = false;

  constructor(coll: Collection, entry: LoadedProgram) {
    this.coll = coll;
    this.current = this.entry = tracedProgram(entry, coll.spec);
  }

  /**
   * Call first in each step: returns the tail-call switch that happened since the previous step,
   * if one did (and makes its target current).
   */
  before(pc: number, regs: RegisterFile, depth: number): TailCallSwitch | undefined {
    let sw: TailCallSwitch | undefined;
    this.restarted = this.ended;
    if (this.ended) {
      this.ended = false;
      this.current = this.entry;
      this.pending = undefined;
    }
    const p = this.pending;
    if (p !== undefined) {
      this.pending = undefined;
      if (pc === 0 && depth === p.depth && p.target !== undefined) {
        const to = this.findLoaded(p.target);
        if (to !== undefined) {
          sw = { from: this.current, to: tracedProgram(to, this.coll.spec), map: p.map.name, index: p.index };
          this.current = sw.to;
        }
      }
    }
    const code = this.current.loaded.linked.code;
    if (depth === 0 && code.op[pc] === Op.EXIT) this.ended = true;
    if (code.op[pc] === Op.CALL && code.src[pc] === 0 && code.imm[pc] === BPF_FUNC_TAIL_CALL) {
      const hi = regs.hi[2] >>> 0;
      const map = this.coll.mapList.find((m) => m.handle.hi >>> 0 === hi);
      if (map instanceof ProgArrayMap) {
        const index = regs.lo[3] >>> 0;
        this.pending = { map, index, target: map.getProgram(index), depth };
      }
    }
    return sw;
  }

  private findLoaded(linked: LinkedProgram): LoadedProgram | undefined {
    for (const p of this.coll.programs.values()) if (p.linked === linked) return p;
    return undefined;
  }
}
