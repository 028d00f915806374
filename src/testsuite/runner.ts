/**
 * @fileoverview Runs a Cilium-style BPF unit-test object (bpf/tests in cilium/cilium) offline,
 * the way Cilium's Go runner (bpf/tests/bpftest) drives it on a kernel (docs/testsuite.md):
 *
 *  1. load the whole object once (one set of maps for every test of the file);
 *  2. group programs by section `<type>/test/<NAME>/(pktgen|setup|check)`; every group needs a
 *     check program; groups run in byte order of NAME;
 *  3. per group: a zeroed 3520-byte frame (PAGE_SIZE - headroom - tailroom) and, for tc, a zeroed
 *     256-byte ctx; PKTGEN, SETUP and CHECK run in turn with BPF_PROG_TEST_RUN semantics, each
 *     taking the previous one's data_out and ctx_out; the SETUP's retval is put in front of the
 *     frame as 4 little-endian bytes for the CHECK; a PKTGEN or SETUP retval of ERROR (100) or
 *     FAIL (102) ends the group as an error;
 *  4. the CHECK's retval is the group's status; element 0 of `suite_result_map` holds the tests
 *     and logs (src/testsuite/trf.ts); then element 0 of `suite_result_map` and of
 *     `mock_skb_meta_map` are zeroed for the next group.
 */
import { BpfError, ErrorCode } from '../../vm/errors.js';
import type { Engine } from '../../vm/engine.js';
import { Collection, objectNameOf } from '../collection.js';
import { loadCollectionSpec } from '../../loader/index.js';
import { programTypeForSection } from '../../loader/sections.js';
import type { BpfMap } from '../maps/index.js';
import type { TestRunResult } from '../test-run.js';
import { faultJson } from '../tc-run.js';
import { ERRNO } from '../uapi.js';
import { decodeSuiteResult, outcomeOf, TRF_STATUS, TrfDecodeError, type Outcome, type TrfLog } from './trf.js';

/** Size of the frame a group starts with: 4096 - 256 (headroom) - 320 (tailroom). */
export const TEST_FRAME_LEN = 4096 - 256 - 320;
/** ctx_in / ctx_out buffer for tc programs (larger than struct __sk_buff, zero past it). */
export const TEST_CTX_LEN = 256;
/** data_out room beyond the input (cilium/ebpf's Program.Run slack). */
const DATA_OUT_SLACK = 256 + 2;

export const SUITE_RESULT_MAP = 'suite_result_map';
/** Default instruction budget of one program run in a test group. */
export const TEST_INSN_BUDGET = 200_000_000;
export const MOCK_SKB_META_MAP = 'mock_skb_meta_map';

export type StepKind = 'pktgen' | 'setup' | 'check';
const KINDS: readonly StepKind[] = ['pktgen', 'setup', 'check'];

/** A test group found in the object: one name, its programs (function names). */
export interface TestGroup {
  name: string;
  pktgen?: string;
  setup?: string;
  check?: string;
  /** Section prefix of the check program ("tc", "xdp", ...). */
  type: string;
}

/** One BPF_PROG_TEST_RUN of a group, in the recorder's shape (errno as a number). */
export interface StepRecord {
  kind: StepKind;
  prog: string;
  err: number;
  errname?: string;
  retval?: number;
  /** Hex of data_out. */
  data_out?: string;
  /** Hex of the 192-byte ctx_out (tc programs). */
  ctx_out?: string;
  /** A VM fault (the kernel would never have loaded this program). */
  fault?: { code: string; insn: number; message: string };
}

export interface TestCaseResult {
  name: string;
  outcome: Outcome;
  status: number;
  log: TrfLog[];
}

export interface GroupResult {
  name: string;
  /** The group's own outcome: from the CHECK's retval, or 'error' when it could not run. */
  outcome: Outcome;
  /** The CHECK's retval. */
  status?: number;
  /** Why the group is an error or was not run. */
  error?: string;
  /** The group was not run at all (e.g. an XDP test); outcome is 'skip'. */
  notRun?: string;
  tests: TestCaseResult[];
  suiteLog: TrfLog[];
  steps: StepRecord[];
  /** Hex of the suite_result_map message (the bytes the decoder used). */
  result?: string;
}

export interface SuiteRunResult {
  object: string;
  groups: GroupResult[];
  /** Counts over test cases and groups (a group counts once, its TEST()s once each). */
  totals: { pass: number; fail: number; skip: number; error: number };
}

export interface SuiteRunOptions {
  /** Object file name (reports, libbpf map names). */
  objectName?: string;
  /** Run the verifier-lite on every program at load (default true). */
  verify?: boolean;
  engine?: Engine;
  /**
   * Instruction budget per program run (default TEST_INSN_BUDGET). The kernel has no run-time
   * limit; Cilium's NAT tests loop over port allocation for millions of instructions.
   */
  budget?: number;
  /** Only groups whose name matches. */
  filter?: RegExp;
}

