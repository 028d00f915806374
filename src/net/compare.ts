/**
 * @fileoverview Classic vs tcx, side by side: the same program(s) attached once through tcx and
 * once as clsact cls_bpf filters (direct-action, and non-da with a classid), the same frames
 * through each, and per frame what differs and why, in the kernel's terms.
 *
 *   compare(obj, ['a', 'b'], frames)            compareScenario(text, ...)
 *     path tcx:   tcx [a b]                       the scenario as written
 *     path da:    prio P bpf da a, P+1 da b       every tcx attachment seen as a da filter
 *     path nonda: prio P bpf classid C a, ...     ... as a non-da filter with classid C
 *
 * Each path runs on its own emulated host with its own copy of the object (its own maps), frames
 * in order, so map state evolves per path as it would on a machine set up that way. The classic
 * side is the datapath's `tcxAsClassic` mode (classic-view.ts): the tcx programs become one
 * cls_bpf instance per prio, in tcx order, in front of any classic filters the setup has.
 *
 * The reasons follow the kernel functions the datapath mirrors (docs/classic-vs-tcx.md):
 * tcx_run/tcx_action_code (include/net/tcx.h), cls_bpf_classify/cls_bpf_exec_opcode
 * (net/sched/cls_bpf.c), tcf_exts_exec, tc_run and sch_handle_ingress/egress (net/core/dev.c).
 */
import { UsageError } from '../../vm/errors.js';
import type { Engine } from '../../vm/engine.js';
import type { CollectionOptions } from '../collection.js';
import { TC_ACT } from '../uapi.js';
import { clsBpfExecOpcode, type FilterRun } from './classify.js';
import type { TcxAsClassic } from './classic-view.js';
import { Host } from './host.js';
import { runScenario, type ScenarioOptions, type ScenarioStep } from './scenario.js';
import type { Direction } from './tcx.js';
import { tcActLabel, tcxRetLabel } from '../tc-verdict.js';
import { fmtClassid, type Fate, type HookEvent, type NetTrace } from './trace.js';
import { COMPARE_PATHS, type ComparePath } from './compare-paths.js';

// The path names live in compare-paths.ts (the CLI's help names them without loading the netdev).
export { COMPARE_PATHS, type ComparePath } from './compare-paths.js';

export interface CompareOptions {
  /** The hook (default ingress). */
  dir?: Direction;
  /** The classic filters' first prio (default 1); program i gets prio + i. */
  prio?: number;
  /** classid of the non-da filters (default 1:1 = 0x10001): what a -1 return selects. */
  classid?: number;
  /** classid of the da filters (default 0, as libbpf's bpf_tc_attach leaves it). */
  daClassid?: number;
  /** Which paths to run (default all three). */
  paths?: readonly ComparePath[];
  /** Initial skb mark and priority of every frame. */
  mark?: number;
  priority?: number;
  engine?: Engine;
  /** Instruction budget per program run. */
  budget?: number;
  /** Passed to the object loader (e.g. the object name for map names). */
  load?: CollectionOptions;
}

/** What one frame did under one path. */
export interface PathOutcome {
  path: ComparePath;
  /** The hook's verdict (sch_handle_ingress/egress sees this), signed: TC_ACT_UNSPEC is -1. */
  verdict: number;
  /** Its name: "TC_ACT_OK", "TC_ACT_UNSPEC", ... */
  verdictName: string;
  /** stack / drop / consumed / transmitted (Fate.kind), with the drop reason and the device. */
  fate: Fate['kind'];
  dropReason?: string;
  fateDev: string;
  /** The frame as it left the path (from the Ethernet header). */
  bytes: Uint8Array;
  mark: number;
  priority: number;
  tcIndex: number;
  /** The class the hook chose (tcx PASS: tc_classid; classic OK/RECLASSIFY: the result classid). */
  classid: number | null;
  /** Programs that ran on the compared hook, in order. */
  ran: string[];
  /** How the hook reached its verdict, step by step, in the kernel's terms. */
  story: string[];
  /** The story's lines tagged with what they explain (what `differences[].why` is built from). */
  notes: ReadonlyArray<{ kind: string; text: string }>;
  trace: NetTrace;
}

