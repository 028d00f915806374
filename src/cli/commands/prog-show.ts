/**
 * @fileoverview `tcxlab prog show OBJ [PROG] [--json]`: the programs of an object in the shape of
 * bpftool's `prog show` (tools/bpf/bpftool/prog.c show_prog / print_prog_plain), adapted to an
 * object that is not loaded. The data is the loader's CollectionSpec (what `tcxlab inspect`
 * prints) plus the verifier's verdict (what `tcxlab verify` prints).
 *
 * Plain, one block per program (bpftool's first line, then the object's facts):
 *
 *   1: sched_cls  name count  tag 6362d1db23c980c3  gpl
 *   	section tc  insns 62  maps arr,hsh
 *   	verifier ok  processed 61 insns
 *
 * JSON (`--json`, an array, keys in this order): `id` (1, 2, ... in object order, as a
 * Collection numbers them), `type` (libbpf's type name), `expected_attach_type` (when the section
 * names one), `name`, `tag`, `gpl_compatible`, `section`, `insns` (instructions as loaded:
 * entry function and its subprograms, before the verifier's rewrites), `bytes_insns` (insns × 8),
 * `map_names` and `map_ids` (maps the program references, in first-reference order as the
 * kernel's used_maps; ids are 1-based spec indexes), `verified` (bool), then `processed_insns`
 * or `verifier_error` (the kernel-style first error line), `verifier_insn`, `verifier_source`, and `unsupported` (what tcxlab cannot
 * run) when set. bpftool's `bytes_xlated`/`bytes_jited`/`loaded_at`/`uid`/`btf_id` describe a
 * loaded program and have no counterpart here.
 */
import { createHash } from 'node:crypto';
import { loadCollectionSpec, type CollectionSpec, type LoadOptions, type ProgramSpec } from '../../../loader/index.js';
import { UsageError, VerifierError } from '../../../vm/errors.js';
import { Op, PseudoSrc } from '../../../vm/isa.js';
import { verify } from '../../../vm/verifier/index.js';
import { isGplCompatible, verifierOptionsFor } from '../../verifier-env.js';
import { libbpfMapName, objectNameOf } from '../../collection.js';
import type { CliIo } from '../io.js';
import { progTypeName } from '../../uapi.js';

// lddw pseudo sources: the loader's symbolic map references (IDX) and the kernel's (FD/VALUE)
const { BPF_PSEUDO_MAP_FD: PSEUDO_MAP_FD, BPF_PSEUDO_MAP_VALUE: PSEUDO_MAP_VALUE, BPF_PSEUDO_MAP_IDX: PSEUDO_MAP_IDX, BPF_PSEUDO_MAP_IDX_VALUE: PSEUDO_MAP_IDX_VALUE } = PseudoSrc;
const LD_IMM64 = Op.LDDW;

/** One program as `prog show --json` prints it. */
export interface ProgShowEntry {
  id: number;
  type: string;
  expected_attach_type?: string;
  name: string;
  tag: string;
  gpl_compatible: boolean;
  section: string;
  insns: number;
  bytes_insns: number;
  map_names: string[];
  map_ids: number[];
  verified: boolean;
  processed_insns?: number;
  verifier_error?: string;
  verifier_insn?: number;
  verifier_source?: string;
  unsupported?: string[];
}

/** Spec indexes of the maps `p` references (lddw map / map value), in first-reference order. */
export function usedMapIndexes(p: ProgramSpec): number[] {
  const b = p.instructions;
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const out: number[] = [];
  for (let i = 0; i + 1 < b.length / 8; i++) {
    if (b[i * 8] !== LD_IMM64) continue;
    const src = b[i * 8 + 1] >> 4;
    if (src === PSEUDO_MAP_IDX || src === PSEUDO_MAP_IDX_VALUE) {
      const idx = dv.getInt32(i * 8 + 4, true);
      if (!out.includes(idx)) out.push(idx);
    }
    i++;
  }
  return out;
}

/**
 * The kernel's program tag (docs/bpftool-views.md §1; bpf_prog_calc_tag, kernel/bpf/core.c): the first 8 bytes of the
 * SHA-256 (Linux 6.18; SHA-1 before the program-signing work) of the instructions as loaded, with the imm of map lddw pairs zeroed (fds are not stable). The
 * loader's symbolic map references become what libbpf sends (MAP_IDX -> MAP_FD, MAP_IDX_VALUE ->
 * MAP_VALUE) first. kfunc calls carry tcxlab's kfunc ids, not the kernel's BTF ids, so the tag of
 * a program that calls kfuncs differs from the kernel's.
 */
