/**
 * @fileoverview `tcxlab disasm FILE [sec NAME]`: prints programs in the kernel's text
 * (`bpftool prog dump xlated` style, vm/disasm.ts) with instruction indexes.
 *
 * FILE is a clang BPF object (ELF magic) or raw little-endian bytecode (anything else; `--hex`
 * reads hex text instead). For objects every program is printed, or only those in section NAME,
 * with their subprograms labelled and source lines from `.BTF.ext` line info interleaved
 * (`; text (file:line)`, like `llvm-objdump -S`); `--type sched_cls` loads sections whose name
 * libbpf does not know. `--format conformance` prints the
 * bpf_conformance assembly that `vm/asm.ts` reads back; `--verify` also runs the verifier-lite
 * (for tc programs of objects with __sk_buff ctx and packet checks) and reports its verdict (exit
 * code 1 when a program is rejected).
 */
import { KFUNCS, loadCollectionSpec, type CollectionSpec, type ProgramSpec } from '../../../loader/index.js';
import { disassemble, formatConformance, type DisasmOptions, type SourceLine } from '../../../vm/disasm.js';
import { UsageError, VerifierError } from '../../../vm/errors.js';
import { PseudoSrc } from '../../../vm/isa.js';
import { verify, type VerifierOptions } from '../../../vm/verifier/index.js';
import { SCHED_CLS_TYPE } from '../../skb/verifier-type.js';
import { verifierOptionsFor } from '../../verifier-env.js';
import { BPF_PROG_TYPE } from '../../uapi.js';
import type { CliIo } from '../io.js';

interface DisasmCliOptions {
  format: string;
  type?: string;
  hex?: boolean;
  opcodes: boolean;
  verify?: boolean;
}

const ELF_MAGIC = [0x7f, 0x45, 0x4c, 0x46];
/** __sk_buff offsets of data and data_end (uapi struct __sk_buff). */

const isElf = (b: Uint8Array): boolean => b.length >= 4 && ELF_MAGIC.every((m, i) => b[i] === m);

function parseHex(text: string): Uint8Array {
  const clean = text.replace(/#.*$/gm, '').replace(/0x/gi, '').replace(/[\s,]/g, '');
  if (!/^[0-9a-fA-F]*$/.test(clean) || clean.length % 2 !== 0) throw new UsageError('disasm: --hex input is not hex bytes');
  return Uint8Array.from(clean.match(/../g) ?? [], (h) => parseInt(h, 16));
}

/** Names for the loader's symbolic map references (MAP_IDX / MAP_IDX_VALUE). */
function mapNames(spec: CollectionSpec): DisasmOptions['ldImm64'] {
  return (src, imm, next) => {
    const map = spec.maps[imm];
    if (!map) return undefined;
    if (src === PseudoSrc.BPF_PSEUDO_MAP_IDX) return `map[${map.name}]`;
    if (src === PseudoSrc.BPF_PSEUDO_MAP_IDX_VALUE) return `map[${map.name}][0]+${next >>> 0}`;
    return undefined;
  };
}

function printProgram(
  io: CliIo,
  code: Uint8Array,
  opts: DisasmCliOptions,
  extra: DisasmOptions,
  labels: Map<number, string>,
): void {
  if (opts.format === 'conformance') {
    const lines = formatConformance(code).split('\n');
    // labels as comments: the conformance syntax uses numeric offsets
    let slot = 0;
    for (const line of lines) {
      if (line === '') continue;
      const label = labels.get(slot);
      if (label !== undefined) io.out(`# ${label}:\n`);
      io.out(line + '\n');
      slot += line.startsWith('lddw ') ? 2 : 1;
    }
    return;
  }
  const out = disassemble(code, { ...extra, opcodes: opts.opcodes });
  // subprogram labels before their first instruction
  for (const line of out) {
    const m = /^\s*(\d+): /.exec(line);
    const label = m ? labels.get(Number(m[1])) : undefined;
    if (label !== undefined) io.out(`${label}:\n`);
    io.out(line + '\n');
  }
}

function runVerifier(io: CliIo, code: Uint8Array, opts: VerifierOptions): boolean {
  try {
    const r = verify(code, opts);
    io.out(`; verifier: ok (${r.subprogs.length} function${r.subprogs.length === 1 ? '' : 's'}, ${r.maxCallFrames} frame${r.maxCallFrames === 1 ? '' : 's'})\n`);
    return true;
  } catch (e) {
    if (!(e instanceof VerifierError)) throw e;
    io.out(`; verifier: rejected at insn ${e.insnIndex}${e.source ? ` (${e.source})` : ''}\n`);
    for (const l of e.log) io.out(`;   ${l}\n`);
    return false;
  }
}

function disasmObject(io: CliIo, bytes: Uint8Array, section: string | undefined, opts: DisasmCliOptions): void {
  const spec = loadCollectionSpec(bytes, opts.type === undefined ? {} : { programType: opts.type });
  const progs: ProgramSpec[] = section === undefined ? spec.programs : spec.programs.filter((p) => p.section === section);
  if (progs.length === 0) {
    const have = [...new Set(spec.programs.map((p) => p.section))].join(', ') || 'none';
    throw new UsageError(`disasm: no program in section ${JSON.stringify(section ?? '')} (sections: ${have})`);
  }
  const kfuncNames = new Map([...KFUNCS.values()].map((k) => [k.id, k.name] as const));
  const kfuncName = (id: number): string | undefined => kfuncNames.get(id);
  let ok = true;
  progs.forEach((prog, k) => {
    if (k > 0) io.out('\n');
    io.out(`${prog.section}/${prog.name}:\n`);
    const byInsn = new Map(prog.lineInfo.map((l) => [l.insn, l] as const));
    const lineInfo = (i: number): SourceLine | undefined => {
      const l = byInsn.get(i);
      return l && l.text !== '' ? { file: l.file, line: l.line, text: l.text } : undefined;
    };
    const labels = new Map(prog.subprograms.map((s) => [s.insn, s.name] as const));
    printProgram(io, prog.instructions, opts, { ldImm64: mapNames(spec), lineInfo, kfuncName }, labels);
    if (opts.verify) {
      ok = runVerifier(io, prog.instructions, verifierOptionsFor(spec, prog, { lineInfo })) && ok;
    }
  });
  if (!ok) io.exitCode = 1;
}

/** `tcxlab disasm`: the command's action (its arguments and options are defined in src/cli/program.ts). */
export function action(io: CliIo, file: string, sec: string | undefined, name: string | undefined, opts: DisasmCliOptions): void {
  if (opts.format !== 'kernel' && opts.format !== 'conformance') throw new UsageError(`disasm: unknown --format ${JSON.stringify(opts.format)}`);
  if (sec !== undefined && (sec !== 'sec' || name === undefined)) throw new UsageError('disasm: usage: tcxlab disasm FILE [sec NAME]');
  let bytes = io.readFile(file, 'object');
  if (isElf(bytes)) {
    disasmObject(io, bytes, name, opts);
    return;
  }
  if (name !== undefined) throw new UsageError('disasm: "sec NAME" needs an ELF object; FILE is raw bytecode');
  if (opts.hex) bytes = parseHex(new TextDecoder().decode(bytes));
  if (bytes.length % 8 !== 0) throw new UsageError(`disasm: raw bytecode length ${bytes.length} is not a multiple of 8`);
  printProgram(io, bytes, opts, {}, new Map());
  if (opts.verify && !runVerifier(io, bytes, { progType: SCHED_CLS_TYPE })) io.exitCode = 1;
}