export type CompareField = 'verdict' | 'fate' | 'bytes' | 'mark' | 'priority' | 'tcIndex' | 'classid' | 'ran';

/** One field that is not the same under every path. */
export interface Difference {
  field: CompareField;
  /** The field's value per path, as text. */
  values: Partial<Record<ComparePath, string>>;
  /** Why, in the kernel's terms (one line per reason). */
  why: string[];
}

export interface FrameComparison {
  /** 0-based frame number (within a scenario: within its send line). */
  index: number;
  frame: Uint8Array;
  /** The scenario line of the send (scenario comparisons only). */
  line?: number;
  outcomes: Partial<Record<ComparePath, PathOutcome>>;
  differences: Difference[];
}

export interface CompareResult {
  dir: Direction;
  paths: ComparePath[];
  /** The programs compared (tcx order = classic prio order). */
  programs: string[];
  prio: number;
  classid: number;
  daClassid: number;
  frames: FrameComparison[];
}

interface Setup {
  dir: Direction;
  prio: number;
  classid: number;
  daClassid: number;
  paths: ComparePath[];
}

function setupOf(opts: CompareOptions): Setup {
  const paths = [...(opts.paths ?? COMPARE_PATHS)];
  for (const p of paths) if (!COMPARE_PATHS.includes(p)) throw new UsageError(`compare: unknown path ${JSON.stringify(p)} (tcx, da, nonda)`);
  if (paths.length === 0) throw new UsageError('compare: no paths to compare');
  const dir = opts.dir ?? 'ingress';
  if (dir !== 'ingress' && dir !== 'egress') throw new UsageError(`compare: direction must be ingress or egress, not ${JSON.stringify(dir)}`);
  const prio = opts.prio ?? 1;
  if (!Number.isInteger(prio) || prio < 1 || prio > 0xffff) throw new UsageError(`compare: prio ${prio} out of range (1..65535)`);
  return { dir, prio, classid: (opts.classid ?? 0x10001) >>> 0, daClassid: (opts.daClassid ?? 0) >>> 0, paths };
}

function viewOf(path: ComparePath, s: Setup): TcxAsClassic | undefined {
  if (path === 'tcx') return undefined;
  return path === 'da' ? { da: true, classid: s.daClassid, prio: s.prio } : { da: false, classid: s.classid, prio: s.prio };
}

/** The device programs are attached to for `compare` (a dummy: egress frames leave on the wire). */
export const COMPARE_DEVICE = 'eth0';

/**
 * Attach `progs` of `object` (in this order) on one device and run `frames` through each path.
 * Returns per frame each path's outcome and the differences with their reasons.
 */
export function compare(object: Uint8Array, progs: readonly string[], frames: readonly Uint8Array[], opts: CompareOptions = {}): CompareResult {
  const s = setupOf(opts);
  if (progs.length === 0) throw new UsageError('compare: name at least one program');
  if (new Set(progs).size !== progs.length) throw new UsageError('compare: a program can be attached to a tcx hook only once (EEXIST)');
  const perPath = new Map<ComparePath, PathOutcome[]>();
  for (const path of s.paths) {
    const host = new Host();
    const dev = host.addDummy(COMPARE_DEVICE);
    dev.up = true;
    const obj = host.loadObject(object, opts.load);
    for (const name of progs) dev.tcx(s.dir).attach(obj.program(name));
    const out: PathOutcome[] = [];
    for (const f of frames) {
      const trace = host.send(dev, f, { dir: s.dir, mark: opts.mark, priority: opts.priority, engine: opts.engine, budget: opts.budget, tcxAsClassic: viewOf(path, s), listPrograms: true });
      out.push(outcomeOf(path, trace, s, dev.name));
    }
    perPath.set(path, out);
  }
  return {
    dir: s.dir,
    paths: s.paths,
    programs: [...progs],
    prio: s.prio,
    classid: s.classid,
    daClassid: s.daClassid,
    frames: frames.map((frame, index) => frameComparison(index, frame, s, (p) => perPath.get(p)![index])),
  };
}

