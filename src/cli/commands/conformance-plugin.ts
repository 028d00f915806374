/**
 * @fileoverview `tcxlab conformance-plugin [MEMHEX] [--program HEX] [--jit|--interpret]`: the
 * plugin protocol of bpf_conformance's `bpf_conformance_runner --plugin_path ...`, as uBPF's
 * `ubpf_plugin` implements it.
 *
 * The program arrives as hex bytes on the first line of stdin (or `--program`), the memory as
 * space-separated hex bytes in the first argument. The VM runs with r1 → a copy of the memory
 * and r2 = its length, then prints r0 in lowercase hex (no prefix) and a newline. Any load or
 * run error prints the message on stderr and exits 1.
 */
import type { Command } from 'commander';
import { UsageError } from '../../../vm/errors.js';
import type { CliIo } from '../io.js';
import { runConformanceProgram } from './conformance.js';

/** Hex bytes, either space-separated (`b7 00 ...`) or run together (`b700...`). */
export function parseHexBytes(text: string, what: string): Uint8Array {
  const t = text.trim();
  if (t === '') return new Uint8Array(0);
  const tokens = /\s/.test(t) ? t.split(/\s+/) : (t.match(/.{1,2}/g) ?? []);
  const out = new Uint8Array(tokens.length);
  for (let k = 0; k < tokens.length; k++) {
    if (!/^[0-9a-fA-F]{1,2}$/.test(tokens[k])) throw new UsageError(`conformance-plugin: bad ${what} hex ${JSON.stringify(tokens[k])}`);
    out[k] = parseInt(tokens[k], 16);
  }
  return out;
}

export function register(program: Command, io: CliIo): void {
  program
    .command('conformance-plugin')
    .description('bpf_conformance plugin: program hex on stdin, memory hex as argument, prints r0 in hex')
    .argument('[memhex]', 'memory as space-separated hex bytes', '')
    .option('--program <hex>', 'program hex (instead of stdin)')
    .option('--jit', 'run under the JIT')
    .option('--interpret', 'run under the interpreter (default)')
    .action(async (memhex: string, o: { program?: string; jit?: boolean; interpret?: boolean }) => {
      const engine = o.jit && !o.interpret ? 'jit' : 'interp';
      const progText = o.program ?? (await io.stdin()).split(/\r?\n/)[0] ?? '';
      const prog = parseHexBytes(progText, 'program');
      if (prog.length === 0 || prog.length % 8 !== 0) {
        io.err(`conformance-plugin: program length ${prog.length} is not a positive multiple of 8\n`);
        io.exitCode = 1;
        return;
      }
      const out = runConformanceProgram(prog, parseHexBytes(memhex, 'memory'), engine);
      if (!out.ok) {
        io.err(`${out.error}\n`);
        io.exitCode = 1;
        return;
      }
      io.out(`${out.r0.toString(16)}\n`);
    });
}
