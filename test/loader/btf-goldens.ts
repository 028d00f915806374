/**
 * Readers for the external tools' text in test/goldens/btf (written by build.sh): bpftool's raw
 * BTF dump, llvm-objdump's line table and libbpf's debug log. Plus a formatter that prints a
 * parsed type the way `bpftool btf dump` does, so tests compare our parse with bpftool's text.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Btf, BtfType } from '../../loader/btf/index.js';

export const GOLDEN_DIR = fileURLToPath(new URL('../goldens/btf/', import.meta.url));
export const golden = (name: string): Uint8Array => new Uint8Array(readFileSync(GOLDEN_DIR + name));
export const goldenText = (name: string): string => readFileSync(GOLDEN_DIR + name, 'utf8');

/** bpftool raw dump split into per-type blocks ("[id] KIND ..." plus its tab-indented lines). */
export function bpftoolBlocks(text: string): Map<number, string[]> {
  const out = new Map<number, string[]>();
  let cur: string[] | undefined;
  for (const line of text.split('\n')) {
    const m = /^\[(\d+)\] /.exec(line);
    if (m) {
      cur = [line];
      out.set(Number(m[1]), cur);
    } else if (line.startsWith('\t') && cur) {
      cur.push(line);
    }
  }
  return out;
}

const q = (s: string): string => `'${s === '' ? '(anon)' : s}'`;
const linkage = (l: number): string => ['static', 'global', 'extern'][l] ?? `(unknown)`;

/** Our parse of type `t`, printed as bpftool's raw format (bpftool btf_dumper / dump_btf_type). */
export function formatLikeBpftool(btf: Btf, t: BtfType, id = t.id): string[] {
  const head = `[${id}] ${t.kind} ${q(t.name)}`;
  switch (t.kind) {
    case 'VOID': return [head];
    case 'INT': {
      const enc = t.signed ? 'SIGNED' : t.char ? 'CHAR' : t.bool ? 'BOOL' : '(none)';
      return [`${head} size=${t.size} bits_offset=${t.bitOffset} nr_bits=${t.bits} encoding=${enc}`];
    }
    case 'PTR': case 'TYPEDEF': case 'VOLATILE': case 'CONST': case 'RESTRICT': case 'TYPE_TAG':
      return [`${head} type_id=${t.type}`];
    case 'ARRAY': return [`${head} type_id=${t.type} index_type_id=${t.indexType} nr_elems=${t.nelems}`];
    case 'STRUCT': case 'UNION':
      return [`${head} size=${t.size} vlen=${t.members.length}`, ...t.members.map((m) =>
        `\t${q(m.name)} type_id=${m.type} bits_offset=${m.bitOffset}${m.bitfieldSize ? ` bitfield_size=${m.bitfieldSize}` : ''}`)];
    case 'ENUM': case 'ENUM64':
      return [`${head} encoding=${t.signed ? 'SIGNED' : 'UNSIGNED'} size=${t.size} vlen=${t.values.length}`, ...t.values.map((v) =>
        `\t${q(v.name)} val=${v.value}${t.kind === 'ENUM64' ? (t.signed ? 'LL' : 'ULL') : ''}`)];
    case 'FWD': return [`${head} fwd_kind=${t.union ? 'union' : 'struct'}`];
    case 'FUNC': return [`${head} type_id=${t.type} linkage=${linkage(t.linkage)}`];
    case 'FUNC_PROTO':
      return [`${head} ret_type_id=${t.type} vlen=${t.params.length}`, ...t.params.map((p) => `\t${q(p.name)} type_id=${p.type}`)];
    case 'VAR': return [`${head} type_id=${t.type}, linkage=${linkage(t.linkage)}`];
    case 'DATASEC':
      return [`${head} size=${t.size} vlen=${t.vars.length}`, ...t.vars.map((v) =>
        `\ttype_id=${v.type} offset=${v.offset} size=${v.size} (VAR ${q(btf.typeById(v.type).name)})`)];
    case 'FLOAT': return [`${head} size=${t.size}`];
    case 'DECL_TAG': return [`${head} type_id=${t.type} component_idx=${t.componentIdx}`];
  }
}

/** llvm-objdump -d -l: section → instruction index → { file, line } (the last "; file:line" seen). */
export function objdumpLines(text: string): Map<string, Map<number, { file: string; line: number }>> {
  const out = new Map<string, Map<number, { file: string; line: number }>>();
  let sec: Map<number, { file: string; line: number }> | undefined;
  let cur: { file: string; line: number } | undefined;
  for (const line of text.split('\n')) {
    const s = /^Disassembly of section (.*):$/.exec(line);
    if (s) {
      sec = new Map();
      out.set(s[1], sec);
      cur = undefined;
      continue;
    }
    const l = /^; (.+):(\d+)$/.exec(line);
    if (l) {
      cur = { file: l[1], line: Number(l[2]) };
      continue;
    }
    const i = /^\s+(\d+):\t/.exec(line);
    if (i && sec && cur) sec.set(Number(i[1]), cur);
  }
  return out;
}

/** libbpf's debug log lines (without the "log: libbpf: " prefix). */
export function libbpfLog(name: string): string[] {
  return goldenText(name).split('\n').filter((l) => l.startsWith('log: ')).map((l) => l.replace(/^log: libbpf: /, ''));
}
