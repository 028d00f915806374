/**
 * @fileoverview tcxlab's load-time verdict on each program of the verifier selftests corpus,
 * compared with the Linux kernel's (the goldens of test/goldens/verifier-selftests, recorded by
 * record.sh). Used by test/vm/verifier-selftests.test.ts and report.ts. How programs are
 * classified is described in docs/verifier-selftests.md.
 *
 * tcxlab's verdict is what the product does when a user loads the object (as `tcxlab run` does:
 * loadCollectionSpec with unknown sections as sched_cls, then a Collection with load-time
 * verification), restricted to one program like the kernel recording (Collection option
 * `programs`, libbpf's autoload). A failure of the whole object (loader: an unsupported kfunc or
 * section anywhere, a map the runtime cannot create) rejects every program of it; the reason is
 * kept.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { Collection } from '../../../src/collection.js';
import { loadCollectionSpec, type CollectionSpec } from '../../../loader/index.js';
import { BpfError, VerifierError } from '../../../vm/errors.js';
import type { Annotations } from './goldens.js';

const root = new URL('../../../', import.meta.url);
const goldenDir = new URL('test/goldens/verifier-selftests/', root);

/** One program's golden (see goldens.ts). */
export interface KernelProgram {
  name: string;
  section: string;
  type: string;
  annotations: Annotations;
  /** null for programs of other types (skipped: listed, not loaded). */
  verdict: 'accept' | 'reject' | null;
  errno: number | null;
  errname: string | null;
  skip?: string;
  message?: string | null;
  messages?: string[];
  insn?: number | null;
}

export interface GoldenFile {
  /** Source file's base name (`verifier_and`). */
  file: string;
  source: string;
  object: string;
  programs: KernelProgram[];
}

/** Every golden file, sorted by name. */
export function loadGoldens(): GoldenFile[] {
  return readdirSync(goldenDir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => ({ file: f.replace(/\.json$/, ''), ...JSON.parse(readFileSync(new URL(f, goldenDir), 'utf8')) }));
}

/** What tcxlab did with one program. */
export interface OurVerdict {
  verdict: 'accept' | 'reject';
  /** 'object': the whole object failed (loader or collection); 'verifier': this program was refused. */
  stage?: 'object' | 'verifier' | 'link';
  /** The error's message without tcxlab's decoration (`verifier: insn #N: ` and ` (file:line)`). */
  message?: string;
  code?: string;
  insn?: number;
}