/** Section names of test programs; unanchored at the end, as the Go runner's regexp. */
const TEST_SECTION = /[^/]+\/test\/([^/]+)\/(check|setup|pktgen)/;

/** Group an object's programs by test name (program name → section). */
export function discoverGroups(programs: ReadonlyArray<{ name: string; section: string }>): TestGroup[] {
  const groups = new Map<string, TestGroup>();
  for (const p of programs) {
    const m = TEST_SECTION.exec(p.section);
    if (m === null) continue;
    const name = m[1];
    const kind = m[2] as StepKind;
    let g = groups.get(name);
    if (g === undefined) groups.set(name, (g = { name, type: '' }));
    if (g[kind] !== undefined) {
      throw new BpfError(ErrorCode.Usage, `test ${JSON.stringify(name)} has two ${kind} programs (${g[kind]}, ${p.name})`);
    }
    g[kind] = p.name;
    if (kind === 'check') g.type = p.section.slice(0, p.section.indexOf('/'));
  }
  const out = [...groups.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const g of out) {
    if (g.check === undefined) throw new BpfError(ErrorCode.Usage, `test ${JSON.stringify(g.name)} has no check program`);
  }
  return out;
}

/** Program types the runner can run; the Go runner also runs XDP (tcxlab does not). */
const isTc = (sectionPrefix: string): boolean => !sectionPrefix.startsWith('xdp');

/**
 * A program the runner loads: its section names no type (loaded as sched_cls) or a tc type.
 * Cilium's Go runner loads the others as their own type (XDP, and the cgroup socket programs of
 * the socket-LB tests); tcxlab runs tc programs only, so they are left out rather than verified
 * against `__sk_buff` rules that are not theirs.
 */
function loadsAsTc(section: string): boolean {
  // Cilium's xdp/entry, xdp/tail and xdp/test/... sections, which libbpf's table does not name
  if (!isTc(section)) return false;
  const t = programTypeForSection(section)?.type.name;
  return t === undefined || t === 'BPF_PROG_TYPE_SCHED_CLS' || t === 'BPF_PROG_TYPE_SCHED_ACT';
}

const toHex = (b: Uint8Array): string => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex');

/**
 * Load OBJ for the test runner as Cilium's runner prepares it: unknown sections as sched_cls,
 * no map pinned (any `pinning` value accepted), XDP and cgroup programs left out, and every
 * `__declare_tail(N)` program (section `.../tail`, BTF decl tag `tail:cilium_calls/N`) put in
 * slot N of `cilium_calls`.
 */
export function loadTestObject(bytes: Uint8Array, opts: SuiteRunOptions = {}): Collection {
  const spec = loadCollectionSpec(bytes, { programType: 'sched_cls', pinning: 'none' });
  const programs = spec.programs.filter((p) => loadsAsTc(p.section)).map((p) => p.name);
  const coll = new Collection(spec, { objectName: objectNameOf(opts.objectName ?? 'obj.o'), verify: opts.verify, engine: opts.engine, programs });
  resolveTailCalls(coll);
  return coll;
}

export const CALLS_MAP = 'cilium_calls';

/** The `tail:cilium_calls/N` slot of a program's FUNC, from its BTF decl tags. */
function tailCallSlot(coll: Collection, prog: string): number | undefined {
  const btf = coll.spec.btf;
  const ps = coll.spec.programs.find((p) => p.name === prog);
  const funcId = ps?.funcInfo?.[0]?.typeId;
  if (btf === undefined || funcId === undefined) return undefined;
  for (const t of btf.types) {
    if (t.kind !== 'DECL_TAG' || t.type !== funcId || t.componentIdx !== -1) continue;
    const m = /^tail:cilium_calls\/(\d+)/.exec(t.name);
    if (m !== null) return Number(m[1]);
  }
  return undefined;
}

/** Cilium's loader (pkg/bpf resolveTailCalls): fill cilium_calls from `__declare_tail` annotations. */
function resolveTailCalls(coll: Collection): void {
  if (!coll.maps.has(CALLS_MAP)) return;
  const used = new Map<number, string>();
  for (const p of coll.spec.programs) {
    if (!p.section.endsWith('/tail') || !coll.programs.has(p.name)) continue;
    const slot = tailCallSlot(coll, p.name);
    if (slot === undefined) throw new BpfError(ErrorCode.Usage, `tail call program ${p.name} has no tail:${CALLS_MAP}/N tag`);
    const other = used.get(slot);
    if (other !== undefined) throw new BpfError(ErrorCode.Usage, `tail call slot ${slot} of ${CALLS_MAP} claimed by ${other} and ${p.name}`);
    used.set(slot, p.name);
    coll.setProgArraySlot(CALLS_MAP, slot, p.name);
  }
}

function zeroElement0(map: BpfMap | undefined): void {
  if (map === undefined) return;
  map.update(new Uint8Array(4), new Uint8Array(map.valueSize));
}

