/**
 * @fileoverview `tcxlab compare OBJ PROG[,PROG...] PACKETS_FILE [--dir ingress|egress] [--prio N]
 * [--classid MAJ:MIN] [--da-classid MAJ:MIN] [--paths tcx,da,nonda] [--json] [--fail-on-diff] [--kernel]`
 * and `tcxlab compare SCENARIO.net`: classic vs tcx side by side (src/net/compare.ts).
 *
 * Per frame: a table with one column per path (tcx, cls_bpf da, cls_bpf non-da with its classid)
 * and one row per field (verdict, fate, programs run, mark, priority, tc_index, classid, bytes);
 * rows that differ are marked `!` and followed by the reasons. Exit status 0, or 1 with
 * --fail-on-diff when some frame differs; 2 for usage errors.
 */
import type { Engine } from '../../../vm/engine.js';
import { UsageError } from '../../../vm/errors.js';
import { compare, compareScenario, type CompareField, type ComparePath, type CompareResult, type FrameComparison, type PathOutcome } from '../../net/compare.js';
import { parseClassid } from '../../net/scenario.js';
import { fmtClassid } from '../../net/trace.js';
import { checkArgOrder, isElf, tryRead, verifyMode } from '../args.js';
import type { VerifierWarning } from '../../collection.js';
import type { CliIo } from '../io.js';
import type { FrameInput } from '../../pcap/input.js';
import { readPacketsFile, reportInputError } from '../frames.js';
import { kernelParityJob, kernelRefusal, KERNEL_UNAVAILABLE_EXIT, type ParityReport } from '../../kernel-parity/index.js';
import { SKB_OFF, SK_BUFF_SIZE } from '../../skb/sk-buff-ctx.js';
import { runJob } from './run.js';

interface CompareCliOptions {
  dir: string;
  prio?: string;
  classid?: string;
  daClassid?: string;
  paths?: string;
  mark?: string;
  priority?: string;
  engine: Engine;
  json?: boolean;
  failOnDiff?: boolean;
  kernel?: boolean;
}

function int(s: string | undefined, what: string, max = 0xffffffff): number | undefined {
  if (s === undefined) return undefined;
  const v = Number(s);
  if (!Number.isInteger(v) || v < 0 || v > max) throw new UsageError(`--${what}: expected an integer 0..${max}, got ${JSON.stringify(s)}`);
  return v;
}

function classidOpt(s: string | undefined, what: string): number | undefined {
  if (s === undefined) return undefined;
  if (!/^[0-9a-fA-F]*:[0-9a-fA-F]*$|^(0x)?[0-9a-fA-F]+$/.test(s)) throw new UsageError(`--${what}: expected MAJ:MIN in hex (e.g. 1:10), got ${JSON.stringify(s)}`);
  return parseClassid(s);
}

const PATH_LABEL = (p: ComparePath, r: CompareResult): string => (p === 'tcx' ? 'tcx' : p === 'da' ? `cls_bpf da${r.daClassid ? ` ${fmtClassid(r.daClassid)}` : ''}` : `cls_bpf non-da ${fmtClassid(r.classid)}`);

const ROWS: Array<[CompareField, string, (o: PathOutcome) => string]> = [
  ['verdict', 'verdict', (o) => `${o.verdictName} (${o.verdict})`],
  ['fate', 'fate', (o) => (o.fate === 'drop' ? `drop ${o.dropReason} at ${o.fateDev}` : `${o.fate} at ${o.fateDev}`)],
  ['ran', 'ran', (o) => o.ran.join(' ') || '-'],
  ['mark', 'mark', (o) => `0x${o.mark.toString(16)}`],
  ['priority', 'priority', (o) => String(o.priority)],
  ['tcIndex', 'tc_index', (o) => `0x${o.tcIndex.toString(16)}`],
  ['classid', 'classid', (o) => (o.classid === null ? '-' : fmtClassid(o.classid))],
];

