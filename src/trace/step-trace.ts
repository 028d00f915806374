/**
 * @fileoverview Execution traces: one record per executed instruction, built on the VM's step
 * hook (RunOptions.step), printed in the kernel verifier log's instruction syntax (vm/disasm.ts)
 * with the registers the instruction wrote and its source line:
 *
 *       5: (2d) if r1 > r2 goto pc+31           ; fallthrough          @ bench_parse.bpf.c:22
 *       6: (71) r5 = *(u8 *)(r3 +12)            ; R5=0x8               @ bench_parse.bpf.c:24
 *   -- tail call jump_table[17]: tail_dispatch -> tail_udp
 *       0: (b7) r1 = 17                         ; R1=0x11              @ tailcall.bpf.c:58
 *
 * Frames of bpf-to-bpf calls and callbacks are indented two spaces per depth. The hook runs
 * before each instruction, so the values an instruction wrote are read at the next step of the
 * same frame (after a callback-running helper such as bpf_loop, that is after the callbacks).
 */
import { AtomicOp, CallSrc, Class, Mode, Op, opClass, opMode } from '../../vm/isa.js';
import type { DecodedProgram, RegisterFile, StepHook } from '../../vm/program.js';
import type { LineInfo } from '../../loader/spec.js';
import type { Collection } from '../collection.js';
import type { TestRunOptions, TestRunResult } from '../test-run.js';
import { ProgramTracker, type TracedProgram } from './program-tracker.js';
import { shortLocation } from './source-map.js';

/** One executed instruction. */
export interface TraceRecord {
  /** Program executing (changes after a tail call). */
  prog: string;
  pc: number;
  depth: number;
  opcode: number;
  /** Kernel text of the instruction (`r1 = *(u32 *)(r6 +76)`). */
  text: string;
  source?: LineInfo;
  /** Registers the instruction wrote, with their values as u64 (absent: not known, e.g. it faulted). */
  writes?: Array<[reg: number, value: bigint]>;
  /** For conditional jumps: whether the jump was taken. */
  taken?: boolean;
  /** For a bpf-to-bpf call: the function called. */
  callee?: string;
  /** Set on the first record after a tail call: the prog array slot that was taken. */
  tailCall?: { from: string; map: string; index: number };
}

/** Registers an instruction writes (r0..r10); empty for stores, jumps and bpf-to-bpf calls. */
export function writtenRegs(code: DecodedProgram, pc: number): number[] {
  const op = code.op[pc];
  const dst = code.dst[pc];
  switch (opClass(op)) {
    case Class.ALU:
    case Class.ALU64:
    case Class.LDX:
      return [dst];
    case Class.LD:
      return op === Op.LDDW ? [dst] : [0];
    case Class.STX: {
      if (opMode(op) !== Mode.ATOMIC) return [];
      const imm = code.imm[pc];
      if (imm === AtomicOp.CMPXCHG) return [0];
      if (imm === AtomicOp.LOAD_ACQ) return [dst];
      return imm & AtomicOp.FETCH ? [code.src[pc]] : [];
    }
    case Class.JMP:
      if (op === Op.CALL && code.src[pc] !== CallSrc.BPF_PSEUDO_CALL) return [0];
      if (op === Op.CALLX) return [0];
      return [];
    default:
      return [];
  }
}

/** Whether the instruction is a conditional jump (has a taken and a not-taken outcome). */
export function isConditionalJump(op: number): boolean {
  const cls = opClass(op);
  if (cls !== Class.JMP && cls !== Class.JMP32) return false;
  return op !== Op.JA && op !== Op.JA32 && op !== Op.CALL && op !== Op.CALLX && op !== Op.EXIT;
}

/** Target of a conditional jump at `pc` (pc + 1 + off). */
export function jumpTarget(code: DecodedProgram, pc: number): number {
  return pc + 1 + code.off[pc];
}

const u64 = (regs: RegisterFile, r: number): bigint => (BigInt(regs.hi[r] >>> 0) << 32n) | BigInt(regs.lo[r] >>> 0);

/** Options of a trace recorder. */
export interface TraceOptions {
  /** Keep at most this many records (the run goes on; `truncated` says so). Default unlimited. */
  limit?: number;
}

/** Records a run instruction by instruction; `hook` is the StepHook to pass to a run. */
export class TraceRecorder {
  readonly records: TraceRecord[] = [];
  truncated = false;
  private readonly tracker: ProgramTracker;
  private readonly limit: number;
  /** Records waiting for the values they wrote / their branch outcome, by frame depth. */
  private pending: Array<{ rec: TraceRecord; regs: number[]; code: DecodedProgram } | undefined> = [];
  private pendingTail: { from: string; map: string; index: number } | undefined;

