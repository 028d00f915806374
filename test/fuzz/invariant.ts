/**
 * @fileoverview The invariant every fuzzed input must satisfy (cilium/ebpf's loader-fuzzing rule,
 * carried through to execution):
 *
 *   1. `loadCollectionSpec` gives a spec or throws a BpfError with a stable `code` (an internal
 *      TypeError/RangeError wrapped as the cause does not count).
 *   2. A loaded spec becomes a Collection (maps created, programs verified) or a BpfError, with
 *      verification off and on.
 *   3. Every program of a Collection runs once on a small packet under the interpreter and under the
 *      JIT (each on its own Collection) and ends in a result or a typed fault; both engines agree
 *      on err, retval, data_out, fault code and instruction index, bpf_trace_printk output and
 *      every map's contents afterwards.
 *   4. No name from the object reaches generated JIT source, nothing lands on Object.prototype or
 *      Array.prototype, and `({}).polluted` stays undefined.
 *
 * Anything else is a FAILURE (a bug in tcxlab), reported with a message naming what broke.
 */
import { BpfError, ErrnoError } from '../../vm/errors.js';
import { compile } from '../../vm/jit/index.js';
import { loadCollectionSpec } from '../../loader/index.js';
import type { CollectionSpec } from '../../loader/spec.js';
import { Collection } from '../../src/collection.js';
import type { TestRunResult } from '../../src/test-run.js';
import { HOSTILE_NAMES } from './mutators.js';

/** An IPv4/UDP frame (10.0.0.1:1234 -> 10.0.0.2:5678) every program runs on. */
export const PACKET = Uint8Array.from(Buffer.from('02000000000202000000000108004500002000010000401166ca0a0000010a00000204d2162e000cf20270696e67', 'hex'));

/** The per-run instruction budget (bounds every run, so no input can hang the fuzzer in a program). */
export const RUN_BUDGET = 20_000;

export interface CheckOptions {
  /** Build Collections and run programs (default true); false checks the loader only. */
  run?: boolean;
  /** Verification modes to build Collections with (default [false, true]). */
  verify?: readonly boolean[];
  /** At most this many programs run per Collection (default 6). */
  maxPrograms?: number;
  /** Options for loadCollectionSpec (default programType 'classifier'). */
  programType?: string;
}

export interface CheckResult {
  /** 'loaded' | 'error:<code>' | 'fault:<code>' | 'FAILURE'. */
  outcome: string;
  /** What broke, for FAILURE. */
  failure?: string;
}

const protoSnapshot = (): string =>
  [Object.prototype, Array.prototype, Function.prototype, String.prototype]
    .map((p) => Reflect.ownKeys(p).map(String).sort().join(','))
    .join('|');
const PROTO_BEFORE = protoSnapshot();

/** Prototype pollution check; a message when something changed. */
export function pollution(): string | undefined {
  if ((({}) as Record<string, unknown>).polluted !== undefined) return '({}).polluted is defined';
  if (protoSnapshot() !== PROTO_BEFORE) return 'a builtin prototype gained or lost a property';
  return undefined;
}

class Failure extends Error {}

/** Turns an exception into an outcome: typed errors are fine, anything else is a FAILURE. */
function typed(e: unknown, stage: string): string {
  if (!(e instanceof BpfError)) {
    throw new Failure(`${stage}: untyped ${e instanceof Error ? `${e.name}: ${e.message}\n${e.stack?.split('\n').slice(1, 6).join('\n')}` : String(e)}`);
  }
  if (e.code === 'E_JIT') throw new Failure(`${stage}: JIT compile error (a JIT bug): ${e.message}`);
  const cause = e.cause;
  if (cause instanceof TypeError || cause instanceof RangeError || cause instanceof ReferenceError) {
    throw new Failure(`${stage}: internal ${cause.name} wrapped as ${e.code}: ${cause.message}\n${cause.stack?.split('\n').slice(1, 6).join('\n')}`);
  }
  return `error:${e.code}`;
}

const hex = (b: Uint8Array | undefined): string | undefined => (b === undefined ? undefined : Buffer.from(b).toString('hex'));

