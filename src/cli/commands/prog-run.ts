/**
 * @fileoverview `tcxlab prog run` with bpftool's grammar and output (tools/bpf/bpftool/prog.c
 * do_run): PROG is `file OBJ [sec NAME | name NAME] [type TYPE]`, then
 * `data_in FILE [data_out FILE [data_size_out L]] [ctx_in FILE [ctx_out FILE [ctx_size_out M]]]
 * [repeat N]`. FILE `-` is standard input for inputs and a hexdump (JSON: a byte array) on
 * standard output for outputs. Prints `Return value: N, duration (average): Xns`. A pcap or
 * pcapng data_in runs each frame in turn (converted to Ethernet), one result per frame.
 */
import { writeFileSync } from 'node:fs';
import { UsageError } from '../../../vm/errors.js';
import { chooseEngine, type EngineChoice } from '../../../vm/engine.js';
import { Collection, objectNameOf } from '../../collection.js';
import { testRun } from '../../test-run.js';
import type { CliIo } from '../io.js';
import { readPacketsFile, reportInputError } from '../frames.js';
import { captureFormat } from '../../pcap/reader.js';
import { REPEAT_MAX, verifyMode } from '../args.js';
import { mockBaseState, mockSkbEnv } from '../../mock-env.js';
import { mockFromOptions } from '../mock-options.js';

/** bpftool's hex_print: offset, 16 bytes in pairs, then the printable characters. */
export function hexPrint(data: Uint8Array): string {
  let out = '';
  for (let i = 0; i < data.length; i += 16) {
    out += i.toString(16).padStart(7, '0') + '\t';
    let j = i;
    for (; j < i + 16 && j < data.length; j++) out += data[j].toString(16).padStart(2, '0') + (j % 2 ? ' ' : '');
    for (; j < i + 16; j++) out += '  ' + (j % 2 ? ' ' : '');
    out += '| ';
    for (j = i; j < i + 16 && j < data.length; j++) {
      const c = data[j];
      out += (c < 0x20 || c > 0x7e ? '.' : String.fromCharCode(c)) + (j === i + 7 ? ' ' : '');
    }
    out += '\n';
  }
  return out;
}

interface ProgRunArgs {
  obj: string;
  sec?: string;
  name?: string;
  type?: string;
  dataIn?: string;
  dataOut?: string;
  dataSizeOut?: number;
  ctxIn?: string;
  ctxOut?: string;
  ctxSizeOut?: number;
  repeat: number;
}

/** Parse bpftool's keyword grammar. */
export function parseProgRunArgs(words: string[]): ProgRunArgs {
  const w = [...words];
  const need = (k: string): string => {
    const v = w.shift();
    if (v === undefined) throw new UsageError(`prog run: ${k} needs a value`);
    return v;
  };
  const num = (k: string, max = 0xffff_ffff): number => {
    const s = need(k);
    const v = /^[0-9]{1,16}$/.test(s) ? Number(s) : NaN;
    if (!(v <= max)) throw new UsageError(`prog run: ${k} takes a decimal integer from 0 to ${max}, not ${JSON.stringify(s.slice(0, 40))}`);
    return v;
  };
  if (w.shift() !== 'file') throw new UsageError('prog run: PROG must be `file OBJ [sec NAME | name NAME]` (tcxlab runs objects, not loaded programs)');
  const args: ProgRunArgs = { obj: need('file'), repeat: 1 };
  while (w.length) {
    const k = w.shift() as string;
    switch (k) {
      case 'sec': args.sec = need(k); break;
      case 'name': args.name = need(k); break;
      case 'type': args.type = need(k); break;
      case 'data_in': args.dataIn = need(k); break;
      case 'data_out': args.dataOut = need(k); break;
      case 'data_size_out': args.dataSizeOut = num(k); break;
      case 'ctx_in': args.ctxIn = need(k); break;
      case 'ctx_out': args.ctxOut = need(k); break;
      case 'ctx_size_out': args.ctxSizeOut = num(k); break;
      // The kernel runs repeat 0 once (bpf_test_run); tcxlab caps the count so runs stay bounded.
      case 'repeat': args.repeat = Math.max(1, num(k, REPEAT_MAX)); break;
      default:
        throw new UsageError(`prog run: unknown keyword ${JSON.stringify(k)}`);
    }
  }
  if (args.dataIn === undefined) throw new UsageError('prog run: data_in is required for sched_cls programs');
  if (args.dataSizeOut !== undefined && args.dataOut === undefined) throw new UsageError('prog run: data_size_out needs data_out');
  if (args.ctxSizeOut !== undefined && args.ctxOut === undefined) throw new UsageError('prog run: ctx_size_out needs ctx_out');
  return args;
}