function findMap(coll: Collection, name: string): BpfMap | undefined {
  return coll.maps.get(name);
}

/** Run every test group of an object (bytes of a .o) and collect the results. */
export function runTestSuite(bytes: Uint8Array, opts: SuiteRunOptions = {}): SuiteRunResult {
  const coll = loadTestObject(bytes, opts);
  return runTestCollection(coll, { ...opts, objectName: opts.objectName ?? 'obj.o' });
}

/** Run the test groups of a loaded collection (see the file comment for the protocol). */
export function runTestCollection(coll: Collection, opts: SuiteRunOptions = {}): SuiteRunResult {
  const groups = discoverGroups(coll.spec.programs.map((p) => ({ name: p.name, section: p.section })));
  const resultMap = findMap(coll, SUITE_RESULT_MAP);
  const mockMap = findMap(coll, MOCK_SKB_META_MAP);
  const out: GroupResult[] = [];
  for (const g of groups) {
    if (opts.filter && !opts.filter.test(g.name)) continue;
    out.push(runGroup(coll, g, resultMap, opts));
    zeroElement0(resultMap);
    zeroElement0(mockMap);
  }
  const totals = { pass: 0, fail: 0, skip: 0, error: 0 };
  for (const g of out) {
    totals[g.outcome]++;
    for (const t of g.tests) totals[t.outcome]++;
  }
  return { object: opts.objectName ?? 'obj.o', groups: out, totals };
}

function runGroup(coll: Collection, g: TestGroup, resultMap: BpfMap | undefined, opts: SuiteRunOptions): GroupResult {
  const res: GroupResult = { name: g.name, outcome: 'error', tests: [], suiteLog: [], steps: [] };
  if (!isTc(g.type)) {
    res.outcome = 'skip';
    res.notRun = `${g.type} test: tcxlab runs tc programs only`;
    return res;
  }
  for (const k of KINDS) {
    const p = g[k];
    if (p !== undefined && !coll.programs.has(p)) {
      const r = coll.refused.get(p);
      res.error = r ? r.error.message : `${k} program ${p} is not loaded`;
      return res;
    }
  }
  let data: Uint8Array = new Uint8Array(TEST_FRAME_LEN);
  let ctx: Uint8Array = new Uint8Array(TEST_CTX_LEN);
  let status = 0;
  for (const kind of KINDS) {
    const prog = g[kind];
    if (prog === undefined) continue;
    const r: TestRunResult = coll.run(prog, data, {
      ctxIn: ctx,
      ctxSizeOut: TEST_CTX_LEN,
      dataSizeOut: data.length + DATA_OUT_SLACK,
      engine: opts.engine,
      budget: opts.budget ?? TEST_INSN_BUDGET,
    });
    const step: StepRecord = { kind, prog, err: 0 };
    res.steps.push(step);
    if (r.fault) {
      step.err = ERRNO.EFAULT;
      step.errname = 'EFAULT';
      step.fault = faultJson(r.fault);
      res.error = `${kind} program ${prog} faulted: ${r.fault.message}`;
      return res;
    }
    if (r.err !== 0) {
      step.err = ERRNO[r.err];
      step.errname = r.err;
      res.error = `${kind} program ${prog}: test run failed with ${r.err}`;
      return res;
    }
    status = r.retval ?? 0;
    step.retval = status;
    step.data_out = toHex(r.dataOut);
    const ctxOut = r.ctxOut ?? new Uint8Array(0);
    step.ctx_out = toHex(ctxOut);
    data = r.dataOut;
    ctx = new Uint8Array(TEST_CTX_LEN);
    ctx.set(ctxOut.subarray(0, TEST_CTX_LEN));
    if (kind !== 'check' && (status === TRF_STATUS.ERROR || status === TRF_STATUS.FAIL)) {
      res.error = `${kind} program ${prog} returned status ${status}`;
      return res;
    }
    if (kind === 'setup') {
      const withStatus = new Uint8Array(data.length + 4);
      new DataView(withStatus.buffer).setUint32(0, status, true);
      withStatus.set(data, 4);
      data = withStatus;
    }
  }
  res.status = status;
  res.outcome = outcomeOf(status);
  if (resultMap !== undefined) {
    const found = resultMap.lookup(new Uint8Array(4));
    const value = Array.isArray(found) ? found[0] : found;
    if (value === undefined) {
      res.error = `${SUITE_RESULT_MAP} has no element 0`;
      res.outcome = 'error';
      return res;
    }
    try {
      const sr = decodeSuiteResult(value);
      res.result = toHex(value.subarray(0, sr.length));
      res.suiteLog = sr.suiteLog;
      res.tests = sr.results.map((t) => ({ name: t.name, outcome: outcomeOf(t.status), status: t.status, log: t.log }));
    } catch (e) {
      if (!(e instanceof TrfDecodeError)) throw e;
      res.error = e.message;
      res.outcome = 'error';
    }
  }
  return res;
}
