/**
 * @fileoverview `tcxlab inspect OBJ`: load a BPF object with the loader and print its
 * CollectionSpec as JSON (byte arrays as hex, instructions one 8-byte hex word each).
 */
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

/** `tcxlab inspect`: the command's action (its arguments and options are defined in src/cli/program.ts). */
export function action(io: CliIo, object: string, opts: { type?: string; btf?: string; lines: boolean }): void {
  const load: LoadOptions = {};
  if (opts.type !== undefined) load.programType = opts.type;
  if (opts.btf !== undefined) load.btf = io.readFile(opts.btf, 'btf');
  const spec = loadCollectionSpec(io.readFile(object, 'object'), load);
  const json = specToJson(spec) as { programs: { lineInfo?: unknown }[]; coreTarget?: string };
  // Say which kernel CO-RE relocated against: the default target names its kernel.
  if (json.coreTarget !== undefined && opts.btf !== undefined) json.coreTarget = `--btf ${opts.btf}`;
  if (!opts.lines) for (const p of json.programs) delete p.lineInfo;
  io.out(`${JSON.stringify(json, null, 2)}\n`);
}
