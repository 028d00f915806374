/**
 * @fileoverview `tcxlab inspect OBJ`: load a BPF object with the loader and print its
 * CollectionSpec as JSON (byte arrays as hex, instructions one 8-byte hex word each).
 */
import type { Command } from 'commander';
import { loadCollectionSpec, type CollectionSpec, type LoadOptions } from '../../../loader/index.js';
import type { CliIo } from '../io.js';

const hex = (b: Uint8Array): string => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex');

/** The spec as plain JSON-able data (no typed arrays, no parsed BTF). */
export function specToJson(spec: CollectionSpec): unknown {
  return JSON.parse(
    JSON.stringify(
      {
        license: spec.license,
        ...(spec.kernelVersion !== undefined ? { kernelVersion: spec.kernelVersion } : {}),
        btf: spec.btf !== undefined,
        ...(spec.coreTarget !== undefined ? { coreTarget: spec.coreTarget } : {}),
        maps: spec.maps,
        programs: spec.programs.map((p) => ({
          ...p,
          instructions: Array.from({ length: p.instructions.length / 8 }, (_, i) => hex(p.instructions.subarray(i * 8, i * 8 + 8))),
        })),
      },
      (_k, v: unknown) => (v instanceof Uint8Array ? hex(v) : v),
    ),
  );
}

export function register(program: Command, io: CliIo): void {
  program
    .command('inspect')
    .description('load a clang BPF object and print its CollectionSpec (programs, maps, line info) as JSON')
    .argument('<object>', 'BPF ELF object (.o)')
    .option('--type <type>', 'program type for unknown section names (e.g. classifier, sched_act, xdp)')
    .option('--btf <file>', 'target BTF for CO-RE relocations (default: the built-in vmlinux BTF of Linux 6.18)')
    .option('--no-lines', 'omit line info')
    .action((object: string, opts: { type?: string; btf?: string; lines: boolean }) => {
      const load: LoadOptions = {};
      if (opts.type !== undefined) load.programType = opts.type;
      if (opts.btf !== undefined) load.btf = io.readFile(opts.btf, 'btf');
      const spec = loadCollectionSpec(io.readFile(object, 'object'), load);
      const json = specToJson(spec) as { programs: { lineInfo?: unknown }[]; coreTarget?: string };
      // Say which kernel CO-RE relocated against: the default target names its kernel.
      if (json.coreTarget !== undefined && opts.btf !== undefined) json.coreTarget = `--btf ${opts.btf}`;
      if (!opts.lines) for (const p of json.programs) delete p.lineInfo;
      io.out(`${JSON.stringify(json, null, 2)}\n`);
    });
}
