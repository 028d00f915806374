/**
 * @fileoverview The `--kernel` job of `tcxlab run` and `tcxlab compare`: check that the kernel can
 * be asked, run the object there (./bpftool.ts), diff it against tcxlab's run (./diff.ts) and
 * print the report. The commands call `kernelRefusal` before doing any work and
 * `kernelParityJob` after tcxlab's run.
 */
import { UsageError } from '../../vm/errors.js';
import { diffParity, formatParity, type ParityReport, type TcxlabRunJson } from './diff.js';
import { execTool, kernelUnavailable, processKernelHost, runInKernel, type Exec, type KernelHost, type KernelSet } from './bpftool.js';

/**
 * Where `--kernel` looks for the kernel. The CLI uses these; a test replaces them to see the
 * "not available" path on a machine where the kernel is available (and the other way round).
 */
export const kernelTools: { host: () => KernelHost; exec: Exec } = { host: processKernelHost, exec: execTool };

/** Exit status of `--kernel` when the kernel cannot be asked (1 is "answered, and it differs"). */
export const KERNEL_UNAVAILABLE_EXIT = 2;

/** The one line for stderr when the kernel cannot be asked here, or undefined. */
export function kernelRefusal(): string | undefined {
  const why = kernelUnavailable(kernelTools.host());
  return why === undefined ? undefined : `tcxlab: --kernel ${why}; nothing was run`;
}

/** `--set MAP KEYHEX VALHEX|@PROG` as the kernel side takes it. */
export function kernelSets(sets: ReadonlyArray<{ map: string; key: string; value: string }>): KernelSet[] {
  const bytes = (h: string, what: string): Uint8Array => {
    if (!/^([0-9a-fA-F]{2})*$/.test(h)) throw new UsageError(`${what}: not an even-length hex string`);
    return Uint8Array.from(Buffer.from(h, 'hex'));
  };
  return sets.map((s) => ({ map: s.map, key: bytes(s.key, `--set ${s.map} key`), value: s.value.startsWith('@') ? { prog: s.value.slice(1) } : bytes(s.value, `--set ${s.map} value`) }));
}

export interface ParityJobOptions {
  objPath: string;
  prog: string;
  frames: Array<{ line: number; data: Uint8Array }>;
  /** What `tcxlab run` printed for the same object, program and frames. */
  tcxlab: TcxlabRunJson;
  ctx?: Uint8Array;
  ctxOut?: boolean;
  repeat?: number;
  cpu?: number;
  sets?: KernelSet[];
  /** Lines of the report (stdout) and notes (stderr). */
  out: (line: string) => void;
  note: (line: string) => void;
}

/** Run in the kernel, print the differences, return the report (`count` 0: identical). */
export async function kernelParityJob(o: ParityJobOptions): Promise<ParityReport> {
  const kernel = await runInKernel(o.objPath, o.prog, {
    frames: o.frames,
    ctx: o.ctx,
    ctxOut: o.ctxOut,
    repeat: o.repeat,
    cpu: o.cpu,
    sets: o.sets,
    exec: kernelTools.exec,
    host: kernelTools.host(),
    note: o.note,
  });
  const report = diffParity(o.tcxlab, kernel);
  const n = o.repeat !== undefined ? `the first frame, repeat ${o.repeat}` : `${o.frames.length} frame${o.frames.length === 1 ? '' : 's'}`;
  const head = `kernel parity: ${o.prog} of ${o.objPath} on ${n}: tcxlab vs Linux ${kernel.kernel ?? '?'} (BPF_PROG_TEST_RUN through ${kernel.bpftool ?? 'bpftool'})`;
  for (const l of formatParity(report, head)) o.out(l);
  return report;
}