/** The bytes cell: the first path shows the length; the others "same" or where they differ. */
function bytesCells(f: FrameComparison, paths: ComparePath[]): string[] {
  const base = f.outcomes[paths[0]]!.bytes;
  return paths.map((p, i) => {
    const b = f.outcomes[p]!.bytes;
    if (i === 0) return `${b.length} bytes`;
    if (b.length === base.length && b.every((x, k) => x === base[k])) return `same as ${paths[0]}`;
    let k = 0;
    while (k < b.length && k < base.length && b[k] === base[k]) k++;
    return `differ at ${k}: ${Buffer.from(b.subarray(k, k + 8)).toString('hex') || '(shorter)'}`;
  });
}

function printFrame(io: CliIo, r: CompareResult, f: FrameComparison, head: string): void {
  const paths = r.paths;
  const diff = new Set(f.differences.map((d) => d.field));
  io.out(`${head}${f.differences.length ? ` — differs in ${f.differences.map((d) => (d.field === 'tcIndex' ? 'tc_index' : d.field)).join(', ')}` : ' — the same under every path'}\n`);
  const rows: Array<[string, string[]]> = [['', paths.map((p) => PATH_LABEL(p, r))]];
  for (const [field, name, show] of ROWS) rows.push([`${diff.has(field) ? '!' : ' '} ${name}`, paths.map((p) => show(f.outcomes[p]!))]);
  rows.push([`${diff.has('bytes') ? '!' : ' '} bytes`, bytesCells(f, paths)]);
  const w0 = Math.max(...rows.map(([h]) => h.length));
  const w = paths.map((_, i) => Math.max(...rows.map(([, c]) => c[i].length)));
  for (const [h, cells] of rows) io.out(`  ${h.padEnd(w0)}  ${cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(w[i]))).join('  ')}`.trimEnd() + '\n');
  const said = new Map<string, string>();
  for (const d of f.differences) {
    const name = d.field === 'tcIndex' ? 'tc_index' : d.field;
    const key = d.why.join('\n');
    const same = said.get(key);
    if (same) {
      io.out(`  why ${name}: as for ${same}\n`);
      continue;
    }
    said.set(key, name);
    io.out(`  why ${name}:\n`);
    for (const l of d.why) io.out(`    ${l}\n`);
  }
}

function toJson(r: CompareResult): unknown {
  return {
    ...r,
    steps: undefined,
    frames: r.frames.map((f) => ({
      ...f,
      frame: Buffer.from(f.frame).toString('hex'),
      outcomes: Object.fromEntries(Object.entries(f.outcomes).map(([p, o]) => [p, { ...o, bytes: Buffer.from(o!.bytes).toString('hex'), trace: undefined, notes: undefined }])),
    })),
  };
}

