/**
 * @fileoverview `tcxlab disasm FILE [sec NAME]`: prints programs in the kernel's text
 * (`bpftool prog dump xlated` style, vm/disasm.ts) with instruction indexes.
 *
 * FILE is raw little-endian bytecode (`--hex` reads hex text instead). ELF objects (`sec NAME`)
 * need the loader and are refused for now. `--format conformance` prints the
 * bpf_conformance assembly that `vm/asm.ts` reads back; `--verify` also runs the verifier-lite
 * and reports its verdict (exit code 1 when a program is rejected).
 */
import type { Command } from 'commander';
import { disassemble, formatConformance, type DisasmOptions, type SourceLine } from '../../../vm/disasm.js';
import { UsageError, VerifierError } from '../../../vm/errors.js';
import { verify } from '../../../vm/verifier.js';
import type { CliIo } from '../io.js';

interface DisasmCliOptions {
  format: string;
  hex?: boolean;
  opcodes: boolean;
  verify?: boolean;
}

const ELF_MAGIC = [0x7f, 0x45, 0x4c, 0x46];

const isElf = (b: Uint8Array): boolean => b.length >= 4 && ELF_MAGIC.every((m, i) => b[i] === m);

function parseHex(text: string): Uint8Array {
  const clean = text.replace(/#.*$/gm, '').replace(/0x/gi, '').replace(/[\s,]/g, '');
  if (!/^[0-9a-fA-F]*$/.test(clean) || clean.length % 2 !== 0) throw new UsageError('disasm: --hex input is not hex bytes');
  return Uint8Array.from(clean.match(/../g) ?? [], (h) => parseInt(h, 16));
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

function runVerifier(io: CliIo, code: Uint8Array, lineInfo?: (i: number) => SourceLine | undefined): boolean {
  try {
    const r = verify(code, { lineInfo });
    io.out(`; verifier-lite: ok (${r.subprogs.length} function${r.subprogs.length === 1 ? '' : 's'}, ${r.maxCallFrames} frame${r.maxCallFrames === 1 ? '' : 's'})\n`);
    return true;
  } catch (e) {
    if (!(e instanceof VerifierError)) throw e;
    io.out(`; verifier-lite: rejected at insn ${e.insnIndex}${e.source ? ` (${e.source})` : ''}\n`);
    for (const l of e.log) io.out(`;   ${l}\n`);
    return false;
  }
}

export function register(program: Command, io: CliIo): void {
  program
    .command('disasm')
    .description('print a BPF object or raw bytecode as kernel-style (bpftool) assembly')
    .argument('<file>', 'clang BPF object, or raw little-endian bytecode')
    .argument('[sec]', 'the word "sec", followed by a section name (objects only)')
    .argument('[name]', 'section name')
    .option('--format <format>', 'kernel (bpftool xlated style) or conformance (bpf_conformance asm)', 'kernel')
    .option('--hex', 'FILE holds hex text, not binary bytecode')
    .option('--no-opcodes', 'leave out the (op) column')
    .option('--verify', 'also run the verifier-lite; exit code 1 if it rejects a program')
    .action((file: string, sec: string | undefined, name: string | undefined, opts: DisasmCliOptions) => {
      if (opts.format !== 'kernel' && opts.format !== 'conformance') throw new UsageError(`disasm: unknown --format ${JSON.stringify(opts.format)}`);
      if (sec !== undefined && (sec !== 'sec' || name === undefined)) throw new UsageError('disasm: usage: tcxlab disasm FILE [sec NAME]');
      let bytes = io.readFile(file);
      if (isElf(bytes)) throw new UsageError('disasm: ELF objects are not supported yet (waiting for the loader); give raw bytecode');
      if (name !== undefined) throw new UsageError('disasm: "sec NAME" needs an ELF object; FILE is raw bytecode');
      if (opts.hex) bytes = parseHex(new TextDecoder().decode(bytes));
      if (bytes.length % 8 !== 0) throw new UsageError(`disasm: raw bytecode length ${bytes.length} is not a multiple of 8`);
      printProgram(io, bytes, opts, {}, new Map());
      if (opts.verify && !runVerifier(io, bytes)) io.exitCode = 1;
    });
}
