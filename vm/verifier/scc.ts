/**
 * @fileoverview Loops as Linux 6.18's verifier sees them (compute_scc and the bpf_scc_visit
 * bookkeeping): the strongly connected components of each subprogram's control flow graph, and
 * per call chain leading into a component, the walk's visit of it.
 *
 * Why: a saved state inside a loop whose walk is not finished may not have every precision mark
 * it will end up with. While a visit has recorded a convergence (a "backedge": a state pruned
 * against one of the loop's saved states with ranges compared), its saved states are compared by
 * range, whatever their precision (is_state_visited with incomplete_read_marks); when the walk
 * of the visit is done, the backedges are replayed until their precision no longer grows
 * (propagate_backedges).
 */
import type { DecodedProgram } from '../program.js';
import type { InsnHistory } from './precision.js';
import type { State } from './state.js';

/**
 * The component number of each instruction (>= 1) when it is part of a loop: a component of two
 * or more instructions, an instruction that jumps to itself, or a call of a helper that calls a
 * callback (an implicit loop: the callback returns to the call). 0 elsewhere. Tarjan's algorithm,
 * iteratively, over `successors` (which never leave a subprogram: a call goes on at the next
 * instruction, an exit has none).
 */
export function loopComponents(p: DecodedProgram, successors: (i: number) => readonly number[], callsBack: (i: number) => boolean): Int32Array {
  const n = p.length;
  const scc = new Int32Array(n);
  const index = new Int32Array(n).fill(-1);
  const low = new Int32Array(n);
  const onStack = new Uint8Array(n);
  const stack: number[] = [];
  // the DFS: node and the position in its successor list
  const dfsNode: number[] = [];
  const dfsPos: number[] = [];
  const succ: (readonly number[])[] = new Array(n);
  let next = 0;
  let ids = 0;
  for (let root = 0; root < n; root++) {
    if (index[root] >= 0) continue;
    dfsNode.push(root);
    dfsPos.push(0);
    while (dfsNode.length) {
      const top = dfsNode.length - 1;
      const v = dfsNode[top];
      if (dfsPos[top] === 0 && index[v] < 0) {
        index[v] = low[v] = next++;
        stack.push(v);
        onStack[v] = 1;
        succ[v] = successors(v);
      }
      const list = succ[v];
      if (dfsPos[top] < list.length) {
        const w = list[dfsPos[top]++];
        if (index[w] < 0) {
          dfsNode.push(w);
          dfsPos.push(0);
        } else if (onStack[w]) low[v] = Math.min(low[v], index[w]);
        continue;
      }
      dfsNode.pop();
      dfsPos.pop();
      if (dfsNode.length) {
        const u = dfsNode[dfsNode.length - 1];
        low[u] = Math.min(low[u], low[v]);
      }
      if (low[v] !== index[v]) continue;
      // v is the root of a component: it is a loop if it has two members, a self edge or an
      // implicit loop
      const loop = stack[stack.length - 1] !== v || list.includes(v) || callsBack(v);
      const id = loop ? ++ids : 0;
      for (;;) {
        const w = stack.pop()!;
        onStack[w] = 0;
        scc[w] = id;
        if (w === v) break;
      }
    }
  }
  return scc;
}

/** A state that converged on a saved state of the loop, kept to replay its precision later. */
export interface Backedge {
  /** The state at the convergence (a copy, with its own history). */
  readonly st: State;
  readonly insn: number;
  /** The saved state it converged on. */
  readonly equal: { readonly st: State; readonly insn: number };
  /** The saved states above it on its path (its parent chain). */
  readonly leaf: { readonly st: State; readonly parent: Backedge['leaf'] } | null;
}

/** The walk's visit of one loop along one call chain (struct bpf_scc_visit). */
export class SccVisit {
  /** The first saved state of the visit still being explored, null when the visit is done. */
  entry: object | null = null;
  backedges: Backedge[] = [];
}

/**
 * The loop visit a state at instruction `insn` belongs to (compute_scc_callchain): the first frame,
 * from the outermost, whose instruction (its call site, or `insn` in the innermost frame) is in a
 * loop, with the call sites of the frames before it. Undefined when no frame is in a loop.
 */
export function visitOf(visits: Map<string, SccVisit>, scc: Int32Array, st: State, insn: number): SccVisit | undefined {
  const frames = st.frames;
  const at = (k: number): number => (k === frames.length - 1 ? insn : frames[k + 1].callsite);
  let k = 0;
  while (k < frames.length && scc[at(k)] === 0) k++;
  if (k === frames.length) return undefined;
  let key = '';
  for (let j = 0; j < k; j++) key += `${at(j)},`;
  key += scc[at(k)];
  let v = visits.get(key);
  if (!v) {
    v = new SccVisit();
    visits.set(key, v);
  }
  return v;
}

/** A copy of history entries [from, to) of `h` into `into` from 0 (a saved state keeps its own). */
export function copyHistory(h: InsnHistory, from: number, to: number, into: InsnHistory): void {
  for (let e = from; e < to; e++) into.put(e - from, h.idx[e], h.prev[e], h.flags[e], h.linked[e]);
}