/** A scenario compared: per send line and frame. */
export interface ScenarioCompareResult extends CompareResult {
  /** The steps of each path's run (the tcx path is the scenario as written). */
  steps: Partial<Record<ComparePath, ScenarioStep[]>>;
}

/**
 * Run a `net` scenario once as written (tcx) and once with every tcx attachment seen as a
 * classic cls_bpf filter (da, non-da with a classid), and compare every frame it sends. The
 * compared hook of each send is the first one the frame meets.
 */
export function compareScenario(text: string, scenario: Omit<ScenarioOptions, 'host' | 'tcxAsClassic'>, opts: Omit<CompareOptions, 'dir' | 'load' | 'mark' | 'priority' | 'budget'> = {}): ScenarioCompareResult {
  const s = setupOf(opts);
  const steps: Partial<Record<ComparePath, ScenarioStep[]>> = {};
  for (const path of s.paths) {
    steps[path] = runScenario(text, { ...scenario, engine: opts.engine ?? scenario.engine, tcxAsClassic: viewOf(path, s), listPrograms: true }).steps;
  }
  const first = steps[s.paths[0]]!;
  const frames: FrameComparison[] = [];
  const programs = new Set<string>();
  first.forEach((st, i) => {
    if (!st.traces) return;
    st.traces.forEach((_, k) => {
      const get = (p: ComparePath): PathOutcome => {
        const other = steps[p]![i];
        const t = other?.line === st.line ? other.traces?.[k] : undefined;
        if (!t) throw new Error(`compare: path ${p} has no trace for line ${st.line} frame ${k}`);
        return outcomeOf(p, t, s, t.fate.dev);
      };
      const fc = frameComparison(k, st.frames?.[k] ?? new Uint8Array(0), s, get);
      fc.line = st.line;
      for (const o of Object.values(fc.outcomes)) for (const r of o.ran) programs.add(r);
      frames.push(fc);
    });
  });
  return { dir: s.dir, paths: s.paths, programs: [...programs], prio: s.prio, classid: s.classid, daClassid: s.daClassid, frames, steps };
}

/* ------------------------------------------------------------------ outcomes and stories */

function firstHook(t: NetTrace): HookEvent | undefined {
  return t.events.find((e): e is HookEvent => e.kind === 'hook' && e.pkt === 0);
}

function outcomeOf(path: ComparePath, trace: NetTrace, s: Setup, dev: string): PathOutcome {
  const ev = firstHook(trace);
  const f = trace.fate;
  const ran = ev ? [...ev.tcx.map((r) => r.prog), ...(ev.classic?.runs.map((r) => r.prog) ?? [])] : [];
  const notes: Note[] = ev ? storyOf(ev, trace, path, s) : [{ kind: 'effect', text: `no tc hook ran on ${dev}` }];
  return {
    path,
    verdict: ev?.verdict ?? TC_ACT.TC_ACT_UNSPEC,
    verdictName: tcActLabel(ev?.verdict ?? TC_ACT.TC_ACT_UNSPEC),
    fate: f.kind,
    dropReason: f.reason,
    fateDev: f.dev,
    bytes: f.frame,
    mark: f.mark >>> 0,
    priority: f.priority >>> 0,
    tcIndex: f.tcIndex,
    classid: ev?.classid ?? null,
    ran,
    story: notes.map((n) => n.text),
    notes,
    trace,
  };
}

/** "TC_ACT_STOLEN (4)" / "42". */
function retText(v: number): string {
  const n = tcActLabel(v);
  return n === String(v) ? n : `${n} (${v})`;
}

function filterName(r: FilterRun): string {
  return `the prio ${r.prio} filter (${r.prog})`;
}

