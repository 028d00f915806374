/**
 * @fileoverview `tcxlab trace OBJ PROG PACKETS_FILE [--ctx HEX] [--set MAP K V]... [--limit N]
 * [--packet N]`: runs PROG on each frame (BPF_PROG_TEST_RUN, as `tcxlab run`) and prints every
 * executed instruction in the verifier log's syntax with the registers it wrote, the branch
 * outcome and the source line (src/trace/step-trace.ts), then the verdict:
 *
 *   == packet 1 (line 3, 46 bytes)
 *      0: (b4) w0 = 0                    ; R0=0x0        @ bench_parse.bpf.c:13
 *      ...
 *     37: (95) exit                      ;               @ bench_parse.bpf.c:52
 *   => retval 2 (TC_ACT_SHOT, TCX_DROP), 28 insns
 */
import { UsageError } from '../../../vm/errors.js';
import { defaultBaseState } from '../../helpers/base.js';
import { mockBaseState } from '../../mock-env.js';
import { mockFromOptions } from '../mock-options.js';
import { verdictOf, type TestRunResult } from '../../test-run.js';
import { formatStepTrace, traceRun } from '../../trace/index.js';
import type { CliIo } from '../io.js';
import { checkArgOrder, tryRead, verifyMode } from '../args.js';
import { readPacketsFile, reportInputError } from '../frames.js';
import { fromHex, loadForRun, parseSets, type PacketLine } from '../load.js';

/** `retval 2 (TC_ACT_SHOT, TCX_DROP)`, or the error / fault of the run. */
export function verdictText(r: TestRunResult): string {
  if (r.fault) return `fault ${r.fault.code} at insn ${r.fault.insnIndex}: ${r.fault.message}`;
  if (r.err !== 0) return `error ${r.err} (the kernel's test run refuses this input; the program did not run)`;
  // named as testRun names it: as tc and as tcx_action_code read it (every unknown value is TCX_NEXT)
  const v = verdictOf(r.retval ?? 0);
  return `retval ${v.verdict} (${v.verdictName}, ${v.tcxVerdictName})`;
}

/** The packets to use (`--packet N` picks the N-th frame, 1-based). */
export function selectPackets(all: PacketLine[], n: number | undefined): PacketLine[] {
  if (n === undefined) return all;
  if (!Number.isInteger(n) || n < 1 || n > all.length) throw new UsageError(`--packet ${n}: the file has ${all.length} frames`);
  return [all[n - 1]];
}

/** `tcxlab trace`: the command's action (its arguments and options are defined in src/cli/program.ts). */
export function action(io: CliIo, obj: string, prog: string, packetsFile: string, o: Record<string, unknown>): void {
  const limit = o.limit as number | undefined;
  checkArgOrder('trace', obj, prog, packetsFile, tryRead(io.readFile));
  const input = readPacketsFile(io, packetsFile);
  const packets = selectPackets(input.frames, o.packet as number | undefined);
  const coll = loadForRun(io.readFile(obj, 'object'), obj, prog, parseSets(o.set as string[] | undefined), {
    verify: verifyMode(o),
    warn: (line) => io.err(`tcxlab: ${line}\n`),
    mock: mockFromOptions(io, o),
  });
  const ctxIn = o.ctx !== undefined ? fromHex(o.ctx as string, '--ctx') : undefined;
  const base = coll.mock ? mockBaseState(coll.mock) : defaultBaseState();
  packets.forEach((p, k) => {
    io.out(`== packet ${o.packet ?? k + 1} (line ${p.line}, ${p.data.length} bytes)\n`);
    const t = traceRun(coll, prog, p.data, { ctxIn, base, limit });
    const lines = formatStepTrace(t.records);
    if (lines.length) io.out(lines.join('\n') + '\n');
    if (t.truncated) io.out(`... (--limit ${limit}: ${(t.result.insns ?? 0) - t.records.length} more instructions not shown)\n`);
    for (const line of base.trace.splice(0)) io.out(`printk: ${line}\n`);
    io.out(`=> ${verdictText(t.result)}${t.result.insns !== undefined ? `, ${t.result.insns} insns` : ''}\n`);
  });
  reportInputError(io, packetsFile, input);
}
