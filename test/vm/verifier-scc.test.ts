import { describe, expect, it } from 'vitest';
import type { DecodedProgram } from '../../vm/program.js';
import { loopComponents } from '../../vm/verifier/scc.js';

// The loops of a control flow graph (compute_scc): instructions of one strongly connected
// component of two or more members, or with an edge to itself, or an implicit loop (a call of a
// helper that calls back), get the same non-zero number; the others 0.
function components(edges: number[][], callsBack: number[] = []): number[] {
  const p = { length: edges.length } as DecodedProgram;
  return [...loopComponents(p, (i) => edges[i], (i) => callsBack.includes(i))];
}

describe('[vm/verifier]: loop components (scc.ts)', () => {
  it('gives straight code no loop', () => {
    expect(components([[1], [2], []])).toEqual([0, 0, 0]);
  });

  it('numbers the members of a back edge loop alike, and only them', () => {
    // 0 -> 1 -> 2 -> 3 -> 1, 3 -> 4
    const c = components([[1], [2], [3], [1, 4], []]);
    expect(c[0]).toBe(0);
    expect(c[4]).toBe(0);
    expect(c[1]).toBeGreaterThan(0);
    expect(new Set([c[1], c[2], c[3]]).size).toBe(1);
  });

  it('keeps two loops apart and nests an inner loop in its outer one', () => {
    // loop A: 1 <-> 2; then loop B: 3 -> 4 -> 5 -> 3 with inner 4 <-> 5
    const c = components([[1], [2], [1, 3], [4], [5], [4, 3, 6], []]);
    expect(c[1]).toBe(c[2]);
    expect(c[3]).toBe(c[4]);
    expect(c[4]).toBe(c[5]);
    expect(c[1]).not.toBe(c[3]);
    expect(c[1] * c[3]).toBeGreaterThan(0);
  });

  it('makes a self loop and a callback-calling call loops of one instruction', () => {
    const c = components([[1], [1, 2], [3], []], [2]);
    expect(c[0]).toBe(0);
    expect(c[1]).toBeGreaterThan(0);
    expect(c[2]).toBeGreaterThan(0);
    expect(c[1]).not.toBe(c[2]);
    expect(c[3]).toBe(0);
  });

  it('handles deep graphs without recursion', () => {
    const n = 200_000;
    const edges = Array.from({ length: n }, (_, i) => (i + 1 < n ? [i + 1] : [0]));
    const c = components(edges);
    expect(new Set(c).size).toBe(1);
    expect(c[0]).toBeGreaterThan(0);
  });
});