/** What the hook's verdict does to the packet (sch_handle_ingress/egress, tc_run). */
function verdictEffect(ev: HookEvent, t: NetTrace): string {
  const v = ev.verdict;
  const f = t.fate;
  const where = ev.dir === 'ingress' ? 'sch_handle_ingress' : 'sch_handle_egress';
  switch (v) {
    case TC_ACT.TC_ACT_SHOT:
      return `${where}: TC_ACT_SHOT frees the packet (drop reason ${f.reason ?? (ev.dir === 'ingress' ? 'TC_INGRESS' : 'TC_EGRESS')})`;
    case TC_ACT.TC_ACT_STOLEN:
    case TC_ACT.TC_ACT_QUEUED:
    case TC_ACT.TC_ACT_TRAP:
      return `${where}: ${tcActLabel(v)} means the packet is consumed (consume_skb): it goes no further`;
    case TC_ACT.TC_ACT_REDIRECT: {
      const r = t.events.find((e) => e.kind === 'redirect' && e.pkt === 0);
      if (!r || r.kind !== 'redirect') return `${where}: TC_ACT_REDIRECT runs skb_do_redirect, but no redirect helper recorded a target: the packet is dropped (${f.reason ?? 'drop'})`;
      return `${where}: TC_ACT_REDIRECT runs skb_do_redirect: ${r.how} to ${r.to} ${r.dir}`;
    }
    default:
      return `${where} lets ${tcActLabel(v)} through: the packet goes on ${ev.dir === 'ingress' ? 'into the stack' : 'to the driver'}`;
  }
}

/** One line of a story, tagged with what it explains. */
interface Note {
  /** map: a return value read differently than its name suggests; decide: what fixed the verdict;
   * step: a program that let the next one run; stop: programs that never ran; class: tc_index and
   * classid; effect: what the verdict did to the packet. */
  kind: 'map' | 'decide' | 'step' | 'stop' | 'class' | 'effect';
  text: string;
}

