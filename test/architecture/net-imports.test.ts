/**
 * src/net has one direction (docs/architecture.md "The emulated network"): the model (programs,
 * mprog, classic tc, tcx hooks, links, the kernel object, devices, namespaces) below the datapath
 * (the per-packet behaviour and its trace) below the library entry (Host) and the raw bpf(2)
 * layer, below the text front ends (tcx scripts, scenarios, compare). This test reads every
 * import of every src/net module, `import type` and `import('…')` type references included, and
 * fails on an import cycle or on an edge from a lower tier to a higher one.
 */
import { readFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveSpecifier, root, sources, specifiers } from './imports.js';

const NET = join(root, 'src/net');

/** Tier of every src/net module: a module may import only from its own tier or lower ones. */
const TIER: Record<string, number> = {
  // model
  'prog-handle': 0,
  mprog: 0,
  'cls-bpf': 0,
  classify: 0,
  'classic-view': 0,
  tcx: 0,
  links: 0,
  kernel: 0,
  qdisc: 0,
  device: 0,
  netns: 0,
  // behaviour
  trace: 1,
  datapath: 1,
  // library entry and the raw bpf(2) layer
  host: 2,
  syscall: 2,
  // text front ends
  script: 3,
  scenario: 3,
  compare: 3,
  // compare's path names alone (the CLI's help names them without loading the netdev)
  'compare-paths': 3,
  // the package face
  index: 4,
};

/** module name → the src/net modules it imports. */
function netGraph(): Map<string, string[]> {
  const g = new Map<string, string[]>();
  for (const file of sources(NET)) {
    const deps = new Set<string>();
    for (const spec of specifiers(readFileSync(file, 'utf8'))) {
      const target = resolveSpecifier(file, spec);
      if (target !== undefined && !relative(NET, target).startsWith('..')) deps.add(basename(target, '.ts'));
    }
    g.set(basename(file, '.ts'), [...deps].sort());
  }
  return g;
}

/** The strongly connected components with more than one module, or a module importing itself (Tarjan). */
export function cycles(g: Map<string, string[]>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const on = new Set<string>();
  const out: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    on.add(v);
    for (const w of g.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (on.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const scc: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        on.delete(w);
        scc.push(w);
      } while (w !== v);
      if (scc.length > 1 || (g.get(v) ?? []).includes(v)) out.push(scc.sort());
    }
  };
  for (const v of g.keys()) if (!index.has(v)) visit(v);
  return out;
}

describe('[architecture]: src/net imports in one direction', () => {
  const g = netGraph();

  it('the cycle finder finds cycles (a two-module loop, a three-module loop, a self-import)', () => {
    const loops = cycles(
      new Map([
        ['a', ['b']],
        ['b', ['a', 'c']],
        ['c', ['d']],
        ['d', ['e']],
        ['e', ['c']],
        ['f', ['f']],
        ['g', ['a']],
      ]),
    );
    expect(loops.map((c) => c.join(' ')).sort()).toEqual(['a b', 'c d e', 'f']);
    expect(cycles(new Map([['a', ['b']], ['b', []]]))).toEqual([]);
  });

  it('the scanner sees type-only edges (tcx.ts imports cls-bpf.ts only as a type)', () => {
    expect(g.get('tcx')).toContain('cls-bpf');
    expect(g.get('datapath')).toEqual(expect.arrayContaining(['device', 'prog-handle', 'trace']));
  });

  it('no import cycle inside src/net, type-only imports included', () => {
    expect(cycles(g)).toEqual([]);
  });

  it('every module has a tier, and no module imports from a higher tier', () => {
    expect([...g.keys()].filter((m) => TIER[m] === undefined)).toEqual([]);
    const up: string[] = [];
    for (const [m, deps] of g) for (const d of deps) if (TIER[d] > TIER[m]) up.push(`${m} (tier ${TIER[m]}) → ${d} (tier ${TIER[d]})`);
    expect(up).toEqual([]);
  });
});
