/**
 * @fileoverview `tcxlab tcx-script FILE|-`: run an `oracle tcx` script against the emulated
 * tcx/mprog API and print the oracle's JSON lines (without its setup line). Exit status 3 when
 * a line was a script error, like the oracle.
 */
import { runTcxScript } from '../../net/script.js';
import type { CliIo } from '../io.js';

/** `tcxlab tcx-script`: the command's action (its arguments and options are defined in src/cli/program.ts). */
export async function action(io: CliIo, file: string, opts: { ids?: boolean; setup?: boolean }): Promise<void> {
  const fromFile = file !== '-';
  // the oracle reads bytes; latin1 keeps one char per byte for its \u00XX escaping
  let text: string;
  try {
    text = fromFile ? Buffer.from(io.readFile(file, 'script')).toString('latin1') : Buffer.from(await io.stdin('script'), 'utf8').toString('latin1');
  } catch (e) {
    io.err(`tcxlab tcx-script: ${file}: ${e instanceof Error ? e.message : String(e)}\n`);
    io.exitCode = 2; // like the oracle when it cannot open the script
    return;
  }
  const r = runTcxScript(text, { ids: opts.ids, fromFile });
  const out = opts.setup ? [r.setup, ...r.lines] : r.lines;
  io.out(out.map((l) => `${l}\n`).join(''));
  io.exitCode = r.exitCode;
}