function storyOf(ev: HookEvent, t: NetTrace, path: ComparePath, s: Setup): Note[] {
  const out: Note[] = [];
  const note = (kind: Note['kind'], text: string): void => {
    out.push({ kind, text });
  };
  // tcx_run: programs in order until one returns something other than TCX_NEXT; tcx_action_code
  for (const r of ev.tcx) {
    if (r.fault !== undefined) {
      note('step', `${r.prog} faulted (${r.fault.message}); tcxlab goes on as if it returned TCX_NEXT`);
      continue;
    }
    const ret = r.ret!;
    if (ret === -1) note('step', `${r.prog} returned TCX_NEXT (-1): tcx runs the next program`);
    else if (ret === TC_ACT.TC_ACT_OK) note('decide', `${r.prog} returned TCX_PASS (0): the verdict is TC_ACT_OK`);
    else if (ret === TC_ACT.TC_ACT_SHOT) note('decide', `${r.prog} returned TCX_DROP (2): the verdict is TC_ACT_SHOT`);
    else if (ret === TC_ACT.TC_ACT_REDIRECT) note('decide', `${r.prog} returned TCX_REDIRECT (7): the verdict is TC_ACT_REDIRECT`);
    else note('map', `tcx maps ${retText(ret)} from ${r.prog} to TCX_NEXT (tcx_action_code): the tcx run ends there and the classic filters run next`);
  }
  const lastTcx = ev.tcx[ev.tcx.length - 1];
  if (lastTcx && ev.tcxVerdict === 'next' && (lastTcx.ret === -1 || lastTcx.fault !== undefined)) note('step', 'every tcx program returned TCX_NEXT: the classic filters run next');
  if (path === 'tcx' && lastTcx && lastTcx.ret !== undefined && lastTcx.ret !== -1) {
    const notRun = (ev.tcxPrograms ?? []).slice(ev.tcx.length);
    if (notRun.length) note('stop', `tcx stops at the first return other than TCX_NEXT: ${lastTcx.prog} returned ${tcxRetLabel(lastTcx.ret)}, so ${notRun.join(', ')} never ran`);
  }
  if (ev.classic) {
    const runs = ev.classic.runs;
    for (const r of runs) {
      const who = filterName(r);
      if (r.fault !== undefined) {
        note('step', `${who} faulted (${r.fault.message}); tcxlab goes on with the next filter`);
        continue;
      }
      const ret = r.ret!;
      if (r.da) {
        const v = clsBpfExecOpcode(ret);
        if (ret === -1) note('step', `${who} returned TC_ACT_UNSPEC (-1): cls_bpf runs the next filter`);
        else if (v === TC_ACT.TC_ACT_UNSPEC) note('map', `cls_bpf da turns ${retText(ret)} from ${who} into TC_ACT_UNSPEC (cls_bpf_exec_opcode keeps only OK, SHOT, STOLEN, TRAP, REDIRECT): the next filter runs`);
        else note('decide', `cls_bpf da: ${who} returned ${retText(ret)}, which is the verdict`);
      } else if (ret === 0) {
        note('step', `${who} returned 0: no match (non-da), the next filter runs`);
      } else {
        const cls = r.classid ?? (ret === -1 ? s.classid : ret >>> 0);
        const act = r.result === 'continue' ? 'its actions continued, so the next filter runs' : r.result === TC_ACT.TC_ACT_OK ? 'with no actions tcf_exts_exec gives TC_ACT_OK' : `its actions gave ${tcActLabel(r.result)}`;
        if (ret === -1) note('decide', `${who} returned -1: non-da cls_bpf takes that as a match with the filter's classid ${fmtClassid(cls)}; ${act}`);
        else note(r.result === 'continue' ? 'map' : 'decide', `non-da cls_bpf reads ${ret} from ${who} as a classid (${fmtClassid(cls)}), not as a verdict: a match; ${act}`);
      }
    }
    const last = runs[runs.length - 1];
    if (ev.classic.verdict === TC_ACT.TC_ACT_UNSPEC) note('decide', 'no filter decided: tcf_classify gives TC_ACT_UNSPEC');
    else if (last && path !== 'tcx') {
      const skipped = classicNotRun(ev, s);
      if (skipped.length) note('stop', `${tcActLabel(ev.classic.verdict)} from ${filterName(last)} ends the classic chain: ${skipped.join(', ')} never ran`);
    }
    if (ev.classid !== undefined && (ev.classic.verdict === TC_ACT.TC_ACT_OK || ev.classic.verdict === TC_ACT.TC_ACT_RECLASSIFY)) {
      note('class', `tc_run: ${tcActLabel(ev.classic.verdict)} sets tc_index to the minor of classid ${fmtClassid(ev.classid)} (${ev.classid & 0xffff})`);
    }
  } else if (ev.tcxVerdict === 'next') {
    note('decide', 'no classic filters on this hook: tc_run gives TC_ACT_UNSPEC');
  }
  if (ev.tcxVerdict === 'pass') note('class', `TCX_PASS: tcx_action_code copies tc_classid (${ev.classid ?? 0}) to tc_index`);
  note('effect', verdictEffect(ev, t));
  return out;
}

/** Classic view filters (one per prio, in tcx order) that did not run because an earlier one decided. */
function classicNotRun(ev: HookEvent, s: Setup): string[] {
  const ran = new Set(ev.classic?.runs.map((r) => r.prog));
  return (ev.tcxPrograms ?? []).flatMap((p, i) => (ran.has(p) ? [] : [`the prio ${s.prio + i} filter (${p})`]));
}

/* ------------------------------------------------------------------ differences */

function hexOf(b: Uint8Array): string {
  return Buffer.from(b).toString('hex');
}

function fateText(o: PathOutcome): string {
  return o.fate === 'drop' ? `drop (${o.dropReason}) at ${o.fateDev}` : `${o.fate} at ${o.fateDev}`;
}

function hx(n: number): string {
  return `0x${(n >>> 0).toString(16)}`;
}

const FIELDS: Array<[CompareField, (o: PathOutcome) => string]> = [
  ['verdict', (o) => `${o.verdictName} (${o.verdict})`],
  ['fate', fateText],
  ['ran', (o) => o.ran.join(' ') || '(none)'],
  ['bytes', (o) => hexOf(o.bytes)],
  ['mark', (o) => hx(o.mark)],
  ['priority', (o) => String(o.priority)],
  ['tcIndex', (o) => hx(o.tcIndex)],
  ['classid', (o) => (o.classid === null ? '-' : fmtClassid(o.classid))],
];