/** `tcxlab compare`: the command's action (its arguments and options are defined in src/cli/program.ts). */
export async function action(io: CliIo, obj: string, prog: string | undefined, packets: string | undefined, o: CompareCliOptions & { verify?: unknown }): Promise<void> {
  if (o.kernel) {
    const refusal = kernelRefusal();
    if (refusal !== undefined) {
      io.err(`${refusal}\n`);
      io.exitCode = KERNEL_UNAVAILABLE_EXIT;
      return;
    }
    if (prog === undefined || packets === undefined) throw new UsageError('compare --kernel takes OBJ PROG[,PROG...] PACKETS_FILE (a scenario has no single test run to repeat in the kernel)');
  }
  const verify = verifyMode(o);
  const onVerifierWarning = (w: VerifierWarning): void =>
    io.err(`tcxlab: warning: the verifier rejects ${w.program} (running it anyway, --verify=warn): ${w.error.message.split('\n')[0]}\n`);
  const paths = o.paths?.split(',').map((p) => p.trim()) as ComparePath[] | undefined;
  const common = {
    prio: int(o.prio, 'prio', 0xffff),
    classid: classidOpt(o.classid, 'classid'),
    daClassid: classidOpt(o.daClassid, 'da-classid'),
    paths,
    engine: o.engine,
  };
  const objBytes = io.readFile(obj, 'object');
  let r: CompareResult;
  const heads: string[] = [];
  let input: FrameInput | undefined;
  const scenario = !isElf(objBytes) && prog === undefined && packets === undefined;
  if (scenario) {
    const rs = compareScenario(new TextDecoder().decode(objBytes), { readFile: (p) => io.readFile(p), file: obj, verify, onVerifierWarning }, common);
    r = rs;
    const cmds = new Map(rs.steps[rs.paths[0]]!.map((s) => [s.line, s.cmd]));
    for (const f of r.frames) heads.push(`line ${f.line}: ${cmds.get(f.line!)?.slice(0, 60) ?? ''}${(f.line !== undefined && (cmds.get(f.line)?.length ?? 0) > 60) ? '…' : ''} (frame ${f.index + 1}, ${f.frame.length} bytes)`);
  } else {
    if (prog === undefined || packets === undefined) throw new UsageError('compare: OBJ PROG[,PROG...] PACKETS_FILE, or a scenario file alone');
    checkArgOrder('compare', obj, prog, packets, tryRead(io.readFile));
    input = readPacketsFile(io, packets);
    const frames = input.frames.map((f) => f.data);
    const progs = prog.split(',').map((p) => p.trim()).filter(Boolean);
    r = compare(objBytes, progs, frames, { ...common, dir: o.dir as 'ingress' | 'egress', mark: int(o.mark, 'mark'), priority: int(o.priority, 'priority'), load: { verify, onVerifierWarning } });
    for (const f of r.frames) heads.push(`frame ${f.index + 1} (${f.frame.length} bytes) ${r.dir}`);
  }
  // --kernel: each program alone on each frame, in tcxlab and in the kernel (src/kernel-parity).
  const parityLines: string[] = [];
  const parity: Array<{ prog: string; report: ParityReport }> = [];
  if (o.kernel && input && packets !== undefined) {
    const mark = int(o.mark, 'mark');
    const priority = int(o.priority, 'priority');
    let ctx: Uint8Array | undefined;
    if (mark !== undefined || priority !== undefined) {
      ctx = new Uint8Array(SK_BUFF_SIZE);
      new DataView(ctx.buffer).setUint32(SKB_OFF.mark, mark ?? 0, true);
      new DataView(ctx.buffer).setUint32(SKB_OFF.priority, priority ?? 0, true);
    }
    for (const p of r.programs) {
      const mine = runJob(objBytes, obj, p, input.frames, { ctx: ctx && Buffer.from(ctx).toString('hex'), engine: o.engine, verify });
      const report = await kernelParityJob({ objPath: obj, prog: p, frames: input.frames, tcxlab: mine, ctx, out: (l) => parityLines.push(l), note: (l) => io.err(`tcxlab: ${l}\n`) });
      parity.push({ prog: p, report });
    }
  }
  if (o.json) io.out(`${JSON.stringify(o.kernel ? { ...(toJson(r) as object), kernel_parity: parity } : toJson(r))}\n`);
  else {
    const classic = `one filter per prio from ${r.prio}, protocol all, da classid ${fmtClassid(r.daClassid)} / non-da classid ${fmtClassid(r.classid)}`;
    if (scenario) io.out(`${obj}: tcx as written; classic: each hook's tcx programs as cls_bpf filters, ${classic}, in front of its own filters\n`);
    else io.out(`${r.programs.join(', ')} on ${r.dir}: tcx in this order; classic: ${classic}\n`);
    r.frames.forEach((f, i) => printFrame(io, r, f, heads[i]));
    for (const l of parityLines) io.out(`${l}\n`);
  }
  if (parity.some((x) => x.report.count > 0)) io.exitCode = 1;
  const differing = r.frames.filter((f) => f.differences.length).length;
  if (o.failOnDiff && differing) {
    io.err(`tcxlab compare: ${differing} of ${r.frames.length} frames differ between paths (--fail-on-diff)\n`);
    io.exitCode = 1;
  }
  if (input && packets !== undefined) reportInputError(io, packets, input);
}