/** `tcxlab prog run`: the command's action (its arguments and options are defined in src/cli/program.ts). */
export async function action(io: CliIo, words: string[], o: { json?: boolean; pretty?: boolean; engine: EngineChoice; verify?: unknown }): Promise<void> {
  const a = parseProgRunArgs(words);
  const mock = mockFromOptions(io, o);
  const coll = Collection.load(io.readFile(a.obj, 'object'), {
    objectName: objectNameOf(a.obj),
    programType: a.type ?? 'sched_cls',
    verify: verifyMode(o),
    mock,
    onVerifierWarning: (w) => io.err(`tcxlab: warning: the verifier rejects ${w.program} (running it anyway, --verify=warn): ${w.error.message.split('\n')[0]}\n`),
  });
  const candidates = [...coll.programs.values()].filter((p) => (a.name ? p.name === a.name : a.sec ? p.spec.section === a.sec : true));
  if (candidates.length !== 1) {
    throw new UsageError(`prog run: ${candidates.length} programs match (give sec NAME or name NAME): ${[...coll.programs.keys()].join(', ')}`);
  }
  const readIn = async (f: string): Promise<Uint8Array> => (f === '-' ? new TextEncoder().encode(await io.stdin('data')) : io.readFile(f, 'data'));
  const raw = await readIn(a.dataIn as string);
  // a pcap/pcapng capture runs frame by frame (bpftool takes the file's bytes as one frame)
  const input = captureFormat(raw) ? readPacketsFile(io, a.dataIn as string, raw) : undefined;
  const frames = input ? input.frames : [{ line: 1, data: raw }];
  if (frames.length > 1 && a.dataOut !== undefined && a.dataOut !== '-') {
    throw new UsageError('prog run: data_out FILE takes one frame and this capture has several (use data_out - or tcxlab run --pcap-out)');
  }
  const ctxIn = a.ctxIn !== undefined ? await readIn(a.ctxIn) : undefined;
  // With a mock: one clock and prandom sequence for all the frames, as `run` has.
  const base = coll.mock ? mockBaseState(coll.mock) : undefined;
  const env = coll.mock ? mockSkbEnv(coll.mock) : undefined;
  for (const { line, data } of frames) {
    if (frames.length > 1 && !(o.json || o.pretty)) io.out(`frame ${line}:\n`);
    const r = testRun(candidates[0].linked, coll.mem, { data, ctxIn, ctxOut: a.ctxOut !== undefined, repeat: a.repeat, engine: chooseEngine(o.engine, a.repeat), base, env });
    if (r.fault) throw r.fault;
    if (r.err !== 0) throw new UsageError(`failed to run program: ${r.err}`);
    const json = o.json || o.pretty;
    const doc: Record<string, unknown> = {};
    const emit = (bytes: Uint8Array | undefined, file: string | undefined, sizeOut: number | undefined, key: string) => {
      if (!bytes || file === undefined) return;
      const b = sizeOut !== undefined ? bytes.subarray(0, sizeOut) : bytes;
      if (file === '-') {
        if (json) doc[key] = Array.from(b);
        else io.out(hexPrint(b));
      } else {
        try {
          writeFileSync(file, b);
        } catch (e) {
          throw new UsageError(`cannot write ${JSON.stringify(file)}: ${(e as NodeJS.ErrnoException).code ?? 'EIO'}`);
        }
      }
    };
    emit(r.dataOut, a.dataOut, a.dataSizeOut, 'data_out');
    emit(r.ctxOut, a.ctxOut, a.ctxSizeOut, 'context_out');
    const duration = Math.round(r.durationNs ?? 0);
    if (json) {
      doc.retval = r.retval;
      doc.duration = duration;
      io.out(JSON.stringify(doc, null, o.pretty ? 4 : undefined) + '\n');
    } else {
      io.out(`Return value: ${r.retval}, duration${a.repeat > 1 ? ' (average)' : ''}: ${duration}ns\n`);
    }
  }
  if (input) reportInputError(io, a.dataIn as string, input);
}
