/**
 * The engine each program runs under on the netdev path (src/net/datapath.ts, Datapath.executable):
 * SendOptions.engine, else the program's own engine, else the interpreter, as before. The run path
 * keeps one executable per program and, when the send names its engine, checks the cached one by
 * whether it has a compiled form instead of comparing engine strings; this seeded test changes the
 * send's engine and the programs' own engines from send to send (the cached executable is then
 * one of the other engine) and counts the runs of the programs' compiled forms.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Datapath } from '../../src/net/datapath.js';
import { Host } from '../../src/net/host.js';
import type { NetProgram } from '../../src/net/prog-handle.js';
import { udpFrame } from '../../src/net/scenario.js';
import type { Engine } from '../../vm/engine.js';
import { compile } from '../../vm/jit/index.js';
import { mulberry32 } from '../fuzz/rng.js';

const CHAIN = readFileSync(join(__dirname, '..', '..', 'progs', 'bench_chain.bpf.o'));
const NAMES = ['chain_count', 'chain_mark', 'chain_filter', 'chain_classic'] as const;

/** bench_chain's three tcx programs and its classic fallback on veth0 ingress; every compiled run counted. */
function world(): { send: (engine: Engine | undefined, trace: 'full' | 'off') => void; programs: NetProgram[]; jitRuns: () => number } {
  const host = new Host();
  const [veth0, peer] = host.addVeth('veth0', 'veth0p');
  veth0.up = peer.up = true;
  const obj = host.loadObject(CHAIN);
  for (const p of NAMES.slice(0, 3)) veth0.tcx('ingress').attach(obj.program(p));
  veth0.tc.qdisc('clsact');
  veth0.tc.filter({ dir: 'ingress', prio: 1, prog: obj.program('chain_classic'), da: true });
  const programs = NAMES.map((n) => obj.program(n).program as NetProgram);
  let runs = 0;
  for (const np of programs) {
    // compile() is cached per program: the run path's compiled form is this object
    const c = compile(np.linked);
    const run = c.run.bind(c);
    c.run = (mem, opts) => {
      runs++;
      return run(mem, opts);
    };
  }
  const frame = udpFrame('10.0.0.1:1234', '10.0.0.2:5678');
  return {
    send: (engine, trace) => {
      const t = host.send(veth0, frame, { dir: 'ingress', engine, trace });
      expect(t.fate.kind).toBe('stack');
    },
    programs,
    jitRuns: () => runs,
  };
}

const ENGINE_CHOICES: Array<Engine | undefined> = ['jit', 'interp', undefined];

/** The first send (seeded sequence) whose compiled runs differ from the engines chosen, or undefined. */
function firstMismatch(seed: number, sends: number): string | undefined {
  const rnd = mulberry32(seed);
  const pick = <T>(a: readonly T[]): T => a[Math.floor(rnd() * a.length)];
  const w = world();
  for (let i = 0; i < sends; i++) {
    for (const np of w.programs) if (rnd() < 0.3) np.engine = pick(ENGINE_CHOICES);
    const engine = pick(ENGINE_CHOICES);
    const before = w.jitRuns();
    w.send(engine, rnd() < 0.5 ? 'off' : 'full');
    const want = w.programs.filter((np) => (engine ?? np.engine ?? 'interp') === 'jit').length;
    const got = w.jitRuns() - before;
    if (got !== want) return `seed ${seed} send ${i}: engine ${engine}, programs' ${w.programs.map((np) => np.engine).join('/')}: ${got} compiled runs, want ${want}`;
  }
  return undefined;
}

describe('netdev engine choice', () => {
  it('runs each program under the send engine, else its own, else the interpreter (seeded)', () => {
    for (let seed = 1; seed <= 6; seed++) expect(firstMismatch(seed, 40)).toBeUndefined();
  });

  it('an unknown engine is still refused at the run, and leaves no executable behind', () => {
    const w = world();
    w.send('jit', 'off');
    expect(() => w.send('bogus' as Engine, 'off')).toThrow(/unknown engine bogus/);
    const before = w.jitRuns();
    w.send('interp', 'off');
    w.send('jit', 'off');
    expect(w.jitRuns() - before).toBe(4);
    w.programs[0].engine = 'bogus' as Engine;
    expect(() => w.send(undefined, 'full')).toThrow(/unknown engine bogus/);
    w.send('interp', 'full');
    w.programs[0].engine = undefined;
    w.send(undefined, 'off');
    expect(w.jitRuns() - before).toBe(4);
  });

  const proto = Datapath.prototype as unknown as { executable: (np: NetProgram) => unknown };
  const executable = proto.executable;
  afterEach(() => {
    proto.executable = executable;
  });

  it('fails on a planted bug: a cached executable kept when the send names another engine', () => {
    proto.executable = function (this: Datapath, np: NetProgram) {
      return np.executable ?? executable.call(this, np);
    };
    let found: string | undefined;
    for (let seed = 1; seed <= 6 && found === undefined; seed++) found = firstMismatch(seed, 40);
    expect(found).toMatch(/compiled runs, want/);
  });
});