/** The message text of a tcxlab error as the kernel would print it (no stage prefix, no source). */
export function bareMessage(e: BpfError): string {
  if (!(e instanceof VerifierError)) return e.message;
  let m = e.message.replace(/^verifier: insn #\d+: /, '');
  const suffix = e.source === undefined ? '' : ` (${e.source})`;
  if (suffix && m.endsWith(suffix)) m = m.slice(0, -suffix.length);
  return m;
}

/** The loaded spec of an object, or the error refusing the whole object. */
export function loadSpec(objectBytes: Uint8Array): CollectionSpec | BpfError {
  try {
    return loadCollectionSpec(objectBytes, { programType: 'sched_cls' });
  } catch (e) {
    if (e instanceof BpfError) return e;
    throw e;
  }
}

/** tcxlab's verdict on program `name` of a loaded spec (or of an object refused as a whole). */
export function ourVerdict(spec: CollectionSpec | BpfError, name: string, objectName: string): OurVerdict {
  if (spec instanceof BpfError) return { verdict: 'reject', stage: 'object', message: spec.message, code: spec.code };
  const attempt = (programs: readonly string[]): BpfError | undefined => {
    try {
      const c = new Collection(spec, { objectName, programs });
      // A program tcxlab refuses on its own (unsupported kfunc or map type) is not loaded.
      for (const p of programs) if (c.refused.has(p)) return c.refused.get(p)?.error;
      return undefined;
    } catch (e) {
      if (e instanceof BpfError) return e;
      throw e;
    }
  };
  // The maps alone (a map type the runtime lacks refuses the whole object), then this program.
  const objectError = attempt([]);
  if (objectError) return { verdict: 'reject', stage: 'object', message: objectError.message, code: objectError.code };
  const e = attempt([name]);
  if (e === undefined) return { verdict: 'accept' };
  if (e instanceof VerifierError) return { verdict: 'reject', stage: 'verifier', message: bareMessage(e), code: e.code, insn: e.insnIndex };
  return { verdict: 'reject', stage: 'link', message: e.message, code: e.code };
}

/** Outcome of comparing tcxlab with the kernel on one program. */
export type Outcome = 'agree-accept' | 'agree-reject' | 'false-accept' | 'false-reject';

export function outcomeOf(kernel: 'accept' | 'reject', ours: 'accept' | 'reject'): Outcome {
  if (kernel === ours) return kernel === 'accept' ? 'agree-accept' : 'agree-reject';
  return ours === 'accept' ? 'false-accept' : 'false-reject';
}

/**
 * Why the kernel refused a program, from its first error line (and the lines after it): the
 * first rule that matches wins. 'memory' is memory safety: an access the verifier could not
 * prove in bounds, of the right type, initialised, or through a pointer that may be NULL, and
 * pointer arithmetic that could leave an object.
 */
export type KernelReason = 'memory' | 'reference' | 'lock' | 'termination' | 'structure' | 'call' | 'other';

const REASONS: readonly [KernelReason, RegExp][] = [
  // resources that must be released or held: reference tracking, locks, RCU, preemption, IRQs
  ['reference', /Unreleased reference|would lead to reference leak|must be referenced|release func|referenced dynptr|reference has not been acquired|cannot be mixed with socket references/],
  ['lock', /spin_lock|spin_unlock|rcu_read_lock|preempt_disable|preempt_enable|irq|holding a lock/],
  // loops and the complexity limit
  ['termination', /infinite loop|back-edge|loop detected|too complex|BPF program is too large|sequence of \d+ jumps/],
  // instruction-level and control-flow structure (check_subprogs, check_cfg, do_check_insn, the stack and call-depth limits)
  ['structure', /unreachable insn|jump out of range|last insn is not an exit|unknown opcode|invalid bpf_ld_imm64|invalid BPF_|reserved field|^R\d+ is invalid$|frame pointer is read only|div by zero|invalid shift|call stack of \d+ frames is too deep|combined stack size|jump into the middle|uses reserved|LD_ABS is only allowed|unrecognized bpf_ld_imm64|is not pointing to valid bpf_map/],
  // memory safety: bounds, types, initialisation and NULL of what is accessed or passed as memory,
  // and pointer arithmetic that could leave an object
  ['memory', /invalid (mem |variable-offset |indirect |zero-sized |sock |kptr )?(access|read|write)|invalid mem access|out of bounds|outside of the (packet|allowed memory range)|unbounded memory access|min value is negative|!read_ok|pointer arithmetic|arithmetic on|operator .* on pointer|subtraction from stack pointer|math between .* pointer|pointer offset -?\d+ is not allowed|makes .* pointer be out of bounds|tried to subtract pointer|pointer \+= pointer|dereference of modified|bpf_context access|negative offset .* ptr|variable ctx access|(write into|read from) map forbidden|misaligned|invalid size of register fill|cannot write into|only read from|Possibly NULL|_or_null|type=\S+ expected=|uninit|leaks addr|pointer comparison prohibited|partial copy of pointer|helper access to the packet|expected pointer to|expects pointer to|invalid negative access|stores into R\d+ \w+ is not allowed|same insn cannot be used with different pointers|dynptr has to be at a constant offset|invalid (read from|write to) stack/],
  // helpers, kfuncs, global functions and callbacks
  ['call', /func|helper|kfunc|callback|exception cb|rbtree|must be a known constant|cannot pass map_type|is not allowed/],
];

export function kernelReason(messages: readonly string[]): KernelReason {
  const text = messages.join('\n');
  for (const [reason, re] of REASONS) if (re.test(messages[0] ?? '')) return reason;
  for (const [reason, re] of REASONS) if (re.test(text)) return reason;
  return 'other';
}

/** Everything known about one program of the corpus. */
export interface ProgramResult {
  /** `file/program`, the key of the baseline. */
  key: string;
  file: string;
  kernel: KernelProgram;
  ours: OurVerdict;
  outcome: Outcome;
  /** For rejections the kernel made: why (from its message). */
  reason?: KernelReason;
  /** For agreed rejections: our message equals the kernel's first error line. */
  messageEqual?: boolean;
  /** For agreed rejections: our message equals one of the kernel's error lines. */
  messageInBlock?: boolean;
}

/** Compare tcxlab with the kernel on every program of one golden file (skipped ones excluded). */
export function compareFile(g: GoldenFile): ProgramResult[] {
  const bytes = new Uint8Array(readFileSync(new URL(g.object, root)));
  const spec = loadSpec(bytes);
  return g.programs.filter((p) => p.skip === undefined).map((p) => compareProgram(g.file, spec, p));
}

export function compareProgram(file: string, spec: CollectionSpec | BpfError, p: KernelProgram): ProgramResult {
  if (p.verdict === null || p.skip !== undefined) throw new Error(`${file}/${p.name} is skipped: ${p.skip}`);
  const ours = ourVerdict(spec, p.name, file);
  const outcome = outcomeOf(p.verdict, ours.verdict);
  const r: ProgramResult = { key: `${file}/${p.name}`, file, kernel: p, ours, outcome };
  if (p.verdict === 'reject') r.reason = kernelReason(p.messages ?? []);
  if (outcome === 'agree-reject') {
    r.messageEqual = ours.message === p.message;
    r.messageInBlock = (p.messages ?? []).includes(ours.message ?? '');
  }
  return r;
}

/** The committed list of known disagreements (regenerated by `report.ts --update-baseline`). */
export interface Baseline {
  /** key -> outcome, for every program tcxlab disagrees on. */
  disagreements: Record<string, 'false-accept' | 'false-reject'>;
  /** Keys of agreed rejections whose message equals the kernel's first error line. */
  messageEqual: string[];
}

export const baselineUrl = new URL('test/corpus/verifier-selftests/baseline.json', root);

export function loadBaseline(): Baseline {
  return JSON.parse(readFileSync(baselineUrl, 'utf8')) as Baseline;
}

export function makeBaseline(results: readonly ProgramResult[]): Baseline {
  const disagreements: Record<string, 'false-accept' | 'false-reject'> = {};
  for (const r of results) if (r.outcome === 'false-accept' || r.outcome === 'false-reject') disagreements[r.key] = r.outcome;
  return { disagreements, messageEqual: results.filter((r) => r.messageEqual).map((r) => r.key) };
}

/** The counts of the README table. */
export interface Summary {
  programs: number;
  skipped: number;
  kernelAccept: number;
  kernelReject: number;
  agreeAccept: number;
  agreeReject: number;
  falseAccept: number;
  falseAcceptMemory: number;
  falseReject: number;
  /** False rejections where the whole object was refused (loader or collection), not the program. */
  falseRejectObject: number;
  /** Agreed rejections where tcxlab refused the whole object (no message about the program). */
  agreeRejectObject: number;
  /** Programs whose object tcxlab loads (its verifier judged the program itself), and how many of those agree. */
  judged: number;
  judgedAgree: number;
  messageEqual: number;
  messageInBlock: number;
}

export function summarize(results: readonly ProgramResult[], skipped: number): Summary {
  const n = (f: (r: ProgramResult) => boolean): number => results.filter(f).length;
  return {
    programs: results.length,
    skipped,
    kernelAccept: n((r) => r.kernel.verdict === 'accept'),
    kernelReject: n((r) => r.kernel.verdict === 'reject'),
    agreeAccept: n((r) => r.outcome === 'agree-accept'),
    agreeReject: n((r) => r.outcome === 'agree-reject'),
    falseAccept: n((r) => r.outcome === 'false-accept'),
    falseAcceptMemory: n((r) => r.outcome === 'false-accept' && r.reason === 'memory'),
    falseReject: n((r) => r.outcome === 'false-reject'),
    falseRejectObject: n((r) => r.outcome === 'false-reject' && r.ours.stage === 'object'),
    agreeRejectObject: n((r) => r.outcome === 'agree-reject' && r.ours.stage === 'object'),
    judged: n((r) => r.ours.stage !== 'object'),
    judgedAgree: n((r) => r.ours.stage !== 'object' && r.outcome.startsWith('agree')),
    messageEqual: n((r) => r.messageEqual === true),
    messageInBlock: n((r) => r.messageInBlock === true),
  };
}
