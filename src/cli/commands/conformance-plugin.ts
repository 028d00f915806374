/**
 * @fileoverview `tcxlab conformance-plugin [MEMHEX] [--program HEX] [--jit|--interpret]`: the
 * plugin protocol of bpf_conformance's `bpf_conformance_runner --plugin_path ...`, as uBPF's
 * `ubpf_plugin` implements it.
 *
 * The runner (bpf_conformance `src/bpf_conformance.cc`) starts `plugin MEMHEX OPTIONS` and writes
 * the program as hex bytes ("b7  00  ...", two spaces apart) on one line of stdin; it compares
 * the low 32 bits of the printed r0. `--program HEX` replaces stdin. The VM runs with r1 → a copy of the memory
 * and r2 = its length, then prints r0 in lowercase hex (no prefix) and a newline. Any load or
 * run error prints the message on stderr and exits 1.
 */
import { UsageError } from '../../../vm/errors.js';
import type { CliIo } from '../io.js';
import { runConformanceProgram } from './conformance.js';

/**
 * Hex bytes: whitespace-separated tokens, each one byte (`b7`, `0`) or a run of byte pairs
 * (`b700000000000000`), so both the runner's spaced form and plain hex work.
 */
export function parseHexBytes(text: string, what: string): Uint8Array {
  const out: number[] = [];
  for (const t of text.split(/\s+/)) {
    if (t === '') continue;
    if (/^[0-9a-fA-F]{1,2}$/.test(t)) out.push(parseInt(t, 16));
    else if (/^(?:[0-9a-fA-F]{2})+$/.test(t)) for (let k = 0; k < t.length; k += 2) out.push(parseInt(t.slice(k, k + 2), 16));
    else throw new UsageError(`conformance-plugin: bad ${what} hex ${JSON.stringify(t)}`);
  }
  return Uint8Array.from(out);
}

/** `tcxlab conformance-plugin`: the command's action (its arguments and options are defined in src/cli/program.ts). */
export async function action(io: CliIo, memhex: string, pluginOptions: string, o: { program?: string; jit?: boolean; interpret?: boolean }): Promise<void> {
  // bpf_conformance_runner starts the plugin as `plugin MEMHEX PLUGIN_OPTIONS` (the options
  // string is often empty), so the options may also arrive as the second argument.
  const extra = pluginOptions.split(/\s+/).filter((t) => t !== '');
  for (const t of extra) {
    if (t !== '--jit' && t !== '--interpret') throw new UsageError(`conformance-plugin: unknown plugin option ${JSON.stringify(t)}`);
  }
  const jit = (o.jit === true || extra.includes('--jit')) && !(o.interpret === true || extra.includes('--interpret'));
  const engine = jit ? 'jit' : 'interp';
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
}