export function progTag(p: ProgramSpec): string {
  const b = p.instructions.slice();
  for (let i = 0; i + 1 < b.length / 8; i++) {
    if (b[i * 8] !== LD_IMM64) continue;
    const src = b[i * 8 + 1] >> 4;
    const kernelSrc = src === PSEUDO_MAP_IDX ? PSEUDO_MAP_FD : src === PSEUDO_MAP_IDX_VALUE ? PSEUDO_MAP_VALUE : src;
    if (kernelSrc === PSEUDO_MAP_FD || kernelSrc === PSEUDO_MAP_VALUE) {
      b[i * 8 + 1] = (b[i * 8 + 1] & 0x0f) | (kernelSrc << 4);
      b.fill(0, i * 8 + 4, i * 8 + 8);
      b.fill(0, i * 8 + 12, i * 8 + 16);
    }
    i++;
  }
  return createHash('sha256').update(b).digest('hex').slice(0, 16);
}

/** The kernel's first error line of a rejection: the message without tcxlab's insn prefix and source suffix. */
function kernelLine(e: VerifierError): string {
  let m = e.message.split('\n')[0];
  const prefix = `verifier: insn #${e.insnIndex}: `;
  if (m.startsWith(prefix)) m = m.slice(prefix.length);
  const suffix = e.source !== undefined ? ` (${e.source})` : '';
  if (suffix && m.endsWith(suffix)) m = m.slice(0, -suffix.length);
  return m;
}

/** The bpftool-shaped facts of every program of `spec` (only `only` when given). */
export function progShow(spec: CollectionSpec, objectName: string, only?: string): ProgShowEntry[] {
  const out: ProgShowEntry[] = [];
  spec.programs.forEach((p, i) => {
    if (only !== undefined && p.name !== only) return;
    const maps = usedMapIndexes(p);
    const e: ProgShowEntry = {
      id: i + 1,
      type: progTypeName(p.type.id),
      ...(p.attachType !== undefined ? { expected_attach_type: p.attachType.name.replace(/^BPF_/, '').toLowerCase() } : {}),
      name: p.name,
      tag: progTag(p),
      gpl_compatible: isGplCompatible(spec.license),
      section: p.section,
      insns: p.instructions.length / 8,
      bytes_insns: p.instructions.length,
      map_names: maps.map((m) => (spec.maps[m] !== undefined ? libbpfMapName(objectName, spec.maps[m]) : `#${m}`)),
      map_ids: maps.map((m) => m + 1),
      verified: false,
    };
    try {
      const r = verify(p.instructions, verifierOptionsFor(spec, p, {}));
      e.verified = true;
      e.processed_insns = r.processed;
    } catch (err) {
      if (!(err instanceof VerifierError)) throw err;
      e.verifier_error = kernelLine(err);
      e.verifier_insn = err.insnIndex;
      if (err.source !== undefined) e.verifier_source = err.source;
    }
    if (p.unsupported?.length) e.unsupported = p.unsupported.map((u) => `${u.kind} ${u.name}`);
    out.push(e);
  });
  return out;
}

/** bpftool's plain layout: the `ID: TYPE  name NAME  tag TAG  gpl` line, then tab-indented facts. */
export function progShowText(entries: ProgShowEntry[]): string {
  let s = '';
  for (const e of entries) {
    s += `${e.id}: ${e.type}  name ${e.name}  tag ${e.tag}${e.gpl_compatible ? '  gpl' : ''}\n`;
    s += `\tsection ${e.section}${e.expected_attach_type !== undefined ? `  attach_type ${e.expected_attach_type}` : ''}  insns ${e.insns}`;
    s += e.map_names.length ? `  maps ${e.map_names.join(',')}\n` : '\n';
    s += e.verified ? `\tverifier ok  processed ${e.processed_insns} insns\n` : `\tverifier rejects at insn ${e.verifier_insn}${e.verifier_source !== undefined ? ` (${e.verifier_source})` : ''}: ${e.verifier_error}\n`;
    if (e.unsupported) s += `\ttcxlab cannot run it: uses ${e.unsupported.join(', ')}\n`;
  }
  return s;
}

/** `tcxlab prog show`: the command's action (its arguments and options are defined in src/cli/program.ts). */
export function action(io: CliIo, object: string, name: string | undefined, opts: { json?: boolean; type?: string; btf?: string }): void {
  const load: LoadOptions = { programType: opts.type ?? 'sched_cls' };
  if (opts.btf !== undefined) load.btf = io.readFile(opts.btf, 'btf');
  const spec = loadCollectionSpec(io.readFile(object, 'object'), load);
  const entries = progShow(spec, objectNameOf(object), name);
  if (name !== undefined && entries.length === 0) {
    throw new UsageError(`prog show: no program ${JSON.stringify(name)} in ${object} (have: ${spec.programs.map((p) => p.name).join(', ')})`);
  }
  io.out(opts.json ? `${JSON.stringify(entries)}\n` : progShowText(entries));
}
