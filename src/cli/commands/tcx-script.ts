/**
 * @fileoverview `tcxlab tcx-script FILE|-`: run an `oracle tcx` script against the emulated
 * tcx/mprog API and print the oracle's JSON lines (without its setup line). Exit status 3 when
 * a line was a script error, like the oracle.
 */
import type { Command } from 'commander';
import { runTcxScript } from '../../net/script.js';
import type { CliIo } from '../io.js';

export function register(program: Command, io: CliIo): void {
  program
    .command('tcx-script')
    .description('run an `oracle tcx` script (tcx attach/detach/link/query) on the emulator; JSON lines out')
    .argument('<file>', 'script file, or - for standard input')
    .option('--ids', 'add raw prog/link ids (the emulator\'s ids, not the kernel\'s)')
    .option('--setup', 'also print the setup line first, as the oracle does')
    .action(async (file: string, opts: { ids?: boolean; setup?: boolean }) => {
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
    });
}