/** What one run showed, as a comparable string. */
function runShape(r: TestRunResult): string {
  return JSON.stringify({
    err: r.err,
    retval: r.retval,
    dataOut: hex(r.dataOut),
    fault: r.fault ? { code: r.fault.code, insn: r.fault.insnIndex } : undefined,
    trace: r.trace,
  });
}

function mapsShape(c: Collection): string {
  return JSON.stringify(c.mapList.map((m) => m.dumpJson({ maxEntries: 64 })));
}

/** Strings from the object that must never appear in generated source. */
function objectNames(spec: CollectionSpec): string[] {
  const names = new Set<string>();
  for (const p of spec.programs) names.add(p.name).add(p.section);
  for (const m of spec.maps) names.add(m.name);
  // Identifier-like names could appear in the source by chance (`r0`, `mem`); the hostile list
  // and anything that is not an identifier must not.
  return [...names].filter((n) => n.length >= 3 && (!/^[A-Za-z_$][\w$]*$/.test(n) || HOSTILE_NAMES.some((h) => n.includes(h))));
}

/** One engine's pass over a Collection: every program once, then the maps. */
function runAll(c: Collection, engine: 'interp' | 'jit', names: string[], hostile: string[]): { shape: string; faults: string[] } {
  const runs: string[] = [];
  const faults: string[] = [];
  for (const n of names) {
    let r: TestRunResult;
    try {
      r = c.run(n, PACKET, { engine, budget: RUN_BUDGET });
    } catch (e) {
      // ErrnoError is the syscall refusing the run (e.g. a non-tc type): a typed result.
      runs.push(`${n}: ${typed(e, `run ${engine}`)}${e instanceof ErrnoError ? ` ${e.errno}` : ''}`);
      continue;
    }
    if (r.fault) faults.push(r.fault.code);
    runs.push(`${n}: ${runShape(r)}`);
    if (engine === 'jit') {
      const src = compile(c.program(n).linked).source;
      for (const h of hostile) if (src.includes(h)) throw new Failure(`object name ${JSON.stringify(h)} reached the JIT source of ${JSON.stringify(n)}`);
    }
  }
  return { shape: `${runs.join('\n')}\nmaps ${mapsShape(c)}`, faults };
}

/** Checks the invariant on one object; never throws. */
export function checkObject(bytes: Uint8Array, opts: CheckOptions = {}): CheckResult {
  try {
    const res = checkInner(bytes, opts);
    const p = pollution();
    if (p) return { outcome: 'FAILURE', failure: p };
    return res;
  } catch (e) {
    const p = pollution();
    if (e instanceof Failure) return { outcome: 'FAILURE', failure: p ? `${e.message}; ${p}` : e.message };
    return { outcome: 'FAILURE', failure: `harness: ${e instanceof Error ? e.stack : String(e)}` };
  }
}

function checkInner(bytes: Uint8Array, opts: CheckOptions): CheckResult {
  let spec: CollectionSpec;
  try {
    spec = loadCollectionSpec(bytes, { programType: opts.programType ?? 'classifier' });
  } catch (e) {
    return { outcome: typed(e, 'loadCollectionSpec') };
  }
  if (opts.run === false) return { outcome: 'loaded' };
  let outcome: string | undefined;
  let fault: string | undefined;
  for (const verify of opts.verify ?? [false, true]) {
    const build = (): Collection | string => {
      try {
        return new Collection(spec, { verify });
      } catch (e) {
        return typed(e, `Collection (verify ${verify})`);
      }
    };
    const a = build();
    if (typeof a === 'string') {
      outcome ??= a;
      continue;
    }
    const b = build();
    if (typeof b === 'string') throw new Failure(`the same spec built once and failed once: ${b}`);
    const names = [...a.programs.keys()].slice(0, opts.maxPrograms ?? 6);
    const hostile = objectNames(spec);
    const x = runAll(a, 'interp', names, hostile);
    const y = runAll(b, 'jit', names, hostile);
    if (x.shape !== y.shape) throw new Failure(`engines disagree (verify ${verify}):\n interp ${x.shape.slice(0, 1500)}\n jit    ${y.shape.slice(0, 1500)}`);
    if (x.faults.length) fault ??= `fault:${x.faults[0]}`;
  }
  return { outcome: outcome ?? fault ?? 'loaded' };
}