  constructor(coll: Collection, entry: string, opts: TraceOptions = {}) {
    this.tracker = new ProgramTracker(coll, coll.program(entry));
    this.limit = opts.limit ?? Infinity;
  }

  readonly hook: StepHook = (pc, regs, depth) => {
    const sw = this.tracker.before(pc, regs, depth);
    if (this.tracker.restarted) this.pending = []; // `repeat`: a new execution, nothing to settle
    // Resolve the record of this frame's previous instruction. Deeper frames (a callback run by
    // a helper, a finished subprogram) have their own slots: a return to this depth settles it.
    for (let d = this.pending.length - 1; d >= depth; d--) {
      const p = this.pending[d];
      if (p === undefined) continue;
      this.pending[d] = undefined;
      if (d !== depth) continue;
      if (sw !== undefined) continue; // tail call: the target starts afresh, r0 was not "written"
      if (p.regs.length) p.rec.writes = p.regs.map((r) => [r, u64(regs, r)]);
      if (isConditionalJump(p.rec.opcode)) p.rec.taken = pc === jumpTarget(p.code, p.rec.pc) && pc !== p.rec.pc + 1;
    }
    const cur: TracedProgram = this.tracker.current;
    if (sw !== undefined) this.pendingTail = { from: sw.from.loaded.name, map: sw.map, index: sw.index };
    if (this.records.length >= this.limit) {
      this.truncated = true;
      return;
    }
    const code = cur.loaded.linked.code;
    const rec: TraceRecord = {
      prog: cur.loaded.name,
      pc,
      depth,
      opcode: code.op[pc],
      text: cur.source.text(pc),
      source: cur.source.lineOf[pc],
    };
    if (rec.opcode === Op.CALL && code.src[pc] === CallSrc.BPF_PSEUDO_CALL) rec.callee = cur.source.funcOf[pc + 1 + code.imm[pc]];
    if (this.pendingTail !== undefined) {
      rec.tailCall = this.pendingTail;
      this.pendingTail = undefined;
    }
    this.records.push(rec);
    const regsOut = writtenRegs(code, pc);
    if (regsOut.length || isConditionalJump(rec.opcode)) this.pending[depth] = { rec, regs: regsOut, code };
  };
}

const hex = (v: bigint): string => (v === 0n ? '0x0' : '0x' + v.toString(16));

/** The verifier-log-like text of a record (one line, plus a tail-call line before it when it starts a program). */
export function formatRecord(r: TraceRecord): string[] {
  const out: string[] = [];
  if (r.tailCall) out.push(`-- tail call ${r.tailCall.map}[${r.tailCall.index}]: ${r.tailCall.from} -> ${r.prog}`);
  const op = r.opcode.toString(16).padStart(2, '0');
  let line = `${'  '.repeat(r.depth)}${String(r.pc).padStart(4)}: (${op}) ${r.text}`;
  const notes: string[] = [];
  if (r.writes) for (const [reg, v] of r.writes) notes.push(`R${reg}=${hex(v)}`);
  if (r.taken !== undefined) notes.push(r.taken ? 'taken' : 'fallthrough');
  if (r.callee !== undefined) notes.push(`-> ${r.callee}`);
  if (notes.length || r.source) line = line.padEnd(48) + ` ; ${notes.join(' ')}`;
  if (r.source) line = line.padEnd(72) + ` @ ${shortLocation(r.source)}`;
  out.push(line.trimEnd());
  return out;
}

/** A traced run: the test run's result plus the records. */
export interface TracedRun {
  result: TestRunResult;
  records: TraceRecord[];
  /** More instructions ran than `limit` records were kept. */
  truncated: boolean;
}

/**
 * Run `progName` of `coll` on `frame` (BPF_PROG_TEST_RUN, see Collection.run) with a trace.
 * The run uses the interpreter (the JIT has no per-instruction hook); results are the same.
 */
export function traceRun(
  coll: Collection,
  progName: string,
  frame: Uint8Array,
  opts: Omit<TestRunOptions, 'data' | 'step'> & TraceOptions = {},
): TracedRun {
  const rec = new TraceRecorder(coll, progName, opts);
  const result = coll.run(progName, frame, { ...opts, step: rec.hook });
  return { result, records: rec.records, truncated: rec.truncated };
}

/** Text lines of a whole trace. */
export function formatStepTrace(records: readonly TraceRecord[]): string[] {
  return records.flatMap(formatRecord);
}
