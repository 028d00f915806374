/**
 * @fileoverview `tcxlab cover OBJ PROG PACKETS_FILE [--ctx HEX] [--set MAP K V]... [--lcov FILE]
 * [--show] [--source-dir DIR]`: runs PROG on every frame (maps keep their state between frames,
 * as with `tcxlab run`) and reports instruction, line, branch and function coverage of PROG and
 * of every program reached by tail calls (src/trace/coverage.ts).
 *
 * `--show` prints the source annotated with counts (gcov style); `--lcov FILE` writes an LCOV
 * tracefile for genhtml or CI (`-` for standard output). Source files are looked up by their BTF
 * name under `--source-dir`, then next to the object, then in the current directory.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { UsageError } from '../../../vm/errors.js';
import { defaultBaseState } from '../../helpers/base.js';
import { mockBaseState } from '../../mock-env.js';
import { mockFromOptions } from '../mock-options.js';
import { fromHex } from '../../maps/index.js';
import { CoverageCollector, formatAnnotated, formatLcov, formatSummary } from '../../trace/index.js';
import type { CliIo } from '../io.js';
import { checkArgOrder, tryRead, verifyMode } from '../args.js';
import { readPacketsFile, reportInputError } from '../frames.js';
import { loadForRun, parseSets } from '../load.js';

/** A finder of source files by BTF name: first directory where the file exists wins. */
function sourceFinder(dirs: string[]): { read(file: string): string | undefined; path(file: string): string } {
  const found = new Map<string, string | undefined>();
  const locate = (file: string): string | undefined => {
    if (!found.has(file)) {
      let hit: string | undefined;
      for (const d of dirs) {
        const p = file.startsWith('/') ? file : join(d, file);
        try {
          readFileSync(p);
          hit = resolve(p);
          break;
        } catch {
          /* try the next directory */
        }
      }
      found.set(file, hit);
    }
    return found.get(file);
  };
  return {
    read: (file) => {
      const p = locate(file);
      return p === undefined ? undefined : readFileSync(p, 'utf8');
    },
    path: (file) => locate(file) ?? file,
  };
}

/** `tcxlab cover`: the command's action (its arguments and options are defined in src/cli/program.ts). */
export function action(io: CliIo, obj: string, prog: string, packetsFile: string, o: Record<string, unknown>): void {
  checkArgOrder('cover', obj, prog, packetsFile, tryRead(io.readFile));
  const input = readPacketsFile(io, packetsFile);
  const packets = input.frames;
  const coll = loadForRun(io.readFile(obj, 'object'), obj, prog, parseSets(o.set as string[] | undefined), {
    verify: verifyMode(o),
    warn: (line) => io.err(`tcxlab: ${line}\n`),
    mock: mockFromOptions(io, o),
  });
  let ctxIn: Uint8Array | undefined;
  if (o.ctx !== undefined) {
    ctxIn = fromHex(o.ctx as string);
    if (ctxIn === undefined) throw new UsageError('--ctx: not an even-length hex string');
  }
  const cov = new CoverageCollector(coll);
  cov.include(prog);
  const base = coll.mock ? mockBaseState(coll.mock) : defaultBaseState();
  let refused = 0;
  for (const p of packets) {
    const r = cov.run(prog, p.data, { ctxIn, base });
    base.trace.length = 0;
    if (r.err !== 0 && !r.fault) refused++;
  }
  const src = sourceFinder([...(o.sourceDir ? [o.sourceDir as string] : []), dirname(obj), '.']);
  const lcov = o.lcov as string | undefined;
  const toStdout = lcov === '-';
  if (!toStdout) {
    io.out(`${packets.length} frames, ${cov.runs} ran${refused ? `, ${refused} refused by the test run (EINVAL...)` : ''}\n`);
    io.out(formatSummary(cov).join('\n') + '\n');
    if (o.show) io.out(formatAnnotated(cov, src.read).join('\n') + '\n');
  }
  if (lcov !== undefined) {
    const text = formatLcov(cov, { testName: prog, sourcePath: src.path });
    if (toStdout) io.out(text);
    else {
      try {
        writeFileSync(lcov, text);
      } catch (e) {
        throw new UsageError(`cannot write ${JSON.stringify(lcov)}: ${(e as NodeJS.ErrnoException).code ?? 'EIO'}`);
      }
      io.out(`wrote ${lcov}\n`);
    }
  }
  reportInputError(io, packetsFile, input);
}