function frameComparison(index: number, frame: Uint8Array, s: Setup, get: (p: ComparePath) => PathOutcome): FrameComparison {
  const outcomes: Partial<Record<ComparePath, PathOutcome>> = {};
  for (const p of s.paths) outcomes[p] = get(p);
  const differences: Difference[] = [];
  for (const [field, show] of FIELDS) {
    const values: Partial<Record<ComparePath, string>> = {};
    for (const p of s.paths) values[p] = show(outcomes[p]!);
    if (new Set(Object.values(values)).size <= 1) continue;
    differences.push({ field, values, why: whyOf(field, outcomes, s) });
  }
  return { index, frame, outcomes, differences };
}

/** The reasons for a difference in `field`: each path's notes of the kinds that explain it. */
function whyOf(field: CompareField, outcomes: Partial<Record<ComparePath, PathOutcome>>, s: Setup): string[] {
  const os = s.paths.map((p) => outcomes[p]!);
  const why: string[] = [];
  const label = (o: PathOutcome): string => (o.path === 'tcx' ? 'tcx' : o.path === 'da' ? 'da' : `non-da ${fmtClassid(s.classid)}`);
  const add = (kinds: string[], fallback?: (o: PathOutcome) => string | undefined, fallbackKinds: string[] = []): void => {
    for (const o of os) {
      let lines = o.notes.filter((n) => kinds.includes(n.kind)).map((n) => n.text);
      if (lines.length === 0) lines = o.notes.filter((n) => fallbackKinds.includes(n.kind)).map((n) => n.text);
      if (lines.length === 0 && fallback) {
        const f = fallback(o);
        if (f) lines.push(f);
      }
      for (const l of lines) why.push(`${label(o)}: ${l}`);
    }
  };
  switch (field) {
    case 'verdict':
      add(['map', 'decide']);
      break;
    case 'fate':
      add(['effect']);
      break;
    case 'ran':
      add(['stop', 'map'], (o) => `ran ${o.ran.join(', ') || 'nothing'}`, ['decide']);
      break;
    case 'tcIndex':
    case 'classid':
      add(['class'], (o) => `${o.verdictName} sets no class and leaves tc_index as it was`);
      // the preset matters when tcx PASS copies tc_classid and a classic path also chose a class
      const ok = (o: PathOutcome): boolean => o.verdict === TC_ACT.TC_ACT_OK;
      const tcxPass = (o: PathOutcome): boolean => firstHook(o.trace)?.tcxVerdict === 'pass';
      if (os.some((o) => o.path === 'tcx' && tcxPass(o)) && os.some((o) => o.path !== 'tcx' && ok(o))) {
        why.push(`cls_bpf_classify sets tc_classid to the filter's classid (da ${fmtClassid(s.daClassid)}, non-da ${fmtClassid(s.classid)}) before each program runs; tcx leaves it as it was`);
      }
      break;
    default: {
      const ranSame = new Set(os.map((o) => o.ran.join(' '))).size === 1;
      if (!ranSame) for (const o of os) why.push(`${label(o)}: ran ${o.ran.join(', ') || 'nothing'}`);
      else why.push(`the same programs ran (${os[0].ran.join(', ') || 'none'}): what differs is what they saw or what happened after the hook`);
      const presets = os.filter((o) => o.path !== 'tcx').map((o) => (o.path === 'da' ? s.daClassid : s.classid));
      if (os.some((o) => o.path === 'tcx') && presets.some((c) => c !== 0)) {
        why.push(`cls_bpf_classify sets tc_classid to the filter's classid (da ${fmtClassid(s.daClassid)}, non-da ${fmtClassid(s.classid)}) before each program runs; tcx does not, so a program reading __sk_buff->tc_classid sees different values`);
      }
      // a redirect can rewrite the frame (redirect_neigh sets the MACs); other verdicts do not
      if (os.some((o) => o.verdict === TC_ACT.TC_ACT_REDIRECT)) add(['effect']);
    }
  }
  return why;
}
